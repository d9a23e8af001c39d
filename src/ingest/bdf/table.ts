import {
  CHANNELS,
  DiscernError,
  isCanonicalChannel,
  parseDateTime,
  toUnixS,
  type CategoryColumn,
  type ColumnInput,
  type DataWarning,
  type DateOrder,
} from '../../core/index.js';
import { counterFromFloat } from '../checks.js';
import { CategoryBuilder, FloatBuilder, parseNumber, splitDelimited } from '../text.js';
import { lookupUnit } from '../units.js';

/**
 * How one cell is read: a number, a label, a naive or zoned date-time (to Unix seconds), a
 * duration written as `[d-]h:mm:ss[.fff]` or as seconds, or `auto` (a number while every cell is
 * one, otherwise a label column).
 */
export type CellKind = 'float' | 'category' | 'datetime' | 'duration' | 'auto';

/** One source column and the channel it becomes. */
export interface ColumnPlan {
  /** 0-based position in the row. */
  readonly index: number;
  /** Header text, for messages and `ChannelInfo.source`. */
  readonly label: string;
  /** Canonical or `aux_*` channel name. */
  readonly channel: string;
  /** Unit of the channel after conversion ('' for labels). */
  readonly unit: string;
  readonly kind: CellKind;
  /** canonical = value * factor + offset (floats and durations). */
  readonly factor?: number;
  readonly offset?: number;
}

/** A delimited table to parse: its lines, where data starts, and the plan of each column. */
export interface TableInput {
  readonly file: string;
  readonly lines: readonly string[];
  /** Index of the first data line in `lines`. */
  readonly first: number;
  readonly delimiter: string;
  readonly decimal?: '.' | ',';
  readonly plans: readonly ColumnPlan[];
  /** For day/month order of numeric dates. */
  readonly dateOrder?: DateOrder;
  /** IANA zone for naive date-times. */
  readonly timeZone: string;
  /** Number of lines before `lines[0]` in the file (for 1-based line numbers in errors). */
  readonly lineOffset?: number;
  /** Only lines for which this returns true are data rows (default: every non-blank line). */
  readonly accept?: (line: string) => boolean;
}

/** Parsed columns of a table, keyed by channel. */
export interface TableResult {
  readonly rows: number;
  /** Parsed columns by channel: Float64Array for numbers, dates, durations; CategoryColumn for labels. */
  readonly values: ReadonlyMap<string, Float64Array | CategoryColumn>;
  /** True when at least one date-time had no zone and was read in `timeZone`. */
  readonly naiveDates: boolean;
}

const DURATION_RE = /^(?:(\d+)\s*(?:d\s*|-))?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)$/;

/**
 * Seconds from a duration such as "00:29:58.500", "144:02:18" (hours past 24), "1-02:03:04" or
 * "1d 02:03:04", or from a plain number of seconds. Undefined when the text is neither; NaN when blank.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return NaN;
  const m = DURATION_RE.exec(s);
  if (m === null) return parseNumber(s);
  const days = m[1] !== undefined ? Number(m[1]) : 0;
  return days * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** A float column that turns into a label column at its first non-numeric cell. */
class AutoBuilder {
  private floats: FloatBuilder | undefined = new FloatBuilder();
  private labels: CategoryBuilder | undefined;
  push(cell: string, decimal: '.' | ','): void {
    if (this.floats !== undefined) {
      const v = parseNumber(cell, decimal);
      if (v !== undefined) {
        this.floats.push(v);
        return;
      }
      const done = this.floats.finish();
      this.floats = undefined;
      this.labels = new CategoryBuilder();
      for (const x of done) this.labels.push(Number.isNaN(x) ? undefined : String(x));
    }
    this.labels!.push(cell.trim());
  }
  finish(): Float64Array | CategoryColumn {
    return this.floats !== undefined ? this.floats.finish() : this.labels!.finish();
  }
}

/**
 * Parses the data lines of a delimited table according to a column plan. Blank lines are skipped.
 * @throws DISCERN_PARSE_TRUNCATED when a row lacks a planned column (a cut-off last line, usually);
 *   DISCERN_PARSE_BAD_VALUE when a cell cannot be read as its kind; both with the 1-based line.
 */
export function parseTable(input: TableInput): TableResult {
  const { file, lines, plans, delimiter, timeZone } = input;
  const decimal = input.decimal ?? '.';
  const order = input.dateOrder ?? 'YMD';
  const lineBase = (input.lineOffset ?? 0) + 1;
  const builders = plans.map((p) =>
    p.kind === 'category'
      ? new CategoryBuilder()
      : p.kind === 'auto'
        ? new AutoBuilder()
        : new FloatBuilder(Math.max(16, lines.length - input.first)),
  );
  let naiveDates = false;
  let rows = 0;
  let lastIndex = -1;
  for (const p of plans) lastIndex = Math.max(lastIndex, p.index);
  for (let li = input.first; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '' || (input.accept !== undefined && !input.accept(line))) continue;
    const cells = splitDelimited(line, delimiter);
    if (cells.length <= lastIndex) {
      const p = plans.find((x) => x.index >= cells.length)!;
      throw new DiscernError(
        'DISCERN_PARSE_TRUNCATED',
        `row has ${cells.length} fields; column "${p.label}" (field ${p.index + 1}) is missing`,
        { file, line: li + lineBase, column: p.label },
      );
    }
    for (let k = 0; k < plans.length; k++) {
      const p = plans[k]!;
      const cell = cells[p.index]!;
      const b = builders[k]!;
      if (b instanceof CategoryBuilder) {
        b.push(cell.trim());
        continue;
      }
      if (b instanceof AutoBuilder) {
        b.push(cell, decimal);
        continue;
      }
      let v: number | undefined;
      if (p.kind === 'datetime') {
        if (cell.trim() === '') v = NaN;
        else {
          const dt = parseDateTime(cell.trim(), order);
          if (dt !== undefined) {
            if (dt.offsetMs === undefined) naiveDates = true;
            v = toUnixS(dt, timeZone);
          }
        }
      } else if (p.kind === 'duration') {
        v = parseDuration(cell);
      } else {
        v = parseNumber(cell, decimal);
      }
      if (v === undefined) {
        throw new DiscernError(
          'DISCERN_PARSE_BAD_VALUE',
          `"${cell}" in column "${p.label}" is not a valid ${p.kind === 'float' ? 'number' : p.kind}`,
          { file, line: li + lineBase, column: p.label },
        );
      }
      b.push(p.factor === undefined && p.offset === undefined ? v : v * (p.factor ?? 1) + (p.offset ?? 0));
    }
    rows++;
  }
  const values = new Map<string, Float64Array | CategoryColumn>();
  for (let k = 0; k < plans.length; k++) values.set(plans[k]!.channel, builders[k]!.finish());
  return { rows, values, naiveDates };
}

