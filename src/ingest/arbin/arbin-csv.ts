import { DiscernError, type CategoryColumn, type DataWarning } from '../../core/index.js';
import { CategoryBuilder, FloatBuilder, detectDelimiter, splitDelimited } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile, StreamPlan } from '../types.js';
import { assembleArbinFrame, planArbinColumns, type ParsedArbinColumn } from './assemble.js';
import { RowScanner, endOfLine } from './bytes.js';
import { headerKey, splitHeader, type ArbinColumn } from './columns.js';
import { LocalDateColumn, dateOrderNote, tzAssumedWarning } from './dates.js';

const MODE_FLOAT = 0;
const MODE_UNIX = 1;
const MODE_TEXT_DATE = 2;
const MODE_LABEL = 3;
const PRESCAN_ROWS = 100;

/** The header keys of the first line of a sniffed file. */
function firstLineKeys(headText: string): Set<string> {
  let text = headText.startsWith('\xef\xbb\xbf') ? headText.slice(3) : headText;
  const nl = text.search(/[\r\n]/);
  if (nl >= 0) text = text.slice(0, nl);
  return new Set(splitDelimited(text, detectDelimiter(text)).map((h) => headerKey(splitHeader(h).name)));
}

/** Arbin's channel number from a file name such as "..._CH33.csv" (beep's naming), if any. */
function channelFromName(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop() ?? name;
  return /_CH(\d+)(?:[._]|$)/i.exec(base)?.[1];
}

