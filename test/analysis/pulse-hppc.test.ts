import { describe, expect, it } from 'vitest';
import { createFrame } from '../../src/core/index.js';
import { findPulses } from '../../src/analysis/pulse/find-pulses.js';
import { hppc, ISO_12405_DISCHARGE_TIMES_S } from '../../src/analysis/pulse/hppc.js';
import { currentSegments } from '../../src/analysis/pulse/segments.js';
import { readSource } from '../../src/ingest/index.js';
import type { EcmModel } from '../../src/models/ecm/model.js';
import { fixtureFile, haveFixtures } from '../helpers/fixtures.js';
import { hppcProgram, simulateProgram, syntheticFrame, trueModel2RC } from '../helpers/synthetic-cell.js';

/** A 1RC model with a flat OCV, so R(t) has a closed form. */
function flatModel(ocvV: number, r0: number, r1: number, tau: number): EcmModel {
  return {
    kind: 'thevenin',
    rcPairs: 1,
    capacityAh: 100,
    ocv: { socPct: [0, 100], voltageV: [ocvV, ocvV] },
    tables: [
      { temperatureDegC: null, socPct: [50], r0Ohm: [r0], rOhm: [[r1]], cF: [[tau / Math.max(r1, 1e-12)]] },
    ],
  };
}

describe('PyProBE reference values (tests/analysis/test_pulsing.py, research notes §2c)', () => {
  // The sample file is not available; these series carry PyProBE's numbers at the samples its
  // method reads: the last rest sample (OCV), the first sample within 1 % of the median pulse
  // current (R0) and the voltage 10 s after the last rest timestamp (R_10s).
  const ocvPoints = [4.1919, 4.0949, 3.9934, 3.8987, 3.8022, 3.7114, 3.665, 3.6334, 3.5866, 3.5164, 3.4513];
  const I = -0.0199936;
  const t: number[] = [];
  const v: number[] = [];
  const i: number[] = [];
  const step: number[] = [];
  let now = 483572.397 - 600;
  ocvPoints.forEach((ocv, k) => {
    for (let s = 0; s <= 600; s += 10) {
      t.push(now + s);
      v.push(ocv + 0.002 * Math.exp(-s / 100)); // relaxing towards the OCV, reached at the end
      i.push(0);
      step.push(9);
    }
    v[v.length - 1] = ocv;
    const tr = t[t.length - 1]!;
    // A current rise sample at +0.5 s (outside 1 % of the median), then 1 s samples.
    t.push(tr + 0.5);
    v.push(ocv - 0.02);
    i.push(I * 0.6);
    step.push(10);
    const first = k === 0 ? 4.1558 : ocv - 0.0361;
    const at10 = k === 0 ? 4.1337 : ocv - 0.0582;
    for (let s = 1; s <= 10; s++) {
      t.push(tr + s);
      v.push(first + ((at10 - first) * (s - 1)) / 9);
      i.push(I);
      step.push(10);
    }
    now = tr + 10.5;
  });
  const frame = createFrame({
    columns: {
      test_time_s: Float64Array.from(t),
      voltage_V: Float64Array.from(v),
      current_A: Float64Array.from(i),
      step_index: Int32Array.from(step),
    },
    meta: { vendor: 'synthetic', format: 'synthetic' },
  });
  const r = hppc(frame, { timesS: [0.1, 10] });

  it('finds the 11 pulses; the first starts at t = 483572.397 s in step 10', () => {
    expect(r.pulses.length).toBe(11);
    expect(r.pulses[0]!.onsetTimeS).toBeCloseTo(483572.397, 6);
    expect(r.pulses[0]!.stepIndex).toBe(10);
  });
  it('R0 = (4.1558 − 4.1919)/(−0.0199936) = 1.80558 Ω from the first sample within 1 % of the median current', () => {
    expect(r.pulses[0]!.r0Ohm).toBeCloseTo(1.80558, 5);
    expect(r.pulses[0]!.r0TimeS).toBeCloseTo(1, 9);
  });
  it('R_10s = (4.1337 − 4.1919)/(−0.0199936) = 2.91093 Ω', () => {
    expect(r.pulses[0]!.resistancesOhm[1]).toBeCloseTo(2.91093, 5);
  });
  it('gives no R at 0.1 s when no pulse sample is that early (it would need extrapolation)', () => {
    expect(Number.isNaN(r.pulses[0]!.resistancesOhm[0]!)).toBe(true);
  });
  it('the OCV curve is the end-of-rest voltages', () => {
    expect(r.ocvCurve.map((p) => p.ocvV)).toEqual(ocvPoints);
  });
});

