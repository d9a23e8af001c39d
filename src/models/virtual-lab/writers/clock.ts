import { zoneOffsetMs } from '../../../core/index.js';

/** Wall-clock fields of a Unix time in an IANA zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

// Zone offsets change on the hour (DST), so one lookup per UTC hour is enough; Intl is slow.
let memo = { zone: '', hour: NaN, offsetMs: 0 };

function offsetMs(ms: number, timeZone: string): number {
  const hour = Math.floor(ms / 3_600_000);
  if (memo.zone !== timeZone || memo.hour !== hour)
    memo = { zone: timeZone, hour, offsetMs: zoneOffsetMs(hour * 3_600_000, timeZone) };
  return memo.offsetMs;
}

/** The local wall clock of `unixS` in `timeZone`. */
export function wallClock(unixS: number, timeZone: string): WallClock {
  const ms = Math.round(unixS * 1000);
  const d = new Date(ms + offsetMs(ms, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** Zero-padded integer. */
export function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "MM/DD/YYYY hh:mm:ss" (US order, as Maccor, Arbin and EC-Lab write), with ".mmm" when `ms`. */
export function usDateTime(c: WallClock, ms = false): string {
  const base = `${pad(c.month)}/${pad(c.day)}/${c.year} ${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}`;
  return ms ? `${base}.${pad(c.millisecond, 3)}` : base;
}

/** "YYYY-MM-DD hh:mm:ss" (Neware BTSDA). */
export function isoDateTime(c: WallClock): string {
  return `${c.year}-${pad(c.month)}-${pad(c.day)} ${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}`;
}

/** Metadata every writer needs. */
export interface WriteContext {
  /** Unix time of the first row, s. */
  startUnixS: number;
  /** IANA zone of the instrument PC's clock. */
  timeZone: string;
  /** Test name (file stem) and the sample's serial (barcode). */
  testName: string;
  serial: string;
  /** Instrument channel. */
  channel: number;
  /** Schedule or procedure name. */
  procedure: string;
}
