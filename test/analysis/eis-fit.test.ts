import { describe, expect, it } from 'vitest';
import { circuitImpedance } from '../../src/analysis/eis/circuit.js';
import { fitCircuit } from '../../src/analysis/eis/fit-circuit.js';
import {
  capacitivePoints,
  impedanceSpectra,
  type ImpedanceSpectrum,
} from '../../src/analysis/eis/spectrum.js';
import { seededRandom } from '../../src/analysis/fit/random.js';
import { readSource } from '../../src/ingest/index.js';
import { fixtureFile, haveFixtures } from '../helpers/fixtures.js';

/** Log-spaced frequencies from `hi` down to `lo` Hz. */
function logFreq(hi: number, lo: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => hi * Math.pow(lo / hi, k / (n - 1)));
}

/** A spectrum of `circuit` with proportional Gaussian noise of relative size `rel` (seeded). */
function synthetic(
  circuit: string,
  p: number[],
  f: Float64Array,
  rel: number,
  seed: number,
): ImpedanceSpectrum {
  const z = circuitImpedance(circuit, p, f);
  const rng = seededRandom(seed);
  return {
    frequencyHz: f,
    zReal: z.re.map((v, k) => v + rel * Math.hypot(z.re[k]!, z.im[k]!) * rng.normal()),
    zImag: z.im.map((v, k) => v + rel * Math.hypot(z.re[k]!, z.im[k]!) * rng.normal()),
  };
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('circuit fit recovers known parameters from seeded noisy spectra', () => {
  const cases: { circuit: string; truth: number[]; tol: number[] }[] = [
    // 0.2 % noise: resistances to 2 %, capacitances and exponents to 5 %, Warburg to 20 %.
    { circuit: 'R0-p(R1,C1)', truth: [0.02, 0.05, 1e-3], tol: [0.02, 0.02, 0.05] },
    {
      circuit: 'R0-p(R1,CPE1)-p(R2,CPE2)-Wo1',
      truth: [0.02, 0.015, 2e-3, 0.85, 0.03, 0.5, 0.75, 0.05, 300],
      tol: [0.02, 0.05, 0.1, 0.02, 0.02, 0.05, 0.02, 0.2, 0.3],
    },
    {
      circuit: 'L0-R0-p(R1,CPE1)-W1',
      truth: [1e-7, 0.01, 0.02, 0.5, 0.9, 0.005],
      tol: [0.05, 0.02, 0.02, 0.05, 0.02, 0.05],
    },
    { circuit: 'R0-p(R1-G1,C1)', truth: [5, 20, 30, 0.01, 1e-5], tol: [0.02, 0.05, 0.05, 0.1, 0.05] },
  ];
  for (const c of cases) {
    it(`${c.circuit} from the automatic initial guess`, () => {
      const s = synthetic(c.circuit, c.truth, logFreq(1e5, 1e-2, 60), 0.002, 42);
      const fit = fitCircuit(s, c.circuit);
      expect(fit.converged).toBe(true);
      fit.parameters.forEach((p, k) => expect(relErr(p.value, c.truth[k]!)).toBeLessThan(c.tol[k]!));
      // The noise is 0.2 % of |Z| per component, so the RMSE is about that of the smallest |Z|.
      expect(fit.rmse).toBeLessThan(0.002 * 2 * Math.max(...Array.from(s.zReal)));
    });
  }

  it('95 % intervals cover the truth about 95 % of the time (40 seeded spectra)', () => {
    const truth = [0.02, 0.05, 1e-3];
    let covered = 0;
    let total = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const s = synthetic('R0-p(R1,C1)', truth, logFreq(1e4, 1e-1, 40), 0.005, seed);
      const fit = fitCircuit(s, 'R0-p(R1,C1)', { starts: 1, initialGuess: [0.01, 0.01, 1e-4] });
      fit.parameters.forEach((p, k) => {
        total++;
        if (truth[k]! >= p.ci95[0] && truth[k]! <= p.ci95[1]) covered++;
      });
    }
    // Binomial(120, 0.95): 99.9 % of outcomes lie in 105..120. Proportional noise with unit
    // weighting is not quite what the covariance assumes, so allow a little less.
    expect(covered / total).toBeGreaterThan(0.85);
  });

  it('holds constants fixed and fits the rest', () => {
    const truth = [0.02, 0.05, 1e-3];
    const s = synthetic('R0-p(R1,C1)', truth, logFreq(1e4, 1e-1, 40), 0.001, 3);
    const fit = fitCircuit(s, 'R0-p(R1,C1)', { constants: { R0: 0.02 }, initialGuess: [0.01, 1e-4] });
    expect(fit.parameters[0]).toMatchObject({ name: 'R0', value: 0.02, stderr: 0, fixed: true });
    expect(relErr(fit.parameters[1]!.value, 0.05)).toBeLessThan(0.01);
    expect(fit.dof).toBe(80 - 2);
  });

  it('fits R0 = 10 to Z = [10, 10, 10] (impedance.py test_circuit_fit trivial case)', () => {
    const s = {
      frequencyHz: Float64Array.of(1, 10, 100),
      zReal: Float64Array.of(10, 10, 10),
      zImag: new Float64Array(3),
    };
    const fit = fitCircuit(s, 'R0', { initialGuess: [1] });
    expect(fit.parameters[0]!.value).toBeCloseTo(10, 10);
  });

  it('modulus weighting recovers the truth from noise proportional to |Z|', () => {
    const truth = [0.02, 0.015, 2e-3, 0.85, 0.03, 0.5, 0.75];
    const circuit = 'R0-p(R1,CPE1)-p(R2,CPE2)';
    const s = synthetic(circuit, truth, logFreq(1e5, 1e-2, 60), 0.002, 9);
    const fit = fitCircuit(s, circuit, { weighting: 'modulus' });
    expect(fit.weighting).toBe('modulus');
    fit.parameters.forEach((p, k) => expect(relErr(p.value, truth[k]!)).toBeLessThan(0.05));
    // With σ = |Z| and 0.2 % noise, χ² ≈ 2N·0.002² (N = 60): between 0.5 and 1.5 times that.
    expect(fit.chiSquare / (120 * 0.002 ** 2)).toBeGreaterThan(0.5);
    expect(fit.chiSquare / (120 * 0.002 ** 2)).toBeLessThan(1.5);
  });

  it('proportional weighting recovers the truth from noise proportional to each component', () => {
    const truth = [0.02, 0.015, 2e-3, 0.85, 0.03, 0.5, 0.75];
    const circuit = 'R0-p(R1,CPE1)-p(R2,CPE2)';
    const f = logFreq(1e5, 1e-2, 60);
    const z = circuitImpedance(circuit, truth, f);
    const rng = seededRandom(17);
    const s = {
      frequencyHz: f,
      zReal: z.re.map((v) => v * (1 + 0.002 * rng.normal())),
      zImag: z.im.map((v) => v * (1 + 0.002 * rng.normal())),
    };
    const fit = fitCircuit(s, circuit, { weighting: 'proportional' });
    fit.parameters.forEach((p, k) => expect(relErr(p.value, truth[k]!)).toBeLessThan(0.05));
    expect(fit.chiSquare / (120 * 0.002 ** 2)).toBeLessThan(1.5);
  });

  it('several starts never do worse than one', () => {
    const s = synthetic(
      'R0-p(R1,C1)-p(R2,C2)',
      [0.01, 0.02, 1e-4, 0.05, 0.1],
      logFreq(1e5, 1e-2, 50),
      0.002,
      5,
    );
    const one = fitCircuit(s, 'R0-p(R1,C1)-p(R2,C2)', { starts: 1 });
    const many = fitCircuit(s, 'R0-p(R1,C1)-p(R2,C2)', { starts: 10 });
    expect(many.chiSquare).toBeLessThanOrEqual(one.chiSquare * (1 + 1e-9));
  });
});

