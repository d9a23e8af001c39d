export { bdfCsvReader } from './bdf-csv.js';
export { bdfParquetReader } from './bdf-parquet.js';
export { bdfLabelTarget, bdfMachineTarget, resolveBdfHeader } from './names.js';
export type { BdfTarget, ResolvedColumn } from './names.js';
