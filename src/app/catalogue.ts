import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import {
  parseCatalogue,
  type Catalogue,
  type CatalogueCellModel,
  type CatalogueTestLink,
  type TestProtocol,
} from '../arbiter/catalogue-schema.js';
import { DiscernError } from '../core/index.js';
import type { Store } from '../store/index.js';
import { inTransaction, linkStoredTests } from './catalogue-links.js';

export { linkCatalogueTests } from './catalogue-links.js';
export {
  evaluateClaims,
  listCellModelIds,
  loadModelEvidence,
  maturity,
  modelConsistency,
  modelPassport as passport,
} from './evidence.js';
export type { MaturityOptions } from './evidence.js';

/** Counts of what an import wrote (each entry of the file counts once, new or updated). */
export interface ImportCatalogueResult {
  file: string;
  suppliers: number;
  cellModels: number;
  claims: number;
  samples: number;
  /** Test links in the file, and how many of them found their stored test. */
  tests: number;
  linkedTests: number;
  measurements: number;
  /** Files of `tests:` entries that are not ingested yet (linked by a later import or `linkCatalogueTests`). */
  pendingFiles: string[];
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DiscernError(
      'DISCERN_IO',
      `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { file: path },
    );
  }
}

async function ids(store: Store, sql: string): Promise<string[]> {
  return (await store.query(sql)).map((r) => String(Object.values(r)[0]));
}

/**
 * Imports a catalogue file (YAML or JSON, see docs/catalogue.md) into the store in one
 * transaction. Idempotent: entries are matched by their ids (supplier id, cell model id, sample
 * serial, test file path) and updated in place; a cell model's claims and a sample's
 * measurements are replaced by the file's. `tests:` entries are linked to stored tests whose
 * source file is the entry's path (relative to the catalogue file), else ends with it, else has
 * its base name (when that is unique); entries whose file is not ingested yet stay pending and
 * are linked by a later import or by `linkCatalogueTests`.
 * @throws DISCERN_IO (unreadable file), DISCERN_BAD_INPUT (schema, with file and line), DISCERN_STORE
 * @example const r = await importCatalogue(store, 'lab/catalogue.yaml'); r.pendingFiles
 */
export async function importCatalogue(store: Store, path: string): Promise<ImportCatalogueResult> {
  const text = readText(path);
  const cat = parseCatalogue(text, path, {
    suppliers: await ids(store, 'SELECT slug FROM suppliers WHERE slug IS NOT NULL'),
    cellModels: await ids(store, 'SELECT name FROM cell_models'),
    samples: await ids(store, 'SELECT serial FROM samples'),
  });
  const base = dirname(resolve(path));
  return inTransaction(store, `importing ${path}`, async () => {
    let claims = 0;
    for (const s of cat.suppliers) await upsertSupplier(store, s.id, s.name, s.country ?? null);
    for (const m of cat.cell_models) claims += await upsertCellModel(store, m);
    for (const s of cat.samples)
      await upsertSample(store, s.serial, s.cell_model, s.batch ?? null, s.arrival_date ?? null, s.state);
    for (const t of cat.tests) await upsertLink(store, t, resolve(base, t.file));
    const measured = new Set(cat.measurements.map((m) => m.sample));
    for (const serial of measured)
      await store.connection.run(
        'DELETE FROM sample_measurements WHERE sample_id = (SELECT sample_id FROM samples WHERE serial = $1)',
        [serial],
      );
    for (const m of cat.measurements)
      await store.connection.run(
        `INSERT INTO sample_measurements (sample_id, quantity, value, unit, method, attachment)
         SELECT sample_id, $2, $3, $4, $5, $6 FROM samples WHERE serial = $1`,
        [m.sample, m.quantity, m.value, m.unit, m.method ?? null, m.attachment ?? null],
      );
    await linkStoredTests(store);
    const paths = cat.tests.map((t) => resolve(base, t.file));
    const pending = new Set(
      (await store.query('SELECT path FROM catalogue_test_links WHERE test_id IS NULL')).map((r) =>
        String(r['path']),
      ),
    );
    const pendingFiles = cat.tests.filter((_, k) => pending.has(paths[k]!)).map((t) => t.file);
    return {
      file: path,
      suppliers: cat.suppliers.length,
      cellModels: cat.cell_models.length,
      claims,
      samples: cat.samples.length,
      tests: cat.tests.length,
      linkedTests: cat.tests.length - pendingFiles.length,
      measurements: cat.measurements.length,
      pendingFiles,
    };
  });
}

async function upsertSupplier(
  store: Store,
  slug: string,
  name: string,
  country: string | null,
): Promise<void> {
  const rows = await store.query(
    'SELECT supplier_id, name FROM suppliers WHERE slug = $1 OR (slug IS NULL AND name = $2) ORDER BY slug NULLS LAST',
    [slug, name],
  );
  const row = rows[0];
  if (row === undefined) {
    await store.connection.run('INSERT INTO suppliers (name, slug, country) VALUES ($1, $2, $3)', [
      name,
      slug,
      country,
    ]);
    return;
  }
  const id = Number(row['supplier_id']);
  // An indexed (UNIQUE) column is only written when it changes.
  if (String(row['name']) !== name)
    await store.connection.run('UPDATE suppliers SET name = $1 WHERE supplier_id = $2', [name, id]);
  await store.connection.run('UPDATE suppliers SET slug = $1, country = $2 WHERE supplier_id = $3', [
    slug,
    country,
    id,
  ]);
}

async function upsertCellModel(store: Store, m: CatalogueCellModel): Promise<number> {
  const d = m.dimensions_mm;
  const values = [
    m.chemistry,
    m.nominal_capacity_Ah,
    m.nominal_voltage_V,
    m.format,
    m.voltage_min_V,
    m.voltage_max_V,
    m.mass_kg ?? null,
    d && 'length' in d ? d.length : null,
    d && 'width' in d ? d.width : null,
    d?.height ?? null,
    d && 'diameter' in d ? d.diameter : null,
    m.cost_per_kWh_EUR ?? null,
    m.source ?? null,
    m.supplier,
  ];
  const existing = await store.query('SELECT cell_model_id FROM cell_models WHERE name = $1', [m.id]);
  let id: number;
  if (existing[0] === undefined) {
    const r = await store.query(
      `INSERT INTO cell_models (chemistry, nominal_capacity_Ah, nominal_voltage_V, format, voltage_min_V,
         voltage_max_V, mass_kg, length_mm, width_mm, height_mm, diameter_mm, cost_per_kWh_EUR, source,
         supplier_id, name)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
         (SELECT supplier_id FROM suppliers WHERE slug = $14), $15
       RETURNING cell_model_id`,
      [...values, m.id],
    );
    id = Number(r[0]!['cell_model_id']);
  } else {
    id = Number(existing[0]['cell_model_id']);
    await store.connection.run(
      `UPDATE cell_models SET chemistry = $1, nominal_capacity_Ah = $2, nominal_voltage_V = $3, format = $4,
         voltage_min_V = $5, voltage_max_V = $6, mass_kg = $7, length_mm = $8, width_mm = $9, height_mm = $10,
         diameter_mm = $11, cost_per_kWh_EUR = $12, source = $13,
         supplier_id = (SELECT supplier_id FROM suppliers WHERE slug = $14)
       WHERE cell_model_id = $15`,
      [...values, id],
    );
  }
  await store.connection.run('DELETE FROM claims WHERE cell_model_id = $1', [id]);
  let k = 0;
  for (const c of m.claims)
    await store.connection.run(
      `INSERT INTO claims (cell_model_id, claim_key, ordinal, kind, value, unit, tolerance_pct, conditions, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        c.id,
        k++,
        c.kind,
        c.value,
        c.unit,
        c.tolerance_pct ?? null,
        JSON.stringify(c.conditions ?? {}),
        c.source ?? null,
      ],
    );
  return m.claims.length;
}

