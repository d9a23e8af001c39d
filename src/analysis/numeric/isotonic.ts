/**
 * Least-squares monotone regression (pool-adjacent-violators) of `y` in its given order:
 * non-increasing when `decreasing` (the default, for capacity fade), else non-decreasing.
 * Non-finite values are given no weight and take the fitted value of their block.
 * @example isotonicRegression([3, 1, 2]) // [3, 1.5, 1.5]
 */
export function isotonicRegression(y: ArrayLike<number>, decreasing = true): Float64Array {
  const n = y.length;
  const sign = decreasing ? -1 : 1;
  const val: number[] = [];
  const wt: number[] = [];
  const len: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = y[i]!;
    const finite = Number.isFinite(x);
    val.push(finite ? sign * x : 0);
    wt.push(finite ? 1 : 0);
    len.push(1);
    while (val.length > 1) {
      const k = val.length - 1;
      const a = val[k - 1]!;
      const b = val[k]!;
      if (wt[k]! > 0 && wt[k - 1]! > 0 && a <= b) break;
      if (wt[k]! === 0 && wt[k - 1]! > 0) {
        // A missing value joins its predecessor's block without changing it.
        len[k - 1]! += len[k]!;
        val.pop();
        wt.pop();
        len.pop();
        continue;
      }
      if (wt[k - 1]! === 0 && wt[k]! > 0) {
        val[k - 1] = b;
        wt[k - 1] = wt[k]!;
      } else if (wt[k]! > 0) {
        const w = wt[k - 1]! + wt[k]!;
        val[k - 1] = (a * wt[k - 1]! + b * wt[k]!) / w;
        wt[k - 1] = w;
      }
      len[k - 1]! += len[k]!;
      val.pop();
      wt.pop();
      len.pop();
    }
  }
  const out = new Float64Array(n);
  let i = 0;
  for (let b = 0; b < val.length; b++) {
    const v = wt[b]! > 0 ? sign * val[b]! : NaN;
    for (let k = 0; k < len[b]!; k++) out[i++] = v;
  }
  return out;
}
