import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/app/ingest.js';
import { Store, SCHEMA_VERSION, buildSeriesBlocks, loadFrame } from '../../src/store/index.js';
import { writeArbinCsv } from '../../bench/arbin-csv.js';

// Large files are ingested by the streaming path (a worker thread parses while the main thread
// appends to DuckDB). These tests force it on small files (DISCERN_STREAM_MIN_BYTES) and check it
// against the whole-file readers, which are themselves checked against the fixtures' references.

const dir = mkdtempSync(join(tmpdir(), 'discern-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env['DISCERN_STREAM_MIN_BYTES'];
  delete process.env['DISCERN_INGEST_WORKER'];
});

const fixture = join(import.meta.dirname, '../../../shared/fixtures/beep/FastCharge_000025_CH8.csv');

async function ingestOnce(file: string, db: string, env: Record<string, string>) {
  Object.assign(process.env, env);
  rmSync(db, { force: true });
  const store = await Store.open(db);
  try {
    const [r] = await ingestPaths(store, [file]);
    if (r?.status !== 'ingested') throw new Error(JSON.stringify(r));
    const test = await store.getTest(r.test!.id);
    return { r, test, frame: await loadFrame(store, test) };
  } finally {
    store.close();
  }
}

/** Every channel of two frames is equal, value for value (NaN equal to NaN). */
function expectSameFrames(
  a: Awaited<ReturnType<typeof ingestOnce>>['frame'],
  b: Awaited<ReturnType<typeof ingestOnce>>['frame'],
): void {
  expect(b.length).toBe(a.length);
  expect(b.channels.map((c) => [c.name, c.unit]).sort()).toEqual(
    a.channels.map((c) => [c.name, c.unit]).sort(),
  );
  for (const ch of a.channels) {
    const x = a.columns[ch.name]!;
    const y = b.columns[ch.name]!;
    if (!ArrayBuffer.isView(x) || !ArrayBuffer.isView(y)) continue;
    let bad = -1;
    for (let i = 0; i < x.length; i++) {
      const p = x[i]!;
      const q = y[i]!;
      if (!(p === q || (Number.isNaN(p) && Number.isNaN(q)))) {
        bad = i;
        break;
      }
    }
    expect(bad, `${ch.name} differs at row ${bad}`).toBe(-1);
  }
}

