import { DiscernError } from '../core/index.js';

/**
 * The ranking criteria (docs/methods/ranking.md). Each has a direction: `energy_density` (pack
 * Wh/kg), `cycle_life` (cycles to 80 %), `low_temp_capacity` (% of nominal at the programme's
 * minimum temperature) and `maturity` (0 unproven, 1 promising, 2 mature) are better high;
 * `cost` (pack EUR), `fast_charge` (pack 10-80 % minutes) and `resistance` (pack DC resistance,
 * Ohm) are better low.
 */
export const CRITERIA = [
  'energy_density',
  'cost',
  'fast_charge',
  'cycle_life',
  'low_temp_capacity',
  'maturity',
  'resistance',
] as const;

/** One ranking criterion. */
export type Criterion = (typeof CRITERIA)[number];

/** +1 when a higher value is better, −1 when lower is better. */
export const CRITERION_DIRECTION: Readonly<Record<Criterion, 1 | -1>> = {
  energy_density: 1,
  cost: -1,
  fast_charge: -1,
  cycle_life: 1,
  low_temp_capacity: 1,
  maturity: 1,
  resistance: -1,
};

/**
 * Where a value comes from: `measured` (our tests, via the claim verdicts), `claimed` (the
 * supplier's datasheet claim), `derived` (computed from datasheet data and the pack projection),
 * `prior` (a default by technology, no evidence on this cell).
 */
export type ValueBasis = 'measured' | 'claimed' | 'derived' | 'prior';

/** A criterion value with its basis; `value` null when nothing is known. */
export interface CriterionValue {
  value: number | null;
  basis: ValueBasis | null;
  /** Free text: which claim, test or projection gave it. */
  note?: string;
}

/** A candidate cell as the ranking sees it: plain values, no store. */
export interface RankCandidate {
  id: string;
  values: Partial<Record<Criterion, CriterionValue>>;
  /** Hard-constraint failures found outside the ranking (e.g. the pack cannot be laid out). */
  failures?: string[];
  /** Other values constraints may test (not scored), e.g. `cell_cost_EUR_per_kWh`. */
  attributes?: Record<string, number | null>;
}

/**
 * A hard constraint: the value of criterion or attribute `key` `op` limit, else the candidate is
 * flagged.
 */
export interface RankConstraint {
  key: Criterion | string;
  op: '<=' | '>=';
  limit: number;
  /** What the user sees, e.g. "10-80 % in 30 min or less". */
  label: string;
}

/** Options of {@link rankCandidates}. */
export interface RankOptions {
  constraints?: readonly RankConstraint[];
  /** Weight multipliers of the sensitivity study; default [0.5, 1.5] (each weight ±50 %). */
  sensitivityFactors?: readonly number[];
}

/** One candidate in the ranking. */
export interface RankRow {
  id: string;
  /** 1-based rank: feasible candidates first, then by score (descending), ties by id. */
  rank: number;
  /** Weighted mean of the normalised criteria, 0..1. */
  score: number;
  /** Normalised value per criterion, 0 (worst of the set) .. 1 (best); 0 when the value is missing. */
  normalised: Partial<Record<Criterion, number>>;
  /** Weighted contribution per criterion (sums to `score`). */
  contribution: Partial<Record<Criterion, number>>;
  /** No hard constraint failed and none is unknown. */
  feasible: boolean;
  /** Failed constraints, and constraints that could not be checked (prefixed "unknown: "). */
  flags: string[];
  /** Criteria with a missing value (scored as the worst). */
  missing: Criterion[];
  /** Criteria whose value is only claimed (or a prior), not measured or derived. */
  unverified: Criterion[];
  pareto: boolean;
  /** Ids of candidates that dominate this one. */
  dominatedBy: string[];
}

/** The ranking after one weight moved. */
export interface SensitivityCase {
  criterion: Criterion;
  factor: number;
  weights: Record<Criterion, number>;
  /** Rank per candidate id. */
  ranks: Record<string, number>;
  /** New rank − base rank per candidate id (negative = moved up). */
  changes: Record<string, number>;
  /** Id of the first-ranked candidate in this case. */
  top: string | undefined;
}

/** How each candidate's rank moves over all sensitivity cases. */
export interface SensitivitySummary {
  id: string;
  baseRank: number;
  bestRank: number;
  worstRank: number;
  /** Largest |rank change| over the cases. */
  maxChange: number;
}

