export { readSource } from './read.js';
export type { ReadSourceOptions } from './read.js';
export { detectFormat, rankReaders, readerById, sniffInput } from './detect.js';
export type { Detection } from './detect.js';
export { READERS } from './registry.js';
export { genericCsvReader } from './generic-csv.js';
export { completeFrame } from './complete.js';
export { DelimitedStreamParser, parseNumberBytes } from './stream/delimited-stream.js';
export type { DelimitedStreamOptions, StreamBatch, StreamColumn } from './stream/delimited-stream.js';
export { StreamCompleter } from './stream/stream-completer.js';
export type {
  ColumnMapping,
  ColumnMappingEntry,
  FormatReader,
  ReadOptions,
  SniffInput,
  SourceFile,
  StreamPlan,
} from './types.js';
