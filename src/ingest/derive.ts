import type { Frame } from '../core/index.js';
import { floatColumn, intColumn } from '../core/index.js';

/**
 * Step boundaries: a running step counter that increments whenever the step index or cycle index
 * changes (or, when neither exists, whenever the current changes sign class: charge/rest/discharge).
 * Returns the existing `step_count` column when the file has one.
 */
export function stepCountOf(frame: Frame): Int32Array {
  const existing = intColumn(frame, 'step_count');
  if (existing !== undefined) return existing;
  const n = frame.length;
  const out = new Int32Array(n);
  const step = intColumn(frame, 'step_index');
  const cycle = intColumn(frame, 'cycle_index');
  const current = floatColumn(frame, 'current_A');
  let count = 1;
  let prevClass = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      let changed = false;
      if (step !== undefined && step[i] !== step[i - 1]) changed = true;
      if (cycle !== undefined && cycle[i] !== cycle[i - 1]) changed = true;
      if (step === undefined && current !== undefined) {
        const c = currentClass(current[i]!);
        if (c !== prevClass) changed = true;
        prevClass = c;
      }
      if (changed) count++;
    } else if (current !== undefined) prevClass = currentClass(current[0]!);
    out[i] = count;
  }
  return out;
}

function currentClass(i: number): number {
  if (!(Math.abs(i) > 1e-7)) return 0;
  return i > 0 ? 1 : -1;
}

/**
 * Turns a reported capacity or energy (which the instrument resets per step, per cycle or never)
 * into a cumulative series since the start of the test. A reset is a drop to below half of the
 * previous value (or to about zero); small noisy decreases are not resets. NaN is carried over.
 */
export function cumulativeFromReported(reported: Float64Array): Float64Array {
  const n = reported.length;
  const out = new Float64Array(n);
  let offset = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const q = Math.abs(reported[i]!);
    if (Number.isNaN(q)) {
      out[i] = i > 0 ? out[i - 1]! : NaN;
      continue;
    }
    if (!Number.isNaN(prev) && q < prev && (q < 0.5 * prev || q <= 1e-12)) offset += prev;
    out[i] = offset + q;
    prev = q;
  }
  return out;
}

/** Value since the start of each step: cumulative minus the cumulative value just before the step. */
export function perStepFromCumulative(cumulative: Float64Array, stepCount: Int32Array): Float64Array {
  const n = cumulative.length;
  const out = new Float64Array(n);
  let base = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0) base = 0;
    else if (stepCount[i] !== stepCount[i - 1]) base = cumulative[i - 1]!;
    const v = cumulative[i]! - base;
    out[i] = Number.isNaN(v) ? NaN : Math.max(0, v);
  }
  return out;
}

/**
 * Coulomb (or energy) counting by the trapezoid rule: integrates `rate` (A or W) over time (s),
 * keeping only the part with the given sign, and returns Ah or Wh since the start of the test.
 */
export function integrateSigned(time: Float64Array, rate: Float64Array, sign: 1 | -1): Float64Array {
  const n = time.length;
  const out = new Float64Array(n);
  let acc = 0;
  for (let i = 1; i < n; i++) {
    const dt = time[i]! - time[i - 1]!;
    const a = sign * rate[i - 1]!;
    const b = sign * rate[i]!;
    if (dt > 0 && Number.isFinite(a) && Number.isFinite(b)) {
      acc += (0.5 * (Math.max(a, 0) + Math.max(b, 0)) * dt) / 3600;
    }
    out[i] = acc;
  }
  return out;
}
