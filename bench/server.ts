// Server benchmark (issue 8): time to first plot of a 10 M-row test (test metadata + a downsampled
// /series of three channels, the first requests after the server starts), zoom requests, and the
// p50/p99 latency of /series under concurrent load (a loop of fetch clients, since autocannon and
// wrk are not installed). Baseline in the same run: reading the whole series out of DuckDB without
// downsampling (what a plot would need without it). The server runs in a child process so the load
// generator does not share its event loop. Run: npm run bench -- server (or node --import tsx
// bench/server.ts; BENCH_ROWS changes the size, BENCH_LOAD_S the seconds per load level).
import { summariseBlocks } from '../dist/store/series-blocks.js';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Column } from '../dist/core/index.js';
import { Store } from '../dist/store/index.js';
import { startServer } from '../dist/server/index.js';
import { machineLine } from './machine.js';

const PASSWORD = 'bench-password';

if (process.env['BENCH_SERVER_CHILD'] !== undefined) {
  const s = await startServer({
    db: process.env['BENCH_SERVER_CHILD'],
    port: 0,
    adminPassword: PASSWORD,
    writeInfo: false,
  });
  process.send!({ url: s.url });
  process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
} else await main();

/** Inserts a synthetic test (1 s sampling, CC cycling with noise) in batches; returns its id. */
async function insertSynthetic(db: string, rows: number): Promise<number> {
  const store = await Store.open(db);
  try {
    const batch = 1_000_000;
    const channels = [
      { name: 'test_time_s', unit: 's' },
      { name: 'voltage_V', unit: 'V' },
      { name: 'current_A', unit: 'A' },
      { name: 'temperature_degC', unit: 'degC' },
    ];
    const r = await store.insertStreamingTest(
      {
        frameMeta: { vendor: 'synthetic', format: 'synthetic', kind: 'timeseries', header: {}, warnings: [] },
        channels,
      },
      'bench-10M',
      async (append) => {
        let seed = 1;
        const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
        for (let first = 0; first < rows; first += batch) {
          const n = Math.min(batch, rows - first);
          const t = new Float64Array(n);
          const v = new Float64Array(n);
          const i = new Float64Array(n);
          const temp = new Float64Array(n);
          for (let k = 0; k < n; k++) {
            const row = first + k;
            const phase = Math.floor(row / 3600) % 2; // one hour charge, one hour discharge
            const s = (row % 3600) / 3600;
            t[k] = row;
            i[k] = phase === 0 ? 2.5 : -2.5;
            v[k] = (phase === 0 ? 3.2 + s : 4.2 - s) + 0.002 * (rand() - 0.5);
            temp[k] = 25 + 3 * s + 0.05 * rand();
          }
          const cols: Record<string, Column> = {
            test_time_s: t,
            voltage_V: v,
            current_A: i,
            temperature_degC: temp,
          };
          append(first, n, cols, summariseBlocks(first, n, cols as Record<string, Float64Array>));
        }
      },
      () => ({ rows, cycles: null, warnings: [], sha256: 'bench'.padEnd(64, '0'), sources: [] }),
    );
    return r.testId;
  } finally {
    store.close();
  }
}

/** Naive baseline: all rows of two channels out of DuckDB into JS (no downsampling), ms. */
async function naiveMs(db: string, id: number): Promise<number> {
  const store = await Store.open(db);
  try {
    const t0 = performance.now();
    const r = await store.connection.runAndReadAll(
      `SELECT test_time_s, voltage_V, current_A, temperature_degC FROM measurements WHERE test_id = ${id} ORDER BY row_index`,
    );
    const cols = r.getColumnsJS();
    const ms = performance.now() - t0;
    if (cols[0]!.length === 0) throw new Error('no rows');
    return ms;
  } finally {
    store.close();
  }
}

function startChild(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SERVER_CHILD: db },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((ok, fail) => {
    child.once('message', (m) => ok({ child, url: (m as { url: string }).url }));
    child.once('exit', (c) => fail(new Error(`server exited ${c}`)));
  });
}

async function timed(url: string, cookie: string): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, body };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(
  urlOf: () => string,
  cookie: string,
  clients: number,
  seconds: number,
): Promise<{ n: number; p50: number; p99: number; rps: number; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        const res = await fetch(urlOf(), { headers: { cookie } });
        await res.arrayBuffer();
        if (!res.ok) errors++;
        lat.push(performance.now() - s);
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { n: lat.length, p50: pct(lat, 50), p99: pct(lat, 99), rps: lat.length / wall, errors };
}

