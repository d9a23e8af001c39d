import { DiscernError, type DataWarning } from '../../core/index.js';
import { decodeText, splitLines } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { readNestedExport } from './nested.js';
import { readRecordLayer } from './record.js';

const RECORD_HEADER = /^\s*(?:\ufeff|\xef\xbb\xbf)?(?:DataPoint|Record ID|Record Index)\s*[,;\t]/i;
const CYCLE_HEADER = /^\s*(?:\ufeff|\xef\xbb\xbf)?Cycle (?:Index|ID)\s*[,;\t]/i;
const STEP_HEADER = /^[,;\t]Step (?:Index|ID)\s*[,;\t]/i;
const NESTED_RECORD = /^([,;\t])\1(?:DataPoint|Record ID|Record Index)\s*[,;\t]/i;

type Layout = 'record' | 'nested';

/** The layout of the header at `at`; `strict` (for sniffing) also wants a voltage column. */
function layoutOf(lines: readonly string[], at: number, strict: boolean): Layout | undefined {
  const a = lines[at] ?? '';
  if (RECORD_HEADER.test(a) && /step type|status/i.test(a) && (!strict || /voltage/i.test(a)))
    return 'record';
  if (
    CYCLE_HEADER.test(a) &&
    STEP_HEADER.test(lines[at + 1] ?? '') &&
    NESTED_RECORD.test(lines[at + 2] ?? '')
  ) {
    return 'nested';
  }
  return undefined;
}

/**
 * Neware BTSDA CSV exports, in both layouts: the record layer (one header row `DataPoint,Cycle
 * Index,Step Index,Step Type,Time,Total Time,Current(A),Voltage(V),...`) and the nested three-level
 * export (cycle / step / record rows). Units come from the headers (A/mA/µA, V/mV, Ah/mAh/mAs,
 * Wh/mWh/mWs, ℃ even when it came through as "?"). Times `h:mm:ss[.fff]` (hours may pass 24);
 * dates are local (read in `options.timeZone`, else UTC with a warning). Step types are written
 * as in the binary files ("CC Chg" -> "CC_Chg"); an unsigned current is signed from them.
 * @throws DISCERN_EMPTY_FILE, DISCERN_PARSE_BAD_HEADER, DISCERN_MISSING_COLUMN, DISCERN_NO_DATA,
 *   DISCERN_PARSE_BAD_VALUE, DISCERN_PARSE_TRUNCATED, DISCERN_UNKNOWN_COLUMN, DISCERN_CORRUPT.
 */
export const newareCsvReader: FormatReader = {
  id: 'neware-csv',
  vendor: 'Neware',
  description: 'Neware BTSDA CSV export (record layer or nested cycle/step/record)',
  binary: false,
  sniff(input: SniffInput): number {
    const lines = input.headText.split(/\r\n|\n|\r/, 4);
    const layout = layoutOf(lines, 0, true);
    return layout === 'nested' ? 1 : layout === 'record' ? 0.95 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    let h = 0;
    while (h < lines.length && lines[h]!.trim() === '') h++;
    const layout = layoutOf(lines, h, false);
    const warnings: DataWarning[] = [...decoded.warnings];
    if (layout === 'record') return readRecordLayer(file.name, lines, h, warnings, options);
    if (layout === 'nested') return readNestedExport(file.name, lines, h, warnings, options);
    throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'not a BTSDA record-layer or nested export header', {
      file: file.name,
      line: h + 1,
    });
  },
};
