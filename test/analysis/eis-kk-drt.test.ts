import { describe, expect, it } from 'vitest';
import { circuitImpedance } from '../../src/analysis/eis/circuit.js';
import { drt } from '../../src/analysis/eis/drt.js';
import { linKK, linKKMu, linKKTimeConstants } from '../../src/analysis/eis/lin-kk.js';
import { impedanceSpectra, type ImpedanceSpectrum } from '../../src/analysis/eis/spectrum.js';
import { seededRandom } from '../../src/analysis/fit/random.js';
import { readSource } from '../../src/ingest/index.js';
import { fixtureFile, haveFixtures } from '../helpers/fixtures.js';

function spectrum(circuit: string, p: number[], f: Float64Array, sigmaOhm = 0, seed = 1): ImpedanceSpectrum {
  const z = circuitImpedance(circuit, p, f);
  const rng = seededRandom(seed);
  return {
    frequencyHz: f,
    zReal: z.re.map((v) => v + sigmaOhm * rng.normal()),
    zImag: z.im.map((v) => v + sigmaOhm * rng.normal()),
  };
}

/** 10 points per decade from 1e6 Hz down to 1e-2 Hz (81 points), as pyDRTtools' tutorial data. */
const TUTORIAL_F = Float64Array.from({ length: 81 }, (_, k) => Math.pow(10, 6 - k / 10));

/** Exact DRT of a ZARC R/(1 + (jωτ0)^φ), per unit ln τ. */
function zarcGamma(r: number, tau0: number, phi: number, tau: number): number {
  return (
    ((r / (2 * Math.PI)) * Math.sin(phi * Math.PI)) /
    (Math.cosh(phi * Math.log(tau / tau0)) + Math.cos(phi * Math.PI))
  );
}

describe('lin-KK pieces (impedance.py test_validation)', () => {
  it('places the time constants: f = [1000, 100, 10, 1, 0.1]/(2π), M = 3 gives [0.001, 0.1, 10]', () => {
    const ts = linKKTimeConstants(
      [1000, 100, 10, 1, 0.1].map((w) => w / (2 * Math.PI)),
      3,
    );
    expect(ts[0]).toBeCloseTo(0.001, 15);
    expect(ts[1]).toBeCloseTo(0.1, 14);
    expect(ts[2]).toBeCloseTo(10, 12);
  });
  it('computes mu: [1, 2, 3, -3, -2, -1] → 0, [-1, 2, 4, -3, 4, -1] → 0.5', () => {
    expect(linKKMu([1, 2, 3, -3, -2, -1])).toBe(0);
    expect(linKKMu([-1, 2, 4, -3, 4, -1])).toBe(0.5);
  });
});

describe('lin-KK on synthetic spectra', () => {
  const f = Float64Array.from({ length: 50 }, (_, k) => 1e5 * Math.pow(1e-7, k / 49));
  const twoArcs = (): ImpedanceSpectrum =>
    spectrum('L0-R0-p(R1,CPE1)-p(R2,CPE2)', [1e-7, 0.02, 0.03, 0.5, 0.8, 0.05, 10, 0.7], f);
  const worst = (r: ReturnType<typeof linKK>): number =>
    Math.max(...Array.from(r.residualsReal, Math.abs), ...Array.from(r.residualsImag, Math.abs));

  it('passes a KK-compliant spectrum with residuals below 0.1 %', () => {
    const kk = linKK(twoArcs(), { c: 0.85 });
    expect(worst(kk)).toBeLessThan(1e-3);
    expect(kk.inductanceH).toBeGreaterThan(0);
  });
  it('flags a spectrum whose low frequencies drifted (not KK-compliant)', () => {
    const s = twoArcs();
    // A drift during the sweep: the real part grows with measurement time (the low frequencies).
    const drifted = { ...s, zReal: s.zReal.map((v, k) => v * (1 + 0.05 * (k / 49) ** 3)) };
    expect(worst(linKK(drifted))).toBeGreaterThan(0.01);
  });
  it('stops underfitted on a single sharp arc unless told to start at a larger M (impedance.py pitfall)', () => {
    const s = spectrum('R0-p(R1,C1)', [0.02, 0.05, 0.1], f);
    // impedance.py's loop from M = 1 meets μ ≤ 0.85 at M = 4 with negative R_k and 49 % residuals
    // (its algorithm, re-run in numpy, gives M = 4, μ = 0.65581067159729).
    const early = linKK(s);
    expect(early.M).toBe(4);
    expect(early.mu).toBeCloseTo(0.65581067159729, 9);
    expect(worst(early)).toBeGreaterThan(0.4);
    const late = linKK(s, { minM: 20, c: 0.5 });
    expect(worst(late)).toBeLessThan(1e-3);
  });
  it('fits exactly maxM elements when c is null, with all three fit types', () => {
    const s = spectrum('R0-p(R1,C1)', [0.02, 0.05, 0.1], f);
    for (const fitType of ['real', 'imag', 'complex'] as const) {
      const kk = linKK(s, { c: null, maxM: 7, fitType, addCapacitance: fitType === 'complex' });
      expect(kk.M).toBe(7);
      expect(kk.resistancesOhm.length).toBe(7);
      expect(Math.max(...Array.from(kk.residualsReal, Math.abs))).toBeLessThan(0.02);
    }
  });
  it('rejects fewer than 3 points and bad options', () => {
    const tiny = {
      frequencyHz: Float64Array.of(1, 2),
      zReal: Float64Array.of(1, 1),
      zImag: Float64Array.of(-1, -1),
    };
    expect(() => linKK(tiny)).toThrow(expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }));
    const s = spectrum('R0-p(R1,C1)', [0.02, 0.05, 0.1], f);
    expect(() => linKK(s, { maxM: 0 })).toThrow(expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }));
  });
});