describe('ISO 12405-4 profile: 18 s at I_max, 102 s at 0.75 I_max, rest, 20 s charge', () => {
  const model = flatModel(3.7, 0.01, 0.006, 5);
  const sim = simulateProgram(model, [
    { durationS: 1800, currentA: 0, dtS: 10 },
    { durationS: 18, currentA: -40, dtS: 0.1, stepIndex: 2 },
    { durationS: 102, currentA: -30, dtS: 0.1, stepIndex: 3 },
    { durationS: 40, currentA: 0, dtS: 0.1 },
    { durationS: 20, currentA: 30, dtS: 0.1, stepIndex: 5 },
    { durationS: 40, currentA: 0, dtS: 0.1 },
  ]);
  const r = hppc(syntheticFrame(sim), { timesS: [...ISO_12405_DISCHARGE_TIMES_S] });
  // Closed form of (V − OCV)/I(t) for the 1RC model.
  const expected = (t: number): number => {
    const r0 = 0.01;
    const r1 = 0.006;
    const tau = 5;
    if (t <= 18) return r0 + r1 * (1 - Math.exp(-t / tau));
    const v1 =
      -40 * r1 * (1 - Math.exp(-18 / tau)) * Math.exp(-(t - 18) / tau) -
      30 * r1 * (1 - Math.exp(-(t - 18) / tau));
    return (-30 * r0 + v1) / -30;
  };

  it('treats the two discharge steps as one 120 s pulse', () => {
    expect(r.pulses.map((p) => p.direction)).toEqual(['discharge', 'charge']);
    expect(r.pulses[0]!.durationS).toBeCloseTo(120, 9);
  });
  it('gives R(t) at all eleven evaluation times', () => {
    ISO_12405_DISCHARGE_TIMES_S.forEach((t, k) => {
      expect(r.pulses[0]!.resistancesOhm[k]).toBeCloseTo(expected(t), 9);
    });
  });
  it('the regen pulse follows the same law after its own onset (cell relaxed for 40 s = 8τ)', () => {
    const rr = hppc(syntheticFrame(sim), { timesS: [0.1, 2, 10, 20] }).pulses[1]!;
    // The 1RC voltage left from the discharge pulse, −30·R1·(1 − e^{−120/τ})·e^{−40/τ} at the onset, decays on.
    const left = (t: number): number => -30 * 0.006 * Math.exp(-(40 + t) / 5);
    [0.1, 2, 10, 20].forEach((t, k) => {
      const vRc = 30 * 0.006 * (1 - Math.exp(-t / 5)) + left(t) - left(0);
      expect(rr.resistancesOhm[k]).toBeCloseTo((30 * 0.01 + vRc) / 30, 9);
    });
  });
});

