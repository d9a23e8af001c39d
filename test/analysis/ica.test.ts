import { describe, expect, it } from 'vitest';
import {
  curvePeaks,
  cycleNumbers,
  detectSteps,
  dqdv,
  dvdq,
  icaCurve,
  leanDifferentiate,
  trackPeaks,
} from '../../src/analysis/index.js';
import { median } from '../../src/analysis/numeric/index.js';
import { isDiscernError } from '../../src/core/index.js';
import { buildFrame } from './synthetic.js';

// Two plateaus: Q(V) = Σ Q_i / (1 + exp(-(V - V_i)/w_i)), so dQ/dV has peaks at V_i of height
// Q_i/(4 w_i) and area Q_i.
const PEAKS = [
  { v: 3.45, q: 0.6, w: 0.01 },
  { v: 3.7, q: 0.4, w: 0.015 },
];
const qOfV = (v: number, shift = 0): number =>
  PEAKS.reduce((a, p) => a + p.q / (1 + Math.exp(-(v - p.v - shift) / p.w)), 0);

/** A constant-current charge sampled uniformly in capacity: (capacity, voltage) with V from Q(V). */
function ccCharge(n: number, shift = 0, adcV = 0): { q: Float64Array; v: Float64Array } {
  const vs: number[] = [];
  const qs: number[] = [];
  for (let k = 0; k <= 200000; k++) {
    const v = 3.2 + (1.0 * k) / 200000;
    vs.push(v);
    qs.push(qOfV(v, shift));
  }
  const q = new Float64Array(n);
  const v = new Float64Array(n);
  let j = 0;
  const q0 = qs[0]!;
  const q1 = qs[qs.length - 1]!;
  for (let k = 0; k < n; k++) {
    q[k] = q0 + ((q1 - q0) * k) / (n - 1);
    while (j < qs.length - 2 && qs[j + 1]! < q[k]!) j++;
    const f = (q[k]! - qs[j]!) / (qs[j + 1]! - qs[j]!);
    v[k] = vs[j]! + f * (vs[j + 1]! - vs[j]!);
    if (adcV > 0) v[k] = Math.round(v[k]! / adcV) * adcV;
    q[k] = q[k]! - q0;
  }
  return { q, v };
}

describe('LEAN differentiation (PyProBE test vector)', () => {
  // x = linspace(0, 1, 10000), y a staircase of 200 levels from 0 to 2, 50 samples per level:
  // median dy/dx ≈ 2 and dx/dy ≈ 0.5 (rtol 0.1), also on reversed data.
  const x = Array.from({ length: 10000 }, (_, i) => i / 9999);
  const y = x.map((_, i) => (Math.floor(i / 50) * 2) / 199);
  it('forward', () => {
    const r = leanDifferentiate(x, y);
    expect(median(r.dydx)).toBeGreaterThan(1.8);
    expect(median(r.dydx)).toBeLessThan(2.2);
    expect(median(r.dxdy)).toBeGreaterThan(0.45);
    expect(median(r.dxdy)).toBeLessThan(0.55);
  });
  it('reversed', () => {
    const r = leanDifferentiate([...x].reverse(), [...y].reverse());
    expect(Math.abs(median(r.dydx))).toBeGreaterThan(1.8);
    expect(Math.abs(median(r.dydx))).toBeLessThan(2.2);
  });
  it('rejects non-uniform x', () => {
    let err: unknown;
    try {
      leanDifferentiate(
        x.map((t) => t * t),
        y,
      );
    } catch (e) {
      err = e;
    }
    expect(isDiscernError(err, 'DISCERN_BAD_ARGUMENT')).toBe(true);
  });
});

