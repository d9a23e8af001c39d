import type { ClaimKind } from './catalogue-schema.js';
import { gatherObservations, type Observation } from './claim-measures.js';
import { sampleStatistics } from './statistics.js';
import type { ClaimRecord, ModelEvidence } from './types.js';

/** The verdict on one claim (rule in docs/methods/claims.md). */
export type Verdict =
  'confirmed' | 'within_tolerance' | 'not_confirmed' | 'contradicted' | 'not_measured' | 'not_comparable';

/** One test's contribution to a verdict. */
export interface ClaimEvidence {
  test_id: number;
  test: string;
  sample: string;
  /** The test's value, in the claim's unit. */
  value: number;
  conditions: Record<string, number | null>;
}

/** A claim, the verdict and what it rests on. */
export interface ClaimVerdict {
  cell_model: string;
  claim: ClaimRecord;
  verdict: Verdict;
  /** Mean, standard deviation and 95 % interval over samples (null when nothing was measured). */
  measured: {
    mean: number | null;
    std: number | null;
    n: number;
    unit: string;
    low: number | null;
    high: number | null;
    confidence: 0.95;
    /**
     * True for a cycle-life claim that no sample has run to end of life: the mean is then the
     * cycles reached so far (a lower bound of the life), not a life.
     */
    lower_bound: boolean;
  };
  /** One value per sample (the mean of its tests). */
  samples: { sample: string; value: number }[];
  evidence: ClaimEvidence[];
  /** Which part of the rule decided (e.g. "interval-above-claim", "cycle-life-off-track"). */
  rule: string;
  reason: string;
  /** Conditions taken as the reference ones because the claim does not state them. */
  assumed: string[];
  /** Cycle life only: end of life reached or projected per sample. */
  cycle_life?: {
    eol_pct: number;
    samples: {
      sample: string;
      reached: boolean;
      cycles: number;
      last_cycle: number;
      projected_cycle: number;
    }[];
    on_track: boolean;
  };
}

/** Method floors: relative uncertainty that does not average out over samples. */
export const METHOD_FLOOR: Record<ClaimKind, number> = {
  capacity: 0.005,
  specific_energy: 0.015,
  energy_density: 0.02,
  round_trip_efficiency: 0.005,
  dc_resistance: 0.03,
  power: 0.03,
  fast_charge_10_80: 0.02,
  low_temp_capacity: 0.01,
  cycle_life: 0.05,
  calendar_life: 0.05,
};

/** An interval wider than this fraction of the mean (half-width) is inconclusive. */
export const INCONCLUSIVE_HALF_WIDTH = 0.1;
/** Cycle life: the samples must have run this share of the claim before extrapolation can contradict it. */
export const CYCLE_LIFE_MIN_SHARE = 0.2;
/** Cycle life: contradicted when even the best sample's projection is below this share of the claim. */
export const CYCLE_LIFE_OFF_TRACK_SHARE = 0.5;

const LOWER_IS_BETTER: readonly ClaimKind[] = ['dc_resistance', 'fast_charge_10_80'];
const fmt = (x: number, d = 4): string => (Number.isFinite(x) ? String(Number(x.toPrecision(d))) : '-');

function perSample(obs: readonly Observation[]): { sample: string; value: number }[] {
  const by = new Map<string, number[]>();
  for (const o of obs) by.set(o.sample, [...(by.get(o.sample) ?? []), o.value]);
  return [...by].map(([sample, v]) => ({ sample, value: v.reduce((s, x) => s + x, 0) / v.length }));
}

/**
 * Evaluates one claim of a cell model against the stored tests of its samples: collects the
 * values measured under comparable conditions (see gatherObservations), averages them per
 * sample, computes the mean and 95 % interval over samples (see sampleStatistics), and applies
 * the verdict rule of docs/methods/claims.md.
 * @example evaluateClaim(evidence.claims[0], evidence).verdict
 */
