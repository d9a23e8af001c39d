import { DiscernError } from '../core/index.js';
import { drt, type DrtOptions, type DrtResult } from '../analysis/eis/drt.js';
import { fitCircuit, type CircuitFitOptions, type CircuitFitResult } from '../analysis/eis/fit-circuit.js';
import { linKK, type LinKKOptions, type LinKKResult } from '../analysis/eis/lin-kk.js';
import { capacitivePoints, sweepSpectrum, type ImpedanceSpectrum } from '../analysis/eis/spectrum.js';
import { MIN_SWEEP_POINTS, usableSweeps, type ImpedanceSweep } from '../analysis/eis/sweeps.js';

export { usableSweeps };
import { loadFrameRef, type FrameRefOptions, type FrameSource } from './frame-ref.js';

export interface SpectrumChoice extends FrameRefOptions {
  /**
   * 1-based number of the frequency sweep to analyse. Default: the only sweep when the data holds
   * one, every sweep when it holds several.
   */
  sweep?: number;
  /** Older name of `sweep` (the CLI's --spectrum); `sweep` wins when both are given. */
  spectrum?: number;
  /** Keep only points with Im Z < 0 (impedance.py's ignoreBelowX). */
  capacitiveOnly?: boolean;
}

/** One sweep as the CLI's --json and the HTTP API print it (snake-case keys, units as suffixes). */
export interface SweepRecord {
  sweep: number;
  first_row: number;
  last_row: number;
  points: number;
  start_frequency_Hz: number;
  end_frequency_Hz: number;
  direction: ImpedanceSweep['direction'];
  cycle: number | null;
  step: number | null;
  mean_test_time_s: number | null;
  fittable: boolean;
}

/** The spectrum an analysis used (the `data` of `discern eis fit|kk|drt --json`). */
export interface SpectrumInfo {
  source: FrameSource;
  /** 1-based number of the spectrum used, and how many the data holds (older names of sweep, sweep_count). */
  spectrum: number;
  spectra: number;
  cycle: number | null;
  /** Points analysed (after --capacitive-only). */
  points: number;
  sweep: number;
  sweep_count: number;
  step: number | null;
  first_row: number;
  last_row: number;
  start_frequency_Hz: number;
  end_frequency_Hz: number;
  mean_test_time_s: number | null;
}

/** The result of one analysed sweep: `result`, or `error` when that sweep could not be analysed. */
export interface SweepOutcome<T> {
  info: SpectrumInfo;
  spectrum: ImpedanceSpectrum;
  result?: T;
  error?: DiscernError;
}

/** An analysis of one sweep (`single`: the data has one, or one was asked for) or of each sweep. */
export interface EisRun<T> {
  source: FrameSource;
  single: boolean;
  outcomes: SweepOutcome<T>[];
}

/**
 * The JSON record of a sweep.
 * @example impedanceSweeps(frame).map(sweepRecord)[0]!.first_row // 27 for cellpy/biol.mpr
 */
export function sweepRecord(s: ImpedanceSweep): SweepRecord {
  return {
    sweep: s.index,
    first_row: s.firstRow,
    last_row: s.lastRow,
    points: s.points,
    start_frequency_Hz: s.startFrequencyHz,
    end_frequency_Hz: s.endFrequencyHz,
    direction: s.direction,
    cycle: s.cycle ?? null,
    step: s.step ?? null,
    mean_test_time_s: s.meanTimeS ?? null,
    fittable: s.fittable,
  };
}

/**
 * The sweep a caller asked for (1-based), or undefined when none was asked for.
 * @throws DISCERN_BAD_ARGUMENT when it does not exist.
 * @example chosenSweep(sweeps, 2, 'biol.mpr')?.firstRow // 3032
 */
export function chosenSweep(
  sweeps: readonly ImpedanceSweep[],
  k: number | undefined,
  what: string,
): ImpedanceSweep | undefined {
  if (k === undefined) return undefined;
  const s = Number.isInteger(k) ? sweeps[k - 1] : undefined;
  if (s === undefined)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `sweep ${k} does not exist: ${what} holds ${sweeps.length} impedance sweep(s)`,
    );
  return s;
}

