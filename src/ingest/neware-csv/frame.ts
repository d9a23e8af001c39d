import {
  DiscernError,
  createFrame,
  type CategoryColumn,
  type ColumnInput,
  type DataWarning,
  type Frame,
} from '../../core/index.js';
import { signCurrentFromStepType, stepTypeDirection } from '../bdf/step-type.js';
import { tableColumns, type TableResult } from '../bdf/table.js';
import type { ReadOptions } from '../types.js';
import type { NewarePlan } from './columns.js';

/**
 * Checks that a BTSDA header has voltage, current and a time (total time or date).
 * @throws DISCERN_MISSING_COLUMN with the header line.
 */
export function requireNewareColumns(plans: readonly NewarePlan[], file: string, line: number): void {
  const have = new Set(plans.map((p) => p.channel));
  const missing = ['voltage_V', 'current_A'].filter((c) => !have.has(c));
  if (!have.has('test_time_s') && !have.has('unix_time_s')) missing.push('test_time_s');
  if (missing.length > 0) {
    throw new DiscernError('DISCERN_MISSING_COLUMN', `no ${missing.join(', ')} column in the BTSDA header`, {
      file,
      line,
      column: missing[0]!,
    });
  }
}

/** "CC Chg" -> "CC_Chg", so CSV exports name steps as the .nda/.ndax files do. */
function underscoreLevels(c: CategoryColumn): CategoryColumn {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const remap = c.levels.map((l) => {
    const name = l.trim().replace(/\s+/g, '_');
    let k = index.get(name);
    if (k === undefined) {
      k = levels.length;
      levels.push(name);
      index.set(name, k);
    }
    return k;
  });
  const codes = c.codes.map((x) => (x < 0 ? -1 : remap[x]!));
  return { codes, levels };
}

/** Splits BTSDA's unsigned per-step capacity or energy into charge and discharge parts. */
function splitByDirection(
  values: Float64Array,
  stepType: CategoryColumn | undefined,
  current: Float64Array,
): [Float64Array, Float64Array] {
  const dirs = stepType?.levels.map(stepTypeDirection);
  const charge = new Float64Array(values.length);
  const discharge = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const code = stepType !== undefined ? stepType.codes[i]! : -1;
    let d = code >= 0 ? dirs![code] : undefined;
    if (d === undefined) d = current[i]! > 0 ? 1 : current[i]! < 0 ? -1 : 0;
    const q = Math.abs(values[i]!);
    if (d === 1) charge[i] = q;
    else if (d === -1) discharge[i] = q;
    if (Number.isNaN(q)) charge[i] = discharge[i] = NaN;
  }
  return [charge, discharge];
}

/**
 * The common tail of both BTSDA layouts: Frame columns from the parsed table (plus `extra`
 * columns such as the nested export's cycle and step), step types as in the binary files, an
 * unsigned current signed from the step type, per-step capacity and energy split by direction,
 * start time read in `options.timeZone`.
 */
export function newareFrame(
  file: string,
  plans: readonly NewarePlan[],
  table: TableResult,
  extra: Record<string, ColumnInput>,
  warnings: DataWarning[],
  options: ReadOptions,
  layout: 'record' | 'nested',
): Frame {
  const channelPlans = plans.filter((p) => p.role === 'channel');
  const built = tableColumns(table, channelPlans, file);
  warnings.push(...built.warnings);
  const columns: Record<string, ColumnInput> = { ...extra, ...built.columns };

  const st = columns['step_type'];
  if (st !== undefined && 'codes' in st.values)
    columns['step_type'] = { ...st, values: underscoreLevels(st.values) };
  const stepType = columns['step_type']?.values as CategoryColumn | undefined;

  const current = columns['current_A']!;
  if (stepType !== undefined && current.values instanceof Float64Array) {
    const signed = signCurrentFromStepType(current.values, stepType);
    if (signed.values !== current.values) {
      columns['current_A'] = { ...current, values: signed.values };
      warnings.push(...signed.warnings);
      const power = columns['power_W'];
      if (power?.values instanceof Float64Array) {
        columns['power_W'] = {
          ...power,
          values: signCurrentFromStepType(power.values, stepType, 'power_W').values,
        };
      }
    }
  }
  const signedCurrent = columns['current_A']!.values as Float64Array;

  for (const role of ['capacity', 'energy'] as const) {
    const p = plans.find((x) => x.role === role);
    const [chg, dchg] =
      role === 'capacity'
        ? ['charge_capacity_Ah', 'discharge_capacity_Ah']
        : ['charge_energy_Wh', 'discharge_energy_Wh'];
    if (p === undefined || columns[chg!] !== undefined || columns[dchg!] !== undefined) continue;
    const v = table.values.get(p.channel);
    if (!(v instanceof Float64Array)) continue;
    const [c, d] = splitByDirection(v, stepType, signedCurrent);
    columns[chg!] = { values: c, unit: p.unit, source: `${p.label} (charge steps)` };
    columns[dchg!] = { values: d, unit: p.unit, source: `${p.label} (discharge steps)` };
  }

  const unix = columns['unix_time_s']?.values;
  if (columns['test_time_s'] === undefined && unix instanceof Float64Array) {
    const t0 = unix[0]!;
    columns['test_time_s'] = { values: unix.map((u) => u - t0), unit: 's', source: 'Date - first Date' };
    warnings.push({
      code: 'DISCERN_NOTE',
      message: 'no total-time column; test time is the date minus the first date',
    });
  }
  let startTime;
  if (unix instanceof Float64Array && Number.isFinite(unix[0]!)) {
    const timeZone = options.timeZone ?? 'UTC';
    startTime = { unixS: unix[0]!, timeZone, assumed: options.timeZone === undefined };
    if (options.timeZone === undefined && table.naiveDates) {
      warnings.push({
        code: 'DISCERN_TZ_ASSUMED',
        message: 'BTSDA dates are local times and no time zone was given; read as UTC',
      });
    }
  }
  const unknown = plans.filter((p) => p.unknown === true);
  if (unknown.length > 0) {
    warnings.push({
      code: 'DISCERN_COLUMN_IGNORED',
      message: `kept as auxiliary: ${unknown.map((p) => `"${p.label}" -> ${p.channel}`).join(', ')}`,
      count: unknown.length,
    });
  }
  return createFrame({
    columns,
    meta: {
      vendor: 'Neware',
      format: 'neware-csv',
      instrument: 'Neware BTS (BTSDA export)',
      header: { layout },
      warnings,
      ...(startTime !== undefined ? { startTime } : {}),
    },
  });
}
