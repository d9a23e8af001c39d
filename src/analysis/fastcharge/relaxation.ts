import { nnlsNormal } from '../fit/nnls.js';
import { interpLinear } from '../numeric/interpolate.js';
import { savitzkyGolay } from '../numeric/savitzky-golay.js';
import { median } from '../numeric/stats.js';

/** Result of `relaxationPlateau`. */
export interface RelaxationPlateau {
  /**
   * True when the rest departs from every no-plating relaxation (a sum of decaying exponentials)
   * by a significant plateau: the plated-lithium stripping signature.
   */
  detected: boolean;
  /** Time after the start of the rest (s) of the plateau: the local minimum of |dV/dt|; NaN when not detected. */
  plateauTimeS: number;
  /** Time (s) of the following maximum of |dV/dt| (the inflection: end of stripping); NaN when not detected. */
  strippingEndS: number;
  /** Rise of |dV/dt| from the plateau to the end of stripping (V/s); NaN when not detected. */
  prominenceVPerS: number;
  /** Peak-to-peak misfit of the smoothed voltage against the no-plating baseline (V). */
  excessV: number;
  /** Noise of the voltage samples (V, robust, from successive differences of the misfit). */
  noiseV: number;
  /** The threshold `excessV` had to reach (V). */
  thresholdV: number;
  /** The smoothed dV/dt (V/s) on a log-spaced time grid (s after the start of the rest), for plotting. */
  timeS: Float64Array;
  dvdtVPerS: Float64Array;
}

/** Options of `relaxationPlateau`. */
export interface RelaxationPlateauOptions {
  /** Points of the log-spaced time grid of dV/dt (at most the number of samples); default 400. */
  gridPoints?: number;
  /** Savitzky–Golay window (odd, grid points) for dV/dt; default 21, order 2. */
  window?: number;
  /** Smallest misfit against the no-plating baseline that counts (V); default 0.001. */
  minExcessV?: number;
  /** The misfit must also exceed this many noise standard deviations; default 5. */
  noiseFactor?: number;
  /** |dV/dt| must rise again by at least this fraction of its value at the plateau; default 0.1. */
  minRelativeRise?: number;
}

/**
 * The lithium-plating indicator of a rest after charge (Schindler et al., J. Power Sources 304
 * (2016) 170; von Lüders et al., J. Power Sources 342 (2017) 17). Without plating the voltage relaxes
 * as a sum of decaying exponentials (a completely monotone curve): |dV/dt| only falls. Plated
 * lithium stripping back holds the voltage on a plateau that ends in an inflection: |dV/dt| has a
 * local minimum, then a maximum when stripping ends. The test is made specific by a baseline: a
 * sum of exponentials (time constants log-spaced, 12 per decade from the sampling interval to 10× the
 * rest, non-negative amplitudes by NNLS) is fitted to the rest after its first min(5 %, 30 s); the
 * plateau is detected when the moving average (over 5 % of the rest) of the misfit spans at least
 * max(`minExcessV`, `noiseFactor` × noise) and |dV/dt| (Savitzky–Golay on a log-time grid) rises
 * again by at least `minRelativeRise`. A slow but monotone relaxation is therefore not flagged.
 * @example relaxationPlateau(restTimeS, restVoltageV).detected
 */
