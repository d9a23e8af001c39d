import { DiscernError, type Frame } from '../../core/index.js';
import type { CycleSummaryRow } from '../cycles/cycle-summary.js';
import { halfCycle } from '../cycles/half-cycle.js';
import type { StepRecord } from '../cycles/steps.js';
import { increasingPairs, interpLinear, linspace } from '../numeric/interpolate.js';
import { kurtosis, linearFit, mean, median, skewness, variance } from '../numeric/stats.js';

/** Options of `earlyLifeFeatures` (BEEP DeltaQFastCharge hyperparameters). */
export interface EarlyLifeFeatureOptions {
  /** Position (1-based) of the early cycle of ΔQ(V); default 10. */
  initialCycle?: number;
  /** Position of the first cycle of the late slope window; default 91. */
  midCycle?: number;
  /** Position of the late cycle of ΔQ(V); default 100. */
  finalCycle?: number;
  /** Cycles whose median discharge capacity is the nominal capacity; default 40. */
  nominalCycles?: number;
  /** Voltage window of the ΔQ(V) grid (V); default: the overlap of the two discharges. */
  voltageRangeV?: readonly [number, number];
  /** Points of the voltage grid; default 1000. */
  gridPoints?: number;
}

/** The 21 features of BEEP's DeltaQFastCharge (Severson et al. 2019), keyed by BEEP's names. */
export type EarlyLifeFeatures = Record<string, number>;

/**
 * Early cycle-life prediction features after Severson et al., Nature Energy 4 (2019) 383, with
 * BEEP's definitions (`DeltaQFastCharge`): ΔQ(V) = Q_final(V) − Q_initial(V) of the discharge on
 * a uniform voltage grid and log10|min|, |mean|, |var|, |skew|, |kurtosis|, |first| of it; discharge
 * capacity at cycle 2 and 100 and their max difference; slopes and intercepts of discharge
 * capacity against cycle over cycles 2–100 and 91–100; summed ∫T dt; mean charge time of cycles
 * 2–6; min and max temperature; internal resistance at cycle 2, its minimum and change; and the
 * nominal capacity (median of the first 40 discharges). As in BEEP, cycles are taken by position in
 * the summary (the n-th row is "cycle n"), and the slope x axis is that 0-based position.
 * Variance is the population variance; skewness and kurtosis are the biased sample moments (scipy
 * defaults, kurtosis in excess of 3). ∫T dt is in degC·s (BEEP: degC·min); times in s.
 * @throws DISCERN_INSUFFICIENT_DATA when the summary has no more than `finalCycle` rows
 * @example earlyLifeFeatures(frame, steps, cycleOfRow, summary)['abs_variance_discharge_capacity_difference_cycles_2:100']
 */