describe('FreedomCAR levels, power and SOC on a synthetic HPPC', () => {
  it('pairs discharge and regen pulses and gives P = V_min(OCV − V_min)/R_dis and V_max(V_max − OCV)/R_regen', () => {
    const model = flatModel(3.7, 0.015, 0, 1);
    const sim = simulateProgram(model, hppcProgram(100, 3));
    const r = hppc(syntheticFrame(sim), { minVoltageV: 2.5, maxVoltageV: 4.2, capacityAh: 100 });
    expect(r.levels.length).toBe(3);
    for (const l of r.levels) {
      expect(l.dischargeResistanceOhm).toBeCloseTo(0.015, 12);
      expect(l.regenResistanceOhm).toBeCloseTo(0.015, 12);
      expect(l.dischargePowerW).toBeCloseTo((2.5 * (3.7 - 2.5)) / 0.015, 6);
      expect(l.regenPowerW).toBeCloseTo((4.2 * (4.2 - 3.7)) / 0.015, 6);
      expect(l.regenPulse).toBe(l.dischargePulse + 1);
    }
  });

  it('gives no resistance for a pulse whose voltage moves with the current (flagged, not made positive)', () => {
    const model = flatModel(3.7, 0.015, 0, 1);
    const sim = simulateProgram(model, hppcProgram(100, 3));
    // mirror the voltage of the first discharge pulse about the OCV: it now rises while discharging
    const first = sim.currentA.findIndex((i) => i < 0);
    let end = first;
    while (sim.currentA[end]! < 0) end++;
    const ocv = sim.voltageV[first - 1]!;
    for (let i = first; i < end; i++) sim.voltageV[i] = 2 * ocv - sim.voltageV[i]!;
    const r = hppc(syntheticFrame(sim), { minVoltageV: 2.5, maxVoltageV: 4.2, capacityAh: 100 });
    const bad = r.pulses[0]!;
    expect(bad.direction).toBe('discharge');
    expect(bad.flags).toContain('negative-resistance');
    expect(bad.r0Ohm).toBeNaN();
    expect(bad.resistancesOhm.every((x) => Number.isNaN(x))).toBe(true);
    const level = r.levels.find((l) => l.dischargePulse === bad.index)!;
    expect(level.dischargeResistanceOhm).toBeNaN();
    expect(level.dischargePowerW).toBeNaN();
    // the other pulses keep their 15 mOhm and no flag
    for (const p of r.pulses.slice(1)) {
      expect(p.flags).not.toContain('negative-resistance');
      expect(p.r0Ohm).toBeCloseTo(0.015, 9);
    }
  });

  it('steps SOC down by 10 % per level, and estimates the capacity from the deepest discharge', () => {
    const sim = simulateProgram(trueModel2RC(), hppcProgram(2, 9));
    const given = hppc(syntheticFrame(sim), { capacityAh: 2 });
    given.levels.forEach((l, k) => expect(l.socPct).toBeCloseTo(100 - 10 * k, 6));
    const estimated = hppc(syntheticFrame(sim));
    expect(estimated.capacitySource).toBe('estimated');
    // The run ends 90 % below full, so the estimate is 0.9 · 2 Ah.
    expect(estimated.capacityAh).toBeCloseTo(1.8, 6);
    expect(estimated.chargeSource).toBe('integrated');
  });

  it('groups levels by temperature when the data has more than one', () => {
    const model = trueModel2RC();
    const a = simulateProgram(model, hppcProgram(2, 3), { temperatureDegC: 25.4 });
    const b = simulateProgram(model, hppcProgram(2, 3), { temperatureDegC: 44.8 });
    const t0 = a.timeS[a.timeS.length - 1]! + 10;
    const frame = syntheticFrame({
      timeS: [...a.timeS, ...b.timeS.map((x) => x + t0)],
      voltageV: [...a.voltageV, ...b.voltageV],
      currentA: [...a.currentA, ...b.currentA],
      temperatureDegC: [...a.temperatureDegC!, ...b.temperatureDegC!],
    });
    const r = hppc(frame, { capacityAh: 2 });
    expect(r.levels.map((l) => l.temperatureGroupDegC)).toEqual([25, 25, 25, 45, 45, 45]);
    expect(r.levels[3]!.temperatureDegC).toBeCloseTo(44.8, 9);
  });
});

describe('pulse detection rules', () => {
  it('splits current into rest, charge and discharge runs', () => {
    const segs = currentSegments(Float64Array.of(0, 0, -1, -1, NaN, 0, 2, 0.001), 0.01);
    expect(segs).toEqual([
      { kind: 'rest', start: 0, end: 1 },
      { kind: 'discharge', start: 2, end: 4 },
      { kind: 'rest', start: 5, end: 5 },
      { kind: 'charge', start: 6, end: 6 },
      { kind: 'rest', start: 7, end: 7 },
    ]);
  });
  it('takes no pulse that does not follow a rest, nor one longer than maxDurationS', () => {
    const frame = syntheticFrame({
      timeS: [0, 1, 2, 3, 4, 5, 6, 300, 301],
      voltageV: [3.7, 3.7, 3.6, 3.8, 3.7, 3.6, 3.6, 3.6, 3.7],
      currentA: [0, 0, -1, 1, 0, -1, -1, -1, 0],
    });
    const pulses = findPulses(frame);
    expect(pulses.length).toBe(1);
    expect(pulses[0]!.direction).toBe('discharge');
    expect(pulses[0]!.startRow).toBe(2);
    expect(findPulses(frame, { maxDurationS: 1e4 }).length).toBe(2);
  });
});

describe('hppc input guards', () => {
  it('rejects an impedance frame, a missing channel, no pulse and bad times', () => {
    const eis = createFrame({
      columns: {
        frequency_Hz: Float64Array.of(1, 2, 3),
        z_real_Ohm: Float64Array.of(1, 1, 1),
        z_imag_Ohm: Float64Array.of(-1, -1, -1),
      },
      meta: { vendor: 'x', format: 'x', kind: 'impedance' },
    });
    expect(() => hppc(eis)).toThrow(expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }));
    const noCurrent = createFrame({
      columns: { test_time_s: Float64Array.of(0, 1, 2), voltage_V: Float64Array.of(3, 3, 3) },
      meta: { vendor: 'x', format: 'x' },
    });
    expect(() => hppc(noCurrent)).toThrow(expect.objectContaining({ code: 'DISCERN_MISSING_COLUMN' }));
    const rest = syntheticFrame({ timeS: [0, 1, 2, 3], voltageV: [3, 3, 3, 3], currentA: [0, 0, 0, 0] });
    expect(() => hppc(rest)).toThrow(expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }));
    const one = syntheticFrame({ timeS: [0, 1, 2, 3], voltageV: [3, 2.9, 2.9, 3], currentA: [0, -1, -1, 0] });
    expect(() => hppc(one, { timesS: [-1] })).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
});

