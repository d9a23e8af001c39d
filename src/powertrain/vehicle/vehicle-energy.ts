import { DiscernError } from '../../core/index.js';
import type { DriveCycle } from './drive-cycle.js';
import { regenFraction, roadLoad, type RoadLoadOptions, type RoadLoadResult } from './road-load.js';
import type { Vehicle } from './types.js';

/** Energy flows over a cycle (J unless named otherwise), consumption and range. */
export interface VehicleEnergyResult {
  vehicle: string;
  cycle: string;
  /** 'constant-efficiency' or 'component' (machine + inverter device). */
  model: string;
  durationS: number;
  distanceM: number;
  aeroJ: number;
  rollingJ: number;
  gradeJ: number;
  /** Change of kinetic energy over the cycle (0 when it starts and ends at rest). */
  inertiaJ: number;
  wheelPositiveJ: number;
  wheelNegativeJ: number;
  /** Braking energy recovered at the wheel (negative). */
  regenWheelJ: number;
  /** Braking energy dissipated by the friction brakes (negative). */
  frictionBrakeJ: number;
  /** Battery energy for traction (positive). */
  tractionBatteryJ: number;
  /** Battery energy recovered (negative). */
  regenBatteryJ: number;
  auxJ: number;
  /** Net energy out of the battery terminals. */
  batteryJ: number;
  /** Steps where the wheel power asked for more than the traction limit (capped; speed not adapted). */
  traceMissSteps: number;
  /** Battery terminal power per step (index k covers [t_{k−1}, t_k]), W. */
  batteryPowerW: Float64Array;
  /** DC energy per distance at the battery terminals, Wh/km. */
  consumptionDcWhPerKm: number;
  /** Usable battery energy / DC consumption, km. */
  rangeKm: number;
}

/**
 * Battery energy over a cycle with constant path efficiencies (the calibrated model of
 * docs/methods/vehicle-calibration.md): traction P_batt = P_wheel / η_traction (wheel power capped at
 * the traction limit); braking P_batt = f_regen(v) P_wheel η_regen, with the recovered wheel power
 * capped at the regen limit; the auxiliary power always. Range = UBE / DC consumption (WLTP).
 * @throws DISCERN_BAD_ARGUMENT for efficiencies outside (0, 1] or a cycle without distance.
 * @example vehicleEnergy(r5, wltc).rangeKm
 */
export function vehicleEnergy(
  vehicle: Vehicle,
  cycle: DriveCycle,
  options: RoadLoadOptions = {},
): VehicleEnergyResult {
  for (const [name, e] of [
    ['tractionEfficiency', vehicle.tractionEfficiency],
    ['regenEfficiency', vehicle.regenEfficiency],
  ] as const) {
    if (!(e > 0 && e <= 1))
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `vehicle ${vehicle.id}: ${name} must be in (0, 1] (got ${e})`,
      );
  }
  const rl = roadLoad(vehicle, cycle, options);
  const n = rl.wheelW.length;
  const battery = new Float64Array(n);
  let traction = 0;
  let regenBatt = 0;
  let regenWheel = 0;
  let friction = 0;
  let misses = 0;
  for (let k = 1; k < n; k++) {
    const dt = rl.dtS[k]!;
    let p = rl.wheelW[k]!;
    let pb = 0;
    if (p > 0) {
      if (p > vehicle.maxTractionPowerW) {
        p = vehicle.maxTractionPowerW;
        misses++;
      }
      pb = p / vehicle.tractionEfficiency;
      traction += pb * dt;
    } else if (p < 0) {
      const rw = Math.max(p * regenFraction(vehicle, rl.speedMps[k]!), -vehicle.maxRegenPowerW);
      pb = rw * vehicle.regenEfficiency;
      regenWheel += rw * dt;
      friction += (p - rw) * dt;
      regenBatt += pb * dt;
    }
    battery[k] = pb + vehicle.auxPowerW;
  }
  return finishEnergy(vehicle, cycle, rl, 'constant-efficiency', {
    battery,
    traction,
    regenBatt,
    regenWheel,
    friction,
    misses,
  });
}

/** Assembles the result from the per-step battery power and the flow totals (shared with the component model). */
export function finishEnergy(
  vehicle: Vehicle,
  cycle: DriveCycle,
  rl: RoadLoadResult,
  model: string,
  f: {
    battery: Float64Array;
    traction: number;
    regenBatt: number;
    regenWheel: number;
    friction: number;
    misses: number;
  },
): VehicleEnergyResult {
  const duration = cycle.timeS[cycle.timeS.length - 1]! - cycle.timeS[0]!;
  if (!(rl.distanceM > 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `cycle ${cycle.name} covers no distance`);
  const aux = vehicle.auxPowerW * duration;
  const batteryJ = f.traction + f.regenBatt + aux;
  const consumption = batteryJ / 3600 / (rl.distanceM / 1000);
  return {
    vehicle: vehicle.id,
    cycle: cycle.name,
    model,
    durationS: duration,
    distanceM: rl.distanceM,
    aeroJ: rl.aeroJ,
    rollingJ: rl.rollingJ,
    gradeJ: rl.gradeJ,
    inertiaJ: rl.inertiaJ,
    wheelPositiveJ: rl.wheelPositiveJ,
    wheelNegativeJ: rl.wheelNegativeJ,
    regenWheelJ: f.regenWheel,
    frictionBrakeJ: f.friction,
    tractionBatteryJ: f.traction,
    regenBatteryJ: f.regenBatt,
    auxJ: aux,
    batteryJ,
    traceMissSteps: f.misses,
    batteryPowerW: f.battery,
    consumptionDcWhPerKm: consumption,
    rangeKm: consumption > 0 ? vehicle.usableEnergyWh / consumption : Infinity,
  };
}