function decodeHeader(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Bytes to read: a UTF-8 BOM is skipped, UTF-16LE is re-encoded as UTF-8. */
function prepare(file: SourceFile): { bytes: Uint8Array; start: number } {
  const b = file.bytes;
  if (b.length === 0) throw new DiscernError('DISCERN_EMPTY_FILE', 'the file is empty', { file: file.name });
  if (b[0] === 0xff && b[1] === 0xfe) {
    return { bytes: new TextEncoder().encode(new TextDecoder('utf-16le').decode(b.subarray(2))), start: 0 };
  }
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  const scan = Math.min(b.length, 1 << 16);
  for (let i = start; i < scan; i++) {
    if (b[i] === 0) {
      throw new DiscernError('DISCERN_BAD_ENCODING', 'NUL byte in a text file (binary data?)', {
        file: file.name,
        offset: i,
      });
    }
  }
  return { bytes: b, start };
}

/** Decides per column how cells are read, from the first rows. */
function modes(
  columns: readonly (ArbinColumn | null)[],
  bytes: Uint8Array,
  start: number,
  delimiter: string,
): { modes: Int8Array; avgRowBytes: number } {
  const m = new Int8Array(columns.length).fill(-1);
  const decided = new Uint8Array(columns.length);
  columns.forEach((c, k) => {
    if (c === null) return;
    m[k] = c.kind === 'datetime' ? MODE_UNIX : MODE_FLOAT;
    if (c.kind !== 'datetime' && c.known) decided[k] = 1;
  });
  const s = new RowScanner(bytes, start, 2, delimiter);
  let rows = 0;
  while (rows < PRESCAN_ROWS && s.next()) {
    rows++;
    for (let k = 0; k < columns.length && k < s.count; k++) {
      const c = columns[k];
      if (c === null || c === undefined || decided[k] === 1 || s.blank(k)) continue;
      const numeric = s.number(k) !== undefined;
      if (c.kind === 'datetime') {
        m[k] = numeric ? MODE_UNIX : MODE_TEXT_DATE;
        decided[k] = 1;
      } else if (!numeric) {
        m[k] = MODE_LABEL;
        decided[k] = 1;
      }
    }
  }
  const avg = rows > 0 ? Math.max(16, (s.pos - start) / rows) : 64;
  return { modes: m, avgRowBytes: avg };
}

/**
 * Arbin CSV exports of every era: the old "ArbinResult" database export (`Data_Point, Test_Time,
 * DateTime` in Unix seconds, no units), MITS Pro (`Test_Time(s)`, `Current(A)`, tab-prefixed
 * `Date_Time` text, UTF-8 BOM) and MITS Pro 8 / MITS X (`Test Time (s)`, `Date Time`). Units in the
 * headers are converted to SI; Arbin's current is already positive on charge. Date text is read in
 * `options.timeZone` (UTC and DISCERN_TZ_ASSUMED when absent); Unix-second dates need no zone. The
 * file is parsed from its bytes, so exports larger than a JavaScript string can hold are read too.
 * @throws DISCERN_EMPTY_FILE, DISCERN_BAD_ENCODING, DISCERN_MISSING_COLUMN (no test time, voltage or
 * current), DISCERN_NO_DATA (header only), DISCERN_PARSE_TRUNCATED (a row with fewer fields than the
 * header, an unclosed quote), DISCERN_PARSE_BAD_VALUE (text in a numeric column, with its line).
 */
export const arbinCsvReader: FormatReader = {
  id: 'arbin-csv',
  vendor: 'Arbin',
  description: 'Arbin CSV export (ArbinResult database export, MITS Pro, MITS X)',
  binary: false,
  sniff(input: SniffInput): number {
    const keys = firstLineKeys(input.headText);
    if (!keys.has('test_time')) return 0;
    const hasDate = keys.has('datetime') || keys.has('date_time');
    if (keys.has('data_point') && (keys.has('cycle_index') || keys.has('step_index') || hasDate)) return 0.95;
    if (keys.has('data_point')) return 0.85;
    if (hasDate && keys.has('voltage') && keys.has('current')) return 0.6;
    return 0;
  },
  streamPlan(input: SniffInput): StreamPlan | undefined {
    return arbinStreamPlan(input);
  },
  read(file: SourceFile, options: ReadOptions) {
    const { bytes, start } = prepare(file);
    const head = endOfLine(bytes, start);
    const headerText = decodeHeader(bytes.subarray(start, head.end));
    const delimiter = detectDelimiter(headerText);
    const headers = splitDelimited(headerText, delimiter);
    const plan = planArbinColumns(headers, file.name, 1);
    const columns = plan.columns;
    const ncols = columns.length;
    const { modes: mode, avgRowBytes } = modes(columns, bytes, head.next, delimiter);
    const capacity = Math.ceil((bytes.length - head.next) / avgRowBytes) + 16;

    const floats: (FloatBuilder | undefined)[] = [];
    const labels: (CategoryBuilder | undefined)[] = [];
    const dates: (LocalDateColumn | undefined)[] = [];
    for (let k = 0; k < ncols; k++) {
      if (mode[k] === MODE_FLOAT || mode[k] === MODE_UNIX) floats[k] = new FloatBuilder(capacity);
      else if (mode[k] === MODE_LABEL) labels[k] = new CategoryBuilder();
      else if (mode[k] === MODE_TEXT_DATE) dates[k] = new LocalDateColumn(capacity);
    }

    let need = ncols;
    while (need > 0 && columns[need - 1] === null) need--;
    const s = new RowScanner(bytes, head.next, 2, delimiter);
    let rows = 0;
    while (s.next()) {
      if (s.count < need) {
        throw new DiscernError(
          'DISCERN_PARSE_TRUNCATED',
          s.unterminated
            ? `the last row is cut short (${s.count} of ${need} fields)`
            : `row has ${s.count} fields, the header has ${need}`,
          { file: file.name, line: s.line },
        );
      }
      for (let k = 0; k < need; k++) {
        const m = mode[k]!;
        if (m === MODE_FLOAT || m === MODE_UNIX) {
          const v = s.number(k);
          if (v === undefined) throw badValue(file.name, s, k, columns[k]!, 'a number');
          floats[k]!.push(v);
        } else if (m === MODE_TEXT_DATE) {
          if (!dates[k]!.pushBytes(bytes, s.starts[k]!, s.ends[k]!, s.line)) {
            throw badValue(file.name, s, k, columns[k]!, 'a date');
          }
        } else if (m === MODE_LABEL) labels[k]!.push(s.text(k).trim());
      }
      for (let k = ncols; k < s.count; k++) {
        if (!s.blank(k)) {
          throw new DiscernError(
            'DISCERN_PARSE_BAD_VALUE',
            `row has ${s.count} fields, the header has ${need}`,
            {
              file: file.name,
              line: s.line,
            },
          );
        }
      }
      rows++;
      if ((rows & 0xffff) === 0) options.onProgress?.(s.pos / bytes.length);
    }
    if (s.openQuote) {
      throw new DiscernError(
        'DISCERN_PARSE_TRUNCATED',
        'a quoted field is not closed before the end of the file',
        {
          file: file.name,
          line: s.line,
        },
      );
    }
    if (rows === 0)
      throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
        file: file.name,
      });

    const warnings: DataWarning[] = [...plan.warnings];
    const timeZone = options.timeZone ?? 'UTC';
    let zone: { timeZone: string; assumed: boolean } | undefined;
    const parsed: ParsedArbinColumn[] = [];
    for (let k = 0; k < ncols; k++) {
      const c = columns[k];
      if (c === null || c === undefined) continue;
      let values: Float64Array | CategoryColumn;
      const d = dates[k];
      if (d !== undefined) {
        const r = d.finish(timeZone, 'MDY', file.name, c.source);
        values = r.unixS;
        zone = { timeZone, assumed: options.timeZone === undefined };
        if (zone.assumed) warnings.push(tzAssumedWarning(file.name));
        if (r.ambiguous) warnings.push(dateOrderNote(c.source, r.order));
      } else if (labels[k] !== undefined) values = labels[k]!.finish();
      else values = floats[k]!.finish();
      parsed.push({ column: c, values });
    }
    options.onProgress?.(1);
    const channel = channelFromName(file.name);
    return assembleArbinFrame({
      file: file.name,
      format: 'arbin-csv',
      columns: parsed,
      warnings,
      ...(zone !== undefined ? { zone } : {}),
      ...(channel !== undefined ? { channel } : {}),
    });
  },
};

