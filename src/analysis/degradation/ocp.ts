import { DiscernError } from '../../core/index.js';
import { increasingPairs, interpLinear } from '../numeric/interpolate.js';

/** A half-cell open-circuit potential U(x) against stoichiometry x, with its gradient dU/dx. */
export interface Ocp {
  value(x: number): number;
  gradient(x: number): number;
}

/**
 * An OCP from a formula; without `gradient`, a central difference (h = 1e-6) is used.
 * @example ocpFromFunction((x) => 3 + x, () => 1)
 */
export function ocpFromFunction(value: (x: number) => number, gradient?: (x: number) => number): Ocp {
  return {
    value,
    gradient: gradient ?? ((x) => (value(x + 1e-6) - value(x - 1e-6)) / 2e-6),
  };
}

function segmentSlope(xs: Float64Array, ys: Float64Array, x: number): number {
  const n = xs.length;
  let lo = 0;
  let hi = n - 1;
  if (x <= xs[0]!) return (ys[1]! - ys[0]!) / (xs[1]! - xs[0]!);
  if (x >= xs[n - 1]!) return (ys[n - 1]! - ys[n - 2]!) / (xs[n - 1]! - xs[n - 2]!);
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (xs[m]! <= x) lo = m;
    else hi = m;
  }
  return (ys[hi]! - ys[lo]!) / (xs[hi]! - xs[lo]!);
}

/**
 * An OCP from measured (stoichiometry, potential) pairs: linear interpolation, the gradient being
 * the slope of the segment (as a linear piecewise polynomial).
 * @throws DISCERN_INSUFFICIENT_DATA with fewer than 2 distinct stoichiometries
 */
export function ocpFromData(stoichiometry: ArrayLike<number>, potentialV: ArrayLike<number>): Ocp {
  const p = increasingPairs(stoichiometry, potentialV);
  if (p.x.length < 2) throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'an OCP needs at least 2 points');
  return {
    value: (x) => interpLinear(p.x, p.y, x, 'linear'),
    gradient: (x) => segmentSlope(p.x, p.y, x),
  };
}

/**
 * A composite electrode (e.g. graphite + silicon) from its two components' OCP data: at a common
 * potential U the stoichiometry is z(U) = f·x₁(U) + (1 − f)·x₂(U) (each x(U) interpolated and held
 * at its ends), and the composite U(z) is its inverse (PyProBE's CompositeOCP), evaluated on a
 * 2001-point potential grid over the components' range.
 * @example compositeOcp(x1, u1, x2, u2, 0.5).value(0.5)
 */
export function compositeOcp(
  x1: ArrayLike<number>,
  u1: ArrayLike<number>,
  x2: ArrayLike<number>,
  u2: ArrayLike<number>,
  fraction1 = 0.5,
): Ocp {
  const a = increasingPairs(u1, x1);
  const b = increasingPairs(u2, x2);
  const lo = Math.min(a.x[0]!, b.x[0]!);
  const hi = Math.max(a.x[a.x.length - 1]!, b.x[b.x.length - 1]!);
  const m = 2001;
  const u = new Float64Array(m);
  const z = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    u[k] = lo + ((hi - lo) * k) / (m - 1);
    z[k] = fraction1 * interpLinear(a.x, a.y, u[k]!) + (1 - fraction1) * interpLinear(b.x, b.y, u[k]!);
  }
  return ocpFromData(z, u);
}

/** Chen et al. 2020 (LG M50) graphite OCP, U(x) in V vs Li (PyBaMM's Chen2020 parameter set). */
export const CHEN2020_GRAPHITE: Ocp = ocpFromFunction(
  (x) =>
    1.9793 * Math.exp(-39.3631 * x) +
    0.2482 -
    0.0909 * Math.tanh(29.8538 * (x - 0.1234)) -
    0.04478 * Math.tanh(14.9159 * (x - 0.2769)) -
    0.0205 * Math.tanh(30.4444 * (x - 0.6103)),
  (x) => {
    const s = (a: number, b: number): number => a * (1 - Math.tanh(a * (x - b)) ** 2);
    return (
      -1.9793 * 39.3631 * Math.exp(-39.3631 * x) -
      0.0909 * s(29.8538, 0.1234) -
      0.04478 * s(14.9159, 0.2769) -
      0.0205 * s(30.4444, 0.6103)
    );
  },
);

/** Chen et al. 2020 (LG M50) NMC811 OCP, U(y) in V vs Li. */
export const CHEN2020_NMC811: Ocp = ocpFromFunction(
  (y) =>
    -0.809 * y +
    4.4875 -
    0.0428 * Math.tanh(18.5138 * (y - 0.5542)) -
    17.7326 * Math.tanh(15.789 * (y - 0.3117)) +
    17.5842 * Math.tanh(15.9308 * (y - 0.312)),
  (y) => {
    const s = (a: number, b: number): number => a * (1 - Math.tanh(a * (y - b)) ** 2);
    return -0.809 - 0.0428 * s(18.5138, 0.5542) - 17.7326 * s(15.789, 0.3117) + 17.5842 * s(15.9308, 0.312);
  },
);
