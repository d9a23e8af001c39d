import type { FormatReader } from './types.js';
import { basytecReader } from './basytec.js';
import { bdfCsvReader, bdfParquetReader } from './bdf/index.js';
import { landtReader } from './landt.js';
import { newareCsvReader } from './neware-csv/index.js';
import { BINARY_PLACEHOLDERS } from './binary-placeholders.js';
import { arbinCsvReader, arbinMetadataSidecarReader, arbinXlsxReader } from './arbin/index.js';
import { novonixReader, novonixSummaryReader } from './novonix.js';
import { pecReader } from './pec.js';
import { arbinResGzReader, arbinResReader } from './arbin/res.js';
import { biologicMplReader, biologicMptReader, btlabCsvReader } from './biologic/index.js';
import { biologicMprReader } from './biologic/index.js';
import { gamryDtaReader } from './gamry/index.js';
import { impedanceCsvReader, versaStudioReader, zplotReader } from './impedance/index.js';
import { maccorAsciiReader, maccorEisReader, maccorTextReader } from './maccor/index.js';
import { newareNdaReader, newareNdaxReader } from './neware/index.js';
import { arcCsvReader } from './arc/index.js';
import { hdf5Reader } from './hdf5/index.js';

/**
 * Every reader discern knows, in no particular order: the detector asks each to sniff the file
 * and takes the highest score. Add a reader here when it lands.
 */
export const READERS: readonly FormatReader[] = [
  ...BINARY_PLACEHOLDERS,
  basytecReader,
  landtReader,
  bdfCsvReader,
  bdfParquetReader,
  newareCsvReader,
  arbinCsvReader,
  arbinXlsxReader,
  arbinMetadataSidecarReader,
  novonixReader,
  novonixSummaryReader,
  pecReader,
  arbinResReader,
  arbinResGzReader,
  biologicMptReader,
  biologicMprReader,
  btlabCsvReader,
  biologicMplReader,
  gamryDtaReader,
  impedanceCsvReader,
  versaStudioReader,
  zplotReader,
  maccorAsciiReader,
  maccorTextReader,
  maccorEisReader,
  newareNdaReader,
  newareNdaxReader,
  arcCsvReader,
  hdf5Reader,
];
