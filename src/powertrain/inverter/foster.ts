import { DiscernError } from '../../core/index.js';
import type { FosterNetwork } from './types.js';

/**
 * Checks a Foster network: equal non-empty lengths, r >= 0, tau > 0.
 * @throws DISCERN_BAD_ARGUMENT otherwise.
 */
export function checkFosterNetwork(net: FosterNetwork, what = 'Foster network'): void {
  if (net.r.length === 0 || net.r.length !== net.tau.length) {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `${what}: r and tau must be non-empty and of equal length`,
    );
  }
  for (let i = 0; i < net.r.length; i++) {
    if (!(net.r[i]! >= 0) || !(net.tau[i]! > 0)) {
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `${what}: element ${i} needs r >= 0 K/W and tau > 0 s`);
    }
  }
}

/** Steady-state thermal resistance Σ r_i, K/W. */
export function fosterResistance(net: FosterNetwork): number {
  let s = 0;
  for (const r of net.r) s += r;
  return s;
}

/**
 * Step response Z_th(t) = Σ r_i (1 − exp(−t/τ_i)), K/W: the temperature rise per watt a time t after
 * a loss step, starting from the reference temperature.
 * @example fosterImpedance({ r: [0.1], tau: [1] }, 1) // 0.0632
 */
export function fosterImpedance(net: FosterNetwork, timeS: number): number {
  let z = 0;
  for (let i = 0; i < net.r.length; i++) z += net.r[i]! * (1 - Math.exp(-timeS / net.tau[i]!));
  return z;
}

/**
 * Advances the element temperature rises `theta` (K, one per Foster element, updated in place) over
 * `dtS` with a loss `powerW` held constant: θ_i ← θ_i e^{−Δt/τ_i} + r_i P (1 − e^{−Δt/τ_i}) (exact for a
 * piecewise-constant loss). Returns the new total rise Σ θ_i, K.
 */
export function fosterStep(net: FosterNetwork, theta: Float64Array, powerW: number, dtS: number): number {
  let sum = 0;
  for (let i = 0; i < theta.length; i++) {
    const e = Math.exp(-dtS / net.tau[i]!);
    const v = theta[i]! * e + net.r[i]! * powerW * (1 - e);
    theta[i] = v;
    sum += v;
  }
  return sum;
}
