import { describe, expect, it } from 'vitest';
import {
  calendarLoss,
  chen2020Graphite,
  cyclesToLoss,
  DEFAULT_CALENDAR,
  drawCell,
  gasperLfpLaw,
  generateLab,
  kokamNmcLaw,
  LAB_MODELS,
  labRandom,
  minutes10To80,
  ocvModel,
  pulseResistance,
  runProtocol,
  theveninResistances,
  type CellModelTruth,
} from '../../src/models/virtual-lab/index.js';

const lfpTruth: CellModelTruth = {
  chemistry: 'lfp',
  capacityAh: 100,
  capacitySdPct: 0,
  r0Ohm: 0.001,
  r1Ohm: 0.0008,
  tau1S: 20,
  resistanceSdPct: 0,
  massKg: 2,
  massSdPct: 0,
  ageingSdPct: 0,
  thermalResistanceKPerW: 1,
};

describe('virtual-lab OCV', () => {
  it('Chen 2020 graphite OCP (PyBaMM graphite_LGM50_ocp_Chen2020) at x = 0.5', () => {
    // The published expression evaluated independently (Python, math.tanh): 0.133086 V.
    expect(chen2020Graphite(0.5)).toBeCloseTo(0.133086, 5);
  });

  it('full-cell curves rise with SOC and span their voltage windows', () => {
    const windows: [Parameters<typeof ocvModel>[0], number, number][] = [
      ['nmc811-graphite', 2.45, 4.25],
      ['lfp-graphite', 2.4, 3.7],
      ['nfm-hard-carbon', 1.5, 4.0],
      ['lmfp-graphite', 2.5, 4.3],
      ['nmc811-lithium', 2.9, 4.35],
    ];
    for (const [id, lo, hi] of windows) {
      const f = ocvModel(id);
      let prev = -Infinity;
      for (let s = 0; s <= 1.0001; s += 0.02) {
        const v = f(s);
        expect(v).toBeGreaterThanOrEqual(prev - 1e-9);
        expect(v).toBeGreaterThan(lo);
        expect(v).toBeLessThan(hi);
        prev = v;
      }
    }
    // NMC811/graphite: 2.4977 V empty, 4.1929 V full (PyBaMM Chen2020 limits, stoichiometries given).
    expect(ocvModel('nmc811-graphite')(0)).toBeCloseTo(2.4977, 2);
    expect(ocvModel('nmc811-graphite')(1)).toBeCloseTo(4.1929, 2);
  });
});

describe('virtual-lab ageing laws', () => {
  it('Gasper 2023 LFP: 6.765 % after 1000 EFC at 0.5C, DOD 1, 25 degC', () => {
    const law = gasperLfpLaw();
    expect(law.capacityLoss(1000, { dod: 1, cRate: 0.5, temperatureDegC: 25 })).toBeCloseTo(0.06765, 4);
  });

  it('Kokam NMC: 7.63 % after 1000 EFC at DOD 1, 25 degC; the knee adds b·(EFC − knee)²', () => {
    const s = { dod: 1, cRate: 1, temperatureDegC: 25 };
    expect(kokamNmcLaw().capacityLoss(1000, s)).toBeCloseTo(0.0763, 3);
    const knee = kokamNmcLaw(1, 2, { efc: 500, b: 1e-6 });
    expect(knee.capacityLoss(1000, s) - kokamNmcLaw().capacityLoss(1000, s)).toBeCloseTo(1e-6 * 500 ** 2, 10);
    expect(knee.capacityLoss(400, s)).toBe(kokamNmcLaw().capacityLoss(400, s));
  });

  it('calendar loss is k·√days with an Arrhenius factor', () => {
    expect(calendarLoss(DEFAULT_CALENDAR, 100, 25)).toBeCloseTo(DEFAULT_CALENDAR.kPerSqrtDay * 10, 12);
    const ratio = calendarLoss(DEFAULT_CALENDAR, 100, 45) / calendarLoss(DEFAULT_CALENDAR, 100, 25);
    expect(ratio).toBeCloseTo(Math.exp((50000 / 8.314) * (1 / 298.15 - 1 / 318.15)), 10);
  });

  it('cyclesToLoss inverts the power law: N = (loss/k)^(1/p)', () => {
    const s = { dod: 1, cRate: 0.5, temperatureDegC: 25 };
    const k = gasperLfpLaw().capacityLoss(1, s);
    expect(cyclesToLoss(gasperLfpLaw(), 0.2, s)).toBeCloseTo((0.2 / k) ** (1 / 0.828), 0);
  });
});