export function evaluateClaim(claim: ClaimRecord, ev: ModelEvidence): ClaimVerdict {
  const g = gatherObservations(claim, ev);
  const unit = claim.unit === 'mOhm' ? 'Ohm' : claim.unit;
  const claimed = claim.unit === 'mOhm' ? claim.value / 1000 : claim.value;
  const base = {
    cell_model: ev.model.id,
    claim,
    assumed: g.assumed,
    evidence: g.observations.map((o) => ({
      test_id: o.testId,
      test: o.test,
      sample: o.sample,
      value: o.value,
      conditions: o.conditions,
    })),
  };
  const empty = {
    mean: null,
    std: null,
    n: 0,
    unit,
    low: null,
    high: null,
    confidence: 0.95 as const,
    lower_bound: false,
  };
  if (claim.kind === 'calendar_life')
    return {
      ...base,
      verdict: 'not_measured',
      measured: empty,
      samples: [],
      rule: 'no-calendar-tests',
      reason:
        'calendar life needs storage (calendar-ageing) tests, which the catalogue protocols do not include',
    };
  if (g.missing !== undefined && g.observations.length === 0)
    return {
      ...base,
      verdict: 'not_measured',
      measured: empty,
      samples: [],
      rule: 'missing-datum',
      reason: g.missing,
    };
  if (g.protocolTests === 0)
    return {
      ...base,
      verdict: 'not_measured',
      measured: empty,
      samples: [],
      rule: 'no-test',
      reason: `no ${g.protocols.join(' / ')} test is linked to a sample of ${ev.model.id}`,
    };
  if (g.observations.length === 0)
    return {
      ...base,
      verdict: 'not_comparable',
      measured: empty,
      samples: [],
      rule: 'conditions-differ',
      reason: `${g.protocolTests} test(s) measured under other conditions: ${g.mismatches.join('; ')}`,
    };
  const samples = perSample(g.observations);
  const stats = sampleStatistics(
    samples.map((s) => s.value),
    METHOD_FLOOR[claim.kind],
  );
  const measured = {
    mean: stats.mean,
    std: Number.isFinite(stats.std) ? stats.std : null,
    n: stats.n,
    unit,
    low: stats.low,
    high: stats.high,
    confidence: 0.95 as const,
    lower_bound: false,
  };
  const tol = (claim.tolerance_pct ?? 0) / 100;
  const summary = `measured ${fmt(stats.mean)} ${unit} (95 % interval ${fmt(stats.low)} to ${fmt(stats.high)}, n = ${stats.n} sample${stats.n === 1 ? '' : 's'}) against ${fmt(claimed)} ${unit} claimed${tol > 0 ? ` ± ${claim.tolerance_pct} %` : ''}`;
  if (claim.kind === 'cycle_life')
    return cycleLifeVerdict(
      claim,
      claimed,
      tol,
      g.observations,
      samples,
      { ...base, measured, samples },
      summary,
    );
  const { verdict, rule } = scalarVerdict(stats, claimed, tol, !LOWER_IS_BETTER.includes(claim.kind));
  return { ...base, verdict, measured, samples, rule, reason: `${summary}: ${RULE_TEXT[rule]}` };
}

const RULE_TEXT: Record<string, string> = {
  'interval-beyond-claim': 'the whole interval meets the claim',
  'interval-outside-tolerance': "the whole interval is outside the supplier's tolerance",
  inconclusive: 'the interval is too wide to decide (more samples needed)',
  'claim-inside-interval': 'the claim lies inside the interval',
  'mean-inside-tolerance': "the claim is missed but the mean is inside the supplier's tolerance",
  'mean-outside-tolerance': 'the mean misses the tolerance, but not significantly',
};

/**
 * The scalar rule. With the claim C, tolerance τ, limit L = C(1 − τ) (higher is better) or
 * C(1 + τ) (lower is better) and the interval [low, high] of the mean m, in this order:
 * interval beyond C → confirmed; interval beyond L on the wrong side → contradicted; half-width
 * over 10 % of m → not_confirmed; C inside the interval → confirmed; m within L → within_tolerance;
 * otherwise not_confirmed.
 */
export function scalarVerdict(
  s: { mean: number; low: number; high: number; halfWidth: number },
  claimed: number,
  tol: number,
  higherIsBetter: boolean,
): { verdict: Verdict; rule: string } {
  // Mirror lower-is-better claims so that one rule serves both.
  const sign = higherIsBetter ? 1 : -1;
  const m = sign * s.mean;
  const lo = Math.min(sign * s.low, sign * s.high);
  const hi = Math.max(sign * s.low, sign * s.high);
  const c = sign * claimed;
  const limit = higherIsBetter ? claimed * (1 - tol) : claimed * (1 + tol);
  const l = sign * limit;
  if (lo >= c) return { verdict: 'confirmed', rule: 'interval-beyond-claim' };
  if (hi < l) return { verdict: 'contradicted', rule: 'interval-outside-tolerance' };
  if (s.halfWidth > INCONCLUSIVE_HALF_WIDTH * Math.abs(s.mean))
    return { verdict: 'not_confirmed', rule: 'inconclusive' };
  if (hi >= c) return { verdict: 'confirmed', rule: 'claim-inside-interval' };
  if (m >= l) return { verdict: 'within_tolerance', rule: 'mean-inside-tolerance' };
  return { verdict: 'not_confirmed', rule: 'mean-outside-tolerance' };
}