describe('dQ/dV with known peaks', () => {
  const { q, v } = ccCharge(4000);
  it('interpolation method: peak positions, heights and areas', () => {
    const peaks = curvePeaks(dqdv(q, v, { fwhm: 0 }));
    expect(peaks).toHaveLength(2);
    PEAKS.forEach((p, k) => {
      expect(Math.abs(peaks[k]!.position - p.v)).toBeLessThan(0.002);
      expect(peaks[k]!.height / (p.q / (4 * p.w))).toBeCloseTo(1, 1);
      expect(peaks[k]!.area / p.q).toBeCloseTo(1, 1);
      // FWHM of the logistic derivative: 2 ln(3 + 2√2) w = 3.525 w.
      expect(peaks[k]!.width / (3.525 * p.w)).toBeCloseTo(1, 1);
    });
  });
  it('Gaussian smoothing keeps the area and lowers the peak', () => {
    const raw = curvePeaks(dqdv(q, v, { fwhm: 0 }));
    const smooth = curvePeaks(dqdv(q, v, { fwhm: 0.02 }));
    expect(smooth[0]!.height).toBeLessThan(raw[0]!.height);
    expect(smooth[0]!.area / 0.6).toBeCloseTo(1, 1);
    expect(Math.abs(smooth[0]!.position - 3.45)).toBeLessThan(0.002);
  });
  it('Savitzky-Golay smoothing options run and keep the peaks', () => {
    const p = curvePeaks(dqdv(q, v, { preSmoothing: true, diffSmoothing: true }));
    expect(p.map((x) => Math.round(x.position * 100) / 100)).toEqual([3.45, 3.7]);
  });
  it('area normalisation gives unit area', () => {
    const c = dqdv(q, v, { normalize: 'area' });
    let a = 0;
    for (let k = 0; k < c.y.length; k++) a += c.y[k]! * 0.001;
    expect(a).toBeCloseTo(1, 9);
  });
  it('LEAN on a 1 mV ADC finds the same peaks', () => {
    const d = ccCharge(4000, 0, 0.001);
    const r = leanDifferentiate(d.q, d.v, { k: 2 });
    const peaks = curvePeaks({ x: r.y, y: r.dxdy });
    expect(peaks).toHaveLength(2);
    expect(Math.abs(peaks[0]!.position - 3.45)).toBeLessThan(0.005);
    expect(Math.abs(peaks[1]!.position - 3.7)).toBeLessThan(0.005);
  });
  it('dV/dQ of V = 3 + 0.5Q + 0.1Q² is 0.5 + 0.2Q', () => {
    const qq = Array.from({ length: 101 }, (_, k) => k / 50);
    const c = dvdq(
      qq,
      qq.map((x) => 3 + 0.5 * x + 0.1 * x * x),
    );
    for (let k = 0; k < c.x.length; k++) expect(c.y[k]).toBeCloseTo(0.5 + 0.2 * c.x[k]!, 9);
  });
});

describe('peak tracking across cycles and icaCurve on a frame', () => {
  it('follows two peaks as the first shifts by +10 mV per cycle', () => {
    const series = [0, 1, 2].map((k) => {
      const { q, v } = ccCharge(3000, 0.01 * k);
      return { cycle: 1 + 50 * k, peaks: curvePeaks(dqdv(q, v)) };
    });
    const tracks = trackPeaks(series);
    expect(tracks).toHaveLength(2);
    expect(tracks[0]!.points.map((p) => p.cycle)).toEqual([1, 51, 101]);
    const shift = tracks[0]!.points[2]!.position - tracks[0]!.points[0]!.position;
    expect(shift).toBeCloseTo(0.02, 2);
  });

  it('icaCurve picks the CC charge of a cycle (CV tail and rest left out)', () => {
    const { q, v } = ccCharge(721);
    // 1 A CC charge, 1 Ah over 3600 s sampled every 5 s, then a CV hold and a rest.
    const qTotal = q[q.length - 1]!;
    const f = buildFrame([
      {
        durationS: 3600,
        dtS: 5,
        current: () => qTotal,
        voltage: (t) => v[Math.round(t / 5)]!,
      },
      { durationS: 600, dtS: 5, current: (t) => qTotal * Math.exp(-t / 100), voltage: () => v[720]! },
      { durationS: 300, dtS: 5, current: () => 0, voltage: () => 3.9 },
    ]);
    const steps = detectSteps(f);
    expect(steps.map((s) => s.kind)).toEqual(['cc_charge', 'cv_charge', 'rest']);
    const c = icaCurve(f, steps, cycleNumbers(f, steps), 1, { fwhm: 0.005 });
    const p = curvePeaks(c);
    expect(p.map((x) => Math.round(x.position * 100) / 100)).toEqual([3.45, 3.7]);
    expect(p[0]!.area / 0.6).toBeCloseTo(1, 1);
    const lean = curvePeaks(icaCurve(f, steps, cycleNumbers(f, steps), 1, { method: 'lean' }));
    expect(lean.length).toBeGreaterThanOrEqual(2);
  });
});
