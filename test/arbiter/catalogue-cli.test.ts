import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/arbiter/catalogue-schema.js';
import { Store } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { capacityFrame, storeFrame } from './lab.js';

// Two samples of a 50 Ah cell, capacity-checked at 49.8 and 50.2 Ah (C/3, 25 degC).
const catalogue = `
suppliers: [{ id: acme, name: ACME Cells }]
cell_models:
  - id: M-50
    supplier: acme
    chemistry: NMC811
    format: pouch
    nominal_capacity_Ah: 50
    nominal_voltage_V: 3.2
    voltage_min_V: 2.5
    voltage_max_V: 3.65
    claims:
      - { id: cap, kind: capacity, value: 50, unit: Ah, tolerance_pct: 3 }
      - { id: cap-inflated, kind: capacity, value: 60, unit: Ah, tolerance_pct: 3 }
samples:
  - { serial: S1, cell_model: M-50 }
  - { serial: S2, cell_model: M-50 }
tests:
  - { file: S1_cap.csv, sample: S1, protocol: capacity_check, temperature_degC: 25 }
  - { file: S2_cap.csv, sample: S2, protocol: capacity_check, temperature_degC: 25 }
`;

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'discern-catcli-'));
  db = join(dir, 'lab.duckdb');
  const store = await Store.open(db);
  await storeFrame(store, capacityFrame(49.8), join(dir, 'S1_cap.csv'));
  await storeFrame(store, capacityFrame(50.2), join(dir, 'S2_cap.csv'));
  store.close();
  writeFileSync(join(dir, 'cat.yaml'), catalogue);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('discern catalog / claims / maturity / passport', () => {
  it('imports, judges the claims, and shows maturity and the passport', () => {
    const imp = runCli(['catalog', 'import', join(dir, 'cat.yaml'), '--db', db, '--json']);
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.json()).toMatchObject({
      cellModels: 1,
      samples: 2,
      tests: 2,
      linkedTests: 2,
      pendingFiles: [],
    });

    const claims = runCli(['claims', 'M-50', '--db', db, '--json']);
    expect(claims.status, claims.stderr).toBe(0);
    const v = claims.json() as {
      claim: { id: string };
      verdict: string;
      measured: { mean: number; n: number };
    }[];
    expect(v.map((x) => [x.claim.id, x.verdict])).toEqual([
      ['cap', 'confirmed'],
      ['cap-inflated', 'contradicted'],
    ]);
    expect(v[0]!.measured.mean).toBeCloseTo(50, 6);
    expect(v[0]!.measured.n).toBe(2);
    const text = runCli(['claims', 'M-50', '--db', db, '--evidence']);
    expect(text.stdout).toMatch(/cap-inflated: contradicted/);
    expect(text.stdout).toMatch(/sample S2: 50\.2 Ah/);

    const mat = runCli(['maturity', '--db', db, '--json']);
    const rows = mat.json() as {
      scope: string;
      cell_model: string | null;
      level: string;
      decided_by: string;
    }[];
    // Two samples: not enough for mature (M1), and one claim of two contradicted (U4: half).
    expect(rows[0]).toMatchObject({ scope: 'cell_model', cell_model: 'M-50', level: 'unproven' });
    expect(rows[0]!.decided_by).toMatch(/^U4/);
    expect(rows[1]).toMatchObject({ scope: 'chemistry', cell_model: null, level: 'unproven' });

    const pp = runCli(['passport', 'M-50', '--db', db]);
    const passport = pp.json() as { performance: { ratedCapacity: number; capacityFade: number | null } };
    expect(passport.performance.ratedCapacity).toBeCloseTo(50, 6);
    expect(passport.performance.capacityFade).toBeNull();
  });

  it('lists, adds a sample, and exports a catalogue that imports again', () => {
    const add = runCli([
      'catalog',
      'add-sample',
      'S3',
      '--model',
      'M-50',
      '--arrival',
      '2026-09-01',
      '--db',
      db,
    ]);
    expect(add.status, add.stderr).toBe(0);
    const list = runCli(['catalog', 'list', 'samples', '--db', db, '--json']);
    expect((list.json() as { serial: string; tests: number }[]).map((s) => [s.serial, s.tests])).toEqual([
      ['S1', 1],
      ['S2', 1],
      ['S3', 0],
    ]);
    const out = join(dir, 'export.yaml');
    expect(runCli(['catalog', 'export', '--out', out, '--db', db]).status).toBe(0);
    expect(existsSync(out)).toBe(true);
    const cat = parseCatalogue(readFileSync(out, 'utf8'), out);
    expect(cat.samples.map((s) => s.serial)).toEqual(['S1', 'S2', 'S3']);
    expect(cat.cell_models[0]!.claims.map((c) => c.id)).toEqual(['cap', 'cap-inflated']);
    const again = runCli(['catalog', 'import', out, '--db', db, '--json']);
    expect(again.json()).toMatchObject({ samples: 3, linkedTests: 2 });
  });

  it('reports a bad catalogue with its code, file and line', () => {
    writeFileSync(join(dir, 'bad.yaml'), catalogue.replace('chemistry: NMC811', 'chemistry: unobtainium'));
    const r = runCli(['catalog', 'import', join(dir, 'bad.yaml'), '--db', db, '--json']);
    expect(r.status).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'DISCERN_BAD_INPUT', line: 6 } });
    const nf = runCli(['claims', 'NOPE', '--db', db, '--json']);
    expect(nf.status).toBe(3);
    expect(nf.json()).toMatchObject({ error: { code: 'DISCERN_NOT_FOUND' } });
  });
});
