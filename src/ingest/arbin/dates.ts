import { DiscernError, naiveMsToUnixS, type DataWarning, type DateOrder } from '../../core/index.js';
import { FloatBuilder } from '../text.js';

/** Scratch for `parseDateParts`: [a, b, c, ms of day]. */
const parts = new Float64Array(4);
const scratch = new Uint8Array(64);

function digitsAt(b: Uint8Array, i: number, e: number): { v: number; n: number } {
  let v = 0;
  let n = 0;
  while (i + n < e) {
    const c = b[i + n]! - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    n++;
  }
  return { v, n };
}

/**
 * Reads `A sep B sep C [time [AM|PM]]` from bytes (sep is - / or .; time is H:MM[:SS[.fff]]),
 * leaving the three date fields and the milliseconds of the day in `parts`. Leading tabs, spaces
 * and a trailing `T`/space separator are allowed. False when the text is not such a date.
 */
function parseDateParts(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  let e = end;
  while (i < e && (b[i] === 32 || b[i] === 9)) i++;
  while (e > i && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  const fields = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const d = digitsAt(b, i, e);
    if (d.n === 0 || d.n > 4) return false;
    fields[k] = d.v;
    i += d.n;
    if (k < 2) {
      const sep = b[i];
      if (sep !== 45 && sep !== 47 && sep !== 46) return false;
      i++;
    }
  }
  let ms = 0;
  if (i < e) {
    if (b[i] !== 32 && b[i] !== 84) return false;
    while (i < e && (b[i] === 32 || b[i] === 84)) i++;
    const h = digitsAt(b, i, e);
    if (h.n === 0 || h.n > 2 || b[i + h.n] !== 58) return false;
    i += h.n + 1;
    const mi = digitsAt(b, i, e);
    if (mi.n !== 2) return false;
    i += 2;
    let sec = 0;
    let frac = 0;
    if (b[i] === 58) {
      const s = digitsAt(b, i + 1, e);
      if (s.n !== 2) return false;
      sec = s.v;
      i += 3;
      if (b[i] === 46 || b[i] === 44) {
        i++;
        let scale = 100;
        while (i < e) {
          const c = b[i]! - 48;
          if (c < 0 || c > 9) break;
          frac += c * scale;
          scale /= 10;
          i++;
        }
      }
    }
    let hour = h.v;
    while (i < e && b[i] === 32) i++;
    if (i < e) {
      const a = b[i]! | 32;
      if ((a !== 97 && a !== 112) || (b[i + 1]! | 32) !== 109 || i + 2 !== e) return false;
      if (hour < 1 || hour > 12) return false;
      if (a === 112 && hour < 12) hour += 12;
      if (a === 97 && hour === 12) hour = 0;
    }
    if (hour > 23 || mi.v > 59 || sec > 60) return false;
    ms = ((hour * 60 + mi.v) * 60 + sec) * 1000 + frac;
  }
  parts[0] = fields[0]!;
  parts[1] = fields[1]!;
  parts[2] = fields[2]!;
  parts[3] = ms;
  return true;
}

/**
 * Collects naive local date-times of one column (e.g. "09/20/2024 08:32:34.558", "2011-01-03
 * 10:38:25", "2022-04-11 10:58:07 AM") and converts them to Unix seconds at the end, once the
 * day/month order is known from the whole column: a first field above 12 means day/month/year, a
 * second field above 12 means month/day/year, a 4-digit first field means year/month/day. When the
 * column never tells, `defaultOrder` is used and `finish` reports it as ambiguous.
 */
export class LocalDateColumn {
  private readonly keys: FloatBuilder;
  private readonly times: FloatBuilder;
  private dmyLine = 0;
  private mdyLine = 0;
  constructor(capacity = 1024) {
    this.keys = new FloatBuilder(capacity);
    this.times = new FloatBuilder(capacity);
  }

  get length(): number {
    return this.keys.length;
  }

