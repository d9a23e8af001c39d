import { DiscernError, toDiscernError, type Frame } from '../core/index.js';
import { completeFrame } from './complete.js';
import { detectFormat, readerById } from './detect.js';
import { genericCsvReader } from './generic-csv.js';
import type { ReadOptions, SourceFile } from './types.js';

export interface ReadSourceOptions extends ReadOptions {
  /** Force a reader by id instead of detecting it. */
  readonly format?: string;
}

/**
 * Reads one instrument file into a canonical Frame: detects the format, parses it, derives the
 * per-step and cumulative capacities and energies, and runs the ingest checks (warnings).
 * @throws DiscernError (DISCERN_UNKNOWN_FORMAT, DISCERN_UNSUPPORTED_FORMAT, DISCERN_PARSE_*, ...)
 * @example const frame = readSource({ name: 'cell.csv', bytes }, { timeZone: 'Europe/Berlin' });
 */
export function readSource(file: SourceFile, options: ReadSourceOptions = {}): Frame {
  const reader =
    options.mapping !== undefined
      ? genericCsvReader
      : options.format !== undefined
        ? readerById(options.format)
        : detectFormat(file);
  let frame: Frame;
  try {
    frame = reader.read(file, options);
  } catch (e) {
    const err = toDiscernError(e, { file: file.name });
    if (err.code === 'DISCERN_INTERNAL' && !(e instanceof DiscernError)) {
      // A reader crashed on input it did not validate: report it as corrupt input, keep the cause.
      throw new DiscernError('DISCERN_CORRUPT', `could not parse as ${reader.id}: ${err.message}`, {
        file: file.name,
      });
    }
    throw err;
  }
  return completeFrame(frame);
}
