import { DiscernError } from '../../core/index.js';
import { conversionEfficiency } from './inverter-losses.js';
import { inverterSteadyState } from './junction-steady-state.js';
import { machineOperatingPoint, type SynchronousMachine } from './machine.js';
import type { Modulation, PowerModule } from './types.js';

/** Options of {@link efficiencyMap}. */
export interface EfficiencyMapOptions {
  dcLinkVoltageV: number;
  switchingFrequencyHz: number;
  /** Shaft speeds of the grid, rpm (>= 0). */
  speedsRpm: readonly number[];
  /** Shaft torques of the grid, Nm (negative = generating). */
  torquesNm: readonly number[];
  /** Default 'svpwm'. */
  modulation?: Modulation;
  /** Coolant temperature for the steady-state junction temperatures, degC; default 65. */
  coolantDegC?: number;
}

/**
 * Efficiency maps over the torque-speed plane. Arrays are row-major, index = iTorque·nSpeed + iSpeed;
 * NaN where the machine cannot reach the point (current, voltage, power or speed limit) or where an
 * efficiency is undefined (zero power).
 */
export interface EfficiencyMapResult {
  module: string;
  dcLinkVoltageV: number;
  switchingFrequencyHz: number;
  modulation: Modulation;
  speedsRpm: number[];
  torquesNm: number[];
  /** Inverter output over input power (either direction). */
  inverterEfficiency: Float64Array;
  /** Inverter loss, W. */
  inverterLossW: Float64Array;
  /** Machine shaft over terminal power (either direction). */
  machineEfficiency: Float64Array;
  /** Machine + inverter, shaft against DC link. */
  driveEfficiency: Float64Array;
  /** Hottest junction, degC. */
  junctionDegC: Float64Array;
  phaseCurrentRmsA: Float64Array;
  modulationIndex: Float64Array;
  powerFactor: Float64Array;
}

/**
 * Inverter, machine and drive efficiency over a torque-speed grid: each point becomes a machine
 * operating point (phase current, voltage, power factor, modulation index), whose inverter losses are
 * taken at their steady-state junction temperatures (loss/temperature iteration).
 * @throws DISCERN_BAD_ARGUMENT for an empty grid or invalid inputs.
 * @example efficiencyMap(module, machine, { dcLinkVoltageV: 400, switchingFrequencyHz: 10e3, speedsRpm: [1000, 2000], torquesNm: [50, 100] })
 */
export function efficiencyMap(
  module: PowerModule,
  machine: SynchronousMachine,
  options: EfficiencyMapOptions,
): EfficiencyMapResult {
  const speeds = [...options.speedsRpm];
  const torques = [...options.torquesNm];
  if (speeds.length === 0 || torques.length === 0)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'the efficiency map needs speeds and torques');
  const modulation = options.modulation ?? 'svpwm';
  const n = speeds.length * torques.length;
  const out = {
    inverterEfficiency: new Float64Array(n).fill(NaN),
    inverterLossW: new Float64Array(n).fill(NaN),
    machineEfficiency: new Float64Array(n).fill(NaN),
    driveEfficiency: new Float64Array(n).fill(NaN),
    junctionDegC: new Float64Array(n).fill(NaN),
    phaseCurrentRmsA: new Float64Array(n).fill(NaN),
    modulationIndex: new Float64Array(n).fill(NaN),
    powerFactor: new Float64Array(n).fill(NaN),
  };
  for (let it = 0; it < torques.length; it++) {
    for (let is = 0; is < speeds.length; is++) {
      const k = it * speeds.length + is;
      const w = (speeds[is]! * Math.PI) / 30;
      const mp = machineOperatingPoint(machine, torques[it]!, w, options.dcLinkVoltageV, modulation);
      if (!mp.feasible) continue;
      const inv = inverterSteadyState(
        module,
        {
          dcLinkVoltageV: options.dcLinkVoltageV,
          phaseCurrentRmsA: mp.phaseCurrentRmsA,
          modulationIndex: mp.modulationIndex,
          powerFactor: mp.powerFactor,
          switchingFrequencyHz: options.switchingFrequencyHz,
          modulation,
        },
        options.coolantDegC !== undefined ? { coolantDegC: options.coolantDegC } : {},
      );
      out.inverterEfficiency[k] = inv.efficiency;
      out.inverterLossW[k] = inv.totalLossW;
      out.machineEfficiency[k] = conversionEfficiency(mp.mechanicalPowerW, mp.acPowerW);
      out.driveEfficiency[k] = conversionEfficiency(mp.mechanicalPowerW, mp.acPowerW + inv.totalLossW);
      out.junctionDegC[k] = Math.max(inv.junction.transistorDegC, inv.junction.diodeDegC);
      out.phaseCurrentRmsA[k] = mp.phaseCurrentRmsA;
      out.modulationIndex[k] = mp.modulationIndex;
      out.powerFactor[k] = mp.powerFactor;
    }
  }
  return {
    module: module.id,
    dcLinkVoltageV: options.dcLinkVoltageV,
    switchingFrequencyHz: options.switchingFrequencyHz,
    modulation,
    speedsRpm: speeds,
    torquesNm: torques,
    ...out,
  };
}
