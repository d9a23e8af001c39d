import { DiscernError } from '../../core/index.js';
import { choleskyInPlace, choleskySolveInPlace } from '../fit/dense.js';
import { nnlsNormal } from '../fit/nnls.js';
import { checkSpectrum, type ImpedanceSpectrum } from './spectrum.js';

export interface DrtOptions {
  /** Regularisation parameter λ; default: chosen by generalised cross-validation (GCV). */
  readonly lambda?: number;
  /** Order of the derivative penalised (1 or 2); default 1, as pyDRTtools. */
  readonly derivative?: 1 | 2;
  /** RBF width: FWHM = mean Δln τ / coeff; default 0.5, as pyDRTtools. */
  readonly coeff?: number;
  /** Fit a series inductance (for inductive high-frequency points); default true. */
  readonly inductance?: boolean;
  /** λ range searched by GCV (4 points per decade, then golden-section refinement); default [1e-10, 10]. */
  readonly lambdaRange?: readonly [number, number];
  /**
   * λ used when the GCV minimum is at the lower end of the range (no usable noise information:
   * noise-free or non-KK-consistent data); default 1e-7, the lower end of pyDRTtools' search, kept
   * inside the range.
   */
  readonly fallbackLambda?: number;
}

export interface DrtPeak {
  readonly tauS: number;
  /** 1/(2πτ), Hz. */
  readonly frequencyHz: number;
  /** γ at the peak, Ohm (per unit ln τ). */
  readonly gammaOhm: number;
}

export interface DrtResult {
  readonly lambda: number;
  /**
   * How λ was chosen: 'gcv' (the GCV minimum, or the upper end of the range when GCV still falls
   * there), 'fallback' (`fallbackLambda`, when GCV falls to the lower end) or 'given'.
   */
  readonly lambdaSource: 'gcv' | 'fallback' | 'given';
  /** True when the GCV minimum is at an end of the searched range (GCV chose nothing there). */
  readonly lambdaAtBound: boolean;
  /** Human-readable warnings about the result (e.g. the GCV minimum at a bound). */
  readonly warnings: readonly string[];
  readonly rInfOhm: number;
  readonly inductanceH: number;
  /** Shape factor ε of the Gaussian RBFs. */
  readonly epsilon: number;
  /** Collocation time constants τ_m = 1/f_m (s) and their weights x_m (Ohm). */
  readonly collocationTauS: Float64Array;
  readonly weights: Float64Array;
  /** The DRT γ(τ) (Ohm per unit ln τ) on a fine grid of 10·N points, ±0.5 decade beyond the data. */
  readonly tauS: Float64Array;
  readonly gammaOhm: Float64Array;
  /** ∫γ d ln τ, Ohm: the polarisation resistance the DRT accounts for. */
  readonly polarizationOhm: number;
  readonly peaks: readonly DrtPeak[];
  /** The spectrum as the DRT reproduces it, at the input frequencies (input order). */
  readonly zFitReal: Float64Array;
  readonly zFitImag: Float64Array;
  /** The GCV score at the λ values tried (empty when λ was given). */
  readonly gcv: { readonly lambda: Float64Array; readonly score: Float64Array };
}

const FWHM_GAUSSIAN = 2 * Math.sqrt(Math.LN2);

/** ∫ φ(x)·g(x) dx over the support of the Gaussian RBF φ(x) = exp(−(εx)²), composite Simpson. */
function makeQuadrature(epsilon: number): { x: Float64Array; w: Float64Array } {
  const half = 6.5 / epsilon;
  let nq = Math.max(201, Math.ceil((2 * half) / 0.01));
  if (nq % 2 === 0) nq++;
  const h = (2 * half) / (nq - 1);
  const x = new Float64Array(nq);
  const w = new Float64Array(nq);
  for (let i = 0; i < nq; i++) {
    x[i] = -half + i * h;
    const simpson = i === 0 || i === nq - 1 ? 1 : i % 2 === 1 ? 4 : 2;
    w[i] = ((simpson * h) / 3) * Math.exp(-((epsilon * x[i]!) ** 2));
  }
  return { x, w };
}

