import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { ClaimVerdict } from '../arbiter/claims.js';
import type { MaturityRow } from '../arbiter/maturity.js';
import { DiscernError } from '../core/index.js';
import { generateLab, type LabGroundTruth } from '../models/virtual-lab/index.js';
import { evaluateClaims, importCatalogue, maturity, type ImportCatalogueResult } from './catalogue.js';
import { ingestPaths, type IngestFileResult } from './ingest.js';
import { withStore } from './tests.js';

/** The time zone of the virtual lab's instrument clocks. */
export const DEMO_TIME_ZONE = 'Europe/Berlin';

/** Options of runDemo. */
export interface DemoOptions {
  /** DuckDB file. */
  db: string;
  /** Folder the lab's files are written to (default ./discern-demo). */
  dir?: string;
  /** Seed of the virtual lab (default 1). */
  seed?: number;
  /** Progress messages (what is being done). */
  onProgress?: (message: string) => void;
}

/** One claim of the demo with its verdict and the generator's ground truth. */
export interface DemoClaimRow {
  cell_model: string;
  claim: string;
  kind: string;
  claimed: number;
  unit: string;
  verdict: ClaimVerdict['verdict'];
  measured: number | null;
  n: number;
  rule: string;
  /** What the generator knows: the claim is honest or inflated. */
  truth: 'honest' | 'inflated';
  true_value: number;
  /** Whether the verdict agrees with the truth (honest: confirmed/within tolerance; inflated: not). */
  agrees: boolean;
}

/** What `discern demo` did. */
export interface DemoResult {
  dir: string;
  db: string;
  seed: number;
  files: { written: number; ingested: number; duplicate: number; failed: number; skipped: number };
  failures: { file: string; code: string; message: string }[];
  catalogue: ImportCatalogueResult;
  claims: DemoClaimRow[];
  maturity: MaturityRow[];
  /** Wall-clock seconds of each phase. */
  timings: { generateS: number; ingestS: number; catalogueS: number; claimsS: number; maturityS: number };
}

const PASSING = new Set(['confirmed', 'within_tolerance']);

/** Writes `bytes` unless the file already holds exactly them (keeps a re-run cheap and idempotent). */
function writeIfChanged(path: string, bytes: Uint8Array): void {
  try {
    const old = readFileSync(path);
    if (old.length === bytes.length && Buffer.compare(old, bytes) === 0) return;
  } catch {
    // not there yet
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/**
 * Builds the virtual lab end to end: generates it (src/models/virtual-lab), writes its
 * instrument files, `catalogue.yaml` and `ground-truth.json` into `dir`, ingests the files
 * through the real ingest path into the store (a re-run finds them as duplicates), imports the
 * catalogue, and evaluates every claim and the maturity of every model.
 * @throws DISCERN_IO when the folder cannot be written; store errors (DISCERN_STORE)
 * @example const r = await runDemo({ db: 'discern.duckdb', dir: 'discern-demo', seed: 1 });
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const dir = resolve(options.dir ?? 'discern-demo');
  const seed = options.seed ?? 1;
  const say = options.onProgress ?? (() => undefined);
  const clock = (): number => performance.now() / 1000;
  let t = clock();
  say(`generating the virtual lab (seed ${seed})`);
  const lab = generateLab({ seed, timeZone: DEMO_TIME_ZONE });
  const paths: string[] = [];
  try {
    for (const f of lab.files) {
      const p = join(dir, ...f.path.split('/'));
      writeIfChanged(p, f.bytes);
      paths.push(p);
    }
    writeIfChanged(join(dir, 'catalogue.yaml'), new TextEncoder().encode(stringify(lab.catalogue)));
    writeIfChanged(
      join(dir, 'ground-truth.json'),
      new TextEncoder().encode(`${JSON.stringify(lab.groundTruth, null, 2)}\n`),
    );
  } catch (e) {
    throw new DiscernError('DISCERN_IO', `cannot write the demo lab to ${dir}: ${(e as Error).message}`, {
      file: dir,
    });
  }
  const generateS = clock() - t;

  return withStore(options.db, async (store) => {
    t = clock();
    say(`ingesting ${paths.length} instrument files`);
    const results: IngestFileResult[] = await ingestPaths(store, paths, { timeZone: DEMO_TIME_ZONE });
    const ingestS = clock() - t;
    t = clock();
    say('importing the catalogue');
    const catalogue = await importCatalogue(store, join(dir, 'catalogue.yaml'));
    const catalogueS = clock() - t;
    t = clock();
    say('evaluating the claims');
    const claims: DemoClaimRow[] = [];
    for (const m of lab.catalogue.cell_models) {
      for (const v of await evaluateClaims(store, m.id)) claims.push(claimRow(v, lab.groundTruth));
    }
    const claimsS = clock() - t;
    t = clock();
    say('deciding maturity');
    const levels = await maturity(store);
    const maturityS = clock() - t;
    const count = (s: IngestFileResult['status']): number => results.filter((r) => r.status === s).length;
    return {
      dir,
      db: options.db,
      seed,
      files: {
        written: lab.files.length,
        ingested: count('ingested'),
        duplicate: count('duplicate'),
        failed: count('failed'),
        skipped: count('skipped'),
      },
      failures: results
        .filter((r) => r.status === 'failed')
        .map((r) => ({ file: r.file, code: r.error?.code ?? '', message: r.error?.message ?? '' })),
      catalogue,
      claims,
      maturity: levels,
      timings: { generateS, ingestS, catalogueS, claimsS, maturityS },
    };
  });
}

function claimRow(v: ClaimVerdict, truth: LabGroundTruth): DemoClaimRow {
  const gt = truth.claims.find((c) => c.cell_model === v.cell_model && c.claim_id === v.claim.id);
  const honest = gt?.honest ?? true;
  return {
    cell_model: v.cell_model,
    claim: v.claim.id,
    kind: v.claim.kind,
    claimed: v.claim.value,
    unit: v.claim.unit,
    verdict: v.verdict,
    measured: v.measured.mean,
    n: v.measured.n,
    rule: v.rule,
    truth: honest ? 'honest' : 'inflated',
    true_value: gt?.true_value ?? NaN,
    agrees: honest ? PASSING.has(v.verdict) : !PASSING.has(v.verdict),
  };
}
