// Small numerical building blocks shared by the analysis families (no dependencies, browser-safe).
export { interpLinear, interpMany, increasingPairs, linspace } from './interpolate.js';
export { mean, variance, skewness, kurtosis, median, linearFit, solveLinear, leastSquares } from './stats.js';
export { nelderMead, differentialEvolution, seededRandom } from './optimize.js';
export type { Bounds, MinimizeResult } from './optimize.js';
export { savitzkyGolay, savitzkyGolayCoefficients } from './savitzky-golay.js';
export type { SavitzkyGolayOptions } from './savitzky-golay.js';
export { gaussianFilter } from './gaussian-filter.js';
export { isotonicRegression } from './isotonic.js';
export { findPeaks } from './find-peaks.js';
export type { FindPeaksOptions, Peak } from './find-peaks.js';
