import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/analysis/fit/random.js';
import { fitEcm } from '../../src/models/ecm/fit-ecm.js';
import { parseEcmModel, socFromOcv, type EcmModel } from '../../src/models/ecm/model.js';
import { simulateEcm } from '../../src/models/ecm/simulate.js';
import {
  hppcProgram,
  simulateProgram,
  syntheticFrame,
  trueModel2RC,
  type ProgramStep,
} from '../helpers/synthetic-cell.js';

function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
}

/** A dynamic profile: 60 steps of 5-60 s at -6..+4 A after a 10 min rest (seeded). */
function dynamicProfile(seed: number): ProgramStep[] {
  const rng = seededRandom(seed);
  const steps: ProgramStep[] = [{ durationS: 600, currentA: 0, dtS: 5 }];
  for (let k = 0; k < 60; k++)
    steps.push({
      durationS: 5 + Math.round(55 * rng.uniform()),
      currentA: -6 + 10 * rng.uniform(),
      dtS: 0.5,
    });
  return steps;
}

describe('Thevenin simulation', () => {
  it('reproduces the 1RC vector of the research notes (OCV 3.7 V, R0 0.1, R1 0.05 Ω, C1 200 F, 2 A discharge)', () => {
    const model: EcmModel = {
      kind: 'thevenin',
      rcPairs: 1,
      capacityAh: 1e6, // OCV flat in practice
      ocv: { socPct: [50], voltageV: [3.7] },
      tables: [{ temperatureDegC: null, socPct: [50], r0Ohm: [0.1], rOhm: [[0.05]], cF: [[200]] }],
    };
    const t = [0, 1, 5, 10];
    const v = simulateEcm(model, { timeS: t, currentA: [-2, -2, -2, -2] }, { initialSocPct: 50 }).voltageV;
    // V(t) = 3.7 − 2·0.1 − 2·0.05·(1 − e^{−t/10}): 3.50000, 3.49048, 3.46065, 3.43679 V.
    expect(v[0]).toBeCloseTo(3.5, 5);
    expect(v[1]).toBeCloseTo(3.49048, 5);
    expect(v[2]).toBeCloseTo(3.46065, 5);
    expect(v[3]).toBeCloseTo(3.43679, 5);
  });

  it('relaxes after a pulse as OCV − I·R1·(1 − e^{−tp/τ})·e^{−(t − tp)/τ}', () => {
    const model = parseEcmModel({
      kind: 'thevenin',
      rcPairs: 1,
      capacityAh: 1e6,
      ocv: { socPct: [50], voltageV: [3.7] },
      tables: [{ temperatureDegC: null, socPct: [50], r0Ohm: [0.1], rOhm: [[0.05]], cF: [[200]] }],
    });
    const t = Array.from({ length: 31 }, (_, k) => k);
    const i = t.map((x) => (x >= 1 && x <= 10 ? -2 : 0));
    const v = simulateEcm(model, { timeS: t, currentA: i }, { initialSocPct: 50 }).voltageV;
    for (const x of [15, 20, 30])
      expect(v[x]).toBeCloseTo(3.7 - 2 * 0.05 * (1 - Math.exp(-1)) * Math.exp(-(x - 10) / 10), 12);
  });

  it('counts SOC with the model capacity', () => {
    const sim = simulateEcm(trueModel2RC(), { timeS: [0, 3600], currentA: [0, -1] }, { initialSocPct: 80 });
    expect(sim.socPct[1]).toBeCloseTo(80 - 50, 12);
  });
});

