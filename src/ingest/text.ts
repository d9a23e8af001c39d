import { DiscernError, type DataWarning } from '../core/index.js';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'windows-1252';
  warnings: DataWarning[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Loose = new TextDecoder('utf-8');

/**
 * Decodes a text file: UTF-8 (a BOM is dropped), UTF-16LE with BOM, or windows-1252 when the bytes
 * are not valid UTF-8 (common in European lab PCs' exports), with a DISCERN_ENCODING_FALLBACK warning.
 * @throws DISCERN_EMPTY_FILE for zero bytes; DISCERN_BAD_ENCODING when NUL bytes show it is binary.
 */
export function decodeText(bytes: Uint8Array, file: string, prefer?: 'windows-1252'): DecodedText {
  if (bytes.length === 0) throw new DiscernError('DISCERN_EMPTY_FILE', 'the file is empty', { file });
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return {
      text: new TextDecoder('utf-16le').decode(bytes.subarray(2)),
      encoding: 'utf-16le',
      warnings: [],
    };
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const scan = Math.min(bytes.length, 1 << 16);
  for (let i = start; i < scan; i++) {
    if (bytes[i] === 0) {
      throw new DiscernError('DISCERN_BAD_ENCODING', 'NUL byte in a text file (binary data?)', {
        file,
        offset: i,
      });
    }
  }
  const body = bytes.subarray(start);
  if (prefer === 'windows-1252') {
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252', warnings: [] };
  }
  try {
    return { text: utf8.decode(body), encoding: 'utf-8', warnings: [] };
  } catch {
    return {
      text: new TextDecoder('windows-1252').decode(body),
      encoding: 'windows-1252',
      warnings: [
        { code: 'DISCERN_ENCODING_FALLBACK', message: `${file} is not valid UTF-8; read as windows-1252` },
      ],
    };
  }
}

/** Decodes without checks (for sniffing or messages). */
export function decodeLoose(bytes: Uint8Array): string {
  return utf8Loose.decode(bytes);
}

/** Splits text into lines on \n, \r\n or \r. A final empty line is dropped. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The most frequent of tab, semicolon and comma in a header line. */
export function detectDelimiter(line: string): '\t' | ';' | ',' {
  let tabs = 0;
  let semis = 0;
  let commas = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 9) tabs++;
    else if (c === 59) semis++;
    else if (c === 44) commas++;
  }
  if (tabs >= semis && tabs >= commas && tabs > 0) return '\t';
  if (semis > commas) return ';';
  return ',';
}

/** Splits one delimited line, honouring double quotes ("" inside quotes is a quote). */
export function splitDelimited(line: string, delimiter: string): string[] {
  if (line.indexOf('"') < 0) return line.split(delimiter);
  const out: string[] = [];
  let cur = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQuotes = false;
      } else cur += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Parses a number written with `.` or `,` as decimal separator. Empty or blank text gives NaN;
 * text that is not a number gives undefined (so callers can report the line).
 */
export function parseNumber(text: string, decimal: '.' | ',' = '.'): number | undefined {
  let s = text.trim();
  if (s === '') return NaN;
  if (decimal === ',') s = s.replace(',', '.');
  const v = Number(s);
  if (Number.isNaN(v)) {
    const l = s.toLowerCase();
    if (l === 'nan' || l === '-nan' || l === 'n/a' || l === 'na') return NaN;
    return undefined;
  }
  return v;
}

/** A growable Float64Array. */
export class FloatBuilder {
  private buf: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.buf = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  finish(): Float64Array {
    return this.buf.slice(0, this.length);
  }
}

/** A growable Int32Array. */
export class IntBuilder {
  private buf: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.buf = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  finish(): Int32Array {
    return this.buf.slice(0, this.length);
  }
}

/** Builds a dictionary-coded text column. */
export class CategoryBuilder {
  private readonly codes = new IntBuilder();
  private readonly levels: string[] = [];
  private readonly index = new Map<string, number>();
  push(v: string | undefined | null): void {
    if (v === undefined || v === null || v === '') {
      this.codes.push(-1);
      return;
    }
    let k = this.index.get(v);
    if (k === undefined) {
      k = this.levels.length;
      this.levels.push(v);
      this.index.set(v, k);
    }
    this.codes.push(k);
  }
  get length(): number {
    return this.codes.length;
  }
  finish(): { codes: Int32Array; levels: string[] } {
    return { codes: this.codes.finish(), levels: this.levels };
  }
}

/** Converts a float column to Int32 (NaN becomes -1); used for cycle and step counters. */
export function toIntColumn(values: Float64Array): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isFinite(v) ? Math.round(v) : -1;
  }
  return out;
}

/** Multiplies a column by a factor into a new array. */
export function scaled(values: Float64Array, factor: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * factor;
  return out;
}
