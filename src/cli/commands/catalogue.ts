import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Command } from 'commander';
import {
  evaluateClaims,
  exportCatalogue,
  importCatalogue,
  maturity,
  modelConsistency,
  passport,
  writeCatalogue,
} from '../../app/catalogue.js';
import { addSample, linkTest, listCatalogue, type CatalogueListKind } from '../../app/catalogue-manage.js';
import { resolveDbPath, withStore } from '../../app/tests.js';
import type { ClaimVerdict } from '../../arbiter/claims.js';
import { DiscernError } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import { printJson, printTable, reportError } from '../output.js';

interface Opts {
  db?: string;
  json?: boolean;
}

async function run(o: Opts, body: (store: Store) => Promise<void>): Promise<void> {
  try {
    await withStore(resolveDbPath(o.db), body);
  } catch (e) {
    reportError(e, o.json === true);
  }
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `${name} must be a number, got "${v}"`);
  return x;
}

const sig = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(4)));

function printVerdicts(verdicts: readonly ClaimVerdict[], evidence: boolean): void {
  printTable(
    verdicts.map((v) => ({
      claim: v.claim.id,
      kind: v.claim.kind,
      claimed: `${v.claim.value} ${v.claim.unit}${v.claim.tolerance_pct !== undefined ? ` ±${v.claim.tolerance_pct}%` : ''}`,
      measured:
        v.measured.mean === null
          ? '-'
          : `${v.measured.lower_bound ? '≥ ' : ''}${sig(v.measured.mean)} ${v.measured.unit}`,
      interval_95: v.measured.low === null ? '-' : `${sig(v.measured.low)} .. ${sig(v.measured.high)}`,
      n: v.measured.n,
      verdict: v.verdict,
    })),
  );
  process.stdout.write('\n');
  for (const v of verdicts) {
    process.stdout.write(`${v.claim.id}: ${v.verdict} (${v.rule}): ${v.reason}\n`);
    if (v.assumed.length > 0) process.stdout.write(`  assumed: ${v.assumed.join(', ')}\n`);
    if (evidence)
      for (const e of v.evidence)
        process.stdout.write(
          `  test ${e.test_id} ${e.test} sample ${e.sample}: ${sig(e.value)} ${v.measured.unit}\n`,
        );
  }
}

function readEucar(path: string | undefined): Record<string, number[]> | undefined {
  if (path === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DiscernError(
      'DISCERN_BAD_INPUT',
      `--eucar must be a JSON file {"CELL-MODEL": [levels]}: ${e instanceof Error ? e.message : String(e)}`,
      { file: path },
    );
  }
  const out: Record<string, number[]> = {};
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new DiscernError('DISCERN_BAD_INPUT', 'expected an object of cell model -> EUCAR levels', {
      file: path,
    });
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 7))
      throw new DiscernError('DISCERN_BAD_INPUT', `EUCAR levels of ${k} must be integers 0-7`, {
        file: path,
      });
    out[k] = list as number[];
  }
  return out;
}

/**
 * The catalogue and verdict commands: `catalog import|export|list|add-sample|link-test`,
 * `claims CELLMODEL`, `consistency CELLMODEL`, `maturity`, `passport CELLMODEL`.
 */
