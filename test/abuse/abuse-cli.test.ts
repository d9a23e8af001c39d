// The real CLI end to end (`node bin/discern.js`, built into dist/ by `npm test`): discern arc on
// a synthetic ARC export and on the stored test, discern abuse add / list / worst with --json; and
// the app functions on an in-memory store with a catalogue sample.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addAbuseRecords,
  eucarLevelsByCellModel,
  listAbuseRecords,
  worstHazardLevelByCellModel,
} from '../../src/app/abuse.js';
import { validateAbuseRecord } from '../../src/arbiter/abuse.js';
import { isDiscernError } from '../../src/core/index.js';
import { Store } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { DEFAULT_HWS, arcCsvText, modelThrough, rateRoot, simulateArc } from './arc-synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'discern-abuse-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = modelThrough(12027, 92.3, 0.02 / 60, 750);
const run = simulateArc(model, { ...DEFAULT_HWS, seed: 21 });
const arcFile = join(dir, 'cell-017-arc.csv');
writeFileSync(arcFile, arcCsvText(run));
const t2Star = rateRoot(model, 1, 25, 750);

interface ArcJson {
  T1_degC: number;
  T2_degC: number;
  T3_degC: number;
  t_T1_to_T2_s: number;
  max_rate_degC_per_s: number;
  series?: { time_s: number[] };
}

