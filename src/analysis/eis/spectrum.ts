import { DiscernError, floatColumn, intColumn, type Frame } from '../../core/index.js';

/** One impedance spectrum: frequency (Hz) and the real and imaginary parts of Z (Ohm). */
export interface ImpedanceSpectrum {
  readonly frequencyHz: Float64Array;
  readonly zReal: Float64Array;
  /** The imaginary part itself: negative when capacitive. */
  readonly zImag: Float64Array;
  /** The cycle_index of the rows, when the frame has one. */
  readonly cycle?: number;
}

/**
 * Splits an impedance Frame (channels frequency_Hz, z_real_Ohm, z_imag_Ohm) into spectra: one per
 * cycle_index value when the frame has that counter (BioLogic GEIS/PEIS loops), else one per
 * monotonic frequency sweep. Rows without a positive, finite frequency and finite Z (BioLogic's
 * time-domain rows at f = 0) are dropped.
 * @throws DISCERN_MISSING_COLUMN when a channel is missing; DISCERN_INSUFFICIENT_DATA when no row is usable.
 * @example const [first] = impedanceSpectra(frame);
 */
export function impedanceSpectra(frame: Frame): ImpedanceSpectrum[] {
  const f = floatColumn(frame, 'frequency_Hz');
  const re = floatColumn(frame, 'z_real_Ohm');
  const im = floatColumn(frame, 'z_imag_Ohm');
  const file = frame.meta.sourceFile;
  for (const [name, col] of [
    ['frequency_Hz', f],
    ['z_real_Ohm', re],
    ['z_imag_Ohm', im],
  ] as const) {
    if (col === undefined)
      throw new DiscernError(
        'DISCERN_MISSING_COLUMN',
        `not an impedance spectrum: the data has no ${name} channel`,
        file !== undefined ? { file, column: name } : { column: name },
      );
  }
  const cycle = intColumn(frame, 'cycle_index');
  const groups: number[][] = [];
  let cur: number[] = [];
  let dir = 0;
  let prevCycle = NaN;
  for (let i = 0; i < frame.length; i++) {
    const fi = f![i]!;
    if (!(fi > 0) || !Number.isFinite(fi) || !Number.isFinite(re![i]!) || !Number.isFinite(im![i]!)) continue;
    const c = cycle ? cycle[i]! : NaN;
    let split = false;
    if (cur.length > 0) {
      if (cycle) split = c !== prevCycle;
      else {
        const d = Math.sign(fi - f![cur[cur.length - 1]!]!);
        if (dir !== 0 && d !== 0 && d !== dir) split = true;
        else if (dir === 0) dir = d;
      }
    }
    if (split) {
      groups.push(cur);
      cur = [];
      dir = 0;
    }
    cur.push(i);
    prevCycle = c;
  }
  if (cur.length > 0) groups.push(cur);
  if (groups.length === 0)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      'the impedance data has no row with a positive frequency and finite Z',
      file !== undefined ? { file } : {},
    );
  return groups.map((g) => {
    const s: ImpedanceSpectrum = {
      frequencyHz: Float64Array.from(g, (i) => f![i]!),
      zReal: Float64Array.from(g, (i) => re![i]!),
      zImag: Float64Array.from(g, (i) => im![i]!),
    };
    return cycle ? { ...s, cycle: cycle[g[0]!]! } : s;
  });
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
  return s.cycle !== undefined ? { ...out, cycle: s.cycle } : out;
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