  /** Adds the date in bytes `[start, end)`; a blank cell is missing. False when it is not a date. */
  pushBytes(b: Uint8Array, start: number, end: number, line: number): boolean {
    let blank = true;
    for (let i = start; i < end; i++) {
      if (b[i] !== 32 && b[i] !== 9) {
        blank = false;
        break;
      }
    }
    if (blank) {
      this.keys.push(NaN);
      this.times.push(NaN);
      return true;
    }
    if (!parseDateParts(b, start, end)) return false;
    const a = parts[0]!;
    const m = parts[1]!;
    const c = parts[2]!;
    if (a < 100) {
      if (a > 12 && this.dmyLine === 0) this.dmyLine = line;
      if (m > 12 && this.mdyLine === 0) this.mdyLine = line;
    }
    this.keys.push(a * 1e6 + m * 1e4 + c);
    this.times.push(parts[3]!);
    return true;
  }

  /** Adds a date given as a string (ASCII). False when it is not a date. */
  pushText(text: string, line: number): boolean {
    if (text.length > scratch.length) return false;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 127) return false;
      scratch[i] = code;
    }
    return this.pushBytes(scratch, 0, text.length, line);
  }

  /**
   * Unix seconds of every row, reading the naive times in `timeZone`.
   * @throws DISCERN_PARSE_BAD_VALUE when the column mixes day/month and month/day orders, or a
   * field is out of range.
   */
  finish(
    timeZone: string,
    defaultOrder: DateOrder,
    file: string,
    column: string,
  ): { unixS: Float64Array; order: DateOrder; ambiguous: boolean } {
    if (this.dmyLine > 0 && this.mdyLine > 0) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_VALUE',
        `${column} mixes day/month/year (line ${this.dmyLine}) and month/day/year (line ${this.mdyLine}) dates`,
        { file, line: Math.max(this.dmyLine, this.mdyLine), column },
      );
    }
    const order: DateOrder = this.dmyLine > 0 ? 'DMY' : this.mdyLine > 0 ? 'MDY' : defaultOrder;
    const keys = this.keys.finish();
    const out = this.times.finish();
    let lastBucket = NaN;
    let lastOffset = 0;
    let sawShort = false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (Number.isNaN(key)) {
        out[i] = NaN;
        continue;
      }
      const a = Math.floor(key / 1e6);
      const b = Math.floor(key / 1e4) % 100;
      const c = key % 1e4;
      let y: number;
      let mo: number;
      let d: number;
      if (a >= 100) [y, mo, d] = [a, b, c];
      else {
        sawShort = true;
        if (order === 'YMD') [y, mo, d] = [a + 2000, b, c];
        else if (order === 'MDY') [mo, d, y] = [a, b, c < 100 ? c + 2000 : c];
        else [d, mo, y] = [a, b, c < 100 ? c + 2000 : c];
      }
      if (mo < 1 || mo > 12 || d < 1 || d > 31) {
        throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `${column}: row ${i + 1} is not a valid date`, {
          file,
          column,
        });
      }
      const naive = Date.UTC(y, mo - 1, d) + out[i]!;
      // The zone offset is constant within a 15-minute bucket of wall-clock time.
      const bucket = Math.floor(naive / 900_000);
      if (bucket !== lastBucket) {
        lastBucket = bucket;
        const bucketStart = bucket * 900_000;
        lastOffset = bucketStart - naiveMsToUnixS(bucketStart, timeZone) * 1000;
      }
      out[i] = (naive - lastOffset) / 1000;
    }
    return { unixS: out, order, ambiguous: sawShort && this.dmyLine === 0 && this.mdyLine === 0 };
  }
}

/** The warning for naive times read in an assumed zone (no `options.timeZone`). */
export function tzAssumedWarning(file: string, zone = 'UTC'): DataWarning {
  return {
    code: 'DISCERN_TZ_ASSUMED',
    message: `${file} has local times without a zone and no time zone was given; read as ${zone}`,
    channel: 'unix_time_s',
  };
}

/** The note for a date order that the column never revealed. */
export function dateOrderNote(column: string, order: DateOrder): DataWarning {
  const names = { MDY: 'month/day/year', DMY: 'day/month/year', YMD: 'year/month/day' } as const;
  return {
    code: 'DISCERN_NOTE',
    message: `${column}: no day above 12, so the day/month order cannot be told from the data; read as ${names[order]}`,
    channel: 'unix_time_s',
  };
}

/**
 * Parses a duration written as `[-]h:mm:ss[.fff]` (hours may exceed 24 and have any number of
 * digits) to seconds; undefined when the text is not such a duration.
 */
export function parseDurationS(text: string): number | undefined {
  const m = /^\s*(-)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$/.exec(text);
  if (m === null) return undefined;
  const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] === '-' ? -s : s;
}