/**
 * Turns parsed values into Frame columns: canonical counters become Int32 (with a warning for
 * non-integer values), canonical label channels must hold labels, everything keeps its source header.
 * @throws DISCERN_PARSE_BAD_VALUE when a canonical numeric channel holds text.
 */
export function tableColumns(
  table: TableResult,
  plans: readonly ColumnPlan[],
  file: string,
): { columns: Record<string, ColumnInput>; warnings: DataWarning[] } {
  const columns: Record<string, ColumnInput> = {};
  const warnings: DataWarning[] = [];
  for (const p of plans) {
    const v = table.values.get(p.channel);
    if (v === undefined) continue;
    if (isCanonicalChannel(p.channel)) {
      const kind = CHANNELS[p.channel].kind;
      if (kind === 'category') {
        columns[p.channel] = {
          values: v instanceof Float64Array ? numbersAsLabels(v) : v,
          unit: '',
          source: p.label,
        };
        continue;
      }
      if (!(v instanceof Float64Array)) {
        throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `column "${p.label}" holds text, not numbers`, {
          file,
          column: p.label,
        });
      }
      if (kind === 'int') {
        const c = counterFromFloat(v, p.channel);
        warnings.push(...c.warnings);
        columns[p.channel] = { values: c.values, unit: CHANNELS[p.channel].unit, source: p.label };
      } else {
        columns[p.channel] = { values: v, unit: CHANNELS[p.channel].unit, source: p.label };
      }
      continue;
    }
    columns[p.channel] = { values: v, unit: v instanceof Float64Array ? p.unit : '', source: p.label };
  }
  return { columns, warnings };
}

function numbersAsLabels(v: Float64Array): CategoryColumn {
  const b = new CategoryBuilder();
  for (const x of v) b.push(Number.isNaN(x) ? undefined : String(x));
  return b.finish();
}

/** A channel-name slug: lower case, runs of other characters as one underscore. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * A vendor unit text with the degree sign mangled ("°C", "?C", "\ufffdC", "℃", or "?" / "\ufffd"
 * alone where a one-character "℃" was lost) read as "degC"; Neware's "mO" as "mOhm"; other units
 * are returned trimmed.
 */
export function normalizeUnit(unit: string): string {
  const u = unit.trim();
  if (/^(?:°|º|\ufffd|\?|deg\s*)c$/i.test(u) || u === '℃' || u === '?' || u === '\ufffd') return 'degC';
  if (/^m[oOΩ]$/.test(u)) return 'mOhm';
  if (u === 'O' || u === 'Ω') return 'Ohm';
  return u;
}

/**
 * The plan of a column whose header gives its unit: canonical float channels are converted from
 * `unit` (no unit = already canonical); counters and labels ignore it; an `aux_*` channel gets the
 * canonical unit of `unit` when discern knows it, else keeps it, and `aux_<name>_<unit>` names are
 * completed by the caller.
 * @throws DISCERN_UNKNOWN_COLUMN when the unit does not measure what the channel holds.
 */
export function unitPlan(
  index: number,
  label: string,
  channel: string,
  unit: string,
  file: string,
  kind: CellKind = 'float',
): ColumnPlan {
  const u = normalizeUnit(unit);
  if (isCanonicalChannel(channel)) {
    const spec = CHANNELS[channel];
    if (spec.kind !== 'float') {
      return { index, label, channel, unit: '', kind: spec.kind === 'category' ? 'category' : kind };
    }
    if (u === '' || u === spec.unit) return { index, label, channel, unit: spec.unit, kind };
    const conv = lookupUnit(u);
    if (conv === undefined || conv.canonical !== spec.unit) {
      throw new DiscernError(
        'DISCERN_UNKNOWN_COLUMN',
        `column "${label}": unit "${unit}" cannot be converted to ${spec.unit} for ${channel}`,
        { file, column: label },
      );
    }
    return { index, label, channel, unit: spec.unit, kind, factor: conv.factor, offset: conv.offset };
  }
  const conv = u === '' ? undefined : lookupUnit(u);
  if (conv === undefined) return { index, label, channel, unit: u, kind };
  return { index, label, channel, unit: conv.canonical, kind, factor: conv.factor, offset: conv.offset };
}

/** `aux_<base>_<unit>` ("%" as "pct"); the unit is left out when it is empty or not a plain word. */
export function auxName(base: string, unit: string): string {
  const suffix = unit === '%' ? 'pct' : unit;
  return /^[A-Za-z0-9]+$/.test(suffix) ? `aux_${base}_${suffix}` : `aux_${base}`;
}
