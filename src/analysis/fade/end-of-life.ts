import { isotonicRegression } from '../numeric/isotonic.js';

/** Options of `endOfLife`. */
export interface EndOfLifeOptions {
  /** Retention threshold; default 0.8. */
  threshold?: number;
  /** Number of consecutive cycles at or below the threshold that confirm end of life; default 5. */
  consecutive?: number;
}

/** Result of `endOfLife`. */
export interface EndOfLifeResult {
  /**
   * First cycle that starts a run of `consecutive` cycles at or below the threshold (a run that
   * reaches the end of the data needs half as many); null if none.
   */
  cycle: number | null;
  /** Cycle where the monotone (isotonic) fit of retention crosses the threshold, interpolated (null if it does not). */
  interpolatedCycle: number | null;
  threshold: number;
}

/**
 * End of life from a retention series (ageing cycles only, in cycle order). A single noisy low
 * cycle does not end life: the first cycle of `consecutive` cycles at or below the threshold does
 * (Voltaiq's reproduction of Severson 2019). A second estimate takes the crossing of the
 * least-squares non-increasing fit (as KneeFinder does), interpolated between cycles.
 * @example endOfLife(points.map((p) => p.cycle), points.map((p) => p.retention)).cycle
 */
export function endOfLife(
  cycles: readonly number[],
  retention: readonly number[],
  options: EndOfLifeOptions = {},
): EndOfLifeResult {
  const thr = options.threshold ?? 0.8;
  const need = Math.max(1, options.consecutive ?? 5);
  const n = cycles.length;
  let cycle: number | null = null;
  let run = 0;
  for (let k = 0; k < n; k++) {
    if (retention[k]! <= thr) {
      run++;
      // A run cut short by the end of the data counts when it has at least half the cycles needed.
      if (run >= need || (k === n - 1 && run >= Math.ceil(need / 2))) {
        cycle = cycles[k - run + 1]!;
        break;
      }
    } else run = 0;
  }
  const mono = isotonicRegression(retention, true);
  let interpolated: number | null = null;
  for (let k = 0; k < n; k++) {
    if (mono[k]! <= thr) {
      if (k === 0) interpolated = cycles[0]!;
      else {
        const a = mono[k - 1]!;
        const b = mono[k]!;
        const f = a === b ? 0 : (a - thr) / (a - b);
        interpolated = cycles[k - 1]! + f * (cycles[k]! - cycles[k - 1]!);
      }
      break;
    }
  }
  return { cycle, interpolatedCycle: interpolated, threshold: thr };
}
