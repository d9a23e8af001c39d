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
import { buildFrame, cc, rest, type Segment } from './synthetic.js';

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
    const c = r.points.filter((p) => p.direction === 'charge');
    expect(c.map((p) => [p.temperatureDegC, p.cRate, p.steps])).toEqual([
      [0, 0.5, 1],
      [25, 0.5, 3],
    ]);
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
  });
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
