import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { DiscernError } from '../../core/index.js';
import { leastSquaresQr } from '../fit/dense.js';
import { checkSpectrum, type ImpedanceSpectrum } from './spectrum.js';

/** Which part of the data the lin-KK resistances are fitted to (impedance.py's `fit_type`). */
export type LinKKFitType = 'real' | 'imag' | 'complex';

export interface LinKKOptions {
  /** Stop at the first M with μ ≤ c; default 0.85 (Schönleber). `null` fits exactly `maxM` elements. */
  readonly c?: number | null;
  /** Largest number of RC elements; default 50. */
  readonly maxM?: number;
  /**
   * Smallest number of RC elements tried; default 1, as impedance.py. A spectrum with one sharp
   * arc can give negative R_k (so μ ≤ c) while still underfitted at small M; a larger start avoids it.
   */
  readonly minM?: number;
  /** Default 'real'. */
  readonly fitType?: LinKKFitType;
  /** Add a series capacitance (for data without a low-frequency intercept); default false. */
  readonly addCapacitance?: boolean;
}

export interface LinKKResult {
  /** Number of RC elements used. */
  readonly M: number;
  /** Over/under-fitting measure μ = 1 − Σ|R_k<0| / Σ|R_k≥0|. */
  readonly mu: number;
  /** Series (ohmic) resistance, Ohm. */
  readonly rOhmicOhm: number;
  /** R_k of the RC elements, Ohm. */
  readonly resistancesOhm: Float64Array;
  /** τ_k of the RC elements, s. */
  readonly timeConstantsS: Float64Array;
  /** Series inductance, H. */
  readonly inductanceH: number;
  /** Series capacitance, F (Infinity when not fitted). */
  readonly capacitanceF: number;
  readonly zFitReal: Float64Array;
  readonly zFitImag: Float64Array;
  /** (Z − Ẑ)/|Z|, real part. */
  readonly residualsReal: Float64Array;
  /** (Z − Ẑ)/|Z|, imaginary part. */
  readonly residualsImag: Float64Array;
}

/**
 * τ_k of the lin-KK test: τ_1 = 1/(2π f_max), τ_M = 1/(2π f_min), log-spaced in between.
 * @example linKKTimeConstants([1000, 100, 10, 1, 0.1].map((w) => w / (2 * Math.PI)), 3) // [0.001, 0.1, 10]
 */
export function linKKTimeConstants(frequencyHz: ArrayLike<number>, M: number): Float64Array {
  let fmin = Infinity;
  let fmax = -Infinity;
  for (let k = 0; k < frequencyHz.length; k++) {
    fmin = Math.min(fmin, frequencyHz[k]!);
    fmax = Math.max(fmax, frequencyHz[k]!);
  }
  const tMin = 1 / (2 * Math.PI * fmax);
  const tMax = 1 / (2 * Math.PI * fmin);
  const ts = new Float64Array(M);
  ts[0] = tMin;
  ts[M - 1] = tMax;
  for (let k = 2; k < M; k++)
    ts[k - 1] = Math.pow(10, Math.log10(tMin) + ((k - 1) / (M - 1)) * Math.log10(tMax / tMin));
  return ts;
}

/**
 * μ = 1 − Σ|R_k| over negative R_k divided by Σ|R_k| over non-negative R_k (Schönleber et al.).
 * @example linKKMu([1, 2, 3, -3, -2, -1]) // 0
 */
export function linKKMu(resistances: ArrayLike<number>): number {
  let neg = 0;
  let pos = 0;
  for (let k = 0; k < resistances.length; k++) {
    const r = resistances[k]!;
    if (r < 0) neg -= r;
    else pos += r;
  }
  return pos > 0 ? 1 - neg / pos : -Infinity;
}

/** Least squares: Householder QR, or numpy's pinv (SVD, rcond 1e-15) when A is rank-deficient. */
function pinvSolve(rows: number[][], b: number[]): number[] {
  const m = rows.length;
  const n = rows[0]!.length;
  const flat = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) flat[i * n + j] = rows[i]![j]!;
  const qr = leastSquaresQr(flat, m, n, b);
  return qr !== undefined ? Array.from(qr) : svdSolve(rows, b);
}

