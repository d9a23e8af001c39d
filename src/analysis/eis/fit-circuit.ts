import { DiscernError } from '../../core/index.js';
import { parameterCovariance } from '../fit/covariance.js';
import { levenbergMarquardt, type LevenbergMarquardtResult } from '../fit/levenberg-marquardt.js';
import { seededRandom } from '../fit/random.js';
import { compileCircuit, parseCircuit, type Circuit } from './circuit.js';
import { initialCircuitGuess } from './initial-guess.js';
import { checkSpectrum, type ImpedanceSpectrum } from './spectrum.js';

/**
 * How residuals are weighted: 'unit' (absolute, impedance.py's default), 'proportional'
 * (σ_re = |Re Z|, σ_im = |Im Z|, each floored at 1e-3·|Z|) or 'modulus' (σ = |Z| for both,
 * impedance.py's `weight_by_modulus`).
 */
export type EisWeighting = 'unit' | 'proportional' | 'modulus';

export interface CircuitFitOptions {
  /** Starting values of the free parameters (constants left out), as impedance.py's initial_guess. Default: read off the spectrum. */
  readonly initialGuess?: readonly number[];
  /** Parameters held fixed, by name (`R0`, `Wo1_1`). */
  readonly constants?: Readonly<Record<string, number>>;
  /** Bounds of the free parameters; default [0, ∞), exponents [0, 1]. */
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
  /** Default 'unit'. */
  readonly weighting?: EisWeighting;
  /** Number of starts: the initial guess plus random perturbations of it; default 8. */
  readonly starts?: number;
  /** Seed of the perturbations; default 0. */
  readonly seed?: number;
  /** Per start; default 500. */
  readonly maxIterations?: number;
}

export interface CircuitFitParameter {
  readonly name: string;
  readonly value: number;
  /** Standard error √diag(s²(JᵀJ)⁻¹); 0 for constants, NaN when the data do not determine it. */
  readonly stderr: number;
  readonly unit: string;
  /** 95 % confidence interval value ± t(0.975, m − n)·stderr. */
  readonly ci95: readonly [number, number];
  readonly fixed: boolean;
  /** True when the value ended on a bound (its interval then means little). */
  readonly atBound: boolean;
}

export interface CircuitFitResult {
  readonly circuit: string;
  readonly parameters: readonly CircuitFitParameter[];
  /** √(mean |Z_fit − Z|²) in Ohm, as impedance.py's rmse. */
  readonly rmse: number;
  /** Weighted sum of squares at the solution. */
  readonly chiSquare: number;
  /** 2·points − free parameters. */
  readonly dof: number;
  readonly converged: boolean;
  /** Iterations of the winning start. */
  readonly iterations: number;
  /** Residual evaluations over all starts. */
  readonly evaluations: number;
  readonly reason: string;
  readonly weighting: EisWeighting;
  readonly starts: number;
  readonly frequencyHz: Float64Array;
  readonly zFitReal: Float64Array;
  readonly zFitImag: Float64Array;
}

/**
 * Complex nonlinear least-squares fit of an equivalent circuit to an impedance spectrum: the
 * real and imaginary residuals, weighted, are stacked and minimised by a bounded
 * Levenberg-Marquardt from several starts (the initial guess and seeded log-uniform
 * perturbations of it within a decade); the best start wins. Standard errors and 95 % intervals
 * come from the covariance s²(JᵀJ)⁻¹ of the winning fit.
 * @throws DISCERN_BAD_ARGUMENT (bad circuit, guess or constant names), DISCERN_INSUFFICIENT_DATA
 *   (fewer points than parameters), DISCERN_FIT_FAILED (the model is not finite at the start).
 * @example fitCircuit(spectrum, 'R0-p(R1-Wo1,C1)', { initialGuess: [0.01, 0.005, 0.01, 200, 0.1] })
 */
