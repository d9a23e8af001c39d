// npm run bench: runs the benchmarks, each in its own process, and rewrites each one's section of
// bench/RESULTS.md (the other sections are kept). Default: all of them. A subset:
//   npm run bench -- analysis eis powertrain      (or BENCH_ONLY=analysis,eis npm run bench)
// Benchmarks: ingest (bench/ingest.ts; generates a 10 M-row CSV the first time, slow), analysis
// (bench/analysis.ts), eis (bench/eis.bench.ts), powertrain (bench/powertrain.ts).
// Every benchmark measures the built dist/ (the code `discern` runs; this script's npm command
// builds it first): run `npm run build` before starting one of the scripts directly. The scripts
// themselves run under tsx, which only compiles the bench files.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Each benchmark: its script, and the heading its section starts with in RESULTS.md. */
const BENCHMARKS = {
  ingest: { script: 'ingest.ts', heading: '## Ingest throughput' },
  analysis: { script: 'analysis.ts', heading: '## Cycle analysis' },
  eis: { script: 'eis.bench.ts', heading: '## EIS fit' },
  powertrain: { script: 'powertrain.ts', heading: '## Powertrain WLTC' },
  server: { script: 'server.ts', heading: '## Server' },
  binary: { script: 'binary.ts', heading: '## Binary readers' },
} as const;
type Name = keyof typeof BENCHMARKS;
const ALL = Object.keys(BENCHMARKS) as Name[];

const asked = [
  ...process.argv.slice(2),
  ...(process.env['BENCH_ONLY'] ?? '').split(',').map((s) => s.trim()),
].filter((s) => s !== '' && s !== '--');
const unknown = asked.filter((a) => !(a in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${ALL.join(', ')}\n`);
  process.exit(2);
}
const selected = asked.length > 0 ? ALL.filter((n) => asked.includes(n)) : ALL;

const resultsPath = join(here, 'RESULTS.md');
const PREAMBLE = [
  '# Benchmark results',
  '',
  'Written by `npm run bench` (`npm run bench -- analysis eis` runs a subset); each benchmark rewrites',
  'its own section and keeps the others, so sections can come from different days. Each figure is',
  'measured in one run together with its baselines, each benchmark in its own process.',
].join('\n');

/** Replaces (or appends, in the order of BENCHMARKS) the section that starts with `heading`. */
function writeSection(heading: string, section: string): void {
  const text = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : `${PREAMBLE}\n`;
  const at = text.search(/^## /m);
  const preamble = (at < 0 ? text : text.slice(0, at)).trimEnd();
  const sections =
    at < 0
      ? []
      : text
          .slice(at)
          .split(/^(?=## )/m)
          .map((s) => s.trimEnd());
  const order = (s: string): number => {
    const k = ALL.findIndex((n) => s.startsWith(BENCHMARKS[n].heading));
    return k < 0 ? ALL.length : k;
  };
  const kept = sections.filter((s) => !s.startsWith(heading));
  kept.push(section.trimEnd());
  kept.sort((a, b) => order(a) - order(b));
  writeFileSync(resultsPath, `${[preamble, ...kept].join('\n\n')}\n`);
}

let failed = 0;
for (const name of selected) {
  const { script, heading } = BENCHMARKS[name];
  process.stderr.write(`\n=== ${name} (bench/${script}) ===\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
    env: { ...process.env, BENCH_FROM_RUN: '1' },
  });
  const out = (r.stdout ?? '').trim();
  if (r.status !== 0 || !out.startsWith(heading)) {
    process.stderr.write(
      `${name} failed (exit ${r.status ?? r.signal}); its section is left as it was\n${out}\n`,
    );
    failed++;
    continue;
  }
  writeSection(heading, out);
  process.stdout.write(`${out}\n\n`);
}
if (failed > 0) process.exit(1);
