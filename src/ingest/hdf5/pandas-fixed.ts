import { DiscernError } from '../../core/index.js';
import type { Hdf5Array, Hdf5Tree } from './container.js';

/** One column of a pandas frame, widened to float64 (exact for int32 and for int64 below 2^53). */
export interface PandasColumn {
  readonly name: string;
  /** numpy dtype of the block it came from, e.g. "<f4", "<i8". */
  readonly dtype: string;
  readonly values: Float64Array;
}

/** A pandas DataFrame stored by `HDFStore.put(key, df, format="fixed")`. */
export interface PandasFixedFrame {
  readonly rows: number;
  /** Columns in the frame's order (axis0). */
  readonly columns: readonly PandasColumn[];
  /** The group's pandas attributes (pandas_version, encoding, ...). */
  readonly attrs: Readonly<Record<string, string | number>>;
}

const NUMERIC = /^[<>|=]?[iuf][1248]$/;

function names(a: Hdf5Array): string[] {
  return a.values.map((v) => String(v).replace(/\0+$/, ''));
}

/** True when the group at `path` is a pandas fixed-format frame. */
export function isPandasFixedFrame(tree: Hdf5Tree, path: string): boolean {
  if (!tree.isGroup(path)) return false;
  const a = tree.groupAttrs(path);
  return a['pandas_type'] === 'frame' && tree.keys(path).includes('axis0');
}

/**
 * Reads a pandas "fixed" frame (axis0 = column names, axis1 = row index, blockN_items /
 * blockN_values = the columns of one dtype as a rows x items array) into numeric columns.
 * @throws DISCERN_UNSUPPORTED_VERSION for non-numeric blocks (pandas pickles object columns) or
 *   a multi-index layout; DISCERN_CORRUPT when the blocks and axes disagree.
 */
export function readPandasFixedFrame(tree: Hdf5Tree, path: string): PandasFixedFrame {
  const file = tree.file;
  const attrs = tree.groupAttrs(path);
  if (attrs['ndim'] !== 2 || attrs['axis0_variety'] !== 'regular' || attrs['axis1_variety'] !== 'regular') {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      `pandas frame ${path} is not a plain 2-D frame (ndim ${attrs['ndim']}, axis varieties ${attrs['axis0_variety']}/${attrs['axis1_variety']})`,
      { file },
    );
  }
  const nblocks = attrs['nblocks'];
  if (typeof nblocks !== 'number' || !Number.isInteger(nblocks) || nblocks < 1 || nblocks > 1000) {
    throw new DiscernError('DISCERN_CORRUPT', `pandas frame ${path} has nblocks = ${String(nblocks)}`, {
      file,
    });
  }
  const order = names(tree.dataset(`${path}/axis0`));
  const rows = tree.dataset(`${path}/axis1`).shape[0] ?? 0;
  const byName = new Map<string, PandasColumn>();
  for (let b = 0; b < nblocks; b++) {
    const items = names(tree.dataset(`${path}/block${b}_items`));
    const block = tree.dataset(`${path}/block${b}_values`);
    if (!NUMERIC.test(block.dtype)) {
      throw new DiscernError(
        'DISCERN_UNSUPPORTED_VERSION',
        `pandas block ${b} (${items.join(', ')}) has dtype ${block.dtype}; only numeric blocks are read`,
        { file },
      );
    }
    const [d0, d1] = block.shape;
    const k = items.length;
    let transposed: boolean;
    if (block.shape.length === 2 && d0 === rows && d1 === k && rows !== k) transposed = false;
    else if (block.shape.length === 2 && d0 === k && d1 === rows && rows !== k) transposed = true;
    else {
      throw new DiscernError(
        'DISCERN_CORRUPT',
        `pandas block ${b} has shape [${block.shape.join(', ')}] for ${rows} rows and ${k} items`,
        { file },
      );
    }
    for (let j = 0; j < k; j++) {
      const out = new Float64Array(rows);
      const v = block.values;
      for (let i = 0; i < rows; i++) out[i] = Number(transposed ? v[j * rows + i] : v[i * k + j]);
      byName.set(items[j]!, { name: items[j]!, dtype: block.dtype, values: out });
    }
  }
  const columns: PandasColumn[] = [];
  for (const n of order) {
    const c = byName.get(n);
    if (c === undefined) {
      throw new DiscernError('DISCERN_CORRUPT', `pandas column ${n} is in axis0 but in no block`, { file });
    }
    columns.push(c);
  }
  if (columns.length !== byName.size) {
    throw new DiscernError('DISCERN_CORRUPT', `pandas blocks hold columns that axis0 does not list`, {
      file,
    });
  }
  return { rows, columns, attrs };
}