async function main(): Promise<void> {
  const machine = machineLine();
  const rows = Number(process.env['BENCH_ROWS'] ?? 10_000_000);
  const loadS = Number(process.env['BENCH_LOAD_S'] ?? 10);
  const dir = mkdtempSync(join(tmpdir(), 'discern-bench-server-'));
  const db = join(dir, 'bench.duckdb');
  let child: ChildProcess | undefined;
  try {
    const i0 = performance.now();
    const id = await insertSynthetic(db, rows);
    const insertS = (performance.now() - i0) / 1000;
    const naive = await naiveMs(db, id);

    const started = performance.now();
    const srv = await startChild(db);
    child = srv.child;
    const startMs = performance.now() - started;
    const login = await fetch(`${srv.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const base = `${srv.url}/api/tests/${id}`;
    const full = `${base}/series?channels=voltage_V,current_A,temperature_degC&points=1200`;
    // Time to first plot: metadata + the first downsampled series (cold: first request of the process).
    const meta = await timed(base, cookie);
    const first = await timed(full, cookie);
    const firstPlot = meta.ms + first.ms;
    const b = first.body as { t: number[]; rows_in_range: number };
    const warm: number[] = [];
    for (let k = 0; k < 5; k++) warm.push((await timed(full, cookie)).ms);
    warm.sort((a, c) => a - c);
    const zoom1 = await timed(
      `${base}/series?channels=voltage_V,current_A,temperature_degC&points=1200&from=${rows * 0.5}&to=${rows * 0.51}`,
      cookie,
    );
    const zoomFull = await timed(
      `${base}/series?channels=voltage_V,current_A,temperature_degC&points=1200&from=${rows * 0.5}&to=${rows * 0.5 + 999}`,
      cookie,
    );

    let seed = 7;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const randomZoom = (): string => {
      const span = rows * 10 ** (-1 - 3 * rand()); // 10 % .. 0.01 % of the test
      const from = rand() * (rows - span);
      return `${base}/series?channels=voltage_V,current_A,temperature_degC&points=1200&from=${from}&to=${from + span}`;
    };
    const levels: [string, () => string, number][] = [
      ['whole test, 1 client', () => full, 1],
      ['whole test, 8 clients', () => full, 8],
      ['random zooms, 8 clients', randomZoom, 8],
      ['random zooms, 32 clients', randomZoom, 32],
    ];
    const results = [];
    for (const [label, urlOf, clients] of levels)
      results.push({ label, ...(await load(urlOf, cookie, clients, loadS)) });

    const f = (x: number): string => x.toFixed(x < 10 ? 1 : 0);
    const out = [
      `## Server /series latency (bench/server.ts), ${new Date().toISOString().slice(0, 10)}`,
      '',
      machine,
      `Data: one synthetic test of ${rows.toLocaleString('en')} rows (1 s sampling; voltage, current, temperature), inserted with the store's writer in ${insertS.toFixed(1)} s. Server (\`discern serve\`'s startServer) in a child process on loopback; clients are fetch loops in the parent.`,
      '',
      '| what | ms |',
      '|---|---:|',
      `| server start (open store, listen) | ${f(startMs)} |`,
      `| **time to first plot**: GET /api/tests/:id + first GET /series (3 channels, 1200 buckets of min/max from ${b.rows_in_range.toLocaleString('en')} rows) | **${f(firstPlot)}** |`,
      `| same /series again (median of 5) | ${f(pct(warm, 50))} |`,
      `| zoom to 1 % of the test (${(rows / 100).toLocaleString('en')} rows, downsampled) | ${f(zoom1.ms)} |`,
      `| zoom to 1000 rows (full resolution) | ${f(zoomFull.ms)} |`,
      `| baseline: all ${rows.toLocaleString('en')} rows of 4 channels out of DuckDB into JS, no HTTP, no downsampling | ${f(naive)} (${(naive / first.ms).toFixed(0)}x the first /series) |`,
      '',
      `Under load (${loadS} s per level, keep-alive fetch clients):`,
      '',
      '| load | requests | req/s | p50 (ms) | p99 (ms) | errors |',
      '|---|---:|---:|---:|---:|---:|',
      ...results.map(
        (r) => `| ${r.label} | ${r.n} | ${f(r.rps)} | ${f(r.p50)} | ${f(r.p99)} | ${r.errors} |`,
      ),
      '',
      `Goal: a 10 M-row test opens at once (first plot under 1 s): ${firstPlot < 1000 ? 'met' : 'NOT met'} (${f(firstPlot)} ms).`,
    ].join('\n');
    process.stdout.write(`${out}\n`);
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const gone = new Promise((ok) => child!.once('exit', ok));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
