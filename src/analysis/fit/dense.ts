/**
 * Small dense linear algebra on row-major Float64Arrays (n up to a few hundred): the inner solves
 * of the least-squares and NNLS code. Allocation-free where a caller passes the work arrays.
 */

/**
 * In-place Cholesky factorisation of the symmetric positive-definite n×n matrix `a` (row-major):
 * on success the lower triangle holds L with A = L·Lᵀ (the upper triangle is left untouched).
 * @returns false when a pivot is not positive (the matrix is not positive definite).
 * @example const ok = choleskyInPlace(a, 3);
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / ljj;
    }
  }
  return true;
}

/**
 * Solves L·Lᵀ·x = b in place (b becomes x), with L from {@link choleskyInPlace}.
 * @example choleskySolveInPlace(l, 3, b);
 */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/**
 * Solves the symmetric positive-definite system A·x = b restricted to the index set `idx`
 * (A is n×n row-major; only rows/columns in idx are used). Writes x[idx[k]] and leaves the
 * other entries of x alone. `work` must hold at least idx.length² + idx.length numbers.
 * @returns false when the restricted matrix is not positive definite.
 */
export function solveSpdSubset(
  a: Float64Array,
  n: number,
  b: Float64Array,
  idx: ArrayLike<number>,
  x: Float64Array,
  work: Float64Array,
): boolean {
  const p = idx.length;
  for (let r = 0; r < p; r++) {
    const ir = idx[r]!;
    for (let c = 0; c <= r; c++) work[r * p + c] = a[ir * n + idx[c]!]!;
  }
  if (!choleskyInPlace(work, p)) return false;
  const rhs = work.subarray(p * p, p * p + p);
  for (let r = 0; r < p; r++) rhs[r] = b[idx[r]!]!;
  choleskySolveInPlace(work, p, rhs);
  for (let r = 0; r < p; r++) x[idx[r]!] = rhs[r]!;
  return true;
}

/**
 * Least squares min ‖A·x − b‖ by Householder QR for a full-rank m×n A (row-major, m ≥ n), with
 * all-zero columns given x = 0 (as a pseudo-inverse would). A and b are not changed.
 * @returns x, or undefined when A is rank-deficient (|R_jj| below 1e-13·max|R_ii|), so the
 *   caller can fall back to an SVD.
 */
export function leastSquaresQr(
  a: Float64Array,
  m: number,
  n: number,
  b: ArrayLike<number>,
): Float64Array | undefined {
  const cols: number[] = [];
  for (let j = 0; j < n; j++) {
    let any = false;
    for (let i = 0; i < m && !any; i++) any = a[i * n + j] !== 0;
    if (any) cols.push(j);
  }
  const p = cols.length;
  const x = new Float64Array(n);
  if (p === 0) return x;
  if (m < p) return undefined;
  // Column-major copy of the used columns.
  const q = new Float64Array(m * p);
  for (let c = 0; c < p; c++) for (let i = 0; i < m; i++) q[c * m + i] = a[i * n + cols[c]!]!;
  const y = Float64Array.from({ length: m }, (_, i) => b[i]!);
  const diag = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    const off = c * m;
    let norm = 0;
    for (let i = c; i < m; i++) norm += q[off + i]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return undefined;
    const alpha = q[off + c]! > 0 ? -norm : norm;
    // v = x − alpha·e1, stored in place; R_cc = alpha.
    q[off + c] = q[off + c]! - alpha;
    let vnorm2 = 0;
    for (let i = c; i < m; i++) vnorm2 += q[off + i]! ** 2;
    diag[c] = alpha;
    if (vnorm2 === 0) continue;
    for (let c2 = c + 1; c2 < p; c2++) {
      const o2 = c2 * m;
      let dot = 0;
      for (let i = c; i < m; i++) dot += q[off + i]! * q[o2 + i]!;
      const s = (2 * dot) / vnorm2;
      for (let i = c; i < m; i++) q[o2 + i] = q[o2 + i]! - s * q[off + i]!;
    }
    let dot = 0;
    for (let i = c; i < m; i++) dot += q[off + i]! * y[i]!;
    const s = (2 * dot) / vnorm2;
    for (let i = c; i < m; i++) y[i] = y[i]! - s * q[off + i]!;
  }
  let rmax = 0;
  for (let c = 0; c < p; c++) rmax = Math.max(rmax, Math.abs(diag[c]!));
  for (let c = 0; c < p; c++) if (Math.abs(diag[c]!) <= 1e-13 * rmax) return undefined;
  const z = new Float64Array(p);
  for (let c = p - 1; c >= 0; c--) {
    let s = y[c]!;
    for (let c2 = c + 1; c2 < p; c2++) s -= q[c2 * m + c]! * z[c2]!;
    z[c] = s / diag[c]!;
  }
  cols.forEach((j, c) => (x[j] = z[c]!));
  return x;
}
