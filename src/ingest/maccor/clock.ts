import { naiveMsToUnixS, zoneOffsetMs, type DataWarning } from '../../core/index.js';

const HOUR_MS = 3_600_000;
const BUCKET_MS = 900_000;

/** Offsets (ms) that map some instant in this 15-minute bucket of wall-clock time to it. */
function validOffsets(naiveMs: number, timeZone: string, cache: Map<number, number[]>): number[] {
  const bucket = Math.floor(naiveMs / BUCKET_MS);
  const hit = cache.get(bucket);
  if (hit !== undefined) return hit;
  const at = bucket * BUCKET_MS;
  const tried = new Set([
    zoneOffsetMs(at - 14 * HOUR_MS, timeZone),
    zoneOffsetMs(at, timeZone),
    zoneOffsetMs(at + 14 * HOUR_MS, timeZone),
  ]);
  const valid = [...tried].filter((o) => zoneOffsetMs(at - o, timeZone) === o).sort((a, b) => b - a);
  cache.set(bucket, valid);
  return valid;
}

/**
 * Converts naive local wall-clock times to Unix seconds in `timeZone`. In the hour a DST change
 * repeats (autumn), the instant is chosen that follows on from the previous row by the test-time
 * step, so a file that runs through the change stays monotonic; without a usable previous row the
 * earlier instant is taken. Times in a DST gap use the offset before the gap.
 * @example localToUnixS(Float64Array.of(Date.UTC(2019, 10, 3, 1, 30)), undefined, 'America/Los_Angeles')
 */
export function localToUnixS(
  naiveMs: Float64Array,
  testTimeS: Float64Array | undefined,
  timeZone: string,
): Float64Array {
  const n = naiveMs.length;
  const out = new Float64Array(n);
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    for (let i = 0; i < n; i++) out[i] = naiveMs[i]! / 1000;
    return out;
  }
  const cache = new Map<number, number[]>();
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const N = naiveMs[i]!;
    if (Number.isNaN(N)) {
      out[i] = NaN;
      continue;
    }
    const offsets = validOffsets(N, timeZone, cache);
    if (offsets.length === 0) out[i] = naiveMsToUnixS(N, timeZone);
    else if (offsets.length === 1) out[i] = (N - offsets[0]!) / 1000;
    else {
      // Ambiguous wall-clock time: pick the instant closest to where the test clock says we are.
      let best = (N - offsets[0]!) / 1000;
      const dt = testTimeS !== undefined && prev >= 0 ? testTimeS[i]! - testTimeS[prev]! : NaN;
      if (Number.isFinite(dt)) {
        const expected = out[prev]! + dt;
        for (const o of offsets) {
          const u = (N - o) / 1000;
          if (Math.abs(u - expected) < Math.abs(best - expected)) best = u;
        }
      }
      out[i] = best;
    }
    prev = i;
  }
  return out;
}

/** A gap between the instrument clock and test time longer than this (s) is reported. */
const CLOCK_LIMIT_S = 600;

/**
 * Compares the wall clock (`unix_time_s`) with `test_time_s` row by row. Where the clock runs ahead
 * of test time by more than 600 s the test was paused (DISCERN_TIME_PAUSE); where it falls behind
 * by more than 600 s the clock was set back, often a DST change in a file read without its time
 * zone (DISCERN_TIME_NOT_MONOTONIC on `unix_time_s`).
 */
export function checkClock(unixS: Float64Array, testTimeS: Float64Array): DataWarning[] {
  let pauses = 0;
  let firstPause = -1;
  let longest = 0;
  let backs = 0;
  let firstBack = -1;
  let worstBack = 0;
  for (let i = 1; i < unixS.length; i++) {
    const du = unixS[i]! - unixS[i - 1]!;
    const d = du - (testTimeS[i]! - testTimeS[i - 1]!);
    if (!Number.isFinite(d)) continue;
    if (d > CLOCK_LIMIT_S) {
      if (pauses === 0) firstPause = i;
      pauses++;
      longest = Math.max(longest, du);
    } else if (d < -CLOCK_LIMIT_S) {
      if (backs === 0) firstBack = i;
      backs++;
      worstBack = Math.min(worstBack, d);
    }
  }
  const w: DataWarning[] = [];
  if (pauses > 0) {
    w.push({
      code: 'DISCERN_TIME_PAUSE',
      message: `the test was paused ${pauses} time(s): DPt Time runs ahead of test time by more than ${CLOCK_LIMIT_S} s; the longest gap is ${longest.toFixed(0)} s`,
      channel: 'unix_time_s',
      row: firstPause,
      count: pauses,
    });
  }
  if (backs > 0) {
    w.push({
      code: 'DISCERN_TIME_NOT_MONOTONIC',
      message: `DPt Time falls behind test time by up to ${(-worstBack).toFixed(0)} s (${backs} time(s), first at row ${firstBack}): a clock change such as DST; read the file with its time zone`,
      channel: 'unix_time_s',
      row: firstBack,
      count: backs,
    });
  }
  return w;
}
