import { DiscernError } from '../core/index.js';
import type { CatalogueCellModel, CatalogueClaim, ClaimKind } from './catalogue-schema.js';
import {
  cellVolumeL,
  projectPack,
  type PackCell,
  type PackDrive,
  type PackProjection,
  type PackTarget,
} from './pack.js';
import type { Criterion, CriterionValue, RankCandidate, ValueBasis } from './rank.js';

/** A claim with what our measurements say about it (the shape of engineer A's claim verdicts). */
export interface ClaimEvidence {
  claim: CatalogueClaim;
  verdict?: string;
  measured?: { mean: number | null; std?: number | null; n: number; unit: string } | null;
}

/** Maturity levels (docs/methods/maturity.md) and their criterion value. */
export const MATURITY_SCORE = { unproven: 0, promising: 1, mature: 2 } as const;
/** A maturity level. */
export type MaturityLevel = keyof typeof MATURITY_SCORE;

/**
 * Maturity prior by chemistry when the store has no verdict (research/industry.md §5: LFP and
 * high-Ni NMC/NCA with graphite mature; LMFP, ultra-high-Ni, Na-ion and semi-solid promising;
 * all-solid-state unproven). Always marked basis `prior`.
 */
export const MATURITY_PRIOR: Readonly<Record<string, MaturityLevel>> = {
  LFP: 'mature',
  NMC532: 'mature',
  NMC622: 'mature',
  NMC811: 'mature',
  NCA: 'mature',
  LMFP: 'promising',
  NMC955: 'promising',
  SIB: 'promising',
  'semi-solid': 'promising',
  ASSB: 'unproven',
};

/** A cell property with its basis. */
export interface Resolved {
  value: number;
  basis: ValueBasis;
  note: string;
}

/** The cell's properties the ranking uses, each from a measurement where there is one. */
export interface ResolvedCell {
  capacityAh: Resolved;
  massKg: Resolved | null;
  volumeL: Resolved | null;
  resistanceOhm: Resolved | null;
  fastCharge10to80Min: Resolved | null;
  cycleLife: Resolved | null;
  lowTempCapacityPercent: Resolved | null;
  costPerKWhEur: Resolved | null;
}

const NOT_MEASURED = new Set(['not_measured', 'not_comparable']);

/** A claim's value and unit: the measured mean when the verdict has one, else the claimed value. */
function claimValue(e: ClaimEvidence): { value: number; basis: ValueBasis; unit: string } {
  const m = e.measured;
  if (m && m.n > 0 && m.mean !== null && Number.isFinite(m.mean) && !NOT_MEASURED.has(e.verdict ?? ''))
    return { value: m.mean, basis: 'measured', unit: m.unit };
  return { value: e.claim.value, basis: 'claimed', unit: e.claim.unit };
}

function toUnit(v: { value: number; unit: string }, kind: ClaimKind, nominalAh: number): number | null {
  if (kind === 'dc_resistance') return v.unit === 'mOhm' ? v.value / 1000 : v.unit === 'Ohm' ? v.value : null;
  if (kind === 'low_temp_capacity')
    return v.unit === '%' ? v.value : v.unit === 'Ah' ? (100 * v.value) / nominalAh : null;
  return v.value;
}

/** The best evidence of one kind: measured before claimed; among equals the first claim. */
function pick(
  evidence: readonly ClaimEvidence[],
  kind: ClaimKind,
  nominalAh: number,
  accept: (c: CatalogueClaim) => boolean = () => true,
): Resolved | null {
  let best: Resolved | null = null;
  for (const e of evidence) {
    if (e.claim.kind !== kind || !accept(e.claim)) continue;
    const v = claimValue(e);
    const x = toUnit(v, kind, nominalAh);
    if (x === null || !Number.isFinite(x)) continue;
    const r = { value: x, basis: v.basis, note: `${v.basis} ${kind} (claim ${e.claim.id})` };
    if (!best || (best.basis !== 'measured' && r.basis === 'measured')) best = r;
  }
  return best;
}

/**
 * Resolves a catalogue cell model's properties for the ranking: measured values from the claim
 * verdicts where they exist, else the claims and datasheet values (basis `claimed`). Mass falls back
 * to capacity·V_nom / specific energy, volume to capacity·V_nom / energy density; low-temperature
 * capacity uses the claim at the highest temperature not above the programme's minimum.
 * @example resolveCell(model, verdicts, -20).capacityAh.basis // 'measured' once a capacity test exists
 */
