import { DiscernError, parseDateTime, type DateOrder } from '../../core/index.js';

export interface MaccorDateTimes {
  /** Wall-clock times as milliseconds of the same fields read as UTC (NaN when empty). */
  readonly naiveMs: Float64Array;
  readonly order: DateOrder;
  /** True when no date in the file showed whether it is month/day or day/month. */
  readonly ambiguous: boolean;
}

const NUMERIC_DATE = /^\s*(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})/;

/** Day number of a (year, month, day) triple; NaN when the month or day is out of range. */
function dayNumber(y: number, m: number, d: number): number {
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? Date.UTC(y, m - 1, d) / 86_400_000 : NaN;
}

/**
 * Finds the date order of `DPt Time` texts. A first field above 12 means day/month, a second field
 * above 12 means month/day (Maccor's US default). Otherwise the order under which the date moves
 * by far less between consecutive rows wins (11/02 -> 11/03 is one day as month/day but a month
 * as day/month). When nothing decides it (e.g. every row on one date), a file with decimal
 * commas is read as day/month and any other as month/day, and `ambiguous` is set.
 */
function dateOrderOf(texts: readonly string[], decimal: '.' | ','): { order: DateOrder; ambiguous: boolean } {
  let maxJumpMdy = 0;
  let maxJumpDmy = 0;
  let prevDate = '';
  let prevMdy = NaN;
  let prevDmy = NaN;
  for (const t of texts) {
    const m = NUMERIC_DATE.exec(t);
    if (m === null) continue;
    if (m[1]!.length === 4) return { order: 'YMD', ambiguous: false };
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12) return { order: 'DMY', ambiguous: false };
    if (b > 12) return { order: 'MDY', ambiguous: false };
    if (m[0] === prevDate) continue;
    const y = Number(m[3]) < 100 ? Number(m[3]) + 2000 : Number(m[3]);
    const mdy = dayNumber(y, a, b);
    const dmy = dayNumber(y, b, a);
    if (prevDate !== '') {
      maxJumpMdy = Math.max(maxJumpMdy, Math.abs(mdy - prevMdy));
      maxJumpDmy = Math.max(maxJumpDmy, Math.abs(dmy - prevDmy));
    }
    prevDate = m[0];
    prevMdy = mdy;
    prevDmy = dmy;
  }
  if (maxJumpMdy * 5 < maxJumpDmy) return { order: 'MDY', ambiguous: false };
  if (maxJumpDmy * 5 < maxJumpMdy) return { order: 'DMY', ambiguous: false };
  return { order: decimal === ',' ? 'DMY' : 'MDY', ambiguous: true };
}

/**
 * Parses the `DPt Time` column (e.g. `07/11/2019 14:02:33`, `5/11/2021 3:40:24 PM`, or the
 * date-only `10/22/2019` Maccor writes now and then at midnight) to naive wall-clock milliseconds.
 * @throws DISCERN_PARSE_BAD_VALUE for text that is not a date-time (with its line).
 */
export function parseMaccorDateTimes(
  texts: readonly string[],
  decimal: '.' | ',',
  lineOf: Int32Array,
  file: string,
): MaccorDateTimes {
  const { order, ambiguous } = dateOrderOf(texts, decimal);
  const naiveMs = new Float64Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    if (t.trim() === '') {
      naiveMs[i] = NaN;
      continue;
    }
    const p = parseDateTime(t, order);
    if (p === undefined || p.offsetMs !== undefined) {
      throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `"${t}" in column DPt Time is not a date-time`, {
        file,
        line: lineOf[i]!,
        column: 'DPt Time',
      });
    }
    naiveMs[i] = p.naiveMs;
  }
  return { naiveMs, order, ambiguous };
}