function svdSolve(rows: number[][], b: number[]): number[] {
  const svd = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: true });
  const u = svd.leftSingularVectors;
  const v = svd.rightSingularVectors;
  const s = svd.diagonal;
  const cut = 1e-15 * (s[0] ?? 0);
  const n = rows[0]!.length;
  const x = new Array<number>(n).fill(0);
  for (let k = 0; k < s.length; k++) {
    if (!(s[k]! > cut)) continue;
    let ub = 0;
    for (let i = 0; i < b.length; i++) ub += u.get(i, k) * b[i]!;
    const c = ub / s[k]!;
    for (let j = 0; j < n; j++) x[j] = x[j]! + c * v.get(j, k);
  }
  return x;
}

interface Elements {
  r0: number;
  rk: number[];
  l: number;
  invC: number;
}

function evalLinKK(e: Elements, ts: Float64Array, w: Float64Array, re: Float64Array, im: Float64Array): void {
  for (let n = 0; n < w.length; n++) {
    let zr = e.r0;
    let zi = w[n]! * e.l - e.invC / w[n]!;
    for (let k = 0; k < ts.length; k++) {
      const x = w[n]! * ts[k]!;
      const d = 1 + x * x;
      zr += e.rk[k]! / d;
      zi -= (e.rk[k]! * x) / d;
    }
    re[n] = zr;
    im[n] = zi;
  }
}

function fitLinKK(
  s: ImpedanceSpectrum,
  w: Float64Array,
  mod: Float64Array,
  ts: Float64Array,
  fitType: LinKKFitType,
  addCap: boolean,
): Elements {
  const N = w.length;
  const M = ts.length;
  // Columns: [R0, R_1..R_M, (1/C), L], each row normalised by |Z| (Schönleber's weighting).
  const cols = M + (addCap ? 3 : 2);
  const aRe: number[][] = [];
  const aIm: number[][] = [];
  for (let n = 0; n < N; n++) {
    const re = new Array<number>(cols).fill(0);
    const im = new Array<number>(cols).fill(0);
    re[0] = 1 / mod[n]!;
    for (let k = 0; k < M; k++) {
      const x = w[n]! * ts[k]!;
      re[k + 1] = 1 / (1 + x * x) / mod[n]!;
      im[k + 1] = -x / (1 + x * x) / mod[n]!;
    }
    if (addCap) im[cols - 2] = -1 / (w[n]! * mod[n]!);
    im[cols - 1] = w[n]! / mod[n]!;
    aRe.push(re);
    aIm.push(im);
  }
  const bRe = Array.from(s.zReal, (v, n) => v / mod[n]!);
  const bIm = Array.from(s.zImag, (v, n) => v / mod[n]!);
  const tmpRe = new Float64Array(N);
  const tmpIm = new Float64Array(N);
  if (fitType === 'real') {
    const x = pinvSolve(aRe, bRe);
    const e: Elements = { r0: x[0]!, rk: x.slice(1, M + 1), l: 0, invC: 0 };
    evalLinKK(e, ts, w, tmpRe, tmpIm);
    // Fit L (and 1/C) to what the RC elements leave of the imaginary part.
    const rows = aIm.map((r) => (addCap ? [r[cols - 2]!, r[cols - 1]!] : [r[cols - 1]!]));
    const rhs = Array.from(s.zImag, (v, n) => (v - tmpIm[n]!) / mod[n]!);
    const c = pinvSolve(rows, rhs);
    if (addCap) {
      e.invC = c[0]!;
      e.l = c[1]!;
    } else e.l = c[0]!;
    return e;
  }
  if (fitType === 'imag') {
    const x = pinvSolve(aIm, bIm);
    const e: Elements = { r0: 0, rk: x.slice(1, M + 1), l: x[cols - 1]!, invC: addCap ? x[cols - 2]! : 0 };
    evalLinKK(e, ts, w, tmpRe, tmpIm);
    // Ohmic resistance from the real part with Boukamp's 1/|Z|² weights.
    let num = 0;
    let den = 0;
    for (let n = 0; n < N; n++) {
      const ws = 1 / (mod[n]! * mod[n]!);
      num += ws * (s.zReal[n]! - tmpRe[n]!);
      den += ws;
    }
    e.r0 = num / den;
    return e;
  }
  // Complex: normal equations (A'ᵀA' + A''ᵀA'') x = A'ᵀb' + A''ᵀb''.
  const ata: number[][] = [];
  const atb: number[] = [];
  for (let a = 0; a < cols; a++) {
    const row = new Array<number>(cols).fill(0);
    let rhs = 0;
    for (let n = 0; n < N; n++) {
      for (let b = 0; b < cols; b++) row[b] = row[b]! + aRe[n]![a]! * aRe[n]![b]! + aIm[n]![a]! * aIm[n]![b]!;
      rhs += aRe[n]![a]! * bRe[n]! + aIm[n]![a]! * bIm[n]!;
    }
    ata.push(row);
    atb.push(rhs);
  }
  const x = pinvSolve(ata, atb);
  return { r0: x[0]!, rk: x.slice(1, M + 1), l: x[cols - 1]!, invC: addCap ? x[cols - 2]! : 0 };
}

