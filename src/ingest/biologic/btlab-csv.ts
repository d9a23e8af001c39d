import { DiscernError, createFrame, type DataWarning } from '../../core/index.js';
import { decodeText, detectDelimiter, splitDelimited } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { absoluteTime, assembleBiologicColumns, type BiologicRawColumn } from './assemble.js';
import { detectDecimal, parseBiologicTable } from './table.js';
import { zoneFor } from './zone.js';

const VOLTAGE = ['Ecell/V', 'Ewe/V', '<Ewe>/V', '<Ecell>/V'];
const CURRENT = ['I/mA', '<I>/mA'];

function firstLine(text: string): string {
  const end = text.search(/\r?\n|\r/);
  return (end < 0 ? text : text.slice(0, end)).replace(/^(?:\uFEFF|\xEF\xBB\xBF)/, '');
}

function headersOf(line: string, delimiter: string): string[] {
  return splitDelimited(line, delimiter).map((h) => h.trim());
}

/**
 * BioLogic column exports without the EC-Lab header block: BT-Lab's `;`-separated CSV and the
 * tab-separated `.txt` exports of EC-Lab / BT-Lab ("Export as text" without header). The first line
 * names the columns in EC-Lab's way (`time/s`, `Ecell/V` or `Ewe/V`, `I/mA`, ...); the shared
 * BioLogic column table maps them. A decimal comma is detected from the first row.
 *
 * Time: `time/s` holds either seconds or, with BT-Lab's absolute time format, naive local
 * date-times ("05/05/2021 15:36:22.757", month first unless a day above 12 shows otherwise) read
 * in `options.timeZone` (UTC + DISCERN_TZ_ASSUMED when absent); `unix_time_s` comes from them and
 * `test_time_s` counts from the first row. Unnamed columns (a row number added by a script) are
 * dropped with a note.
 * @throws DISCERN_EMPTY_FILE, DISCERN_NO_DATA (header only), DISCERN_PARSE_TRUNCATED,
 *   DISCERN_PARSE_BAD_VALUE, DISCERN_MISSING_COLUMN (no `time/s`).
 * @example btlabCsvReader.read({ name: 'run.csv', bytes }, { timeZone: 'America/Los_Angeles' });
 */
export const btlabCsvReader: FormatReader = {
  id: 'biologic-btlab-csv',
  vendor: 'BioLogic',
  description: 'BioLogic BT-Lab / EC-Lab column export without header (.csv, .txt)',
  binary: false,
  sniff(input: SniffInput): number {
    const line = firstLine(input.headText);
    if (/ASCII FILE/.test(line)) return 0;
    const headers = headersOf(line, detectDelimiter(line));
    if (!headers.includes('time/s')) return 0;
    const v = VOLTAGE.some((h) => headers.includes(h));
    const i = CURRENT.some((h) => headers.includes(h));
    return v && i ? 0.9 : v || headers.includes('freq/Hz') ? 0.6 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const name = file.name;
    const decoded = decodeText(file.bytes, name);
    const warnings: DataWarning[] = decoded.warnings.filter((w) => w.code !== 'DISCERN_ENCODING_FALLBACK');
    const text = decoded.text;
    const line = firstLine(text);
    const delimiter = detectDelimiter(line);
    const all = headersOf(line, delimiter);
    if (!all.includes('time/s')) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', 'the header has no time/s column', {
        file: name,
        line: 1,
        column: 'time/s',
      });
    }
    const start = text.search(/\r?\n|\r/);
    const bodyStart =
      start < 0 ? text.length : start + (text[start] === '\r' && text[start + 1] === '\n' ? 2 : 1);
    const sample = text.slice(bodyStart, bodyStart + 4096).split(/\r?\n/)[0] ?? '';
    const zone = zoneFor(options, name);
    const table = parseBiologicTable({
      text,
      start: bodyStart,
      firstLine: 2,
      headers: all.map((h, i) => (h === '' ? `#${i}` : h)),
      delimiter,
      decimal: detectDecimal(sample, delimiter),
      file: name,
      timeZone: zone.timeZone,
      dateOrder: 'auto',
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    });
    if (table.rows === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
        file: name,
        line: 2,
      });
    }
    const unnamed = all.filter((h) => h === '').length;
    if (unnamed > 0) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `${unnamed} unnamed column(s) (e.g. a row number added by a script) were dropped`,
      });
    }
    const named: BiologicRawColumn[] = table.columns.filter((c) => !/^#\d+$/.test(c.header));
    const raw = absoluteTime(named, table.dateHeaders, undefined);
    let startTime: { unixS: number; timeZone: string; assumed: boolean } | undefined;
    if (table.dateHeaders.length > 0) {
      warnings.push(...zone.warnings);
      const uts = raw.find((c) => c.header === 'uts/s');
      const u0 =
        uts !== undefined && 'values' in uts ? uts.values.find((v) => Number.isFinite(v)) : undefined;
      if (u0 !== undefined) startTime = { unixS: u0, timeZone: zone.timeZone, assumed: zone.assumed };
    } else if (!all.includes('uts/s')) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message:
          'time/s holds elapsed seconds and the file states no start time: unix_time_s is not available',
      });
    }
    const assembled = assembleBiologicColumns(raw);
    warnings.push(...assembled.warnings);
    const impedance =
      assembled.columns['frequency_Hz'] !== undefined && all.find((h) => h !== '') === 'freq/Hz';
    return createFrame({
      columns: assembled.columns,
      meta: {
        vendor: 'BioLogic',
        format: 'biologic-btlab-csv',
        kind: impedance ? 'impedance' : 'timeseries',
        header: { delimiter: delimiter === '\t' ? 'tab' : delimiter },
        warnings,
        ...(startTime !== undefined ? { startTime } : {}),
      },
    });
  },
};
