import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { DiscernError } from '../../core/index.js';
import type { ColumnMapping } from '../../ingest/index.js';
import { inspectFile } from '../../app/inspect.js';
import { ingestPaths, type IngestFileResult } from '../../app/ingest.js';
import { exportStoredTest, listTests, resolveDbPath, withStore } from '../../app/tests.js';
import { remoteIngest, withStoreOrServer } from '../../app/remote.js';
import { printJson, printTable, reportError } from '../output.js';

interface DbOpts {
  db?: string;
  json?: boolean;
}

function readMapping(path: string | undefined): ColumnMapping | undefined {
  if (path === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ColumnMapping;
  } catch (e) {
    throw new DiscernError(
      'DISCERN_BAD_MAPPING',
      `cannot read the mapping ${path}: ${e instanceof Error ? e.message : String(e)}`,
      {
        file: path,
      },
    );
  }
}

/** `discern inspect`, `ingest`, `tests`, `export` (`cycles` is in commands/analysis.ts). */
export function registerIngestCommands(program: Command): void {
  program
    .command('inspect')
    .description('Parse an instrument file without storing it and show what discern reads')
    .argument('<file>')
    .option('--tz <zone>', 'IANA time zone of local times in the file (default: UTC, with a warning)')
    .option('--format <id>', 'force a reader instead of detecting the format')
    .option('--json', 'print JSON')
    .action((file: string, opts: { tz?: string; format?: string; json?: boolean }) => {
      try {
        const r = inspectFile(file, {
          ...(opts.tz !== undefined ? { timeZone: opts.tz } : {}),
          ...(opts.format !== undefined ? { format: opts.format } : {}),
        });
        if (opts.json) {
          printJson(r);
          return;
        }
        process.stdout.write(
          `${r.file}\n  format   ${r.format} (${r.vendor}, ${r.kind})\n  rows     ${r.rows}\n  cycles   ${r.cycles ?? '-'}\n`,
        );
        if (r.startTime)
          process.stdout.write(
            `  start    ${r.startTime.iso} (read in ${r.startTime.timeZone}${r.startTime.assumed ? ', assumed' : ''})\n`,
          );
        process.stdout.write(
          `  columns  ${r.columns.map((c) => (c.unit ? `${c.name} [${c.unit}]` : c.name)).join(', ')}\n`,
        );
        for (const w of r.warnings) process.stdout.write(`  warning  ${w.code}: ${w.message}\n`);
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });

  program
    .command('ingest')
    .description('Ingest files and folders (recursively) into the DuckDB store')
    .argument('<paths...>')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--tz <zone>', 'IANA time zone of local times in the files (default: UTC, with a warning)')
    .option('--format <id>', 'force a reader instead of detecting the format')
    .option('--mapping <file>', 'JSON column mapping for the generic CSV reader')
    .option('--json', 'print JSON')
    .action(async (paths: string[], opts: DbOpts & { tz?: string; format?: string; mapping?: string }) => {
      try {
        const mapping = readMapping(opts.mapping);
        const bar =
          !opts.json && process.stderr.isTTY
            ? new SingleBar({ stream: process.stderr }, Presets.shades_classic)
            : undefined;
        let started = false;
        const onFile = (_r: IngestFileResult, done: number, total: number): void => {
          if (!bar) return;
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        };
        const common = {
          ...(opts.tz !== undefined ? { timeZone: opts.tz } : {}),
          ...(opts.format !== undefined ? { format: opts.format } : {}),
          onFile,
        };
        // While `discern serve` holds the file, the files go through its API (POST /api/upload).
        const results = await withStoreOrServer(
          resolveDbPath(opts.db),
          (store) => ingestPaths(store, paths, { ...common, ...(mapping !== undefined ? { mapping } : {}) }),
          (api) => {
            if (mapping !== undefined)
              throw new DiscernError(
                'DISCERN_DB_LOCKED',
                `--mapping is not sent to a running discern serve at ${api.url}; stop it first`,
              );
            return remoteIngest(api, paths, common);
          },
        );
        bar?.stop();
        if (opts.json) printJson(results);
        else printIngestTable(results);
        if (results.some((r) => r.status === 'failed')) process.exitCode = 2;
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });

  program
    .command('tests')
    .description('List the stored tests')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--json', 'print JSON')
    .action(async (opts: DbOpts) => {
      try {
        const db = resolveDbPath(opts.db);
        // While `discern serve` holds the file, the list comes from its API (GET /api/overview).
        type Listed = {
          testId: number;
          name: string;
          format: string;
          rows: number;
          cycles: number | null;
          warnings: unknown[];
        };
        const local = await withStoreOrServer<unknown[]>(db, listTests, async (api) => {
          const o = await api.call<{ tests: (Omit<Listed, 'testId'> & { test_id: number })[] }>(
            'GET',
            '/api/overview',
          );
          return o.tests;
        });
        const tests = (local as (Listed | (Omit<Listed, 'testId'> & { test_id: number }))[]).map((t) =>
          'test_id' in t ? { ...t, testId: t.test_id } : t,
        );
        if (opts.json) printJson(local);
        else
          printTable(
            tests.map((t) => ({
              id: t.testId,
              name: t.name,
              format: t.format,
              rows: t.rows,
              cycles: t.cycles,
              warnings: t.warnings.length,
            })),
            ['id', 'name', 'format', 'rows', 'cycles', 'warnings'],
          );
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });

  program
    .command('export')
    .description('Export a stored test as BDF CSV or Parquet')
    .argument('<test>', 'test id or name')
    .requiredOption('--out <file>', 'output file (.csv or .parquet)')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: DbOpts & { out: string }) => {
      try {
        const r = await withStore(resolveDbPath(opts.db), (s) => exportStoredTest(s, ref, opts.out));
        if (opts.json)
          printJson({
            test: { id: r.test.testId, name: r.test.name },
            out: r.out,
            rows: r.rows,
            format: r.format,
          });
        else process.stdout.write(`wrote ${r.rows} rows of ${r.test.name} to ${r.out} (${r.format})\n`);
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });
}

function printIngestTable(results: readonly IngestFileResult[]): void {
  printTable(
    results.map((r) => ({
      status: r.status,
      test: r.test ? `${r.test.id}:${r.test.name}` : '',
      format: r.format ?? '',
      rows: r.rows ?? null,
      cycles: r.cycles ?? null,
      note: r.error
        ? `${r.error.code}`
        : r.warnings.length > 0
          ? r.warnings.map((w) => w.code.replace('DISCERN_', '')).join(',')
          : '',
      file: r.file,
    })),
    ['status', 'test', 'format', 'rows', 'cycles', 'note', 'file'],
  );
  const count = (s: string): number => results.filter((r) => r.status === s).length;
  process.stdout.write(
    `\n${count('ingested')} ingested, ${count('duplicate')} duplicate, ${count('failed')} failed, ${count('skipped')} skipped\n`,
  );
}
