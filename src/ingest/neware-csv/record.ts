import { DiscernError, type DataWarning, type Frame } from '../../core/index.js';
import { parseTable } from '../bdf/table.js';
import { detectDelimiter, splitDelimited } from '../text.js';
import type { ReadOptions } from '../types.js';
import { planNewareHeader } from './columns.js';
import { newareFrame, requireNewareColumns } from './frame.js';

/**
 * The BTSDA "record layer" export: one header row (`DataPoint,Cycle Index,Step Index,Step Type,
 * Time,Total Time,Current(A),Voltage(V),...,Date,...`), then one row per record.
 * @throws DISCERN_MISSING_COLUMN, DISCERN_NO_DATA, DISCERN_PARSE_BAD_VALUE, DISCERN_PARSE_TRUNCATED,
 *   DISCERN_UNKNOWN_COLUMN (a known column with a unit that does not fit).
 */
export function readRecordLayer(
  file: string,
  lines: readonly string[],
  headerIndex: number,
  warnings: DataWarning[],
  options: ReadOptions,
): Frame {
  const headerLine = lines[headerIndex]!;
  const delimiter = detectDelimiter(headerLine);
  const plans = planNewareHeader(splitDelimited(headerLine, delimiter), file);
  requireNewareColumns(plans, file, headerIndex + 1);
  const table = parseTable({
    file,
    lines,
    first: headerIndex + 1,
    delimiter,
    plans,
    timeZone: options.timeZone ?? 'UTC',
  });
  if (table.rows === 0) {
    throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
      file,
      line: headerIndex + 1,
    });
  }
  return newareFrame(file, plans, table, {}, warnings, options, 'record');
}
