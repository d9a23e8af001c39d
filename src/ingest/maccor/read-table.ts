import type { Frame } from '../../core/index.js';
import { decodeText, detectDelimiter, splitLines } from '../text.js';
import type { ReadOptions, SourceFile } from '../types.js';
import { buildMaccorFrame } from './build.js';
import { planMaccorColumns } from './columns.js';
import { parseMaccorPreamble } from './preamble.js';
import { parseMaccorTable } from './table.js';

/**
 * Reads a Maccor time-series export (raw ASCII or text export; tab, comma or semicolon separated)
 * into a Frame. Shared by the `maccor-ascii` and `maccor-txt` readers.
 * @throws DISCERN_EMPTY_FILE, DISCERN_BAD_ENCODING, DISCERN_PARSE_BAD_HEADER, DISCERN_MISSING_COLUMN,
 *   DISCERN_NO_DATA, DISCERN_PARSE_TRUNCATED, DISCERN_PARSE_BAD_VALUE, DISCERN_BAD_TIMEZONE
 */
export function readMaccorTable(file: SourceFile, options: ReadOptions, format: string): Frame {
  const decoded = decodeText(file.bytes, file.name);
  const lines = splitLines(decoded.text);
  const preamble = parseMaccorPreamble(lines, file.name);
  const headerText = lines[preamble.headerLine]!;
  const delimiter = detectDelimiter(headerText);
  const columns = planMaccorColumns(headerText.split(delimiter), file.name, preamble.headerLine + 1);
  const table = parseMaccorTable(lines, preamble.headerLine, columns, delimiter, file.name);
  options.onProgress?.(1);
  return buildMaccorFrame({
    format,
    file: file.name,
    preamble,
    columns,
    table,
    options,
    warnings: decoded.warnings,
  });
}