function badValue(file: string, s: RowScanner, k: number, c: ArbinColumn, what: string): DiscernError {
  return new DiscernError(
    'DISCERN_PARSE_BAD_VALUE',
    `"${s.text(k).trim()}" in column ${c.source} is not ${what}`,
    {
      file,
      line: s.line,
      column: c.source,
    },
  );
}

/**
 * A plan for the streaming ingest of a large Arbin CSV whose cells are all numbers (the
 * ArbinResult export, dates in Unix seconds). Files with quoted fields, date text or label columns
 * are read whole by `read` instead (undefined here).
 */
function arbinStreamPlan(input: SniffInput): StreamPlan | undefined {
  const b = input.head;
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  if (b[0] === 0xff || b.indexOf(34, start) >= 0) return undefined;
  const head = endOfLine(b, start);
  if (head.next >= b.length) return undefined;
  const headerText = decodeHeader(b.subarray(start, head.end));
  const delimiter = detectDelimiter(headerText);
  let plan: ReturnType<typeof planArbinColumns>;
  try {
    plan = planArbinColumns(splitDelimited(headerText, delimiter), input.name, 1);
  } catch {
    return undefined;
  }
  const { modes: mode } = modes(plan.columns, b, head.next, delimiter);
  const columns: StreamPlan['columns'][number][] = [];
  const channels: StreamPlan['channels'][number][] = [];
  for (let k = 0; k < plan.columns.length; k++) {
    const c = plan.columns[k];
    if (c === null || c === undefined) continue;
    if (mode[k] !== MODE_FLOAT && mode[k] !== MODE_UNIX) return undefined;
    columns.push({
      index: k,
      channel: c.channel,
      kind: c.kind === 'counter' ? 'int' : 'float',
      factor: c.factor,
      offset: c.offset,
    });
    channels.push({ name: c.channel, unit: c.unit, source: c.source });
  }
  const channel = channelFromName(input.name);
  return {
    delimiter,
    skipLines: 1,
    columns,
    channels,
    meta: {
      vendor: 'Arbin',
      format: 'arbin-csv',
      warnings: plan.warnings,
      ...(channel !== undefined ? { channel } : {}),
    },
  };
}
