import { DiscernError, parseDateTime, toUnixS, type DateOrder } from '../../core/index.js';
import { CategoryBuilder, FloatBuilder, parseNumber, splitDelimited } from '../text.js';
import type { BiologicRawColumn } from './assemble.js';

export interface BiologicTableInput {
  readonly text: string;
  /** Character offset in `text` where the first data line starts. */
  readonly start: number;
  /** 1-based line number of that line (for error messages). */
  readonly firstLine: number;
  readonly headers: readonly string[];
  readonly delimiter: '\t' | ';' | ',';
  readonly decimal: '.' | ',';
  readonly file: string;
  /** Zone of naive date-times in a date column (absolute time format). */
  readonly timeZone: string;
  /** Order of numeric dates; 'auto' = MDY unless a first field above 12 shows DMY. */
  readonly dateOrder: DateOrder | 'auto';
  readonly onProgress?: (fraction: number) => void;
}

export interface BiologicTable {
  readonly columns: BiologicRawColumn[];
  readonly rows: number;
  /** Headers of columns that held date-times (their values are Unix seconds, UTC). */
  readonly dateHeaders: string[];
}

type Kind = 'num' | 'date' | 'text';

const COMMA_NUMBER = /^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$/;

/** '.' or ',' as decimal separator, judged from one data line of a tab- or ';'-separated table. */
export function detectDecimal(line: string, delimiter: string): '.' | ',' {
  if (delimiter === ',') return '.';
  for (const f of line.split(delimiter)) if (COMMA_NUMBER.test(f.trim())) return ',';
  return '.';
}

/**
 * Parses the data lines of a BioLogic column table (EC-Lab `.mpt` body, BT-Lab CSV/TXT export).
 * Each column's kind comes from its first non-empty value: a number, a date-time (absolute time
 * format; converted to Unix seconds in `timeZone`) or text (kept as a category). Blank lines are
 * skipped; a trailing empty field is allowed.
 * @throws DISCERN_PARSE_TRUNCATED (a row with too few fields), DISCERN_PARSE_BAD_VALUE.
 */
export function parseBiologicTable(input: BiologicTableInput): BiologicTable {
  const { text, headers, delimiter, decimal, file } = input;
  const n = headers.length;
  const kinds: (Kind | undefined)[] = new Array<Kind | undefined>(n).fill(undefined);
  const floats: (FloatBuilder | undefined)[] = new Array<FloatBuilder | undefined>(n).fill(undefined);
  const cats: (CategoryBuilder | undefined)[] = new Array<CategoryBuilder | undefined>(n).fill(undefined);
  const estimate = Math.max(16, Math.floor((text.length - input.start) / Math.max(1, 12 * n)));
  let order: DateOrder = input.dateOrder === 'auto' ? 'MDY' : input.dateOrder;
  let orderChecked = input.dateOrder !== 'auto';
  const comma = decimal === ',';
  let rows = 0;
  let pos = input.start;
  let lineNo = input.firstLine - 1;
  let nextProgress = pos + (1 << 22);
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    const lineStart = pos;
    pos = end + 1;
    lineNo++;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) continue;
    if (input.onProgress !== undefined && pos > nextProgress) {
      input.onProgress(pos / text.length);
      nextProgress = pos + (1 << 22);
    }
    const fields = line.includes('"') ? splitDelimited(line, delimiter) : line.split(delimiter);
    if (fields.length < n) {
      throw new DiscernError(
        'DISCERN_PARSE_TRUNCATED',
        `row has ${fields.length} fields, the header names ${n} columns`,
        { file, line: lineNo },
      );
    }
    for (let k = n; k < fields.length; k++) {
      if (fields[k]!.length > 0 && fields[k]!.trim() !== '') {
        throw new DiscernError(
          'DISCERN_PARSE_BAD_VALUE',
          `row has ${fields.length} fields, the header names ${n} columns`,
          { file, line: lineNo },
        );
      }
    }
    for (let c = 0; c < n; c++) {
      const cell = fields[c]!;
      let kind = kinds[c];
      if (kind === undefined) {
        if (cell.trim() === '') {
          // Unknown kind until a value shows up; keep the column aligned with NaN.
          (floats[c] ??= new FloatBuilder(estimate)).push(NaN);
          continue;
        }
        kind = classify(cell, decimal);
        kinds[c] = kind;
        if (kind === 'text') {
          const b = new CategoryBuilder();
          for (let r = 0; r < rows; r++) b.push(undefined);
          cats[c] = b;
        } else floats[c] ??= new FloatBuilder(estimate);
        if (kind === 'date' && !orderChecked) {
          order = guessDateOrder(text, lineStart, delimiter, c);
          orderChecked = true;
        }
      }
      if (kind === 'text') {
        cats[c]!.push(cell.trim());
        continue;
      }
      let v: number | undefined;
      if (kind === 'num') v = fastNumber(cell, comma);
      else if (cell.trim() === '') v = NaN;
      else {
        const dt = parseDateTime(cell, order);
        v = dt === undefined ? undefined : toUnixS(dt, input.timeZone);
      }
      if (v === undefined) {
        throw new DiscernError(
          'DISCERN_PARSE_BAD_VALUE',
          `"${cell}" in column ${headers[c]} is not a ${kind === 'date' ? 'date-time' : 'number'}`,
          { file, line: lineNo, column: headers[c]! },
        );
      }
      floats[c]!.push(v);
    }
    rows++;
  }
  const columns: BiologicRawColumn[] = [];
  const dateHeaders: string[] = [];
  for (let c = 0; c < n; c++) {
    const header = headers[c]!;
    const cat = cats[c];
    if (cat !== undefined) {
      columns.push({ header, category: cat.finish() });
      continue;
    }
    columns.push({ header, values: floats[c]?.finish() ?? new Float64Array(rows).fill(NaN) });
    if (kinds[c] === 'date') dateHeaders.push(header);
  }
  return { columns, rows, dateHeaders };
}

/** Number() for the common case, parseNumber (blank, NaN spellings, errors) for the rest. */
function fastNumber(cell: string, comma: boolean): number | undefined {
  const v = Number(comma ? cell.replace(',', '.') : cell);
  // Number('') and Number('  ') are 0: only trust a 0 when the text is not blank.
  if (v === v && (v !== 0 || (cell.length > 0 && (cell.charCodeAt(0) > 32 || cell.trim() !== '')))) return v;
  return parseNumber(cell, comma ? ',' : '.');
}

function classify(cell: string, decimal: '.' | ','): Kind {
  if (parseNumber(cell, decimal) !== undefined) return 'num';
  if (parseDateTime(cell, 'MDY') !== undefined || parseDateTime(cell, 'DMY') !== undefined) return 'date';
  return 'text';
}

/** MDY unless one of the next few thousand dates has a first field above 12 (then DMY). */
function guessDateOrder(text: string, from: number, delimiter: string, column: number): DateOrder {
  let pos = from;
  for (let i = 0; i < 5000 && pos < text.length; i++) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const cell = text.slice(pos, end).split(delimiter)[column];
    pos = end + 1;
    const m = cell === undefined ? null : /^\s*(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}/.exec(cell);
    if (m === null) continue;
    if (Number(m[1]) > 12) return 'DMY';
    if (Number(m[2]) > 12) return 'MDY';
  }
  return 'MDY';
}
