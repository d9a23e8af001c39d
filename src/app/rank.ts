import { readFileSync } from 'node:fs';
import { DiscernError } from '../core/index.js';
import { parseCatalogue, type CatalogueCellModel } from '../arbiter/catalogue-schema.js';
import {
  buildCandidate,
  MATURITY_PRIOR,
  type CandidateBuild,
  type ClaimEvidence,
  type MaturityLevel,
} from '../arbiter/candidate.js';
import { CELL_TO_PACK, type PackDrive, type PackTarget } from '../arbiter/pack.js';
import { parseProgramme, type Programme } from '../arbiter/programme.js';
import { rankCandidates, type RankConstraint, type RankResult } from '../arbiter/rank.js';
import type { ValueBasis } from '../arbiter/rank.js';
import { loadCell, loadCycle, loadDcCharger, loadVehicle } from './powertrain.js';
import { evaluateClaims, exportCatalogue, maturity } from './catalogue.js';
import { resolveDbPath, withStore } from './tests.js';
import type { Store } from '../store/index.js';

/** Reads a text file; a missing file is DISCERN_NOT_FOUND, other failures DISCERN_IO. */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'DISCERN_NOT_FOUND' : 'DISCERN_IO';
    throw new DiscernError(code, `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, {
      file: path,
    });
  }
}

/** Where the candidates come from: the cell models, their claim evidence and maturity. */
export interface CandidateSource {
  /** 'store' (measured values through the claim verdicts) or the catalogue file read without a store. */
  kind: 'store' | 'catalogue-file';
  models: CatalogueCellModel[];
  evidence: Map<string, ClaimEvidence[]>;
  maturity: Map<string, { level: MaturityLevel; basis: ValueBasis; note: string }>;
}

/** A maturity verdict from the store, or the chemistry prior. */
function maturityOrPrior(
  model: CatalogueCellModel,
  verdict?: { level: MaturityLevel; decidedBy: string },
): { level: MaturityLevel; basis: ValueBasis; note: string } | undefined {
  if (verdict)
    return { level: verdict.level, basis: 'measured', note: `maturity rule: ${verdict.decidedBy}` };
  const prior = MATURITY_PRIOR[model.chemistry];
  return prior
    ? { level: prior, basis: 'prior', note: `prior for ${model.chemistry} (industry.md §5)` }
    : undefined;
}

/** Candidates from a catalogue file alone: every value is a claim, maturity the chemistry prior. */
export function candidatesFromCatalogueFile(path: string): CandidateSource {
  const text = readText(path);
  const cat = parseCatalogue(text, path);
  const evidence = new Map<string, ClaimEvidence[]>();
  const mat = new Map<string, { level: MaturityLevel; basis: ValueBasis; note: string }>();
  for (const m of cat.cell_models) {
    evidence.set(
      m.id,
      m.claims.map((claim) => ({ claim })),
    );
    const p = maturityOrPrior(m);
    if (p) mat.set(m.id, p);
  }
  return { kind: 'catalogue-file', models: cat.cell_models, evidence, maturity: mat };
}

/** Candidates from the store: the claim verdicts (measured means) and maturity rows. */
export async function candidatesFromStore(db?: string): Promise<CandidateSource> {
  return withStore(resolveDbPath(db), (store) => candidatesFromOpenStore(store));
}

/**
 * Candidates from an open store (the server holds its store open). `visible` limits them to the
 * cell models a user may see (per-supplier confidentiality); without it every model is a candidate.
 */
export async function candidatesFromOpenStore(
  store: Store,
  visible?: ReadonlySet<string>,
): Promise<CandidateSource> {
  const cat = await exportCatalogue(store);
  const models = visible ? cat.cell_models.filter((m) => visible.has(m.id)) : cat.cell_models;
  const evidence = new Map<string, ClaimEvidence[]>();
  for (const m of models) evidence.set(m.id, await evaluateClaims(store, m.id));
  const rows =
    models.length === 0
      ? []
      : (await maturity(store, { cellModels: models.map((m) => m.id) })).filter(
          (r) => r.scope === 'cell_model',
        );
  const mat = new Map<string, { level: MaturityLevel; basis: ValueBasis; note: string }>();
  for (const m of models) {
    // the rule's verdict once a sample was tested; before that the chemistry prior (the rule
    // would only say "unproven: nothing tested", which does not separate the candidates)
    const row = rows.find((r) => r.cell_model === m.id);
    const tested = row && 'samples_tested' in row.evidence && row.evidence.samples_tested > 0;
    const p = maturityOrPrior(m, row && tested ? { level: row.level, decidedBy: row.decided_by } : undefined);
    if (p) mat.set(m.id, p);
  }
  return { kind: 'store', models, evidence, maturity: mat };
}

/** Result of {@link rankProgramme}. */
export interface ProgrammeRanking {
  programme: Programme;
  source: CandidateSource['kind'];
  vehicle: { id: string; name: string; testMassKg: number; publishedWltpRangeKm?: number };
  referencePackMassKg: number;
  referencePackMassSource: string;
  charger: string;
  cycle: string;
  constraints: RankConstraint[];
  candidates: (CandidateBuild & { supplier: string; chemistry: string; format: string })[];
  ranking: RankResult;
}

/**
 * The mass of the vehicle's own pack: the programme's value, else the library vehicle's pack
 * (cells × cell mass / the pouch cell-to-pack ratio: the library packs use the e-208-derived
 * pouch cell).
 * @throws DISCERN_BAD_ARGUMENT when neither the programme nor the vehicle entry gives a pack.
 */
export function referencePackMass(programme: Programme): { kg: number; source: string } {
  if (programme.referencePackMassKg !== undefined)
    return { kg: programme.referencePackMassKg, source: 'programme reference_pack_mass_kg' };
  const entry = loadVehicle(programme.vehicleId);
  if (!entry.pack || entry.pack === undefined)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `vehicle ${programme.vehicleId} has no pack description: give reference_pack_mass_kg in the programme`,
    );
  const cell = loadCell(entry.pack.cell);
  if (cell.massKg === undefined)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `library cell ${cell.id} has no mass: give reference_pack_mass_kg in the programme`,
    );
  const cap = entry.pack.cellCapacityAh ?? cell.capacityAh;
  const cellMass = (cell.massKg * cap) / cell.capacityAh;
  const n = entry.pack.layout.series * entry.pack.layout.parallel;
  const ratio = CELL_TO_PACK.pouch.gravimetric;
  return {
    kg: (n * cellMass) / ratio,
    source: `library pack ${entry.pack.layout.series}s${entry.pack.layout.parallel}p of ${cell.id} (${cellMass.toFixed(3)} kg/cell) / pouch ratio ${ratio}`,
  };
}

/** The hard constraints of a programme. */
export function programmeConstraints(p: Programme): RankConstraint[] {
  return [
    {
      key: 'fast_charge',
      op: '<=',
      limit: p.fastCharge10to80MaxMin,
      label: `10-80 % in ${p.fastCharge10to80MaxMin} min or less`,
    },
    {
      key: 'cell_cost_EUR_per_kWh',
      op: '<=',
      limit: p.cellCostTargetEurPerKWh,
      label: `cell cost at most ${p.cellCostTargetEurPerKWh} EUR/kWh`,
    },
    {
      key: 'low_temp_capacity',
      op: '>=',
      limit: p.minLowTempCapacityPercent,
      label: `at least ${p.minLowTempCapacityPercent} % capacity at ${p.minOperatingTemperatureDegC} degC`,
    },
  ];
}

/**
 * `discern rank PROGRAMME`: projects every candidate cell into the programme's pack and vehicle
 * (WLTC 3b range, 10-80 % DC session) and ranks them (docs/methods/ranking.md).
 * @throws DISCERN_PARSE_BAD_VALUE for a bad programme file; DISCERN_NOT_FOUND for an unknown vehicle,
 * charger or candidate id, or a missing WLTC trace; DISCERN_BAD_ARGUMENT when no candidate is left.
 */
export async function rankProgramme(
  programmePath: string,
  options: { db?: string; catalogue?: string; cycle?: string } = {},
): Promise<ProgrammeRanking> {
  const programme = parseProgramme(readText(programmePath), programmePath);
  const source =
    options.catalogue !== undefined
      ? candidatesFromCatalogueFile(options.catalogue)
      : await candidatesFromStore(options.db);
  return rankCandidatesOf(programme, source, { file: programmePath, cycle: options.cycle });
}

/**
 * Ranks the candidates of `source` for a parsed programme (what `discern rank` and
 * `POST /api/rank` share).
 * @throws DISCERN_NOT_FOUND for an unknown vehicle, charger or candidate id, or a missing WLTC
 * trace; DISCERN_BAD_ARGUMENT when no candidate is left.
 */
export function rankCandidatesOf(
  programme: Programme,
  source: CandidateSource,
  options: { file?: string; cycle?: string | undefined } = {},
): ProgrammeRanking {
  const programmePath = options.file ?? 'programme';
  const entry = loadVehicle(programme.vehicleId);
  const charger = loadDcCharger(programme.chargerId);
  const cycle = loadCycle(options.cycle ?? 'wltc3b');
  const ref = referencePackMass(programme);
  let models = source.models;
  if (programme.candidates) {
    const known = new Set(models.map((m) => m.id));
    const unknown = programme.candidates.filter((c) => !known.has(c));
    if (unknown.length > 0)
      throw new DiscernError('DISCERN_NOT_FOUND', `unknown candidate cell model(s): ${unknown.join(', ')}`, {
        file: programmePath,
      });
    const wanted = new Set(programme.candidates);
    models = models.filter((m) => wanted.has(m.id));
  }
  if (models.length === 0) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'no candidate cell models to rank');
  const target: PackTarget = {
    voltageClass: programme.voltageClass,
    usableEnergyKWh: programme.usableEnergyKWh,
    usableSocWindowPercent: programme.usableSocWindowPercent,
    packAdderEurPerKWh: programme.packAdderEurPerKWh,
    cellToPack: programme.cellToPack,
  };
  const drive: PackDrive = {
    vehicle: entry.vehicle,
    cycle,
    charger,
    referencePackMassKg: ref.kg,
    ...(programme.maxDcChargePowerW !== undefined ? { vehicleMaxPowerW: programme.maxDcChargePowerW } : {}),
  };
  const builds = models.map((m) => ({
    ...buildCandidate(
      m,
      source.evidence.get(m.id) ?? [],
      source.maturity.get(m.id) ?? null,
      target,
      drive,
      programme.minOperatingTemperatureDegC,
    ),
    supplier: m.supplier,
    chemistry: m.chemistry,
    format: m.format,
  }));
  const constraints = programmeConstraints(programme);
  const ranking = rankCandidates(
    builds.map((b) => b.candidate),
    programme.weights,
    { constraints },
  );
  return {
    programme,
    source: source.kind,
    vehicle: {
      id: entry.vehicle.id,
      name: entry.vehicle.name,
      testMassKg: entry.vehicle.testMassKg,
      ...(entry.published['wltpRangeKm'] !== undefined
        ? { publishedWltpRangeKm: entry.published['wltpRangeKm'] }
        : {}),
    },
    referencePackMassKg: ref.kg,
    referencePackMassSource: ref.source,
    charger: charger.id,
    cycle: cycle.name,
    constraints,
    candidates: builds,
    ranking,
  };
}
