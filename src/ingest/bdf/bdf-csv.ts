import { DiscernError, type DataWarning } from '../../core/index.js';
import { decodeText, detectDelimiter, splitDelimited, splitLines } from '../text.js';
import type { FormatReader, SniffInput, SourceFile } from '../types.js';
import { assembleBdfFrame, bdfPlans, requireBdfColumns } from './assemble.js';
import { bdfRequiredCount, resolveBdfHeader } from './names.js';
import { parseTable } from './table.js';

function firstLine(text: string): string {
  const end = text.search(/\r|\n/);
  return (end < 0 ? text : text.slice(0, end)).replace(/^\ufeff|^\xef\xbb\xbf/, '');
}

/**
 * Battery Data Format CSV (`*.bdf.csv`, `*.bdf`): one header row of BDF machine names
 * (`test_time_second,voltage_volt,current_ampere,...`) or labels with units (`Test Time / h`,
 * `Voltage / V`), then one row per record. Units are converted from the label (hours to seconds);
 * legacy names (`test_time_millisecond`, `cycle_dimensionless`) are read too. Current is positive
 * on charge (BDF convention); a file whose step type shows the opposite is negated with a warning.
 * Columns BDF does not define are kept as `aux_*`. Unix time is UTC.
 * @throws DISCERN_EMPTY_FILE, DISCERN_NO_DATA (header only), DISCERN_MISSING_COLUMN (no test time,
 *   voltage or current), DISCERN_UNKNOWN_COLUMN (a label with an unconvertible unit),
 *   DISCERN_PARSE_BAD_VALUE, DISCERN_PARSE_TRUNCATED (with the line).
 */
export const bdfCsvReader: FormatReader = {
  id: 'bdf-csv',
  vendor: 'BDF',
  description: 'Battery Data Format CSV (machine names or labelled headers)',
  binary: false,
  sniff(input: SniffInput): number {
    const line = firstLine(input.headText);
    if (line.length === 0 || line.length > 10_000) return 0;
    let required: number;
    try {
      required = bdfRequiredCount(resolveBdfHeader(splitDelimited(line, detectDelimiter(line))));
    } catch {
      return 0;
    }
    if (required < 2) return 0;
    const named = /\.bdf(\.csv)?$/i.test(input.name);
    if (required === 3) return named ? 1 : 0.9;
    return named ? 0.8 : 0.5;
  },
  read(file: SourceFile) {
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    let h = 0;
    while (h < lines.length && lines[h]!.trim() === '') h++;
    const headerLine = lines[h];
    if (headerLine === undefined) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has no header line', { file: file.name });
    }
    const delimiter = detectDelimiter(headerLine);
    const resolved = resolveBdfHeader(splitDelimited(headerLine, delimiter), file.name);
    requireBdfColumns(resolved, { file: file.name, line: h + 1 });
    const table = parseTable({
      file: file.name,
      lines,
      first: h + 1,
      delimiter,
      plans: bdfPlans(resolved),
      timeZone: 'UTC',
    });
    if (table.rows === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
        file: file.name,
        line: h + 1,
      });
    }
    const warnings: DataWarning[] = [...decoded.warnings];
    return assembleBdfFrame(file.name, 'bdf-csv', resolved, table, warnings);
  },
};
