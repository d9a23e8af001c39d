import type { DriveCycle } from './drive-cycle.js';

/** Kinematic summary of a drive cycle (SI units). */
export interface CycleStats {
  durationS: number;
  /** Trapezoidal distance Σ v̄ Δt, m. */
  distanceM: number;
  maxSpeedMps: number;
  /** Distance over duration (stops included), m/s. */
  meanSpeedMps: number;
  /** Samples with v = 0. */
  standstillSamples: number;
  /** Largest Δv/Δt between samples, m/s². */
  maxAccelerationMps2: number;
  /** Most negative Δv/Δt between samples, m/s². */
  maxDecelerationMps2: number;
  /** Σ v̄³ Δt / D, m²/s²: aerodynamic energy per metre is ½ ρ C_dA times this. */
  meanCubedSpeedM2s2: number;
  /** Σ max(Δ(v²)/2, 0) / D, J/(kg·m): positive kinetic energy per kg per metre. */
  positiveInertialJPerKgM: number;
}

/**
 * Summary of a drive cycle with the same per-step convention as the road-load model
 * (v̄ = mean of the step's end speeds).
 * @example driveCycleStats(wltc).distanceM // 23 266
 */
export function driveCycleStats(cycle: DriveCycle): CycleStats {
  const t = cycle.timeS;
  const v = cycle.speedMps;
  const n = t.length;
  let d = 0;
  let cube = 0;
  let kin = 0;
  let vmax = 0;
  let stops = 0;
  let amax = -Infinity;
  let amin = Infinity;
  for (let k = 0; k < n; k++) {
    if (v[k]! > vmax) vmax = v[k]!;
    if (v[k] === 0) stops++;
    if (k === 0) continue;
    const dt = t[k]! - t[k - 1]!;
    const vb = 0.5 * (v[k]! + v[k - 1]!);
    d += vb * dt;
    cube += vb * vb * vb * dt;
    const dk = 0.5 * (v[k]! * v[k]! - v[k - 1]! * v[k - 1]!);
    if (dk > 0) kin += dk;
    const a = (v[k]! - v[k - 1]!) / dt;
    if (a > amax) amax = a;
    if (a < amin) amin = a;
  }
  const duration = t[n - 1]! - t[0]!;
  return {
    durationS: duration,
    distanceM: d,
    maxSpeedMps: vmax,
    meanSpeedMps: duration > 0 ? d / duration : 0,
    standstillSamples: stops,
    maxAccelerationMps2: n > 1 ? amax : 0,
    maxDecelerationMps2: n > 1 ? amin : 0,
    meanCubedSpeedM2s2: d > 0 ? cube / d : NaN,
    positiveInertialJPerKgM: d > 0 ? kin / d : NaN,
  };
}

/** Boundaries of the WLTC class 3 phases (Low, Medium, High, Extra-High), s from the cycle start. */
export const WLTC3_PHASES: readonly { name: string; startS: number; endS: number }[] = [
  { name: 'low', startS: 0, endS: 589 },
  { name: 'medium', startS: 589, endS: 1022 },
  { name: 'high', startS: 1022, endS: 1477 },
  { name: 'extra-high', startS: 1477, endS: 1800 },
];

/**
 * The part of a cycle between two times (samples with startS <= t <= endS), time kept as is.
 * @example cycleSlice(wltc, 0, 589)
 */
export function cycleSlice(
  cycle: DriveCycle,
  startS: number,
  endS: number,
  name = `${cycle.name}[${startS}-${endS}]`,
): DriveCycle {
  let a = 0;
  while (a < cycle.timeS.length && cycle.timeS[a]! < startS) a++;
  let b = a;
  while (b < cycle.timeS.length && cycle.timeS[b]! <= endS) b++;
  return {
    name,
    timeS: cycle.timeS.slice(a, b),
    speedMps: cycle.speedMps.slice(a, b),
    ...(cycle.grade ? { grade: cycle.grade.slice(a, b) } : {}),
  };
}
