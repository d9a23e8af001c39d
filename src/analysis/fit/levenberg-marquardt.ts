import { DiscernError } from '../../core/index.js';
import { solveSpdSubset } from './dense.js';

/** A nonlinear least-squares problem: minimise Σ r_i(x)² over x within box bounds. */
export interface LeastSquaresProblem {
  /** Number of residuals m. */
  readonly m: number;
  /** Writes the m residuals r(x) into `out` (no allocation expected). */
  residuals(x: Float64Array, out: Float64Array): void;
  /**
   * Optional analytic Jacobian ∂r_i/∂x_j written row-major (m×n) into `out`; `r` holds r(x).
   * Without it a forward-difference Jacobian is used.
   */
  jacobian?(x: Float64Array, r: Float64Array, out: Float64Array): void;
}

export interface LevenbergMarquardtOptions {
  /** Lower bounds (-Infinity for none); default none. */
  readonly lower?: ArrayLike<number>;
  /** Upper bounds (Infinity for none); default none. */
  readonly upper?: ArrayLike<number>;
  /** Maximum number of iterations (Jacobian evaluations); default 200. */
  readonly maxIterations?: number;
  /** Stop when an accepted step reduces the sum of squares by less than ftol relatively; default 1e-12. */
  readonly ftol?: number;
  /** Stop when the scaled step is below xtol relative to the scaled parameters; default 1e-10. */
  readonly xtol?: number;
  /** Stop when the cosine between r and every free column of J is below gtol; default 1e-10. */
  readonly gtol?: number;
  /** Initial damping relative to diag(JᵀJ); default 1e-3. */
  readonly initialLambda?: number;
  /**
   * Typical magnitude of each parameter, for the finite-difference step √ε·max(|x|, typical);
   * default 1e-3·|x0|, or 1 where x0 is 0.
   */
  readonly typicalX?: ArrayLike<number>;
}

export interface LevenbergMarquardtResult {
  readonly parameters: Float64Array;
  /** Residuals at the solution. */
  readonly residuals: Float64Array;
  /** Sum of squared residuals at the solution. */
  readonly sumSquares: number;
  /** Jacobian at the solution (row-major m×n). */
  readonly jacobian: Float64Array;
  readonly iterations: number;
  /** Residual evaluations, including those for finite differences. */
  readonly evaluations: number;
  readonly converged: boolean;
  /** 'ftol' | 'xtol' | 'gtol' | 'zero-residual' | 'max-iterations' | 'no-progress'. */
  readonly reason: string;
  /** True for parameters that ended on a bound. */
  readonly atBound: boolean[];
}

const SQRT_EPS = 1.4901161193847656e-8;

/**
 * Bounded Levenberg-Marquardt: Marquardt's diagonal scaling (Moré 1978), Nielsen's damping
 * update, and bounds handled by an active set (a variable on a bound whose gradient points out
 * of the box is held for that iteration) plus projection of the step onto the box. The Jacobian
 * is analytic when the problem gives one, else forward differences with a step of
 * √ε·max(|x|, typical), typical = 1e-3·|x0| (1 where x0 is 0) unless given.
 * Failing to converge is a result (`converged: false`), not an error.
 * @throws DISCERN_FIT_FAILED when x0 has the wrong length, is not finite or has fewer residuals than parameters.
 * @example
 * const fit = levenbergMarquardt({ m: 3, residuals: (x, r) => { r[0] = x[0]! - 1; r[1] = x[0]! - 2; r[2] = 0; } }, [0]);
 */
