import type { ClaimVerdict, Verdict } from './claims.js';
import type { Spread } from './consistency.js';

/** Maturity levels. */
export type MaturityLevel = 'mature' | 'promising' | 'unproven';

/** The thresholds of the maturity rule (docs/methods/maturity.md). */
export const MATURITY_RULE = {
  /** U2: fewer samples tested than this → unproven. */
  minSamplesTested: 2,
  /** M1: samples tested for mature. */
  matureSamplesTested: 3,
  /** M4: a cycle-life claim still running must be on track with at least this share of the claim run. */
  cycleLifeShare: 0.25,
  /** M4 without a cycle-life claim: full cycles run on at least one sample. */
  cyclesWithoutClaim: 500,
  /** M5: capacity coefficient of variation at most this (%), and Cpk at least this when known. */
  maxCapacityCvPct: 2,
  minCapacityCpk: 1,
  /** U1: an EUCAR hazard level at or above this → unproven; M6: at most this for mature. */
  unprovenEucarLevel: 6,
  matureMaxEucarLevel: 4,
} as const;

/** The evidence a maturity verdict rests on. */
export interface MaturityEvidence {
  samples_tested: number;
  claims: Record<Verdict, number>;
  /** Longest run of full ageing cycles on any sample, and the claimed cycle life (null without a claim). */
  cycles_reached: number;
  cycles_claimed: number | null;
  capacity_cv_pct: number | null;
  capacity_cpk: number | null;
  /** Highest EUCAR hazard level of the abuse tests (null when none were given). */
  max_eucar_level: number | null;
}

/** One row of the maturity table: a cell model or a chemistry. */
export interface MaturityRow {
  scope: 'cell_model' | 'chemistry';
  /** The cell model (null for a chemistry row). */
  cell_model: string | null;
  chemistry: string;
  supplier: string | null;
  level: MaturityLevel;
  /** The part of the rule that decided, e.g. "M4: cycle life not shown (300 of 4000 cycles)". */
  decided_by: string;
  evidence: MaturityEvidence | { models: { cell_model: string; supplier: string; level: MaturityLevel }[] };
}

/** What the maturity of one cell model is decided from. */
export interface ModelMaturityInput {
  cellModel: string;
  chemistry: string;
  supplier: string;
  samplesTested: number;
  verdicts: readonly ClaimVerdict[];
  /** Longest run of full ageing cycles on any sample. */
  cyclesReached: number;
  consistency: readonly Spread[];
  /** EUCAR hazard levels (0-7) of the model's abuse tests, when there are any. */
  eucarLevels?: readonly number[];
}

const GOOD: readonly Verdict[] = ['confirmed', 'within_tolerance'];
const JUDGED: readonly Verdict[] = ['confirmed', 'within_tolerance', 'not_confirmed', 'contradicted'];
const fmt = (x: number): string => String(Number(x.toPrecision(3)));

/**
 * Maturity of one cell model: the unproven rules U1-U4 first, then the mature criteria M1-M6;
 * the first rule that fires (or the first mature criterion that fails) is `decided_by`.
 * @example modelMaturity(input).decided_by // "M4: cycle life not shown: 300 of 4000 cycles run"
 */
