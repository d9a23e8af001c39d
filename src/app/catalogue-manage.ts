import { SAMPLE_STATES, TEST_PROTOCOLS, type TestProtocol } from '../arbiter/catalogue-schema.js';
import { DiscernError } from '../core/index.js';
import type { Store } from '../store/index.js';
import { inTransaction } from './catalogue-links.js';

/** What `listCatalogue` lists. */
export type CatalogueListKind = 'suppliers' | 'models' | 'samples' | 'tests';

/**
 * Rows of one catalogue table for display: suppliers (with model counts), cell models (with
 * sample, claim and test counts), samples (with test counts) or linked tests.
 * @throws DISCERN_BAD_ARGUMENT for another kind
 */
export async function listCatalogue(
  store: Store,
  kind: CatalogueListKind,
): Promise<Record<string, unknown>[]> {
  switch (kind) {
    case 'suppliers':
      return store.query(
        `SELECT coalesce(s.slug, s.name) AS id, s.name, s.country,
           (SELECT count(*) FROM cell_models m WHERE m.supplier_id = s.supplier_id) AS models
         FROM suppliers s ORDER BY s.supplier_id`,
      );
    case 'models':
      return store.query(
        `SELECT m.name AS id, coalesce(s.slug, s.name) AS supplier, m.chemistry, m.format,
           m.nominal_capacity_Ah, m.nominal_voltage_V,
           (SELECT count(*) FROM samples x WHERE x.cell_model_id = m.cell_model_id) AS samples,
           (SELECT count(*) FROM claims c WHERE c.cell_model_id = m.cell_model_id) AS claims,
           (SELECT count(*) FROM tests t JOIN samples x ON x.sample_id = t.sample_id
              WHERE x.cell_model_id = m.cell_model_id) AS tests
         FROM cell_models m LEFT JOIN suppliers s USING (supplier_id) ORDER BY m.cell_model_id`,
      );
    case 'samples':
      return store.query(
        `SELECT x.serial, m.name AS cell_model, x.batch, CAST(x.arrival_date AS VARCHAR) AS arrival_date, x.state,
           (SELECT count(*) FROM tests t WHERE t.sample_id = x.sample_id) AS tests
         FROM samples x LEFT JOIN cell_models m USING (cell_model_id) ORDER BY x.sample_id`,
      );
    case 'tests':
      return store.query(
        `SELECT t.test_id, t.name, x.serial AS sample, p.protocol, p.temperature_degC, p.c_rate, p.charge_c_rate, p.dod_pct
         FROM tests t JOIN samples x ON x.sample_id = t.sample_id LEFT JOIN test_protocols p USING (test_id)
         ORDER BY t.test_id`,
      );
    default:
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `list suppliers, models, samples or tests, not "${String(kind)}"`,
      );
  }
}

/** A sample to add (or update) from the command line. */
export interface AddSampleInput {
  serial: string;
  cellModel: string;
  batch?: string;
  /** YYYY-MM-DD. */
  arrivalDate?: string;
  state?: string;
}

/**
 * Adds a sample of a cell model already in the store, or updates it when the serial exists.
 * @throws DISCERN_NOT_FOUND (unknown cell model), DISCERN_BAD_ARGUMENT (state, date)
 */
export async function addSample(
  store: Store,
  s: AddSampleInput,
): Promise<{ serial: string; created: boolean }> {
  const state = s.state ?? 'received';
  if (!(SAMPLE_STATES as readonly string[]).includes(state))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `state must be one of ${SAMPLE_STATES.join(', ')}`);
  if (s.arrivalDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(s.arrivalDate))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `arrival date must be YYYY-MM-DD, got "${s.arrivalDate}"`);
  return inTransaction(store, `adding sample ${s.serial}`, async () => {
    const model = await store.query('SELECT cell_model_id FROM cell_models WHERE name = $1', [s.cellModel]);
    if (model[0] === undefined)
      throw new DiscernError('DISCERN_NOT_FOUND', `no cell model "${s.cellModel}" in the store`);
    const existing = await store.query('SELECT sample_id FROM samples WHERE serial = $1', [s.serial]);
    const params = [
      Number(model[0]['cell_model_id']),
      s.batch ?? null,
      s.arrivalDate ?? null,
      state,
      s.serial,
    ];
    if (existing[0] === undefined)
      await store.connection.run(
        'INSERT INTO samples (cell_model_id, batch, arrival_date, state, serial) VALUES ($1, $2, $3::DATE, $4, $5)',
        params,
      );
    else
      await store.connection.run(
        'UPDATE samples SET cell_model_id = $1, batch = $2, arrival_date = $3::DATE, state = $4 WHERE serial = $5',
        params,
      );
    return { serial: s.serial, created: existing[0] === undefined };
  });
}

/** Conditions of a test linked from the command line. */
export interface LinkTestInput {
  sample: string;
  protocol: string;
  temperatureDegC?: number;
  cRate?: number;
  chargeCRate?: number;
  dodPct?: number;
}

/**
 * Links a stored test (id or name) to a sample with its protocol and conditions.
 * @throws DISCERN_NOT_FOUND (test or sample), DISCERN_BAD_ARGUMENT (protocol)
 */
export async function linkTest(
  store: Store,
  testRef: string,
  l: LinkTestInput,
): Promise<{ testId: number; sample: string; protocol: TestProtocol }> {
  if (!(TEST_PROTOCOLS as readonly string[]).includes(l.protocol))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `protocol must be one of ${TEST_PROTOCOLS.join(', ')}`);
  const test = await store.getTest(testRef);
  return inTransaction(store, `linking test ${testRef}`, async () => {
    const sample = await store.query('SELECT sample_id FROM samples WHERE serial = $1', [l.sample]);
    if (sample[0] === undefined)
      throw new DiscernError('DISCERN_NOT_FOUND', `no sample "${l.sample}" in the store`);
    await store.connection.run('UPDATE tests SET sample_id = $1 WHERE test_id = $2', [
      Number(sample[0]['sample_id']),
      test.testId,
    ]);
    await store.connection.run(
      `INSERT INTO test_protocols (test_id, protocol, temperature_degC, c_rate, charge_c_rate, dod_pct)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (test_id) DO UPDATE SET protocol = excluded.protocol, temperature_degC = excluded.temperature_degC,
         c_rate = excluded.c_rate, charge_c_rate = excluded.charge_c_rate, dod_pct = excluded.dod_pct`,
      [
        test.testId,
        l.protocol,
        l.temperatureDegC ?? null,
        l.cRate ?? null,
        l.chargeCRate ?? null,
        l.dodPct ?? null,
      ],
    );
    return { testId: test.testId, sample: l.sample, protocol: l.protocol as TestProtocol };
  });
}