describe('discern arc', () => {
  it('gives T1, T2, T3, t_T1_to_T2_s and the max rate of a file (--json)', () => {
    const r = runCli(['arc', arcFile, '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as ArcJson;
    expect(Math.abs(out.T1_degC - run.truth.t1DegC!)).toBeLessThan(1);
    expect(Math.abs(out.T2_degC - t2Star)).toBeLessThan(1.5);
    expect(Math.abs(out.T3_degC - run.truth.t3DegC)).toBeLessThan(0.1);
    const trueDt = run.truth.t2TimeS! - run.truth.t1TimeS!;
    expect(Math.abs(out.t_T1_to_T2_s - trueDt)).toBeLessThan(0.02 * trueDt);
    expect(Math.abs(out.max_rate_degC_per_s / run.truth.maxRateDegCPerS - 1)).toBeLessThan(0.05);
    expect(out.series).toBeUndefined();
  });

  it('takes thresholds and a stored test; adds plot series on request', () => {
    const db = join(dir, 'arc.duckdb');
    expect(runCli(['ingest', arcFile, '--db', db, '--json']).status).toBe(0);
    const r = runCli(['arc', 'cell-017-arc', '--db', db, '--runaway-rate', '0.1', '--series', '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as ArcJson & { test: { name: string } };
    expect(out.test.name).toBe('cell-017-arc');
    expect(Math.abs(out.T2_degC - rateRoot(model, 0.1, 25, 750))).toBeLessThan(1.5);
    // Rows whose time (written in min with 6 decimals) does not advance are skipped.
    let increasing = 0;
    let last = -Infinity;
    for (const t of run.timeS) {
      const v = Number((t / 60).toFixed(6));
      if (v > last) increasing++;
      last = Math.max(last, v);
    }
    expect(increasing).toBeLessThan(run.timeS.length);
    expect(out.series!.time_s.length).toBe(increasing);
  });

  it('reports bad files and arguments with their codes', () => {
    const bad = join(dir, 'bad-arc.csv');
    writeFileSync(bad, 'ARC export\nTime (min),Temperature (°C),Mode\n0,30,Heat\n0.5,abc,Heat\n');
    const r = runCli(['arc', bad, '--json']);
    expect(r.status).toBe(2);
    expect((r.json() as { error: { code: string; line: number } }).error).toMatchObject({
      code: 'DISCERN_PARSE_BAD_VALUE',
      line: 4,
    });
    const a = runCli(['arc', arcFile, '--onset-rate', 'fast', '--json']);
    expect((a.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
  });
});

describe('discern abuse add / list / worst', () => {
  const db = join(dir, 'abuse.duckdb');
  it('adds from flags and from a YAML file, lists per cell model, gives the worst level', () => {
    const nail = runCli([
      'abuse', 'add', '--sample', 'S-017', '--cell-model', 'NMC811-21700', '--type', 'nail_penetration',
      '--soc', '100', '--nail-diameter-mm', '3', '--nail-speed-mm-s', '80', '--observed', 'venting,smoke,fire',
      '--max-temp', '612', '--attach', 'photos/s017-1.jpg', '--attach', 'https://lab.example/v/17.mp4',
      '--db', db, '--json',
    ]); // prettier-ignore
    expect(nail.status).toBe(0);
    const added = nail.json() as { abuse_id: number; eucar_level: number; eucar_source: string }[];
    expect(added[0]).toMatchObject({ eucar_level: 5, eucar_source: 'derived' });

    const yaml = join(dir, 'short.yaml');
    writeFileSync(
      yaml,
      [
        'sample: S-018',
        'cell_model: NMC811-21700',
        'test_type: external_short',
        'conditions: {soc_pct: 100, temperature_degC: 55, short_resistance_mOhm: 80}',
        'observations: {protection_activated: true, damage: false, leakage: false, venting: false,',
        '  smoke: false, fire: false, rupture: false, explosion: false}',
        'results: {max_temperature_degC: 96, observation_s: 21600}',
      ].join('\n'),
    );
    const short = runCli(['abuse', 'add', '--file', yaml, '--db', db, '--json']);
    expect(short.status).toBe(0);
    const s = (
      short.json() as { eucar_level: number; verdicts: { standard: string; verdict: string }[] }[]
    )[0]!;
    expect(s.eucar_level).toBe(1);
    expect(s.verdicts.find((v) => v.standard === 'UN 38.3')?.verdict).toBe('pass');
    expect(s.verdicts.find((v) => v.standard === 'GB 38031-2025')?.verdict).toBe('pass');

    const lfp = runCli([
      'abuse', 'add', '--sample', 'L-001', '--cell-model', 'LFP-prismatic', '--type', 'crush',
      '--force-kn', '100', '--observed', 'damage', '--eucar', '2', '--db', db, '--json',
    ]); // prettier-ignore
    expect(lfp.status).toBe(0);

    const list = runCli(['abuse', 'list', '--cell-model', 'NMC811-21700', '--db', db, '--json']);
    const rows = list.json() as {
      sample: string;
      attachments: string[];
      observations: Record<string, boolean>;
    }[];
    expect(rows.map((r) => r.sample)).toEqual(['S-017', 'S-018']);
    expect(rows[0]!.attachments).toEqual(['photos/s017-1.jpg', 'https://lab.example/v/17.mp4']);
    expect(rows[0]!.observations).toMatchObject({ fire: true, explosion: false });

    const worst = runCli(['abuse', 'worst', '--db', db, '--json']).json() as {
      cellModel: string;
      eucarLevel: number;
    }[];
    expect(worst).toEqual([
      expect.objectContaining({ cellModel: 'NMC811-21700', eucarLevel: 5 }),
      expect.objectContaining({ cellModel: 'LFP-prismatic', eucarLevel: 2 }),
    ]);
  });

  it('rejects a record without a cell model, and a bad test type', () => {
    const a = runCli(['abuse', 'add', '--sample', 'X-1', '--type', 'crush', '--db', db, '--json']);
    expect(a.status).toBe(2);
    expect((a.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_INPUT');
    const b = runCli([
      'abuse',
      'add',
      '--sample',
      'X-1',
      '--cell-model',
      'M',
      '--type',
      'drop',
      '--json',
      '--db',
      db,
    ]);
    expect((b.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_INPUT');
  });
});

describe('abuse records and the catalogue (app)', () => {
  it('takes the cell model from the stored sample and refuses a contradicting one', async () => {
    const store = await Store.open(':memory:');
    try {
      await store.connection.run("INSERT INTO cell_models (name) VALUES ('NCA-18650')");
      await store.connection.run(
        "INSERT INTO samples (serial, cell_model_id) SELECT 'N-1', cell_model_id FROM cell_models WHERE name = 'NCA-18650'",
      );
      const rec = validateAbuseRecord({
        sample: 'N-1',
        test_type: 'overcharge',
        observations: { explosion: true },
      });
      await addAbuseRecords(store, [rec]);
      const [row] = await listAbuseRecords(store, { sample: 'N-1' });
      expect(row!.cellModel).toBe('NCA-18650');
      expect(row!.eucarLevel).toBe(7);
      expect((await worstHazardLevelByCellModel(store)).get('NCA-18650')?.eucarLevel).toBe(7);
      await addAbuseRecords(store, [
        validateAbuseRecord({ sample: 'N-2', cell_model: 'NCA-18650', test_type: 'crush', eucar_level: 3 }),
      ]);
      expect((await eucarLevelsByCellModel(store)).get('NCA-18650')).toEqual([7, 3]);
      const worst = (await worstHazardLevelByCellModel(store)).get('NCA-18650')!;
      expect(worst).toMatchObject({ eucarLevel: 7, tests: 2, testTypes: ['overcharge'] });
      const wrong = validateAbuseRecord({ sample: 'N-1', cell_model: 'LFP-1', test_type: 'crush' });
      await expect(addAbuseRecords(store, [wrong])).rejects.toSatisfy((e: unknown) =>
        isDiscernError(e, 'DISCERN_BAD_INPUT'),
      );
      const linked = validateAbuseRecord({ sample: 'N-1', test_type: 'crush', test: 'no-such-test' });
      await expect(addAbuseRecords(store, [linked])).rejects.toSatisfy((e: unknown) =>
        isDiscernError(e, 'DISCERN_NOT_FOUND'),
      );
      expect(await listAbuseRecords(store)).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});
