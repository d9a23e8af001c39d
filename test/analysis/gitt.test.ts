import { describe, expect, it } from 'vitest';
import { gitt, weppnerHugginsD } from '../../src/analysis/gitt/gitt.js';
import { gittSeries, slabSurfaceResponse, syntheticFrame } from '../helpers/synthetic-cell.js';

const base = {
  diffusionM2PerS: 1e-14,
  lengthM: 10e-6,
  pulses: 8,
  pulseS: 300,
  restS: 10800,
  currentA: -0.1,
  deltaEsV: 0.01,
  resistanceOhm: 0.05,
  e0V: 4.0,
};

describe('Weppner-Huggins formula', () => {
  it('reproduces the worked example: τ = 600 s, r = 5 µm, ΔEs = 5 mV, ΔEτ = 20 mV → 3.684e-16 m²/s', () => {
    expect(weppnerHugginsD(600, 5e-6 / 3, 0.005, 0.02)).toBeCloseTo(3.684e-16, 19);
    // Validity: r²/D = 6.8e4 s ≫ 600 s.
    expect(5e-6 ** 2 / weppnerHugginsD(600, 5e-6 / 3, 0.005, 0.02)).toBeCloseTo(6.786e4, -2);
  });
  it('the slab solution used for the synthetic data joins its short-time form', () => {
    // At s = 0.02 the full series (200 terms) equals 2√(s/π) to 1e-12.
    const s = 0.02;
    let sum = 0;
    for (let n = 1; n <= 200; n++) sum += Math.exp(-n * n * Math.PI ** 2 * s) / (n * n);
    expect(s + 1 / 3 - (2 / Math.PI ** 2) * sum).toBeCloseTo(2 * Math.sqrt(s / Math.PI), 12);
    expect(slabSurfaceResponse(s)).toBeCloseTo(2 * Math.sqrt(s / Math.PI), 12);
    // Long times: s + 1/3 − (2/π²)·e^{−π² s} dominates.
    expect(slabSurfaceResponse(2)).toBeCloseTo(
      2 + 1 / 3 - (2 / Math.PI ** 2) * Math.exp(-2 * Math.PI ** 2),
      12,
    );
  });
});

describe('GITT on a film with a known D (exact slab diffusion, τ·D/L² = 0.03)', () => {
  const r = gitt(syntheticFrame(gittSeries(base)), { lengthM: 10e-6 });

  it('finds the 8 titration steps with their equilibrium voltages', () => {
    expect(r.pulses.length).toBe(8);
    r.pulses.forEach((p, k) => {
      expect(p.ocvBeforeV).toBeCloseTo(4 - 0.01 * k, 6);
      expect(p.ocvAfterV).toBeCloseTo(4 - 0.01 * (k + 1), 6);
      expect(p.deltaEsV).toBeCloseTo(-0.01, 6);
      expect(p.durationS).toBeCloseTo(300, 9);
    });
  });

  it('recovers D = 1e-14 m²/s within 0.5 % from the √t slope', () => {
    for (const p of r.pulses) {
      expect(p.linearInSqrtT).toBe(true);
      expect(p.sqrtR2).toBeGreaterThan(0.9999);
      expect(Math.abs(p.diffusionCoefficientM2PerS - 1e-14) / 1e-14).toBeLessThan(0.005);
      expect(p.diffusionRatePerS * 1e-10).toBeCloseTo(p.diffusionCoefficientM2PerS, 20);
      expect(p.validityRatio).toBeCloseTo(0.03, 3);
    }
  });

  it('removes the ohmic step: the √t intercept is 5 mV (I·R) from the OCV', () => {
    for (const p of r.pulses) expect(p.resistanceOhm).toBeCloseTo(0.05, 4);
  });

  it('the two-point ΔEτ (first to last pulse sample) misses √1 s of √300 s and overestimates D by (√300/(√300 − 1))²', () => {
    const factor = (Math.sqrt(300) / (Math.sqrt(300) - 1)) ** 2;
    for (const p of r.pulses)
      expect(p.diffusionCoefficientTwoPointM2PerS / p.diffusionCoefficientM2PerS).toBeCloseTo(factor, 3);
  });

  it('reports how relaxed the cell was at the end of each 3 h rest', () => {
    for (const p of r.pulses) {
      expect(p.relaxationS).toBeCloseTo(10800, 6);
      // e^{−π²·1.08}-level residual relaxation: well under 1 µV/s.
      expect(Math.abs(p.relaxationSlopeVPerS)).toBeLessThan(1e-8);
    }
  });

  it('with 0.2 mV noise D stays within 10 % (end-of-rest voltages from a line through the last 10 %)', () => {
    const noisy = gitt(syntheticFrame(gittSeries({ ...base, noiseV: 2e-4, seed: 7 })), { lengthM: 10e-6 });
    for (const p of noisy.pulses)
      expect(Math.abs(p.diffusionCoefficientM2PerS - 1e-14) / 1e-14).toBeLessThan(0.1);
  });

  it('without a length it still gives D/L²', () => {
    const noLength = gitt(syntheticFrame(gittSeries(base)));
    expect(noLength.lengthM).toBeNull();
    expect(Number.isNaN(noLength.pulses[0]!.diffusionCoefficientM2PerS)).toBe(true);
    expect(noLength.pulses[0]!.diffusionRatePerS).toBeCloseTo(1e-14 / 1e-10, 6);
  });
});

describe('GITT validity checks', () => {
  it('flags pulses far longer than L²/D: not linear in √t, validity ratio far from ≪ 1', () => {
    // D = 1e-12: L²/D = 100 s, so a 300 s pulse is in the finite-length (linear-in-t) regime.
    const r = gitt(syntheticFrame(gittSeries({ ...base, diffusionM2PerS: 1e-12, restS: 1800 })), {
      lengthM: 10e-6,
    });
    for (const p of r.pulses) {
      expect(p.linearInSqrtT).toBe(false);
      expect(p.validityRatio).toBeGreaterThan(0.5);
    }
  });
  it('rejects a non-positive length and data without a pulse between rests', () => {
    const frame = syntheticFrame(gittSeries(base));
    expect(() => gitt(frame, { lengthM: 0 })).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
    const flat = syntheticFrame({ timeS: [0, 1, 2, 3], voltageV: [3, 3, 3, 3], currentA: [0, 0, 0, 0] });
    expect(() => gitt(flat)).toThrow(expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }));
    const noRestAfter = syntheticFrame({
      timeS: [0, 1, 2, 3],
      voltageV: [3, 2.9, 2.9, 2.9],
      currentA: [0, -1, -1, -1],
    });
    expect(() => gitt(noRestAfter)).toThrow(expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }));
  });
});
