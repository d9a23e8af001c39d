import { DiscernError, type DataWarning } from '../core/index.js';
import type { Store, TestRecord } from '../store/index.js';
import type { Principal } from './users.js';

/**
 * Per-supplier confidentiality. A test belongs to the supplier reached through
 * tests.sample_id -> samples.cell_model_id -> cell_models.supplier_id -> suppliers; a user sees
 * it when they are an admin, hold a grant for that supplier's key (its slug, else its name), or
 * the chain ends before a supplier (a test without a sample is visible to every logged-in user).
 */
const CHAIN = `
  FROM tests t
  LEFT JOIN samples s ON s.sample_id = t.sample_id
  LEFT JOIN cell_models cm ON cm.cell_model_id = s.cell_model_id
  LEFT JOIN suppliers sup ON sup.supplier_id = cm.supplier_id`;

/** SQL of the supplier key of `alias` (a row of suppliers). */
export function supplierKeySql(alias: string): string {
  return `coalesce(${alias}.slug, ${alias}.name)`;
}

/** A SQL condition (with `$k` placeholders starting at `first`) that a supplier row is visible. */
function visibleSql(p: Principal, alias: string, first: number): { sql: string; params: string[] } {
  if (p.suppliers === '*') return { sql: 'TRUE', params: [] };
  if (p.suppliers.length === 0) return { sql: `${alias}.supplier_id IS NULL`, params: [] };
  const marks = p.suppliers.map((_, k) => `$${first + k}`).join(', ');
  return {
    sql: `(${alias}.supplier_id IS NULL OR ${supplierKeySql(alias)} IN (${marks}))`,
    params: [...p.suppliers],
  };
}

/** A test as the overview lists it. */
export interface TestSummary {
  test_id: number;
  name: string;
  format: string;
  vendor: string;
  kind: string;
  rows: number;
  cycles: number | null;
  sample: string | null;
  cell_model: string | null;
  supplier: string | null;
  start_unix_s: number | null;
  warnings: { code: string; message: string }[];
}

/** What a user may see of the lab. */
export interface Overview {
  suppliers: { id: string; name: string }[];
  cell_models: {
    id: string;
    supplier: string | null;
    chemistry: string | null;
    format: string | null;
    nominal_capacity_Ah: number | null;
  }[];
  samples: { serial: string; cell_model: string | null; state: string | null }[];
  tests: TestSummary[];
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function warningsOf(v: unknown): { code: string; message: string }[] {
  const list = (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as DataWarning[];
  return list.map((w) => ({ code: w.code, message: w.message }));
}

function toSummary(r: Record<string, unknown>): TestSummary {
  return {
    test_id: Number(r['test_id']),
    name: String(r['name']),
    format: String(r['format']),
    vendor: String(r['vendor']),
    kind: String(r['kind']),
    rows: Number(r['rows']),
    cycles: num(r['cycles']),
    sample: str(r['sample']),
    cell_model: str(r['cell_model']),
    supplier: str(r['supplier']),
    start_unix_s: num(r['start_unix_s']),
    warnings: warningsOf(r['warnings']),
  };
}

const TEST_COLUMNS = `t.test_id, t.name, t.format, t.vendor, t.kind, t.rows, t.cycles, t.start_unix_s,
  t.warnings, s.serial AS sample, cm.name AS cell_model, ${supplierKeySql('sup')} AS supplier`;

/** Suppliers, cell models, samples and tests the principal may see. */
export async function overview(store: Store, p: Principal): Promise<Overview> {
  const v = visibleSql(p, 'sup', 1);
  const suppliers = await store.query(
    `SELECT ${supplierKeySql('sup')} AS id, sup.name FROM suppliers sup
     WHERE ${v.sql} ORDER BY id`,
    v.params,
  );
  const models = await store.query(
    `SELECT cm.name AS id, ${supplierKeySql('sup')} AS supplier, cm.chemistry, cm.format, cm.nominal_capacity_Ah
     FROM cell_models cm LEFT JOIN suppliers sup ON sup.supplier_id = cm.supplier_id
     WHERE ${v.sql} ORDER BY cm.name`,
    v.params,
  );
  const samples = await store.query(
    `SELECT s.serial, cm.name AS cell_model, s.state FROM samples s
     LEFT JOIN cell_models cm ON cm.cell_model_id = s.cell_model_id
     LEFT JOIN suppliers sup ON sup.supplier_id = cm.supplier_id
     WHERE ${v.sql} ORDER BY s.serial`,
    v.params,
  );
  const tests = await store.query(
    `SELECT ${TEST_COLUMNS} ${CHAIN} WHERE ${v.sql} ORDER BY t.test_id`,
    v.params,
  );
  return {
    suppliers: suppliers.map((r) => ({ id: String(r['id']), name: String(r['name']) })),
    cell_models: models.map((r) => ({
      id: String(r['id']),
      supplier: str(r['supplier']),
      chemistry: str(r['chemistry']),
      format: str(r['format']),
      nominal_capacity_Ah: num(r['nominal_capacity_Ah']),
    })),
    samples: samples.map((r) => ({
      serial: String(r['serial']),
      cell_model: str(r['cell_model']),
      state: str(r['state']),
    })),
    tests: tests.map(toSummary),
  };
}

/**
 * A stored test the principal may see, with its sample, cell model and supplier.
 * @throws DISCERN_NOT_FOUND when it does not exist or belongs to a supplier the user is not
 *   granted (the same answer, so that its existence is not revealed)
 */
export async function visibleTest(
  store: Store,
  p: Principal,
  testId: number,
): Promise<{ summary: TestSummary; record: TestRecord }> {
  const v = visibleSql(p, 'sup', 2);
  const rows = await store.query(`SELECT ${TEST_COLUMNS} ${CHAIN} WHERE t.test_id = $1 AND ${v.sql}`, [
    testId,
    ...v.params,
  ]);
  const r = rows[0];
  if (r === undefined) throw new DiscernError('DISCERN_NOT_FOUND', `no test ${testId}`);
  return { summary: toSummary(r), record: await store.getTest(testId) };
}

/**
 * The supplier key of a cell model the principal may see.
 * @throws DISCERN_NOT_FOUND when it does not exist or is not visible
 */
export async function visibleCellModel(
  store: Store,
  p: Principal,
  cellModel: string,
): Promise<{ cell_model_id: number; name: string; supplier: string | null }> {
  const v = visibleSql(p, 'sup', 2);
  const rows = await store.query(
    `SELECT cm.cell_model_id, cm.name, ${supplierKeySql('sup')} AS supplier
     FROM cell_models cm LEFT JOIN suppliers sup ON sup.supplier_id = cm.supplier_id
     WHERE cm.name = $1 AND ${v.sql}`,
    [cellModel, ...v.params],
  );
  const r = rows[0];
  if (r === undefined) throw new DiscernError('DISCERN_NOT_FOUND', `no cell model ${cellModel}`);
  return { cell_model_id: Number(r['cell_model_id']), name: String(r['name']), supplier: str(r['supplier']) };
}

/** True when a supplier key is visible to the principal (null = no supplier: visible). */
export function canSeeSupplier(p: Principal, supplier: string | null): boolean {
  return supplier === null || p.suppliers === '*' || p.suppliers.includes(supplier);
}
