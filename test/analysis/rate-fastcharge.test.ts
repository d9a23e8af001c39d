import { describe, expect, it } from 'vitest';
import {
  cycleNumbers,
  cycleSummary,
  detectSteps,
  fastCharge,
  ragone,
  rateCapability,
  relaxationPlateau,
} from '../../src/analysis/index.js';
import { seededRandom } from '../../src/analysis/fit/random.js';
import { floatColumn } from '../../src/core/index.js';
import { readSource } from '../../src/ingest/index.js';
import { fixtureFile, haveFixtures } from '../helpers/fixtures.js';
import { buildFrame, cc, rest, type Segment } from './synthetic.js';

const M50T = 'NewareNDA/TESTCELL0001-B2-2025-M50T_NewareNDA_Investigation.ndax';

describe('rate capability and Ragone points (2 Ah cell)', () => {
  // Full charges at 1 A, then discharges of known capacity: 0.2C 2.0 Ah, 1C 1.9 Ah, 2C 1.8 Ah at
  // 25 degC and 1C 1.6 Ah at 0 degC; each 4.0 -> 3.0 V linear, so E = 3.5 V × Q.
  const charge = (t: number): Segment[] => [
    cc(1, 7200, 3.0, 4.1, 20, { temperature: () => t }),
    rest(600, 4.0, 20, { temperature: () => t }),
  ];
  const dis = (i: number, q: number, t: number): Segment[] => [
    cc(-i, (q / i) * 3600, 4.0, 3.0, 20, { temperature: () => t }),
    rest(600, 3.2, 20, { temperature: () => t }),
  ];
  const f = buildFrame([
    ...charge(25),
    ...dis(0.4, 2.0, 25),
    ...charge(25),
    ...dis(2, 1.9, 25),
    ...charge(25),
    ...dis(4, 1.8, 25),
    ...charge(0),
    ...dis(2, 1.6, 0),
  ]);
  const r = rateCapability(f, detectSteps(f), { nominalCapacityAh: 2 });
  it('groups by direction, C-rate and temperature, relative to the slowest rate', () => {
    const d = r.points.filter((p) => p.direction === 'discharge');
    expect(d.map((p) => [p.temperatureDegC, p.cRate])).toEqual([
      [0, 1],
      [25, 0.2],
      [25, 1],
      [25, 2],
    ]);
    expect(d.map((p) => p.capacityAh)).toEqual([1.6, 2.0, 1.9, 1.8].map((x) => expect.closeTo(x, 9)));
    expect(d.map((p) => p.relativeCapacity)).toEqual([1, 1, 0.95, 0.9].map((x) => expect.closeTo(x, 9)));
    expect(d[2]!.meanVoltageV).toBeCloseTo(3.5, 9);
    // The test's first charge starts from an unknown state of charge: not full, not a point.
    const c = r.points.filter((p) => p.direction === 'charge');
    expect(c.map((p) => [p.temperatureDegC, p.cRate, p.steps])).toEqual([
      [0, 0.5, 1],
      [25, 0.5, 2],
    ]);
    expect(r.steps.filter((s) => !s.full).map((s) => s.step)).toEqual([1]);
  });
  it('Ragone: Wh/kg and W/kg of each discharge for a 50 g cell', () => {
    const pts = ragone(r.steps, 0.05);
    expect(pts).toHaveLength(4);
    const fast = pts[pts.length - 1]!;
    expect(fast.specificEnergyWhPerKg).toBeCloseTo((3.5 * 1.8) / 0.05, 6);
    expect(fast.specificPowerWPerKg).toBeCloseTo((3.5 * 4) / 0.05, 6);
    expect(() => ragone(r.steps, 0)).toThrow();
  });
  it('the default nominal capacity is the largest CC discharge', () => {
    expect(rateCapability(f, detectSteps(f)).nominalCapacityAh).toBeCloseTo(2, 9);
  });
});

