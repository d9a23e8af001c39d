import { basename } from 'node:path';
import { DiscernError } from '../core/index.js';
import type { Store } from '../store/index.js';

/** Runs `fn` in one transaction; anything that is not a DiscernError becomes DISCERN_STORE. */
export async function inTransaction<T>(store: Store, what: string, fn: () => Promise<T>): Promise<T> {
  await store.connection.run('BEGIN TRANSACTION');
  try {
    const out = await fn();
    await store.connection.run('COMMIT');
    return out;
  } catch (e) {
    await store.connection.run('ROLLBACK');
    if (e instanceof DiscernError) throw e;
    throw new DiscernError('DISCERN_STORE', `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function slashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Links each catalogue test entry to its stored test (see importCatalogue); returns how many are linked. */
export async function linkStoredTests(store: Store): Promise<number> {
  const links = await store.query('SELECT link_id, file, path FROM catalogue_test_links ORDER BY link_id');
  if (links.length === 0) return 0;
  const sources = await store.query(
    'SELECT ts.test_id, s.path, s.name FROM test_sources ts JOIN source_files s USING (file_id)',
  );
  let linked = 0;
  for (const l of links) {
    const path = slashes(String(l['path']));
    const file = slashes(String(l['file'])).replace(/^(\.\/)+/, '');
    const src = (r: Record<string, unknown>): string => slashes(String(r['path'] ?? r['name']));
    let hit = sources.filter((r) => src(r) === path);
    if (hit.length === 0) hit = sources.filter((r) => src(r).endsWith(`/${file}`));
    if (hit.length === 0) {
      const name = basename(file);
      const byName = sources.filter((r) => basename(src(r)) === name);
      if (new Set(byName.map((r) => Number(r['test_id']))).size === 1) hit = byName;
    }
    const testId = hit[0] === undefined ? null : Number(hit[0]['test_id']);
    await store.connection.run('UPDATE catalogue_test_links SET test_id = $1 WHERE link_id = $2', [
      testId,
      Number(l['link_id']),
    ]);
    if (testId === null) continue;
    linked++;
    await store.connection.run(
      'UPDATE tests SET sample_id = (SELECT sample_id FROM catalogue_test_links WHERE link_id = $1) WHERE test_id = $2',
      [Number(l['link_id']), testId],
    );
    await store.connection.run(
      `INSERT INTO test_protocols (test_id, protocol, temperature_degC, c_rate, charge_c_rate, dod_pct)
       SELECT $1, protocol, temperature_degC, c_rate, charge_c_rate, dod_pct FROM catalogue_test_links WHERE link_id = $2
       ON CONFLICT (test_id) DO UPDATE SET protocol = excluded.protocol, temperature_degC = excluded.temperature_degC,
         c_rate = excluded.c_rate, charge_c_rate = excluded.charge_c_rate, dod_pct = excluded.dod_pct`,
      [testId, Number(l['link_id'])],
    );
  }
  return linked;
}

/**
 * Links catalogue test entries whose files were ingested after the catalogue was imported (one
 * transaction). Safe to call at any time.
 * @returns the number of linked entries and the files still pending
 */
export async function linkCatalogueTests(store: Store): Promise<{ linked: number; pendingFiles: string[] }> {
  return inTransaction(store, 'linking catalogue tests', async () => {
    const linked = await linkStoredTests(store);
    const pending = await store.query(
      'SELECT file FROM catalogue_test_links WHERE test_id IS NULL ORDER BY link_id',
    );
    return { linked, pendingFiles: pending.map((r) => String(r['file'])) };
  });
}
