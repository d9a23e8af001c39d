import { existsSync, statSync } from 'node:fs';
import { arcAnalysis, type ArcAnalysisOptions, type ArcAnalysisResult } from '../analysis/index.js';
import {
  evaluateAbuseRecord,
  OBSERVATION_KEYS,
  type AbuseEvaluation,
  type AbuseRecord,
  type StandardVerdict,
} from '../arbiter/abuse.js';
import { DiscernError, type Frame } from '../core/index.js';
import { readSource, type ColumnMapping } from '../ingest/index.js';
import type { Store } from '../store/index.js';
import { loadFrameRef, type FrameSource } from './frame-ref.js';
import { loadSourceFile } from './files.js';

/** Where the ARC data came from, and what its analysis found. */
export interface ArcReport {
  source: FrameSource;
  result: ArcAnalysisResult;
}

export interface ArcReportOptions extends ArcAnalysisOptions {
  /** DuckDB file for stored tests. */
  db?: string;
  /** IANA zone of naive local times when reading a file. */
  timeZone?: string;
  /** Force a reader by id when reading a file. */
  format?: string;
  /** Read the file with the generic CSV reader and this column mapping. */
  mapping?: ColumnMapping;
}

/**
 * Analyses an ARC run: TEST is a file path (read, not stored; with `mapping`, through the generic
 * CSV reader) or a stored test id or name. See arcAnalysis for the definitions.
 * @throws DISCERN_NOT_FOUND, the readers' and arcAnalysis's errors
 * @example const { result } = await arcReport('run.csv'); result.t2DegC
 */
export async function arcReport(ref: string, options: ArcReportOptions = {}): Promise<ArcReport> {
  let loaded: { frame: Frame; source: FrameSource };
  if (options.mapping !== undefined && existsSync(ref) && statSync(ref).isFile()) {
    const frame = readSource(loadSourceFile(ref), {
      mapping: options.mapping,
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    });
    loaded = { frame, source: { kind: 'file', path: ref } };
  } else {
    loaded = await loadFrameRef(ref, {
      ...(options.db !== undefined ? { db: options.db } : {}),
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
      ...(options.format !== undefined ? { format: options.format } : {}),
    });
  }
  return { source: loaded.source, result: arcAnalysis(loaded.frame, options) };
}

/** A stored abuse record with what was derived from it. */
export interface StoredAbuseRecord {
  abuseId: number;
  sample: string;
  cellModel: string;
  testType: string;
  level: string;
  date: string | null;
  eucarLevel: number;
  eucarSource: 'given' | 'derived';
  eucarDerived: number;
  maxTemperatureDegC: number | null;
  voltageDropV: number | null;
  massLossPct: number | null;
  observations: Record<string, boolean | null>;
  verdicts: StandardVerdict[];
  attachments: string[];
  testId: number | null;
  warnings: string[];
}

/**
 * Stores abuse test records in one transaction. The cell model comes from the record or from the
 * stored sample (catalogue); when both are there they must agree. A linked `test` must be stored.
 * @throws DISCERN_BAD_INPUT (no cell model, or one that contradicts the catalogue),
 *   DISCERN_NOT_FOUND (linked test), DISCERN_STORE
 * @example await addAbuseRecords(store, parseAbuseRecords(text, 'nail.yaml'))
 */