export function resolveCell(
  model: CatalogueCellModel,
  evidence: readonly ClaimEvidence[],
  minTemperatureDegC: number,
): ResolvedCell {
  const q0 = model.nominal_capacity_Ah;
  const cap = pick(evidence, 'capacity', q0) ?? {
    value: q0,
    basis: 'claimed',
    note: 'datasheet nominal capacity',
  };
  const e0 = q0 * model.nominal_voltage_V;
  const se = pick(evidence, 'specific_energy', q0);
  const ed = pick(evidence, 'energy_density', q0);
  const mass: Resolved | null =
    model.mass_kg !== undefined
      ? { value: model.mass_kg, basis: 'claimed', note: 'datasheet mass' }
      : se
        ? { value: e0 / se.value, basis: se.basis, note: `from ${se.note}` }
        : null;
  const volume: Resolved | null =
    model.dimensions_mm !== undefined
      ? { value: cellVolumeL(model.dimensions_mm), basis: 'claimed', note: 'datasheet dimensions' }
      : ed
        ? { value: e0 / ed.value, basis: ed.basis, note: `from ${ed.note}` }
        : null;
  // low temperature: the claim closest to (not warmer than) the programme's minimum
  const cold = evidence
    .filter((e) => e.claim.kind === 'low_temp_capacity')
    .filter((e) => (e.claim.conditions?.temperature_degC ?? Infinity) <= minTemperatureDegC)
    .sort((a, b) => b.claim.conditions!.temperature_degC! - a.claim.conditions!.temperature_degC!);
  const coldT = cold[0]?.claim.conditions?.temperature_degC;
  return {
    capacityAh: cap,
    massKg: mass,
    volumeL: volume,
    resistanceOhm: pick(evidence, 'dc_resistance', q0),
    fastCharge10to80Min: pick(evidence, 'fast_charge_10_80', q0),
    cycleLife: pick(evidence, 'cycle_life', q0),
    lowTempCapacityPercent:
      coldT === undefined
        ? null
        : pick(evidence, 'low_temp_capacity', q0, (c) => c.conditions?.temperature_degC === coldT),
    costPerKWhEur:
      model.cost_per_kWh_EUR !== undefined
        ? { value: model.cost_per_kWh_EUR, basis: 'claimed', note: 'datasheet cost' }
        : null,
  };
}

/** A ranked candidate with its pack projection and the values it was built from. */
export interface CandidateBuild {
  candidate: RankCandidate;
  resolved: ResolvedCell;
  projection: PackProjection | null;
  /** Cell cost, EUR/kWh (for the cost-target constraint). */
  cellCostEurPerKWh: number | null;
}

const worst = (...b: (ValueBasis | undefined)[]): ValueBasis =>
  b.includes('prior')
    ? 'prior'
    : b.includes('claimed')
      ? 'claimed'
      : b.includes('derived')
        ? 'derived'
        : 'measured';

/**
 * Builds a ranking candidate: resolves the cell, projects its pack (with the vehicle when `drive`
 * is given) and maps the results to the ranking criteria (docs/methods/ranking.md). A pack that
 * cannot be projected (no mass or volume, a bad voltage window) becomes a failure flag.
 * @example buildCandidate(model, verdicts, 'mature', target, drive, -20).candidate.values.fast_charge
 */
export function buildCandidate(
  model: CatalogueCellModel,
  evidence: readonly ClaimEvidence[],
  maturity: { level: MaturityLevel; basis: ValueBasis; note: string } | null,
  target: PackTarget,
  drive: PackDrive | undefined,
  minTemperatureDegC: number,
): CandidateBuild {
  const r = resolveCell(model, evidence, minTemperatureDegC);
  const failures: string[] = [];
  let projection: PackProjection | null = null;
  if (!r.massKg || !r.volumeL) {
    failures.push(`pack not projected: no ${!r.massKg ? 'mass' : 'volume'} (datasheet or claim)`);
  } else {
    const cell: PackCell = {
      id: model.id,
      format: model.format,
      capacityAh: r.capacityAh.value,
      nominalVoltageV: model.nominal_voltage_V,
      maxVoltageV: model.voltage_max_V,
      minVoltageV: model.voltage_min_V,
      massKg: r.massKg.value,
      volumeL: r.volumeL.value,
      costPerKWhEur: r.costPerKWhEur?.value,
      resistanceOhm: r.resistanceOhm?.value,
      fastCharge10to80Min: r.fastCharge10to80Min?.value,
    };
    try {
      projection = projectPack(cell, target, drive);
    } catch (e) {
      if (!(e instanceof DiscernError) || e.code !== 'DISCERN_BAD_ARGUMENT') throw e;
      failures.push(`pack not projected: ${e.message}`);
    }
  }
  const cv = (value: number | null | undefined, basis: ValueBasis | null, note: string): CriterionValue =>
    value === null || value === undefined || !Number.isFinite(value)
      ? { value: null, basis: null, note }
      : { value, basis, note };
  const p = projection;
  const values: Record<Criterion, CriterionValue> = {
    energy_density: cv(
      p?.specificEnergyWhPerKg,
      worst(r.capacityAh.basis, r.massKg?.basis),
      'pack Wh/kg (cell energy / pack mass)',
    ),
    cost: cv(p?.costEur, r.costPerKWhEur?.basis ?? null, 'pack cost, EUR'),
    fast_charge: cv(p?.charge?.minutes, r.fastCharge10to80Min?.basis ?? null, 'pack 10-80 % DC, min'),
    cycle_life: cv(
      r.cycleLife?.value,
      r.cycleLife?.basis ?? null,
      r.cycleLife?.note ?? 'no cycle-life claim',
    ),
    low_temp_capacity: cv(
      r.lowTempCapacityPercent?.value,
      r.lowTempCapacityPercent?.basis ?? null,
      r.lowTempCapacityPercent?.note ?? `no capacity claim at or below ${minTemperatureDegC} degC`,
    ),
    maturity: maturity
      ? { value: MATURITY_SCORE[maturity.level], basis: maturity.basis, note: maturity.note }
      : { value: null, basis: null, note: 'no maturity verdict' },
    resistance: cv(p?.resistanceOhm, r.resistanceOhm?.basis ?? null, 'pack DC resistance, Ohm'),
  };
  return {
    candidate: {
      id: model.id,
      values,
      failures,
      attributes: { cell_cost_EUR_per_kWh: r.costPerKWhEur?.value ?? null },
    },
    resolved: r,
    projection,
    cellCostEurPerKWh: r.costPerKWhEur?.value ?? null,
  };
}
