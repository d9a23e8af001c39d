import { CHANNELS, isCanonicalChannel } from '../core/index.js';
import { COUNTED, SERIES_LEVEL_ROWS, SUMMARISED } from './series-schema.js';

/**
 * Level 0 of the series pyramid for a run of rows, computed from the typed arrays while a large
 * file is parsed (on the parsing thread), so the store does not scan the rows again. Block b
 * holds rows `(firstBlock + b) * 64 ..` of the test. Each min and max follows what
 * `measurements` stores: NaN is missing; for an integer channel the value is truncated and -1 is
 * missing; a channel with no value in a block has NaN there (NULL in the table).
 */
export interface BlockSummary {
  readonly firstBlock: number;
  readonly blocks: number;
  /** Rows per block. */
  readonly n: Int32Array;
  /** Non-missing values per block of each x-axis channel present (COUNTED). */
  readonly counts: Readonly<Record<string, Int32Array>>;
  readonly min: Readonly<Record<string, Float64Array>>;
  readonly max: Readonly<Record<string, Float64Array>>;
}

/**
 * Summarises rows `firstRow ..< firstRow + rows` (`firstRow` a multiple of the 64-row block, so
 * every block but the last of the test is whole within one call).
 * @throws TypeError when firstRow is not at a block boundary
 */
export function summariseBlocks(
  firstRow: number,
  rows: number,
  columns: Readonly<Record<string, Float64Array | Int32Array>>,
): BlockSummary {
  const size = SERIES_LEVEL_ROWS[0]!;
  if (firstRow % size !== 0) throw new TypeError(`rows must start at a block boundary, got ${firstRow}`);
  const blocks = Math.ceil(rows / size);
  const n = new Int32Array(blocks);
  for (let b = 0; b < blocks; b++) n[b] = Math.min(size, rows - b * size);
  const counts: Record<string, Int32Array> = {};
  const min: Record<string, Float64Array> = {};
  const max: Record<string, Float64Array> = {};
  const rowMin = new Float64Array(blocks);
  const rowMax = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    rowMin[b] = firstRow + b * size;
    rowMax[b] = firstRow + b * size + n[b]! - 1;
  }
  min['row_index'] = rowMin;
  max['row_index'] = rowMax;
  for (const name of SUMMARISED) {
    const col = columns[name];
    if (col === undefined || name === 'row_index' || !isCanonicalChannel(name)) continue;
    const intTarget = CHANNELS[name].kind === 'int';
    const lo = new Float64Array(blocks);
    const hi = new Float64Array(blocks);
    const count = COUNTED.includes(name) ? new Int32Array(blocks) : undefined;
    for (let b = 0; b < blocks; b++) {
      let mn = Infinity;
      let mx = -Infinity;
      let k = 0;
      const end = b * size + n[b]!;
      if (col instanceof Float64Array) {
        for (let i = b * size; i < end; i++) {
          let v = col[i]!;
          if (v !== v) continue;
          if (intTarget) {
            v = Math.trunc(v);
            if (v === -1) continue;
          }
          k++;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
      } else {
        for (let i = b * size; i < end; i++) {
          const v = col[i]!;
          if (intTarget && v === -1) continue;
          k++;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
      }
      lo[b] = k > 0 ? mn : NaN;
      hi[b] = k > 0 ? mx : NaN;
      if (count) count[b] = k;
    }
    min[name] = lo;
    max[name] = hi;
    if (count) counts[name] = count;
  }
  return { firstBlock: firstRow / size, blocks, n, counts, min, max };
}