/** Result of {@link rankCandidates}. */
export interface RankResult {
  /** The weights used, normalised to sum 1. */
  weights: Record<Criterion, number>;
  rows: RankRow[];
  /** Ids of the non-dominated candidates (over the criteria with non-zero weight), in rank order. */
  paretoFront: string[];
  sensitivity: { cases: SensitivityCase[]; summary: SensitivitySummary[]; topStable: boolean };
}

const EPS = 1e-12;

/** Direction-adjusted value (higher = better), −Infinity when missing. */
function utility(c: RankCandidate, k: Criterion): number {
  const v = c.values[k]?.value;
  return v === null || v === undefined || !Number.isFinite(v) ? -Infinity : CRITERION_DIRECTION[k] * v;
}

/**
 * Min-max normalisation per criterion over the candidate set, direction-aware: the best value gets
 * 1, the worst 0; a criterion on which all known values are equal gives 1 to each; a missing
 * value gives 0.
 */
export function normaliseCriteria(
  candidates: readonly RankCandidate[],
): Map<string, Partial<Record<Criterion, number>>> {
  const out = new Map<string, Partial<Record<Criterion, number>>>();
  for (const c of candidates) out.set(c.id, {});
  for (const k of CRITERIA) {
    const known = candidates.map((c) => utility(c, k)).filter((u) => u > -Infinity);
    const lo = Math.min(...known);
    const hi = Math.max(...known);
    for (const c of candidates) {
      const u = utility(c, k);
      const n = u === -Infinity ? 0 : hi - lo <= EPS * Math.max(1, Math.abs(hi)) ? 1 : (u - lo) / (hi - lo);
      out.get(c.id)![k] = n;
    }
  }
  return out;
}

/** True when `a` is at least as good as `b` on every criterion of `keys` and better on one. */
export function dominates(a: RankCandidate, b: RankCandidate, keys: readonly Criterion[]): boolean {
  let better = false;
  for (const k of keys) {
    const ua = utility(a, k);
    const ub = utility(b, k);
    if (ua < ub) return false;
    if (ua > ub) better = true;
  }
  return better;
}

function normaliseWeights(weights: Partial<Record<Criterion, number>>): Record<Criterion, number> {
  let sum = 0;
  for (const k of CRITERIA) {
    const w = weights[k] ?? 0;
    if (!(Number.isFinite(w) && w >= 0))
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `weight of ${k} must be a number >= 0 (got ${w})`);
    sum += w;
  }
  if (!(sum > 0)) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'at least one weight must be > 0');
  const out = {} as Record<Criterion, number>;
  for (const k of CRITERIA) out[k] = (weights[k] ?? 0) / sum;
  return out;
}

interface Scored {
  id: string;
  score: number;
  feasible: boolean;
}