export function levenbergMarquardt(
  problem: LeastSquaresProblem,
  x0: ArrayLike<number>,
  options: LevenbergMarquardtOptions = {},
): LevenbergMarquardtResult {
  const n = x0.length;
  const m = problem.m;
  if (n === 0 || m < n)
    throw new DiscernError(
      'DISCERN_FIT_FAILED',
      `a fit of ${n} parameters needs at least ${n} residuals, got ${m}`,
    );
  const lower = Float64Array.from({ length: n }, (_, j) => options.lower?.[j] ?? -Infinity);
  const upper = Float64Array.from({ length: n }, (_, j) => options.upper?.[j] ?? Infinity);
  const maxIter = options.maxIterations ?? 200;
  const ftol = options.ftol ?? 1e-12;
  const xtol = options.xtol ?? 1e-10;
  const gtol = options.gtol ?? 1e-10;

  const x = new Float64Array(n);
  const typical = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const v = x0[j]!;
    if (!Number.isFinite(v))
      throw new DiscernError('DISCERN_FIT_FAILED', `initial parameter ${j} is not finite`);
    x[j] = Math.min(upper[j]!, Math.max(lower[j]!, v));
    const ty = options.typicalX?.[j];
    typical[j] = ty !== undefined && ty > 0 ? ty : v !== 0 ? 1e-3 * Math.abs(v) : 1;
  }
  const r = new Float64Array(m);
  const rTrial = new Float64Array(m);
  const rStep = new Float64Array(m);
  const jac = new Float64Array(m * n);
  const jtj = new Float64Array(n * n);
  const g = new Float64Array(n);
  const diag = new Float64Array(n);
  const step = new Float64Array(n);
  const xTrial = new Float64Array(n);
  const xStep = new Float64Array(n);
  const negG = new Float64Array(n);
  const sys = new Float64Array(n * n);
  const work = new Float64Array(n * n + n);
  const free: number[] = [];
  let evaluations = 0;

  const sumSq = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < m; i++) s += v[i]! * v[i]!;
    return s;
  };
  const evaluate = (p: Float64Array, out: Float64Array): number => {
    evaluations++;
    problem.residuals(p, out);
    const s = sumSq(out);
    return Number.isFinite(s) ? s : Infinity;
  };
  const computeJacobian = (): void => {
    if (problem.jacobian) {
      problem.jacobian(x, r, jac);
      return;
    }
    xStep.set(x);
    for (let j = 0; j < n; j++) {
      let h = SQRT_EPS * Math.max(Math.abs(x[j]!), typical[j]!);
      if (x[j]! + h > upper[j]!) h = -h;
      xStep[j] = x[j]! + h;
      evaluate(xStep, rStep);
      for (let i = 0; i < m; i++) jac[i * n + j] = (rStep[i]! - r[i]!) / h;
      xStep[j] = x[j]!;
    }
  };

  let cost = evaluate(x, r);
  if (!Number.isFinite(cost))
    throw new DiscernError('DISCERN_FIT_FAILED', 'the model is not finite at the initial parameters');
  let lambda = options.initialLambda ?? 1e-3;
  let nu = 2;
  let iterations = 0;
  let reason = 'max-iterations';
  let converged = false;
  let needJacobian = true;

  outer: while (iterations < maxIter) {
    if (cost === 0) {
      reason = 'zero-residual';
      converged = true;
      break;
    }
    if (needJacobian) {
      computeJacobian();
      iterations++;
      jtj.fill(0);
      g.fill(0);
      for (let i = 0; i < m; i++) {
        const ri = r[i]!;
        const row = i * n;
        for (let a = 0; a < n; a++) {
          const ja = jac[row + a]!;
          if (ja === 0) continue;
          g[a] = g[a]! + ja * ri;
          for (let b = 0; b <= a; b++) jtj[a * n + b] = jtj[a * n + b]! + ja * jac[row + b]!;
        }
      }
      for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) jtj[b * n + a] = jtj[a * n + b]!;
      for (let j = 0; j < n; j++) diag[j] = jtj[j * n + j]!;
      needJacobian = false;
    }
    // Active set: hold variables on a bound whose gradient points outward.
    free.length = 0;
    let gCos = 0;
    const rNorm = Math.sqrt(cost);
    for (let j = 0; j < n; j++) {
      const atLow = x[j]! <= lower[j]! && g[j]! > 0;
      const atHigh = x[j]! >= upper[j]! && g[j]! < 0;
      if (atLow || atHigh) continue;
      free.push(j);
      const cn = Math.sqrt(jtj[j * n + j]!);
      if (cn > 0) gCos = Math.max(gCos, Math.abs(g[j]!) / (cn * rNorm));
    }
    if (free.length === 0 || gCos <= gtol) {
      reason = 'gtol';
      converged = true;
      break;
    }
    let dmax = 0;
    for (const j of free) dmax = Math.max(dmax, diag[j]!);
    // Inner loop: increase the damping until a step reduces the sum of squares.
    for (;;) {
      sys.set(jtj);
      for (const j of free) sys[j * n + j] = jtj[j * n + j]! + lambda * Math.max(diag[j]!, 1e-12 * dmax);
      for (let j = 0; j < n; j++) negG[j] = -g[j]!;
      step.fill(0);
      const ok = solveSpdSubset(sys, n, negG, free, step, work);
      let stepNorm = 0;
      let xNorm = 0;
      let pred = 0;
      if (ok) {
        for (let j = 0; j < n; j++) {
          const v = Math.min(upper[j]!, Math.max(lower[j]!, x[j]! + step[j]!));
          xTrial[j] = v;
          step[j] = v - x[j]!;
          const d = Math.sqrt(Math.max(diag[j]!, 1e-300));
          stepNorm += (d * step[j]!) ** 2;
          xNorm += (d * x[j]!) ** 2;
        }
        // Predicted reduction of Σr² for the projected step p: -(2gᵀp + pᵀJᵀJp).
        let quad = 0;
        let lin = 0;
        for (let a = 0; a < n; a++) {
          const pa = step[a]!;
          if (pa === 0) continue;
          lin += g[a]! * pa;
          for (let b = 0; b < n; b++) quad += pa * jtj[a * n + b]! * step[b]!;
        }
        pred = -(2 * lin + quad);
        stepNorm = Math.sqrt(stepNorm);
        xNorm = Math.sqrt(xNorm);
      }
      if (ok && stepNorm <= xtol * (xNorm + xtol)) {
        reason = 'xtol';
        converged = true;
        break outer;
      }
      const trial = ok ? evaluate(xTrial, rTrial) : Infinity;
      const actual = cost - trial;
      const rho = ok && pred > 0 ? actual / pred : -1;
      if (ok && actual > 0 && rho > 1e-4) {
        x.set(xTrial);
        r.set(rTrial);
        const old = cost;
        cost = trial;
        lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
        nu = 2;
        needJacobian = true;
        if (actual <= ftol * old && pred <= ftol * old) {
          reason = 'ftol';
          converged = true;
          computeJacobian();
          break outer;
        }
        break;
      }
      lambda *= nu;
      nu *= 2;
      if (lambda > 1e16) {
        reason = 'no-progress';
        // No step reduces the sum of squares any more: a minimum to rounding when the
        // gradient is already small.
        converged = gCos <= 1e-6;
        break outer;
      }
    }
  }
  if (needJacobian) computeJacobian();
  const atBound = Array.from(x, (v, j) => v <= lower[j]! || v >= upper[j]!);
  return {
    parameters: x,
    residuals: r,
    sumSquares: cost,
    jacobian: jac,
    iterations,
    evaluations,
    converged,
    reason,
    atBound,
  };
}
