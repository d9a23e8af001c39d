export { arcAnalysis } from './arc.js';
export type { ArcAnalysisOptions, ArcAnalysisResult } from './arc.js';
export { selfHeatingRate } from './arc-rate.js';
export type { SelfHeatingRateOptions, SelfHeatingRateResult } from './arc-rate.js';
export { ARC_PHASES, arcPhaseOf } from './arc-phase.js';
export type { ArcPhase } from './arc-phase.js';
