import type { SniffInput } from '../types.js';
import { isMaccorHeaderLine } from './columns.js';

/** How the first lines of a file look to the Maccor sniffers. */
export interface MaccorSniff {
  /** The first line is the one-line preamble of a raw ASCII export. */
  readonly asciiPreamble: boolean;
  /** The first line starts a text-export preamble (`Today's Date:`, `Today''s Date`, `Name:`). */
  readonly textPreamble: boolean;
  /** 0-based index of the Maccor column header line among the first 80 lines; -1 when absent. */
  readonly headerLine: number;
}

/** Looks at the first lines of a file for the Maccor preambles and column header line. */
export function sniffMaccor(input: SniffInput): MaccorSniff {
  const lines = input.headText.split(/\r\n|\n|\r/, 80);
  const first = lines[0] ?? '';
  let headerLine = -1;
  for (let i = 0; i < lines.length; i++) {
    if (isMaccorHeaderLine(lines[i]!)) {
      headerLine = i;
      break;
    }
  }
  return {
    asciiPreamble: /^Today's Date [^:\t]/.test(first) && first.includes('Date of Test:'),
    textPreamble: /^(Today's Date:\t|Today''s Date\t|Name:\t)/.test(first),
    headerLine,
  };
}
