export { fitEcm } from './fit-ecm.js';
export type { EcmFitOptions, EcmFitResult, EcmWindowFit } from './fit-ecm.js';
export { parseEcmModel, socFromOcv, interpolateTable } from './model.js';
export type { EcmModel, EcmTable } from './model.js';
export { simulateEcm } from './simulate.js';
export type { EcmProfile, EcmSimulation, EcmSimulationOptions } from './simulate.js';
