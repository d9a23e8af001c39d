import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { studentTQuantile } from './student-t.js';

export interface ParameterCovariance {
  /** Covariance matrix (row-major n×n) of the fitted parameters; NaN where not identifiable. */
  readonly covariance: Float64Array;
  /** Standard errors √diag(covariance); NaN for parameters the data do not determine. */
  readonly stderr: Float64Array;
  /** Residual variance s² = Σr²/(m − n) used to scale (JᵀJ)⁻¹. */
  readonly residualVariance: number;
  /** Degrees of freedom m − n. */
  readonly dof: number;
  /** Two-sided 95 % Student-t multiplier for `dof` (NaN when dof < 1). */
  readonly t95: number;
  /** Numerical rank of J. */
  readonly rank: number;
}

/**
 * Parameter covariance of a least-squares fit, s²·(JᵀJ)⁻¹ with s² = Σr²/(m − n), as
 * scipy's curve_fit does with absolute_sigma=False. J's columns are scaled to unit norm before a
 * pseudo-inverse by SVD, so parameters of very different magnitudes (an R of 0.01 Ω and a τ of
 * 200 s) do not spoil the conditioning; singular directions give NaN standard errors.
 * @param jacobian row-major m×n
 * @example const { stderr } = parameterCovariance(fit.jacobian, m, n, fit.sumSquares);
 */
export function parameterCovariance(
  jacobian: Float64Array,
  m: number,
  n: number,
  sumSquares: number,
): ParameterCovariance {
  const dof = m - n;
  const s2 = dof > 0 ? sumSquares / dof : NaN;
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += jacobian[i * n + j]! ** 2;
    scale[j] = Math.sqrt(s);
  }
  const rows: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) row[j] = scale[j]! > 0 ? jacobian[i * n + j]! / scale[j]! : 0;
    rows.push(row);
  }
  const covariance = new Float64Array(n * n).fill(NaN);
  const stderr = new Float64Array(n).fill(NaN);
  let rank = 0;
  if (n > 0 && m > 0) {
    const svd = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: true });
    const sv = svd.diagonal;
    const v = svd.rightSingularVectors;
    const tol = Math.max(m, n) * 2.220446049250313e-16 * (sv[0] ?? 0);
    const keep: number[] = [];
    for (let k = 0; k < sv.length; k++) if (sv[k]! > tol) keep.push(k);
    rank = keep.length;
    // A parameter is identifiable when it has no weight on a dropped singular direction.
    const identifiable = new Array<boolean>(n).fill(true);
    for (let k = 0; k < n; k++) {
      if (keep.includes(k)) continue;
      for (let j = 0; j < n; j++) if (Math.abs(v.get(j, k)) > 1e-8) identifiable[j] = false;
    }
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (!identifiable[a] || !identifiable[b] || scale[a] === 0 || scale[b] === 0) continue;
        let s = 0;
        for (const k of keep) s += (v.get(a, k) * v.get(b, k)) / (sv[k]! * sv[k]!);
        covariance[a * n + b] = (s2 * s) / (scale[a]! * scale[b]!);
      }
      const d = covariance[a * n + a]!;
      stderr[a] = d >= 0 ? Math.sqrt(d) : NaN;
    }
  }
  return {
    covariance,
    stderr,
    residualVariance: s2,
    dof,
    t95: dof >= 1 ? studentTQuantile(0.975, dof) : NaN,
    rank,
  };
}
