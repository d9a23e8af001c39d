import { describe, expect, it } from 'vitest';
import { capacityFade, endOfLife, kneePoint, type CycleSummaryRow } from '../../src/analysis/index.js';
import { isDiscernError } from '../../src/core/index.js';
import { gaussian } from './synthetic.js';

/** Summary rows with the given discharge capacity (and equal charge) and discharge current. */
function rows(caps: readonly number[], current: (c: number) => number = () => 1): CycleSummaryRow[] {
  return caps.map(
    (q, k) =>
      ({
        cycle: k + 1,
        chargeCapacityAh: q,
        dischargeCapacityAh: q,
        meanDischargeCurrentA: current(k + 1),
      }) as CycleSummaryRow,
  );
}

describe('capacityFade', () => {
  it('linear fade: exact retention, fade rate, throughput and equivalent full cycles', () => {
    const caps = Array.from({ length: 200 }, (_, k) => 2 * (1 - 0.0002 * k));
    const r = capacityFade(rows(caps), { ratedCapacityAh: 2.5 });
    expect(r.referenceCapacityAh).toBe(2);
    expect(r.fadeRatePerCycle).toBeCloseTo(0.0002, 12);
    expect(r.recentFadeRatePerCycle).toBeCloseTo(0.0002, 12);
    expect(r.points[99]!.retention).toBeCloseTo(1 - 0.0002 * 99, 12);
    expect(r.points[99]!.soh).toBeCloseTo((2 * (1 - 0.0002 * 99)) / 2.5, 12);
    // Throughput after n cycles: 2 × Σ q_k; EFC = throughput / (2 × 2.5 Ah).
    const through = 2 * caps.slice(0, 100).reduce((a, b) => a + b, 0);
    expect(r.points[99]!.throughputAh).toBeCloseTo(through, 9);
    expect(r.points[99]!.equivalentFullCycles).toBeCloseTo(through / 5, 9);
    // Retention per EFC: dEFC/dcycle ≈ 2q/5, so the per-EFC rate is the per-cycle rate × 5/(2q) on average.
    expect(r.fadeRatePerEfc).toBeGreaterThan(0.0002 * (5 / 4));
  });

  it('marks RPT cycles (other discharge rate) and partial cycles and keeps them out of the trend', () => {
    const caps = Array.from({ length: 300 }, (_, k) => 1 - 0.0005 * k);
    caps[99] = caps[99]! + 0.05; // RPT at C/5 gives more capacity
    caps[199] = caps[199]! + 0.05;
    caps[299] = caps[299]! + 0.05;
    caps[150] = 0.2; // an interrupted cycle
    const r = capacityFade(rows(caps, (c) => (c % 100 === 0 ? 0.2 : 1)));
    expect(r.points.filter((p) => p.role === 'rpt').map((p) => p.cycle)).toEqual([100, 200, 300]);
    expect(r.points.filter((p) => p.role === 'partial').map((p) => p.cycle)).toEqual([151]);
    expect(r.fadeRatePerCycle).toBeCloseTo(0.0005, 10);
    expect(
      capacityFade(rows(caps), { rptCycles: [100, 200, 300], rptCurrentTolerance: 0 }).fadeRatePerCycle,
    ).toBeCloseTo(0.0005, 10);
  });

  it('a test without capacity is an error', () => {
    let err: unknown;
    try {
      capacityFade(rows([0, 0]));
    } catch (e) {
      err = e;
    }
    expect(isDiscernError(err, 'DISCERN_INSUFFICIENT_DATA')).toBe(true);
  });
});

// Retention with a knee at cycle 600: slope -1e-4 per cycle before, -1.1e-3 after. It crosses
// 0.8 at c = (1.6 - 0.8)/0.0011 = 727.27.
const knee = (c: number): number => 1 - 1e-4 * c - (c > 600 ? 1e-3 * (c - 600) : 0);

describe('endOfLife', () => {
  const n = gaussian(42);
  const cycles = Array.from({ length: 900 }, (_, k) => k + 1);
  const ret = cycles.map((c) => knee(c) + 0.001 * n());
  ret[299] = 0.75; // one bad reading long before the end of life
  const eol = endOfLife(cycles, ret);
  it('is not fooled by a single low cycle; first of 5 consecutive cycles at or below 80 %', () => {
    expect(eol.cycle).toBeGreaterThanOrEqual(724);
    expect(eol.cycle).toBeLessThanOrEqual(731);
    expect(Math.abs(eol.interpolatedCycle! - 727.27)).toBeLessThan(4);
  });
  it('a single dip is end of life when consecutive = 1 (the naive rule)', () => {
    expect(endOfLife(cycles, ret, { consecutive: 1 }).cycle).toBe(300);
  });
  it('null when the threshold is never reached', () => {
    expect(endOfLife([1, 2, 3], [1, 0.99, 0.98])).toEqual({
      cycle: null,
      interpolatedCycle: null,
      threshold: 0.8,
    });
  });
  it('a short final run counts when it has half the cycles needed', () => {
    expect(endOfLife([1, 2, 3, 4], [0.9, 0.79, 0.78, 0.77]).cycle).toBe(2);
    expect(endOfLife([1, 2, 3, 4], [0.9, 0.85, 0.79, 0.78]).cycle).toBe(null);
  });
});

describe('kneePoint (Bacon-Watts)', () => {
  it('finds an exact knee at cycle 600', () => {
    const cycles = Array.from({ length: 800 }, (_, k) => k + 1);
    const r = kneePoint(cycles, cycles.map(knee));
    expect(r.kneeCycle).toBeCloseTo(600, 1);
    expect(r.single.sse).toBeLessThan(1e-12);
  });
  it('knee onset and knee of a three-slope curve (breaks at 400 and 600), with noise', () => {
    const n = gaussian(7);
    const f = (c: number): number =>
      1 - 1e-4 * c - (c > 400 ? 4e-4 * (c - 400) : 0) - (c > 600 ? 1.5e-3 * (c - 600) : 0);
    const cycles = Array.from({ length: 750 }, (_, k) => k + 1);
    const r = kneePoint(
      cycles,
      cycles.map((c) => f(c) + 0.0005 * n()),
    );
    expect(Math.abs(r.kneeOnsetCycle - 400)).toBeLessThan(25);
    expect(Math.abs(r.double.breakpoints[1]! - 600)).toBeLessThan(10);
    expect(r.kneeOnsetCycle).toBeLessThan(r.kneeCycle);
  });
  it('needs at least 8 points', () => {
    expect(() => kneePoint([1, 2, 3], [1, 1, 1])).toThrow();
  });
});
