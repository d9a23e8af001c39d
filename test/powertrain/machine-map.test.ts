import { describe, expect, it } from 'vitest';
import {
  efficiencyMap,
  machineOperatingPoint,
  rewindMachine,
  type SynchronousMachine,
} from '../../src/powertrain/index.js';
import { device, vehicleEntry } from './library-helper.js';

const machine: SynchronousMachine = vehicleEntry('renault-5-52kwh').vehicle.machine!;
const rpm = (n: number): number => (n * Math.PI) / 30;

describe('synchronous machine operating point', () => {
  it('below base speed: i_d = 0 and T = 1.5 p ψ i_q (+ iron-loss torque)', () => {
    const w = rpm(2000);
    const op = machineOperatingPoint(machine, 150, w, 400);
    expect(op.feasible).toBe(true);
    expect(op.idA).toBe(0);
    const pFe = machine.ironLossHysteresis * 4 * w + machine.ironLossEddy * (4 * w) ** 2;
    expect(1.5 * machine.polePairs * machine.fluxLinkageVs * op.iqA).toBeCloseTo(150 + pFe / w, 9);
  });

  for (const [t, n] of [
    [150, 2000],
    [-120, 3000],
    [60, 9000],
    [-40, 11000],
  ] as const) {
    it(`balances power at ${t} Nm, ${n} rpm: P_ac = T ω + P_cu + P_fe`, () => {
      const op = machineOperatingPoint(machine, t, rpm(n), 400);
      expect(op.feasible).toBe(true);
      expect(op.acPowerW).toBeCloseTo(op.mechanicalPowerW + op.copperLossW + op.ironLossW, 6);
      // the inverter sees the same power: 3 V_rms I_rms cos φ
      expect(3 * op.phaseVoltageRmsV * op.phaseCurrentRmsA * op.powerFactor).toBeCloseTo(op.acPowerW, 6);
      expect(op.modulationIndex).toBeLessThanOrEqual(2 / Math.sqrt(3) + 1e-12);
      expect(Math.sign(op.powerFactor)).toBe(Math.sign(op.acPowerW));
    });
  }

  it('weakens the field on the voltage limit above base speed', () => {
    const op = machineOperatingPoint(machine, 60, rpm(9000), 400);
    expect(op.idA).toBeLessThan(0);
    expect(op.modulationIndex).toBeCloseTo(2 / Math.sqrt(3), 9);
  });

  it('flags points beyond the current, power or speed limit', () => {
    expect(machineOperatingPoint(machine, 400, rpm(1000), 400).limit).toBe('current');
    expect(machineOperatingPoint(machine, 200, rpm(8000), 400).feasible).toBe(false);
    expect(machineOperatingPoint(machine, 10, rpm(13000), 400).feasible).toBe(false);
    expect(() => machineOperatingPoint(machine, 10, -1, 400)).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });

  it('a machine rewound for 800 V gives the same M and losses at half the current', () => {
    const m8 = rewindMachine(machine, 2);
    const a = machineOperatingPoint(machine, 100, rpm(5000), 400);
    const b = machineOperatingPoint(m8, 100, rpm(5000), 800);
    expect(b.modulationIndex).toBeCloseTo(a.modulationIndex, 9);
    expect(b.phaseCurrentRmsA).toBeCloseTo(a.phaseCurrentRmsA / 2, 9);
    expect(b.copperLossW).toBeCloseTo(a.copperLossW, 9);
    expect(b.powerFactor).toBeCloseTo(a.powerFactor, 9);
  });
});

describe('efficiency map over the torque-speed plane', () => {
  const speeds = [1000, 3000, 6000, 11000];
  const torques = [-100, 20, 100, 240];
  const opts = { dcLinkVoltageV: 400, switchingFrequencyHz: 10e3, speedsRpm: speeds, torquesNm: torques };
  const si = efficiencyMap(device('si-igbt-750v'), machine, opts);
  const sic = efficiencyMap(device('infineon-fs03mr12a6ma1b'), machine, opts);

  it('is row-major (torque rows) and NaN where the machine cannot go', () => {
    expect(si.inverterEfficiency.length).toBe(16);
    // 240 Nm at 6000 rpm is 151 kW > 110 kW
    expect(Number.isNaN(si.inverterEfficiency[3 * 4 + 2]!)).toBe(true);
    expect(Number.isFinite(si.inverterEfficiency[1 * 4 + 1]!)).toBe(true);
  });

  it('has drive efficiency = machine × inverter efficiency when motoring', () => {
    const k = 2 * 4 + 1;
    const pMech = 100 * rpm(3000);
    const pAc = pMech / si.machineEfficiency[k]!;
    expect(si.driveEfficiency[k]).toBeCloseTo(pMech / (pAc + si.inverterLossW[k]!), 12);
    expect(si.driveEfficiency[k]).toBeCloseTo(si.machineEfficiency[k]! * si.inverterEfficiency[k]!, 12);
  });

  it('SiC beats Si at part load everywhere the point is reachable', () => {
    for (let k = 0; k < 16; k++) {
      if (!Number.isFinite(si.inverterLossW[k]!)) continue;
      expect(sic.inverterLossW[k]!).toBeLessThan(si.inverterLossW[k]!);
    }
  });
});