export function modelMaturity(x: ModelMaturityInput): MaturityRow {
  const R = MATURITY_RULE;
  const count = Object.fromEntries(
    (
      [
        'confirmed',
        'within_tolerance',
        'not_confirmed',
        'contradicted',
        'not_measured',
        'not_comparable',
      ] as const
    ).map((v) => [v, x.verdicts.filter((c) => c.verdict === v).length]),
  ) as Record<Verdict, number>;
  const life = x.verdicts.find((c) => c.claim.kind === 'cycle_life' && JUDGED.includes(c.verdict));
  const lifeClaim = x.verdicts.find((c) => c.claim.kind === 'cycle_life');
  const cap = x.consistency.find((s) => s.quantity === 'capacity');
  const maxEucar = x.eucarLevels && x.eucarLevels.length > 0 ? Math.max(...x.eucarLevels) : null;
  const evidence: MaturityEvidence = {
    samples_tested: x.samplesTested,
    claims: count,
    cycles_reached: x.cyclesReached,
    cycles_claimed: lifeClaim ? lifeClaim.claim.value : null,
    capacity_cv_pct: cap && Number.isFinite(cap.cvPct) ? cap.cvPct : null,
    capacity_cpk: cap?.cpk ?? null,
    max_eucar_level: maxEucar,
  };
  const row = (level: MaturityLevel, decided_by: string): MaturityRow => ({
    scope: 'cell_model',
    cell_model: x.cellModel,
    chemistry: x.chemistry,
    supplier: x.supplier,
    level,
    decided_by,
    evidence,
  });
  const judged = JUDGED.reduce((s, v) => s + count[v], 0);
  const good = GOOD.reduce((s, v) => s + count[v], 0);
  if (maxEucar !== null && maxEucar >= R.unprovenEucarLevel)
    return row('unproven', `U1: abuse test reached EUCAR level ${maxEucar} (≥ ${R.unprovenEucarLevel})`);
  if (x.samplesTested < R.minSamplesTested)
    return row('unproven', `U2: ${x.samplesTested} sample(s) tested (< ${R.minSamplesTested})`);
  if (good === 0) return row('unproven', 'U3: no claim confirmed or within tolerance');
  if (2 * count.contradicted >= judged)
    return row('unproven', `U4: ${count.contradicted} of ${judged} judged claims contradicted (≥ half)`);
  if (x.samplesTested < R.matureSamplesTested)
    return row('promising', `M1: ${x.samplesTested} samples tested (< ${R.matureSamplesTested})`);
  if (count.contradicted > 0)
    return row(
      'promising',
      `M2: claim(s) contradicted: ${x.verdicts
        .filter((c) => c.verdict === 'contradicted')
        .map((c) => c.claim.id)
        .join(', ')}`,
    );
  const capVerdict = x.verdicts.find((c) => c.claim.kind === 'capacity' && GOOD.includes(c.verdict));
  if (!capVerdict) return row('promising', 'M3: no capacity claim confirmed or within tolerance');
  if (life) {
    const share = x.cyclesReached / life.claim.value;
    const shown =
      GOOD.includes(life.verdict) || (life.cycle_life?.on_track === true && share >= R.cycleLifeShare);
    if (!shown)
      return row(
        'promising',
        `M4: cycle life not shown: ${fmt(x.cyclesReached)} of ${fmt(life.claim.value)} cycles run${life.cycle_life?.on_track === false ? ', off track' : ''} (need ${100 * R.cycleLifeShare} % on track or end of life at the claim)`,
      );
  } else if (x.cyclesReached < R.cyclesWithoutClaim)
    return row(
      'promising',
      `M4: ${fmt(x.cyclesReached)} full cycles run and no judged cycle-life claim (need ${R.cyclesWithoutClaim})`,
    );
  if (evidence.capacity_cv_pct === null || evidence.capacity_cv_pct > R.maxCapacityCvPct)
    return row(
      'promising',
      `M5: capacity spread ${evidence.capacity_cv_pct === null ? 'unknown' : `CV ${fmt(evidence.capacity_cv_pct)} %`} (need ≤ ${R.maxCapacityCvPct} %)`,
    );
  if (evidence.capacity_cpk !== null && evidence.capacity_cpk < R.minCapacityCpk)
    return row('promising', `M5: capacity Cpk ${fmt(evidence.capacity_cpk)} (< ${R.minCapacityCpk})`);
  if (maxEucar !== null && maxEucar > R.matureMaxEucarLevel)
    return row('promising', `M6: abuse test reached EUCAR level ${maxEucar} (> ${R.matureMaxEucarLevel})`);
  return row('mature', 'M1-M6: all mature criteria met');
}

/**
 * Maturity of each chemistry from its cell models: mature (C1) with mature models from at least
 * two suppliers, promising (C2) with at least one mature or promising model, else unproven (C3).
 */
export function chemistryMaturity(models: readonly MaturityRow[]): MaturityRow[] {
  const by = new Map<string, MaturityRow[]>();
  for (const m of models)
    if (m.scope === 'cell_model') by.set(m.chemistry, [...(by.get(m.chemistry) ?? []), m]);
  return [...by].map(([chemistry, rows]) => {
    const mature = new Set(rows.filter((r) => r.level === 'mature').map((r) => r.supplier));
    const ok = rows.filter((r) => r.level !== 'unproven');
    const [level, decided_by]: [MaturityLevel, string] =
      mature.size >= 2
        ? ['mature', `C1: mature cell models from ${mature.size} suppliers`]
        : ok.length > 0
          ? [
              'promising',
              `C2: ${ok.length} mature or promising cell model(s), mature from ${mature.size} supplier(s) (need 2)`,
            ]
          : ['unproven', `C3: no mature or promising cell model`];
    return {
      scope: 'chemistry' as const,
      cell_model: null,
      chemistry,
      supplier: null,
      level,
      decided_by,
      evidence: {
        models: rows.map((r) => ({ cell_model: r.cell_model!, supplier: r.supplier ?? '', level: r.level })),
      },
    };
  });
}
