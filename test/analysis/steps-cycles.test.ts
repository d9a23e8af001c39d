import { describe, expect, it } from 'vitest';
import { cycleNumbers, cycleSummary, detectSteps } from '../../src/analysis/index.js';
import { buildFrame, cc, cv, rest, type Segment } from './synthetic.js';

// One CC-CV cycle with a known answer:
//  CC charge 1 A for 3600 s, 3.0 -> 4.2 V: 1 Ah, energy 1 A * 3.6 V mean * 1 h = 3.6 Wh.
//  CV at 4.2 V, I = 1 A * exp(-t / 600 s) for 3000 s: Q = 600 (1 - e^-5) / 3600 Ah.
//  rest 600 s; CC discharge -0.5 A for 7200 s, 4.0 -> 3.0 V: 1 Ah, 3.5 Wh; rest 600 s.
const qCv = (600 * (1 - Math.exp(-5))) / 3600;
function cycle(c: number, first: number): Segment[] {
  return [
    cc(1, 3600, 3.0, 4.2, 10, { cycle: c, step: first }),
    cv(1, 600, 3000, 4.2, 1, { cycle: c, step: first + 1 }),
    rest(600, 4.1, 10, { cycle: c, step: first + 2 }),
    cc(-0.5, 7200, 4.0, 3.0, 10, { cycle: c, step: first + 3 }),
    rest(600, 3.2, 10, { cycle: c, step: first + 4 }),
  ];
}
const three = [...cycle(1, 1), ...cycle(2, 6), ...cycle(3, 11)];

describe('detectSteps: classification from the signals', () => {
  it('finds CC charge, CV charge, rest, CC discharge, rest in every cycle', () => {
    const steps = detectSteps(buildFrame(three));
    expect(steps.map((s) => s.kind)).toEqual(
      Array.from({ length: 3 }, () => ['cc_charge', 'cv_charge', 'rest', 'cc_discharge', 'rest']).flat(),
    );
    const [ccs, cvs, , dis] = steps;
    expect(ccs!.chargeCapacityAh).toBeCloseTo(1, 9);
    expect(ccs!.chargeEnergyWh).toBeCloseTo(3.6, 9);
    // Trapezoid error of exp(-t/600) sampled every second is ~1e-7 relative.
    expect(cvs!.chargeCapacityAh).toBeCloseTo(qCv, 6);
    expect(dis!.dischargeCapacityAh).toBeCloseTo(1, 9);
    expect(dis!.meanCurrentA).toBeCloseTo(-0.5, 12);
    expect(dis!.durationS).toBe(7200);
  });

  it('gives the same steps without any step index', () => {
    const a = detectSteps(buildFrame(three));
    const b = detectSteps(buildFrame(three, { stepIndex: false }));
    expect(b.map((s) => [s.kind, s.startRow, s.endRow])).toEqual(
      a.map((s) => [s.kind, s.startRow, s.endRow]),
    );
  });

  it('splits a misleading step index (one index for the whole test) by the signals', () => {
    const f = buildFrame(three.map((s) => ({ ...s, step: 1, cycle: 1 })));
    const steps = detectSteps(f);
    expect(steps).toHaveLength(15);
    expect(steps.filter((s) => s.kind === 'cv_charge')).toHaveLength(3);
    // With a single instrument cycle, the charge-then-discharge numbering still finds 3 cycles.
    const cyc = cycleNumbers(f, steps, 'charge-discharge');
    const rows = cycleSummary(f, { steps, cycles: cyc });
    expect(rows.map((r) => r.cycle)).toEqual([1, 2, 3]);
    for (const r of rows) expect(r.dischargeCapacityAh).toBeCloseTo(1, 9);
  });

  it('labels short current steps as pulses and long rests as OCV', () => {
    const f = buildFrame([
      rest(7200, 3.7, 60),
      cc(-2, 10, 3.6, 3.55, 1),
      rest(40, 3.68, 1),
      cc(2, 10, 3.8, 3.85, 1),
      rest(600, 3.7, 10),
      cc(-1, 600, 3.7, 3.5, 10),
    ]);
    expect(detectSteps(f).map((s) => s.kind)).toEqual([
      'ocv',
      'pulse_discharge',
      'rest',
      'pulse_charge',
      'rest',
      'cc_discharge',
    ]);
  });

  it('calls a varying current (a drive profile) charge/discharge, not CC', () => {
    const f = buildFrame([
      { durationS: 600, dtS: 1, current: (t) => -1 - 0.5 * Math.sin(t / 20), voltage: (t) => 3.9 - t / 3000 },
    ]);
    expect(detectSteps(f).map((s) => s.kind)).toEqual(['discharge']);
  });

  it('marks an impedance frame as one impedance step', () => {
    const f = buildFrame([rest(10, 3.7, 1)]);
    expect(detectSteps({ ...f, meta: { ...f.meta, kind: 'impedance' } })[0]!.kind).toBe('impedance');
  });
});

