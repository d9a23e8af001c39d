import { DiscernError } from '../core/index.js';
import type { FormatReader, SniffInput } from './types.js';

function recognisedOnly(
  id: string,
  vendor: string,
  description: string,
  sniff: (s: SniffInput) => number,
  code: 'DISCERN_UNSUPPORTED_FORMAT' | 'DISCERN_NOT_DATA',
): FormatReader {
  const why =
    code === 'DISCERN_NOT_DATA' ? 'hold settings, not measurements' : 'are recognised but not read yet';
  return {
    id,
    vendor,
    description,
    binary: true,
    sniff,
    read(file) {
      throw new DiscernError(code, `${description} files ${why}`, { file: file.name });
    },
  };
}

/**
 * Formats recognised by their signature but not read: BioLogic settings (.mps: no data, so
 * DISCERN_NOT_DATA). They fail with a clear code instead of being taken for text. (HDF5 files are
 * read by `hdf5Reader` in ./hdf5.)
 */
export const BINARY_PLACEHOLDERS: readonly FormatReader[] = [
  recognisedOnly(
    'biologic-mps',
    'BioLogic',
    'BioLogic .mps settings',
    (s) => (s.ext === 'mps' && s.headText.startsWith('EC-LAB SETTING FILE') ? 1 : 0),
    'DISCERN_NOT_DATA',
  ),
];