/**
 * Lists the impedance sweeps of a file or stored test.
 * @throws the loaders' errors; DISCERN_MISSING_COLUMN, DISCERN_INSUFFICIENT_DATA (see usableSweeps).
 * @example const { sweeps } = await listSweeps('biol.mpr'); // 5 sweeps
 */
export async function listSweeps(
  ref: string,
  options: FrameRefOptions = {},
): Promise<{ source: FrameSource; sweeps: SweepRecord[] }> {
  const { frame, source } = await loadFrameRef(ref, options);
  return { source, sweeps: usableSweeps(frame).map(sweepRecord) };
}

function spectrumInfo(
  source: FrameSource,
  s: ImpedanceSweep,
  count: number,
  spectrum: ImpedanceSpectrum,
): SpectrumInfo {
  return {
    source,
    spectrum: s.index,
    spectra: count,
    cycle: s.cycle ?? null,
    points: spectrum.frequencyHz.length,
    sweep: s.index,
    sweep_count: count,
    step: s.step ?? null,
    first_row: s.firstRow,
    last_row: s.lastRow,
    start_frequency_Hz: s.startFrequencyHz,
    end_frequency_Hz: s.endFrequencyHz,
    mean_test_time_s: s.meanTimeS ?? null,
  };
}

/**
 * Runs `analyse` on the chosen sweep, the only sweep, or each sweep. With one sweep its errors are
 * thrown; with several, a sweep with fewer than MIN_SWEEP_POINTS points or whose analysis fails
 * gets an `error` and the others go on.
 * @throws DISCERN_BAD_ARGUMENT (no such sweep); the first sweep's error when no sweep could be
 *   analysed; the loaders' and the analysis' errors.
 */
async function perSweep<T>(
  ref: string,
  options: SpectrumChoice,
  analyse: (s: ImpedanceSpectrum) => T,
): Promise<EisRun<T>> {
  const { frame, source } = await loadFrameRef(ref, options);
  const sweeps = usableSweeps(frame);
  const asked = chosenSweep(sweeps, options.sweep ?? options.spectrum, ref);
  const single = asked !== undefined || sweeps.length === 1;
  const outcomes = (asked !== undefined ? [asked] : sweeps).map((s): SweepOutcome<T> => {
    let spectrum = sweepSpectrum(frame, s);
    if (options.capacitiveOnly) spectrum = capacitivePoints(spectrum);
    const info = spectrumInfo(source, s, sweeps.length, spectrum);
    if (single) return { info, spectrum, result: analyse(spectrum) };
    if (!s.fittable)
      return {
        info,
        spectrum,
        error: new DiscernError(
          'DISCERN_INSUFFICIENT_DATA',
          s.direction === 'single'
            ? `sweep ${s.index} is at one frequency (${s.startFrequencyHz} Hz): not a spectrum`
            : `sweep ${s.index} has ${s.points} point(s); sweeps with fewer than ${MIN_SWEEP_POINTS} are not analysed`,
        ),
      };
    try {
      return { info, spectrum, result: analyse(spectrum) };
    } catch (e) {
      if (e instanceof DiscernError) return { info, spectrum, error: e };
      throw e;
    }
  });
  // Nothing to show: the first sweep's error stands for all (a bad circuit fails every sweep alike).
  if (outcomes.every((o) => o.error !== undefined)) throw outcomes[0]!.error!;
  return { source, single, outcomes };
}

/** Fits an equivalent circuit to the chosen sweep, or to each sweep, of a file or stored test. */
export async function runEisFit(
  ref: string,
  circuit: string,
  options: SpectrumChoice & CircuitFitOptions = {},
): Promise<EisRun<CircuitFitResult>> {
  return perSweep(ref, options, (s) => fitCircuit(s, circuit, options));
}

/** Lin-KK test of the chosen sweep, or of each sweep, of a file or stored test. */
export async function runEisKk(
  ref: string,
  options: SpectrumChoice & LinKKOptions = {},
): Promise<EisRun<LinKKResult>> {
  return perSweep(ref, options, (s) => linKK(s, options));
}

/** DRT of the chosen sweep, or of each sweep, of a file or stored test. */
export async function runEisDrt(
  ref: string,
  options: SpectrumChoice & DrtOptions = {},
): Promise<EisRun<DrtResult>> {
  return perSweep(ref, options, (s) => drt(s, options));
}
