import { DiscernError, type ColumnInput, type DataWarning, type Frame } from '../../core/index.js';
import { parseTable } from '../bdf/table.js';
import { CategoryBuilder, IntBuilder, detectDelimiter, splitDelimited } from '../text.js';
import type { ReadOptions } from '../types.js';
import { planNewareHeader } from './columns.js';
import { newareFrame, requireNewareColumns } from './frame.js';

function columnOf(cells: readonly string[], names: readonly string[]): number {
  return cells.findIndex((c) => names.includes(c.trim().toLowerCase()));
}

/**
 * The BTSDA nested ("regular") export: three header rows (cycle, step, record), then cycle rows,
 * step rows indented by one empty field and record rows indented by two. Each record takes its
 * cycle index from the last cycle row and its step index, step number and step type from the last
 * step row. BTSDA writes the first step row on the first cycle row, after the cycle fields.
 * @throws DISCERN_PARSE_BAD_HEADER (a header row missing), DISCERN_CORRUPT (a record before any
 *   step row), DISCERN_PARSE_BAD_VALUE, DISCERN_MISSING_COLUMN, DISCERN_NO_DATA.
 */
export function readNestedExport(
  file: string,
  lines: readonly string[],
  headerIndex: number,
  warnings: DataWarning[],
  options: ReadOptions,
): Frame {
  const recordLine = lines[headerIndex + 2];
  if (recordLine === undefined) {
    throw new DiscernError(
      'DISCERN_PARSE_BAD_HEADER',
      'the nested export needs cycle, step and record header rows',
      {
        file,
        line: headerIndex + 1,
      },
    );
  }
  const delimiter = detectDelimiter(recordLine);
  const cycleHeader = splitDelimited(lines[headerIndex]!, delimiter);
  const stepHeader = splitDelimited(lines[headerIndex + 1]!, delimiter);
  const cycleCol = columnOf(cycleHeader, ['cycle index', 'cycle id']);
  const stepCol = columnOf(stepHeader, ['step index', 'step id']);
  const numberCol = columnOf(stepHeader, ['step number']);
  const typeCol = columnOf(stepHeader, ['step type', 'status']);
  if (cycleCol < 0 || stepCol < 0 || typeCol < 0 || !recordLine.startsWith(delimiter + delimiter)) {
    throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'unexpected nested-export header rows', {
      file,
      line: headerIndex + 1,
    });
  }
  const plans = planNewareHeader(splitDelimited(recordLine, delimiter), file);
  requireNewareColumns(plans, file, headerIndex + 3);

  const recordPrefix = delimiter + delimiter;
  const cycles = new IntBuilder(lines.length);
  const steps = new IntBuilder(lines.length);
  const numbers = new IntBuilder(lines.length);
  const types = new CategoryBuilder();
  let cycle = -1;
  let step = -1;
  let number = -1;
  let type: string | undefined;
  const int = (text: string | undefined, li: number, what: string): number => {
    const v = Number((text ?? '').trim());
    if (!Number.isInteger(v) || (text ?? '').trim() === '') {
      throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `"${text ?? ''}" is not a ${what}`, {
        file,
        line: li + 1,
        column: what,
      });
    }
    return v;
  };
  const takeStep = (cells: readonly string[], li: number): void => {
    step = int(cells[stepCol], li, 'step index');
    number = numberCol >= 0 ? int(cells[numberCol], li, 'step number') : -1;
    type = cells[typeCol]?.trim();
  };
  for (let li = headerIndex + 3; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    if (line.startsWith(recordPrefix)) {
      if (step < 0) {
        throw new DiscernError('DISCERN_CORRUPT', 'a record row comes before any step row', {
          file,
          line: li + 1,
        });
      }
      cycles.push(cycle);
      steps.push(step);
      numbers.push(number);
      types.push(type);
    } else if (line.startsWith(delimiter)) {
      takeStep(splitDelimited(line, delimiter), li);
    } else {
      const cells = splitDelimited(line, delimiter);
      cycle = int(cells[cycleCol], li, 'cycle index');
      const rest = cells.slice(cycleHeader.length);
      if (rest.some((c) => c.trim() !== '')) takeStep(['', ...rest], li);
    }
  }
  const table = parseTable({
    file,
    lines,
    first: headerIndex + 3,
    delimiter,
    plans,
    timeZone: options.timeZone ?? 'UTC',
    accept: (line) => line.startsWith(recordPrefix),
  });
  if (table.rows === 0) {
    throw new DiscernError('DISCERN_NO_DATA', 'the file has headers but no record rows', {
      file,
      line: headerIndex + 3,
    });
  }
  const extra: Record<string, ColumnInput> = {
    cycle_index: { values: cycles.finish(), unit: '1', source: cycleHeader[cycleCol]!.trim() },
    step_index: { values: steps.finish(), unit: '1', source: stepHeader[stepCol]!.trim() },
    step_type: { values: types.finish(), unit: '', source: stepHeader[typeCol]!.trim() },
  };
  if (numberCol >= 0) {
    extra['step_count'] = { values: numbers.finish(), unit: '1', source: stepHeader[numberCol]!.trim() };
  }
  return newareFrame(file, plans, table, extra, warnings, options, 'nested');
}