describe.skipIf(!haveFixtures)('beep Maccor diagnostics', () => {
  it('PreDiag_000229: the 1 s charge pulse at 10 ms resolution, values read from the text file', () => {
    const r = hppc(readSource(fixtureFile('beep/PreDiag_000229_000229_truncated.034')), { timesS: [0.1, 2] });
    expect(r.pulses.length).toBe(1);
    const p = r.pulses[0]!;
    // Rec 361: rest at 3.45914397 V; Rec 362 (0.03 s): 4.8455024033 A, 3.62478065 V; Rec 369
    // (0.10 s): 4.8425268940 A, 3.63660639 V; Rec 459 (1.00 s, end): 4.8395513848 A,
    // 3.64621958 V; Rec 460: rest, 3.50881209 V.
    expect(p).toMatchObject({ direction: 'charge', cycleIndex: 0, stepIndex: 2, samples: 98 });
    expect(p.onsetTimeS).toBeCloseTo(10800, 6);
    expect(p.durationS).toBeCloseTo(1, 6);
    expect(p.ocvV).toBe(3.45914397);
    expect(p.r0Ohm).toBeCloseTo((3.62478065 - 3.45914397) / 4.8455024033, 9);
    expect(p.resistancesOhm[0]).toBeCloseTo((3.63660639 - 3.45914397) / 4.842526894, 6);
    expect(Number.isNaN(p.resistancesOhm[1]!)).toBe(true); // 2 s is after the 1 s pulse
    expect(p.endResistanceOhm).toBeCloseTo((3.64621958 - 3.45914397) / 4.8395513848, 9);
    expect(p.switchOffResistanceOhm).toBeCloseTo((3.50881209 - 3.64621958) / (0 - 4.8395513848), 9);
    expect(p.flags).toEqual([]);
    // No capacity given: the deepest discharge, the full 4.2 → 2.7 V discharge of cycle 0 whose
    // Amp-hr counter ends at 4.7626133936 (Rec 2698).
    expect(r.capacityAh).toBeCloseTo(4.7626133936, 9);
    expect(p.socPct).toBeGreaterThan(0);
    expect(p.socPct).toBeLessThan(100);
  });

  it('PreDiag_000412: finds the HPPC blocks wherever they are, and will not make up resistances from one row per step', () => {
    const r = hppc(readSource(fixtureFile('beep/PreDiag_000412_00008Fshort.022')));
    const inCycle = (c: number, d: string): number =>
      r.pulses.filter((p) => p.cycleIndex === c && p.direction === d).length;
    // HPPC diagnostics at cycles 2, 37, 142, 221 and 256 ("misplaced diagnostic" fixture).
    expect([2, 37, 142, 221, 256].map((c) => inCycle(c, 'discharge'))).toEqual([9, 9, 7, 7, 7]);
    expect([2, 37, 142, 221, 256].map((c) => inCycle(c, 'charge'))).toEqual([9, 9, 7, 7, 7]);
    const hppcPulses = r.pulses.filter((p) => p.cycleIndex === 2);
    for (const p of hppcPulses) {
      // The protocol's 30 s discharge and 10 s regen pulses, from the step times.
      expect(p.durationS).toBeCloseTo(p.direction === 'discharge' ? 30 : 10, 6);
      expect(p.flags).toContain('fewer-than-10-samples');
      expect(p.flags).toContain('ocv-not-at-rest-end');
      expect(Number.isNaN(p.r0Ohm)).toBe(true);
    }
    // The file keeps one row of an 11669 s charge step: SOC cannot be counted.
    expect(r.warnings.length).toBe(1);
    expect(Number.isNaN(hppcPulses[0]!.socPct)).toBe(true);
    // The 1 s pulse of cycle 0 is fully sampled: Rec 937 rest 3.90615702 V; Rec 938 4.8459601740 A,
    // 4.02937362 V; Rec 945 (0.10 s) 4.8404669261 A, 4.03616388 V.
    const p0 = r.pulses[0]!;
    expect(p0.cycleIndex).toBe(0);
    expect(p0.r0Ohm).toBeCloseTo((4.02937362 - 3.90615702) / 4.845960174, 9);
    expect(p0.resistancesOhm[0]).toBeCloseTo((4.03616388 - 3.90615702) / 4.8404669261, 6);
  });
});
