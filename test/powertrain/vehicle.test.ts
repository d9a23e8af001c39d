import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  acConsumption,
  compareInverters,
  electricDriveEnergy,
  parseSpeedTrace,
  resampleCycle,
  rewindMachine,
  roadLoad,
  vehicleEnergy,
  type DriveCycle,
  type Vehicle,
} from '../../src/powertrain/index.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import { device, obc, vehicleEntry } from './library-helper.js';

/** The point-mass vehicle of research notes §3.3: no rotating mass, η 0.85, regen 0.9 × 0.75, 0.3 kW aux. */
function pointMass(massKg: number, cda: number, crr: number): Vehicle {
  return {
    ...vehicleEntry('renault-5-52kwh').vehicle,
    id: 'point-mass',
    testMassKg: massKg,
    rotatingMassKg: 0,
    dragAreaM2: cda,
    rollingResistance: crr,
    tractionEfficiency: 0.85,
    regenEfficiency: 0.75,
    regen: { maxFraction: 0.9, a: 0, bPerMph: 0 },
    maxTractionPowerW: Infinity,
    maxRegenPowerW: Infinity,
    auxPowerW: 300,
    usableEnergyWh: 52_000,
  };
}
const constant = (v: number, seconds: number, grade?: number): DriveCycle => ({
  name: 'constant',
  timeS: Float64Array.from({ length: seconds + 1 }, (_, k) => k),
  speedMps: new Float64Array(seconds + 1).fill(v),
  ...(grade !== undefined ? { grade: new Float64Array(seconds + 1).fill(grade) } : {}),
});