async function upsertSample(
  store: Store,
  serial: string,
  cellModel: string,
  batch: string | null,
  arrivalDate: string | null,
  state: string,
): Promise<void> {
  const model = await store.query('SELECT cell_model_id FROM cell_models WHERE name = $1', [cellModel]);
  if (model[0] === undefined)
    throw new DiscernError('DISCERN_NOT_FOUND', `no cell model "${cellModel}" for sample ${serial}`);
  const modelId = Number(model[0]['cell_model_id']);
  const existing = await store.query('SELECT sample_id FROM samples WHERE serial = $1', [serial]);
  if (existing[0] === undefined)
    await store.connection.run(
      'INSERT INTO samples (serial, cell_model_id, batch, arrival_date, state) VALUES ($1, $2, $3, $4::DATE, $5)',
      [serial, modelId, batch, arrivalDate, state],
    );
  else
    await store.connection.run(
      'UPDATE samples SET cell_model_id = $1, batch = $2, arrival_date = $3::DATE, state = $4 WHERE sample_id = $5',
      [modelId, batch, arrivalDate, state, Number(existing[0]['sample_id'])],
    );
}

async function upsertLink(store: Store, t: CatalogueTestLink, path: string): Promise<void> {
  const params = [
    t.file,
    t.sample,
    t.protocol,
    t.temperature_degC ?? null,
    t.c_rate ?? null,
    t.charge_c_rate ?? null,
    t.dod_pct ?? null,
  ];
  const existing = await store.query('SELECT link_id FROM catalogue_test_links WHERE path = $1', [path]);
  if (existing[0] === undefined)
    await store.connection.run(
      `INSERT INTO catalogue_test_links (file, sample_id, protocol, temperature_degC, c_rate, charge_c_rate, dod_pct, path)
       SELECT $1, sample_id, $3, $4, $5, $6, $7, $8 FROM samples WHERE serial = $2`,
      [...params, path],
    );
  else
    await store.connection.run(
      `UPDATE catalogue_test_links SET file = $1, sample_id = (SELECT sample_id FROM samples WHERE serial = $2),
         protocol = $3, temperature_degC = $4, c_rate = $5, charge_c_rate = $6, dod_pct = $7
       WHERE link_id = $8`,
      [...params, Number(existing[0]['link_id'])],
    );
}

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The store's catalogue as a catalogue object (the file format of docs/catalogue.md). Test
 * entries keep the file names they were imported with; tests linked to a sample in another way
 * (`discern catalog link-test`) appear with their source path.
 */
