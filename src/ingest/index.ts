export { readSource } from './read.js';
export type { ReadSourceOptions } from './read.js';
export { detectFormat, rankReaders, readerById, sniffInput } from './detect.js';
export type { Detection } from './detect.js';
export { READERS } from './registry.js';
export { genericCsvReader } from './generic-csv.js';
export { completeFrame } from './complete.js';
export { basytecReader } from './basytec.js';
export { landtReader } from './landt.js';
export { bdfCsvReader, bdfParquetReader } from './bdf/index.js';
export { newareCsvReader } from './neware-csv/index.js';
export {
  arbinCsvReader,
  arbinMetadataSidecarReader,
  arbinXlsxReader,
  openXlsx,
  parseArbinMetadataSidecar,
} from './arbin/index.js';
export type { XlsxBook, XlsxSheet } from './arbin/index.js';
export { novonixReader, novonixSummaryReader } from './novonix.js';
export { pecReader } from './pec.js';
export { arcCsvReader } from './arc/index.js';
export { arbinResGzReader, arbinResReader, readArbinRes, readArbinResStatistics } from './arbin/index.js';
export type { ArbinResStatistics, ArbinResStatisticColumn } from './arbin/index.js';
export { biologicMplReader, biologicMptReader, btlabCsvReader } from './biologic/index.js';
export { biologicMprReader } from './biologic/index.js';
export { gamryDtaReader } from './gamry/index.js';
export { impedanceCsvReader, versaStudioReader, zplotReader } from './impedance/index.js';
export {
  joinMaccorParts,
  maccorAsciiReader,
  maccorEisReader,
  maccorTextReader,
  parseMaccorDuration,
} from './maccor/index.js';
export { chargeFirstCycles, newareNdaReader, newareNdaxReader } from './neware/index.js';
export { DelimitedStreamParser } from './stream/delimited-stream.js';
export { parseNumberBytes } from './arbin/bytes.js';
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
