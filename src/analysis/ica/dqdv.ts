import { DiscernError } from '../../core/index.js';
import { gaussianFilter } from '../numeric/gaussian-filter.js';
import { increasingPairs, interpLinear } from '../numeric/interpolate.js';
import { savitzkyGolay } from '../numeric/savitzky-golay.js';

/** Options of `dqdv` and `dvdq`. */
export interface DifferentialOptions {
  /** Voltage grid step for dQ/dV (V); default 0.001 V. */
  voltageStepV?: number;
  /** Capacity grid points for the uniform V(Q) resampling and dV/dQ; default: the number of samples. */
  capacityPoints?: number;
  /** Savitzky–Golay smoothing of V(Q) before inversion (cellpy's pre_smoothing). Default false. */
  preSmoothing?: boolean;
  /** Savitzky–Golay smoothing of Q(V) before differentiation (cellpy's diff_smoothing). Default false. */
  diffSmoothing?: boolean;
  /** Savitzky–Golay window (odd) and order; default window n/min(50, n/5) forced odd, order 3. */
  savitzkyGolayWindow?: number;
  savitzkyGolayOrder?: number;
  /**
   * Full width at half maximum of the Gaussian post-smoothing, in V for dQ/dV (default 0.01 V) or
   * in Ah for dV/dQ (default 0: none). 0 disables it.
   */
  fwhm?: number;
  /**
   * How the FWHM becomes σ: `fwhm` (σ = FWHM/2.3548, the Gaussian relation; default) or `cellpy`
   * (σ in samples = max(1, FWHM/step/2), to match cellpy's output).
   */
  sigmaConvention?: 'fwhm' | 'cellpy';
  /** `none` (default, Ah/V) or `area` (scaled so that ∫|dQ/dV|dV = 1, as cellpy's normalize="area"). */
  normalize?: 'none' | 'area';
}

/** A differential curve: x and the derivative at the mid-points of the grid. */
export interface DifferentialCurve {
  /** Voltage (V) for dQ/dV, capacity (Ah) for dV/dQ. */
  x: Float64Array;
  /** dQ/dV (Ah/V) or dV/dQ (V/Ah). */
  y: Float64Array;
}

function sgWindow(n: number, requested?: number): number {
  let w = requested ?? Math.floor(n / Math.min(50, n / 5));
  if (w % 2 === 0) w++;
  return Math.max(3, w);
}

function sigmaSamples(options: DifferentialOptions, fwhm: number, step: number): number {
  if (options.sigmaConvention === 'cellpy') return Math.max(1, fwhm / step / 2);
  return fwhm / step / (2 * Math.sqrt(2 * Math.LN2));
}

/** V on a uniform capacity grid from the (capacity, voltage) samples, optionally SG-smoothed. */
function uniformVoltage(
  capacity: ArrayLike<number>,
  voltage: ArrayLike<number>,
  options: DifferentialOptions,
) {
  const p = increasingPairs(capacity, voltage);
  const n = options.capacityPoints ?? p.x.length;
  if (p.x.length < 5 || n < 5)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      `a differential curve needs at least 5 points, got ${p.x.length}`,
    );
  const q0 = p.x[0]!;
  const q1 = p.x[p.x.length - 1]!;
  const q = new Float64Array(n);
  let v: Float64Array = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    q[k] = q0 + ((q1 - q0) * k) / (n - 1);
    v[k] = interpLinear(p.x, p.y, q[k]!);
  }
  if (options.preSmoothing)
    v = savitzkyGolay(v, sgWindow(n, options.savitzkyGolayWindow), options.savitzkyGolayOrder ?? 3);
  return { q, v };
}

/**
 * dQ/dV by interpolation (cellpy's pipeline): V(Q) on a uniform capacity grid (optionally
 * Savitzky–Golay smoothed), inverted to Q(V) on a uniform voltage grid, differentiated by first
 * differences at the mid-points, then Gaussian-smoothed (FWHM 0.01 V by default). The capacity may
 * be a charge or a discharge; for a discharge pass capacity counted from the start of the
 * discharge and the result is the magnitude (positive) dQ/dV.
 * @throws DISCERN_INSUFFICIENT_DATA with fewer than 5 usable points or no voltage range
 * @example dqdv(curve.capacityAh, curve.voltageV)
 */
export function dqdv(
  capacityAh: ArrayLike<number>,
  voltageV: ArrayLike<number>,
  options: DifferentialOptions = {},
): DifferentialCurve {
  const { q, v } = uniformVoltage(capacityAh, voltageV, options);
  const inv = increasingPairs(v, q);
  const step = options.voltageStepV ?? 0.001;
  const vmin = inv.x[0]!;
  const vmax = inv.x[inv.x.length - 1]!;
  const m = Math.floor((vmax - vmin) / step) + 1;
  if (m < 3)
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'the voltage range is shorter than two grid steps');
  let qv: Float64Array = new Float64Array(m);
  for (let k = 0; k < m; k++) qv[k] = interpLinear(inv.x, inv.y, vmin + k * step);
  if (options.diffSmoothing && m >= 5)
    qv = savitzkyGolay(
      qv,
      Math.min(sgWindow(m, options.savitzkyGolayWindow), m % 2 === 1 ? m : m - 1),
      options.savitzkyGolayOrder ?? 3,
    );
  const x = new Float64Array(m - 1);
  let y: Float64Array = new Float64Array(m - 1);
  for (let k = 0; k < m - 1; k++) {
    x[k] = vmin + (k + 0.5) * step;
    y[k] = Math.abs(qv[k + 1]! - qv[k]!) / step;
  }
  const fwhm = options.fwhm ?? 0.01;
  if (fwhm > 0) y = gaussianFilter(y, sigmaSamples(options, fwhm, step));
  if (options.normalize === 'area') {
    let area = 0;
    for (let k = 0; k < y.length; k++) area += Math.abs(y[k]!) * step;
    if (area > 0) for (let k = 0; k < y.length; k++) y[k] = y[k]! / area;
  }
  return { x, y };
}

/**
 * dV/dQ (differential voltage) by interpolation: V(Q) on a uniform capacity grid (optionally
 * Savitzky–Golay smoothed), first differences at the mid-points, optional Gaussian smoothing in Ah.
 * Returned as a magnitude (positive for charge and discharge), against capacity from the start.
 * @throws DISCERN_INSUFFICIENT_DATA with fewer than 5 usable points
 * @example dvdq(curve.capacityAh, curve.voltageV, { capacityPoints: 500 })
 */
export function dvdq(
  capacityAh: ArrayLike<number>,
  voltageV: ArrayLike<number>,
  options: DifferentialOptions = {},
): DifferentialCurve {
  const { q, v } = uniformVoltage(capacityAh, voltageV, options);
  const n = q.length;
  const step = q[1]! - q[0]!;
  const x = new Float64Array(n - 1);
  let y: Float64Array = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    x[k] = q[k]! + 0.5 * step;
    y[k] = Math.abs(v[k + 1]! - v[k]!) / step;
  }
  const fwhm = options.fwhm ?? 0;
  if (fwhm > 0) y = gaussianFilter(y, sigmaSamples(options, fwhm, step));
  return { x, y };
}