/**
 * The linear Kramers-Kronig test of Schönleber et al. (Electrochim. Acta 131 (2014) 20), as
 * impedance.py's `linKK` runs it: an ohmic resistor, M RC elements with fixed log-spaced time
 * constants and a series inductance (optionally a capacitance) are fitted linearly to the
 * |Z|-normalised data, M growing from 1 (or `minM`) until μ ≤ c or M = maxM; the residuals
 * (Z − Ẑ)/|Z| of a valid spectrum stay within the noise (typically below 1 %).
 * @throws DISCERN_INSUFFICIENT_DATA with fewer than 3 frequencies; DISCERN_BAD_ARGUMENT for bad options.
 * @example const { M, mu, residualsReal } = linKK(spectrum, { c: 0.85 });
 */
export function linKK(spectrum: ImpedanceSpectrum, options: LinKKOptions = {}): LinKKResult {
  checkSpectrum(spectrum, 3, 'the lin-KK test');
  const c = options.c === undefined ? 0.85 : options.c;
  const maxM = options.maxM ?? 50;
  const minM = options.minM ?? 1;
  const fitType = options.fitType ?? 'real';
  if (!Number.isInteger(maxM) || maxM < 1)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'maxM must be a positive integer');
  if (!Number.isInteger(minM) || minM < 1 || minM > maxM)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'minM must be an integer from 1 to maxM');
  if (!['real', 'imag', 'complex'].includes(fitType))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `unknown fit type ${fitType}`);
  if (c !== null && !Number.isFinite(c))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'c must be a number or null');
  const addCap = options.addCapacitance ?? false;
  const N = spectrum.frequencyHz.length;
  const w = Float64Array.from(spectrum.frequencyHz, (f) => 2 * Math.PI * f);
  const mod = Float64Array.from(spectrum.zReal, (r, n) => Math.hypot(r, spectrum.zImag[n]!));
  let M = c === null ? maxM : minM - 1;
  let ts: Float64Array = new Float64Array(0);
  let e: Elements = { r0: 0, rk: [], l: 0, invC: 0 };
  let mu = 1;
  if (c === null) {
    ts = linKKTimeConstants(spectrum.frequencyHz, M);
    e = fitLinKK(spectrum, w, mod, ts, fitType, addCap);
    mu = linKKMu(e.rk);
  } else {
    while (mu > c && M < maxM) {
      M++;
      ts = linKKTimeConstants(spectrum.frequencyHz, M);
      e = fitLinKK(spectrum, w, mod, ts, fitType, addCap);
      mu = linKKMu(e.rk);
    }
  }
  const zFitReal = new Float64Array(N);
  const zFitImag = new Float64Array(N);
  evalLinKK(e, ts, w, zFitReal, zFitImag);
  const residualsReal = new Float64Array(N);
  const residualsImag = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    residualsReal[n] = (spectrum.zReal[n]! - zFitReal[n]!) / mod[n]!;
    residualsImag[n] = (spectrum.zImag[n]! - zFitImag[n]!) / mod[n]!;
  }
  return {
    M,
    mu,
    rOhmicOhm: e.r0,
    resistancesOhm: Float64Array.from(e.rk),
    timeConstantsS: ts,
    inductanceH: e.l,
    capacitanceF: e.invC !== 0 ? 1 / e.invC : Infinity,
    zFitReal,
    zFitImag,
    residualsReal,
    residualsImag,
  };
}