/** Penalty matrix M_ij = ∫ φ_i^(d) φ_j^(d) d ln τ for Gaussian RBFs (closed form). */
function penaltyMatrix(lnTau: Float64Array, epsilon: number, order: 1 | 2): Float64Array {
  const n = lnTau.length;
  const m = new Float64Array(n * n);
  const a = (epsilon * epsilon) / 2;
  const c = Math.sqrt(Math.PI / 2) / epsilon;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = lnTau[i]! - lnTau[j]!;
      const e = Math.exp(-a * d * d);
      // G(d) = ∫φ(u)φ(u+d)du = c·e^{−ad²}; ∫φ'φ' = −G''(d), ∫φ''φ'' = G''''(d).
      m[i * n + j] =
        order === 1
          ? c * e * (2 * a - 4 * a * a * d * d)
          : c * e * (16 * a ** 4 * d ** 4 - 48 * a ** 3 * d * d + 12 * a * a);
    }
  }
  return m;
}

/**
 * The distribution of relaxation times by Tikhonov regularisation with a non-negativity
 * constraint, as pyDRTtools' `simple_run` does by default: Z(f) = R∞ + j2πfL + Σ x_m·(A′ + jA″)_m
 * with Gaussian radial basis functions centred at τ_m = 1/f_m (width: FWHM = mean Δln τ / coeff),
 * the combined real and imaginary data, a penalty on the 1st (or 2nd) derivative of γ, λ chosen
 * by generalised cross-validation on the unconstrained ridge problem, and the final weights
 * x ≥ 0 (R∞ and L included) by non-negative least squares. GCV is searched over [1e-10, 10]
 * (wider than pyDRTtools' [1e-7, 1]); when its minimum is at an end of the range the result says
 * so (`lambdaAtBound`, `warnings`) and, at the lower end, uses `fallbackLambda` rather than the bound.
 * @throws DISCERN_INSUFFICIENT_DATA with fewer than 5 frequencies; DISCERN_BAD_ARGUMENT for bad options.
 * @example const { tauS, gammaOhm, peaks } = drt(spectrum);
 */
