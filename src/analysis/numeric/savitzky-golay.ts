import { DiscernError } from '../../core/index.js';
import { solveLinear } from './stats.js';

/** Options of `savitzkyGolay`. */
export interface SavitzkyGolayOptions {
  /** Derivative order (0 = smoothing). Default 0. */
  derivative?: number;
  /** Sample spacing, used to scale derivatives. Default 1. */
  delta?: number;
}

function fitPolynomial(y: ArrayLike<number>, start: number, window: number, order: number): number[] {
  // Least squares in the local coordinate t = i - start (small, well-conditioned for short windows).
  const p = order + 1;
  const ata = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const aty = new Array<number>(p).fill(0);
  for (let t = 0; t < window; t++) {
    const pw = new Array<number>(p);
    let v = 1;
    for (let k = 0; k < p; k++) {
      pw[k] = v;
      v *= t;
    }
    for (let a = 0; a < p; a++) {
      aty[a] = aty[a]! + pw[a]! * y[start + t]!;
      for (let b = 0; b < p; b++) ata[a]![b] = ata[a]![b]! + pw[a]! * pw[b]!;
    }
  }
  return solveLinear(ata, aty) ?? new Array<number>(p).fill(NaN);
}

function polyDerivativeAt(c: readonly number[], t: number, d: number): number {
  let s = 0;
  for (let k = d; k < c.length; k++) {
    let f = 1;
    for (let j = 0; j < d; j++) f *= k - j;
    s += c[k]! * f * t ** (k - d);
  }
  return s;
}

/**
 * Savitzky–Golay convolution coefficients for a centred window (`window` odd), polynomial `order`
 * and derivative `derivative`, for unit sample spacing. Equal to scipy.signal.savgol_coeffs with
 * use='dot'.
 * @throws DISCERN_BAD_ARGUMENT when the window is even, too short for the order, or the derivative exceeds the order
 */
export function savitzkyGolayCoefficients(window: number, order: number, derivative = 0): Float64Array {
  if (!Number.isInteger(window) || window % 2 === 0 || window < 1)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `Savitzky-Golay window must be odd, got ${window}`);
  if (order >= window)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `Savitzky-Golay order ${order} must be below the window ${window}`,
    );
  if (derivative > order)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `derivative ${derivative} exceeds the order ${order}`);
  const h = (window - 1) / 2;
  const out = new Float64Array(window);
  // The response to a unit impulse at each position gives the coefficient of that position.
  const unit = new Float64Array(window);
  for (let j = 0; j < window; j++) {
    unit.fill(0);
    unit[j] = 1;
    const c = fitPolynomial(unit, 0, window, order);
    out[j] = polyDerivativeAt(c, h, derivative);
  }
  return out;
}

/**
 * Savitzky–Golay smoothing or differentiation of uniformly sampled data. Interior points use the
 * centred convolution; the first and last `window/2` points are taken from a polynomial fitted to
 * the first and last full window (scipy's mode='interp').
 * @throws DISCERN_BAD_ARGUMENT for an invalid window/order, or DISCERN_INSUFFICIENT_DATA when y is shorter than the window
 * @example savitzkyGolay(y, 11, 3)
 */
export function savitzkyGolay(
  y: ArrayLike<number>,
  window: number,
  order: number,
  options: SavitzkyGolayOptions = {},
): Float64Array {
  const d = options.derivative ?? 0;
  const delta = options.delta ?? 1;
  const coef = savitzkyGolayCoefficients(window, order, d);
  const n = y.length;
  if (n < window)
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', `Savitzky-Golay needs ${window} points, got ${n}`);
  const h = (window - 1) / 2;
  const scale = 1 / delta ** d;
  const out = new Float64Array(n);
  for (let i = h; i < n - h; i++) {
    let s = 0;
    for (let j = 0; j < window; j++) s += coef[j]! * y[i - h + j]!;
    out[i] = s * scale;
  }
  const first = fitPolynomial(y, 0, window, order);
  const last = fitPolynomial(y, n - window, window, order);
  for (let i = 0; i < h; i++) {
    out[i] = polyDerivativeAt(first, i, d) * scale;
    out[n - h + i] = polyDerivativeAt(last, window - h + i, d) * scale;
  }
  return out;
}