describe('streaming ingest', () => {
  it('gives the same stored test as the whole-file reader on a beep Arbin fixture, in a worker and in-thread', async () => {
    const whole = await ingestOnce(fixture, join(dir, 'whole.duckdb'), {});
    const worker = await ingestOnce(fixture, join(dir, 'worker.duckdb'), { DISCERN_STREAM_MIN_BYTES: '1' });
    const inThread = await ingestOnce(fixture, join(dir, 'thread.duckdb'), {
      DISCERN_STREAM_MIN_BYTES: '1',
      DISCERN_INGEST_WORKER: '0',
    });
    // manifest: 248 rows, all at Cycle_Index 0
    expect(whole.r.rows).toBe(248);
    for (const s of [worker, inThread]) {
      expect(s.r.rows).toBe(248);
      expect(s.test.sha256).toBe(whole.test.sha256);
      expectSameFrames(whole.frame, s.frame);
    }
    // the Arbin Data_Point column is kept as an auxiliary channel and read back in row order
    const dp = worker.frame.columns['aux_data_point'] as Float64Array;
    expect(dp).toBeInstanceOf(Float64Array);
    const firstLine = readFileSync(fixture, 'latin1').split('\n')[1]!;
    expect(dp[0]).toBe(Number(firstLine.split(',')[0]));
  });

  it('streams a 150k-row synthetic Arbin file across many batches like the whole-file reader', async () => {
    const file = join(dir, 'synthetic.csv');
    await writeArbinCsv(file, 150_000);
    const whole = await ingestOnce(file, join(dir, 's-whole.duckdb'), {});
    const streamed = await ingestOnce(file, join(dir, 's-stream.duckdb'), { DISCERN_STREAM_MIN_BYTES: '1' });
    // the generator writes 7200 rows per cycle: 150000 rows are cycles 1 ..= 21
    expect(streamed.r.rows).toBe(150_000);
    expect(streamed.r.cycles).toBe(21);
    expect(whole.r.cycles).toBe(21);
    expectSameFrames(whole.frame, streamed.frame);
    // level 0 of the series pyramid was computed while parsing: it must equal the pyramid that
    // DuckDB builds from the stored rows (GROUP BY row_index // 64), every level, every column
    const store = await Store.open(join(dir, 's-stream.duckdb'));
    try {
      const id = streamed.test.testId;
      const read = () =>
        store.query(
          `SELECT * EXCLUDE (test_id) FROM series_blocks WHERE test_id = ${id} ORDER BY level, block`,
        );
      const fromParse = await read();
      await store.connection.run(`DELETE FROM series_blocks WHERE test_id = ${id}`);
      await buildSeriesBlocks(
        store.connection,
        id,
        streamed.test.channels.map((c) => c.name),
      );
      const fromSql = await read();
      expect(fromParse.length).toBe(
        Math.ceil(150_000 / 64) + Math.ceil(150_000 / 1024) + Math.ceil(150_000 / 16384),
      );
      expect(fromParse).toEqual(fromSql);
      expect(fromParse[0]!['max_voltage_V']).toBeGreaterThan(3);
    } finally {
      store.close();
    }
  });

  it('reports a bad number from the worker with its code and line, and stores nothing', async () => {
    const file = join(dir, 'bad.csv');
    await writeArbinCsv(file, 100_000);
    const lines = readFileSync(file, 'latin1').split('\n');
    const cells = lines[70_001]!.split(',');
    cells[7] = '3.4x1';
    lines[70_001] = cells.join(',');
    writeFileSync(file, lines.join('\n'));
    process.env['DISCERN_STREAM_MIN_BYTES'] = '1';
    const db = join(dir, 'bad.duckdb');
    const store = await Store.open(db);
    try {
      const settings = () =>
        store.query(`SELECT current_setting('threads') AS t, current_setting('memory_limit') AS m`);
      const before = await settings();
      const [r] = await ingestPaths(store, [file]);
      expect(r?.status).toBe('failed');
      // the ingest's own DuckDB settings (one thread, capped memory) are undone after a failure
      expect(await settings()).toEqual(before);
      expect(r?.error?.code).toMatch(/^DISCERN_/);
      expect(r?.error?.line).toBe(70_002);
      expect(await store.query('SELECT count(*) AS n FROM tests')).toEqual([{ n: 0 }]);
      expect(await store.query('SELECT count(*) AS n FROM measurements')).toEqual([{ n: 0 }]);
      expect(await store.query('SELECT count(*) AS n FROM aux_measurements')).toEqual([{ n: 0 }]);
      expect(await store.query('SELECT count(*) AS n FROM aux_channels')).toEqual([{ n: 0 }]);
      // the same store still ingests a good file afterwards
      const good = join(dir, 'good.csv');
      appendFileSync(good, readFileSync(fixture));
      const [g] = await ingestPaths(store, [good]);
      expect(g?.status).toBe('ingested');
      const [again] = await ingestPaths(store, [good]);
      expect(again?.status).toBe('duplicate');
      expect(again?.test?.id).toBe(g?.test?.id);
      expect(again?.rows).toBe(g?.rows);
      expect(await store.query('SELECT count(*) AS n FROM tests')).toEqual([{ n: 1 }]);
      // a different file of the same size is not taken for the stored one (size is only a hint)
      const twin = join(dir, 'twin.csv');
      const bytes = readFileSync(good);
      const at = bytes.lastIndexOf(0x2c) + 1; // first character of the last field
      bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
      writeFileSync(twin, bytes);
      expect(statSync(twin).size).toBe(statSync(good).size);
      const [t] = await ingestPaths(store, [twin]);
      expect(t?.status).toBe('ingested');
      expect(await store.query('SELECT count(*) AS n FROM tests')).toEqual([{ n: 2 }]);
    } finally {
      store.close();
    }
  });
});

describe('schema migration', () => {
  it('moves version-1 auxiliary rows (channel and unit on every row) to aux_channels', async () => {
    const db = join(dir, 'v1.duckdb');
    const made = await ingestOnce(fixture, db, {});
    // rewrite the file's auxiliary rows in the version-1 layout
    {
      const inst = await DuckDBInstance.create(db);
      const c = await inst.connect();
      await c.run(`CREATE TABLE old_aux AS SELECT a.test_id, a.row_index, ch.channel, ch.unit, a.value
                   FROM aux_measurements a JOIN aux_channels ch USING (test_id, channel_id)`);
      await c.run('DROP TABLE aux_measurements');
      await c.run('DELETE FROM aux_channels');
      await c.run('ALTER TABLE old_aux RENAME TO aux_measurements');
      await c.run(`UPDATE discern_meta SET value = '1' WHERE key = 'schema_version'`);
      c.closeSync();
      inst.closeSync();
    }
    const store = await Store.open(db);
    try {
      const test = await store.getTest(made.test.testId);
      expectSameFrames(made.frame, await loadFrame(store, test));
      expect(await store.query(`SELECT value FROM discern_meta WHERE key = 'schema_version'`)).toEqual([
        { value: String(SCHEMA_VERSION) },
      ]);
      const cols = await store.query(
        `SELECT column_name FROM duckdb_columns() WHERE table_name = 'aux_measurements' ORDER BY column_index`,
      );
      expect(cols.map((r) => r['column_name'])).toEqual(['test_id', 'row_index', 'channel_id', 'value']);
    } finally {
      store.close();
    }
  });

  it('refuses a file written by a newer schema version, naming the file', async () => {
    const db = join(dir, 'newer.duckdb');
    const store = await Store.open(db);
    await store.connection.run(
      `UPDATE discern_meta SET value = '${SCHEMA_VERSION + 1}' WHERE key = 'schema_version'`,
    );
    store.close();
    await expect(Store.open(db)).rejects.toMatchObject({ code: 'DISCERN_STORE', file: db });
    // the refused file is not left open: it can be opened (and fixed) again at once
    await expect(Store.open(db)).rejects.toMatchObject({ code: 'DISCERN_STORE' });
  });
});
