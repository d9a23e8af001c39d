import { DiscernError } from '../../core/index.js';
import { isMaccorHeaderLine } from './columns.js';

/** The lines above a Maccor data table, read as key/value pairs. */
export interface MaccorPreamble {
  /**
   * `ascii`: the raw ASCII export (one line `Today's Date … Date of Test: … Filename: … Procedure: …`);
   * `text`: a "text export" (key<TAB>value lines: `Today's Date:`, `Name:`, `Channel:`, `Procedure` …).
   */
  readonly variant: 'ascii' | 'text';
  /** Header key/values, keys verbatim without the trailing colon (e.g. `Procedure`, `Date of Test`). */
  readonly header: Record<string, string>;
  /** 0-based index of the column header line. */
  readonly headerLine: number;
  /** Instrument channel from the header (`Channel`, `Tester Channel`) or the Maccor file extension. */
  readonly channel?: string;
  /** The tester name (`Tester` key), when given. */
  readonly instrument?: string;
}

/** How far down the column header line may be. */
const MAX_PREAMBLE_LINES = 80;

const ASCII_LABELS = ["Today's Date", 'Date of Test:', 'Filename:', 'Procedure:', 'Comment/Barcode:'];

/** Control characters and the 0xFF filler bytes some Maccor headers carry (U+00FF once decoded). */
// eslint-disable-next-line no-control-regex
const JUNK = /[\u0000-\u001f\u007f\u00ff]+/g;

function clean(value: string): string {
  return value.replace(JUNK, ' ').replace(/\s+/g, ' ').trim();
}

function parseAsciiLine(line: string): Record<string, string> {
  const header: Record<string, string> = {};
  const found: { label: string; at: number }[] = [];
  let from = 0;
  for (const label of ASCII_LABELS) {
    const at = line.indexOf(label, from);
    if (at < 0) continue;
    found.push({ label, at });
    from = at + label.length;
  }
  for (let k = 0; k < found.length; k++) {
    const { label, at } = found[k]!;
    const end = k + 1 < found.length ? found[k + 1]!.at : line.length;
    header[label.replace(/:$/, '')] = clean(line.slice(at + label.length, end));
  }
  return header;
}

function parseKeyValueLines(lines: readonly string[]): Record<string, string> {
  const header: Record<string, string> = {};
  for (const line of lines) {
    const cells = line.split('\t');
    for (let k = 0; k < cells.length; k += 2) {
      const key = clean(cells[k]!).replace(/''/g, "'").replace(/:$/, '').trim();
      if (key === '') continue;
      header[key] = clean(cells[k + 1] ?? '');
    }
  }
  return header;
}

function channelFrom(header: Record<string, string>, fileName: string): string | undefined {
  for (const key of ['Channel', 'Tester Channel']) {
    const v = header[key];
    if (v !== undefined && /^\d+$/.test(v)) return String(Number(v));
  }
  // Maccor names its data files <test>.<channel as 3 digits>, e.g. xTESLADIAG_000019_CH70.070.
  for (const name of [header['Filename'] ?? '', fileName]) {
    const m = /\.(\d{3})$/.exec(name.trim());
    if (m !== null) return String(Number(m[1]));
  }
  return undefined;
}

/**
 * Finds the column header line of a Maccor export and reads the lines above it.
 * @throws DISCERN_PARSE_BAD_HEADER when no Maccor column header line is found.
 */
export function parseMaccorPreamble(lines: readonly string[], fileName: string): MaccorPreamble {
  let headerLine = -1;
  const limit = Math.min(lines.length, MAX_PREAMBLE_LINES);
  for (let i = 0; i < limit; i++) {
    if (isMaccorHeaderLine(lines[i]!)) {
      headerLine = i;
      break;
    }
  }
  if (headerLine < 0) {
    throw new DiscernError(
      'DISCERN_PARSE_BAD_HEADER',
      `no Maccor column header line (Rec# / Cyc# …) in the first ${limit} lines`,
      { file: fileName, line: 1 },
    );
  }
  const above = lines.slice(0, headerLine);
  const first = above[0] ?? '';
  const variant = above.length === 1 && /^Today's Date [^:\t]/.test(first) ? 'ascii' : 'text';
  const header = variant === 'ascii' ? parseAsciiLine(first) : parseKeyValueLines(above);
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const channel = channelFrom(header, base);
  const tester = header['Tester'];
  return {
    variant,
    header,
    headerLine,
    ...(channel !== undefined ? { channel } : {}),
    ...(tester !== undefined && tester !== '' ? { instrument: tester } : {}),
  };
}
