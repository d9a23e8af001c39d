import type { TestProtocol } from '../arbiter/catalogue-schema.js';
import { evaluateModelClaims, type ClaimVerdict } from '../arbiter/claims.js';
import { consistency, type Spread } from '../arbiter/consistency.js';
import { chemistryMaturity, modelMaturity, type MaturityRow } from '../arbiter/maturity.js';
import { passport, type Passport } from '../arbiter/passport.js';
import { digestTest, type TestDigest } from '../arbiter/test-digest.js';
import type { CellModelInfo, ClaimRecord, ModelEvidence, SampleInfo } from '../arbiter/types.js';
import { DiscernError } from '../core/index.js';
import { loadFrame, type Store } from '../store/index.js';
import { linkCatalogueTests } from './catalogue-links.js';

// Digests per store and test (keyed by sha256 and link, so a relinked or re-ingested test is redone).
const digestCache = new WeakMap<Store, Map<string, TestDigest>>();

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function volumeL(m: Record<string, unknown>): number | null {
  const h = num(m['height_mm']);
  const d = num(m['diameter_mm']);
  const l = num(m['length_mm']);
  const w = num(m['width_mm']);
  if (h === null) return null;
  if (d !== null) return (Math.PI * (d / 2) ** 2 * h) / 1e6;
  if (l !== null && w !== null) return (l * w * h) / 1e6;
  return null;
}

/** Mass in kg from a sample measurement's value and unit (kg or g). */
function massKg(value: number, unit: string): number | null {
  if (unit === 'kg') return value;
  if (unit === 'g') return value / 1000;
  return null;
}

/** The ids of all cell models in the store, in catalogue order. */
export async function listCellModelIds(store: Store): Promise<string[]> {
  const rows = await store.query('SELECT name FROM cell_models ORDER BY cell_model_id');
  return rows.map((r) => String(r['name']));
}

/**
 * Loads what the arbiter needs about one cell model: datasheet values, claims, samples (with
 * measured masses) and a digest of every stored test linked to its samples (each test is loaded
 * and analysed once per store and cached). Pending catalogue test links are resolved first.
 * @throws DISCERN_NOT_FOUND when the cell model is not in the store
 */
export async function loadModelEvidence(store: Store, cellModelId: string): Promise<ModelEvidence> {
  const rows = await store.query(
    `SELECT m.*, s.slug, s.name AS supplier_name FROM cell_models m
     LEFT JOIN suppliers s USING (supplier_id) WHERE m.name = $1`,
    [cellModelId],
  );
  const m = rows[0];
  if (m === undefined)
    throw new DiscernError('DISCERN_NOT_FOUND', `no cell model "${cellModelId}" in the store`);
  const pending = await store.query('SELECT count(*) AS n FROM catalogue_test_links WHERE test_id IS NULL');
  if (Number(pending[0]?.['n'] ?? 0) > 0) await linkCatalogueTests(store);
  const id = Number(m['cell_model_id']);
  const model: CellModelInfo = {
    id: cellModelId,
    supplier: String(m['slug'] ?? m['supplier_name'] ?? ''),
    supplierName: String(m['supplier_name'] ?? ''),
    chemistry: String(m['chemistry'] ?? ''),
    format: String(m['format'] ?? ''),
    nominalCapacityAh: Number(m['nominal_capacity_Ah']),
    nominalVoltageV: Number(m['nominal_voltage_V']),
    voltageMinV: Number(m['voltage_min_V']),
    voltageMaxV: Number(m['voltage_max_V']),
    massKg: num(m['mass_kg']),
    volumeL: volumeL(m),
    costPerKWhEur: num(m['cost_per_kWh_EUR']),
  };
  const claims: ClaimRecord[] = (
    await store.query('SELECT * FROM claims WHERE cell_model_id = $1 ORDER BY ordinal', [id])
  ).map((c) => {
    const conditions = JSON.parse(String(c['conditions'])) as ClaimRecord['conditions'];
    return {
      id: String(c['claim_key']),
      kind: String(c['kind']) as ClaimRecord['kind'],
      value: Number(c['value']),
      unit: String(c['unit']),
      ...(c['tolerance_pct'] !== null ? { tolerance_pct: Number(c['tolerance_pct']) } : {}),
      ...(conditions && Object.keys(conditions).length > 0 ? { conditions } : {}),
      ...(c['source'] !== null ? { source: String(c['source']) } : {}),
    };
  });
  const sampleRows = await store.query(
    `SELECT s.sample_id, s.serial, s.batch, s.state,
       (SELECT list(struct_pack(value := x.value, unit := x.unit) ORDER BY x.measurement_id)
          FROM sample_measurements x WHERE x.sample_id = s.sample_id AND x.quantity = 'mass') AS masses
     FROM samples s WHERE s.cell_model_id = $1 ORDER BY s.sample_id`,
    [id],
  );
  const samples: SampleInfo[] = sampleRows.map((s) => {
    const masses = (Array.isArray(s['masses']) ? s['masses'] : []) as { value: number; unit: string }[];
    const kg = masses.map((x) => massKg(Number(x.value), String(x.unit))).find((x) => x !== null) ?? null;
    return {
      serial: String(s['serial']),
      batch: s['batch'] === null ? null : String(s['batch']),
      state: String(s['state'] ?? 'received'),
      massKg: kg,
    };
  });
  const links = await store.query(
    `SELECT t.test_id, t.name, t.sha256, s.serial, p.protocol, p.temperature_degC, p.c_rate, p.charge_c_rate, p.dod_pct
     FROM tests t JOIN samples s ON s.sample_id = t.sample_id JOIN test_protocols p ON p.test_id = t.test_id
     WHERE s.cell_model_id = $1 ORDER BY t.test_id`,
    [id],
  );
  let cache = digestCache.get(store);
  if (cache === undefined) digestCache.set(store, (cache = new Map()));
  const tests: TestDigest[] = [];
  for (const l of links) {
    const link = {
      testId: Number(l['test_id']),
      testName: String(l['name']),
      sample: String(l['serial']),
      protocol: String(l['protocol']) as TestProtocol,
      temperatureDegC: num(l['temperature_degC']),
      cRate: num(l['c_rate']),
      chargeCRate: num(l['charge_c_rate']),
      dodPct: num(l['dod_pct']),
    };
    const cell = {
      nominalCapacityAh: model.nominalCapacityAh,
      voltageMinV: model.voltageMinV,
      voltageMaxV: model.voltageMaxV,
    };
    const key = JSON.stringify([l['sha256'], link, cell]);
    let digest = cache.get(key);
    if (digest === undefined) {
      const frame = await loadFrame(store, await store.getTest(link.testId));
      digest = digestTest(frame, link, cell);
      cache.set(key, digest);
    }
    tests.push(digest);
  }
  return { model, claims, samples, tests };
}

