import { DiscernError } from '../../core/index.js';
import { increasingPairs } from '../numeric/interpolate.js';
import { differentialEvolution, nelderMead, type Bounds } from '../numeric/optimize.js';
import {
  electrodeCapacities,
  fullCellOcv,
  fullCellOcvGradient,
  type ElectrodeCapacities,
  type StoichiometryLimits,
} from './electrodes.js';
import type { Ocp } from './ocp.js';

/** Options of `fitStoichiometry`. */
export interface FitStoichiometryOptions {
  /** What is compared: the OCV itself (default), dV/dSOC, or dSOC/dV. */
  target?: 'ocv' | 'dvdq' | 'dqdv';
  /** `nelder-mead` (default, from x0) or `differential-evolution` (global, seeded). */
  optimizer?: 'nelder-mead' | 'differential-evolution';
  /** Bounds of [peLow, peHigh, neLow, neHigh]; default (0, 1) each. */
  bounds?: Bounds;
  /** Start point; default [0.9, 0.1, 0.1, 0.9] (PyProBE's). */
  x0?: readonly number[];
  /** Seed of the differential evolution; default 1. */
  seed?: number;
}

/** Result of `fitStoichiometry`. */
export interface FitStoichiometryResult {
  parameters: StoichiometryLimits;
  capacities: ElectrodeCapacities;
  /** The fitted OCV and dV/dSOC at the data's SOC points. */
  soc: Float64Array;
  fittedVoltageV: Float64Array;
  fittedGradientV: Float64Array;
  /** Data minus model for the chosen target. */
  residuals: Float64Array;
  cost: number;
  iterations: number;
  converged: boolean;
}

/** np.gradient: central differences inside, one-sided at the ends. */
function gradient(y: Float64Array, x: Float64Array): Float64Array {
  const n = y.length;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i === 0) g[i] = (y[1]! - y[0]!) / (x[1]! - x[0]!);
    else if (i === n - 1) g[i] = (y[n - 1]! - y[n - 2]!) / (x[n - 1]! - x[n - 2]!);
    else {
      const h1 = x[i]! - x[i - 1]!;
      const h2 = x[i + 1]! - x[i]!;
      g[i] =
        (h1 * h1 * y[i + 1]! - h2 * h2 * y[i - 1]! + (h2 * h2 - h1 * h1) * y[i]!) / (h1 * h2 * (h1 + h2));
    }
  }
  return g;
}

/**
 * Fits the four stoichiometry limits of the half-cell OCPs to a full-cell pseudo-OCV (capacity in
 * Ah, voltage in V; SOC = (Q − Q_min)/(Q_max − Q_min), cell capacity Q_max − Q_min), as PyProBE's
 * `run_ocv_curve_fit`: the cost is Σ(model − data)² of the OCV, of dV/dSOC, or of dSOC/dV, the data
 * gradients by np.gradient. Gives the limits, the electrode capacities and lithium inventory from
 * which `degradationModes` computes LLI, LAM_PE and LAM_NE.
 * @throws DISCERN_INSUFFICIENT_DATA with fewer than 10 points or no capacity range
 * @example fitStoichiometry(q, v, CHEN2020_NMC811, CHEN2020_GRAPHITE, { optimizer: 'differential-evolution' })
 */
export function fitStoichiometry(
  capacityAh: ArrayLike<number>,
  voltageV: ArrayLike<number>,
  pe: Ocp,
  ne: Ocp,
  options: FitStoichiometryOptions = {},
): FitStoichiometryResult {
  const p = increasingPairs(capacityAh, voltageV);
  const n = p.x.length;
  if (n < 10)
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', `the OCV fit needs at least 10 points, got ${n}`);
  const q0 = p.x[0]!;
  const cell = p.x[n - 1]! - q0;
  if (!(cell > 0)) throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'the OCV curve has no capacity range');
  const soc = p.x.map((q) => (q - q0) / cell);
  const v = p.y;
  const dv = gradient(v, soc);
  const target = options.target ?? 'ocv';
  const data = target === 'ocv' ? v : target === 'dvdq' ? dv : dv.map((g) => 1 / g);
  const limitsOf = (x: readonly number[]): StoichiometryLimits => ({
    peLow: x[0]!,
    peHigh: x[1]!,
    neLow: x[2]!,
    neHigh: x[3]!,
  });
  const model = (x: readonly number[]): Float64Array => {
    const l = limitsOf(x);
    if (target === 'ocv') return fullCellOcv(soc, pe, ne, l);
    const g = fullCellOcvGradient(soc, pe, ne, l);
    return target === 'dvdq' ? g : g.map((d) => 1 / d);
  };
  const cost = (x: readonly number[]): number => {
    const m = model(x);
    let s = 0;
    for (let k = 0; k < n; k++) {
      const r = m[k]! - data[k]!;
      s += r * r;
    }
    return s;
  };
  const bounds: Bounds = options.bounds ?? [
    [0, 1],
    [0, 1],
    [0, 1],
    [0, 1],
  ];
  const r =
    options.optimizer === 'differential-evolution'
      ? differentialEvolution(cost, bounds, { seed: options.seed ?? 1, tolerance: 1e-6 })
      : nelderMead(cost, options.x0 ?? [0.9, 0.1, 0.1, 0.9], {
          bounds,
          maxIterations: 20000,
          tolerance: 1e-14,
        });
  const limits = limitsOf(r.x);
  const fitted = model(r.x);
  return {
    parameters: limits,
    capacities: electrodeCapacities(limits, cell),
    soc,
    fittedVoltageV: fullCellOcv(soc, pe, ne, limits),
    fittedGradientV: fullCellOcvGradient(soc, pe, ne, limits),
    residuals: data.map((d, k) => d - fitted[k]!),
    cost: r.cost,
    iterations: r.iterations,
    converged: r.converged,
  };
}