describe('rate capability ignores partial discharges (2 Ah cell, 4.1 V / 3.0 V limits)', () => {
  // The test starts at mid state of charge with a 0.1C discharge to 3.0 V (0.6 Ah: partial, it did
  // not start from a full charge); later a 0.1C discharge cut at 1.0 Ah by a capacity limit (ends
  // at 3.55 V: partial). The full discharges are 0.5C 2.0 Ah, 1C 1.9 Ah and 2C 1.8 Ah.
  const full = (): Segment[] => [cc(1, 7200, 3.2, 4.1, 20), rest(600, 4.05, 20)];
  const dis = (i: number, q: number, v1 = 3.0): Segment[] => [
    cc(-i, (q / i) * 3600, 4.0, v1, 20),
    rest(600, v1 + 0.2, 20),
  ];
  const f = buildFrame([
    rest(300, 3.6, 20),
    ...dis(0.2, 0.6),
    ...full(),
    ...dis(1, 2.0),
    ...full(),
    ...dis(0.2, 1.0, 3.55),
    ...full(),
    ...dis(2, 1.9),
    ...full(),
    ...dis(4, 1.8),
  ]);
  const r = rateCapability(f, detectSteps(f));
  it('the reference is the full discharge at the lowest rate; partial steps make no point', () => {
    expect(r.nominalCapacityAh).toBeCloseTo(2, 9);
    const d = r.points.filter((p) => p.direction === 'discharge');
    expect(d.map((p) => p.cRate)).toEqual([0.5, 1, 2]);
    expect(d.map((p) => p.relativeCapacity)).toEqual([1, 0.95, 0.9].map((x) => expect.closeTo(x, 9)));
    const partial = r.steps.filter((s) => s.direction === 'discharge' && !s.full);
    expect(partial.map((s) => s.capacityAh)).toEqual([0.6, 1.0].map((x) => expect.closeTo(x, 9)));
    expect(ragone(r.steps, 0.05).map((p) => p.cRate)).toEqual([0.5, 1, 2].map((x) => expect.closeTo(x, 9)));
  });
  it('without any full step there is no rate map', () => {
    const g = buildFrame([rest(300, 3.6, 20), ...dis(0.2, 0.6)]);
    expect(() => rateCapability(g, detectSteps(g))).toThrow(
      expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }),
    );
  });
});

describe.skipIf(!haveFixtures)('rate capability of the LG M50T .ndax (NewareNDA fixture)', () => {
  const frame = readSource(fixtureFile(M50T));
  const r = rateCapability(frame, detectSteps(frame));
  it('1C is defined by the largest full discharge (MANIFEST: max discharge 4723.799 mAh)', () => {
    expect(r.nominalCapacityAh * 1000).toBeCloseTo(4723.799, 2);
  });
  it('the partial 0.1C discharge at the start (3.59 V -> 2.5 V, 1.30 Ah) is not the reference', () => {
    const first = r.steps[0]!;
    expect(first.direction).toBe('discharge');
    expect(first.cRate).toBeLessThan(0.15);
    expect(first.full).toBe(false);
    const d = r.points.filter((p) => p.direction === 'discharge');
    expect(d[0]!.cRate).toBeCloseTo(0.53, 9);
    // Full discharges deliver (nearly) the same capacity at 0.5C and 1C: relative capacity <= ~1.
    for (const p of r.points) expect(p.relativeCapacity).toBeLessThanOrEqual(1.01);
    expect(d[d.length - 1]!.relativeCapacity).toBeGreaterThan(0.95);
  });
});

describe('relaxationPlateau', () => {
  const t = Array.from({ length: 901 }, (_, k) => 2 * k);
  const clean = t.map((s) => 4.0 + 0.1 * Math.exp(-s / 60));
  // Stripping of plated lithium holds the voltage until ~300 s, then it drops by 20 mV more.
  const plated = t.map((s, k) => clean[k]! - 0.02 / (1 + Math.exp(-(s - 300) / 20)));
  it('no plateau in a monotonic relaxation', () => {
    expect(relaxationPlateau(t, clean).detected).toBe(false);
  });
  it('detects the plateau before the delayed drop', () => {
    const r = relaxationPlateau(t, plated);
    expect(r.detected).toBe(true);
    expect(r.plateauTimeS).toBeGreaterThan(100);
    expect(r.plateauTimeS).toBeLessThan(300);
    // The end of stripping is the inflection of the sigmoid, at 300 s.
    expect(Math.abs(r.strippingEndS - 300)).toBeLessThan(20);
  });

  // A 2 h rest sampled every 2 s, with 50 µV Gaussian noise (seeded) and 0.1 mV quantisation.
  const tt = Array.from({ length: 3601 }, (_, k) => 2 * k);
  const rng = seededRandom(7);
  const noise = tt.map(() => 5e-5 * rng.normal());
  const adc = (v: number): number => Math.round(v / 1e-4) * 1e-4;
  const threeExp = (s: number): number =>
    4.1 + 0.03 * Math.exp(-s / 20) + 0.02 * Math.exp(-s / 300) + 0.01 * Math.exp(-s / 3000);
  const stripping = (dv: number, end: number, width: number) => (s: number) =>
    dv / (1 + Math.exp((s - end) / width));
  it('a sum of exponentials (slow, 3000 s tail) is not a plateau', () => {
    const r = relaxationPlateau(
      tt,
      tt.map((s, k) => adc(threeExp(s) + noise[k]!)),
    );
    expect(r.detected).toBe(false);
    expect(r.excessV).toBeLessThan(0.2e-3);
    expect(r.noiseV).toBeGreaterThan(3e-5);
    expect(r.noiseV).toBeLessThan(1e-4);
  });
  it('a diffusion-like relaxation 50 mV / sqrt(1 + t/30 s) is not a plateau', () => {
    const r = relaxationPlateau(
      tt,
      tt.map((s, k) => adc(4.1 + 0.05 / Math.sqrt(1 + s / 30) + noise[k]!)),
    );
    expect(r.detected).toBe(false);
  });
  for (const [dv, end, width] of [
    [0.005, 900, 60],
    [0.01, 600, 30],
  ] as const) {
    it(`the same exponentials plus a ${dv * 1000} mV stripping plateau ending at ${end} s are told apart`, () => {
      const strip = stripping(dv, end, width);
      const r = relaxationPlateau(
        tt,
        tt.map((s, k) => adc(threeExp(s) + strip(s) + noise[k]!)),
      );
      expect(r.detected).toBe(true);
      expect(r.excessV).toBeGreaterThan(r.thresholdV);
      expect(r.plateauTimeS).toBeLessThan(end);
      expect(Math.abs(r.strippingEndS - end)).toBeLessThan(2 * width);
    });
  }
});

