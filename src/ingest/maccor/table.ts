import { DiscernError, type DataWarning } from '../../core/index.js';
import { CategoryBuilder, FloatBuilder, parseNumber } from '../text.js';
import type { MaccorColumn } from './columns.js';

/** The data rows of a Maccor table, column by column, before any unit or sign logic. */
export interface MaccorTable {
  readonly rows: number;
  /** Numeric columns by field index (NaN = empty or N/A). Time columns are in the file's unit. */
  readonly numeric: ReadonlyMap<number, Float64Array>;
  /** Text columns (State / Md, Aux units) by field index, dictionary-coded. */
  readonly categories: ReadonlyMap<number, { codes: Int32Array; levels: string[] }>;
  /** The `DPt Time` texts, one per row. */
  readonly dateTimes?: readonly string[];
  /** Field indexes of time columns written as `1d 02:03:04.5` (so already in seconds). */
  readonly durationColumns: ReadonlySet<number>;
  /** Field indexes of unknown columns that held non-numeric text (dropped). */
  readonly textColumns: ReadonlySet<number>;
  readonly decimal: '.' | ',';
  /** 1-based line number of each row (for error messages). */
  readonly lineOf: Int32Array;
  readonly warnings: readonly DataWarning[];
}

const DURATION_RE = /^\s*(?:(\d+)d\s+)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$/;

/**
 * Parses Maccor's `[Nd ]hh:mm:ss[.fff]` duration text (e.g. `  2d 02:52:51.57`, `0d 00:00:0`)
 * to seconds; undefined when the text is not such a duration.
 * @example parseMaccorDuration('  1d 01:00:05.5') // 90005.5
 */
export function parseMaccorDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (m === null) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** Decimal separator from the voltage cells of the first data lines ("0,1377" -> ','). */
function decimalOf(
  lines: readonly string[],
  from: number,
  to: number,
  delimiter: string,
  index: number,
): '.' | ',' {
  if (delimiter === ',') return '.';
  for (let li = from, seen = 0; li <= to && seen < 200; li++) {
    const cell = lines[li]!.split(delimiter)[index];
    if (cell === undefined || cell.trim() === '') continue;
    seen++;
    if (/^\s*-?\d+,\d+\s*$/.test(cell)) return ',';
    if (/^\s*-?\d*\.\d+\s*$/.test(cell)) return '.';
  }
  return '.';
}

/**
 * Reads the data lines below a Maccor column header. Blank lines are skipped. A last line with
 * fewer fields than the header (an export cut off while writing) is dropped with a
 * DISCERN_CORRUPT_PART warning; a short line anywhere else is an error.
 * @throws DISCERN_PARSE_TRUNCATED, DISCERN_PARSE_BAD_VALUE, DISCERN_NO_DATA
 */
export function parseMaccorTable(
  lines: readonly string[],
  headerLine: number,
  columns: readonly MaccorColumn[],
  delimiter: string,
  file: string,
): MaccorTable {
  let last = lines.length - 1;
  while (last > headerLine && lines[last]!.trim() === '') last--;
  let firstData = headerLine + 1;
  while (firstData <= last && lines[firstData]!.trim() === '') firstData++;
  if (firstData > last) {
    throw new DiscernError('DISCERN_NO_DATA', 'the Maccor file has a header but no data rows', {
      file,
      line: headerLine + 1,
    });
  }
  const needed = columns.reduce((n, c) => (c.spec.role === 'empty' ? n : Math.max(n, c.index + 1)), 0);
  const voltageCol = columns.find((c) => c.spec.role === 'voltage')!;
  const decimal = decimalOf(lines, firstData, last, delimiter, voltageCol.index);
  const capacity = last - headerLine;

  const floats = new Map<number, FloatBuilder>();
  const cats = new Map<number, CategoryBuilder>();
  const durationColumns = new Set<number>();
  const textColumns = new Set<number>();
  let dateCol = -1;
  const dateTimes: string[] = [];
  for (const c of columns) {
    const r = c.spec.role;
    if (r === 'empty') continue;
    if (r === 'state' || r === 'aux_unit') cats.set(c.index, new CategoryBuilder());
    else if (r === 'datetime') dateCol = c.index;
    else floats.set(c.index, new FloatBuilder(capacity));
  }
  const timeCols = new Set(
    columns.filter((c) => c.spec.role === 'test_time' || c.spec.role === 'step_time').map((c) => c.index),
  );
  const otherCols = new Set(columns.filter((c) => c.spec.role === 'other').map((c) => c.index));
  const warnings: DataWarning[] = [];
  const lineOf = new Int32Array(capacity);
  let rows = 0;

  for (let li = firstData; li <= last; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const cells = line.split(delimiter);
    if (cells.length < needed) {
      if (li === last && rows > 0) {
        warnings.push({
          code: 'DISCERN_CORRUPT_PART',
          message: `the last line has ${cells.length} of ${needed} fields (the export was cut off); it was dropped`,
          line: li + 1,
          count: 1,
        });
        break;
      }
      throw new DiscernError('DISCERN_PARSE_TRUNCATED', `line has ${cells.length} of ${needed} fields`, {
        file,
        line: li + 1,
      });
    }
    for (const [index, b] of floats) {
      const cell = cells[index]!;
      let v = parseNumber(cell, decimal);
      if (v === undefined && timeCols.has(index)) {
        v = parseMaccorDuration(cell);
        if (v !== undefined) durationColumns.add(index);
      }
      if (v === undefined) {
        if (otherCols.has(index)) {
          textColumns.add(index);
          v = NaN;
        } else {
          const label = columns[index]?.label ?? `#${index}`;
          throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `"${cell}" in column ${label} is not a number`, {
            file,
            line: li + 1,
            column: label,
          });
        }
      }
      b.push(v);
    }
    for (const [index, b] of cats) b.push(cells[index]!.trim());
    if (dateCol >= 0) dateTimes.push(cells[dateCol]!);
    lineOf[rows++] = li + 1;
  }
  const numeric = new Map<number, Float64Array>();
  for (const [index, b] of floats) if (!textColumns.has(index)) numeric.set(index, b.finish());
  const categories = new Map<number, { codes: Int32Array; levels: string[] }>();
  for (const [index, b] of cats) categories.set(index, b.finish());
  return {
    rows,
    numeric,
    categories,
    ...(dateCol >= 0 ? { dateTimes } : {}),
    durationColumns,
    textColumns,
    decimal,
    lineOf: lineOf.slice(0, rows),
    warnings,
  };
}
