import { DiscernError } from '../../core/index.js';
import type { FormatReader } from '../types.js';
import { openHdf5, type Hdf5Tree } from './container.js';
import { INDIGO_KEY, indigoFrame } from './indigo.js';
import { isPandasFixedFrame, readPandasFixedFrame } from './pandas-fixed.js';
import { hasHdf5Signature } from './superblock.js';

/** battdat (battery-data-toolkit) marks its files with these root attributes or groups. */
function looksLikeBattdat(tree: Hdf5Tree): boolean {
  const attrs = Object.keys(tree.groupAttrs('/'));
  const keys = tree.keys('/');
  return (
    attrs.includes('battdat_version') ||
    attrs.includes('metadata') ||
    keys.includes('raw_data') ||
    keys.includes('cycle_stats')
  );
}

/**
 * HDF5 files: Indigo cycler time series (a pandas fixed-format frame under /time_series_data,
 * as beep reads them). battdat's HDF5 layout (PyTables tables with JSON metadata) and any other
 * HDF5 content are recognised and refused with DISCERN_UNSUPPORTED_VERSION, naming what was found.
 *
 * Sniffing: 1 for the HDF5 signature at byte 0.
 * @throws DISCERN_UNSUPPORTED_VERSION for HDF5 content other than an Indigo time series;
 *   DISCERN_PARSE_TRUNCATED, DISCERN_CORRUPT for damaged files (with a byte offset where known);
 *   DISCERN_MISSING_COLUMN, DISCERN_NO_DATA, DISCERN_PARSE_BAD_VALUE from `indigoFrame`.
 * @example hdf5Reader.read({ name: 'indigo_test_sample.h5', bytes }, {}).meta.header['indigo_cell_id']
 */
export const hdf5Reader: FormatReader = {
  id: 'indigo-hdf5',
  vendor: 'Indigo',
  description: 'HDF5 (Indigo time series; battdat recognised)',
  binary: true,
  sniff: (s) => (hasHdf5Signature(s.head) ? 1 : 0),
  read(file) {
    const tree = openHdf5(file.bytes, file.name);
    const keys = tree.keys('/');
    if (keys.includes(INDIGO_KEY) && isPandasFixedFrame(tree, `/${INDIGO_KEY}`)) {
      return indigoFrame(readPandasFixedFrame(tree, `/${INDIGO_KEY}`), file.name);
    }
    if (looksLikeBattdat(tree)) {
      throw new DiscernError(
        'DISCERN_UNSUPPORTED_VERSION',
        `battdat HDF5 layout (groups: ${keys.join(', ') || 'none'}) is not read; export it to BDF or Parquet`,
        { file: file.name },
      );
    }
    const found = keys.map((k) => `${k}${tree.isGroup(`/${k}`) ? '/' : ''}`).join(', ');
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      `HDF5 file without an Indigo /${INDIGO_KEY} frame; its root holds: ${found || 'nothing'}`,
      { file: file.name },
    );
  },
};
