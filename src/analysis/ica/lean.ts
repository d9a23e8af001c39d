import { DiscernError } from '../../core/index.js';
import { interpLinear } from '../numeric/interpolate.js';
import { median } from '../numeric/stats.js';

/** Options of `leanDifferentiate`. */
export interface LeanOptions {
  /** Bin width as a multiple of the voltage quantum δR; default 1. */
  k?: number;
  /** Smoothing filter applied to the gradient (banded-matrix convolution); default Feng 2020's 5-point filter. */
  filter?: readonly number[];
}

/** Result of `leanDifferentiate`: per voltage bin. */
export interface LeanResult {
  /** x interpolated at the bin mid-points. */
  x: Float64Array;
  /** Bin mid-points of y. */
  y: Float64Array;
  /** dx/dy (e.g. dQ/dV when x is capacity and y voltage), smoothed. */
  dxdy: Float64Array;
  /** dy/dx = 1/(smoothed dx/dy) (NaN where that is 0). */
  dydx: Float64Array;
  /** Samples per bin. */
  counts: Int32Array;
  /** Bin width used (signed with the direction of y). */
  binWidth: number;
}

/** Feng et al. 2020's 5-point smoothing filter. */
export const LEAN_FILTER_5 = [0.0668, 0.2417, 0.383, 0.2417, 0.0668] as const;

/** y's quantum: the smallest non-zero difference between its sorted distinct values (δR in Feng 2020). */
export function samplingQuantum(y: ArrayLike<number>): number {
  const s = Array.from(y)
    .filter((v) => Number.isFinite(v))
    .sort((a, b) => a - b);
  let q = Infinity;
  for (let i = 1; i < s.length; i++) {
    const d = s[i]! - s[i - 1]!;
    if (d > 0 && d < q) q = d;
  }
  return q;
}

function quantile(sorted: readonly number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo]! + (sorted[Math.ceil(pos)]! - sorted[lo]!) * (pos - lo);
}

/** Convolution with a centred filter, truncated (not renormalised) at the edges, as a banded matrix. */
export function bandSmooth(g: Float64Array, alpha: readonly number[]): Float64Array {
  const w = Math.floor(alpha.length / 2);
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) {
    let s = 0;
    for (let k = 0; k < alpha.length; k++) {
      const j = i + k - w;
      if (j >= 0 && j < g.length) s += alpha[k]! * g[j]!;
    }
    out[i] = s;
  }
  return out;
}

/**
 * Differentiation by level counting ("LEAN", Feng et al., eTransportation 3 (2020) 100051), as in
 * PyProBE: x must be uniformly sampled (capacity or time under constant current); y (voltage) is
 * binned at k × its quantum, and dx/dy = (samples in the bin) × Δx / Δy. No interpolation of the
 * noisy y, so the ADC steps of y do not turn into spikes.
 * @throws DISCERN_BAD_ARGUMENT when x is not uniformly sampled (IQR of Δx above 10 % of its median)
 * @throws DISCERN_INSUFFICIENT_DATA with fewer than 5 points or a constant y
 * @example leanDifferentiate(capacityAh, voltageV).dxdy // dQ/dV in Ah/V
 */
export function leanDifferentiate(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: LeanOptions = {},
): LeanResult {
  const n = x.length;
  if (n < 5) throw new DiscernError('DISCERN_INSUFFICIENT_DATA', `LEAN needs at least 5 points, got ${n}`);
  const dxs: number[] = [];
  for (let i = 1; i < n; i++) dxs.push(x[i]! - x[i - 1]!);
  const dx = median(dxs);
  const sorted = [...dxs].sort((a, b) => a - b);
  if (Math.abs(quantile(sorted, 0.75) - quantile(sorted, 0.25)) > 0.1 * Math.abs(dx))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      'LEAN needs uniformly sampled x (e.g. capacity under constant current)',
    );
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    ymin = Math.min(ymin, y[i]!);
    ymax = Math.max(ymax, y[i]!);
  }
  const quantum = (options.k ?? 1) * samplingQuantum(y);
  if (!(ymax > ymin) || !Number.isFinite(quantum))
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'LEAN needs a varying y');
  const edges = Math.max(2, Math.ceil((ymax - ymin) / quantum));
  const width = (ymax - ymin) / (edges - 1);
  const bins = edges - 1;
  const counts = new Int32Array(bins);
  for (let i = 0; i < n; i++) {
    let b = Math.floor((y[i]! - ymin) / width);
    if (b >= bins) b = bins - 1;
    if (b >= 0) counts[b]!++;
  }
  const dy = y[0]! < y[n - 1]! ? width : -width;
  const mid = new Float64Array(bins);
  const raw = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    mid[b] = ymin + width * (b + 0.5);
    raw[b] = (counts[b]! * dx) / dy;
  }
  const dxdy = bandSmooth(raw, options.filter ?? LEAN_FILTER_5);
  const dydx = dxdy.map((g) => (g !== 0 ? 1 / g : NaN));
  // x(y) for the bin mid-points: sort by y (y may be noisy, not strictly monotonic).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a]! - y[b]!);
  const ys = Float64Array.from(order, (i) => y[i]!);
  const xs = Float64Array.from(order, (i) => x[i]!);
  const xAt = new Float64Array(bins);
  for (let b = 0; b < bins; b++) xAt[b] = interpLinear(ys, xs, mid[b]!);
  return {
    x: xAt,
    y: mid,
    dxdy,
    dydx,
    counts,
    binWidth: dy,
  };
}
