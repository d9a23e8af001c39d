import { DiscernError } from './errors.js';

/**
 * Time-zone arithmetic without a dependency: the offset of an IANA zone at an instant comes from
 * Intl.DateTimeFormat (available in Node and in browsers). Offsets are cached per 15-minute bucket.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new DiscernError('DISCERN_BAD_TIMEZONE', `unknown time zone "${timeZone}"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Checks an IANA zone name. @throws DISCERN_BAD_TIMEZONE */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (e.g. +3600000 for CET). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const bucket = Math.floor(utcMs / 900_000);
  const key = `${timeZone}|${bucket}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const at = bucket * 900_000;
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? NaN);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const off = asUtc - at;
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

/**
 * Converts a naive local wall-clock time (given as milliseconds of the same fields read as UTC)
 * to Unix seconds in `timeZone`. In a DST overlap the earlier instant wins; in a gap the offset
 * in force before the gap is used.
 */
export function naiveMsToUnixS(naiveMs: number, timeZone: string): number {
  if (Number.isNaN(naiveMs)) return NaN;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return naiveMs / 1000;
  const before = zoneOffsetMs(naiveMs - 10_800_000, timeZone);
  const after = zoneOffsetMs(naiveMs + 10_800_000, timeZone);
  if (before === after) return (naiveMs - before) / 1000;
  // Near a transition: try the larger offset first (the earlier instant of an overlap).
  for (const o of before > after ? [before, after] : [after, before]) {
    if (zoneOffsetMs(naiveMs - o, timeZone) === o) return (naiveMs - o) / 1000;
  }
  // In a gap (a wall-clock time that does not exist): read it with the offset in force before.
  return (naiveMs - before) / 1000;
}

export type DateOrder = 'YMD' | 'MDY' | 'DMY';

const DT_RE =
  /^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(AM|PM|am|pm)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/;

export interface ParsedDateTime {
  /** Milliseconds of the wall-clock fields read as if they were UTC. */
  naiveMs: number;
  /** Offset in ms when the string carries one (Z or +hh:mm), else undefined. */
  offsetMs?: number;
}

/**
 * Parses a date-time string such as "2023-06-19 17:56:53.002823", "04/30/2024 14:33:19",
 * "5/5/2021 3:36:22.757 PM" or "2024-05-27T04:02:53.970-04:00". `order` resolves ambiguous
 * numeric dates (a 4-digit first field always means YMD). Returns undefined when it is not a date.
 */
export function parseDateTime(text: string, order: DateOrder = 'YMD'): ParsedDateTime | undefined {
  const m = DT_RE.exec(text);
  if (m === null) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  const c = Number(m[3]);
  let y: number;
  let mo: number;
  let d: number;
  if (m[1]!.length === 4 || order === 'YMD') [y, mo, d] = [a, b, c];
  else if (order === 'MDY') [mo, d, y] = [a, b, c];
  else [d, mo, y] = [a, b, c];
  if (y < 100) y += 2000;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  let h = m[4] !== undefined ? Number(m[4]) : 0;
  const mi = m[5] !== undefined ? Number(m[5]) : 0;
  const s = m[6] !== undefined ? Number(m[6]) : 0;
  const frac = m[7] !== undefined ? Number(`0.${m[7]}`) : 0;
  const ampm = m[8]?.toUpperCase();
  if (ampm === 'PM' && h < 12) h += 12;
  if (ampm === 'AM' && h === 12) h = 0;
  const naiveMs = Date.UTC(y, mo - 1, d, h, mi, s) + frac * 1000;
  const tz = m[9];
  if (tz === undefined) return { naiveMs };
  if (tz === 'Z') return { naiveMs, offsetMs: 0 };
  const sign = tz[0] === '-' ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  return {
    naiveMs,
    offsetMs: sign * (Number(digits.slice(0, 2)) * 3600_000 + Number(digits.slice(2, 4)) * 60_000),
  };
}

/** Unix seconds from a parsed date-time, using its own offset if it has one, else `timeZone`. */
export function toUnixS(p: ParsedDateTime, timeZone: string): number {
  if (p.offsetMs !== undefined) return (p.naiveMs - p.offsetMs) / 1000;
  return naiveMsToUnixS(p.naiveMs, timeZone);
}

/** Days between 1899-12-30 (the OLE/Excel epoch) and 1970-01-01. */
export const OLE_EPOCH_DAYS = 25569;

/** OLE automation date (days since 1899-12-30, local wall clock) to naive milliseconds. */
export function oleDaysToNaiveMs(days: number): number {
  return (days - OLE_EPOCH_DAYS) * 86_400_000;
}

/** ISO 8601 text of a Unix time in a zone, with its offset, e.g. "2021-05-05T15:36:22.757-07:00". */
export function formatInZone(unixS: number, timeZone: string): string {
  const ms = Math.round(unixS * 1000);
  const off = zoneOffsetMs(ms, timeZone);
  const local = new Date(ms + off).toISOString().slice(0, 23);
  if (off === 0) return `${local}Z`;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off) / 60_000;
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
