/**
 * One-dimensional Gaussian smoothing with standard deviation `sigma` in samples, truncated at
 * `truncate`·sigma and with mirror ("reflect", d c b a | a b c d | d c b a) edges: the same as
 * scipy.ndimage.gaussian_filter1d with its defaults.
 * @example gaussianFilter(y, 2)
 */
export function gaussianFilter(y: ArrayLike<number>, sigma: number, truncate = 4): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  if (!(sigma > 0)) {
    for (let i = 0; i < n; i++) out[i] = y[i]!;
    return out;
  }
  const r = Math.floor(truncate * sigma + 0.5);
  const w = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) {
    const v = Math.exp((-0.5 * k * k) / (sigma * sigma));
    w[k + r] = v;
    sum += v;
  }
  for (let k = 0; k < w.length; k++) w[k] = w[k]! / sum;
  const at = (i: number): number => {
    if (n === 1) return y[0]!;
    const period = 2 * n;
    let j = ((i % period) + period) % period;
    if (j >= n) j = period - 1 - j;
    return y[j]!;
  };
  for (let i = 0; i < n; i++) {
    let s = 0;
    if (i - r >= 0 && i + r < n) for (let k = -r; k <= r; k++) s += w[k + r]! * y[i + k]!;
    else for (let k = -r; k <= r; k++) s += w[k + r]! * at(i + k);
    out[i] = s;
  }
  return out;
}
