import type { Command } from 'commander';
import { DiscernError } from '../../core/index.js';
import { runDemo, type DemoResult } from '../../app/demo.js';
import { resolveDbPath } from '../../app/tests.js';
import { printJson, printTable, reportError } from '../output.js';

function parseSeed(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `--seed must be an integer 0..4294967295, not "${text}"`);
  return n;
}

function printDemo(r: DemoResult): void {
  const f = r.files;
  process.stdout.write(
    `virtual lab (seed ${r.seed}) in ${r.dir}\n` +
      `  files    ${f.written} written; ${f.ingested} ingested, ${f.duplicate} already stored, ${f.failed} failed\n` +
      `  catalogue ${r.catalogue.suppliers} suppliers, ${r.catalogue.cellModels} cell models, ${r.catalogue.samples} samples, ` +
      `${r.catalogue.linkedTests}/${r.catalogue.tests} tests linked\n` +
      `  store    ${r.db}\n\n`,
  );
  for (const x of r.failures) process.stdout.write(`  failed   ${x.file}: ${x.code}: ${x.message}\n`);
  process.stdout.write('Claims against measurements\n');
  printTable(
    r.claims.map((c) => ({
      cell_model: c.cell_model,
      claim: c.kind,
      claimed: c.claimed,
      unit: c.unit,
      measured: c.measured,
      n: c.n,
      verdict: c.verdict,
      'truth (generator)': c.truth,
    })),
  );
  process.stdout.write('\nMaturity\n');
  printTable(
    r.maturity.map((m) => ({
      scope: m.scope === 'cell_model' ? m.cell_model : `${m.chemistry} (chemistry)`,
      level: m.level,
      decided_by: m.decided_by,
    })),
  );
  const agree = r.claims.filter((c) => c.agrees).length;
  const t = r.timings;
  process.stdout.write(
    `\n${agree} of ${r.claims.length} verdicts agree with the generator's ground truth ` +
      `(${r.dir}/ground-truth.json).\n` +
      `Time: generate ${t.generateS.toFixed(1)} s, ingest ${t.ingestS.toFixed(1)} s, catalogue ${t.catalogueS.toFixed(1)} s, ` +
      `claims ${t.claimsS.toFixed(1)} s, maturity ${t.maturityS.toFixed(1)} s.\n` +
      `Next: discern claims <CELL_MODEL>, discern maturity, discern tests --db ${r.db}\n`,
  );
}

/** `discern demo`: builds the virtual lab into the store and prints the claims and maturity tables. */
export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description(
      'Build a virtual lab (simulated cells, real instrument files, a catalogue with honest and inflated claims), ingest it and judge the claims',
    )
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--dir <dir>', 'folder for the lab files (default: ./discern-demo)')
    .option('--seed <n>', 'seed of the virtual lab (default: 1)')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; dir?: string; seed?: string; json?: boolean }) => {
      try {
        const result = await runDemo({
          db: resolveDbPath(opts.db),
          ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
          seed: parseSeed(opts.seed),
          ...(!opts.json && process.stderr.isTTY
            ? { onProgress: (m: string) => process.stderr.write(`discern demo: ${m}\n`) }
            : {}),
        });
        if (opts.json) printJson(result);
        else printDemo(result);
        if (result.files.failed > 0) process.exitCode = 2;
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });
}
