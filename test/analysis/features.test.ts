import { describe, expect, it } from 'vitest';
import {
  cycleNumbers,
  cycleSummary,
  deltaQ,
  detectSteps,
  earlyLifeFeatures,
} from '../../src/analysis/index.js';
import { isDiscernError } from '../../src/core/index.js';
import { buildFrame, cc, rest, type Segment } from './synthetic.js';

// 105 cycles whose discharge capacity fades linearly, Q_n = 1.1 − 5e-4 (n − 1) Ah, with a linear
// discharge curve V = 4.0 − (q/Q_n) V, so Q_n(V) = Q_n (4 − V) and ΔQ(V) = (Q_100 − Q_10)(4 − V).
const Q = (n: number): number => 1.1 - 5e-4 * (n - 1);
const segs: Segment[] = [];
for (let n = 1; n <= 105; n++) {
  segs.push(cc(1, Q(n) * 3600, 3.0, 4.0, Q(n) * 36, { cycle: n, temperature: () => 30 }));
  segs.push(rest(360, 4.0, 36, { cycle: n, temperature: () => 30 }));
  segs.push(cc(-1, Q(n) * 3600, 4.0, 3.0, Q(n) * 36, { cycle: n, temperature: () => 30 }));
}
const f = buildFrame(segs);
const steps = detectSteps(f);
const cyc = cycleNumbers(f, steps);
const summary = cycleSummary(f, { steps, cycles: cyc });
const feat = earlyLifeFeatures(f, steps, cyc, summary);

describe('earlyLifeFeatures (Severson 2019 / BEEP DeltaQFastCharge)', () => {
  const d = Q(100) - Q(10);
  it('ΔQ(V) on a 1000-point grid from 4.0 to 3.0 V', () => {
    const dq = deltaQ(f, steps, cyc, 10, 100);
    expect(dq).toHaveLength(1000);
    expect(dq[999]).toBeCloseTo(d, 9);
    expect(dq[500]).toBeCloseTo(d * (500 / 999), 9);
  });
  it('log10 |min|, |mean|, |variance|, |kurtosis| of ΔQ', () => {
    expect(feat['abs_min_discharge_capacity_difference_cycles_2:100']).toBeCloseTo(
      Math.log10(Math.abs(d)),
      9,
    );
    expect(feat['abs_mean_discharge_capacity_difference_cycles_2:100']).toBeCloseTo(
      Math.log10(Math.abs(d / 2)),
      9,
    );
    // A 1000-point uniform grid on [0, 1] has variance (n+1)/(12(n−1)) and excess kurtosis −6(n²+1)/(5(n²−1)).
    const n = 1000;
    expect(feat['abs_variance_discharge_capacity_difference_cycles_2:100']).toBeCloseTo(
      Math.log10((d * d * (n + 1)) / (12 * (n - 1))),
      8,
    );
    expect(feat['abs_kurtosis_discharge_capacity_difference_cycles_2:100']).toBeCloseTo(
      Math.log10((6 * (n * n + 1)) / (5 * (n * n - 1))),
      8,
    );
  });
  it('capacity features: cycle 2, cycle 100, max difference, slopes, intercepts, nominal', () => {
    expect(feat['discharge_capacity_cycle_2']).toBeCloseTo(Q(2), 9);
    expect(feat['discharge_capacity_cycle_100']).toBeCloseTo(Q(100), 9);
    expect(feat['max_discharge_capacity_difference']).toBeCloseTo(Q(1) - Q(2), 9);
    // x is the 0-based position in the summary (BEEP), so the intercept is Q at position 0 = Q(1).
    expect(feat['slope_discharge_capacity_cycle_number_2:100']).toBeCloseTo(-5e-4, 9);
    expect(feat['intercept_discharge_capacity_cycle_number_2:100']).toBeCloseTo(1.1, 9);
    expect(feat['slope_discharge_capacity_cycle_number_91:100']).toBeCloseTo(-5e-4, 9);
    expect(feat['intercept_discharge_capacity_cycle_number_91:100']).toBeCloseTo(1.1, 9);
    expect(feat['nominal_capacity_by_median']).toBeCloseTo(0.5 * (Q(20) + Q(21)), 9);
  });
  it('charge time, temperatures and time-temperature integral', () => {
    expect(feat['charge_time_cycles_1:5']).toBeCloseTo((3600 * (Q(2) + Q(3) + Q(4) + Q(5) + Q(6))) / 5, 6);
    expect(feat['max_temperature_cycles_1:100']).toBe(30);
    expect(feat['min_temperature_cycles_1:100']).toBe(30);
    // ∫T dt over cycles 1..100: 30 degC × each cycle's duration (the first row of a cycle starts it).
    const total = summary.slice(0, 100).reduce((a, r) => a + 30 * r.durationS, 0);
    expect(feat['integrated_time_temperature_cycles_1:100']).toBeCloseTo(total, 6);
  });
  it('resistance features are NaN without a resistance channel', () => {
    expect(feat['internal_resistance_cycle_2']).toBeNaN();
    expect(feat['min_internal_resistance_cycles_2:100']).toBeNaN();
  });
  it('needs more than 100 cycles', () => {
    let err: unknown;
    try {
      earlyLifeFeatures(f, steps, cyc, summary.slice(0, 100));
    } catch (e) {
      err = e;
    }
    expect(isDiscernError(err, 'DISCERN_INSUFFICIENT_DATA')).toBe(true);
  });
});
