import type { Frame } from '../core/index.js';
import { floatColumn, intColumn } from '../core/index.js';

/**
 * The derivations below work on a whole column or, with a state object carried from one call to
 * the next, on consecutive batches of a stream (the streaming ingest of large files).
 */

/** Carried state of `stepCountFrom`. */
export interface StepCountState {
  count: number;
  prevStep: number;
  prevCycle: number;
  prevClass: number;
  started: boolean;
}

export function newStepCountState(): StepCountState {
  return { count: 1, prevStep: 0, prevCycle: 0, prevClass: 0, started: false };
}

function currentClass(i: number): number {
  if (!(Math.abs(i) > 1e-7)) return 0;
  return i > 0 ? 1 : -1;
}

/**
 * A running step counter that increments whenever the step index or cycle index changes (or, when
 * there is no step index, whenever the current changes between charge, rest and discharge).
 */
export function stepCountFrom(
  n: number,
  step: Int32Array | undefined,
  cycle: Int32Array | undefined,
  current: Float64Array | undefined,
  state: StepCountState = newStepCountState(),
): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = step !== undefined ? step[i]! : 0;
    const c = cycle !== undefined ? cycle[i]! : 0;
    const k = step === undefined && current !== undefined ? currentClass(current[i]!) : 0;
    if (state.started && (s !== state.prevStep || c !== state.prevCycle || k !== state.prevClass))
      state.count++;
    state.started = true;
    state.prevStep = s;
    state.prevCycle = c;
    state.prevClass = k;
    out[i] = state.count;
  }
  return out;
}

/** The frame's `step_count`, or one derived from its step index, cycle index or current. */
export function stepCountOf(frame: Frame): Int32Array {
  return (
    intColumn(frame, 'step_count') ??
    stepCountFrom(
      frame.length,
      intColumn(frame, 'step_index'),
      intColumn(frame, 'cycle_index'),
      floatColumn(frame, 'current_A'),
    )
  );
}

/** Carried state of `cumulativeFromReported`. */
export interface CumulativeState {
  offset: number;
  prev: number;
  last: number;
}

export function newCumulativeState(): CumulativeState {
  return { offset: 0, prev: NaN, last: NaN };
}

/**
 * Turns a reported capacity or energy (which the instrument resets per step, per cycle or never)
 * into a cumulative series since the start of the test. A reset is a drop to below half of the
 * previous value (or to about zero); small noisy decreases are not resets. NaN is carried over.
 */
export function cumulativeFromReported(
  reported: Float64Array,
  state: CumulativeState = newCumulativeState(),
): Float64Array {
  const n = reported.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = Math.abs(reported[i]!);
    if (Number.isNaN(q)) {
      out[i] = state.last;
      continue;
    }
    const prev = state.prev;
    if (!Number.isNaN(prev) && q < prev && (q < 0.5 * prev || q <= 1e-12)) state.offset += prev;
    out[i] = state.offset + q;
    state.prev = q;
    state.last = out[i]!;
  }
  return out;
}

/** Carried state of `perStepFromCumulative`. */
export interface PerStepState {
  base: number;
  prevStep: number;
  prevCum: number;
}

export function newPerStepState(): PerStepState {
  return { base: 0, prevStep: NaN, prevCum: 0 };
}

/** Value since the start of each step: cumulative minus the cumulative value just before the step. */
export function perStepFromCumulative(
  cumulative: Float64Array,
  stepCount: Int32Array,
  state: PerStepState = newPerStepState(),
): Float64Array {
  const n = cumulative.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = stepCount[i]!;
    if (!Number.isNaN(state.prevStep) && s !== state.prevStep) state.base = state.prevCum;
    const c = cumulative[i]!;
    const v = c - state.base;
    out[i] = Number.isNaN(v) ? NaN : Math.max(0, v);
    state.prevStep = s;
    if (!Number.isNaN(c)) state.prevCum = c;
  }
  return out;
}

/** Carried state of `integrateSigned`. */
export interface IntegrateState {
  acc: number;
  prevT: number;
  prevRate: number;
}

export function newIntegrateState(): IntegrateState {
  return { acc: 0, prevT: NaN, prevRate: NaN };
}

/**
 * Coulomb (or energy) counting by the trapezoid rule: integrates `rate` (A or W) over time (s),
 * keeping only the part with the given sign, and returns Ah or Wh since the start of the test.
 */
export function integrateSigned(
  time: Float64Array,
  rate: Float64Array,
  sign: 1 | -1,
  state: IntegrateState = newIntegrateState(),
): Float64Array {
  const n = time.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    const r = rate[i]!;
    const dt = t - state.prevT;
    const a = sign * state.prevRate;
    const b = sign * r;
    if (dt > 0 && Number.isFinite(a) && Number.isFinite(b)) {
      state.acc += (0.5 * (Math.max(a, 0) + Math.max(b, 0)) * dt) / 3600;
    }
    out[i] = state.acc;
    state.prevT = t;
    state.prevRate = r;
  }
  return out;
}