function cycleLifeVerdict(
  claim: ClaimRecord,
  claimed: number,
  tol: number,
  obs: readonly Observation[],
  _samples: readonly { sample: string; value: number }[],
  base: Omit<ClaimVerdict, 'verdict' | 'rule' | 'reason'>,
  summary: string,
): ClaimVerdict {
  const eolPct = claim.conditions?.eol_pct ?? 80;
  // Per sample: the earliest end of life of its tests, else its longest run and best projection.
  const by = new Map<string, { reached: boolean; cycles: number; last: number; projected: number }>();
  for (const o of obs) {
    const e = o.endOfLife!;
    const cur = by.get(o.sample);
    const next = { reached: e.reached, cycles: o.value, last: e.lastCycle, projected: e.projectedCycle };
    if (cur === undefined) by.set(o.sample, next);
    else if (next.reached && (!cur.reached || next.cycles < cur.cycles)) by.set(o.sample, next);
    else if (!cur.reached && !next.reached && next.last > cur.last) by.set(o.sample, next);
  }
  const rows = [...by].map(([sample, r]) => ({
    sample,
    reached: r.reached,
    cycles: r.cycles,
    last_cycle: r.last,
    projected_cycle: r.projected,
  }));
  const limit = claimed * (1 - tol);
  const onTrack = rows.every((r) => r.projected_cycle >= limit);
  const cycleLife = { eol_pct: eolPct, samples: rows, on_track: onTrack };
  const allReached = rows.every((r) => r.reached);
  const done = (verdict: Verdict, rule: string, text: string): ClaimVerdict => ({
    ...base,
    measured: { ...base.measured, lower_bound: !allReached },
    verdict,
    rule,
    reason: `${summary}; ${text}`,
    cycle_life: cycleLife,
  });
  const reached = rows.filter((r) => r.reached);
  const n = rows.length;
  const lowerMean = rows.reduce((s, r) => s + r.cycles, 0) / n;
  if (reached.length === n) {
    const stats = sampleStatistics(
      rows.map((r) => r.cycles),
      METHOD_FLOOR.cycle_life,
    );
    const { verdict, rule } = scalarVerdict(stats, claimed, tol, true);
    return done(verdict, `eol-reached:${rule}`, `all samples reached ${eolPct} %: ${RULE_TEXT[rule]}`);
  }
  if (lowerMean >= claimed)
    return done(
      'confirmed',
      'cycles-beyond-claim',
      `the samples ran on average ${fmt(lowerMean)} cycles (end of life or still running), beyond the claim`,
    );
  if (reached.length > 0) {
    if (2 * reached.length >= n && reached.every((r) => r.cycles < limit))
      return done(
        'contradicted',
        'eol-before-claim',
        `${reached.length} of ${n} samples reached ${eolPct} % before ${fmt(limit)} cycles`,
      );
    return done(
      'not_confirmed',
      'eol-partly-reached',
      `${reached.length} of ${n} samples reached ${eolPct} %; the others are still running`,
    );
  }
  const minLast = Math.min(...rows.map((r) => r.last_cycle));
  const best = Math.max(...rows.map((r) => r.projected_cycle));
  if (minLast >= CYCLE_LIFE_MIN_SHARE * claimed && best < CYCLE_LIFE_OFF_TRACK_SHARE * claimed)
    return done(
      'contradicted',
      'cycle-life-off-track',
      `no sample has reached ${eolPct} % yet, but after ${fmt(minLast)} cycles even the best sample's recent fade rate reaches it at about ${fmt(best, 3)} cycles, under half the claim`,
    );
  return done(
    'not_confirmed',
    onTrack ? 'cycle-life-on-track' : 'cycle-life-off-track-early',
    `no sample has reached ${eolPct} % after ${fmt(minLast)} cycles; extrapolating the recent fade ${onTrack ? 'is on track for' : 'falls short of'} the claim (not a confirmation)`,
  );
}

/** Evaluates every claim of a cell model, in the catalogue's order. */
export function evaluateModelClaims(ev: ModelEvidence): ClaimVerdict[] {
  return ev.claims.map((c) => evaluateClaim(c, ev));
}
