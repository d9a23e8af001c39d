import { intColumn, type Frame } from '../../core/index.js';
import {
  currentSegments,
  defaultRestThresholdA,
  pulseChannels,
  type CurrentSegment,
  type PulseChannels,
} from './segments.js';

/** One current pulse that follows a rest. Rows are indices into the frame; times in s. */
export interface Pulse {
  /** 0-based number of the pulse in the test. */
  readonly index: number;
  readonly direction: 'discharge' | 'charge';
  /** The rest before the pulse (rows, inclusive). */
  readonly restStartRow: number;
  readonly restEndRow: number;
  /** The pulse samples (rows, inclusive). */
  readonly startRow: number;
  readonly endRow: number;
  /** Last row of the rest that follows the pulse, or -1 when the pulse is not followed by a rest. */
  readonly relaxationEndRow: number;
  /** When the current was switched on (test time, s): see {@link FindPulsesOptions.onset}. */
  readonly onsetTimeS: number;
  /** When it was switched off: the next segment's onset, else the last pulse sample. */
  readonly endTimeS: number;
  readonly durationS: number;
  /** Length of the preceding rest, s. */
  readonly restDurationS: number;
  /** Median current over the pulse, A (negative on discharge). */
  readonly currentA: number;
  /** Voltage of the last rest sample before the pulse (PyProBE's OCV), V. */
  readonly ocvV: number;
  /** Seconds between the last rest sample and the onset (large when the rest was not sampled at its end). */
  readonly ocvAgeS: number;
  /** Number of samples in the pulse. */
  readonly samples: number;
  /** step_index and cycle_index at the first pulse sample, when the frame has them. */
  readonly stepIndex: number | null;
  readonly cycleIndex: number | null;
}

export interface FindPulsesOptions {
  /** |I| at or below this is rest, A; default 0.5 % of the largest |I| in the data. */
  readonly restThresholdA?: number;
  /** Longest segment counted as a pulse, s; default 130 (ISO 12405-4's 120 s discharge plus margin). */
  readonly maxDurationS?: number;
  /** Shortest pulse, s; default 0. */
  readonly minDurationS?: number;
  /** Shortest preceding rest, s; default 0. */
  readonly minRestS?: number;
  /**
   * Where t = 0 of a pulse is: 'last-rest' = the last rest sample (PyProBE), 'step-time' = the
   * first pulse sample minus its step time (needs step_time_s), 'auto' (default) = 'step-time'
   * when step_time_s places the onset between the last rest sample and the first pulse sample,
   * else 'last-rest'.
   */
  readonly onset?: 'auto' | 'last-rest' | 'step-time';
}

/** Median of v[start..end] (inclusive). */
export function medianOf(v: Float64Array, start: number, end: number): number {
  const a: number[] = [];
  for (let i = start; i <= end; i++) if (!Number.isNaN(v[i]!)) a.push(v[i]!);
  if (a.length === 0) return NaN;
  a.sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 === 1 ? a[m]! : 0.5 * (a[m - 1]! + a[m]!);
}

function onsetOf(
  ch: PulseChannels,
  lastRest: number,
  first: number,
  mode: FindPulsesOptions['onset'],
): number {
  const tRest = ch.timeS[lastRest]!;
  if (mode === 'last-rest' || ch.stepTimeS === undefined) return tRest;
  const st = ch.stepTimeS[first]!;
  const t = ch.timeS[first]! - st;
  const ok = Number.isFinite(t) && st >= 0 && t >= tRest - 1e-6 && t <= ch.timeS[first]! + 1e-9;
  return ok ? t : tRest;
}

/**
 * Finds the current pulses in a time series: non-rest runs of one sign (charge or discharge)
 * that directly follow a rest and last at most `maxDurationS`. Several steps of the same sign
 * (ISO 12405-4's 18 s at I_max then 102 s at 0.75 I_max) form one pulse. A run that does not
 * follow a rest (a regen pulse straight after a discharge) is not a pulse, since there is no OCV
 * to refer it to.
 * @throws DISCERN_MISSING_COLUMN, DISCERN_INSUFFICIENT_DATA, DISCERN_BAD_ARGUMENT (see pulseChannels)
 * @example const pulses = findPulses(frame, { maxDurationS: 30 });
 */
export function findPulses(frame: Frame, options: FindPulsesOptions = {}): Pulse[] {
  const ch = pulseChannels(frame);
  const threshold = options.restThresholdA ?? defaultRestThresholdA(ch.currentA);
  const segments = currentSegments(ch.currentA, threshold);
  return pulsesFromSegments(frame, ch, segments, options);
}

/** {@link findPulses} on segments already computed. */
export function pulsesFromSegments(
  frame: Frame,
  ch: PulseChannels,
  segments: readonly CurrentSegment[],
  options: FindPulsesOptions = {},
): Pulse[] {
  const maxD = options.maxDurationS ?? 130;
  const minD = options.minDurationS ?? 0;
  const minRest = options.minRestS ?? 0;
  const mode = options.onset ?? 'auto';
  const step = intColumn(frame, 'step_index');
  const cycle = intColumn(frame, 'cycle_index');
  const t = ch.timeS;
  const out: Pulse[] = [];
  for (let k = 1; k < segments.length; k++) {
    const s = segments[k]!;
    const prev = segments[k - 1]!;
    if (s.kind === 'rest' || prev.kind !== 'rest') continue;
    const onset = onsetOf(ch, prev.end, s.start, mode);
    const next = segments[k + 1];
    const endTime = next !== undefined ? onsetOf(ch, s.end, next.start, mode) : t[s.end]!;
    // Without step times, the switch-off is known only to lie after the last pulse sample.
    const end = mode === 'last-rest' || ch.stepTimeS === undefined ? t[s.end]! : endTime;
    const duration = end - onset;
    const restDuration = onset - t[prev.start]!;
    if (!(duration <= maxD) || duration < minD || restDuration < minRest) continue;
    out.push({
      index: out.length,
      direction: s.kind === 'charge' ? 'charge' : 'discharge',
      restStartRow: prev.start,
      restEndRow: prev.end,
      startRow: s.start,
      endRow: s.end,
      relaxationEndRow: next !== undefined && next.kind === 'rest' ? next.end : -1,
      onsetTimeS: onset,
      endTimeS: end,
      durationS: duration,
      restDurationS: restDuration,
      currentA: medianOf(ch.currentA, s.start, s.end),
      ocvV: ch.voltageV[prev.end]!,
      ocvAgeS: onset - t[prev.end]!,
      samples: s.end - s.start + 1,
      stepIndex: step ? step[s.start]! : null,
      cycleIndex: cycle ? cycle[s.start]! : null,
    });
  }
  return out;
}