export function relaxationPlateau(
  timeS: ArrayLike<number>,
  voltageV: ArrayLike<number>,
  options: RelaxationPlateauOptions = {},
): RelaxationPlateau {
  const n = timeS.length;
  const minExcess = options.minExcessV ?? 1e-3;
  const noiseFactor = options.noiseFactor ?? 5;
  const minRise = options.minRelativeRise ?? 0.1;
  const result = (
    extra: Partial<RelaxationPlateau> & Pick<RelaxationPlateau, 'timeS' | 'dvdtVPerS'>,
  ): RelaxationPlateau => ({
    detected: false,
    plateauTimeS: NaN,
    strippingEndS: NaN,
    prominenceVPerS: NaN,
    excessV: NaN,
    noiseV: NaN,
    thresholdV: NaN,
    ...extra,
  });
  const empty = { timeS: new Float64Array(0), dvdtVPerS: new Float64Array(0) };
  if (n < 8) return result(empty);
  const t0 = timeS[0]!;
  const span = timeS[n - 1]! - t0;
  if (!(span > 0)) return result(empty);
  const ts = Float64Array.from(timeS, (t) => t - t0);
  const skip = Math.max(ts[2]!, Math.min(0.05 * span, 30));
  let first = 0;
  while (first < n && ts[first]! < skip) first++;
  const m = n - first;
  if (m < 8) return result(empty);
  const tFit = ts.subarray(first);
  const v = Float64Array.from({ length: m }, (_, k) => voltageV[first + k]!);
  const sign = v[0]! >= v[m - 1]! ? 1 : -1;

  // The no-plating baseline: y = c + Σ a_i exp(−(t − t_first)/τ_i), a_i ≥ 0, c ≥ 0 after a shift.
  const dts: number[] = [];
  for (let k = 1; k < m; k++) if (tFit[k]! > tFit[k - 1]!) dts.push(tFit[k]! - tFit[k - 1]!);
  const len = tFit[m - 1]! - tFit[0]!;
  const tauLo = Math.max(median(dts), len * 1e-5);
  const tauHi = 10 * len;
  const nTau = Math.max(2, Math.min(96, Math.ceil(12 * Math.log10(tauHi / tauLo))));
  const P = nTau + 1;
  const shift = Math.abs(v[0]! - v[m - 1]!) + 1e-3;
  const y = Float64Array.from(v, (x) => sign * (x - v[m - 1]!) + shift);
  const taus = Float64Array.from({ length: nTau }, (_, i) => tauLo * (tauHi / tauLo) ** (i / (nTau - 1)));
  const h = new Float64Array(P * P);
  const f = new Float64Array(P);
  const row = new Float64Array(P);
  const basis = (k: number): void => {
    row[0] = 1;
    for (let i = 0; i < nTau; i++) row[i + 1] = Math.exp(-(tFit[k]! - tFit[0]!) / taus[i]!);
  };
  // At most ~600 samples, evenly taken, make the normal equations (the misfit uses all of them).
  const stride = Math.max(1, Math.ceil(m / 600));
  for (let k = 0; k < m; k += stride) {
    basis(k);
    for (let i = 0; i < P; i++) {
      f[i] = f[i]! + row[i]! * y[k]!;
      for (let j = 0; j < P; j++) h[i * P + j] = h[i * P + j]! + row[i]! * row[j]!;
    }
  }
  let diag = 0;
  for (let i = 0; i < P; i++) diag = Math.max(diag, h[i * P + i]!);
  for (let i = 0; i < P; i++) h[i * P + i] = h[i * P + i]! + 1e-10 * diag;
  const coef = nnlsNormal(h, f, P).x;
  const resid = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    basis(k);
    let fit = 0;
    for (let i = 0; i < P; i++) fit += row[i]! * coef[i]!;
    resid[k] = y[k]! - fit;
  }
  const diffs: number[] = [];
  for (let k = 1; k < m; k++) diffs.push(Math.abs(resid[k]! - resid[k - 1]!));
  const noise = (1.4826 * median(diffs)) / Math.SQRT2;
  // Moving average of the misfit over ±2.5 % of the rest.
  const half = 0.025 * span;
  let lo = 0;
  let hi = 0;
  let sum = 0;
  let rMax = -Infinity;
  let rMin = Infinity;
  for (let k = 0; k < m; k++) {
    while (hi < m && tFit[hi]! <= tFit[k]! + half) sum += resid[hi++]!;
    while (tFit[lo]! < tFit[k]! - half) sum -= resid[lo++]!;
    const avg = sum / (hi - lo);
    rMax = Math.max(rMax, avg);
    rMin = Math.min(rMin, avg);
  }
  const excess = rMax - rMin;
  const threshold = Math.max(minExcess, noiseFactor * noise);

  // dV/dt on a log-spaced grid: Savitzky–Golay in u = ln t, then dV/dt = (dV/du) / t.
  const g = Math.min(options.gridPoints ?? 400, m);
  const w0 = options.window ?? 21;
  const w = Math.min(w0, g % 2 === 1 ? g - 2 : g - 1);
  const tg = new Float64Array(g);
  const vg = new Float64Array(g);
  const u0 = Math.log(tFit[0]!);
  const du = (Math.log(tFit[m - 1]!) - u0) / (g - 1);
  for (let k = 0; k < g; k++) {
    tg[k] = Math.exp(u0 + k * du);
    vg[k] = interpLinear(tFit, v, tg[k]!);
  }
  const d = w >= 5 ? savitzkyGolay(vg, w, 2, { derivative: 1, delta: du }) : new Float64Array(g);
  for (let k = 0; k < g; k++) d[k] = d[k]! / tg[k]!;
  // The largest rebound of |dV/dt| (relaxation direction) after a running minimum.
  let best = -Infinity;
  let jBest = -1;
  let kBest = -1;
  let jMin = 0;
  for (let k = 1; k < g; k++) {
    const a = sign * -d[k]!;
    if (a < sign * -d[jMin]!) jMin = k;
    else if (a - sign * -d[jMin]! > best) {
      best = a - sign * -d[jMin]!;
      jBest = jMin;
      kBest = k;
    }
  }
  const base = { timeS: tg, dvdtVPerS: d, excessV: excess, noiseV: noise, thresholdV: threshold };
  const atPlateau = jBest >= 0 ? Math.abs(d[jBest]!) : NaN;
  if (!(excess >= threshold) || jBest < 0 || !(best >= minRise * atPlateau)) return result(base);
  return result({
    ...base,
    detected: true,
    plateauTimeS: tg[jBest]!,
    strippingEndS: tg[kBest]!,
    prominenceVPerS: best,
  });
}
