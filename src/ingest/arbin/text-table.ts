import { DiscernError, type ColumnInput, type DataWarning, type DateOrder } from '../../core/index.js';
import { counterFromFloat } from '../checks.js';
import { CategoryBuilder, FloatBuilder, parseNumber } from '../text.js';
import { LocalDateColumn, dateOrderNote, parseDurationS, tzAssumedWarning } from './dates.js';

/**
 * How a cell of a column is read: a number, a counter (Int32), a naive local date-time, a duration
 * `h:mm:ss.fff`, a label, or `auto` (numbers while every cell is one, else labels).
 */
export type TextCellKind = 'float' | 'counter' | 'date' | 'duration' | 'label' | 'auto';

/** One column of a delimited table and the channel it becomes (canonical = value * factor + offset). */
export interface TextColumnPlan {
  /** 0-based position in the row. */
  readonly index: number;
  /** Header text, for messages and `ChannelInfo.source`. */
  readonly label: string;
  readonly channel: string;
  readonly unit: string;
  readonly kind: TextCellKind;
  readonly factor?: number;
  readonly offset?: number;
  /** Rewrites label cells (e.g. a step-type code to its name). */
  readonly mapLabel?: (text: string) => string;
}

/** The lines of a delimited text table and how to read them (see `readTextTable`). */
export interface TextTableInput {
  readonly file: string;
  readonly lines: readonly string[];
  /** Index in `lines` of the first data line; `lines[i]` is line i + 1 of the file. */
  readonly first: number;
  /** Splits one line into cells. */
  readonly split: (line: string) => string[];
  readonly plans: readonly TextColumnPlan[];
  /** Zone of naive date-times; UTC with DISCERN_TZ_ASSUMED when undefined. */
  readonly timeZone: string | undefined;
  /** Day/month order when the dates never tell. */
  readonly defaultOrder: DateOrder;
  /** Stop at the first line for which this returns true (e.g. a section marker). */
  readonly stop?: (line: string) => boolean;
  /** Keep only rows for which this returns true (cells of the row). */
  readonly keep?: (cells: readonly string[]) => boolean;
}

/** Typed columns by channel, in canonical units, with the warnings raised while reading. */
export interface TextTableResult {
  readonly rows: number;
  readonly columns: Record<string, ColumnInput>;
  readonly warnings: DataWarning[];
  /** True when naive dates were read (so the zone matters). */
  readonly localDates: boolean;
  /** The day/month order the dates were read in (undefined without a date column). */
  readonly dateOrder?: DateOrder;
}

type Builder = FloatBuilder | CategoryBuilder | LocalDateColumn | string[];

/**
 * Reads the data lines of a delimited text table into typed columns, converting units.
 * @throws DISCERN_PARSE_TRUNCATED (a row with fewer cells than a planned column needs),
 * DISCERN_PARSE_BAD_VALUE (text in a numeric, date or duration column, with its line),
 * DISCERN_NO_DATA (no data row).
 */
export function readTextTable(input: TextTableInput): TextTableResult {
  const { file, plans } = input;
  const need = plans.reduce((m, p) => Math.max(m, p.index + 1), 0);
  const builders: Builder[] = plans.map((p) =>
    p.kind === 'label'
      ? new CategoryBuilder()
      : p.kind === 'date'
        ? new LocalDateColumn(input.lines.length)
        : p.kind === 'auto'
          ? []
          : new FloatBuilder(input.lines.length),
  );
  let rows = 0;
  for (let li = input.first; li < input.lines.length; li++) {
    const line = input.lines[li]!;
    if (input.stop?.(line) === true) break;
    if (line.trim() === '') continue;
    const cells = input.split(line);
    if (cells.length < need) {
      throw new DiscernError(
        'DISCERN_PARSE_TRUNCATED',
        `row has ${cells.length} fields, ${need} are needed`,
        { file, line: li + 1 },
      );
    }
    if (input.keep !== undefined && !input.keep(cells)) continue;
    for (let k = 0; k < plans.length; k++) {
      const p = plans[k]!;
      const cell = cells[p.index]!;
      const b = builders[k]!;
      if (Array.isArray(b)) b.push(cell);
      else if (b instanceof CategoryBuilder) {
        const t = cell.trim();
        b.push(p.mapLabel !== undefined && t !== '' ? p.mapLabel(t) : t);
      } else if (b instanceof LocalDateColumn) {
        if (!b.pushText(cell.trim(), li + 1)) throw bad(file, li, p, cell, 'a date');
      } else {
        let v = parseNumber(cell);
        if (v === undefined && p.kind === 'duration') v = parseDurationS(cell);
        if (v === undefined) throw bad(file, li, p, cell, 'a number');
        b.push(v);
      }
    }
    rows++;
  }
  if (rows === 0)
    throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', { file });

  const warnings: DataWarning[] = [];
  const columns: Record<string, ColumnInput> = {};
  const timeZone = input.timeZone ?? 'UTC';
  let localDates = false;
  let dateOrder: DateOrder | undefined;
  for (let k = 0; k < plans.length; k++) {
    const p = plans[k]!;
    const b = builders[k]!;
    if (b instanceof LocalDateColumn) {
      const r = b.finish(timeZone, input.defaultOrder, file, p.label);
      localDates = true;
      dateOrder = r.order;
      if (r.ambiguous) warnings.push(dateOrderNote(p.label, r.order));
      columns[p.channel] = { values: r.unixS, unit: 's', source: p.label };
    } else if (b instanceof CategoryBuilder) {
      columns[p.channel] = { values: b.finish(), unit: '', source: p.label };
    } else if (Array.isArray(b)) {
      const nums = b.map((s) => parseNumber(s));
      if (nums.every((v) => v !== undefined)) {
        columns[p.channel] = {
          values: scale(Float64Array.from(nums as number[]), p),
          unit: p.unit,
          source: p.label,
        };
      } else {
        const c = new CategoryBuilder();
        for (const s of b) c.push(s.trim());
        columns[p.channel] = { values: c.finish(), unit: '', source: p.label };
      }
    } else if (p.kind === 'counter') {
      const r = counterFromFloat(b.finish(), p.channel);
      warnings.push(...r.warnings);
      columns[p.channel] = { values: r.values, unit: '1', source: p.label };
    } else columns[p.channel] = { values: scale(b.finish(), p), unit: p.unit, source: p.label };
  }
  if (localDates && input.timeZone === undefined) warnings.push(tzAssumedWarning(file));
  return { rows, columns, warnings, localDates, ...(dateOrder !== undefined ? { dateOrder } : {}) };
}

function scale(values: Float64Array, p: TextColumnPlan): Float64Array {
  const f = p.factor ?? 1;
  const o = p.offset ?? 0;
  if (f !== 1 || o !== 0) for (let i = 0; i < values.length; i++) values[i] = values[i]! * f + o;
  return values;
}

function bad(file: string, li: number, p: TextColumnPlan, cell: string, what: string): DiscernError {
  return new DiscernError('DISCERN_PARSE_BAD_VALUE', `"${cell.trim()}" in column ${p.label} is not ${what}`, {
    file,
    line: li + 1,
    column: p.label,
  });
}
