export { Store } from './store.js';
export type { InsertResult, SourceFileInfo, TestRecord } from './store.js';
export { exportTest, exportSelect } from './export.js';
export type { ExportFormat } from './export.js';
export { loadFrame } from './load.js';
export { MEASUREMENT_CHANNELS, SCHEMA_PARTS, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
export { SERIES_LEVEL_ROWS, blockColumn, buildSeriesBlocks } from './series-schema.js';
