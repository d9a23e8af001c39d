// The "done when": `discern ingest ../shared/fixtures --json` reads every instrument file
// and names, with a stable code, every file it does not store. Runs the real CLI on the whole tree.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, haveFixtures } from '../helpers/fixtures.js';

interface Row {
  file: string;
  status: 'ingested' | 'duplicate' | 'failed' | 'skipped';
  format?: string;
  rows?: number;
  error?: { code: string; message: string };
}

/**
 * Files in the fixture tree that are not instrument data, and what discern must say about them.
 * Everything else must be stored.
 */
function expectedOutcome(rel: string): { status: Row['status']; code?: string } | undefined {
  // Other tools' reference outputs (cellpy's normalised frames, fastnda's BTSDA frames as
  // Parquet, NewareNDA's Feather frames) and plain tables are not instrument files.
  if (/^cellpy\/goldens\/.*\.parquet$/.test(rel) || /^fastnda\/.*\.parquet$/.test(rel))
    return { status: 'failed', code: 'DISCERN_UNKNOWN_FORMAT' };
  if (
    [
      'cellpy/steps.csv',
      'cellpy/custom_data_001.csv', // needs a column mapping (generic CSV reader), as in cellpy
      'beep/PredictionDiagnostics_parameters.csv',
      'vehicle/wltc_3b_fastsim.csv',
      'vehicle/wltc_3b_kmh.csv',
    ].includes(rel)
  )
    return { status: 'failed', code: 'DISCERN_UNKNOWN_FORMAT' };
  // Settings, logs and metadata sidecars hold no measurements: skipped, and the message says so.
  if (/_Metadata\.csv$|_metadata\.csv$|\.mps$|\.mpl$/.test(rel))
    return { status: 'skipped', code: 'DISCERN_NOT_DATA' };
  // Documentation, JSON oracles and Feather references are not candidates at all.
  if (/\.(md|json|tsv|ftr)$/.test(rel)) return { status: 'skipped' };
  return undefined;
}

/** Runs the manifest lists with 0 data rows (a Wait technique, an empty Neware test). */
const EMPTY_RUNS = ['biologic-converter/wait.mpr', 'biologic-converter/wait.mpt', 'fastnda/empty.ndax'];

describe.skipIf(!haveFixtures)('discern ingest of the whole fixture tree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'discern-all-'));
  const db = join(dir, 'all.duckdb');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let first: Row[] = [];

  it('stores every instrument file and names every other file with its code', () => {
    const r = runCli(['ingest', FIXTURES, '--db', db, '--json']);
    expect(r.stderr).not.toMatch(/DISCERN_INTERNAL|TypeError|RangeError/);
    first = r.json() as Row[];
    // Exit 2: some files are not instrument data and fail, the others are still stored.
    expect(r.status).toBe(2);
    const surprises: string[] = [];
    for (const row of first) {
      const rel = relative(FIXTURES, row.file).split('\\').join('/');
      const want = expectedOutcome(rel);
      if (want === undefined) {
        if (row.status !== 'ingested' && row.status !== 'duplicate')
          surprises.push(`${rel}: ${row.status} ${row.error?.code ?? ''} ${row.error?.message ?? ''}`);
        else if (!(row.rows! > 0) && !EMPTY_RUNS.includes(rel))
          surprises.push(`${rel}: stored with ${row.rows} rows`);
        continue;
      }
      if (row.status !== want.status || (want.code !== undefined && row.error?.code !== want.code))
        surprises.push(
          `${rel}: ${row.status} ${row.error?.code ?? ''}, expected ${want.status} ${want.code ?? ''}`,
        );
    }
    expect(surprises).toEqual([]);
    // No instrument format is left unsupported: the binary formats are all read.
    expect(first.filter((x) => x.error?.code === 'DISCERN_UNSUPPORTED_FORMAT').map((x) => x.file)).toEqual(
      [],
    );
    for (const ext of ['.mpr', '.nda', '.ndax', '.res', '.mpt', '.DTA', '.txt', '.csv', '.h5']) {
      expect(first.some((x) => x.status === 'ingested' && x.file.endsWith(ext))).toBe(true);
    }
    // Files with the same bytes (the same run copied into two projects) are stored once.
    const stored = first.filter((x) => x.status === 'ingested' || x.status === 'duplicate');
    expect(stored.length).toBeGreaterThan(90);
  });

  it('a second run stores nothing new: every stored file is reported as a duplicate', () => {
    const r = runCli(['ingest', FIXTURES, '--db', db, '--json']);
    const again = r.json() as Row[];
    const before = new Map(first.map((x) => [x.file, x.status]));
    for (const row of again) {
      const was = before.get(row.file);
      if (was === 'ingested' || was === 'duplicate')
        expect(`${row.file}: ${row.status}`).toBe(`${row.file}: duplicate`);
      else expect(row.status).toBe(was);
    }
    const tests = runCli(['tests', '--db', db, '--json']).json() as unknown[];
    expect(tests.length).toBe(first.filter((x) => x.status === 'ingested').length);
  });
});
