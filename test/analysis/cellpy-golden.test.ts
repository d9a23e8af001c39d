import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { capacityFade, cycleSummary, detectSteps } from '../../src/analysis/index.js';
import { readSource } from '../../src/ingest/index.js';
import { fixture, fixtureFile, haveFixtures } from '../helpers/fixtures.js';

// cellpy's committed per-cycle summary of 20160805_test001_45_cc_01.res (a Si anode half cell,
// discharge = lithiation first). cellpy's README compares with a relative tolerance of ~5e-7.
describe.skipIf(!haveFixtures)('per-cycle summary against cellpy (pipeline_smoke golden)', () => {
  const frame = readSource(fixtureFile('cellpy/20160805_test001_45_cc_01.res'));
  const steps = detectSteps(frame);
  const rows = cycleSummary(frame, { steps, efficiency: 'charge/discharge' });
  const table = tableFromIPC(
    readParquet(
      new Uint8Array(readFileSync(fixture('cellpy/goldens/pipeline_smoke/summary.parquet'))),
    ).intoIPCStream(),
  );
  const golden = table.toArray().map((r) => r.toJSON() as Record<string, number | bigint | null>);
  const g = (k: number, col: string): number => Number(golden[k]![col]);
  const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

  it('has the manifest counts: 18 cycles, 103 steps (metrics.json n_cycles, n_steps)', () => {
    expect(rows).toHaveLength(18);
    expect(golden).toHaveLength(18);
    expect(steps).toHaveLength(103);
  });

  it('charge and discharge capacity of every cycle within 5e-7 relative', () => {
    rows.forEach((r, k) => {
      expect(r.cycle).toBe(g(k, 'cycle_num'));
      expect(r.chargeCapacityAh).toBeCloseTo(g(k, 'charge_capacity'), 12);
      if (g(k, 'charge_capacity') > 0)
        expect(rel(r.chargeCapacityAh, g(k, 'charge_capacity'))).toBeLessThan(5e-7);
      expect(rel(r.dischargeCapacityAh, g(k, 'discharge_capacity'))).toBeLessThan(5e-7);
    });
  });

  it('coulombic efficiency (anode mode: charge/discharge, in %) and the coulombic difference', () => {
    rows.forEach((r, k) => {
      expect(100 * r.coulombicEfficiency).toBeCloseTo(g(k, 'coulombic_efficiency'), 6);
      expect(r.dischargeCapacityAh - r.chargeCapacityAh).toBeCloseTo(g(k, 'coulombic_difference'), 12);
    });
  });

  it('last data point, last test time and cumulated capacities', () => {
    rows.forEach((r, k) => {
      // cellpy's data_point is 1-based.
      expect(r.lastRow + 1).toBe(g(k, 'datapoint_num_last'));
      expect(r.endTimeS).toBeCloseTo(g(k, 'last_test_time'), 6);
      expect(
        rel(r.cumulativeChargeCapacityAh, g(k, 'test_cumulated_charge_capacity') || 1e-300),
      ).toBeLessThan(5e-7);
      expect(rel(r.cumulativeDischargeCapacityAh, g(k, 'test_cumulated_discharge_capacity'))).toBeLessThan(
        5e-7,
      );
    });
  });

  it('end-of-charge and end-of-discharge potentials of the last charge and discharge steps', () => {
    rows.forEach((r, k) => {
      const ch = golden[k]!['potential_end_charge'];
      if (ch === null) expect(r.endChargeVoltageV).toBeNaN();
      else expect(r.endChargeVoltageV).toBeCloseTo(Number(ch), 9);
      expect(r.endDischargeVoltageV).toBeCloseTo(g(k, 'potential_end_discharge'), 9);
    });
  });

  it('equivalent full cycles and C-rates with cellpy nominal capacity (1 mAh/g x 1 mg = 1e-6 Ah)', () => {
    const fade = capacityFade(rows, { ratedCapacityAh: 1e-6 });
    fade.points.forEach((p, k) => {
      expect(rel(p.throughputAh, g(k, 'test_cumulated_capacity_throughput'))).toBeLessThan(5e-7);
      expect(rel(p.equivalentFullCycles, g(k, 'equivalent_full_cycles'))).toBeLessThan(5e-7);
    });
    // cellpy's C-rate is the sample mean of the current of the cycle's charge (discharge) step over
    // the nominal capacity: this checks that our steps have cellpy's boundaries.
    const current = frame.columns['current_A'] as Float64Array;
    rows.slice(0, 17).forEach((r, k) => {
      const main = (kind: string): number => {
        const s = steps
          .filter((x) => x.kind === kind && x.instrumentCycle === r.cycle)
          .reduce((a, x) => (x.durationS > a.durationS ? x : a));
        let sum = 0;
        for (let i = s.startRow; i < s.endRow; i++) sum += current[i]!;
        return sum / (s.endRow - s.startRow);
      };
      expect(rel(main('cc_charge') / 1e-6, g(k, 'charge_c_rate'))).toBeLessThan(1e-6);
      expect(rel(-main('cc_discharge') / 1e-6, g(k, 'discharge_c_rate'))).toBeLessThan(1e-6);
    });
  });

  it('matches the manifest: cycle 1 charge 1.625406 mAh, discharge 1.755094 mAh; cycle 18 truncated', () => {
    expect(rows[0]!.chargeCapacityAh * 1e3).toBeCloseTo(1.625406, 6);
    expect(rows[0]!.dischargeCapacityAh * 1e3).toBeCloseTo(1.755094, 6);
    expect(rows[0]!.endTimeS).toBeCloseTo(168686.23, 2);
    expect(rows[1]!.chargeCapacityAh * 1e3).toBeCloseTo(1.7, 3);
    expect(rows[1]!.dischargeCapacityAh * 1e3).toBeCloseTo(1.567, 3);
    expect(100 * rows[1]!.coulombicEfficiency).toBeCloseTo(108.43, 2);
    expect(rows[17]!.chargeCapacityAh).toBe(0);
    expect(rows[17]!.dischargeCapacityAh).toBeCloseTo(0.000239, 6);
  });

  it('finds the pulse steps of the cycles 4-17 and no CV step in this CC-only test', () => {
    expect(steps.filter((s) => s.kind === 'cv_charge' || s.kind === 'cv_discharge')).toHaveLength(0);
    expect(steps.filter((s) => s.kind === 'cc_charge')).toHaveLength(17);
    expect(steps.filter((s) => s.kind === 'cc_discharge')).toHaveLength(18);
  });
});