describe('road load, analytic cases', () => {
  const v = pointMass(1500, 0.7, 0.01);

  it('at constant speed: aero ½ρC_dA v³ t and rolling m g C_rr v t', () => {
    const r = roadLoad(v, constant(20, 100));
    expect(r.aeroJ).toBeCloseTo(0.5 * 1.2 * 0.7 * 8000 * 100, 6);
    expect(r.rollingJ).toBeCloseTo(1500 * 9.81 * 0.01 * 20 * 100, 6);
    expect(r.inertiaJ).toBe(0);
    expect(r.distanceM).toBe(2000);
  });

  it('on a grade: climbing work m g Δh and rolling with cos α', () => {
    const r = roadLoad(v, constant(10, 100, 0.05));
    const alpha = Math.atan(0.05);
    expect(r.gradeJ).toBeCloseTo(1500 * 9.81 * 1000 * Math.sin(alpha), 6);
    expect(r.rollingJ).toBeCloseTo(1500 * 9.81 * 0.01 * Math.cos(alpha) * 1000, 6);
  });

  it('the inertial term integrates to the kinetic-energy change with the rotating mass', () => {
    const c: DriveCycle = {
      name: 'ramp',
      timeS: Float64Array.from([0, 1, 2.5, 4]),
      speedMps: Float64Array.from([0, 3, 7, 12]),
    };
    const r = roadLoad({ ...v, rotatingMassKg: 45 }, c);
    expect(r.inertiaJ).toBeCloseTo(0.5 * 1545 * 144, 9);
    expect(r.wheelPositiveJ + r.wheelNegativeJ).toBeCloseTo(r.aeroJ + r.rollingJ + r.gradeJ + r.inertiaJ, 9);
  });

  it('rejects a non-physical vehicle and a cycle without distance', () => {
    expect(() => roadLoad({ ...v, testMassKg: 0 }, constant(10, 5))).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
    expect(() => vehicleEnergy({ ...v, tractionEfficiency: 1.2 }, constant(10, 5))).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
    expect(() => vehicleEnergy(v, constant(0, 5))).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
});

describe.skipIf(!haveFixtures)('WLTC 3b energy and range', () => {
  const file = fixture('vehicle/wltc_3b_fastsim.csv');
  const wltc = parseSpeedTrace(readFileSync(file, 'utf8'), { file, name: 'wltc3b' });
  const per100 = (j: number, d: number): number => j / 3.6e6 / (d / 100_000);

  it('conserves energy: wheel = aero + rolling, kinetic energy back to zero', () => {
    const r = roadLoad(vehicleEntry('renault-5-52kwh').vehicle, wltc);
    expect(Math.abs(r.inertiaJ)).toBeLessThan(1e-6);
    expect(r.wheelPositiveJ + r.wheelNegativeJ).toBeCloseTo(r.aeroJ + r.rollingJ, 3);
    // aero energy per metre = ½ ρ C_dA · 514.7 (README)
    expect(r.aeroJ / r.distanceM).toBeCloseTo(0.5 * 1.2 * 0.68 * 514.67, 1);
  });

  // research notes §3.3 table (kWh/100 km, rounded to 0.01; range in km rounded to 1)
  for (const [name, m, cda, crr, expected] of [
    ['Zoe (FASTSim parameters)', 1600, 0.33 * 2.512, 0.009, [7.11, 3.92, 15.02, -3.99, 15.63, 333]],
    ['R5-like guess', 1550, 0.7, 0.008, [6.0, 3.38, 13.44, -4.06, 13.72, 379]],
  ] as const) {
    it(`reproduces the point-mass check of §3.3: ${name}`, () => {
      const r = vehicleEnergy(pointMass(m, cda, crr), wltc);
      const d = r.distanceM;
      expect(per100(r.aeroJ, d)).toBeCloseTo(expected[0], 2);
      expect(per100(r.rollingJ, d)).toBeCloseTo(expected[1], 2);
      expect(per100(r.wheelPositiveJ, d)).toBeCloseTo(expected[2], 2);
      expect(per100(r.wheelNegativeJ, d)).toBeCloseTo(expected[3], 2);
      expect(r.consumptionDcWhPerKm / 10).toBeCloseTo(expected[4], 2);
      expect(Math.abs(r.rangeKm - expected[5])).toBeLessThan(0.5);
    });
  }

  it('the calibration reproduces the Renault 5 52 kWh WLTP range (410 km) within 1 %', () => {
    const e = vehicleEntry('renault-5-52kwh');
    const r = vehicleEnergy(e.vehicle, wltc);
    expect(Math.abs(r.rangeKm / e.published['wltpRangeKm']! - 1)).toBeLessThan(0.01);
    expect(e.calibrated).toContain('drive.tractionEfficiency');
    expect(r.traceMissSteps).toBe(0);
    // energy bookkeeping: wheel braking = regen + friction; battery = traction + regen + aux
    expect(r.regenWheelJ + r.frictionBrakeJ).toBeCloseTo(r.wheelNegativeJ, 3);
    expect(r.batteryJ).toBeCloseTo(r.tractionBatteryJ + r.regenBatteryJ + r.auxJ, 3);
  });

  it('predicts the Renault 5 40 kWh (312 km, not fitted) within 5 %', () => {
    const e = vehicleEntry('renault-5-40kwh');
    const r = vehicleEnergy(e.vehicle, wltc);
    expect(Math.abs(r.rangeKm / 312 - 1)).toBeLessThan(0.05);
  });

  it('predicts the Zoe ZE50 with the FASTSim road load within 10 %, on the low side (notes §3.3: pessimistic)', () => {
    const r = vehicleEnergy(vehicleEntry('renault-zoe-ze50-r135').vehicle, wltc);
    expect(Math.abs(r.rangeKm / 386 - 1)).toBeLessThan(0.1);
    expect(r.rangeKm).toBeLessThan(386);
  });

  it('gives an AC/DC ratio near the ID.4 figure of 0.88 (within 5 %) and above FASTSim 0.86', () => {
    const e = vehicleEntry('renault-5-52kwh');
    const dc = vehicleEnergy(e.vehicle, wltc).consumptionDcWhPerKm;
    const ac = acConsumption(e.vehicle, obc('obc-11kw-bidirectional'), dc);
    expect(Math.abs(ac.wallToBatteryEfficiency / 0.88 - 1)).toBeLessThan(0.05);
    expect(ac.consumptionAcWhPerKm).toBeCloseTo(dc / ac.wallToBatteryEfficiency, 9);
    expect(ac.acChargePowerW).toBeCloseTo(11_000, 3);
  });

  describe('component model (machine + inverter with junction temperature, 10 Hz)', () => {
    const v = vehicleEntry('renault-5-52kwh').vehicle;
    const c10 = resampleCycle(wltc, 0.1);
    const si = electricDriveEnergy(v, c10, device('si-igbt-750v'));
    const sic = electricDriveEnergy(v, c10, device('infineon-fs03mr12a6ma1b'));

    it('balances energy: battery = traction + regen + aux, inverter loss = Σ P_loss Δt', () => {
      for (const r of [si, sic]) {
        expect(r.batteryJ).toBeCloseTo(r.tractionBatteryJ + r.regenBatteryJ + r.auxJ, 3);
        let loss = 0;
        let batt = 0;
        for (let k = 1; k < c10.timeS.length; k++) {
          loss += r.inverterLossW[k]! * 0.1;
          batt += r.batteryPowerW[k]! * (c10.timeS[k]! - c10.timeS[k - 1]!);
        }
        expect(r.inverterLossJ).toBeCloseTo(loss, 3);
        expect(batt).toBeCloseTo(r.batteryJ, 3);
        expect(r.thermalConverged).toBe(true);
        expect(r.peakJunctionDegC).toBeGreaterThan(65);
        expect(r.traceMissSteps).toBe(0);
      }
    });

    it('SiC loses less than Si and adds range, inside the 0-6 % band of notes §2', () => {
      expect(sic.inverterLossJ).toBeLessThan(si.inverterLossJ);
      const gain = sic.rangeKm / si.rangeKm - 1;
      expect(gain).toBeGreaterThan(0);
      expect(gain).toBeLessThan(0.06);
      // the inverter loss is what differs: machine and gear losses are the same
      expect(sic.machineLossJ).toBeCloseTo(si.machineLossJ, 3);
      expect(si.batteryJ - sic.batteryJ).toBeCloseTo(si.inverterLossJ - sic.inverterLossJ, 0);
    });

    it('compares Si and SiC at 400 V and 800 V relative to the first variant', () => {
      const m = v.machine!;
      const res = compareInverters(v, c10, [
        { label: 'Si 400', module: device('si-igbt-750v'), dcLinkVoltageV: 400, machine: m },
        {
          label: 'SiC 800',
          module: device('infineon-fs03mr12a6ma1b'),
          dcLinkVoltageV: 800,
          machine: rewindMachine(m, 2),
        },
      ]);
      expect(res.rows).toHaveLength(2);
      expect(res.rows[0]!.rangeChangePercent).toBe(0);
      expect(res.rows[0]!.rangeKm).toBeCloseTo(si.rangeKm, 6);
      expect(res.rows[1]!.rangeChangePercent).toBeCloseTo(
        (100 * (res.rows[1]!.rangeKm - si.rangeKm)) / si.rangeKm,
        9,
      );
      expect(res.rows[1]!.inverterCycleEfficiency).toBeGreaterThan(res.rows[0]!.inverterCycleEfficiency);
    });
  });
});
