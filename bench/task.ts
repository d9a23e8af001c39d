// One benchmark task in its own process, so that its peak RSS is its own. Prints one JSON line.
// It runs the built dist/ (what `discern` runs; `npm run bench` builds it first), not src/ through
// tsx, whose CommonJS transform makes every cross-module call go through a getter.
import { closeSync, createReadStream, openSync, readSync, rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { DelimitedStreamParser, detectFormat, sniffInput } from '../dist/ingest/index.js';
import { ingestPaths } from '../dist/app/ingest.js';
import { Store } from '../dist/store/index.js';

const [task, file, db] = process.argv.slice(2) as [string, string, string];

function head(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  const b = new Uint8Array(65536);
  const n = readSync(fd, b, 0, b.length, 0);
  closeSync(fd);
  return b.subarray(0, n);
}

async function main(): Promise<{ rows: number }> {
  if (task === 'parse') {
    // The reader the detector picks for this file (Arbin CSV) and its stream plan.
    const probe = { name: file, bytes: head(file) };
    const plan = detectFormat(probe).streamPlan?.(sniffInput(probe), {});
    if (plan === undefined) throw new Error('the detected reader has no stream plan for this file');
    let rows = 0;
    const p = new DelimitedStreamParser({ ...plan, file, onBatch: (b) => (rows += b.rows) });
    for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) p.push(chunk as Buffer);
    p.end();
    return { rows };
  }
  if (task === 'ingest') {
    rmSync(db, { force: true });
    const store = await Store.open(db);
    try {
      const r = await ingestPaths(store, [file]);
      if (r[0]?.status !== 'ingested') throw new Error(JSON.stringify(r[0]));
      return { rows: r[0].rows ?? 0 };
    } finally {
      store.close();
    }
  }
  if (task === 'duckdb') {
    rmSync(db, { force: true });
    const inst = await DuckDBInstance.create(db);
    const con = await inst.connect();
    await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}')`);
    const n = (await con.runAndReadAll('SELECT count(*)::BIGINT AS n FROM t')).getRowObjectsJS()[0]!['n'];
    con.closeSync();
    inst.closeSync();
    return { rows: Number(n) };
  }
  if (task === 'again') {
    // The same file into the store the 'ingest' task filled: must be found to be a duplicate.
    const store = await Store.open(db);
    try {
      const r = await ingestPaths(store, [file]);
      if (r[0]?.status !== 'duplicate') throw new Error(JSON.stringify(r[0]));
      return { rows: r[0].rows ?? 0 };
    } finally {
      store.close();
    }
  }
  if (task === 'floor') {
    // The rows the 'ingest' task stored (run it first, same db), copied by DuckDB itself table to
    // table on all cores: what storing our shape costs when no parsing or appender is involved.
    const inst = await DuckDBInstance.create(db);
    const con = await inst.connect();
    await con.run('BEGIN TRANSACTION');
    for (const t of ['measurements', 'aux_measurements', 'series_blocks'])
      await con.run(`CREATE TABLE floor_${t} AS SELECT * FROM ${t}`);
    await con.run('COMMIT');
    const n = (
      await con.runAndReadAll('SELECT count(*)::BIGINT AS n FROM floor_measurements')
    ).getRowObjectsJS()[0]!['n'];
    for (const t of ['measurements', 'aux_measurements', 'series_blocks'])
      await con.run(`DROP TABLE floor_${t}`);
    con.closeSync();
    inst.closeSync();
    return { rows: Number(n) };
  }
  throw new Error(`unknown task ${task}`);
}

const t0 = process.hrtime.bigint();
const r = await main();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(
  `${JSON.stringify({ task, seconds, rows: r.rows, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
