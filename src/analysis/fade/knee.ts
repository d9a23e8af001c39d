import { DiscernError } from '../../core/index.js';
import { isotonicRegression } from '../numeric/isotonic.js';
import { leastSquares } from '../numeric/stats.js';

/** Options of `kneePoint`. */
export interface KneeOptions {
  /** Width of the tanh transition (in cycles); default 1e-8, an abrupt break as in KneeFinder. */
  gamma?: number;
  /** Fit the raw series instead of its monotone (isotonic, non-increasing) fit. Default false. */
  raw?: boolean;
  /** `knee` for capacity (concave-down), `elbow` for resistance (increasing); default `knee`. */
  mode?: 'knee' | 'elbow';
}

/** A Bacon–Watts fit: breakpoint(s) and linear coefficients. */
export interface BaconWattsFit {
  /** β0, β1, β2 (and β3 for the double model). */
  parameters: number[];
  /** Breakpoints in cycles: [x_k] or [x_onset, x_k]. */
  breakpoints: number[];
  sse: number;
}

/** Result of `kneePoint`. */
export interface KneeResult {
  /** The knee point (single Bacon–Watts breakpoint), in cycles. */
  kneeCycle: number;
  /** The knee onset (earlier breakpoint of the double Bacon–Watts model), in cycles. */
  kneeOnsetCycle: number;
  single: BaconWattsFit;
  double: BaconWattsFit;
  /** The series the models were fitted to (the monotone fit unless `raw`). */
  fitted: Float64Array;
}

function term(x: ArrayLike<number>, b: number, gamma: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - b;
    out[i] = d * Math.tanh(d / gamma);
  }
  return out;
}

function singleSse(x: ArrayLike<number>, y: ArrayLike<number>, xk: number, gamma: number): BaconWattsFit {
  const one = new Float64Array(x.length).fill(1);
  const lin = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) lin[i] = x[i]! - xk;
  const r = leastSquares([one, lin, term(x, xk, gamma)], y);
  return r
    ? { parameters: r.beta, breakpoints: [xk], sse: r.sse }
    : { parameters: [], breakpoints: [xk], sse: Infinity };
}

function doubleSse(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xo: number,
  xk: number,
  gamma: number,
): BaconWattsFit {
  const one = new Float64Array(x.length).fill(1);
  const lin = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) lin[i] = x[i]! - xk;
  const r = leastSquares([one, lin, term(x, xk, gamma), term(x, xo, gamma)], y);
  return r
    ? { parameters: r.beta, breakpoints: [xo, xk], sse: r.sse }
    : { parameters: [], breakpoints: [xo, xk], sse: Infinity };
}

/** Golden-section minimisation of f on [a, b]. */
function golden(f: (x: number) => number, a: number, b: number, iterations = 60): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let k = 0; k < iterations && b - a > 1e-9 * (1 + Math.abs(a)); k++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return fc < fd ? c : d;
}

function grid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));
}

/**
 * Knee point and knee onset of a capacity-fade curve by the Bacon–Watts model (Fermín-Cueto et al.
 * 2020, as in KneeFinder): y = β0 + β1(x − x_k) + β2(x − x_k)·tanh((x − x_k)/γ), and the double
 * model with a second term β3(x − x_o)·tanh((x − x_o)/γ) whose earlier breakpoint is the onset.
 * The series is first replaced by its least-squares non-increasing fit. For fixed breakpoints the
 * model is linear, so the breakpoints are found by a grid search refined by golden sections: the
 * global least-squares optimum, not a local one.
 * @throws DISCERN_INSUFFICIENT_DATA with fewer than 8 points
 * @example kneePoint(cycles, capacities).kneeCycle
 */
export function kneePoint(
  cycles: readonly number[],
  values: readonly number[],
  options: KneeOptions = {},
): KneeResult {
  const n = cycles.length;
  if (n < 8)
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', `knee detection needs at least 8 cycles, got ${n}`);
  const gamma = options.gamma ?? 1e-8;
  const elbow = options.mode === 'elbow';
  const y = options.raw ? Float64Array.from(values) : isotonicRegression(values, !elbow);
  const x = Float64Array.from(cycles);
  const lo = x[1]!;
  const hi = x[n - 2]!;
  const coarse = grid(lo, hi, Math.min(200, n));
  let best = coarse[0]!;
  let bestSse = Infinity;
  for (const c of coarse) {
    const s = singleSse(x, y, c, gamma).sse;
    if (s < bestSse) {
      bestSse = s;
      best = c;
    }
  }
  const step = (hi - lo) / (coarse.length - 1);
  const xk = golden(
    (c) => singleSse(x, y, c, gamma).sse,
    Math.max(lo, best - step),
    Math.min(hi, best + step),
  );
  const single = singleSse(x, y, xk, gamma);

  const g2 = grid(lo, hi, Math.min(60, n));
  let bo = g2[0]!;
  let bk = g2[1]!;
  let bs = Infinity;
  for (let a = 0; a < g2.length; a++)
    for (let b = a + 1; b < g2.length; b++) {
      const s = doubleSse(x, y, g2[a]!, g2[b]!, gamma).sse;
      if (s < bs) {
        bs = s;
        bo = g2[a]!;
        bk = g2[b]!;
      }
    }
  const s2 = (hi - lo) / (g2.length - 1);
  for (let round = 0; round < 4; round++) {
    bo = golden((c) => doubleSse(x, y, c, bk, gamma).sse, Math.max(lo, bo - s2), Math.min(bk, bo + s2));
    bk = golden((c) => doubleSse(x, y, bo, c, gamma).sse, Math.max(bo, bk - s2), Math.min(hi, bk + s2));
  }
  const double = doubleSse(x, y, bo, bk, gamma);
  return {
    kneeCycle: single.breakpoints[0]!,
    kneeOnsetCycle: Math.min(bo, bk),
    single,
    double,
    fitted: y,
  };
}