export function fitCircuit(
  spectrum: ImpedanceSpectrum,
  circuit: string | Circuit,
  options: CircuitFitOptions = {},
): CircuitFitResult {
  const c = typeof circuit === 'string' ? parseCircuit(circuit) : circuit;
  const names = c.parameters.map((p) => p.name);
  const constants = options.constants ?? {};
  for (const k of Object.keys(constants)) {
    if (!names.includes(k))
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `constant ${k} is not a parameter of ${c.text} (${names.join(', ')})`,
      );
    if (!Number.isFinite(constants[k]!))
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `constant ${k} is not finite`);
  }
  const freeIdx = names.map((_, i) => i).filter((i) => !(names[i]! in constants));
  const nFree = freeIdx.length;
  const nPts = spectrum.frequencyHz.length;
  checkSpectrum(spectrum, Math.max(1, Math.ceil((nFree + 1) / 2)), 'a circuit fit');
  const weighting = options.weighting ?? 'unit';
  if (!['unit', 'proportional', 'modulus'].includes(weighting))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `unknown weighting ${weighting}`);

  const guessAll = initialCircuitGuess(c, spectrum);
  let x0: number[];
  if (options.initialGuess !== undefined) {
    if (options.initialGuess.length !== nFree)
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `the initial guess has ${options.initialGuess.length} values; ${c.text} has ${nFree} free parameters (${freeIdx.map((i) => names[i]).join(', ')})`,
      );
    x0 = [...options.initialGuess];
  } else x0 = freeIdx.map((i) => guessAll[i]!);
  const lower = freeIdx.map((i, k) => options.lower?.[k] ?? c.parameters[i]!.lower);
  const upper = freeIdx.map((i, k) => options.upper?.[k] ?? c.parameters[i]!.upper);
  if ((options.lower && options.lower.length !== nFree) || (options.upper && options.upper.length !== nFree))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `bounds must have ${nFree} values`);
  for (let k = 0; k < nFree; k++) {
    if (!Number.isFinite(x0[k]!))
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `initial value ${k} is not finite`);
    if (!(lower[k]! <= upper[k]!))
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `bounds of ${names[freeIdx[k]!]} are empty`);
  }

  // Weights.
  const sRe = new Float64Array(nPts);
  const sIm = new Float64Array(nPts);
  for (let k = 0; k < nPts; k++) {
    const zr = spectrum.zReal[k]!;
    const zi = spectrum.zImag[k]!;
    const mod = Math.hypot(zr, zi);
    if (weighting === 'unit') {
      sRe[k] = 1;
      sIm[k] = 1;
    } else if (weighting === 'modulus') {
      sRe[k] = 1 / mod;
      sIm[k] = 1 / mod;
    } else {
      sRe[k] = 1 / Math.max(Math.abs(zr), 1e-3 * mod);
      sIm[k] = 1 / Math.max(Math.abs(zi), 1e-3 * mod);
    }
  }
  const ev = compileCircuit(c, spectrum.frequencyHz);
  const full = new Float64Array(names.length);
  for (const [k, v] of Object.entries(constants)) full[names.indexOf(k)] = v;
  const jRe = new Float64Array(names.length * nPts);
  const jIm = new Float64Array(names.length * nPts);
  const problem = {
    m: 2 * nPts,
    residuals(x: Float64Array, out: Float64Array): void {
      for (let k = 0; k < nFree; k++) full[freeIdx[k]!] = x[k]!;
      ev.evaluate(full);
      for (let k = 0; k < nPts; k++) {
        out[k] = (ev.re[k]! - spectrum.zReal[k]!) * sRe[k]!;
        out[nPts + k] = (ev.im[k]! - spectrum.zImag[k]!) * sIm[k]!;
      }
    },
    jacobian(x: Float64Array, _r: Float64Array, out: Float64Array): void {
      for (let k = 0; k < nFree; k++) full[freeIdx[k]!] = x[k]!;
      ev.jacobian(full, jRe, jIm);
      for (let c = 0; c < nFree; c++) {
        const row = freeIdx[c]! * nPts;
        for (let k = 0; k < nPts; k++) {
          out[k * nFree + c] = jRe[row + k]! * sRe[k]!;
          out[(nPts + k) * nFree + c] = jIm[row + k]! * sIm[k]!;
        }
      }
    },
  };

  const starts = Math.max(1, Math.floor(options.starts ?? 8));
  const rng = seededRandom(options.seed ?? 0);
  let best: LevenbergMarquardtResult | undefined;
  let evaluations = 0;
  const maxIterations = options.maxIterations ?? 500;
  for (let s = 0; s < starts; s++) {
    const start = x0.map((v, k) => {
      if (s === 0) return v;
      const lo = lower[k]!;
      const hi = upper[k]!;
      if (Number.isFinite(lo) && Number.isFinite(hi) && hi - lo <= 1)
        return lo + (0.5 + 0.5 * rng.uniform()) * (hi - lo);
      const base = v !== 0 ? v : guessAll[freeIdx[k]!]! || 1;
      return Math.min(hi, Math.max(lo, base * Math.pow(10, 2 * rng.uniform() - 1)));
    });
    let fit: LevenbergMarquardtResult;
    try {
      fit = levenbergMarquardt(problem, start, {
        lower,
        upper,
        maxIterations,
        ftol: 1e-13,
        xtol: 1e-12,
        gtol: 1e-12,
      });
    } catch (e) {
      // A start where the model is not finite is skipped; if every start fails, see below.
      if (e instanceof DiscernError && e.code === 'DISCERN_FIT_FAILED') continue;
      throw e;
    }
    evaluations += fit.evaluations;
    if (best === undefined || fit.sumSquares < best.sumSquares * (1 - 1e-12)) best = fit;
  }
  if (best === undefined)
    throw new DiscernError('DISCERN_FIT_FAILED', `the circuit ${c.text} is not finite at any start`);

  const cov = parameterCovariance(best.jacobian, 2 * nPts, nFree, best.sumSquares);
  for (let k = 0; k < nFree; k++) full[freeIdx[k]!] = best.parameters[k]!;
  ev.evaluate(full);
  let sq = 0;
  for (let k = 0; k < nPts; k++)
    sq += (ev.re[k]! - spectrum.zReal[k]!) ** 2 + (ev.im[k]! - spectrum.zImag[k]!) ** 2;
  const parameters = c.parameters.map((p, i): CircuitFitParameter => {
    const k = freeIdx.indexOf(i);
    const value = full[i]!;
    if (k < 0)
      return {
        name: p.name,
        value,
        stderr: 0,
        unit: p.unit,
        ci95: [value, value],
        fixed: true,
        atBound: false,
      };
    const se = cov.stderr[k]!;
    return {
      name: p.name,
      value,
      stderr: se,
      unit: p.unit,
      ci95: [value - cov.t95 * se, value + cov.t95 * se],
      fixed: false,
      atBound: best.atBound[k]!,
    };
  });
  return {
    circuit: c.text,
    parameters,
    rmse: Math.sqrt(sq / nPts),
    chiSquare: best.sumSquares,
    dof: cov.dof,
    converged: best.converged,
    iterations: best.iterations,
    evaluations,
    reason: best.reason,
    weighting,
    starts,
    frequencyHz: Float64Array.from(spectrum.frequencyHz),
    zFitReal: Float64Array.from(ev.re),
    zFitImag: Float64Array.from(ev.im),
  };
}
