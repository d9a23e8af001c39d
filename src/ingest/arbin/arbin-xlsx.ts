import {
  DiscernError,
  naiveMsToUnixS,
  oleDaysToNaiveMs,
  type CategoryColumn,
  type DataWarning,
} from '../../core/index.js';
import { CategoryBuilder } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { assembleArbinFrame, planArbinColumns, type ParsedArbinColumn } from './assemble.js';
import type { ArbinColumn } from './columns.js';
import { LocalDateColumn, dateOrderNote, tzAssumedWarning } from './dates.js';
import { openXlsx, peekXlsxSheetNames, type XlsxSheet } from './xlsx.js';

/** A number this large in a date column is Unix seconds (after 1973), not an Excel serial day. */
const UNIX_SECONDS_MIN = 1e8;

const isZip = (h: Uint8Array): boolean => h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04;

/** Sheets that hold one channel's records: "Channel_1-008", "Channel_1_1", "Channel_1_2", ... */
const isChannelSheet = (name: string): boolean => /^channel/i.test(name.trim());

/** The channel a sheet belongs to: a trailing "_<part>" is the continuation number of a long test. */
const channelGroup = (name: string): string => name.trim().replace(/_\d+$/, '');

interface SheetColumns {
  /** Numbers per column (NaN for empty or text cells), or strings for label columns. */
  values: (Float64Array | string[] | null)[];
  /** The sheet rows that were kept (rows with at least one cell), in order. */
  rowIndex: Int32Array;
}

/**
 * Data rows of one sheet, column by column. Rows without any cell are dropped. Text in a numeric
 * column is an error; unknown columns holding text become label columns; date columns keep their
 * numbers here and their text is read by row later.
 */
function readRows(sheet: XlsxSheet, columns: readonly (ArbinColumn | null)[], file: string): SheetColumns {
  const n = sheet.rowCount;
  const keep = new Uint8Array(n);
  const perColumn: (Float64Array | string[] | null)[] = [];
  for (let k = 0; k < columns.length; k++) {
    const c = columns[k];
    if (c === null || c === undefined) {
      perColumn.push(null);
      continue;
    }
    const nums = sheet.numbers(k);
    let label = false;
    for (let r = 1; r < n; r++) {
      if (!Number.isNaN(nums[r]!)) {
        keep[r] = 1;
        continue;
      }
      const t = sheet.text(r, k);
      if (t === undefined) continue;
      keep[r] = 1;
      if (c.kind === 'datetime' || t.trim() === '') continue;
      if (!c.known) {
        label = true;
        continue;
      }
      throw new DiscernError(
        'DISCERN_PARSE_BAD_VALUE',
        `sheet "${sheet.name}" row ${r + 1}: "${t}" in column ${c.source} is not a number`,
        { file, column: c.source },
      );
    }
    if (label) {
      const out: string[] = [];
      for (let r = 0; r < n; r++) {
        const t = sheet.text(r, k);
        out.push(t ?? (Number.isNaN(nums[r]!) ? '' : String(nums[r])));
      }
      perColumn.push(out);
    } else perColumn.push(nums);
  }
  let rows = 0;
  for (let r = 1; r < n; r++) if (keep[r] === 1) rows++;
  const rowIndex = new Int32Array(rows);
  for (let r = 1, i = 0; r < n; r++) if (keep[r] === 1) rowIndex[i++] = r;
  const values = perColumn.map((col) => {
    if (col === null) return null;
    if (Array.isArray(col)) return Array.from(rowIndex, (r) => col[r]!);
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = col[rowIndex[i]!]!;
    return out;
  });
  return { values, rowIndex };
}

/**
 * Arbin XLSX exports (MITS Pro, MITS 7): one `Channel_*` sheet per channel, split into
 * `Channel_1_1`, `Channel_1_2`, ... when the test has more rows than a sheet holds (the rows
 * continue). The columns are those of the Arbin CSV; `Statistics_*` and info sheets are not read.
 * Date cells are Excel serial days (local time, read in `options.timeZone`, UTC and
 * DISCERN_TZ_ASSUMED when absent), Unix seconds, or text.
 * @throws DISCERN_CORRUPT (not a readable workbook), DISCERN_UNKNOWN_FORMAT (no Channel sheet),
 * DISCERN_MISSING_COLUMN, DISCERN_PARSE_BAD_HEADER (continuation sheets with other columns),
 * DISCERN_PARSE_BAD_VALUE, DISCERN_NO_DATA.
 */
