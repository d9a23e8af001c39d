import { gatherObservations } from './claim-measures.js';
import type { ClaimRecord, ModelEvidence } from './types.js';

/** Process capability of a set of values against lower and/or upper specification limits. */
export interface Capability {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  std: number;
  /** (USL − mean)/3σ and (mean − LSL)/3σ; null without that limit. */
  cpu: number | null;
  cpl: number | null;
  /** min(Cpu, Cpl) of the limits given; null without limits or with fewer than 2 values or σ = 0. */
  cpk: number | null;
}

/**
 * Cpk = min((USL − μ)/3σ, (μ − LSL)/3σ) with μ the mean and σ the sample standard deviation
 * (n − 1); a one-sided specification gives Cpu or Cpl alone.
 * @example processCapability([9.9, 10.0, 10.1], { lsl: 9.7, usl: 10.3 }).cpk // 1
 */
export function processCapability(
  values: readonly number[],
  limits: { lsl?: number | null; usl?: number | null },
): Capability {
  const n = values.length;
  const mean = n > 0 ? values.reduce((s, v) => s + v, 0) / n : NaN;
  const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  const ok = n > 1 && std > 0;
  const cpu = ok && limits.usl != null ? (limits.usl - mean) / (3 * std) : null;
  const cpl = ok && limits.lsl != null ? (mean - limits.lsl) / (3 * std) : null;
  const both = [cpu, cpl].filter((x): x is number => x !== null);
  return { n, mean, std, cpu, cpl, cpk: both.length > 0 ? Math.min(...both) : null };
}

/** Sample-to-sample spread of one quantity of a cell model. */
export interface Spread extends Capability {
  quantity: 'capacity' | 'dc_resistance' | 'mass';
  unit: string;
  /** Coefficient of variation, %. */
  cvPct: number;
  min: number;
  max: number;
  /** Specification limits used for Cpk and where they come from. */
  lsl: number | null;
  usl: number | null;
  limitsFrom: string;
  values: { sample: string; value: number }[];
}

/** Default tolerances when no claim states one: capacity −3 %, resistance +10 %, mass ± 2 %. */
export const DEFAULT_TOLERANCE = { capacity: 0.03, dc_resistance: 0.1, mass: 0.02 } as const;

function spread(
  quantity: Spread['quantity'],
  unit: string,
  values: { sample: string; value: number }[],
  lsl: number | null,
  usl: number | null,
  limitsFrom: string,
): Spread {
  const v = values.map((x) => x.value);
  const cap = processCapability(v, { lsl, usl });
  return {
    quantity,
    unit,
    ...cap,
    cvPct: v.length > 1 ? (100 * cap.std) / Math.abs(cap.mean) : NaN,
    min: v.length > 0 ? Math.min(...v) : NaN,
    max: v.length > 0 ? Math.max(...v) : NaN,
    lsl,
    usl,
    limitsFrom,
    values,
  };
}

function perSample(claim: ClaimRecord, ev: ModelEvidence): { sample: string; value: number }[] {
  const by = new Map<string, number[]>();
  for (const o of gatherObservations(claim, ev).observations)
    by.set(o.sample, [...(by.get(o.sample) ?? []), o.value]);
  return [...by].map(([sample, v]) => ({ sample, value: v.reduce((s, x) => s + x, 0) / v.length }));
}

/**
 * Consistency of a cell model's samples: capacity (full C/3 discharges at 25 degC), DC
 * resistance (10 s discharge pulses at 50 % SOC, 25 degC) and mass (sample measurements), each
 * with mean, standard deviation, coefficient of variation, range and Cpk. The limits are the
 * model's claim with its tolerance (capacity: lower limit only; resistance: upper limit only;
 * mass: the datasheet mass ± tolerance), else the datasheet value with DEFAULT_TOLERANCE.
 */
export function consistency(ev: ModelEvidence): Spread[] {
  const m = ev.model;
  const capClaim = ev.claims.find((c) => c.kind === 'capacity');
  const capTol = (capClaim?.tolerance_pct ?? 100 * DEFAULT_TOLERANCE.capacity) / 100;
  const capRef = capClaim?.value ?? m.nominalCapacityAh;
  const capacity = perSample(
    {
      id: '_capacity',
      kind: 'capacity',
      value: capRef,
      unit: 'Ah',
      conditions: { c_rate: 1 / 3, temperature_degC: 25 },
    },
    ev,
  );
  const rClaim = ev.claims.find((c) => c.kind === 'dc_resistance');
  const rRef = rClaim ? (rClaim.unit === 'mOhm' ? rClaim.value / 1000 : rClaim.value) : null;
  const rTol = (rClaim?.tolerance_pct ?? 100 * DEFAULT_TOLERANCE.dc_resistance) / 100;
  const resistance = perSample(
    {
      id: '_resistance',
      kind: 'dc_resistance',
      value: rRef ?? 1,
      unit: 'Ohm',
      conditions: { soc_pct: 50, pulse_s: 10, temperature_degC: 25 },
    },
    ev,
  );
  const masses = ev.samples
    .filter((s) => s.massKg !== null)
    .map((s) => ({ sample: s.serial, value: s.massKg! }));
  const mTol = DEFAULT_TOLERANCE.mass;
  return [
    spread(
      'capacity',
      'Ah',
      capacity,
      capRef * (1 - capTol),
      null,
      capClaim
        ? `claim ${capClaim.id} − ${100 * capTol} %`
        : `nominal capacity − ${100 * capTol} % (default)`,
    ),
    spread(
      'dc_resistance',
      'Ohm',
      resistance,
      null,
      rRef !== null ? rRef * (1 + rTol) : null,
      rClaim ? `claim ${rClaim.id} + ${100 * rTol} %` : 'no resistance claim: no limit',
    ),
    spread(
      'mass',
      'kg',
      masses,
      m.massKg !== null ? m.massKg * (1 - mTol) : null,
      m.massKg !== null ? m.massKg * (1 + mTol) : null,
      m.massKg !== null ? `datasheet mass ± ${100 * mTol} % (default)` : 'no datasheet mass: no limits',
    ),
  ];
}
