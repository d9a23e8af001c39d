export { impedanceCsvReader, looksLikeSweep } from './csv.js';
export { versaStudioReader } from './versastudio.js';
export { zplotReader } from './zplot.js';
