/** Arithmetic mean of the finite values (NaN when there are none). */
export function mean(v: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (Number.isFinite(x)) {
      s += x;
      n++;
    }
  }
  return n > 0 ? s / n : NaN;
}

/** Population variance (ddof = 0, as numpy's `var`) of the finite values. */
export function variance(v: ArrayLike<number>): number {
  const m = mean(v);
  let s = 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (Number.isFinite(x)) {
      s += (x - m) ** 2;
      n++;
    }
  }
  return n > 0 ? s / n : NaN;
}

function centralMoment(v: ArrayLike<number>, k: number): { m2: number; mk: number } {
  const m = mean(v);
  let s2 = 0;
  let sk = 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) continue;
    s2 += (x - m) ** 2;
    sk += (x - m) ** k;
    n++;
  }
  return { m2: s2 / n, mk: sk / n };
}

/** Sample skewness, biased (scipy.stats.skew default): m3 / m2^1.5. */
export function skewness(v: ArrayLike<number>): number {
  const { m2, mk } = centralMoment(v, 3);
  return m2 > 0 ? mk / m2 ** 1.5 : NaN;
}

/** Excess kurtosis, biased (scipy.stats.kurtosis default, Fisher): m4 / m2² − 3. */
export function kurtosis(v: ArrayLike<number>): number {
  const { m2, mk } = centralMoment(v, 4);
  return m2 > 0 ? mk / (m2 * m2) - 3 : NaN;
}

/** Median of the finite values (NaN when there are none). */
export function median(v: ArrayLike<number>): number {
  const a: number[] = [];
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) a.push(v[i]!);
  if (a.length === 0) return NaN;
  a.sort((p, q) => p - q);
  const h = a.length >> 1;
  return a.length % 2 === 1 ? a[h]! : 0.5 * (a[h - 1]! + a[h]!);
}

/** Least-squares straight line y = slope·x + intercept over the finite pairs. */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number } {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) continue;
    sx += x[i]!;
    sy += y[i]!;
    n++;
  }
  if (n < 2) return { slope: NaN, intercept: NaN };
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) continue;
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}

/**
 * Solves the small dense system A·x = b by Gaussian elimination with partial pivoting.
 * Returns undefined when A is singular. A and b are not modified.
 */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (!(Math.abs(m[p]![c]!) > 1e-300)) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]!;
    for (let r = c + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[c]! / piv[c]!;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) row[k] = row[k]! - f * piv[k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[n]!;
    for (let k = r + 1; k < n; k++) s -= row[k]! * x[k]!;
    x[r] = s / row[r]!;
  }
  return x;
}

/**
 * Ordinary least squares for y ≈ X·β with the design matrix given column by column.
 * Returns β and the residual sum of squares, or undefined when X'X is singular.
 */
export function leastSquares(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
): { beta: number[]; sse: number } | undefined {
  const p = columns.length;
  const n = y.length;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < p; a++) {
      const va = columns[a]![i]!;
      xty[a] = xty[a]! + va * y[i]!;
      const row = xtx[a]!;
      for (let b = a; b < p; b++) row[b] = row[b]! + va * columns[b]![i]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[a]![b] = xtx[b]![a]!;
  const beta = solveLinear(xtx, xty);
  if (beta === undefined) return undefined;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let a = 0; a < p; a++) f += beta[a]! * columns[a]![i]!;
    sse += (y[i]! - f) ** 2;
  }
  return { beta, sse };
}
