export { levenbergMarquardt } from './levenberg-marquardt.js';
export type {
  LeastSquaresProblem,
  LevenbergMarquardtOptions,
  LevenbergMarquardtResult,
} from './levenberg-marquardt.js';
export { parameterCovariance } from './covariance.js';
export type { ParameterCovariance } from './covariance.js';
export { nnlsNormal } from './nnls.js';
export type { NnlsResult } from './nnls.js';
export { studentTQuantile, studentTCdf } from './student-t.js';
export { seededRandom } from './random.js';
export type { SeededRandom } from './random.js';
