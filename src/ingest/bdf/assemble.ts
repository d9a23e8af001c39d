import {
  DiscernError,
  createFrame,
  type CategoryColumn,
  type ColumnInput,
  type DataWarning,
  type Frame,
} from '../../core/index.js';
import { alignCurrentWithStepType } from './step-type.js';
import { tableColumns, type ColumnPlan, type TableResult } from './table.js';
import type { ResolvedColumn } from './names.js';

/** The column plan of a resolved BDF header. */
export function bdfPlans(resolved: readonly ResolvedColumn[]): ColumnPlan[] {
  return resolved.map((c) => ({
    index: c.index,
    label: c.header,
    channel: c.target.channel,
    unit: c.target.unit,
    kind: c.target.kind,
    ...(c.target.factor !== 1 ? { factor: c.target.factor } : {}),
    ...(c.target.offset !== 0 ? { offset: c.target.offset } : {}),
  }));
}

/**
 * Checks that the header names the BDF required quantities: test time, voltage, current.
 * @throws DISCERN_UNKNOWN_FORMAT when it names none of them (not a BDF table);
 *   DISCERN_MISSING_COLUMN when some are missing.
 */
export function requireBdfColumns(
  resolved: readonly ResolvedColumn[],
  where: { file: string; line?: number },
): void {
  const have = new Set(resolved.map((c) => c.target.channel));
  const missing = ['test_time_s', 'voltage_V', 'current_A'].filter((c) => !have.has(c));
  if (missing.length === 3) {
    throw new DiscernError(
      'DISCERN_UNKNOWN_FORMAT',
      'no BDF test time, voltage or current column (is this a BDF file?)',
      where,
    );
  }
  if (missing.length > 0) {
    throw new DiscernError('DISCERN_MISSING_COLUMN', `BDF requires ${missing.join(', ')}`, {
      ...where,
      column: missing[0]!,
    });
  }
}

/**
 * True when a step counter counts records within each step (restarts at 0 or 1 and rises by one
 * per row on most rows), which is what BDF 1.2 calls `step_index`; older files use `step_index`
 * for the program step, which changes only at step boundaries.
 */
function isRecordCounter(values: Int32Array): boolean {
  if (values.length < 10) return false;
  let plusOne = 0;
  for (let i = 1; i < values.length; i++) if (values[i] === values[i - 1]! + 1) plusOne++;
  return plusOne > 0.5 * (values.length - 1);
}

/**
 * Builds the Frame of a parsed BDF table: counters to Int32, the legacy/new meaning of
 * `step_index` sorted out, current checked against the step type, start time from Unix time.
 */
export function assembleBdfFrame(
  file: string,
  format: string,
  resolved: readonly ResolvedColumn[],
  table: TableResult,
  warnings: DataWarning[],
): Frame {
  const plans = bdfPlans(resolved);
  const built = tableColumns(table, plans, file);
  const columns: Record<string, ColumnInput> = built.columns;
  warnings.push(...built.warnings);

  const step = columns['step_index'];
  if (step !== undefined && step.values instanceof Int32Array && isRecordCounter(step.values)) {
    delete columns['step_index'];
    columns['aux_step_record_index'] = { values: step.values, unit: '', ...sourceOf(step) };
    warnings.push({
      code: 'DISCERN_NOTE',
      message: `"${step.source}" counts records within each step (BDF 1.2 step_index), not the program step; kept as aux_step_record_index`,
      channel: 'step_index',
    });
  }

  const current = columns['current_A'];
  const stepType = columns['step_type'];
  if (current?.values instanceof Float64Array && stepType !== undefined && 'codes' in stepType.values) {
    const aligned = alignCurrentWithStepType(current.values, stepType.values as CategoryColumn);
    if (aligned.negated) {
      columns['current_A'] = { ...current, values: aligned.values };
      const power = columns['power_W'];
      if (power?.values instanceof Float64Array) {
        const p = power.values.map((x) => (x === 0 ? 0 : -x));
        columns['power_W'] = { ...power, values: p };
      }
      warnings.push(...aligned.warnings);
    }
  }

  const impedance = columns['frequency_Hz'] !== undefined;
  if (impedance && columns['ac_impedance_Ohm'] !== undefined && columns['z_mod_Ohm'] === undefined) {
    columns['z_mod_Ohm'] = columns['ac_impedance_Ohm'];
    delete columns['ac_impedance_Ohm'];
  }

  // Columns BDF does not define, and BDF columns that lost their channel to a better one.
  const aux = resolved.filter((c) => !c.known || c.target.channel.startsWith(c.target.fallback));
  if (aux.length > 0) {
    warnings.push({
      code: 'DISCERN_COLUMN_IGNORED',
      message: `kept as auxiliary: ${aux.map((c) => `"${c.header}" -> ${c.target.channel}`).join(', ')}`,
      count: aux.length,
    });
  }

  const unix = columns['unix_time_s']?.values;
  let startUnix = NaN;
  if (unix instanceof Float64Array) {
    for (let i = 0; i < unix.length; i++) {
      if (Number.isFinite(unix[i]!)) {
        startUnix = unix[i]!;
        break;
      }
    }
  }
  return createFrame({
    columns,
    meta: {
      vendor: 'BDF',
      format,
      kind: impedance ? 'impedance' : 'timeseries',
      warnings,
      ...(Number.isFinite(startUnix)
        ? { startTime: { unixS: startUnix, timeZone: 'UTC', assumed: false } }
        : {}),
    },
  });
}

function sourceOf(c: ColumnInput): { source?: string } {
  return c.source !== undefined ? { source: c.source } : {};
}