export function drt(spectrum: ImpedanceSpectrum, options: DrtOptions = {}): DrtResult {
  checkSpectrum(spectrum, 5, 'a DRT');
  const order = options.derivative ?? 1;
  const coeff = options.coeff ?? 0.5;
  const withL = options.inductance ?? true;
  const [lamLo, lamHi] = options.lambdaRange ?? [1e-10, 10];
  const fallback = options.fallbackLambda ?? 1e-7;
  if (order !== 1 && order !== 2)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'the DRT derivative order must be 1 or 2');
  if (!(coeff > 0)) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'coeff must be positive');
  if (options.lambda !== undefined && !(options.lambda > 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'lambda must be positive');
  if (!(lamLo > 0 && lamHi > lamLo)) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'bad lambda range');
  if (!(fallback > 0)) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'fallbackLambda must be positive');

  const N = spectrum.frequencyHz.length;
  const f = spectrum.frequencyHz;
  // Collocation points, ascending in τ.
  const lnTau = Float64Array.from(f, (v) => -Math.log(v)).sort();
  let meanStep = 0;
  for (let i = 1; i < N; i++) meanStep += lnTau[i]! - lnTau[i - 1]!;
  meanStep /= N - 1;
  if (!(meanStep > 0)) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'a DRT needs distinct frequencies');
  const epsilon = (coeff * FWHM_GAUSSIAN) / meanStep;

  // Design matrix A (2N × P), columns [R∞, (L), x_1..x_N].
  const off = withL ? 2 : 1;
  const P = N + off;
  const A = new Float64Array(2 * N * P);
  const q = makeQuadrature(epsilon);
  const ex = Float64Array.from(q.x, Math.exp);
  for (let n = 0; n < N; n++) {
    const w = 2 * Math.PI * f[n]!;
    A[n * P] = 1;
    if (withL) A[(N + n) * P + 1] = w;
    for (let m = 0; m < N; m++) {
      const alpha = w * Math.exp(lnTau[m]!);
      let re = 0;
      let im = 0;
      for (let k = 0; k < q.x.length; k++) {
        const t = alpha * ex[k]!;
        const d = 1 / (1 + t * t);
        re += q.w[k]! * d;
        im -= q.w[k]! * t * d;
      }
      A[n * P + off + m] = re;
      A[(N + n) * P + off + m] = im;
    }
  }
  // Scale the R∞ and L columns to unit norm (ω reaches 1e7 rad/s); x ≥ 0 is unchanged by it.
  const colScale = new Float64Array(P).fill(1);
  for (let i = 0; i < off; i++) {
    let ss = 0;
    for (let r = 0; r < 2 * N; r++) ss += A[r * P + i]! ** 2;
    colScale[i] = ss > 0 ? 1 / Math.sqrt(ss) : 1;
    for (let r = 0; r < 2 * N; r++) A[r * P + i] = A[r * P + i]! * colScale[i]!;
  }
  const b = new Float64Array(2 * N);
  for (let n = 0; n < N; n++) {
    b[n] = spectrum.zReal[n]!;
    b[N + n] = spectrum.zImag[n]!;
  }
  const ata = new Float64Array(P * P);
  const atb = new Float64Array(P);
  for (let r = 0; r < 2 * N; r++) {
    for (let i = 0; i < P; i++) {
      const ai = A[r * P + i]!;
      if (ai === 0) continue;
      atb[i] = atb[i]! + ai * b[r]!;
      for (let j = 0; j < P; j++) ata[i * P + j] = ata[i * P + j]! + ai * A[r * P + j]!;
    }
  }
  const pen = penaltyMatrix(lnTau, epsilon, order);
  let diagMax = 0;
  for (let i = 0; i < P; i++) diagMax = Math.max(diagMax, ata[i * P + i]!);
  const jitter = 1e-13 * diagMax;
  const H = new Float64Array(P * P);
  const buildH = (lambda: number): void => {
    H.set(ata);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++)
        H[(off + i) * P + off + j] = H[(off + i) * P + off + j]! + lambda * pen[i * N + j]!;
    for (let i = 0; i < P; i++) H[i * P + i] = H[i * P + i]! + jitter;
  };

  // GCV(λ) = ‖(I − K)b‖²/(2N) / ((2N − tr K)/(2N))², K = A(AᵀA + λM)⁻¹Aᵀ.
  const x = new Float64Array(P);
  const col = new Float64Array(P);
  const gcvScore = (lambda: number): number => {
    buildH(lambda);
    if (!choleskyInPlace(H, P)) return Infinity;
    x.set(atb);
    choleskySolveInPlace(H, P, x);
    let trace = 0;
    for (let j = 0; j < P; j++) {
      for (let i = 0; i < P; i++) col[i] = ata[i * P + j]!;
      choleskySolveInPlace(H, P, col);
      trace += col[j]!;
    }
    let rss = 0;
    for (let r = 0; r < 2 * N; r++) {
      let v = b[r]!;
      for (let i = 0; i < P; i++) v -= A[r * P + i]! * x[i]!;
      rss += v * v;
    }
    const m = 2 * N;
    return rss / m / ((m - trace) / m) ** 2;
  };

  let lambda: number;
  let source: DrtResult['lambdaSource'] = options.lambda !== undefined ? 'given' : 'gcv';
  let atBound = false;
  const warnings: string[] = [];
  const tried: [number, number][] = [];
  if (options.lambda !== undefined) lambda = options.lambda;
  else {
    const lo = Math.log(lamLo);
    const hi = Math.log(lamHi);
    const steps = Math.max(8, Math.round((hi - lo) / Math.log(10 ** 0.25)));
    let bestK = 0;
    for (let k = 0; k <= steps; k++) {
      const l = Math.exp(lo + ((hi - lo) * k) / steps);
      tried.push([l, gcvScore(l)]);
      if (tried[k]![1] < tried[bestK]![1]) bestK = k;
    }
    // Golden-section refinement in ln λ between the neighbours of the best grid point.
    let a = lo + ((hi - lo) * Math.max(0, bestK - 1)) / steps;
    let c = lo + ((hi - lo) * Math.min(steps, bestK + 1)) / steps;
    const g = (Math.sqrt(5) - 1) / 2;
    let x1 = c - g * (c - a);
    let x2 = a + g * (c - a);
    let f1 = gcvScore(Math.exp(x1));
    let f2 = gcvScore(Math.exp(x2));
    for (let it = 0; it < 40 && c - a > 1e-2; it++) {
      if (f1 < f2) {
        c = x2;
        x2 = x1;
        f2 = f1;
        x1 = c - g * (c - a);
        f1 = gcvScore(Math.exp(x1));
      } else {
        a = x1;
        x1 = x2;
        f1 = f2;
        x2 = a + g * (c - a);
        f2 = gcvScore(Math.exp(x2));
      }
    }
    const xm = f1 < f2 ? x1 : x2;
    lambda = Math.min(f1, f2) <= tried[bestK]![1] ? Math.exp(xm) : tried[bestK]![0];
    // A minimum at an end of the range (the refinement found nothing lower inside it) is no minimum.
    const edge = (hi - lo) / steps / 4;
    const ln = Math.log(lambda);
    const range = `[${lamLo.toExponential(0)}, ${lamHi.toExponential(0)}]`;
    if ((bestK === 0 && ln - lo < edge) || (bestK === steps && hi - ln < edge)) {
      atBound = true;
      if (bestK === 0) {
        lambda = Math.min(lamHi, Math.max(lamLo, fallback));
        source = 'fallback';
        warnings.push(
          `the GCV score keeps falling to the lower end of the lambda range ${range} (noise-free or ` +
            `non-KK-consistent data?); lambda ${lambda.toExponential(1)} is used instead: check the ` +
            `spectrum (lin-KK) or give lambda`,
        );
      } else {
        lambda = lamHi;
        warnings.push(
          `the GCV score keeps falling to the upper end of the lambda range ${range}: the DRT is ` +
            `smoothed as much as allowed; check the spectrum (lin-KK) or give lambda`,
        );
      }
    }
  }

  buildH(lambda);
  const sol = nnlsNormal(H, atb, P);
  const weights = sol.x.slice(off);
  const rInf = sol.x[0]! * colScale[0]!;
  const L = withL ? sol.x[1]! * colScale[1]! : 0;

  const zFitReal = new Float64Array(N);
  const zFitImag = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < P; i++) {
      re += A[n * P + i]! * sol.x[i]!;
      im += A[(N + n) * P + i]! * sol.x[i]!;
    }
    zFitReal[n] = re;
    zFitImag[n] = im;
  }

  const nFine = 10 * N;
  const t0 = lnTau[0]! - 0.5 * Math.LN10;
  const t1 = lnTau[N - 1]! + 0.5 * Math.LN10;
  const tauS = new Float64Array(nFine);
  const gammaOhm = new Float64Array(nFine);
  for (let k = 0; k < nFine; k++) {
    const lt = t0 + ((t1 - t0) * k) / (nFine - 1);
    tauS[k] = Math.exp(lt);
    let g = 0;
    for (let m = 0; m < N; m++) g += weights[m]! * Math.exp(-((epsilon * (lt - lnTau[m]!)) ** 2));
    gammaOhm[k] = g;
  }
  let total = 0;
  for (let m = 0; m < N; m++) total += weights[m]!;
  const polarizationOhm = (total * Math.sqrt(Math.PI)) / epsilon;
  let gMax = 0;
  for (let k = 0; k < nFine; k++) gMax = Math.max(gMax, gammaOhm[k]!);
  const peaks: DrtPeak[] = [];
  for (let k = 1; k < nFine - 1; k++) {
    const g = gammaOhm[k]!;
    if (g > 0.01 * gMax && g >= gammaOhm[k - 1]! && g > gammaOhm[k + 1]!)
      peaks.push({ tauS: tauS[k]!, frequencyHz: 1 / (2 * Math.PI * tauS[k]!), gammaOhm: g });
  }
  return {
    lambda,
    lambdaSource: source,
    lambdaAtBound: atBound,
    warnings,
    rInfOhm: rInf,
    inductanceH: L,
    epsilon,
    collocationTauS: Float64Array.from(lnTau, Math.exp),
    weights,
    tauS,
    gammaOhm,
    polarizationOhm,
    peaks,
    zFitReal,
    zFitImag,
    gcv: { lambda: Float64Array.from(tried, (t) => t[0]), score: Float64Array.from(tried, (t) => t[1]) },
  };
}
