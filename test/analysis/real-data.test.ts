import { describe, expect, it } from 'vitest';
import { cycleNumbers, cycleSummary, detectSteps } from '../../src/analysis/index.js';
import { readSource } from '../../src/ingest/index.js';
import { fixtureFile, haveFixtures } from '../helpers/fixtures.js';

// Steps, cycles and per-cycle capacities on instrument files from several vendors, checked
// against the values of fixtures/MANIFEST.md (other projects' tests).
describe.skipIf(!haveFixtures)('cycling analysis on real instrument files', () => {
  it('BT-Lab CSV (beep): first-cycle charge 1.4618750 Ah, discharge 2.324598 Ah', () => {
    const f = readSource(fixtureFile('beep/test_loopsnewoutput_MB_CE1_short10k.csv'), {
      timeZone: 'America/Los_Angeles',
    });
    const rows = cycleSummary(f, { steps: detectSteps(f) });
    expect(rows[0]!.chargeCapacityAh).toBeCloseTo(1.461875, 5);
    expect(rows[0]!.dischargeCapacityAh).toBeCloseTo(2.324598, 5);
  });

  it('Landt CSV: charge 0.0032 Ah and discharge 0.0063 Ah (BDF reference maxima)', () => {
    const f = readSource(fixtureFile('BDF/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv'), {
      timeZone: 'UTC',
    });
    const rows = cycleSummary(f);
    expect(rows[0]!.chargeCapacityAh).toBeCloseTo(0.0032, 4);
    expect(rows[0]!.dischargeCapacityAh).toBeCloseTo(0.0063, 4);
  });

  it('Neware .nda (BTS 9.1): CC-CV charges split into CC and CV; step maxima 5659.8564 / 5806.646 mAh', () => {
    const f = readSource(fixtureFile('NewareNDA/TestFile.nda'), { timeZone: 'UTC' });
    const steps = detectSteps(f);
    expect(steps.map((s) => s.kind)).toEqual([
      'ocv',
      'cc_discharge',
      'rest',
      'cc_charge',
      'cv_charge',
      'rest',
      'cc_discharge',
      'rest',
      'cc_charge',
      'cv_charge',
      'rest',
    ]);
    // The file's own labels agree with the signal-based classes.
    expect(steps.map((s) => s.label)).toEqual([
      'Rest',
      'CC_DChg',
      'Rest',
      'CC_Chg',
      'CV_Chg',
      'Rest',
      'CC_DChg',
      'Rest',
      'CC_Chg',
      'CV_Chg',
      'Rest',
    ]);
    expect(Math.max(...steps.map((s) => s.chargeCapacityAh)) * 1e3).toBeCloseTo(5659.8564, 2);
    expect(Math.max(...steps.map((s) => s.dischargeCapacityAh)) * 1e3).toBeCloseTo(5806.646, 2);
    const rows = cycleSummary(f, { steps });
    expect(rows.map((r) => r.cycle)).toEqual([1, 2, 3]);
    expect(rows[1]!.cvChargeShare).toBeGreaterThan(0.02);
    expect(rows[1]!.cvChargeShare).toBeLessThan(0.03);
  });

  it('Neware CSV (cellpy neware_uio.csv): 4 cycles', () => {
    const f = readSource(fixtureFile('cellpy/neware_uio.csv'), { timeZone: 'UTC' });
    expect(cycleSummary(f)).toHaveLength(4);
  });

  it('BDF CSV (cellpy batmo_bdf.csv): cycles 1-109', () => {
    const rows = cycleSummary(readSource(fixtureFile('cellpy/batmo_bdf.csv')));
    expect(rows).toHaveLength(109);
    expect(rows[0]!.cycle).toBe(1);
    expect(rows[108]!.cycle).toBe(109);
  });

  it('Maccor (beep xTESLADIAG): 30 charge-discharge loops inside instrument cycle 1', () => {
    const f = readSource(fixtureFile('beep/xTESLADIAG_000019_CH70.070'), { timeZone: 'UTC' });
    const steps = detectSteps(f);
    const inst = cycleSummary(f, { steps });
    expect(inst.map((r) => r.cycle)).toEqual([0, 1, 2]);
    expect(inst[1]!.maxVoltageV).toBeCloseTo(4.100838, 4);
    const cyc = cycleNumbers(f, steps, 'charge-discharge');
    const loops = cycleSummary(f, { steps, cycles: cyc });
    const full = loops.filter((r) => r.chargeCapacityAh > 1 && r.dischargeCapacityAh > 1);
    expect(full).toHaveLength(30);
    // The first loop also holds the initial 47 s discharge pulse, and the last one the discharge
    // that opens instrument cycle 2 (a discharge never starts a charge-discharge cycle); the loops
    // in between are plain CC-CV charge / CC discharge pairs.
    for (const r of full.slice(1, -1)) {
      expect(r.coulombicEfficiency).toBeGreaterThan(0.95);
      expect(r.coulombicEfficiency).toBeLessThan(1.05);
      expect(r.cvChargeShare).toBeGreaterThan(0.2);
    }
    // The charge-discharge numbering redistributes the same charge: totals are unchanged.
    const total = (rs: typeof inst): number =>
      rs.reduce((a, r) => a + r.chargeCapacityAh + r.dischargeCapacityAh, 0);
    expect(total(loops)).toBeCloseTo(total(inst), 9);
  });

  it('Neware .ndax (test_2): one detected step per instrument step (216)', () => {
    const f = readSource(fixtureFile('NewareNDA/test_2.ndax'), { timeZone: 'UTC' });
    expect(f.length).toBe(108563);
    expect(detectSteps(f)).toHaveLength(216);
  });
});
