import { DiscernError } from '../core/index.js';
import { drt, type DrtOptions, type DrtResult } from '../analysis/eis/drt.js';
import { fitCircuit, type CircuitFitOptions, type CircuitFitResult } from '../analysis/eis/fit-circuit.js';
import { linKK, type LinKKOptions, type LinKKResult } from '../analysis/eis/lin-kk.js';
import { capacitivePoints, impedanceSpectra, type ImpedanceSpectrum } from '../analysis/eis/spectrum.js';
import { loadFrameRef, type FrameRefOptions, type FrameSource } from './frame-ref.js';

export interface SpectrumChoice extends FrameRefOptions {
  /** 1-based number of the spectrum in the file (cycles or sweeps); default 1. */
  spectrum?: number;
  /** Keep only points with Im Z < 0 (impedance.py's ignoreBelowX). */
  capacitiveOnly?: boolean;
}

export interface SpectrumInfo {
  source: FrameSource;
  /** 1-based number of the spectrum used, and how many the data holds. */
  spectrum: number;
  spectra: number;
  cycle: number | null;
  points: number;
}

/**
 * Loads one impedance spectrum from a file or a stored test.
 * @throws DISCERN_BAD_ARGUMENT when the spectrum number is out of range; the loaders' errors.
 */
export async function loadSpectrum(
  ref: string,
  options: SpectrumChoice = {},
): Promise<{ spectrum: ImpedanceSpectrum; info: SpectrumInfo }> {
  const { frame, source } = await loadFrameRef(ref, options);
  const all = impedanceSpectra(frame);
  const k = options.spectrum ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > all.length)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `spectrum ${k} does not exist: ${ref} holds ${all.length}`,
    );
  let spectrum = all[k - 1]!;
  if (options.capacitiveOnly) spectrum = capacitivePoints(spectrum);
  return {
    spectrum,
    info: {
      source,
      spectrum: k,
      spectra: all.length,
      cycle: spectrum.cycle ?? null,
      points: spectrum.frequencyHz.length,
    },
  };
}

/** Fits an equivalent circuit to a spectrum of a file or stored test. */
export async function runEisFit(
  ref: string,
  circuit: string,
  options: SpectrumChoice & CircuitFitOptions = {},
): Promise<{ info: SpectrumInfo; fit: CircuitFitResult; spectrum: ImpedanceSpectrum }> {
  const { spectrum, info } = await loadSpectrum(ref, options);
  return { info, fit: fitCircuit(spectrum, circuit, options), spectrum };
}

/** Lin-KK test of a spectrum of a file or stored test. */
export async function runEisKk(
  ref: string,
  options: SpectrumChoice & LinKKOptions = {},
): Promise<{ info: SpectrumInfo; kk: LinKKResult; spectrum: ImpedanceSpectrum }> {
  const { spectrum, info } = await loadSpectrum(ref, options);
  return { info, kk: linKK(spectrum, options), spectrum };
}

/** DRT of a spectrum of a file or stored test. */
export async function runEisDrt(
  ref: string,
  options: SpectrumChoice & DrtOptions = {},
): Promise<{ info: SpectrumInfo; drt: DrtResult; spectrum: ImpedanceSpectrum }> {
  const { spectrum, info } = await loadSpectrum(ref, options);
  return { info, drt: drt(spectrum, options), spectrum };
}
