import { DiscernError } from '../../core/index.js';
import {
  machineOperatingPoint,
  type MachineOperatingPoint,
  type SynchronousMachine,
} from '../inverter/machine.js';
import { inverterThermalProfile } from '../inverter/thermal-profile.js';
import type { Modulation, PowerModule } from '../inverter/types.js';
import type { DriveCycle } from './drive-cycle.js';
import { regenFraction, roadLoad, type RoadLoadOptions } from './road-load.js';
import type { Vehicle } from './types.js';
import { finishEnergy, type VehicleEnergyResult } from './vehicle-energy.js';

/** Options of {@link electricDriveEnergy}. */
export interface ElectricDriveOptions extends RoadLoadOptions {
  /** DC-link voltage, V; default the vehicle's nominal pack voltage. */
  dcLinkVoltageV?: number;
  /** Machine; default the vehicle's. */
  machine?: SynchronousMachine;
  /** Default 10 kHz. */
  switchingFrequencyHz?: number;
  /** Default 'svpwm'. */
  modulation?: Modulation;
  /** Coolant temperature, degC; default 65. */
  coolantDegC?: number;
}

/** The component model's result: energy flows plus the machine, gear and inverter losses. */
export interface ElectricDriveResult extends VehicleEnergyResult {
  module: string;
  dcLinkVoltageV: number;
  /** Inverter loss energy over the cycle, J. */
  inverterLossJ: number;
  /** Σ |P_ac| Δt: the energy the inverter converts in either direction, J. */
  inverterThroughputJ: number;
  /** Machine copper + iron loss energy, J. */
  machineLossJ: number;
  gearLossJ: number;
  /** Hottest junction along the cycle, degC. */
  peakJunctionDegC: number;
  thermalConverged: boolean;
  /** Transistor junction temperature at each cycle sample, degC. */
  junctionDegC: Float64Array;
  /** Inverter loss over each step (index k covers [t_{k−1}, t_k]), W. */
  inverterLossW: Float64Array;
}

/**
 * Battery energy over a cycle through gear, machine and inverter: per step the wheel torque and
 * speed give the machine's operating point (phase current, voltage, power factor, modulation index),
 * the inverter losses follow from the device model with the junction temperatures carried along the
 * cycle (Foster networks, loss/temperature iteration), and P_batt = P_ac + P_inverter + P_aux.
 * Torque the machine cannot deliver is reduced to its limit (counted as a trace miss when driving;
 * when braking the rest goes to the friction brakes).
 * @throws DISCERN_BAD_ARGUMENT when the vehicle has no machine or gear data.
 * @example electricDriveEnergy(r5, wltc10Hz, sicModule, { dcLinkVoltageV: 400 }).inverterLossJ
 */
