export { parseCircuit, compileCircuit, circuitImpedance } from './circuit.js';
export type { Circuit, CircuitEvaluator, CircuitNode, CircuitParameter } from './circuit.js';
export { ELEMENTS } from './elements.js';
export type { ElementParameter, ElementSpec } from './elements.js';
export { fitCircuit } from './fit-circuit.js';
export type {
  CircuitFitOptions,
  CircuitFitParameter,
  CircuitFitResult,
  EisWeighting,
} from './fit-circuit.js';
export { initialCircuitGuess } from './initial-guess.js';
export { linKK, linKKMu, linKKTimeConstants } from './lin-kk.js';
export type { LinKKFitType, LinKKOptions, LinKKResult } from './lin-kk.js';
export { drt } from './drt.js';
export type { DrtOptions, DrtPeak, DrtResult } from './drt.js';
export { capacitivePoints, checkSpectrum, impedanceSpectra, sweepSpectrum } from './spectrum.js';
export type { ImpedanceSpectrum } from './spectrum.js';
export { impedanceSweeps, MIN_SWEEP_POINTS, usableSweeps } from './sweeps.js';
export type { ImpedanceSweep, ImpedanceSweepsOptions } from './sweeps.js';