export async function addAbuseRecords(
  store: Store,
  records: readonly AbuseRecord[],
): Promise<{ abuseId: number; record: AbuseRecord; evaluation: AbuseEvaluation }[]> {
  const prepared: {
    record: AbuseRecord;
    evaluation: AbuseEvaluation;
    sampleId: number | null;
    cellModel: string;
    testId: number | null;
  }[] = [];
  for (const record of records) {
    const rows = await store.query(
      `SELECT s.sample_id, m.name AS model FROM samples s LEFT JOIN cell_models m USING (cell_model_id) WHERE s.serial = $1`,
      [record.sample],
    );
    const stored = rows[0];
    const storedModel =
      stored?.['model'] === null || stored?.['model'] === undefined ? undefined : String(stored['model']);
    if (record.cell_model !== undefined && storedModel !== undefined && record.cell_model !== storedModel)
      throw new DiscernError(
        'DISCERN_BAD_INPUT',
        `sample ${record.sample} is a ${storedModel} in the catalogue, not a ${record.cell_model}`,
      );
    const cellModel = record.cell_model ?? storedModel;
    if (cellModel === undefined)
      throw new DiscernError(
        'DISCERN_BAD_INPUT',
        `sample ${record.sample} is not in the catalogue; give its cell_model in the record`,
      );
    const testId = record.test === undefined ? null : (await store.getTest(record.test)).testId;
    prepared.push({
      record,
      evaluation: evaluateAbuseRecord(record),
      sampleId: stored === undefined ? null : Number(stored['sample_id']),
      cellModel,
      testId,
    });
  }
  const c = store.connection;
  const out: { abuseId: number; record: AbuseRecord; evaluation: AbuseEvaluation }[] = [];
  await c.run('BEGIN TRANSACTION');
  try {
    for (const p of prepared) {
      const { record: r, evaluation: e } = p;
      const k = r.conditions;
      const o = r.observations;
      const m = r.results;
      const values = [
        r.sample,
        p.sampleId,
        p.cellModel,
        r.test_type,
        r.level,
        r.date ?? null,
        r.lab ?? null,
        k.soc_pct ?? null,
        k.temperature_degC ?? null,
        k.c_rate ?? null,
        k.current_A ?? null,
        k.force_kN ?? null,
        k.deformation_pct ?? null,
        k.nail_diameter_mm ?? null,
        k.nail_speed_mm_per_s ?? null,
        k.short_resistance_mOhm ?? null,
        k.heating_rate_degC_per_min ?? null,
        k.hold_temperature_degC ?? null,
        k.hold_s ?? null,
        k.charge_limit_V ?? null,
        ...OBSERVATION_KEYS.map((key) => o[key] ?? null),
        m.max_temperature_degC ?? null,
        m.ocv_before_V ?? null,
        m.ocv_after_V ?? null,
        e.voltageDropV,
        m.mass_before_g ?? null,
        m.mass_after_g ?? null,
        m.electrolyte_mass_g ?? null,
        e.massLossPct,
        e.electrolyteMassLossPct,
        m.observation_s ?? null,
        m.warning_delay_s ?? null,
        e.eucarLevel,
        e.eucarSource,
        e.eucarDerived.level,
        JSON.stringify(e.standards),
        JSON.stringify(r.attachments),
        p.testId,
        r.notes ?? null,
        JSON.stringify(e.warnings),
      ];
      const marks = values.map((_, i) => (i === 5 ? `$${i + 1}::DATE` : `$${i + 1}`)).join(', ');
      const rows = await store.query(
        `INSERT INTO abuse_tests (${INSERT_COLUMNS.join(', ')}) VALUES (${marks}) RETURNING abuse_id`,
        values,
      );
      out.push({ abuseId: Number(rows[0]!['abuse_id']), record: r, evaluation: e });
    }
    await c.run('COMMIT');
  } catch (err) {
    await c.run('ROLLBACK');
    if (err instanceof DiscernError) throw err;
    throw new DiscernError(
      'DISCERN_STORE',
      `storing abuse records failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return out;
}

const INSERT_COLUMNS = [
  'sample_serial',
  'sample_id',
  'cell_model',
  'test_type',
  'level',
  'test_date',
  'lab',
  'soc_pct',
  'temperature_degC',
  'c_rate',
  'current_A',
  'force_kN',
  'deformation_pct',
  'nail_diameter_mm',
  'nail_speed_mm_per_s',
  'short_resistance_mOhm',
  'heating_rate_degC_per_min',
  'hold_temperature_degC',
  'hold_s',
  'charge_limit_V',
  ...OBSERVATION_KEYS,
  'max_temperature_degC',
  'ocv_before_V',
  'ocv_after_V',
  'voltage_drop_V',
  'mass_before_g',
  'mass_after_g',
  'electrolyte_mass_g',
  'mass_loss_pct',
  'electrolyte_mass_loss_pct',
  'observation_s',
  'warning_delay_s',
  'eucar_level',
  'eucar_source',
  'eucar_derived',
  'verdicts',
  'attachments',
  'test_id',
  'notes',
  'warnings',
];

/** Filters of {@link listAbuseRecords}. */
export interface AbuseListFilter {
  cellModel?: string;
  sample?: string;
  testType?: string;
}

/**
 * The stored abuse records, oldest first, optionally of one cell model, sample or test type.
 * @example await listAbuseRecords(store, { cellModel: 'NMC811-21700' })
 */
export async function listAbuseRecords(
  store: Store,
  filter: AbuseListFilter = {},
): Promise<StoredAbuseRecord[]> {
  const where: string[] = [];
  const params: string[] = [];
  const add = (column: string, v: string | undefined): void => {
    if (v === undefined) return;
    params.push(v);
    where.push(`${column} = $${params.length}`);
  };
  add('cell_model', filter.cellModel);
  add('sample_serial', filter.sample);
  add('test_type', filter.testType);
  const rows = await store.query(
    `SELECT *, CAST(test_date AS VARCHAR) AS date_text FROM abuse_tests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY abuse_id`,
    params,
  );
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  return rows.map((r) => ({
    abuseId: Number(r['abuse_id']),
    sample: String(r['sample_serial']),
    cellModel: String(r['cell_model']),
    testType: String(r['test_type']),
    level: String(r['level']),
    date: r['date_text'] === null ? null : String(r['date_text']),
    eucarLevel: Number(r['eucar_level']),
    eucarSource: String(r['eucar_source']) === 'given' ? 'given' : 'derived',
    eucarDerived: Number(r['eucar_derived']),
    maxTemperatureDegC: num(r['max_temperature_degC']),
    voltageDropV: num(r['voltage_drop_V']),
    massLossPct: num(r['mass_loss_pct']),
    observations: Object.fromEntries(
      OBSERVATION_KEYS.map((k) => [k, r[k] === null || r[k] === undefined ? null : Boolean(r[k])]),
    ),
    verdicts: json<StandardVerdict[]>(r['verdicts']),
    attachments: json<string[]>(r['attachments']),
    testId: num(r['test_id']),
    warnings: json<string[]>(r['warnings']),
  }));
}

/** The worst EUCAR hazard level recorded for one cell model. */
export interface WorstHazard {
  cellModel: string;
  /** The highest EUCAR level (0-7) over the model's abuse records. */
  eucarLevel: number;
  /** The records that reached it. */
  abuseIds: number[];
  /** Their test types. */
  testTypes: string[];
  /** How many abuse records the model has. */
  tests: number;
}

/**
 * The worst (highest) EUCAR hazard level per cell model over all stored abuse records, for the
 * maturity verdicts (issue 7). Models without abuse records are absent from the map.
 * @example (await worstHazardLevelByCellModel(store)).get('NMC811-21700')?.eucarLevel // e.g. 4
 */
export async function worstHazardLevelByCellModel(store: Store): Promise<Map<string, WorstHazard>> {
  const rows = await store.query(
    'SELECT abuse_id, cell_model, test_type, eucar_level FROM abuse_tests ORDER BY abuse_id',
  );
  const out = new Map<string, WorstHazard>();
  for (const r of rows) {
    const model = String(r['cell_model']);
    const level = Number(r['eucar_level']);
    const id = Number(r['abuse_id']);
    const type = String(r['test_type']);
    const w = out.get(model);
    if (w === undefined)
      out.set(model, { cellModel: model, eucarLevel: level, abuseIds: [id], testTypes: [type], tests: 1 });
    else {
      w.tests++;
      if (level > w.eucarLevel) Object.assign(w, { eucarLevel: level, abuseIds: [id], testTypes: [type] });
      else if (level === w.eucarLevel) {
        w.abuseIds.push(id);
        if (!w.testTypes.includes(type)) w.testTypes.push(type);
      }
    }
  }
  return out;
}

/**
 * Every stored EUCAR level per cell model (one per abuse record, in record order): the shape of
 * `MaturityOptions.eucarLevels` (src/app/evidence.ts). Models without abuse records are absent.
 * @example await maturity(store, { eucarLevels: await eucarLevelsByCellModel(store) })
 */
export async function eucarLevelsByCellModel(store: Store): Promise<Map<string, number[]>> {
  const rows = await store.query('SELECT cell_model, eucar_level FROM abuse_tests ORDER BY abuse_id');
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const model = String(r['cell_model']);
    const list = out.get(model) ?? [];
    list.push(Number(r['eucar_level']));
    out.set(model, list);
  }
  return out;
}
