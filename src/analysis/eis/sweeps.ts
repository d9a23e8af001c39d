import { DiscernError, type Frame } from '../../core/index.js';

/** Counters whose change starts a new sweep, when the frame has them (EC-Lab: cycle number, Ns, z cycle). */
const SWEEP_COUNTERS = ['cycle_index', 'step_index', 'step_count', 'aux_z_cycle'] as const;

/** Fewest points a sweep needs to be worth fitting (the listing keeps shorter ones). */
export const MIN_SWEEP_POINTS = 5;

/** One frequency sweep of an impedance measurement: a run of consecutive rows of one frame. */
export interface ImpedanceSweep {
  /** 1-based number of the sweep in the frame. */
  readonly index: number;
  /** 0-based frame rows of the first and last point (both inclusive). */
  readonly firstRow: number;
  readonly lastRow: number;
  /** Rows in the sweep with a finite Z (the points an analysis gets). */
  readonly points: number;
  /** Frequency of the first and of the last row (Hz). */
  readonly startFrequencyHz: number;
  readonly endFrequencyHz: number;
  /** 'down' from high to low frequency (the usual way), 'up' the other way, 'single' for one frequency. */
  readonly direction: 'down' | 'up' | 'single';
  /** cycle_index and step_index of the first row, when the frame has those counters. */
  readonly cycle?: number;
  readonly step?: number;
  /** Mean test_time_s of the rows (s), when the frame has that channel. */
  readonly meanTimeS?: number;
  /** True when the sweep has at least `minPoints` points and more than one frequency. */
  readonly fittable: boolean;
}

export interface ImpedanceSweepsOptions {
  /** Fewest points for `fittable` (default MIN_SWEEP_POINTS = 5). */
  minPoints?: number;
}

/** A counter column as numbers (Int32 counters, or Float64 ones such as EC-Lab's `z cycle`). */
function counter(frame: Frame, name: string): Int32Array | Float64Array | undefined {
  const c = frame.columns[name];
  return c instanceof Int32Array || c instanceof Float64Array ? c : undefined;
}

function impedanceColumn(frame: Frame, name: string): Float64Array {
  const c = frame.columns[name];
  if (c instanceof Float64Array) return c;
  const file = frame.meta.sourceFile;
  throw new DiscernError(
    'DISCERN_MISSING_COLUMN',
    `not an impedance spectrum: the data has no ${name} channel`,
    file !== undefined ? { file, column: name } : { column: name },
  );
}

/**
 * Splits the impedance rows of a frame (channels frequency_Hz, z_real_Ohm, z_imag_Ohm) into
 * frequency sweeps. Rows with a positive, finite frequency form runs; a new sweep starts where
 * - the frequency turns against the sweep's direction (set by its first two distinct
 *   frequencies): a jump back up to the start of a high-to-low sweep, or down for a low-to-high one;
 * - cycle_index, step_index, step_count or aux_z_cycle changes (those the frame has);
 * - rows without a frequency (time-domain rows, BioLogic's f = 0) come in between.
 * A repeated frequency does not end a sweep. Sweeps shorter than `minPoints`, and runs at one
 * frequency (impedance tracked over time, not a spectrum), are listed with `fittable: false`. Returns [] when no row has a positive frequency.
 * @param frame a Frame with frequency_Hz (Hz), z_real_Ohm and z_imag_Ohm (Ohm)
 * @throws DISCERN_MISSING_COLUMN when one of those channels is missing;
 *   DISCERN_BAD_ARGUMENT for a minPoints below 1.
 * @example impedanceSweeps(frame).map((s) => [s.firstRow, s.lastRow]) // [[27, 90], [3032, 3095], ...]
 */
export function impedanceSweeps(frame: Frame, options: ImpedanceSweepsOptions = {}): ImpedanceSweep[] {
  const minPoints = options.minPoints ?? MIN_SWEEP_POINTS;
  if (!Number.isInteger(minPoints) || minPoints < 1)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `minPoints must be a positive integer, got ${minPoints}`);
  const f = impedanceColumn(frame, 'frequency_Hz');
  const re = impedanceColumn(frame, 'z_real_Ohm');
  const im = impedanceColumn(frame, 'z_imag_Ohm');
  const counters = SWEEP_COUNTERS.map((n) => counter(frame, n)).filter((c) => c !== undefined);
  const cycle = counter(frame, 'cycle_index');
  const step = counter(frame, 'step_index');
  const time =
    frame.columns['test_time_s'] instanceof Float64Array ? frame.columns['test_time_s'] : undefined;

  const out: ImpedanceSweep[] = [];
  let first = -1;
  let dir = 0;
  const close = (last: number): void => {
    let points = 0;
    let tSum = 0;
    let tN = 0;
    for (let i = first; i <= last; i++) {
      if (Number.isFinite(re[i]!) && Number.isFinite(im[i]!)) points++;
      if (time !== undefined && Number.isFinite(time[i]!)) {
        tSum += time[i]!;
        tN++;
      }
    }
    out.push({
      index: out.length + 1,
      firstRow: first,
      lastRow: last,
      points,
      startFrequencyHz: f[first]!,
      endFrequencyHz: f[last]!,
      direction: dir < 0 ? 'down' : dir > 0 ? 'up' : 'single',
      ...(cycle !== undefined ? { cycle: cycle[first]! } : {}),
      ...(step !== undefined ? { step: step[first]! } : {}),
      ...(tN > 0 ? { meanTimeS: tSum / tN } : {}),
      fittable: points >= minPoints && dir !== 0,
    });
    first = -1;
    dir = 0;
  };
  for (let i = 0; i < frame.length; i++) {
    const fi = f[i]!;
    if (!(fi > 0 && fi < Infinity)) {
      if (first >= 0) close(i - 1);
      continue;
    }
    if (first >= 0) {
      let split = false;
      for (const c of counters) {
        const a = c[i]!;
        const b = c[i - 1]!;
        if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) split = true;
      }
      const d = Math.sign(fi - f[i - 1]!);
      if (!split && d !== 0) {
        if (dir === 0) dir = d;
        else if (d !== dir) split = true;
      }
      if (split) close(i - 1);
    }
    if (first < 0) first = i;
  }
  if (first >= 0) close(frame.length - 1);
  return out;
}

/**
 * The sweeps of an impedance frame (`impedanceSweeps`), refusing data without any impedance point.
 * @throws DISCERN_MISSING_COLUMN (no impedance channels), DISCERN_INSUFFICIENT_DATA (no row with a
 *   positive frequency and finite Z).
 * @example usableSweeps(frame).length // 5 for cellpy/biol.mpr
 */
export function usableSweeps(frame: Frame): ImpedanceSweep[] {
  const sweeps = impedanceSweeps(frame);
  if (sweeps.every((s) => s.points === 0)) {
    const file = frame.meta.sourceFile;
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      'the impedance data has no row with a positive frequency and finite Z',
      file !== undefined ? { file } : {},
    );
  }
  return sweeps;
}
