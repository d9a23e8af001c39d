// Synthetic cycling tests with known answers (test helper, not a test file).
import { createFrame, type Frame } from '../../src/core/index.js';
import { completeFrame } from '../../src/ingest/complete.js';

/** One segment: `n` samples every `dt` s; current and voltage as functions of the time in the segment. */
export interface Segment {
  durationS: number;
  dtS: number;
  current: (t: number) => number;
  voltage: (t: number) => number;
  temperature?: (t: number) => number;
  cycle?: number;
  step?: number;
}

/**
 * Builds a completed Frame (derived step and cumulative series, as after ingest). Each segment
 * starts at the timestamp where the previous one ended (a duplicate time), so no integration
 * interval straddles two segments and coulomb counting of constant currents is exact.
 */
export function buildFrame(
  segments: readonly Segment[],
  opts: { stepIndex?: boolean; cycleIndex?: boolean } = {},
): Frame {
  const t: number[] = [];
  const v: number[] = [];
  const i: number[] = [];
  const temp: number[] = [];
  const cyc: number[] = [];
  const step: number[] = [];
  let t0 = 0;
  segments.forEach((s, k) => {
    const n = Math.round(s.durationS / s.dtS);
    for (let j = 0; j <= n; j++) {
      const ts = j * s.dtS;
      t.push(t0 + ts);
      v.push(s.voltage(ts));
      i.push(s.current(ts));
      temp.push(s.temperature ? s.temperature(ts) : 25);
      cyc.push(s.cycle ?? 1);
      step.push(s.step ?? k + 1);
    }
    t0 += n * s.dtS;
  });
  const columns: Record<string, Float64Array | Int32Array> = {
    test_time_s: Float64Array.from(t),
    voltage_V: Float64Array.from(v),
    current_A: Float64Array.from(i),
    temperature_degC: Float64Array.from(temp),
  };
  if (opts.cycleIndex !== false) columns['cycle_index'] = Int32Array.from(cyc);
  if (opts.stepIndex !== false) columns['step_index'] = Int32Array.from(step);
  return completeFrame(createFrame({ columns, meta: { vendor: 'synthetic', format: 'synthetic' } }));
}

/** A constant-current segment with a linear voltage ramp. */
export function cc(
  currentA: number,
  durationS: number,
  v0: number,
  v1: number,
  dtS = 10,
  extra: Partial<Segment> = {},
): Segment {
  return {
    durationS,
    dtS,
    current: () => currentA,
    voltage: (t) => v0 + ((v1 - v0) * t) / durationS,
    ...extra,
  };
}

/** A rest at constant voltage (or relaxing towards `vEnd` exponentially with time constant tau). */
export function rest(durationS: number, v: number, dtS = 10, extra: Partial<Segment> = {}): Segment {
  return { durationS, dtS, current: () => 0, voltage: () => v, ...extra };
}

/** A constant-voltage segment with an exponentially decaying current i0·exp(−t/tau). */
export function cv(
  i0: number,
  tauS: number,
  durationS: number,
  v: number,
  dtS = 1,
  extra: Partial<Segment> = {},
): Segment {
  return { durationS, dtS, current: (t) => i0 * Math.exp(-t / tauS), voltage: () => v, ...extra };
}

/** Seeded uniform random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a seeded generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  const u = rng(seed);
  return () => Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
}