export const arbinXlsxReader: FormatReader = {
  id: 'arbin-xlsx',
  vendor: 'Arbin',
  description: 'Arbin XLSX export (Channel_* sheets)',
  binary: true,
  sniff(input: SniffInput): number {
    if (!isZip(input.head)) return 0;
    const names = peekXlsxSheetNames(input.head);
    if (names !== undefined) return names.some(isChannelSheet) ? 0.95 : 0;
    return input.ext === 'xlsx' ? 0.2 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    if (file.bytes.length === 0) {
      throw new DiscernError('DISCERN_EMPTY_FILE', 'the file is empty', { file: file.name });
    }
    const book = openXlsx(file.bytes, file.name);
    const channelSheets = book.sheetNames.filter(isChannelSheet);
    if (channelSheets.length === 0) {
      throw new DiscernError(
        'DISCERN_UNKNOWN_FORMAT',
        `no Channel_* sheet (sheets: ${book.sheetNames.join(', ')}): not an Arbin export`,
        { file: file.name },
      );
    }
    const group = channelGroup(channelSheets[0]!);
    const sheets = channelSheets.filter((n) => channelGroup(n) === group);
    const warnings: DataWarning[] = [];
    const others = channelSheets.filter((n) => channelGroup(n) !== group);
    if (others.length > 0) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `the workbook holds other channels (${others.join(', ')}); only ${sheets.join(', ')} was read`,
      });
    }

    let columns: (ArbinColumn | null)[] | undefined;
    let headerKey = '';
    const parts: { sheet: XlsxSheet; cols: SheetColumns }[] = [];
    for (const name of sheets) {
      const sheet = book.readSheet(name);
      const headers = Array.from({ length: sheet.columnCount }, (_, k) => sheet.text(0, k) ?? '');
      const named = headers.map((h) => h.trim());
      while (named.length > 0 && named[named.length - 1] === '') named.pop();
      const key = JSON.stringify(named);
      if (columns === undefined) {
        const plan = planArbinColumns(headers, `${file.name} [${name}]`, 1);
        columns = plan.columns;
        headerKey = key;
        warnings.push(...plan.warnings);
      } else if (key !== headerKey) {
        throw new DiscernError(
          'DISCERN_PARSE_BAD_HEADER',
          `sheet "${name}" has other columns than "${sheets[0]}"; it cannot continue the same test`,
          { file: file.name },
        );
      }
      parts.push({ sheet, cols: readRows(sheet, columns, file.name) });
    }
    const cols = columns!;
    const total = parts.reduce((s, p) => s + p.cols.rowIndex.length, 0);
    if (total === 0) {
      throw new DiscernError('DISCERN_NO_DATA', `sheet "${sheets[0]}" has a header but no data rows`, {
        file: file.name,
      });
    }

    const timeZone = options.timeZone ?? 'UTC';
    let localDates = false;
    const parsed: ParsedArbinColumn[] = [];
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k];
      if (c === null || c === undefined) continue;
      if (parts.some((p) => Array.isArray(p.cols.values[k]))) {
        const b = new CategoryBuilder();
        for (const p of parts) {
          const v = p.cols.values[k];
          if (Array.isArray(v)) for (const s of v) b.push(s.trim());
          else if (v instanceof Float64Array) for (const x of v) b.push(Number.isNaN(x) ? '' : String(x));
        }
        parsed.push({ column: c, values: b.finish() as CategoryColumn });
        continue;
      }
      const out = new Float64Array(total);
      let at = 0;
      for (const p of parts) {
        out.set(p.cols.values[k] as Float64Array, at);
        at += p.cols.rowIndex.length;
      }
      if (c.kind === 'datetime') {
        const r = datesOf(out, parts, k, timeZone, file.name, c.source);
        localDates ||= r.local;
        if (r.note !== undefined) warnings.push(r.note);
      }
      parsed.push({ column: c, values: out });
    }
    if (localDates && options.timeZone === undefined) warnings.push(tzAssumedWarning(file.name));
    return assembleArbinFrame({
      file: file.name,
      format: 'arbin-xlsx',
      columns: parsed,
      warnings,
      ...(localDates ? { zone: { timeZone, assumed: options.timeZone === undefined } } : {}),
      channel: group.replace(/^channel[_\s-]*/i, ''),
      header: { sheets: sheets.join(', ') },
    });
  },
};

/**
 * Converts a date column in place to Unix seconds: numbers above 1e8 are Unix seconds, smaller
 * numbers Excel serial days (local wall clock), text cells local date text.
 */
function datesOf(
  out: Float64Array,
  parts: readonly { sheet: XlsxSheet; cols: SheetColumns }[],
  k: number,
  timeZone: string,
  file: string,
  column: string,
): { local: boolean; note?: DataWarning } {
  let local = false;
  const text = new LocalDateColumn(out.length);
  let anyText = false;
  let at = 0;
  for (const p of parts) {
    const rows = p.cols.rowIndex;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const t = p.sheet.text(r, k);
      if (t !== undefined && Number.isNaN(out[at + i]!)) {
        if (!text.pushText(t, r + 1)) {
          throw new DiscernError(
            'DISCERN_PARSE_BAD_VALUE',
            `sheet "${p.sheet.name}" row ${r + 1}: "${t}" in column ${column} is not a date`,
            { file, column },
          );
        }
        anyText = true;
      } else text.pushText('', r + 1);
    }
    at += rows.length;
  }
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (Number.isNaN(v) || v >= UNIX_SECONDS_MIN) continue;
    out[i] = naiveMsToUnixS(oleDaysToNaiveMs(v), timeZone);
    local = true;
  }
  if (!anyText) return { local };
  const r = text.finish(timeZone, 'MDY', file, column);
  for (let i = 0; i < out.length; i++) if (!Number.isNaN(r.unixS[i]!)) out[i] = r.unixS[i]!;
  return r.ambiguous ? { local: true, note: dateOrderNote(column, r.order) } : { local: true };
}
