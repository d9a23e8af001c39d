import { DiscernError, floatColumn, type Frame } from '../../core/index.js';
import { usableSweeps, type ImpedanceSweep } from './sweeps.js';

/** One impedance spectrum: frequency (Hz) and the real and imaginary parts of Z (Ohm). */
export interface ImpedanceSpectrum {
  readonly frequencyHz: Float64Array;
  readonly zReal: Float64Array;
  /** The imaginary part itself: negative when capacitive. */
  readonly zImag: Float64Array;
  /** The cycle_index of the rows, when the frame has one. */
  readonly cycle?: number;
  /** 1-based number of the frequency sweep it came from (see `impedanceSweeps`). */
  readonly sweep?: number;
}

/**
 * The spectra of an impedance Frame (channels frequency_Hz, z_real_Ohm, z_imag_Ohm), one per
 * frequency sweep as `impedanceSweeps` finds them, in the same order (spectrum k is sweep k).
 * Rows without a finite Z are left out of each spectrum.
 * @throws DISCERN_MISSING_COLUMN when a channel is missing; DISCERN_INSUFFICIENT_DATA when no row is usable.
 * @example const [first] = impedanceSpectra(frame);
 */
export function impedanceSpectra(frame: Frame): ImpedanceSpectrum[] {
  return usableSweeps(frame).map((s) => sweepSpectrum(frame, s));
}

/**
 * The spectrum of one sweep: its rows with a finite Z, tagged with the sweep number (and the
 * cycle_index when the frame has one).
 * @example const s = sweepSpectrum(frame, impedanceSweeps(frame)[1]!);
 */
export function sweepSpectrum(frame: Frame, sweep: ImpedanceSweep): ImpedanceSpectrum {
  const f = floatColumn(frame, 'frequency_Hz')!;
  const re = floatColumn(frame, 'z_real_Ohm')!;
  const im = floatColumn(frame, 'z_imag_Ohm')!;
  const rows: number[] = [];
  for (let i = sweep.firstRow; i <= sweep.lastRow; i++)
    if (Number.isFinite(re[i]!) && Number.isFinite(im[i]!)) rows.push(i);
  const s: ImpedanceSpectrum = {
    frequencyHz: Float64Array.from(rows, (i) => f[i]!),
    zReal: Float64Array.from(rows, (i) => re[i]!),
    zImag: Float64Array.from(rows, (i) => im[i]!),
    sweep: sweep.index,
  };
  return sweep.cycle !== undefined ? { ...s, cycle: sweep.cycle } : s;
}

/**
 * The points of a spectrum with Im Z < 0 (impedance.py's `ignoreBelowX`: drops inductive points).
 * @example const capacitive = capacitivePoints(spectrum);
 */
export function capacitivePoints(s: ImpedanceSpectrum): ImpedanceSpectrum {
  const keep: number[] = [];
  for (let k = 0; k < s.frequencyHz.length; k++) if (s.zImag[k]! < 0) keep.push(k);
  const out: ImpedanceSpectrum = {
    frequencyHz: Float64Array.from(keep, (k) => s.frequencyHz[k]!),
    zReal: Float64Array.from(keep, (k) => s.zReal[k]!),
    zImag: Float64Array.from(keep, (k) => s.zImag[k]!),
  };
  return {
    ...out,
    ...(s.cycle !== undefined ? { cycle: s.cycle } : {}),
    ...(s.sweep !== undefined ? { sweep: s.sweep } : {}),
  };
}

/**
 * Checks a spectrum has at least `min` points with positive finite frequencies and finite Z.
 * @throws DISCERN_INSUFFICIENT_DATA, DISCERN_BAD_ARGUMENT (arrays of different lengths)
 */
export function checkSpectrum(s: ImpedanceSpectrum, min: number, what: string): void {
  const n = s.frequencyHz.length;
  if (s.zReal.length !== n || s.zImag.length !== n)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `${what}: frequency, real and imaginary arrays differ in length`,
    );
  if (n < min)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      `${what} needs at least ${min} frequencies, got ${n}`,
    );
  for (let k = 0; k < n; k++) {
    if (!(s.frequencyHz[k]! > 0) || !Number.isFinite(s.zReal[k]!) || !Number.isFinite(s.zImag[k]!))
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `${what}: point ${k} has a non-positive frequency or a non-finite Z`,
      );
  }
}
