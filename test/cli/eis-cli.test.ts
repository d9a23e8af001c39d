import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { circuitImpedance } from '../../src/analysis/eis/circuit.js';
import { runCli } from '../helpers/cli.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'discern-eis-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BIOL = fixture('cellpy/biol.mpr');
/** A circuit that describes every biol.mpr sweep (an arc and a low-frequency tail). */
const BIOL_CIRCUIT = 'R0-p(R1,CPE1)-CPE2';

interface Data {
  sweep: number;
  sweep_count: number;
  spectrum: number;
  spectra: number;
  points: number;
  first_row: number;
  last_row: number;
  cycle: number | null;
  step: number | null;
}
interface FitJson {
  sweep: number;
  circuit?: string;
  parameters?: { name: string; value: number }[];
  rmse?: number;
  data: Data;
  error?: { code: string; message: string };
}

/** A CSV with header of log-spaced high-to-low sweeps of R0-p(R1,C1), one R0 per sweep. */
function sweepsCsv(name: string, sweeps: { r0: number; n: number }[]): string {
  const lines = ['frequency_Hz,z_real_Ohm,z_imag_Ohm'];
  for (const { r0, n } of sweeps) {
    const f = Array.from({ length: n }, (_, k) => 1e4 * Math.pow(1e-5, k / Math.max(n - 1, 1)));
    const z = circuitImpedance('R0-p(R1,C1)', [r0, 0.05, 0.01], f);
    f.forEach((fk, k) => lines.push(`${fk},${z.re[k]},${z.im[k]}`));
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('discern eis with several sweeps in one file (synthetic)', () => {
  const three = sweepsCsv('three.csv', [
    { r0: 0.02, n: 30 },
    { r0: 0.05, n: 3 },
    { r0: 0.03, n: 30 },
  ]);

  it('eis sweeps lists all three, the short one as not analysed', () => {
    const r = runCli(['eis', 'sweeps', three, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json() as { source: { kind: string }; sweeps: Record<string, unknown>[] };
    expect(out.source.kind).toBe('file');
    expect(
      out.sweeps.map((s) => [s['sweep'], s['first_row'], s['last_row'], s['points'], s['fittable']]),
    ).toEqual([
      [1, 0, 29, 30, true],
      [2, 30, 32, 3, false],
      [3, 33, 62, 30, true],
    ]);
    const text = runCli(['eis', 'sweeps', three]);
    expect(text.stdout).toContain('3 impedance sweep(s)');
    expect(text.stdout).toContain('no (too few points)');
  });

  it('eis fit without --sweep fits each sweep: a JSON array, the short sweep with an error', () => {
    const r = runCli(['eis', 'fit', three, '--circuit', 'R0-p(R1,C1)', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json() as FitJson[];
    expect(Array.isArray(out)).toBe(true);
    expect(out.map((o) => o.sweep)).toEqual([1, 2, 3]);
    expect(out[1]!.error?.code).toBe('DISCERN_INSUFFICIENT_DATA');
    expect(out[1]!.parameters).toBeUndefined();
    expect(out[0]!.parameters![0]!.value).toBeCloseTo(0.02, 6);
    expect(out[2]!.parameters![0]!.value).toBeCloseTo(0.03, 6);
    expect(out[2]!.data).toMatchObject({ sweep: 3, sweep_count: 3, first_row: 33, last_row: 62, points: 30 });
    // As text: one row per sweep.
    const text = runCli(['eis', 'fit', three, '--circuit', 'R0-p(R1,C1)']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('3 impedance sweeps');
    expect(text.stdout.split('\n').filter((l) => /^\s+[123]\s/.test(l))).toHaveLength(3);
    expect(text.stdout).toContain('not analysed');
  });

  it('--sweep N gives the one object of a single-sweep file; a sweep that does not exist is an error', () => {
    const r = runCli(['eis', 'fit', three, '--circuit', 'R0-p(R1,C1)', '--sweep', '3', '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as FitJson;
    expect(Array.isArray(out)).toBe(false);
    expect(out.sweep).toBe(3);
    expect(out.parameters![0]!.value).toBeCloseTo(0.03, 6);
    // Asked for by number, a short sweep is given to the analysis, whose own minimum applies.
    const short = runCli(['eis', 'fit', three, '--circuit', 'R0-p(R1,C1)', '--sweep', '2', '--json']);
    expect(short.status, short.stdout).toBe(0);
    expect((short.json() as FitJson).data).toMatchObject({ sweep: 2, points: 3 });
    const tooShort = runCli(['eis', 'drt', three, '--sweep', '2', '--json']); // a DRT needs 5
    expect(tooShort.status).toBe(2);
    expect((tooShort.json() as FitJson).error!.code).toBe('DISCERN_INSUFFICIENT_DATA');
    const none = runCli(['eis', 'kk', three, '--sweep', '4', '--json']);
    expect(none.status).toBe(2);
    expect((none.json() as FitJson).error!.code).toBe('DISCERN_BAD_ARGUMENT');
    const bad = runCli(['eis', 'kk', three, '--sweep', '0', '--json']);
    expect((bad.json() as FitJson).error!.code).toBe('DISCERN_BAD_ARGUMENT');
  });

  it('a bad circuit fails every sweep alike: one error, not an array of them', () => {
    const r = runCli(['eis', 'fit', three, '--circuit', 'R0-X1', '--json']);
    expect(r.status).toBe(2);
    expect((r.json() as FitJson).error!.code).toBe('DISCERN_BAD_ARGUMENT');
  });

  it('a single-sweep file keeps its one-object answer', () => {
    const one = sweepsCsv('one.csv', [{ r0: 0.02, n: 30 }]);
    const r = runCli(['eis', 'fit', one, '--circuit', 'R0-p(R1,C1)', '--json']);
    const out = r.json() as FitJson;
    expect(Array.isArray(out)).toBe(false);
    expect(out.data).toMatchObject({ sweep: 1, sweep_count: 1, spectrum: 1, spectra: 1, points: 30 });
  });

  it('the help says what happens with several sweeps', () => {
    const r = runCli(['eis', 'fit', '--help']);
    expect(r.stdout).toContain('--sweep <n>');
    expect(r.stdout).toMatch(/each sweep is analysed on its own/);
  });
});

describe.skipIf(!haveFixtures)('discern eis on cellpy/biol.mpr (5 PEIS sweeps in a cycling run)', () => {
  it('eis sweeps: 5 sweeps with their rows, step and mean time', () => {
    const r = runCli(['eis', 'sweeps', BIOL, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = (r.json() as { sweeps: Record<string, number>[] }).sweeps;
    expect(s.map((x) => [x['first_row'], x['last_row'], x['points'], x['step']])).toEqual([
      [27, 90, 64, 2],
      [3032, 3095, 64, 2],
      [7625, 7688, 64, 2],
      [12945, 13008, 64, 2],
      [23442, 23495, 54, 9],
    ]);
    // The sweeps are ~5 h apart (18402 s is the first time of sweep 2).
    expect(s[1]!['mean_test_time_s']).toBeGreaterThan(18402);
  });

  it('eis fit: one fit per sweep, each with a sane RMSE (not the ~15 Ohm of all 310 points as one)', () => {
    const r = runCli(['eis', 'fit', BIOL, '--circuit', BIOL_CIRCUIT, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json() as FitJson[];
    expect(out.map((o) => [o.sweep, o.data.points])).toEqual([
      [1, 64],
      [2, 64],
      [3, 64],
      [4, 64],
      [5, 54],
    ]);
    for (const o of out) {
      expect(o.error).toBeUndefined();
      expect(o.rmse!).toBeLessThan(1.5); // measured 0.05 - 0.94 Ohm, |Z| up to ~80 Ohm
      expect(o.parameters![0]!.value).toBeGreaterThan(5); // R0 ~ 5.7 - 6.7 Ohm
      expect(o.parameters![0]!.value).toBeLessThan(7.5);
    }
    const one = runCli(['eis', 'fit', BIOL, '--circuit', BIOL_CIRCUIT, '--sweep', '2', '--json']);
    const o = one.json() as FitJson;
    expect(o.data).toMatchObject({
      sweep: 2,
      sweep_count: 5,
      first_row: 3032,
      last_row: 3095,
      cycle: 0,
      step: 2,
    });
    expect(o.rmse!).toBeLessThan(0.2);
  });

  it('eis kk and eis drt: per sweep too; --spectrum still picks one', () => {
    const kk = runCli(['eis', 'kk', BIOL, '--json']);
    expect(kk.status, kk.stderr).toBe(0);
    expect((kk.json() as { sweep: number; M: number }[]).map((x) => x.sweep)).toEqual([1, 2, 3, 4, 5]);
    const drt = runCli(['eis', 'drt', BIOL, '--spectrum', '5', '--json']);
    expect(drt.status, drt.stderr).toBe(0);
    const d = drt.json() as { sweep: number; data: Data; tau_s: number[] };
    expect(d.sweep).toBe(5);
    expect(d.data.points).toBe(54);
  });

  it('a stored test gives the same sweeps as the file', () => {
    const db = join(dir, 'biol.duckdb');
    const ing = runCli(['ingest', BIOL, '--db', db, '--json']);
    expect(ing.status, ing.stderr).toBe(0);
    const id = (ing.json() as { test: { id: number } }[])[0]!.test.id;
    const r = runCli(['eis', 'sweeps', String(id), '--db', db, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json() as { source: { kind: string }; sweeps: { first_row: number; points: number }[] };
    expect(out.source.kind).toBe('test');
    expect(out.sweeps.map((s) => [s.first_row, s.points])).toEqual([
      [27, 64],
      [3032, 64],
      [7625, 64],
      [12945, 64],
      [23442, 54],
    ]);
  });
});