/**
 * The verdict on every claim of a cell model (rule in docs/methods/claims.md).
 * @throws DISCERN_NOT_FOUND when the cell model is not in the store
 * @example for (const v of await evaluateClaims(store, 'VC-LFP-280')) console.log(v.claim.id, v.verdict);
 */
export async function evaluateClaims(store: Store, cellModelId: string): Promise<ClaimVerdict[]> {
  return evaluateModelClaims(await loadModelEvidence(store, cellModelId));
}

/**
 * Sample-to-sample spread of capacity, DC resistance and mass of a cell model, with Cpk.
 * @throws DISCERN_NOT_FOUND when the cell model is not in the store
 */
export async function modelConsistency(store: Store, cellModelId: string): Promise<Spread[]> {
  return consistency(await loadModelEvidence(store, cellModelId));
}

/** Options of `maturity`. */
export interface MaturityOptions {
  /**
   * EUCAR hazard levels (0-7) of abuse tests per cell model id (from the abuse records, when
   * there are any); a model without an entry has no abuse results.
   */
  eucarLevels?: ReadonlyMap<string, readonly number[]> | Readonly<Record<string, readonly number[]>>;
  /** Only these cell models (default: all). */
  cellModels?: readonly string[];
}

/**
 * Maturity of every cell model (rule in docs/methods/maturity.md), followed by one row per
 * chemistry. Each row says which part of the rule decided it.
 * @example (await maturity(store)).filter((r) => r.scope === 'cell_model').map((r) => [r.cell_model, r.level])
 */
export async function maturity(store: Store, options: MaturityOptions = {}): Promise<MaturityRow[]> {
  const ids = options.cellModels ?? (await listCellModelIds(store));
  const levels = options.eucarLevels;
  const eucarOf = (id: string): readonly number[] | undefined =>
    levels === undefined
      ? undefined
      : levels instanceof Map
        ? levels.get(id)
        : (levels as Readonly<Record<string, readonly number[]>>)[id];
  const rows: MaturityRow[] = [];
  for (const id of ids) {
    const ev = await loadModelEvidence(store, id);
    const eucar = eucarOf(id);
    rows.push(
      modelMaturity({
        cellModel: id,
        chemistry: ev.model.chemistry,
        supplier: ev.model.supplier,
        samplesTested: new Set(ev.tests.map((t) => t.sample)).size,
        verdicts: evaluateModelClaims(ev),
        cyclesReached: Math.max(0, ...ev.tests.map((t) => t.fade?.cycles.length ?? 0)),
        consistency: consistency(ev),
        ...(eucar !== undefined ? { eucarLevels: eucar } : {}),
      }),
    );
  }
  return [...rows, ...chemistryMaturity(rows)];
}

/**
 * The EU 2023/1542 Annex IV values of a cell model from its measurements, with Battery Pass
 * attribute names (see src/arbiter/passport.ts).
 * @throws DISCERN_NOT_FOUND when the cell model is not in the store
 */
export async function modelPassport(store: Store, cellModelId: string): Promise<Passport> {
  return passport(await loadModelEvidence(store, cellModelId));
}
