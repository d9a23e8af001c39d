import { describe, expect, it } from 'vitest';
import { createFrame, floatColumn, intColumn } from '../../src/core/index.js';
import { completeFrame } from '../../src/ingest/index.js';
import { cumulativeFromReported, integrateSigned, perStepFromCumulative } from '../../src/ingest/derive.js';

describe('capacity derivation', () => {
  it('integrates a constant 1 A over one hour to 1 Ah (trapezoid is exact for constants)', () => {
    const t = Float64Array.from({ length: 3601 }, (_, i) => i);
    const i = new Float64Array(3601).fill(1);
    const q = integrateSigned(t, i, 1);
    expect(q[3600]).toBeCloseTo(1, 12);
    expect(integrateSigned(t, i, -1)[3600]).toBe(0);
  });

  it('turns per-step, per-cycle and never-reset counters into the same cumulative series', () => {
    // Three charge steps of 1, 2 and 0.5 Ah; the "true" cumulative charge is 3.5 Ah.
    const perStep = Float64Array.from([0, 0.5, 1, 0, 1, 2, 0, 0.25, 0.5]);
    const perTest = Float64Array.from([0, 0.5, 1, 1, 2, 3, 3, 3.25, 3.5]);
    expect(Array.from(cumulativeFromReported(perStep))).toEqual(Array.from(perTest));
    expect(Array.from(cumulativeFromReported(perTest))).toEqual(Array.from(perTest));
  });

  it('does not take a small noisy decrease for a reset', () => {
    const noisy = Float64Array.from([0, 1, 0.9999, 1.5]);
    expect(cumulativeFromReported(noisy)[3]).toBeCloseTo(1.5, 12);
  });

  it('gives per-step values from the cumulative series', () => {
    const cum = Float64Array.from([0, 1, 2, 2, 3]);
    const steps = Int32Array.from([1, 1, 1, 2, 2]);
    expect(Array.from(perStepFromCumulative(cum, steps))).toEqual([0, 1, 2, 0, 1]);
  });

  it('completeFrame derives step counts, step and cumulative capacities, and flags a constant cycle counter', () => {
    // charge 2 h at +0.5 A, rest, discharge 1 h at -0.8 A; sampled every 60 s; no capacity columns.
    const t: number[] = [];
    const cur: number[] = [];
    const step: number[] = [];
    const add = (time: number, amps: number, s: number): void => {
      t.push(time);
      cur.push(amps);
      step.push(s);
    };
    for (let k = 0; k <= 120; k++) add(k * 60, 0.5, 1);
    for (let k = 1; k <= 10; k++) add(7200 + k * 60, 0, 2);
    for (let k = 1; k <= 60; k++) add(7800 + k * 60, -0.8, 3);
    const n = t.length;
    const frame = completeFrame(
      createFrame({
        columns: {
          test_time_s: Float64Array.from(t),
          current_A: Float64Array.from(cur),
          voltage_V: new Float64Array(n).fill(3.6),
          step_index: Int32Array.from(step),
          cycle_index: new Int32Array(n).fill(1),
        },
        meta: { vendor: 'synthetic', format: 'synthetic' },
      }),
    );
    const qc = floatColumn(frame, 'cumulative_charge_capacity_Ah')!;
    const qd = floatColumn(frame, 'cumulative_discharge_capacity_Ah')!;
    // The first rest sample follows a charge sample at 0.5 A, so the trapezoid adds half an interval.
    expect(qc[n - 1]).toBeCloseTo((0.5 * (120.5 * 60)) / 3600, 9);
    // Likewise the first discharge sample follows a rest sample at 0 A.
    expect(qd[n - 1]).toBeCloseTo((0.8 * (59.5 * 60)) / 3600, 9);
    expect(floatColumn(frame, 'cumulative_discharge_energy_Wh')![n - 1]).toBeCloseTo(3.6 * qd[n - 1]!, 9);
    expect(intColumn(frame, 'step_count')![n - 1]).toBe(3);
    expect(frame.meta.warnings.map((w) => w.code)).toContain('DISCERN_CYCLE_CONSTANT');
  });

  it('replaces sentinel temperatures by NaN with a warning', () => {
    const frame = completeFrame(
      createFrame({
        columns: {
          test_time_s: Float64Array.from([0, 1, 2]),
          temperature_degC: Float64Array.from([25, -2501, 25.5]),
        },
        meta: { vendor: 'synthetic', format: 'synthetic' },
      }),
    );
    expect(Number.isNaN(floatColumn(frame, 'temperature_degC')![1]!)).toBe(true);
    expect(frame.meta.warnings.find((w) => w.code === 'DISCERN_SENTINEL_VALUE')?.count).toBe(1);
  });

  it('treats any temperature below absolute zero as missing (Maccor writes -2496 ... -2541 degC)', () => {
    const frame = completeFrame(
      createFrame({
        columns: {
          test_time_s: Float64Array.from([0, 1, 2, 3]),
          temperature_degC: Float64Array.from([-40, -2496.3, -273.2, -273.1]),
          aux_temperature_2_degC: Float64Array.from([25, 25, -2541, 25]),
          voltage_V: Float64Array.from([3, -300, 3, 3]),
        },
        meta: { vendor: 'synthetic', format: 'synthetic' },
      }),
    );
    const t = floatColumn(frame, 'temperature_degC')!;
    expect(t[0]).toBe(-40);
    expect(Number.isNaN(t[1]!) && Number.isNaN(t[2]!)).toBe(true);
    expect(t[3]).toBeCloseTo(-273.1, 12);
    expect(Number.isNaN(floatColumn(frame, 'aux_temperature_2_degC')![2]!)).toBe(true);
    // The rule is for temperatures only: a negative voltage is data, not a missing reading.
    expect(floatColumn(frame, 'voltage_V')![1]).toBe(-300);
    const w = frame.meta.warnings.filter((x) => x.code === 'DISCERN_SENTINEL_VALUE');
    expect(w.map((x) => [x.channel, x.count, x.row])).toEqual([
      ['temperature_degC', 2, 1],
      ['aux_temperature_2_degC', 1, 2],
    ]);
  });
});