export async function exportCatalogue(store: Store): Promise<Catalogue> {
  const suppliers = await store.query(
    'SELECT supplier_id, slug, name, country FROM suppliers ORDER BY supplier_id',
  );
  const slugOf = new Map<number, string>();
  const out: Catalogue = { suppliers: [], cell_models: [], samples: [], tests: [], measurements: [] };
  for (const s of suppliers) {
    const slug =
      str(s['slug']) ??
      String(s['name'])
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-');
    slugOf.set(Number(s['supplier_id']), slug);
    out.suppliers.push(defined({ id: slug, name: String(s['name']), country: str(s['country']) }));
  }
  const claims = await store.query('SELECT * FROM claims ORDER BY cell_model_id, ordinal');
  for (const m of await store.query('SELECT * FROM cell_models ORDER BY cell_model_id')) {
    const id = Number(m['cell_model_id']);
    const dims =
      num(m['diameter_mm']) !== undefined
        ? { diameter: num(m['diameter_mm'])!, height: num(m['height_mm'])! }
        : num(m['length_mm']) !== undefined
          ? { length: num(m['length_mm'])!, width: num(m['width_mm'])!, height: num(m['height_mm'])! }
          : undefined;
    out.cell_models.push(
      defined({
        id: String(m['name']),
        supplier: slugOf.get(Number(m['supplier_id'])) ?? '',
        chemistry: String(m['chemistry']),
        format: String(m['format']),
        nominal_capacity_Ah: Number(m['nominal_capacity_Ah']),
        nominal_voltage_V: Number(m['nominal_voltage_V']),
        voltage_min_V: Number(m['voltage_min_V']),
        voltage_max_V: Number(m['voltage_max_V']),
        mass_kg: num(m['mass_kg']),
        dimensions_mm: dims,
        cost_per_kWh_EUR: num(m['cost_per_kWh_EUR']),
        claims: claims
          .filter((c) => Number(c['cell_model_id']) === id)
          .map((c) => {
            const conditions = JSON.parse(String(c['conditions'])) as Record<string, number>;
            return defined({
              id: String(c['claim_key']),
              kind: String(c['kind']),
              value: Number(c['value']),
              unit: String(c['unit']),
              tolerance_pct: num(c['tolerance_pct']),
              conditions: Object.keys(conditions).length > 0 ? conditions : undefined,
              source: str(c['source']),
            });
          }),
        source: str(m['source']),
      }) as unknown as CatalogueCellModel,
    );
  }
  const samples = await store.query(
    `SELECT s.serial, m.name AS model, s.batch, CAST(s.arrival_date AS VARCHAR) AS arrival, s.state
     FROM samples s LEFT JOIN cell_models m USING (cell_model_id) ORDER BY s.sample_id`,
  );
  for (const s of samples)
    out.samples.push(
      defined({
        serial: String(s['serial']),
        cell_model: String(s['model']),
        batch: str(s['batch']),
        arrival_date: str(s['arrival']),
        state: (str(s['state']) ?? 'received') as Catalogue['samples'][number]['state'],
      }),
    );
  const tests = await store.query(
    `SELECT coalesce(l.file, (SELECT min(f.path) FROM test_sources ts JOIN source_files f USING (file_id)
              WHERE ts.test_id = p.test_id)) AS file,
            s.serial, p.protocol, p.temperature_degC, p.c_rate, p.charge_c_rate, p.dod_pct
     FROM test_protocols p JOIN tests t USING (test_id) JOIN samples s ON s.sample_id = t.sample_id
     LEFT JOIN catalogue_test_links l ON l.test_id = p.test_id
     UNION ALL
     SELECT l.file, s.serial, l.protocol, l.temperature_degC, l.c_rate, l.charge_c_rate, l.dod_pct
     FROM catalogue_test_links l JOIN samples s USING (sample_id) WHERE l.test_id IS NULL
     ORDER BY 1`,
  );
  for (const t of tests)
    out.tests.push(
      defined({
        file: String(t['file']),
        sample: String(t['serial']),
        protocol: String(t['protocol']) as TestProtocol,
        temperature_degC: num(t['temperature_degC']),
        c_rate: num(t['c_rate']),
        charge_c_rate: num(t['charge_c_rate']),
        dod_pct: num(t['dod_pct']),
      }),
    );
  const meas = await store.query(
    `SELECT s.serial, m.quantity, m.value, m.unit, m.method, m.attachment
     FROM sample_measurements m JOIN samples s USING (sample_id) ORDER BY m.measurement_id`,
  );
  for (const m of meas)
    out.measurements.push(
      defined({
        sample: String(m['serial']),
        quantity: String(m['quantity']),
        value: Number(m['value']),
        unit: String(m['unit']),
        method: str(m['method']),
        attachment: str(m['attachment']),
      }),
    );
  return out;
}

/**
 * Writes a catalogue as YAML (.yaml, .yml) or JSON (.json).
 * @throws DISCERN_BAD_ARGUMENT for another extension; DISCERN_IO when it cannot be written
 */
export function writeCatalogue(cat: Catalogue, path: string): void {
  const text = /\.json$/i.test(path)
    ? `${JSON.stringify(cat, null, 2)}\n`
    : /\.ya?ml$/i.test(path)
      ? stringify(cat)
      : undefined;
  if (text === undefined)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `write the catalogue to a .yaml or .json file, not ${path}`,
    );
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new DiscernError(
      'DISCERN_IO',
      `cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { file: path },
    );
  }
}