export function electricDriveEnergy(
  vehicle: Vehicle,
  cycle: DriveCycle,
  module: PowerModule,
  options: ElectricDriveOptions = {},
): ElectricDriveResult {
  const machine = options.machine ?? vehicle.machine;
  if (!machine)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `vehicle ${vehicle.id} has no machine for the component model`,
    );
  if (!(
    vehicle.wheelRadiusM > 0 &&
    vehicle.gearRatio > 0 &&
    vehicle.gearEfficiency > 0 &&
    vehicle.gearEfficiency <= 1
  )) {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `vehicle ${vehicle.id} needs wheel radius, gear ratio and gear efficiency`,
    );
  }
  const vdc = options.dcLinkVoltageV ?? vehicle.nominalVoltageV;
  const modulation = options.modulation ?? 'svpwm';
  const rl = roadLoad(vehicle, cycle, options);
  const n = rl.wheelW.length;
  const current = new Float64Array(n);
  const mod = new Float64Array(n);
  const pf = new Float64Array(n);
  const active = new Uint8Array(n);
  const acPower = new Float64Array(n);
  let machineLoss = 0;
  let gearLoss = 0;
  let regenWheel = 0;
  let friction = 0;
  let misses = 0;
  const G = vehicle.gearRatio;
  const eta = vehicle.gearEfficiency;
  for (let k = 1; k < n; k++) {
    const dt = rl.dtS[k]!;
    const v = rl.speedMps[k]!;
    let pw = rl.wheelW[k]!;
    if (v <= 0 || pw === 0) continue;
    const wWheel = v / vehicle.wheelRadiusM;
    const wMotor = wWheel * G;
    let shaft: number;
    if (pw > 0) {
      if (pw > vehicle.maxTractionPowerW) {
        pw = vehicle.maxTractionPowerW;
        misses++;
      }
      shaft = pw / eta;
    } else {
      const rw = Math.max(pw * regenFraction(vehicle, v), -vehicle.maxRegenPowerW);
      shaft = rw * eta;
    }
    let op = machineOperatingPoint(machine, shaft / wMotor, wMotor, vdc, modulation);
    if (!op.feasible) {
      if (op.limit === 'speed')
        throw new DiscernError(
          'DISCERN_BAD_ARGUMENT',
          `cycle ${cycle.name} exceeds the machine's top speed at step ${k}`,
        );
      op = feasibleBoundary(machine, shaft / wMotor, wMotor, vdc, modulation);
      shaft = op.torqueNm * wMotor;
      if (pw > 0) misses++;
    }
    const wheelSide = shaft > 0 ? shaft * eta : shaft / eta;
    if (pw < 0) {
      regenWheel += wheelSide * dt;
      friction += (pw - wheelSide) * dt;
    }
    gearLoss += Math.abs(shaft - wheelSide) * dt;
    machineLoss += (op.copperLossW + op.ironLossW) * dt;
    // profile sample k−1 holds the operating point of step k
    current[k - 1] = op.phaseCurrentRmsA;
    mod[k - 1] = op.modulationIndex;
    pf[k - 1] = op.powerFactor;
    active[k - 1] = 1;
    acPower[k] = op.acPowerW;
  }
  const thermal = inverterThermalProfile(
    module,
    {
      timeS: cycle.timeS,
      phaseCurrentRmsA: current,
      modulationIndex: mod,
      powerFactor: pf,
      dcLinkVoltageV: vdc,
      switchingFrequencyHz: options.switchingFrequencyHz ?? 10e3,
      modulation,
      active,
    },
    options.coolantDegC !== undefined ? { coolantDegC: options.coolantDegC } : {},
  );
  const battery = new Float64Array(n);
  const invLoss = new Float64Array(n);
  let traction = 0;
  let regenBatt = 0;
  let throughput = 0;
  for (let k = 1; k < n; k++) {
    throughput += Math.abs(acPower[k]!) * rl.dtS[k]!;
    invLoss[k] = thermal.lossW[k - 1]!;
    const pdc = acPower[k]! + invLoss[k]!;
    const e = pdc * rl.dtS[k]!;
    if (e >= 0) traction += e;
    else regenBatt += e;
    battery[k] = pdc + vehicle.auxPowerW;
  }
  const base = finishEnergy(vehicle, cycle, rl, 'component', {
    battery,
    traction,
    regenBatt,
    regenWheel,
    friction,
    misses,
  });
  return {
    ...base,
    module: module.id,
    dcLinkVoltageV: vdc,
    inverterLossJ: thermal.lossEnergyJ,
    inverterThroughputJ: throughput,
    machineLossJ: machineLoss,
    gearLossJ: gearLoss,
    peakJunctionDegC: Math.max(thermal.peakTransistorDegC, thermal.peakDiodeDegC),
    thermalConverged: thermal.converged,
    junctionDegC: thermal.transistorDegC,
    inverterLossW: invLoss,
  };
}

/** The largest-magnitude torque of the same sign the machine can deliver at this speed (bisection). */
function feasibleBoundary(
  machine: SynchronousMachine,
  torqueNm: number,
  speedRadS: number,
  vdc: number,
  modulation: Modulation,
): MachineOperatingPoint {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = 0.5 * (lo + hi);
    if (machineOperatingPoint(machine, torqueNm * mid, speedRadS, vdc, modulation).feasible) lo = mid;
    else hi = mid;
  }
  return machineOperatingPoint(machine, torqueNm * lo, speedRadS, vdc, modulation);
}