export function earlyLifeFeatures(
  frame: Frame,
  steps: readonly StepRecord[],
  cycleOfRow: Int32Array,
  summary: readonly CycleSummaryRow[],
  options: EarlyLifeFeatureOptions = {},
): EarlyLifeFeatures {
  const iInit = (options.initialCycle ?? 10) - 1;
  const iMid = (options.midCycle ?? 91) - 1;
  const iFinal = (options.finalCycle ?? 100) - 1;
  if (!(summary.length > iFinal + 1) || iMid <= 9 || iFinal <= iMid)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      `early-life features need more than ${iFinal + 1} cycles (mid ${iMid + 1} > 10 and final > mid); the test has ${summary.length}`,
    );
  const qd = summary.map((r) => r.dischargeCapacityAh);
  const f: EarlyLifeFeatures = {};
  f['discharge_capacity_cycle_2'] = qd[1]!;
  let maxDiff = -Infinity;
  for (let k = 0; k <= iFinal; k++) maxDiff = Math.max(maxDiff, qd[k]! - qd[1]!);
  f['max_discharge_capacity_difference'] = maxDiff;
  f['discharge_capacity_cycle_100'] = qd[iFinal]!;
  let tt = 0;
  for (let k = 0; k <= iFinal; k++) {
    const v = summary[k]!.integratedTemperatureDegCS;
    if (Number.isFinite(v)) tt += v;
  }
  f['integrated_time_temperature_cycles_1:100'] = tt;
  f['charge_time_cycles_1:5'] = mean(summary.slice(1, 6).map((r) => r.chargeDurationS));

  const dq = deltaQ(frame, steps, cycleOfRow, summary[iInit]!.cycle, summary[iFinal]!.cycle, options);
  f['abs_min_discharge_capacity_difference_cycles_2:100'] = Math.log10(Math.abs(Math.min(...dq)));
  f['abs_mean_discharge_capacity_difference_cycles_2:100'] = Math.log10(Math.abs(mean(dq)));
  f['abs_variance_discharge_capacity_difference_cycles_2:100'] = Math.log10(Math.abs(variance(dq)));
  f['abs_skew_discharge_capacity_difference_cycles_2:100'] = Math.log10(Math.abs(skewness(dq)));
  f['abs_kurtosis_discharge_capacity_difference_cycles_2:100'] = Math.log10(Math.abs(kurtosis(dq)));
  f['abs_first_discharge_capacity_difference_cycles_2:100'] = Math.log10(Math.abs(dq[0]!));

  const late = summary.slice(1, iFinal + 1);
  f['max_temperature_cycles_1:100'] = Math.max(...late.map((r) => r.maxTemperatureDegC));
  f['min_temperature_cycles_1:100'] = Math.min(...late.map((r) => r.minTemperatureDegC));
  const x = late.map((_, k) => k + 1);
  const fit = linearFit(
    x,
    late.map((r) => r.dischargeCapacityAh),
  );
  f['slope_discharge_capacity_cycle_number_2:100'] = fit.slope;
  f['intercept_discharge_capacity_cycle_number_2:100'] = fit.intercept;
  const xs = [];
  for (let k = iMid; k <= iFinal; k++) xs.push(k);
  const fit2 = linearFit(
    xs,
    xs.map((k) => qd[k]!),
  );
  f['slope_discharge_capacity_cycle_number_91:100'] = fit2.slope;
  f['intercept_discharge_capacity_cycle_number_91:100'] = fit2.intercept;
  const ir = late.map((r) => (r.dcResistanceOhm === 0 ? NaN : r.dcResistanceOhm));
  const finite = ir.filter((v) => Number.isFinite(v));
  f['min_internal_resistance_cycles_2:100'] = finite.length > 0 ? Math.min(...finite) : NaN;
  f['internal_resistance_cycle_2'] = summary[1]!.dcResistanceOhm;
  f['internal_resistance_difference_cycles_2:100'] =
    summary[iFinal]!.dcResistanceOhm - summary[1]!.dcResistanceOhm;
  f['nominal_capacity_by_median'] = median(qd.slice(0, options.nominalCycles ?? 40));
  return f;
}

/**
 * ΔQ(V) = Q_late(V) − Q_early(V) of two discharges on a uniform voltage grid (Ah), ordered from
 * the highest voltage to the lowest (the direction of the discharge).
 */
export function deltaQ(
  frame: Frame,
  steps: readonly StepRecord[],
  cycleOfRow: Int32Array,
  earlyCycle: number,
  lateCycle: number,
  options: Pick<EarlyLifeFeatureOptions, 'voltageRangeV' | 'gridPoints'> = {},
): Float64Array {
  const a = halfCycle(frame, steps, cycleOfRow, earlyCycle, 'discharge');
  const b = halfCycle(frame, steps, cycleOfRow, lateCycle, 'discharge');
  const qa = increasingPairs(a.voltageV, a.capacityAh);
  const qb = increasingPairs(b.voltageV, b.capacityAh);
  const [lo, hi] = options.voltageRangeV ?? [
    Math.max(qa.x[0]!, qb.x[0]!),
    Math.min(qa.x[qa.x.length - 1]!, qb.x[qb.x.length - 1]!),
  ];
  if (!(hi > lo))
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'the two discharges share no voltage range');
  const grid = linspace(hi, lo, options.gridPoints ?? 1000);
  const out = new Float64Array(grid.length);
  for (let k = 0; k < grid.length; k++)
    out[k] = interpLinear(qb.x, qb.y, grid[k]!) - interpLinear(qa.x, qa.y, grid[k]!);
  return out;
}
