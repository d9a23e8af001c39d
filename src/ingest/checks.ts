import { floatColumn, intColumn, type DataWarning, type Frame } from '../core/index.js';

/** Values instruments write for "no reading". */
export const SENTINELS: readonly number[] = [-2501, -9999, -99999, 9.9e37, -9.9e37, 2147483647, -2147483648];

/** True for a value an instrument writes for "no reading" (see {@link SENTINELS}). */
export function isSentinel(v: number): boolean {
  return (
    v === -2501 ||
    v === -9999 ||
    v === -99999 ||
    Math.abs(v) >= 9.9e37 ||
    v === 2147483647 ||
    v === -2147483648
  );
}

/** Absolute zero in degC: a temperature below it is a missing reading, whatever its value. */
const ABSOLUTE_ZERO_DEGC = -273.15;

/** Temperature channels (canonical `*_degC` names, auxiliary ones included). */
function isTemperature(name: string): boolean {
  return name.endsWith('_degC');
}

/**
 * The "missing reading" test for one channel: a sentinel value, or in a temperature channel any
 * value below absolute zero.
 */
export function missingReadingTest(channel: string): (v: number) => boolean {
  if (!isTemperature(channel)) return isSentinel;
  return (v) => isSentinel(v) || v < ABSOLUTE_ZERO_DEGC;
}

/**
 * Replaces sentinel values by NaN in every float channel; returns new columns and warnings
 * (`DISCERN_SENTINEL_VALUE`, with the first row and the count). In temperature channels any value
 * below absolute zero is a sentinel too (Maccor writes -2496 ... -2541 degC for an open
 * thermocouple, not exactly -2501).
 */
export function replaceSentinels(frame: Frame): {
  columns: Record<string, Float64Array>;
  warnings: DataWarning[];
} {
  const columns: Record<string, Float64Array> = {};
  const warnings: DataWarning[] = [];
  for (const ch of frame.channels) {
    const c = floatColumn(frame, ch.name);
    if (c === undefined) continue;
    const temperature = isTemperature(ch.name);
    const bad = missingReadingTest(ch.name);
    let count = 0;
    let first = -1;
    let which = NaN;
    let out: Float64Array | undefined;
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (!bad(v)) continue;
      if (count === 0) {
        first = i;
        which = v;
        out = c.slice();
      }
      count++;
      out![i] = NaN;
    }
    if (count === 0 || out === undefined) continue;
    columns[ch.name] = out;
    warnings.push({
      code: 'DISCERN_SENTINEL_VALUE',
      message: `${ch.name}: ${count} sentinel value(s) such as ${which} replaced by NaN${temperature ? ' (temperatures below -273.15 degC count as missing)' : ''}`,
      channel: ch.name,
      row: first,
      count,
    });
  }
  return { columns, warnings };
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Time checks: backwards steps, pauses, and a time unit that does not fit. */
export function checkTime(frame: Frame): DataWarning[] {
  const t = floatColumn(frame, 'test_time_s');
  if (t === undefined || t.length < 2) return [];
  const w: DataWarning[] = [];
  let back = 0;
  let firstBack = -1;
  let worst = 0;
  const dts: number[] = [];
  const stride = Math.max(1, Math.floor(t.length / 5000));
  for (let i = 1; i < t.length; i++) {
    const d = t[i]! - t[i - 1]!;
    if (d < 0) {
      if (back === 0) firstBack = i;
      back++;
      worst = Math.min(worst, d);
    }
    if (i % stride === 0 && d > 0) dts.push(d);
  }
  if (back > 0) {
    w.push({
      code: 'DISCERN_TIME_NOT_MONOTONIC',
      message: `test_time_s goes backwards ${back} time(s), first at row ${firstBack} (largest step back ${(-worst).toFixed(3)} s)`,
      channel: 'test_time_s',
      row: firstBack,
      count: back,
    });
  }
  const typical = median(dts);
  if (Number.isFinite(typical)) {
    const limit = Math.max(600, 100 * typical);
    let pauses = 0;
    let maxGap = 0;
    let firstPause = -1;
    // A gap is measured from the latest time so far, so that the return after a step back
    // (e.g. a row whose test time was reset to 0) is not also reported as a pause.
    let latest = NaN;
    for (let i = 0; i < t.length; i++) {
      const v = t[i]!;
      if (!Number.isFinite(v)) continue;
      const d = v - latest;
      if (!(v <= latest)) latest = v;
      if (d > limit) {
        if (pauses === 0) firstPause = i;
        pauses++;
        maxGap = Math.max(maxGap, d);
      }
    }
    if (pauses > 0) {
      w.push({
        code: 'DISCERN_TIME_PAUSE',
        message: `${pauses} gap(s) in test_time_s longer than ${limit.toFixed(0)} s; the longest is ${maxGap.toFixed(1)} s`,
        channel: 'test_time_s',
        row: firstPause,
        count: pauses,
      });
    }
  }
  let max = -Infinity;
  for (let i = 0; i < t.length; i++) if (t[i]! > max) max = t[i]!;
  const TEN_YEARS = 10 * 365.25 * 86400;
  if (max > TEN_YEARS) {
    w.push({
      code: 'DISCERN_TIME_UNIT_SUSPECT',
      message: `test_time_s reaches ${max.toExponential(3)} s (${(max / 31557600).toFixed(1)} years): probably milliseconds stored as seconds`,
      channel: 'test_time_s',
    });
  }
  return w;
}

