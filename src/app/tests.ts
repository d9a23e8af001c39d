import { cycleSummary, type CycleSummaryRow } from '../analysis/index.js';
import { Store, exportTest, loadFrame, type ExportFormat, type TestRecord } from '../store/index.js';
import { DiscernError } from '../core/index.js';
import { explainLock } from './server-info.js';

/** The DuckDB file to use: the --db flag, else DISCERN_DB, else ./discern.duckdb. */
export function resolveDbPath(flag?: string): string {
  return flag ?? process.env['DISCERN_DB'] ?? 'discern.duckdb';
}

/**
 * Opens the store, runs `fn`, and always closes it.
 * @throws DISCERN_DB_LOCKED saying which `discern serve` holds the file and what to do, when one does
 */
export async function withStore<T>(dbPath: string, fn: (store: Store) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = await Store.open(dbPath);
  } catch (e) {
    throw explainLock(dbPath, e);
  }
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** All stored tests. */
export async function listTests(store: Store): Promise<TestRecord[]> {
  return store.listTests();
}

/** The per-cycle table of a stored test. */
export async function testCycles(
  store: Store,
  ref: string,
): Promise<{ test: TestRecord; cycles: CycleSummaryRow[] }> {
  const test = await store.getTest(ref);
  const frame = await loadFrame(store, test);
  return { test, cycles: cycleSummary(frame) };
}

/**
 * Exports a stored test to a BDF CSV or Parquet file; the format follows the extension unless given.
 * @throws DISCERN_BAD_ARGUMENT when the extension is neither .csv nor .parquet
 */
export async function exportStoredTest(
  store: Store,
  ref: string,
  outPath: string,
  format?: ExportFormat,
): Promise<{ test: TestRecord; out: string; rows: number; format: ExportFormat }> {
  const test = await store.getTest(ref);
  const f: ExportFormat | undefined =
    format ?? (/\.parquet$/i.test(outPath) ? 'parquet' : /\.csv$/i.test(outPath) ? 'csv' : undefined);
  if (f === undefined)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `cannot tell the export format from ${outPath}; use .csv or .parquet`,
    );
  const rows = await exportTest(store, test, outPath, f);
  return { test, out: outPath, rows, format: f };
}
