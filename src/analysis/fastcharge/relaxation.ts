import { findPeaks } from '../numeric/find-peaks.js';
import { interpLinear } from '../numeric/interpolate.js';
import { savitzkyGolay } from '../numeric/savitzky-golay.js';

/** Result of `relaxationPlateau`. */
export interface RelaxationPlateau {
  /** True when dV/dt of the rest has a local maximum: the voltage plateau of plated lithium stripping. */
  detected: boolean;
  /** Time after the start of the rest (s) of the strongest local maximum of dV/dt; NaN when none. */
  plateauTimeS: number;
  /** Its prominence (V/s). */
  prominenceVPerS: number;
  /** The smoothed dV/dt on a uniform time grid (for plotting). */
  timeS: Float64Array;
  dvdtVPerS: Float64Array;
}

/** Options of `relaxationPlateau`. */
export interface RelaxationPlateauOptions {
  /** Points of the uniform time grid; default 400. */
  gridPoints?: number;
  /** Savitzky–Golay window (odd, grid points) for the derivative; default 21, order 2. */
  window?: number;
  /** Minimum prominence as a fraction of max |dV/dt| after the first 5 % of the rest; default 0.02. */
  relativeProminence?: number;
}

/**
 * The lithium-plating indicator of a rest after charge: the voltage relaxes monotonically unless
 * plated lithium strips back, which holds the voltage on a plateau and shows as a local maximum
 * of dV/dt (e.g. Schindler et al. 2016; von Lüders et al. 2017). dV/dt is taken by Savitzky–Golay
 * differentiation on a uniform time grid; the first 5 % of the rest (the ohmic step) is ignored.
 * @example relaxationPlateau(restTimeS, restVoltageV).detected
 */
export function relaxationPlateau(
  timeS: ArrayLike<number>,
  voltageV: ArrayLike<number>,
  options: RelaxationPlateauOptions = {},
): RelaxationPlateau {
  const n = timeS.length;
  const m = options.gridPoints ?? 400;
  const w = options.window ?? 21;
  const none = (t: Float64Array, d: Float64Array): RelaxationPlateau => ({
    detected: false,
    plateauTimeS: NaN,
    prominenceVPerS: NaN,
    timeS: t,
    dvdtVPerS: d,
  });
  if (n < 5 || m < w + 2) return none(new Float64Array(0), new Float64Array(0));
  const t0 = timeS[0]!;
  const span = timeS[n - 1]! - t0;
  if (!(span > 0)) return none(new Float64Array(0), new Float64Array(0));
  const ts = Float64Array.from(timeS, (t) => t - t0);
  const tg = new Float64Array(m);
  const vg = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    tg[k] = (span * k) / (m - 1);
    vg[k] = interpLinear(ts, voltageV, tg[k]!);
  }
  const d = savitzkyGolay(vg, w, 2, { derivative: 1, delta: span / (m - 1) });
  const skip = Math.ceil(0.05 * m);
  let scale = 0;
  for (let k = skip; k < m; k++) scale = Math.max(scale, Math.abs(d[k]!));
  const tail = d.slice(skip);
  const peaks = findPeaks(tail, { prominence: (options.relativeProminence ?? 0.02) * scale });
  if (peaks.length === 0 || !(scale > 0)) return none(tg, d);
  const best = peaks.reduce((a, b) => (b.prominence > a.prominence ? b : a));
  return {
    detected: true,
    plateauTimeS: tg[best.index + skip]!,
    prominenceVPerS: best.prominence,
    timeS: tg,
    dvdtVPerS: d,
  };
}
