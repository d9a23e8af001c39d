export { readSource } from './read.js';
export type { ReadSourceOptions } from './read.js';
export { detectFormat, rankReaders, readerById, sniffInput } from './detect.js';
export type { Detection } from './detect.js';
export { READERS } from './registry.js';
export { genericCsvReader } from './generic-csv.js';
export { completeFrame } from './complete.js';
export type {
  ColumnMapping,
  ColumnMappingEntry,
  FormatReader,
  ReadOptions,
  SniffInput,
  SourceFile,
} from './types.js';
