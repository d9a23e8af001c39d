/**
 * Linear interpolation on a strictly increasing grid `xs`. Outside the grid the end values are
 * held (`extrapolate: 'clamp'`, the default), NaN is returned (`'nan'`), or the end segments are
 * extended (`'linear'`).
 * @example interpLinear(Float64Array.of(0, 1), Float64Array.of(0, 10), 0.25) // 2.5
 */
export function interpLinear(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: number,
  extrapolate: 'clamp' | 'nan' | 'linear' = 'clamp',
): number {
  const n = xs.length;
  if (n === 0 || Number.isNaN(x)) return NaN;
  if (n === 1) return ys[0]!;
  if (x <= xs[0]!) {
    if (x === xs[0]! || extrapolate === 'clamp') return ys[0]!;
    if (extrapolate === 'nan') return NaN;
    return ys[0]! + ((ys[1]! - ys[0]!) * (x - xs[0]!)) / (xs[1]! - xs[0]!);
  }
  if (x >= xs[n - 1]!) {
    if (x === xs[n - 1]! || extrapolate === 'clamp') return ys[n - 1]!;
    if (extrapolate === 'nan') return NaN;
    return ys[n - 1]! + ((ys[n - 1]! - ys[n - 2]!) * (x - xs[n - 1]!)) / (xs[n - 1]! - xs[n - 2]!);
  }
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const x0 = xs[lo]!;
  const x1 = xs[hi]!;
  return ys[lo]! + ((ys[hi]! - ys[lo]!) * (x - x0)) / (x1 - x0);
}

/** `interpLinear` at every point of `xq` (any order). */
export function interpMany(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  xq: ArrayLike<number>,
  extrapolate: 'clamp' | 'nan' | 'linear' = 'clamp',
): Float64Array {
  const out = new Float64Array(xq.length);
  for (let i = 0; i < xq.length; i++) out[i] = interpLinear(xs, ys, xq[i]!, extrapolate);
  return out;
}

/**
 * Sorts (x, y) pairs by x and averages the y of equal x values, dropping non-finite pairs, so the
 * result can be interpolated. Returns strictly increasing `x`.
 */
export function increasingPairs(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { x: Float64Array; y: Float64Array } {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!) && Number.isFinite(y[i]!)) idx.push(i);
  idx.sort((a, b) => x[a]! - x[b]!);
  const ox: number[] = [];
  const oy: number[] = [];
  let k = 0;
  while (k < idx.length) {
    const xv = x[idx[k]!]!;
    let s = 0;
    let m = 0;
    while (k < idx.length && x[idx[k]!]! === xv) {
      s += y[idx[k]!]!;
      m++;
      k++;
    }
    ox.push(xv);
    oy.push(s / m);
  }
  return { x: Float64Array.from(ox), y: Float64Array.from(oy) };
}

/** `n` evenly spaced values from `a` to `b` inclusive. */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) out[0] = a;
  for (let i = 0; i < n && n > 1; i++) out[i] = a + ((b - a) * i) / (n - 1);
  return out;
}