describe('cycleNumbers', () => {
  // Starts with a discharge: D C D C D.
  const segs = [
    cc(-1, 3600, 4.1, 3.0),
    rest(600, 3.1),
    cc(1, 3600, 3.0, 4.1),
    rest(600, 4.0),
    cc(-1, 3600, 4.1, 3.0),
    cc(1, 3600, 3.0, 4.1),
    cc(-1, 1800, 4.1, 3.5),
  ];
  const f = buildFrame(segs.map((s) => ({ ...s, cycle: 7 })));
  const steps = detectSteps(f);
  it('charge-discharge: a leading discharge is cycle 1 on its own', () => {
    const c = cycleNumbers(f, steps, 'charge-discharge');
    expect(steps.map((s) => c[s.startRow])).toEqual([1, 1, 2, 2, 2, 3, 3]);
  });
  it('discharge-charge: each discharge starts a cycle', () => {
    const c = cycleNumbers(f, steps, 'discharge-charge');
    expect(steps.map((s) => c[s.startRow])).toEqual([1, 1, 1, 1, 2, 2, 3]);
  });
  it('instrument: the file counter as it is', () => {
    expect(new Set(cycleNumbers(f, steps, 'instrument'))).toEqual(new Set([7]));
  });
});

describe('cycleSummary on exact synthetic cycles', () => {
  const f = buildFrame(
    three.map((s, k) => ({ ...s, temperature: (t: number) => 25 + (k % 5 === 0 ? t / 360 : 0) })),
  );
  const steps = detectSteps(f);
  const rows = cycleSummary(f, { steps });
  it('capacity, energy, efficiencies, mean voltages, CV share', () => {
    expect(rows).toHaveLength(3);
    const r = rows[1]!;
    expect(r.chargeCapacityAh).toBeCloseTo(1 + qCv, 6);
    expect(r.dischargeCapacityAh).toBeCloseTo(1, 9);
    expect(r.chargeEnergyWh).toBeCloseTo(3.6 + 4.2 * qCv, 5);
    expect(r.dischargeEnergyWh).toBeCloseTo(3.5, 9);
    expect(r.coulombicEfficiency).toBeCloseTo(1 / (1 + qCv), 6);
    expect(r.energyEfficiency).toBeCloseTo(3.5 / (3.6 + 4.2 * qCv), 5);
    expect(r.meanDischargeVoltageV).toBeCloseTo(3.5, 9);
    expect(r.cvChargeCapacityAh).toBeCloseTo(qCv, 6);
    expect(r.cvChargeShare).toBeCloseTo(qCv / (1 + qCv), 6);
    expect(r.minVoltageV).toBe(3.0);
    expect(r.maxVoltageV).toBe(4.2);
    expect(r.endChargeVoltageV).toBe(4.2);
    expect(r.endDischargeVoltageV).toBeCloseTo(3.0, 12);
  });
  it('durations, currents, temperatures', () => {
    const r = rows[0]!;
    expect(r.durationS).toBe(3600 + 3000 + 600 + 7200 + 600);
    expect(r.chargeDurationS).toBe(6600);
    expect(r.dischargeDurationS).toBe(7200);
    expect(r.restDurationS).toBe(1200);
    expect(r.meanDischargeCurrentA).toBeCloseTo(0.5, 12);
    // The charge warms linearly from 25 to 35 degC over the CC part.
    expect(r.maxTemperatureDegC).toBeCloseTo(35, 12);
    expect(r.minTemperatureDegC).toBe(25);
    expect(r.cumulativeDischargeCapacityAh).toBeCloseTo(1, 9);
    expect(rows[2]!.cumulativeDischargeCapacityAh).toBeCloseTo(3, 9);
  });
  it('charge/discharge efficiency inverts the ratio', () => {
    const inv = cycleSummary(f, { steps, efficiency: 'charge/discharge' });
    expect(inv[0]!.coulombicEfficiency).toBeCloseTo(1 + qCv, 6);
  });
  it('an empty frame gives no rows', () => {
    const e = buildFrame([rest(10, 3, 1)]);
    expect(cycleSummary({ ...e, length: 0 })).toEqual([]);
  });
});
