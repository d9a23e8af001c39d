import type { DataWarning } from '../../core/index.js';

const UNITS: readonly { factor: number; name: string }[] = [
  { factor: 1, name: 's' },
  { factor: 60, name: 'min' },
  { factor: 3600, name: 'h' },
];

/**
 * The unit (seconds per file unit) of a time column whose header does not say, found by comparing
 * its span with the span of the `DPt Time` wall clock (both in the same rows). Maccor text exports
 * write `TestTime` in seconds or, with some export settings, in minutes. Returns factor 1 with a
 * DISCERN_TIME_UNIT_SUSPECT warning when the clock is missing or too short to decide, and a
 * DISCERN_UNIT_CONVERTED warning when the column is not in seconds.
 */
export function detectTimeUnit(
  time: Float64Array,
  clockS: Float64Array | undefined,
  label: string,
): { factor: number; warnings: DataWarning[] } {
  let first = -1;
  let last = -1;
  if (clockS !== undefined) {
    for (let i = 0; i < time.length; i++) {
      if (Number.isFinite(time[i]!) && Number.isFinite(clockS[i]!)) {
        if (first < 0) first = i;
        last = i;
      }
    }
  }
  const clockSpan = first >= 0 ? clockS![last]! - clockS![first]! : NaN;
  const span = first >= 0 ? time[last]! - time[first]! : NaN;
  if (!(clockSpan >= 120) || !(span > 0)) {
    return {
      factor: 1,
      warnings: [
        {
          code: 'DISCERN_TIME_UNIT_SUSPECT',
          message: `the unit of ${label} is not stated and could not be checked against DPt Time; seconds assumed`,
          channel: 'test_time_s',
        },
      ],
    };
  }
  const ratio = clockSpan / span;
  let best = UNITS[0]!;
  for (const u of UNITS) {
    if (Math.abs(Math.log(ratio / u.factor)) < Math.abs(Math.log(ratio / best.factor))) best = u;
  }
  const warnings: DataWarning[] = [];
  if (Math.abs(Math.log(ratio / best.factor)) > Math.log(1.5)) {
    warnings.push({
      code: 'DISCERN_TIME_UNIT_SUSPECT',
      message: `${label} spans ${span} while DPt Time spans ${clockSpan.toFixed(0)} s; no unit fits, ${best.name} assumed`,
      channel: 'test_time_s',
    });
  }
  if (best.factor !== 1) {
    warnings.push({
      code: 'DISCERN_UNIT_CONVERTED',
      message: `${label} is in ${best.name} (its span matches DPt Time's); converted to s`,
      channel: 'test_time_s',
    });
  }
  return { factor: best.factor, warnings };
}