/** Voltage in mV written as V (a cell's median |V| above 20 V is not plausible for a single cell). */
export function checkVoltage(frame: Frame): DataWarning[] {
  const v = floatColumn(frame, 'voltage_V');
  if (v === undefined || v.length === 0) return [];
  const sample: number[] = [];
  const stride = Math.max(1, Math.floor(v.length / 2000));
  for (let i = 0; i < v.length; i += stride) if (Number.isFinite(v[i]!)) sample.push(Math.abs(v[i]!));
  const m = median(sample);
  if (m > 20 && m < 20000) {
    return [
      {
        code: 'DISCERN_VOLTAGE_UNIT_SUSPECT',
        message: `median |voltage_V| is ${m.toFixed(1)} V; the column is probably in mV`,
        channel: 'voltage_V',
      },
    ];
  }
  return [];
}

/** Cycle counter constant, empty, or decreasing. */
export function checkCycles(frame: Frame): DataWarning[] {
  const c = intColumn(frame, 'cycle_index');
  if (c === undefined || frame.length < 2 || frame.meta.kind === 'impedance') return [];
  let valid = 0;
  let min = Infinity;
  let max = -Infinity;
  let decreases = 0;
  let firstDecrease = -1;
  let prev = NaN;
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    if (v < 0) continue;
    valid++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (!Number.isNaN(prev) && v < prev) {
      if (decreases === 0) firstDecrease = i;
      decreases++;
    }
    prev = v;
  }
  if (valid === 0) {
    return [{ code: 'DISCERN_CYCLE_EMPTY', message: 'cycle_index has no values', channel: 'cycle_index' }];
  }
  const w: DataWarning[] = [];
  if (min === max) {
    w.push({
      code: 'DISCERN_CYCLE_CONSTANT',
      message: `cycle_index is ${min} on every row`,
      channel: 'cycle_index',
    });
  }
  if (decreases > 0) {
    w.push({
      code: 'DISCERN_CYCLE_NOT_MONOTONIC',
      message: `cycle_index decreases ${decreases} time(s), first at row ${firstDecrease}`,
      channel: 'cycle_index',
      row: firstDecrease,
      count: decreases,
    });
  }
  return w;
}

/**
 * Converts a float counter column (cycle or step) to Int32 (NaN becomes -1), with a warning when
 * the values are not whole numbers (e.g. the constant 2*pi cycle count of a faulty converter).
 */
export function counterFromFloat(
  values: Float64Array,
  channel: string,
): { values: Int32Array; warnings: DataWarning[] } {
  const out = new Int32Array(values.length);
  let fractional = 0;
  let example = NaN;
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = -1;
      missing++;
      continue;
    }
    const r = Math.round(v);
    if (Math.abs(v - r) > 1e-6) {
      if (fractional === 0) example = v;
      fractional++;
    }
    out[i] = channel === 'cycle_index' && fractional > 0 ? Math.floor(v) : r;
  }
  const warnings: DataWarning[] = [];
  if (fractional > 0) {
    warnings.push({
      code: channel === 'cycle_index' ? 'DISCERN_CYCLE_NOT_INTEGER' : 'DISCERN_NOTE',
      message: `${channel} holds ${fractional} non-integer value(s), e.g. ${example}`,
      channel,
      count: fractional,
    });
  }
  if (missing === values.length && values.length > 0) {
    warnings.push({
      code: channel === 'cycle_index' ? 'DISCERN_CYCLE_EMPTY' : 'DISCERN_STEP_EMPTY',
      message: `${channel} is empty`,
      channel,
    });
  }
  return { values: out, warnings };
}