describe('fitting a Thevenin model to a synthetic HPPC (2RC truth, 0.5 mV noise)', () => {
  const truth = trueModel2RC();
  // A 300 s rest after the regen pulse makes τ2 = 40 s identifiable.
  const frame = syntheticFrame(simulateProgram(truth, hppcProgram(2, 9, 300), { noiseV: 5e-4, seed: 3 }));
  const fit = fitEcm(frame, { rcPairs: 2, capacityAh: 2 });

  it('fits one window per SOC level at the noise level', () => {
    expect(fit.windows.map((w) => Math.round(w.socPct))).toEqual([100, 90, 80, 70, 60, 50, 40, 30, 20]);
    for (const w of fit.windows) {
      expect(w.converged).toBe(true);
      expect(w.rmseV).toBeLessThan(6e-4);
    }
  });

  it('recovers R0 to 2 %, R1 and τ1 to 5 %, R2 and τ2 to 10 %', () => {
    for (const w of fit.windows) {
      const x = w.socPct / 100;
      expect(Math.abs(w.r0Ohm - (0.01 + 0.004 * (1 - x) ** 2)) / (0.01 + 0.004 * (1 - x) ** 2)).toBeLessThan(
        0.02,
      );
      expect(Math.abs(w.rOhm[0]! - 0.005) / 0.005).toBeLessThan(0.05);
      expect(Math.abs(w.tauS[0]! - 2) / 2).toBeLessThan(0.05);
      expect(Math.abs(w.rOhm[1]! - 0.008) / 0.008).toBeLessThan(0.1);
      expect(Math.abs(w.tauS[1]! - 40) / 40).toBeLessThan(0.1);
      expect(w.cF[0]).toBeCloseTo(w.tauS[0]! / w.rOhm[0]!, 6);
    }
  });

  it('builds the OCV table from the relaxed rests', () => {
    const ocv = fit.model.ocv;
    ocv.socPct.forEach((s, k) => {
      const x = s / 100;
      expect(Math.abs(ocv.voltageV[k]! - (3 + 1.2 * x - 0.3 * (x - 0.5) ** 2))).toBeLessThan(2e-3);
    });
  });

  it('predicts a different (dynamic) profile within 1.5 mV RMSE; a 1RC fit does much worse', () => {
    const dyn = simulateProgram(truth, dynamicProfile(11), { initialSocPct: 75, noiseV: 5e-4, seed: 5 });
    const two = simulateEcm(fit.model, dyn, { initialSocPct: 75 });
    const e2 = rmse(two.voltageV, dyn.voltageV);
    expect(e2).toBeLessThan(1.5e-3);
    const one = simulateEcm(fitEcm(frame, { rcPairs: 1, capacityAh: 2 }).model, dyn, { initialSocPct: 75 });
    expect(rmse(one.voltageV, dyn.voltageV)).toBeGreaterThan(3 * e2);
  });

  it('a model fitted on the FreedomCAR timing (40 s rests) also predicts the profile within 2 mV', () => {
    const f40 = syntheticFrame(simulateProgram(truth, hppcProgram(2, 9), { noiseV: 5e-4, seed: 4 }));
    const model = fitEcm(f40, { capacityAh: 2 }).model;
    const dyn = simulateProgram(truth, dynamicProfile(12), { initialSocPct: 70, noiseV: 5e-4, seed: 6 });
    expect(rmse(simulateEcm(model, dyn, { initialSocPct: 70 }).voltageV, dyn.voltageV)).toBeLessThan(2e-3);
  });

  it('the model survives a JSON round trip and starts from the OCV of a rested profile', () => {
    const back = parseEcmModel(JSON.parse(JSON.stringify(fit.model)));
    expect(back.tables[0]!.r0Ohm).toEqual(fit.model.tables[0]!.r0Ohm);
    const x = 0.55;
    expect(socFromOcv(back, 3 + 1.2 * x - 0.3 * (x - 0.5) ** 2)).toBeCloseTo(55, 0);
  });
});

describe('temperature tables', () => {
  it('fits one table per temperature and interpolates between them', () => {
    const base = trueModel2RC();
    const hot: EcmModel = {
      ...base,
      tables: [{ ...base.tables[0]!, r0Ohm: base.tables[0]!.r0Ohm.map((r) => r / 2) }],
    };
    const a = simulateProgram(base, hppcProgram(2, 3, 300), { temperatureDegC: 25, noiseV: 2e-4, seed: 1 });
    const b = simulateProgram(hot, hppcProgram(2, 3, 300), { temperatureDegC: 45, noiseV: 2e-4, seed: 2 });
    const t0 = a.timeS[a.timeS.length - 1]! + 10;
    const frame = syntheticFrame({
      timeS: [...a.timeS, ...b.timeS.map((x) => x + t0)],
      voltageV: [...a.voltageV, ...b.voltageV],
      currentA: [...a.currentA, ...b.currentA],
      temperatureDegC: [...a.temperatureDegC!, ...b.temperatureDegC!],
    });
    const fit = fitEcm(frame, { capacityAh: 2 });
    expect(fit.model.tables.map((t) => t.temperatureDegC)).toEqual([25, 45]);
    const r25 = fit.model.tables[0]!.r0Ohm[2]!;
    const r45 = fit.model.tables[1]!.r0Ohm[2]!;
    expect(r45 / r25).toBeCloseTo(0.5, 1);
    // At 35 °C the simulated step is halfway between: check R0 via a 1 ms pulse from rest.
    const soc = fit.model.tables[0]!.socPct[2]!;
    const step = (temp: number): number => {
      const s = simulateEcm(
        fit.model,
        { timeS: [0, 0.001], currentA: [0, -1], temperatureDegC: [temp, temp] },
        { initialSocPct: soc },
      );
      return s.voltageV[0]! - s.voltageV[1]!;
    };
    expect(step(35)).toBeCloseTo((step(25) + step(45)) / 2, 5);
  });
});

describe('model and fit guards', () => {
  const good = trueModel2RC();
  for (const [what, bad] of [
    ['kind', { ...good, kind: 'rc' }],
    ['rcPairs', { ...good, rcPairs: 3 }],
    ['capacity', { ...good, capacityAh: 0 }],
    ['unsorted OCV', { ...good, ocv: { socPct: [10, 5], voltageV: [3, 3] } }],
    ['table lengths', { ...good, tables: [{ ...good.tables[0]!, r0Ohm: [0.01] }] }],
    [
      'negative R',
      {
        ...good,
        tables: [
          { ...good.tables[0]!, rOhm: [good.tables[0]!.rOhm[0]!.map(() => -1), good.tables[0]!.rOhm[1]!] },
        ],
      },
    ],
    ['missing temperature', { ...good, tables: [good.tables[0]!, good.tables[0]!] }],
  ] as const) {
    it(`rejects a model with bad ${what}`, () => {
      expect(() => parseEcmModel(bad)).toThrow(expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }));
    });
  }
  it('fitEcm needs a pulse after a rest', () => {
    const frame = syntheticFrame({ timeS: [0, 1, 2, 3], voltageV: [3, 3, 3, 3], currentA: [0, 0, 0, 0] });
    expect(() => fitEcm(frame)).toThrow(expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }));
  });
});