/** Order: feasible first, then score descending (ties within 1e-12), then id ascending. */
function order(rows: Scored[]): Scored[] {
  return [...rows].sort((a, b) => {
    if (a.feasible !== b.feasible) return a.feasible ? -1 : 1;
    if (Math.abs(a.score - b.score) > EPS) return b.score - a.score;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

function scoreAll(
  candidates: readonly RankCandidate[],
  norm: Map<string, Partial<Record<Criterion, number>>>,
  weights: Record<Criterion, number>,
  feasible: Map<string, boolean>,
): Map<string, number> {
  const scored: Scored[] = candidates.map((c) => {
    const n = norm.get(c.id)!;
    let s = 0;
    for (const k of CRITERIA) s += weights[k] * (n[k] ?? 0);
    return { id: c.id, score: s, feasible: feasible.get(c.id)! };
  });
  const ranks = new Map<string, number>();
  order(scored).forEach((r, i) => ranks.set(r.id, i + 1));
  return ranks;
}

/**
 * Multi-criteria ranking of candidate cells: weighted sum of min-max normalised criteria, hard
 * constraints (a failed or unknown constraint flags the candidate and ranks it after the feasible
 * ones), the Pareto front over the criteria with non-zero weight (missing = worst), and the
 * sensitivity of the ranking to each weight moved by the given factors (default ×0.5 and ×1.5).
 * Pure; see docs/methods/ranking.md.
 * @throws DISCERN_BAD_ARGUMENT for negative or all-zero weights, duplicate ids or an empty set.
 * @example rankCandidates(cells, { cost: 3, fast_charge: 2 }).rows[0].id
 */
export function rankCandidates(
  candidates: readonly RankCandidate[],
  weights: Partial<Record<Criterion, number>>,
  options: RankOptions = {},
): RankResult {
  if (candidates.length === 0) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'no candidates to rank');
  const ids = new Set<string>();
  for (const c of candidates) {
    if (ids.has(c.id)) throw new DiscernError('DISCERN_BAD_ARGUMENT', `duplicate candidate id ${c.id}`);
    ids.add(c.id);
  }
  const w = normaliseWeights(weights);
  const active = CRITERIA.filter((k) => w[k] > 0);
  const norm = normaliseCriteria(candidates);

  const flags = new Map<string, string[]>();
  const feasible = new Map<string, boolean>();
  for (const c of candidates) {
    const f = [...(c.failures ?? [])];
    for (const con of options.constraints ?? []) {
      const v =
        (c.values as Record<string, CriterionValue | undefined>)[con.key]?.value ?? c.attributes?.[con.key];
      if (v === null || v === undefined || !Number.isFinite(v)) f.push(`unknown: ${con.label}`);
      else if (con.op === '<=' ? !(v <= con.limit) : !(v >= con.limit))
        f.push(`fails: ${con.label} (${fmt(v)})`);
    }
    flags.set(c.id, f);
    feasible.set(c.id, f.length === 0);
  }

  const baseRanks = scoreAll(candidates, norm, w, feasible);
  const dominatedBy = new Map<string, string[]>();
  for (const b of candidates)
    dominatedBy.set(
      b.id,
      candidates.filter((a) => a !== b && dominates(a, b, active)).map((a) => a.id),
    );

  const rows: RankRow[] = candidates.map((c) => {
    const n = norm.get(c.id)!;
    const contribution: Partial<Record<Criterion, number>> = {};
    let score = 0;
    for (const k of CRITERIA) {
      contribution[k] = w[k] * (n[k] ?? 0);
      score += contribution[k];
    }
    const missing = CRITERIA.filter((k) => utility(c, k) === -Infinity);
    const unverified = CRITERIA.filter((k) => {
      const b = c.values[k]?.basis;
      return b === 'claimed' || b === 'prior';
    });
    return {
      id: c.id,
      rank: baseRanks.get(c.id)!,
      score,
      normalised: n,
      contribution,
      feasible: feasible.get(c.id)!,
      flags: flags.get(c.id)!,
      missing,
      unverified,
      pareto: dominatedBy.get(c.id)!.length === 0,
      dominatedBy: dominatedBy.get(c.id)!.sort(),
    };
  });
  rows.sort((a, b) => a.rank - b.rank);

  const cases: SensitivityCase[] = [];
  const factors = options.sensitivityFactors ?? [0.5, 1.5];
  for (const k of active) {
    for (const factor of factors) {
      if (!(factor >= 0))
        throw new DiscernError('DISCERN_BAD_ARGUMENT', `sensitivity factor must be >= 0 (got ${factor})`);
      const moved = { ...w, [k]: w[k] * factor };
      const cw = normaliseWeights(moved);
      const ranks = scoreAll(candidates, norm, cw, feasible);
      const r: Record<string, number> = {};
      const changes: Record<string, number> = {};
      let top: string | undefined;
      for (const row of rows) {
        r[row.id] = ranks.get(row.id)!;
        changes[row.id] = r[row.id]! - row.rank;
        if (r[row.id] === 1) top = row.id;
      }
      cases.push({ criterion: k, factor, weights: cw, ranks: r, changes, top });
    }
  }
  const summary: SensitivitySummary[] = rows.map((row) => {
    const all = [row.rank, ...cases.map((c) => c.ranks[row.id]!)];
    return {
      id: row.id,
      baseRank: row.rank,
      bestRank: Math.min(...all),
      worstRank: Math.max(...all),
      maxChange: Math.max(0, ...cases.map((c) => Math.abs(c.changes[row.id]!))),
    };
  });
  const top = rows[0]!.id;
  return {
    weights: w,
    rows,
    paretoFront: rows.filter((r) => r.pareto).map((r) => r.id),
    sensitivity: { cases, summary, topStable: cases.every((c) => c.top === top) },
  };
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
}
