// Ingest throughput of a large Arbin-style CSV, with DuckDB read_csv and pandas read_csv as
// baselines measured in the same run, each task in its own process (bench/task.ts) so that its
// peak RSS is its own. BENCH_ROWS sets the size (default 10 M rows; the file is generated once
// into bench/data). Prints its section of bench/RESULTS.md on stdout (bench/run.ts writes it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeArbinCsv } from './arbin-csv.js';
import { machineLine } from './machine.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, 'data');
const rows = Number(process.env['BENCH_ROWS'] ?? 10_000_000);
const machine = machineLine();
mkdirSync(dataDir, { recursive: true });
const csv = join(dataDir, `arbin-${rows}.csv`);
if (!existsSync(csv)) {
  process.stderr.write(`generating ${csv} (${rows} rows) ...\n`);
  await writeArbinCsv(csv, rows);
}
const bytes = statSync(csv).size;
const mb = bytes / 1e6;

interface Result {
  label: string;
  seconds: number;
  rows: number;
  maxRssMB: number;
}

function runNode(task: string, label: string, db = `${task}.duckdb`): Result {
  process.stderr.write(`ingest: ${task} ...\n`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'task.ts'), task, csv, join(dataDir, db)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (r.status !== 0) throw new Error(`${task} failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
  return { ...j, label };
}

function runPandas(): Result | string {
  const py = '/usr/bin/python3';
  const code = `
import time, resource, pandas as pd
t0 = time.perf_counter()
df = pd.read_csv(${JSON.stringify(csv)})
s = time.perf_counter() - t0
print(len(df), s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, pd.__version__)
`;
  try {
    process.stderr.write('ingest: pandas ...\n');
    const out = execFileSync(py, ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 20 })
      .trim()
      .split(/\s+/);
    return {
      label: `pandas.read_csv (Debian python3-pandas ${out[3]})`,
      rows: Number(out[0]),
      seconds: Number(out[1]),
      maxRssMB: Number(out[2]),
    };
  } catch (e) {
    return `pandas baseline not run: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} (install Debian's python3-pandas)`;
  }
}

const results: Result[] = [];
const notes: string[] = [];
results.push(runNode('parse', 'discern parse only (streaming byte parser)'));
results.push(runNode('ingest', 'discern parse + derive + store (DuckDB appender)'));
results.push(
  runNode(
    'floor',
    'DuckDB copying the rows discern stored, table to table (no parsing: the floor for storing this shape)',
    'ingest.duckdb',
  ),
);
results.push(
  runNode('again', 'discern ingest of the same file again (reported as a duplicate)', 'ingest.duckdb'),
);
results.push(runNode('duckdb', 'DuckDB read_csv into a table (baseline: the practical limit)'));
const pandas = runPandas();
if (typeof pandas === 'string') notes.push(pandas);
else results.push(pandas);

const duck = results.find((r) => r.label.startsWith('DuckDB read_csv'))!;
const pd = results.find((r) => r.label.startsWith('pandas'));
const ingest = results.find((r) => r.label.startsWith('discern parse + derive + store'))!;
const lines = [
  `## Ingest throughput (bench/ingest.ts), ${new Date().toISOString().slice(0, 10)}`,
  '',
  machine,
  `File: synthetic Arbin-style CSV, ${rows.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB, 15 columns.`,
  '',
  '| what | seconds | MB/s | rows/s | peak RSS (MB) | time vs DuckDB read_csv | speed vs pandas |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${r.label} | ${r.seconds.toFixed(2)} | ${(mb / r.seconds).toFixed(0)} | ${(r.rows / r.seconds / 1e6).toFixed(2)} M | ${r.maxRssMB.toFixed(0)} | ${(r.seconds / duck.seconds).toFixed(2)}x | ${pd ? `${(pd.seconds / r.seconds).toFixed(2)}x` : '-'} |`,
  ),
  '',
  `Goal: parse + store at least 2x pandas (${pd ? (pd.seconds / ingest.seconds).toFixed(2) : '?'}x now) and within 2x of DuckDB's read_csv (${(ingest.seconds / duck.seconds).toFixed(2)}x now).`,
  '',
  'What is stored per row: `measurements` has 36 columns (keys and canonical channels; 24 hold values for',
  "this file, 12 are NULL: the other instruments' channels) and the two non-canonical channels",
  '(Data_Point, dV/dt) go to `aux_measurements` (4 values each), besides the series pyramid: about 44',
  'values per row where DuckDB\'s read_csv stores 15. The "floor" row is DuckDB storing that shape',
  'from its own tables on both cores; the rest of the gap to read_csv is parsing and deriving in',
  "JavaScript (worker thread) and DuckDB's appender on one thread.",
  ...notes.map((n) => `Note: ${n}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