describe.skipIf(!haveFixtures)("lin-KK on exampleData.csv matches impedance.py's algorithm", () => {
  it('gives M = 22 and mu = 0.83064262909 with c = 0.85 (real fit)', () => {
    // Reference: impedance.py's linKK ('real' fit, pinv) re-run in numpy on the same 66 points:
    // M = 22, mu = 0.83064262909327, largest |imaginary residual| 0.22797.
    const s = impedanceSpectra(readSource(fixtureFile('impedance.py/exampleData.csv')))[0]!;
    const kk = linKK(s);
    expect(kk.M).toBe(22);
    expect(kk.mu).toBeCloseTo(0.83064262909327, 9);
    expect(Math.max(...Array.from(kk.residualsImag, Math.abs))).toBeCloseTo(0.22797, 4);
  });
});

describe('DRT: the ZARC check of the research notes', () => {
  it('recovers the exact DRT of a noise-free ZARC (R = 50 Ω, φ = 0.8, τ0 = 0.1 s, R∞ = 10 Ω)', () => {
    const s = spectrum('R0-Zarc1', [10, 50, 0.1, 0.8], TUTORIAL_F);
    const r = drt(s);
    // Without noise GCV keeps falling to the lower end of [1e-10, 10]: no minimum, so the result
    // says so and uses the fallback λ = 1e-7 (pyDRTtools' lower end) rather than 1e-10.
    expect(r.lambdaAtBound).toBe(true);
    expect(r.lambdaSource).toBe('fallback');
    expect(r.lambda).toBe(1e-7);
    expect(r.warnings).toHaveLength(1);
    expect(r.gcv.score[0]).toBe(Math.min(...Array.from(r.gcv.score)));
    // Peak (R/2π)·tan(φπ/2) = 24.4914 Ω at τ0; area 50 Ω; R∞ 10 Ω.
    const peak = r.peaks.reduce((a, b) => (b.gammaOhm > a.gammaOhm ? b : a));
    expect(zarcGamma(50, 0.1, 0.8, 0.1)).toBeCloseTo(24.4914, 4);
    expect(Math.abs(peak.gammaOhm - 24.4914) / 24.4914).toBeLessThan(0.03);
    expect(Math.abs(Math.log10(peak.tauS / 0.1))).toBeLessThan(0.02);
    expect(r.polarizationOhm).toBeCloseTo(50, 0);
    expect(r.rInfOhm).toBeCloseTo(10, 1);
    // γ follows the exact curve within 3 % of the peak over τ0·10^±1.5.
    for (let k = 0; k < r.tauS.length; k++) {
      const t = r.tauS[k]!;
      if (Math.abs(Math.log10(t / 0.1)) > 1.5) continue;
      expect(Math.abs(r.gammaOhm[k]! - zarcGamma(50, 0.1, 0.8, t))).toBeLessThan(0.03 * 24.4914);
    }
    // The DRT reproduces Z(1 Hz) = R∞ + 31.896502 − 17.242757j.
    const k1 = Array.from(TUTORIAL_F).findIndex((v) => Math.abs(v - 1) < 1e-12);
    expect(r.zFitReal[k1]! - 10).toBeCloseTo(31.896502, 2);
    expect(r.zFitImag[k1]).toBeCloseTo(-17.242757, 2);
  });

  it('separates two ZARCs under 0.5 Ω noise (pyDRTtools tutorial: τ = 0.1 s and 1e-4 s)', () => {
    const s = spectrum('R0-Zarc1-Zarc2', [10, 50, 0.1, 0.8, 50, 1e-4, 0.8], TUTORIAL_F, 0.5, 11);
    const r = drt(s);
    const big = r.peaks.filter((p) => p.gammaOhm > 5).sort((a, b) => a.tauS - b.tauS);
    expect(big.length).toBe(2);
    expect(Math.abs(Math.log10(big[0]!.tauS / 1e-4))).toBeLessThan(0.1);
    expect(Math.abs(Math.log10(big[1]!.tauS / 0.1))).toBeLessThan(0.1);
    // Regularisation lowers and widens noisy peaks: heights within 25 %, total area within 3 %.
    for (const p of big) expect(Math.abs(p.gammaOhm - 24.4914) / 24.4914).toBeLessThan(0.25);
    expect(Math.abs(r.polarizationOhm - 100) / 100).toBeLessThan(0.03);
    expect(r.lambdaSource).toBe('gcv');
    expect(r.lambdaAtBound).toBe(false);
    expect(r.warnings).toEqual([]);
    // The GCV minimum is inside the searched range [1e-10, 10], away from both ends.
    expect(r.gcv.lambda[0]).toBeCloseTo(1e-10, 20);
    expect(r.gcv.lambda[r.gcv.lambda.length - 1]).toBeCloseTo(10, 9);
    expect(r.lambda).toBeGreaterThan(1e-7);
    expect(r.lambda).toBeLessThan(1);
    expect(Math.min(...Array.from(r.gcv.score))).toBeGreaterThan(0);
  });

  it('flags a GCV minimum at either end of a narrowed range', () => {
    const s = spectrum('R0-Zarc1-Zarc2', [10, 50, 0.1, 0.8, 50, 1e-4, 0.8], TUTORIAL_F, 0.5, 11);
    // GCV's minimum (λ ≈ 5e-3 in the full range) lies above [1e-8, 1e-4]: the upper end is used.
    const up = drt(s, { lambdaRange: [1e-8, 1e-4] });
    expect(up.lambdaAtBound).toBe(true);
    expect(up.lambdaSource).toBe('gcv');
    expect(up.lambda).toBe(1e-4);
    expect(up.warnings[0]).toMatch(/upper end/);
    // ... and below [0.1, 10]: the fallback is kept inside the range, so λ = 0.1.
    const down = drt(s, { lambdaRange: [0.1, 10] });
    expect(down.lambdaAtBound).toBe(true);
    expect(down.lambdaSource).toBe('fallback');
    expect(down.lambda).toBe(0.1);
    expect(down.warnings[0]).toMatch(/lower end/);
    expect(() => drt(s, { fallbackLambda: 0 })).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });

  it('uses a given lambda and the 2nd-derivative penalty', () => {
    const s = spectrum('R0-Zarc1', [10, 50, 0.1, 0.8], TUTORIAL_F);
    const r = drt(s, { lambda: 1e-3, derivative: 2 });
    expect(r.lambda).toBe(1e-3);
    expect(r.lambdaSource).toBe('given');
    expect(r.gcv.lambda.length).toBe(0);
    expect(Math.abs(r.polarizationOhm - 50) / 50).toBeLessThan(0.02);
  });

  it('fits the inductance of inductive high-frequency points', () => {
    const s = spectrum('L0-R0-Zarc1', [1e-6, 10, 50, 0.1, 0.8], TUTORIAL_F);
    const r = drt(s);
    expect(Math.abs(r.inductanceH - 1e-6) / 1e-6).toBeLessThan(0.05);
  });

  it('rejects bad options and too few points', () => {
    const s = spectrum('R0-Zarc1', [10, 50, 0.1, 0.8], TUTORIAL_F);
    expect(() => drt(s, { lambda: -1 })).toThrow(expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }));
    expect(() => drt(s, { derivative: 3 as 1 })).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
    const tiny = {
      frequencyHz: Float64Array.of(1, 2, 3),
      zReal: Float64Array.of(1, 1, 1),
      zImag: Float64Array.of(-1, -1, -1),
    };
    expect(() => drt(tiny)).toThrow(expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }));
  });
});

