import { DiscernError } from '../../core/index.js';
import type { DriveCycle } from './drive-cycle.js';
import { AIR_DENSITY_KG_M3, GRAVITY_M_S2, type Vehicle } from './types.js';

/** Options of {@link roadLoad}. */
export interface RoadLoadOptions {
  airDensityKgM3?: number;
  gravityMps2?: number;
}

/**
 * Per-step tractive power at the wheels. Step k (1..n−1) covers [t_{k−1}, t_k]; index 0 is unused
 * (zero). Powers in W, positive = the vehicle needs propulsion.
 */
export interface RoadLoadResult {
  dtS: Float64Array;
  /** Mean speed of the step, m/s. */
  speedMps: Float64Array;
  aeroW: Float64Array;
  rollingW: Float64Array;
  gradeW: Float64Array;
  inertiaW: Float64Array;
  wheelW: Float64Array;
  distanceM: number;
  /** Energies over the cycle, J: aero, rolling and grade work; the kinetic-energy change; wheel ± parts. */
  aeroJ: number;
  rollingJ: number;
  gradeJ: number;
  inertiaJ: number;
  wheelPositiveJ: number;
  wheelNegativeJ: number;
}

/**
 * Road load along a cycle (FASTSim's step convention, v̄ = mean of the step's end speeds):
 *   P = ½ ρ C_dA v̄³ + m g C_rr cos α v̄ + m g sin α v̄ + m_eff (v_k² − v_{k−1}²) / (2 Δt),
 * with m_eff = test mass + rotating mass and α = atan(grade). The inertial term integrates exactly
 * to the change of kinetic energy.
 * @throws DISCERN_BAD_ARGUMENT for a non-physical vehicle (mass <= 0, negative C_dA or C_rr).
 * @example roadLoad(vehicle, wltc).aeroJ / roadLoad(vehicle, wltc).distanceM // N
 */
export function roadLoad(vehicle: Vehicle, cycle: DriveCycle, options: RoadLoadOptions = {}): RoadLoadResult {
  if (
    !(vehicle.testMassKg > 0) ||
    !(vehicle.rotatingMassKg >= 0) ||
    !(vehicle.dragAreaM2 >= 0) ||
    !(vehicle.rollingResistance >= 0)
  ) {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `vehicle ${vehicle.id}: mass must be > 0 and C_dA, C_rr, rotating mass >= 0`,
    );
  }
  const rho = options.airDensityKgM3 ?? AIR_DENSITY_KG_M3;
  const g = options.gravityMps2 ?? GRAVITY_M_S2;
  const n = cycle.timeS.length;
  const m = vehicle.testMassKg;
  const mEff = m + vehicle.rotatingMassKg;
  const r = {
    dtS: new Float64Array(n),
    speedMps: new Float64Array(n),
    aeroW: new Float64Array(n),
    rollingW: new Float64Array(n),
    gradeW: new Float64Array(n),
    inertiaW: new Float64Array(n),
    wheelW: new Float64Array(n),
  };
  let distance = 0;
  let aeroJ = 0;
  let rollingJ = 0;
  let gradeJ = 0;
  let inertiaJ = 0;
  let pos = 0;
  let neg = 0;
  const v = cycle.speedMps;
  for (let k = 1; k < n; k++) {
    const dt = cycle.timeS[k]! - cycle.timeS[k - 1]!;
    const vb = 0.5 * (v[k]! + v[k - 1]!);
    const alpha = cycle.grade ? Math.atan(cycle.grade[k]!) : 0;
    const aero = 0.5 * rho * vehicle.dragAreaM2 * vb * vb * vb;
    const rolling = vb > 0 ? m * g * vehicle.rollingResistance * Math.cos(alpha) * vb : 0;
    const grade = m * g * Math.sin(alpha) * vb;
    const inertia = (mEff * (v[k]! * v[k]! - v[k - 1]! * v[k - 1]!)) / (2 * dt);
    const wheel = aero + rolling + grade + inertia;
    r.dtS[k] = dt;
    r.speedMps[k] = vb;
    r.aeroW[k] = aero;
    r.rollingW[k] = rolling;
    r.gradeW[k] = grade;
    r.inertiaW[k] = inertia;
    r.wheelW[k] = wheel;
    distance += vb * dt;
    aeroJ += aero * dt;
    rollingJ += rolling * dt;
    gradeJ += grade * dt;
    inertiaJ += inertia * dt;
    if (wheel > 0) pos += wheel * dt;
    else neg += wheel * dt;
  }
  return {
    ...r,
    distanceM: distance,
    aeroJ,
    rollingJ,
    gradeJ,
    inertiaJ,
    wheelPositiveJ: pos,
    wheelNegativeJ: neg,
  };
}

/** Fraction of braking wheel power sent to the motor at speed v (m/s), before the power limit. */
export function regenFraction(vehicle: Vehicle, speedMps: number): number {
  const mph = speedMps / 0.44704;
  const b = vehicle.regen;
  return b.maxFraction / (1 + b.a * Math.exp(-b.bPerMph * (mph + 1)));
}
