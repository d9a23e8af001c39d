import {
  DiscernError,
  createFrame,
  type CategoryColumn,
  type ColumnInput,
  type DataWarning,
  type Frame,
  type StartTime,
} from '../../core/index.js';
import { counterFromFloat } from '../checks.js';
import { convertInPlace } from '../units.js';
import { arbinColumn, type ArbinColumn } from './columns.js';

const REQUIRED = ['test_time_s', 'voltage_V', 'current_A'] as const;

/**
 * Maps the header cells of an Arbin table to columns. Blank trailing headers are skipped (`null`).
 * @throws DISCERN_MISSING_COLUMN when test time, voltage or current is missing;
 * DISCERN_PARSE_BAD_HEADER when two headers map to the same channel; DISCERN_UNKNOWN_COLUMN for a
 * unit that does not fit its quantity.
 */
export function planArbinColumns(
  headers: readonly string[],
  file: string,
  line?: number,
): { columns: (ArbinColumn | null)[]; warnings: DataWarning[] } {
  const where = line !== undefined ? { file, line } : { file };
  const columns: (ArbinColumn | null)[] = [];
  const seen = new Map<string, string>();
  const unknown: string[] = [];
  for (const h of headers) {
    if (h.replace(/[\s"\uFEFF]/g, '') === '') {
      columns.push(null);
      continue;
    }
    let c: ArbinColumn;
    try {
      c = arbinColumn(h);
    } catch (e) {
      if (e instanceof DiscernError) throw new DiscernError(e.code, e.message, { ...where, column: h });
      throw e;
    }
    const prev = seen.get(c.channel);
    if (prev !== undefined) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        `columns "${prev}" and "${c.source}" both map to ${c.channel}`,
        { ...where, column: c.source },
      );
    }
    seen.set(c.channel, c.source);
    if (!c.known) unknown.push(c.source);
    columns.push(c);
  }
  for (const r of REQUIRED) {
    if (!seen.has(r)) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', `no column maps to ${r} (an Arbin file needs it)`, {
        ...where,
        column: r,
      });
    }
  }
  const warnings: DataWarning[] = [];
  if (unknown.length > 0) {
    warnings.push({
      code: 'DISCERN_COLUMN_IGNORED',
      message: `column(s) not in Arbin's table, kept as auxiliary channels: ${unknown.join(', ')}`,
      count: unknown.length,
    });
  }
  return { columns, warnings };
}

/** One parsed column: values in the file's unit (floats, counters), Unix seconds (dates) or labels. */
export interface ParsedArbinColumn {
  readonly column: ArbinColumn;
  readonly values: Float64Array | CategoryColumn;
}

/** What `assembleArbinFrame` needs: the parsed columns and the file's metadata. */
export interface AssembleArbinInput {
  readonly file: string;
  readonly format: string;
  readonly columns: readonly ParsedArbinColumn[];
  readonly warnings: readonly DataWarning[];
  /** Zone the date-times were read in, and whether it was assumed; undefined for Unix-second dates. */
  readonly zone?: { timeZone: string; assumed: boolean };
  readonly header?: Readonly<Record<string, string>>;
  readonly channel?: string;
}

/**
 * Turns parsed Arbin columns into a Frame: unit conversion, Int32 counters (with warnings for empty
 * or non-integer counters), and the start time from the first date-time.
 */
export function assembleArbinFrame(input: AssembleArbinInput): Frame {
  const warnings: DataWarning[] = [...input.warnings];
  const out: Record<string, ColumnInput> = {};
  let startTime: StartTime | undefined;
  for (const { column: c, values } of input.columns) {
    if (!(values instanceof Float64Array)) {
      out[c.channel] = { values, unit: '', source: c.source };
      continue;
    }
    if (c.kind === 'counter') {
      const r = counterFromFloat(values, c.channel);
      warnings.push(...r.warnings);
      out[c.channel] = { values: r.values, unit: c.unit, source: c.source };
      continue;
    }
    if (c.kind === 'datetime') {
      const first = values.find((v) => Number.isFinite(v));
      if (first !== undefined) {
        startTime = {
          unixS: first,
          timeZone: input.zone?.timeZone ?? 'UTC',
          assumed: input.zone?.assumed ?? false,
        };
      }
    } else convertInPlace(values, { canonical: c.unit, factor: c.factor, offset: c.offset });
    out[c.channel] = { values, unit: c.unit, source: c.source };
  }
  return createFrame({
    columns: out,
    meta: {
      vendor: 'Arbin',
      format: input.format,
      sourceFile: input.file,
      header: input.header ?? {},
      warnings,
      ...(startTime !== undefined ? { startTime } : {}),
      ...(input.channel !== undefined ? { channel: input.channel } : {}),
    },
  });
}