describe('fastCharge', () => {
  // 12 cycles of a 2 Ah cell: CC charge at 4 A (2C) for 1800 s while warming 25 -> 35 degC, rest,
  // 2 A discharge of 2 Ah (cycle 8: 1.9 Ah, a CE dip). Cycle 5's rest shows a plating plateau.
  const segs: Segment[] = [];
  for (let c = 1; c <= 12; c++) {
    segs.push(cc(4, 1800, 3.3, 4.1, 10, { cycle: c, temperature: (s) => 25 + s / 180 }));
    segs.push({
      durationS: 1800,
      dtS: 2,
      current: () => 0,
      voltage: (s) => 4.0 + 0.1 * Math.exp(-s / 60) - (c === 5 ? 0.02 / (1 + Math.exp(-(s - 300) / 20)) : 0),
      cycle: c,
    });
    segs.push(cc(-2, c === 8 ? 3420 : 3600, 4.0, 3.0, 10, { cycle: c }));
  }
  const f = buildFrame(segs);
  const steps = detectSteps(f);
  const cyc = cycleNumbers(f, steps);
  const out = fastCharge(f, steps, cyc, cycleSummary(f, { steps, cycles: cyc }), { referenceCapacityAh: 2 });
  it('times to 80 % and from 10 to 80 % SOC, C-rates, temperature rise', () => {
    const r = out[0]!;
    expect(r.timeTo80PercentS).toBeCloseTo(1440, 6);
    expect(r.time10To80PercentS).toBeCloseTo(1260, 6);
    expect(r.meanCRate10To80).toBeCloseTo(2, 9);
    expect(r.meanCRate).toBeCloseTo(2, 9);
    expect(r.maxCRate).toBeCloseTo(2, 12);
    expect(r.temperatureRiseDegC).toBeCloseTo(10, 9);
    expect(r.cvShare).toBe(0);
  });
  it('flags the plating plateau of cycle 5 and the CE dip of cycle 8 only', () => {
    expect(out.filter((r) => r.relaxationPlateau).map((r) => r.cycle)).toEqual([5]);
    expect(out.filter((r) => r.ceDip).map((r) => r.cycle)).toEqual([8]);
  });
});

describe.skipIf(!haveFixtures)('fast charge of the LG M50T .ndax (NewareNDA fixture, 25 degC)', () => {
  const frame = readSource(fixtureFile(M50T));
  const steps = detectSteps(frame);
  const cyc = cycleNumbers(frame, steps);
  const out = fastCharge(frame, steps, cyc, cycleSummary(frame, { steps, cycles: cyc }));
  it('the cell sat at 25-28 degC (Neware T1, read as temperature_degC)', () => {
    const temp = Array.from(floatColumn(frame, 'temperature_degC')!).filter(Number.isFinite);
    expect(Math.min(...temp)).toBeGreaterThan(23.5);
    expect(Math.max(...temp)).toBeLessThan(29.5);
    // so every charge has a temperature rise: a few kelvin at most in a 25 degC chamber
    for (const r of out) {
      expect(r.temperatureRiseDegC).toBeGreaterThan(0);
      expect(r.temperatureRiseDegC).toBeLessThan(5);
    }
  });
  it('no 1C cycle shows a plating plateau: the 5-minute rests relax as sums of exponentials', () => {
    const oneC = out.filter((r) => Math.abs(r.maxCRate - 1.06) < 0.05);
    expect(oneC.length).toBe(6);
    expect(out.filter((r) => r.relaxationPlateau)).toEqual([]);
    for (const r of out) expect(r.plateauExcessV).toBeLessThan(0.5 * r.plateauThresholdV);
  });
});
