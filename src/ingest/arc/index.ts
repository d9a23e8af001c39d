export { arcCsvReader } from './arc-csv.js';
export { classifyArcHeader, splitHeaderUnit } from './columns.js';
export type { ArcColumnRole, ArcHeaderCell } from './columns.js';
