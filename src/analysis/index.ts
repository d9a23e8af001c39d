export { cycleSummary } from './cycles/cycle-summary.js';
export type { CycleSummaryOptions, CycleSummaryRow } from './cycles/cycle-summary.js';
export { detectSteps } from './cycles/steps.js';
export type { DetectStepsOptions, StepKind, StepRecord } from './cycles/steps.js';
export { cycleNumbers } from './cycles/cycle-numbers.js';
export type { CycleNumbering } from './cycles/cycle-numbers.js';
export { halfCycle } from './cycles/half-cycle.js';
export type { HalfCycleCurve, HalfCycleOptions } from './cycles/half-cycle.js';
export { capacityFade } from './fade/capacity-fade.js';
export type { CapacityFadeOptions, CapacityFadeResult, CycleRole, FadePoint } from './fade/capacity-fade.js';
export { endOfLife } from './fade/end-of-life.js';
export type { EndOfLifeOptions, EndOfLifeResult } from './fade/end-of-life.js';
export { kneePoint } from './fade/knee.js';
export type { BaconWattsFit, KneeOptions, KneeResult } from './fade/knee.js';
export { deltaQ, earlyLifeFeatures } from './fade/early-life-features.js';
export type { EarlyLifeFeatureOptions, EarlyLifeFeatures } from './fade/early-life-features.js';
export { bandSmooth, LEAN_FILTER_5, leanDifferentiate, samplingQuantum } from './ica/lean.js';
export type { LeanOptions, LeanResult } from './ica/lean.js';
export { dqdv, dvdq } from './ica/dqdv.js';
export type { DifferentialCurve, DifferentialOptions } from './ica/dqdv.js';
export { curvePeaks, trackPeaks } from './ica/peaks.js';
export type { CurvePeak, CurvePeaksOptions, PeakTrack } from './ica/peaks.js';
export { icaCurve } from './ica/ica-curve.js';
export type { IcaCurveOptions } from './ica/ica-curve.js';
export {
  CHEN2020_GRAPHITE,
  CHEN2020_NMC811,
  compositeOcp,
  ocpFromData,
  ocpFromFunction,
} from './degradation/ocp.js';
export type { Ocp } from './degradation/ocp.js';
export {
  degradationModes,
  electrodeCapacities,
  fullCellOcv,
  fullCellOcvGradient,
} from './degradation/electrodes.js';
export type { DegradationModes, ElectrodeCapacities, StoichiometryLimits } from './degradation/electrodes.js';
export { fitStoichiometry } from './degradation/fit-stoichiometry.js';
export type { FitStoichiometryOptions, FitStoichiometryResult } from './degradation/fit-stoichiometry.js';
export { averageOcvCurves, pseudoOcv } from './degradation/pseudo-ocv.js';
export type { PseudoOcvResult, SocCurve } from './degradation/pseudo-ocv.js';
export { rateCapability } from './rate/rate-capability.js';
export type { RateCapabilityOptions, RateCapabilityPoint, RateStep } from './rate/rate-capability.js';
export { ragone } from './rate/ragone.js';
export type { RagonePoint } from './rate/ragone.js';
export { fastCharge } from './fastcharge/fast-charge.js';
export type { FastChargeCycle, FastChargeOptions } from './fastcharge/fast-charge.js';
export { relaxationPlateau } from './fastcharge/relaxation.js';
export type { RelaxationPlateau, RelaxationPlateauOptions } from './fastcharge/relaxation.js';
export { hppc, findPulses, pulseResistance, stateOfCharge } from './pulse/index.js';
export type {
  HppcOptions,
  HppcPulse,
  HppcLevel,
  HppcResult,
  FindPulsesOptions,
  Pulse,
} from './pulse/index.js';
export { fitCircuit, parseCircuit, circuitImpedance, linKK, drt, impedanceSpectra } from './eis/index.js';
export type {
  CircuitFitOptions,
  CircuitFitResult,
  LinKKOptions,
  LinKKResult,
  DrtOptions,
  DrtResult,
  ImpedanceSpectrum,
} from './eis/index.js';
export { gitt, weppnerHugginsD } from './gitt/index.js';
export type { GittOptions, GittPulse, GittResult } from './gitt/index.js';
export { levenbergMarquardt, parameterCovariance, nnlsNormal, seededRandom } from './fit/index.js';
export { arcAnalysis, arcPhaseOf, ARC_PHASES, selfHeatingRate } from './abuse/index.js';
export type { ArcAnalysisOptions, ArcAnalysisResult, ArcPhase } from './abuse/index.js';
