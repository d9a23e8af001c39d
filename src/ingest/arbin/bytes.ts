/**
 * Byte-level helpers for large delimited text files: a row scanner that never builds one string of
 * the whole file (a 1 GB export cannot be a JavaScript string) and an exact fast number parser.
 */

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Powers of ten that are exact doubles (10^0 .. 10^22). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** A mantissa below this takes one more digit and stays below 2^53 (at most 15 significant digits). */
const MAX_FAST_MANTISSA = 1e14;

/** Bytes `[start, end)` as a string, one char per byte (for ASCII fields and messages). */
export function asciiSlice(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 48) return latin1.decode(bytes.subarray(start, end));
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function slowNumber(text: string): number | undefined {
  const s = text.trim();
  const v = Number(s);
  if (!Number.isNaN(v) && s !== '') return v;
  const l = s.toLowerCase();
  if (l === 'nan' || l === '-nan' || l === 'n/a' || l === 'na' || l === '') return NaN;
  return undefined;
}

/**
 * Parses a decimal number from bytes `[start, end)`: blank gives NaN, text that is not a number gives
 * undefined. Up to 15 significant digits and exponents within ±22 take an exact fast path (one
 * correctly rounded IEEE operation, Clinger 1990); anything else goes through `Number()`, so the
 * result always equals `Number(text)`.
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  let e = end;
  while (i < e && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
  while (e > i && (bytes[e - 1] === SPACE || bytes[e - 1] === TAB)) e--;
  if (i === e) return NaN;
  const first = i;
  let neg = false;
  let c = bytes[i]!;
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let mant = 0;
  let exp10 = 0;
  let digits = 0;
  let fast = true;
  for (; i < e; i++) {
    c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    digits++;
    if (mant < MAX_FAST_MANTISSA) mant = mant * 10 + c;
    else if (c !== 0) fast = false;
    else exp10++;
  }
  if (i < e && bytes[i] === 46) {
    i++;
    for (; i < e; i++) {
      c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      digits++;
      if (mant < MAX_FAST_MANTISSA) {
        mant = mant * 10 + c;
        exp10--;
      } else if (c !== 0) fast = false;
    }
  }
  if (digits === 0) return slowNumber(asciiSlice(bytes, first, e));
  if (i < e && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let eneg = false;
    if (bytes[i] === 45) {
      eneg = true;
      i++;
    } else if (bytes[i] === 43) i++;
    let ex = 0;
    let exDigits = 0;
    for (; i < e; i++) {
      c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      if (ex < 10000) ex = ex * 10 + c;
      exDigits++;
    }
    if (exDigits === 0) return undefined;
    exp10 += eneg ? -ex : ex;
  }
  if (i !== e) return slowNumber(asciiSlice(bytes, first, e));
  if (!fast || exp10 > 22 || exp10 < -22) return slowNumber(asciiSlice(bytes, first, e));
  const v = exp10 === 0 ? mant : exp10 > 0 ? mant * POW10[exp10]! : mant / POW10[-exp10]!;
  return neg ? -v : v;
}

/**
 * Walks a delimited text file row by row over its bytes. After `next()` returns true, field `k` of
 * the current row is `bytes[starts[k], ends[k])` (quotes removed; `quoted[k]` is 2 when the field
 * held doubled quotes, which `text(k)` undoes). Blank lines are skipped. `line` is the 1-based line
 * number of the row.
 */
export class RowScanner {
  readonly bytes: Uint8Array;
  readonly delimiter: number;
  /** Byte offset of the next row. */
  pos: number;
  /** 1-based line number of the current row. */
  line = 0;
  /** Number of fields in the current row. */
  count = 0;
  /** True when the current row ended at the end of the file without a line break. */
  unterminated = false;
  /** True when a quoted field runs to the end of the file. */
  openQuote = false;
  starts: Int32Array;
  ends: Int32Array;
  quoted: Uint8Array;
  private nextLine: number;

  /**
   * @param start byte offset of the first row
   * @param firstLine 1-based line number of that row
   */
  constructor(bytes: Uint8Array, start: number, firstLine: number, delimiter: string) {
    this.bytes = bytes;
    this.delimiter = delimiter.charCodeAt(0);
    this.pos = start;
    this.nextLine = firstLine;
    this.starts = new Int32Array(64);
    this.ends = new Int32Array(64);
    this.quoted = new Uint8Array(64);
  }

  private push(k: number, s: number, e: number, q: number): void {
    if (k >= this.starts.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      const q2 = new Uint8Array(this.quoted.length * 2);
      q2.set(this.quoted);
      this.quoted = q2;
    }
    this.starts[k] = s;
    this.ends[k] = e;
    this.quoted[k] = q;
  }

  /** Moves to the next non-blank row; false at the end of the file. */
  next(): boolean {
    const b = this.bytes;
    const n = b.length;
    const d = this.delimiter;
    while (this.pos < n) {
      let p = this.pos;
      this.line = this.nextLine;
      let k = 0;
      let fs = p;
      let fe = -1;
      let q = 0;
      let breakAt = n;
      this.unterminated = true;
      while (p < n) {
        const c = b[p]!;
        if (c === d) {
          this.push(k++, fs, fe < 0 ? p : fe, q);
          p++;
          fs = p;
          fe = -1;
          q = 0;
          continue;
        }
        if (c === LF || c === CR) {
          breakAt = p;
          p++;
          if (c === CR && b[p] === LF) p++;
          this.nextLine++;
          this.unterminated = false;
          break;
        }
        if (c === QUOTE && p === fs) {
          p++;
          const qs = p;
          q = 1;
          while (p < n) {
            const x = b[p]!;
            if (x === QUOTE) {
              if (b[p + 1] === QUOTE) {
                q = 2;
                p += 2;
                continue;
              }
              break;
            }
            if (x === LF) this.nextLine++;
            p++;
          }
          if (p >= n) {
            this.openQuote = true;
            fs = qs;
            fe = n;
            break;
          }
          fs = qs;
          fe = p;
          p++;
          continue;
        }
        p++;
      }
      // The line (or file) ended: the last field runs to the break.
      const lastEnd = fe < 0 ? breakAt : fe;
      this.push(k++, fs, lastEnd, q);
      this.pos = p;
      this.count = k;
      if (k === 1 && q === 0 && isBlank(b, fs, lastEnd)) continue;
      return true;
    }
    return false;
  }

  /** Field `k` of the current row as text (UTF-8), with doubled quotes undone. */
  text(k: number): string {
    const s = utf8.decode(this.bytes.subarray(this.starts[k], this.ends[k]));
    return this.quoted[k] === 2 ? s.replace(/""/g, '"') : s;
  }

  /** Field `k` as a number: NaN when blank, undefined when it is not a number. */
  number(k: number): number | undefined {
    return parseNumberBytes(this.bytes, this.starts[k]!, this.ends[k]!);
  }

  /** True when field `k` is blank (only spaces or tabs). */
  blank(k: number): boolean {
    return isBlank(this.bytes, this.starts[k]!, this.ends[k]!);
  }
}

function isBlank(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== SPACE && b[i] !== TAB) return false;
  return true;
}

/** Offset just past the line that starts at `start` (after its \n, \r\n or \r), or the file length. */
export function endOfLine(bytes: Uint8Array, start: number): { end: number; next: number } {
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === LF) return { end: i, next: i + 1 };
    if (c === CR) return { end: i, next: bytes[i + 1] === LF ? i + 2 : i + 1 };
  }
  return { end: bytes.length, next: bytes.length };
}
