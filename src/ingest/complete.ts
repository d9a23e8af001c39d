import { floatColumn, withColumns, withWarnings, type DataWarning, type Frame } from '../core/index.js';
import { checkCycles, checkTime, checkVoltage, replaceSentinels } from './checks.js';
import { cumulativeFromReported, integrateSigned, perStepFromCumulative, stepCountOf } from './derive.js';

const PAIRS = [
  ['charge_capacity_Ah', 'step_charge_capacity_Ah', 'cumulative_charge_capacity_Ah', 'current_A', 1],
  [
    'discharge_capacity_Ah',
    'step_discharge_capacity_Ah',
    'cumulative_discharge_capacity_Ah',
    'current_A',
    -1,
  ],
  ['charge_energy_Wh', 'step_charge_energy_Wh', 'cumulative_charge_energy_Wh', 'power_W', 1],
  ['discharge_energy_Wh', 'step_discharge_energy_Wh', 'cumulative_discharge_energy_Wh', 'power_W', -1],
] as const;

/**
 * The common tail of every reader: sentinel values to NaN, a step counter, per-step and cumulative
 * capacities and energies (from the instrument's reported values, or by integrating current and
 * power when it reports none), and the ingest checks as warnings.
 */
export function completeFrame(frame: Frame): Frame {
  if (frame.length === 0) return frame;
  const warnings: DataWarning[] = [];
  const sentinels = replaceSentinels(frame);
  let f = Object.keys(sentinels.columns).length > 0 ? withColumns(frame, sentinels.columns) : frame;
  warnings.push(...sentinels.warnings);

  if (f.meta.kind === 'timeseries' && floatColumn(f, 'test_time_s') !== undefined) {
    const extra: Record<string, Float64Array | Int32Array> = {};
    const stepCount = stepCountOf(f);
    if (f.columns['step_count'] === undefined) extra['step_count'] = stepCount;
    const time = floatColumn(f, 'test_time_s')!;
    const current = floatColumn(f, 'current_A');
    const voltage = floatColumn(f, 'voltage_V');
    let power = floatColumn(f, 'power_W');
    if (power === undefined && current !== undefined && voltage !== undefined) {
      power = new Float64Array(f.length);
      for (let i = 0; i < f.length; i++) power[i] = current[i]! * voltage[i]!;
    }
    let integrated = false;
    for (const [reported, step, cumulative, rate, sign] of PAIRS) {
      if (f.columns[cumulative] !== undefined && f.columns[step] !== undefined) continue;
      let cum = floatColumn(f, cumulative);
      if (cum === undefined) {
        const rep = floatColumn(f, reported);
        if (rep !== undefined) cum = cumulativeFromReported(rep);
        else {
          const r = rate === 'current_A' ? current : power;
          if (r === undefined) continue;
          cum = integrateSigned(time, r, sign);
          integrated = true;
        }
        extra[cumulative] = cum;
      }
      if (f.columns[step] === undefined) extra[step] = perStepFromCumulative(cum, stepCount);
    }
    if (integrated) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message:
          'the file reports no capacity or energy for some channels; they were integrated from current and voltage',
      });
    }
    if (Object.keys(extra).length > 0) f = withColumns(f, extra);
  }
  warnings.push(...checkTime(f), ...checkVoltage(f), ...checkCycles(f));
  return withWarnings(f, dedupe(f.meta.warnings, warnings));
}

function dedupe(existing: readonly DataWarning[], added: DataWarning[]): DataWarning[] {
  const have = new Set(existing.map((w) => `${w.code}|${w.channel ?? ''}`));
  return added.filter((w) => !have.has(`${w.code}|${w.channel ?? ''}`));
}