export function registerCatalogueCommands(program: Command): void {
  const db = '--db <file>';
  const dbHelp = 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)';
  const catalog = program
    .command('catalog')
    .alias('catalogue')
    .description('Suppliers, cell models, claims, samples and test links (docs/catalogue.md)');

  catalog
    .command('import <file>')
    .description('Import a catalogue file (YAML or JSON); idempotent; links ingested tests by file name')
    .option(db, dbHelp)
    .option('--json', 'print JSON')
    .action((file: string, o: Opts) =>
      run(o, async (store) => {
        const r = await importCatalogue(store, file);
        if (o.json) return printJson(r);
        process.stdout.write(
          `${file}: ${r.suppliers} suppliers, ${r.cellModels} cell models (${r.claims} claims), ${r.samples} samples, ` +
            `${r.linkedTests} of ${r.tests} tests linked, ${r.measurements} measurements\n`,
        );
        for (const f of r.pendingFiles) process.stdout.write(`  not ingested yet: ${f}\n`);
      }),
    );

  catalog
    .command('export')
    .description('Export the catalogue (to stdout as YAML, or to --out FILE.yaml|.json)')
    .option('--out <file>', 'write to a .yaml or .json file')
    .option(db, dbHelp)
    .option('--json', 'print JSON')
    .action((o: Opts & { out?: string }) =>
      run(o, async (store) => {
        const cat = await exportCatalogue(store);
        if (o.out !== undefined) {
          writeCatalogue(cat, o.out);
          if (o.json)
            printJson({ out: o.out, cellModels: cat.cell_models.length, samples: cat.samples.length });
          else process.stdout.write(`wrote ${o.out}\n`);
        } else if (o.json) printJson(cat);
        else process.stdout.write(stringify(cat));
      }),
    );

  catalog
    .command('list [what]')
    .description('List suppliers, models (default), samples or tests')
    .option(db, dbHelp)
    .option('--json', 'print JSON')
    .action((what: string | undefined, o: Opts) =>
      run(o, async (store) => {
        const rows = await listCatalogue(store, (what ?? 'models') as CatalogueListKind);
        if (o.json) printJson(rows);
        else printTable(rows);
      }),
    );

  catalog
    .command('add-sample <serial>')
    .description('Add (or update) a sample of a cell model already in the store')
    .requiredOption('--model <id>', 'cell model id')
    .option('--batch <batch>', 'batch or lot')
    .option('--arrival <date>', 'arrival date YYYY-MM-DD')
    .option('--state <state>', 'received (default), in-test, finished, torn-down or scrapped')
    .option(db, dbHelp)
    .option('--json', 'print JSON')
    .action((serial: string, o: Opts & { model: string; batch?: string; arrival?: string; state?: string }) =>
      run(o, async (store) => {
        const r = await addSample(store, {
          serial,
          cellModel: o.model,
          ...(o.batch !== undefined ? { batch: o.batch } : {}),
          ...(o.arrival !== undefined ? { arrivalDate: o.arrival } : {}),
          ...(o.state !== undefined ? { state: o.state } : {}),
        });
        if (o.json) printJson(r);
        else process.stdout.write(`${r.created ? 'added' : 'updated'} sample ${r.serial}\n`);
      }),
    );

  catalog
    .command('link-test <test>')
    .description('Link a stored test (id or name) to a sample, with its protocol and conditions')
    .requiredOption('--sample <serial>', 'sample serial')
    .requiredOption(
      '--protocol <protocol>',
      'capacity_check, rate, cycle_life, hppc, eis, fast_charge, low_temp, gitt, abuse, other',
    )
    .option('--temperature <degC>', 'test temperature, degC')
    .option('--c-rate <C>', 'discharge (or cycling) C-rate')
    .option('--charge-c-rate <C>', 'charge C-rate')
    .option('--dod <pct>', 'depth of discharge, %')
    .option(db, dbHelp)
    .option('--json', 'print JSON')
    .action(
      (
        test: string,
        o: Opts & {
          sample: string;
          protocol: string;
          temperature?: string;
          cRate?: string;
          chargeCRate?: string;
          dod?: string;
        },
      ) =>
        run(o, async (store) => {
          const t = num('--temperature', o.temperature);
          const c = num('--c-rate', o.cRate);
          const cc = num('--charge-c-rate', o.chargeCRate);
          const d = num('--dod', o.dod);
          const r = await linkTest(store, test, {
            sample: o.sample,
            protocol: o.protocol,
            ...(t !== undefined ? { temperatureDegC: t } : {}),
            ...(c !== undefined ? { cRate: c } : {}),
            ...(cc !== undefined ? { chargeCRate: cc } : {}),
            ...(d !== undefined ? { dodPct: d } : {}),
          });
          if (o.json) printJson(r);
          else process.stdout.write(`linked test ${r.testId} to ${r.sample} (${r.protocol})\n`);
        }),
    );

  program
    .command('claims <cellModel>')
    .description('Datasheet claims against measurements: verdict, mean, 95 % interval, samples, reason')
    .option('--evidence', 'list the tests and samples behind each verdict')
    .option(db, dbHelp)
    .option('--json', 'print JSON (with the evidence)')
    .action((model: string, o: Opts & { evidence?: boolean }) =>
      run(o, async (store) => {
        const v = await evaluateClaims(store, model);
        if (o.json) printJson(v);
        else printVerdicts(v, o.evidence === true);
      }),
    );

  program
    .command('consistency <cellModel>')
    .description('Sample-to-sample spread of capacity, DC resistance and mass, with Cpk')
    .option(db, dbHelp)
    .option('--json', 'print JSON')
    .action((model: string, o: Opts) =>
      run(o, async (store) => {
        const s = await modelConsistency(store, model);
        if (o.json) return printJson(s);
        printTable(
          s.map((x) => ({
            quantity: x.quantity,
            unit: x.unit,
            n: x.n,
            mean: x.mean,
            std: x.std,
            cv_pct: x.cvPct,
            min: x.min,
            max: x.max,
            lsl: x.lsl,
            usl: x.usl,
            cpk: x.cpk,
            limits: x.limitsFrom,
          })),
        );
      }),
    );

  program
    .command('maturity')
    .description('Maturity per cell model and per chemistry (docs/methods/maturity.md)')
    .option('--eucar <file>', 'JSON {"CELL-MODEL": [EUCAR levels 0-7]} of abuse results')
    .option(db, dbHelp)
    .option('--json', 'print JSON')
    .action((o: Opts & { eucar?: string }) =>
      run(o, async (store) => {
        const eucar = readEucar(o.eucar);
        const rows = await maturity(store, eucar !== undefined ? { eucarLevels: eucar } : {});
        if (o.json) return printJson(rows);
        printTable(
          rows.map((r) => ({
            scope: r.scope,
            name: r.cell_model ?? r.chemistry,
            chemistry: r.chemistry,
            supplier: r.supplier,
            level: r.level,
            decided_by: r.decided_by,
          })),
        );
      }),
    );

  program
    .command('passport <cellModel>')
    .description('EU 2023/1542 Annex IV values from the measurements, as Battery Pass JSON')
    .option('--out <file>', 'write the JSON to a file')
    .option(db, dbHelp)
    .option('--json', 'print JSON (the default output is JSON too)')
    .action((model: string, o: Opts & { out?: string }) =>
      run(o, async (store) => {
        const p = await passport(store, model);
        if (o.out === undefined) return printJson(p);
        try {
          writeFileSync(o.out, `${JSON.stringify(p, null, 2)}\n`);
        } catch (e) {
          throw new DiscernError('DISCERN_IO', `cannot write ${o.out}: ${String(e)}`, { file: o.out });
        }
        if (o.json) printJson({ out: o.out });
        else process.stdout.write(`wrote ${o.out}\n`);
      }),
    );
}
