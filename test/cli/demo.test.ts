import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoResult } from '../../src/app/demo.js';
import type { LabGroundTruth } from '../../src/models/virtual-lab/index.js';
import { parse as parseYaml } from 'yaml';
import { rankProgramme, type ProgrammeRanking } from '../../src/app/rank.js';
import { addUser, grantSupplier } from '../../src/app/users.js';
import { startServer } from '../../src/server/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'discern-demo-'));
const dir = join(work, 'lab');
const db = join(work, 'demo.duckdb');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The CLI from source (tsx), so the test does not depend on a fresh dist/. */
function cli(args: readonly string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout };
}

const PASS = ['confirmed', 'within_tolerance'];

describe('discern demo (virtual lab end to end)', () => {
  let first: DemoResult;
  let truth: LabGroundTruth;
  beforeAll(async () => {
    first = await runDemo({ db, dir, seed: 1 });
    truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as LabGroundTruth;
  }, 600_000);

  it('ingests every instrument file through the real readers and links them all', () => {
    expect(first.failures).toEqual([]);
    expect(first.files.ingested).toBe(first.files.written);
    expect(first.files.written).toBeGreaterThan(50);
    expect(first.catalogue.cellModels).toBe(truth.cell_models.length);
    expect(first.catalogue.linkedTests).toBe(first.catalogue.tests);
    expect(first.catalogue.pendingFiles).toEqual([]);
  });

  it('the verdicts catch every inflated claim and pass every honest one (ground truth)', () => {
    expect(first.claims.length).toBe(truth.claims.length);
    const inflated = truth.claims.filter((c) => !c.honest);
    expect(inflated.length).toBeGreaterThanOrEqual(8);
    for (const c of truth.claims) {
      const v = first.claims.find((r) => r.cell_model === c.cell_model && r.claim === c.claim_id);
      expect(v, `${c.cell_model}/${c.claim_id}`).toBeDefined();
      const label = `${c.cell_model}/${c.claim_id}: ${v!.verdict} (${v!.rule})`;
      if (c.honest) expect(PASS, label).toContain(v!.verdict);
      else expect(PASS, label).not.toContain(v!.verdict);
      // The arbiter's measurement agrees with the generator's truth: within 5 % (10 % for cycles,
      // whose end of life the arbiter counts on full discharges at the cycling rate).
      if (v!.measured !== null) {
        const rel = Math.abs(v!.measured - c.true_value) / Math.abs(c.true_value);
        expect(rel, label).toBeLessThan(c.kind === 'cycle_life' ? 0.1 : 0.05);
      }
    }
  });

  it('gives every cell model and chemistry a maturity level with the rule that decided it', () => {
    const models = first.maturity.filter((m) => m.scope === 'cell_model');
    expect(models.map((m) => m.cell_model).sort()).toEqual(truth.cell_models.map((m) => m.id).sort());
    for (const m of first.maturity) expect(m.decided_by.length).toBeGreaterThan(0);
  });

  it('runs again without failing: the files are duplicates, the verdicts the same (CLI --json)', () => {
    const r = cli(['demo', '--db', db, '--dir', dir, '--seed', '1', '--json']);
    expect(r.status).toBe(0);
    const again = JSON.parse(r.stdout) as DemoResult;
    expect(again.files.duplicate).toBe(first.files.written);
    expect(again.files.ingested).toBe(0);
    expect(again.files.failed).toBe(0);
    expect(again.claims.map((c) => [c.claim, c.verdict])).toEqual(
      first.claims.map((c) => [c.claim, c.verdict]),
    );
  }, 600_000);

  it('rejects a bad seed with a stable error code', () => {
    const r = cli(['demo', '--db', db, '--dir', dir, '--seed', 'x', '--json']);
    expect(r.status).not.toBe(0);
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
  }, 120_000);

  it('ranks the lab for a programme the same way in the CLI and the HTTP API, within the grants', async () => {
    const programmePath = join(root, 'examples/programmes/compact-city-ev.yaml');
    const cliRank = await rankProgramme(programmePath, { db });
    const models = truth.cell_models.map((m) => m.id).sort();
    expect(cliRank.ranking.rows.map((r) => r.id).sort()).toEqual(models);
    const server = await startServer({ db, port: 0, adminPassword: 'demo-admin-pw', writeInfo: false });
    try {
      const post = async (cookie: string): Promise<{ status: number; json: ProgrammeRanking }> => {
        const res = await fetch(`${server.url}/api/rank`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify(parseYaml(readFileSync(programmePath, 'utf8'))),
        });
        return { status: res.status, json: (await res.json()) as ProgrammeRanking };
      };
      const login = async (username: string, password: string): Promise<string> => {
        const res = await fetch(`${server.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
        expect(res.status).toBe(200);
        return res.headers.get('set-cookie')!.split(';')[0]!;
      };
      const admin = await post(await login('admin', 'demo-admin-pw'));
      expect(admin.status).toBe(200);
      // The same order and scores as the CLI's ranking of the same store.
      expect(admin.json.ranking.rows.map((r) => [r.id, r.rank])).toEqual(
        cliRank.ranking.rows.map((r) => [r.id, r.rank]),
      );
      // A user granted one supplier ranks only that supplier's cells.
      const cat = (await server.ctx.reader.query(
        'SELECT cm.name AS model, coalesce(s.slug, s.name) AS supplier FROM cell_models cm JOIN suppliers s ON s.supplier_id = cm.supplier_id',
      )) as { model: string; supplier: string }[];
      const supplier = cat[0]!.supplier;
      await server.ctx.auxLock.run(async () => {
        await addUser(server.ctx.aux, 'vera', 'viewer', 'vera-password');
        await grantSupplier(server.ctx.aux, 'vera', supplier);
      });
      const vera = await post(await login('vera', 'vera-password'));
      expect(vera.status).toBe(200);
      expect(vera.json.ranking.rows.map((r) => r.id).sort()).toEqual(
        cat
          .filter((c) => c.supplier === supplier)
          .map((c) => c.model)
          .sort(),
      );
    } finally {
      await server.close();
    }
  }, 600_000);
});