describe('virtual-lab Thevenin cell', () => {
  const cell = drawCell(lfpTruth, 'E-1', labRandom(1).fork('E-1'));

  it('resistances: the 25 degC values at mid SOC, Arrhenius at other temperatures', () => {
    const mid = theveninResistances(cell, 0.5, 25);
    // The SOC shape is 1 + 0.8·e^(−0.5/0.06) + 0.15·e^(−0.5/0.04) ≈ 1.0002 at 50 %.
    expect(mid.r0 / cell.r0Ohm).toBeCloseTo(1, 3);
    const cold = theveninResistances(cell, 0.5, -20);
    expect(cold.r0 / mid.r0).toBeCloseTo(Math.exp((35000 / 8.314) * (1 / 253.15 - 1 / 298.15)), 6);
  });

  it('a rested cell pulsed with a current shows ΔV = I·(R0 + R1·(1 − e^(−t/τ))) (+ the OCV change)', () => {
    const i = -100; // 1C discharge
    const t = runProtocol(
      cell,
      [
        { kind: 'rest', cycle: 1, step: 1, ambientDegC: 25, durationS: 600, logEveryS: 600 },
        { kind: 'cc', cycle: 1, step: 2, ambientDegC: 25, currentA: i, durationS: 10, logEveryS: 1 },
      ],
      labRandom(3),
      { initialSoc: 0.5, voltageNoiseV: 0 },
    );
    const rest = t.voltageV[1]!; // last row of the rest
    const after10 = t.voltageV[t.length - 1]!;
    const dv = after10 - rest;
    // 10 s at 1C moves the SOC by 0.28 %: on the LFP plateau the OCV changes by well under 1 mV.
    expect(dv / i).toBeCloseTo(pulseResistance(cell, 0.5, 25, 10), 5);
    // The first row of the pulse, 1 s in: R0 + R1·(1 − e^(−1/τ)).
    const r1s = cell.r0Ohm + cell.r1Ohm * (1 - Math.exp(-1 / cell.tau1S));
    expect((t.voltageV[3]! - rest) / i).toBeCloseTo(r1s, 5);
  });

  it('coulomb counting: a C/3 discharge to the window moves the charge it reports', () => {
    const t = runProtocol(
      cell,
      [
        {
          kind: 'cc',
          cycle: 1,
          step: 1,
          ambientDegC: 25,
          currentA: -100 / 3,
          limitVoltageV: 2.5,
          logEveryS: 60,
        },
      ],
      labRandom(5),
      { initialSoc: 1 },
    );
    const last = t.length - 1;
    expect(t.stepDischargeAh[last]!).toBeCloseTo(
      (100 / 3) * (1 + cell.currentGainError) * (t.testTimeS[last]! / 3600),
      6,
    );
    expect(t.stepDischargeAh[last]! / cell.capacityAh).toBeGreaterThan(0.98);
  });

  it('CV steps hold the voltage and taper the current (stable at LFP’s steep end of charge)', () => {
    const t = runProtocol(
      cell,
      [
        { kind: 'cc', cycle: 1, step: 1, ambientDegC: 25, currentA: 200, limitVoltageV: 3.65, logEveryS: 10 },
        {
          kind: 'cv',
          cycle: 1,
          step: 2,
          ambientDegC: 25,
          voltageV: 3.65,
          endCurrentA: 5,
          maxCurrentA: 200,
          logEveryS: 10,
        },
      ],
      labRandom(6),
      { initialSoc: 0.1, voltageNoiseV: 0 },
    );
    let prevI = Infinity;
    for (let k = 0; k < t.length; k++) {
      if (t.constantVoltage[k] !== 1) continue;
      expect(Math.abs(t.voltageV[k]! - 3.65)).toBeLessThan(5e-3);
      expect(t.currentA[k]!).toBeGreaterThan(0);
      expect(t.currentA[k]!).toBeLessThanOrEqual(prevI * 1.001 + 1e-9);
      prevI = t.currentA[k]!;
    }
    expect(t.currentA[t.length - 1]!).toBeLessThanOrEqual(5 * 1.001);
  });

  it('minutes10To80 of a pure CC charge is 0.7 h / C-rate', () => {
    const t = runProtocol(
      drawCell({ ...lfpTruth, r0Ohm: 1e-5, r1Ohm: 1e-5 }, 'E-2', labRandom(1)),
      [
        { kind: 'cc', cycle: 2, step: 1, ambientDegC: 25, currentA: 50, limitChargeAh: 90, logEveryS: 30 },
        { kind: 'cc', cycle: 2, step: 2, ambientDegC: 25, currentA: -50, limitChargeAh: 90, logEveryS: 30 },
      ],
      labRandom(2),
      { initialSoc: 0.05 },
    );
    // SOC over the cycle's discharge (90 Ah): 10 → 80 % is 63 Ah at 50 A = 75.6 min.
    expect(minutes10To80(t, 2)).toBeCloseTo(75.6, 1);
  });
});

describe('virtual-lab generator', () => {
  const models = [LAB_MODELS.find((m) => m.id === 'AS-SSB-20')!];

  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateLab({ seed: 11, models, samples: 1 });
    const b = generateLab({ seed: 11, models, samples: 1 });
    const c = generateLab({ seed: 12, models, samples: 1 });
    expect(a.files.map((f) => f.path)).toEqual(b.files.map((f) => f.path));
    a.files.forEach((f, k) => expect(Buffer.compare(f.bytes, b.files[k]!.bytes)).toBe(0));
    expect(a.groundTruth).toEqual(b.groundTruth);
    expect(a.files.some((f, k) => Buffer.compare(f.bytes, c.files[k]!.bytes) !== 0)).toBe(true);
  });

  it('honest claims are conservative and inflated ones overstate the truth', () => {
    const lab = generateLab({ seed: 11, models, samples: 2 });
    expect(lab.groundTruth.claims.length).toBe(models[0]!.claims.length);
    for (const c of lab.groundTruth.claims) {
      const better = c.higher_is_better ? c.claimed / c.true_value : c.true_value / c.claimed;
      if (c.honest) expect(better).toBeLessThanOrEqual(1);
      else expect(better).toBeGreaterThan(1.07);
    }
    // The catalogue names every file the lab wrote, with its sample.
    expect(lab.catalogue.tests.map((t) => t.file).sort()).toEqual(lab.files.map((f) => f.path).sort());
  });
});