describe.skipIf(!haveFixtures)('DRT on the impedance fixtures', () => {
  for (const file of [
    'impedance.py/exampleData.csv',
    'impedance.py/exampleDataGamry.DTA',
    'impedance.py/exampleDataBioLogic.mpt',
  ]) {
    it(`${file}: non-negative γ whose reconstruction follows the data`, () => {
      const s = impedanceSpectra(readSource(fixtureFile(file)))[0]!;
      const r = drt(s);
      expect(Array.from(r.gammaOhm).every((g) => g >= 0)).toBe(true);
      let zmax = 0;
      let sq = 0;
      for (let k = 0; k < s.zReal.length; k++) {
        zmax = Math.max(zmax, Math.hypot(s.zReal[k]!, s.zImag[k]!));
        sq += (r.zFitReal[k]! - s.zReal[k]!) ** 2 + (r.zFitImag[k]! - s.zImag[k]!) ** 2;
      }
      expect(Math.sqrt(sq / s.zReal.length)).toBeLessThan(0.05 * zmax);
      // A λ at a bound of the GCV search is never silent.
      expect(r.warnings.length > 0).toBe(r.lambdaAtBound);
    });
  }
  it('exampleData.csv: GCV falls to the lower end (as scipy does), flagged, fallback λ used', () => {
    const r = drt(impedanceSpectra(readSource(fixtureFile('impedance.py/exampleData.csv')))[0]!);
    expect(r.lambdaAtBound).toBe(true);
    expect(r.lambdaSource).toBe('fallback');
    expect(r.lambda).toBe(1e-7);
  });
});