describe('circuit fit input guards', () => {
  const s = synthetic('R0-p(R1,C1)', [0.02, 0.05, 1e-3], logFreq(1e4, 1e-1, 20), 0, 1);
  it('rejects an initial guess of the wrong length', () => {
    expect(() => fitCircuit(s, 'R0-p(R1,C1)', { initialGuess: [1, 2] })).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
  it('rejects an unknown constant', () => {
    expect(() => fitCircuit(s, 'R0-p(R1,C1)', { constants: { R9: 1 } })).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
  it('rejects too few points', () => {
    const tiny = { frequencyHz: Float64Array.of(1), zReal: Float64Array.of(1), zImag: Float64Array.of(-1) };
    expect(() => fitCircuit(tiny, 'R0-p(R1,C1)')).toThrow(
      expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }),
    );
  });
  it('rejects a non-positive frequency', () => {
    const bad = { ...s, frequencyHz: Float64Array.from(s.frequencyHz, (f, k) => (k === 3 ? 0 : f)) };
    expect(() => fitCircuit(bad, 'R0-p(R1,C1)')).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
});

describe.skipIf(!haveFixtures)('impedance.py references on exampleData.csv', () => {
  const all = impedanceSpectra(readSource(fixtureFile('impedance.py/exampleData.csv')))[0]!;
  // impedance.py drops the inductive points first (ignoreBelowX).
  const data = capacitivePoints(all);

  it('reads 66 points, 57 of them capacitive', () => {
    expect(all.frequencyHz.length).toBe(66);
    expect(data.frequencyHz.length).toBe(57);
  });

  it('reproduces test_Randles: the fitted values and the prediction at 10 Hz', () => {
    const fit = fitCircuit(data, 'R0-p(R1-Wo1,C1)', {
      initialGuess: [0.01, 0.005, 0.01, 200, 0.1],
      starts: 1,
    });
    const expected = [1.86235717e-2, 1.16804085e-2, 6.27121224e-2, 2.21232935e2, 1.1717144];
    fit.parameters.forEach((p, k) => expect(relErr(p.value, expected[k]!)).toBeLessThan(1e-4));
    const z = circuitImpedance(
      'R0-p(R1-Wo1,C1)',
      fit.parameters.map((p) => p.value),
      [10],
    );
    expect(z.re[0]).toBeCloseTo(0.0251618, 7);
    expect(z.im[0]).toBeCloseTo(-0.00601304, 8);
  });

  it('reproduces test_circuit_fit (bounded local fit) to 1 %', () => {
    const fit = fitCircuit(data, 'R0-p(R1,C1)-p(R2-Wo1,C2)', {
      initialGuess: [0.01, 0.01, 100, 0.01, 0.05, 100, 1],
      upper: [10, 1, 1e3, 1, 1, 1e4, 100],
      starts: 1,
    });
    const expected = [1.65e-2, 8.68e-3, 3.32, 5.39e-3, 6.31e-2, 2.38e2, 2.2e-1];
    // The reference is given to 3 significant digits and checked with rtol 1e-2.
    fit.parameters.forEach((p, k) => expect(relErr(p.value, expected[k]!)).toBeLessThan(1.2e-2));
  });

  it('reproduces the modulus-weighted fit of test_circuit_fit', () => {
    const fit = fitCircuit(data, 'R0-p(R1,C1)-p(R2-Wo1,C2)', {
      initialGuess: [0.01, 0.01, 100, 0.01, 0.05, 100, 1],
      weighting: 'modulus',
      starts: 1,
    });
    const expected = [1.64e-2, 9.06e-3, 3.06, 5.29e-3, 1.45e-1, 1.32e3, 2.02e-1];
    fit.parameters.forEach((p, k) => expect(relErr(p.value, expected[k]!)).toBeLessThan(1e-2));
  });

  it('several starts find a fit at least as good as basinhopping reports (RMSE of its values)', () => {
    const circuit = 'R0-p(R1,C1)-p(R2-Wo1,C2)';
    const global = [1.65e-2, 5.34e-3, 0.22, 9.15e-3, 1.31e-1, 1.1e3, 2.78];
    const z = circuitImpedance(circuit, global, data.frequencyHz);
    let sq = 0;
    for (let k = 0; k < z.re.length; k++)
      sq += (z.re[k]! - data.zReal[k]!) ** 2 + (z.im[k]! - data.zImag[k]!) ** 2;
    const referenceRmse = Math.sqrt(sq / z.re.length);
    const fit = fitCircuit(data, circuit, { starts: 16 });
    expect(fit.rmse).toBeLessThanOrEqual(referenceRmse * 1.001);
    // The same basin: R1, R2 and the Warburg magnitude agree with basinhopping's within its rtol of 0.1.
    expect(relErr(fit.parameters[1]!.value, 5.34e-3)).toBeLessThan(0.1);
    expect(relErr(fit.parameters[3]!.value, 9.15e-3)).toBeLessThan(0.1);
  });
});

describe.skipIf(!haveFixtures)('circuit fits on the impedance fixtures', () => {
  for (const [file, circuit] of [
    ['impedance.py/exampleDataBioLogic.mpt', 'R0-p(R1,CPE1)-W1'],
    ['impedance.py/exampleDataGamry.DTA', 'R0-p(R1,CPE1)-p(R2,CPE2)'],
    ['impedance.py/exampleDataZPlot.z', 'R0-p(R1,CPE1)'],
    ['beep/maccor_test_file_4267-66-6519.EDA0001.041', 'L0-R0-p(R1,CPE1)-p(R2,CPE2)'],
  ] as const) {
    it(`${file}: ${circuit} fits to within 5 % of the spectrum's size`, () => {
      const s = capacitivePoints(impedanceSpectra(readSource(fixtureFile(file)))[0]!);
      const fit = fitCircuit(s, circuit);
      let zmax = 0;
      for (let k = 0; k < s.zReal.length; k++) zmax = Math.max(zmax, Math.hypot(s.zReal[k]!, s.zImag[k]!));
      expect(fit.rmse).toBeLessThan(0.05 * zmax);
      expect(fit.parameters.every((p) => Number.isFinite(p.value) && p.value >= 0)).toBe(true);
    });
  }
});
