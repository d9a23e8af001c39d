import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'discern-analysis-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A BDF CSV of `n` cycles of a 1 Ah cell: CC charge 1 A for 3600 s (3.0 -> 4.0 V), 10 min rest,
 * CC discharge 1 A of Q_n = 1 − 0.002 (n − 1) Ah (4.0 -> 3.0 V), 10 min rest; 60 s sampling.
 * Each segment starts at the time the previous one ended, so coulomb counting is exact.
 */
function bdfCsv(n: number): string {
  const lines = ['test_time_second,voltage_volt,current_ampere,cycle_count'];
  let t = 0;
  const seg = (dur: number, i: number, v0: number, v1: number, c: number, dt = 60): void => {
    const m = Math.round(dur / dt);
    for (let k = 0; k <= m; k++) lines.push(`${t + (k * dur) / m},${v0 + ((v1 - v0) * k) / m},${i},${c}`);
    t += dur;
  };
  for (let c = 1; c <= n; c++) {
    const q = 1 - 0.002 * (c - 1);
    seg(3600, 1, 3.0, 4.0, c);
    seg(600, 0, 3.95, 3.95, c);
    seg(q * 3600, -1, 4.0, 3.0, c, (q * 3600) / 60);
    seg(600, 0, 3.1, 3.1, c);
  }
  return `${lines.join('\n')}\n`;
}

describe('discern analysis commands on a file (not stored)', () => {
  const csv = join(dir, 'fade.bdf.csv');
  writeFileSync(csv, bdfCsv(30));

  it('cycles --json: an array of snake_case rows with units', () => {
    const r = runCli(['cycles', csv, '--json']);
    expect(r.status).toBe(0);
    const rows = r.json() as Record<string, number>[];
    expect(rows).toHaveLength(30);
    expect(rows[0]).toMatchObject({ cycle: 1 });
    expect(rows[9]!['charge_capacity_Ah']).toBeCloseTo(1, 9);
    expect(rows[9]!['discharge_capacity_Ah']).toBeCloseTo(0.982, 9);
    expect(rows[9]!['coulombic_efficiency']).toBeCloseTo(0.982, 9);
    expect(rows[9]!['charge_energy_Wh']).toBeCloseTo(3.5, 9);
    expect(rows[9]!['energy_efficiency']).toBeCloseTo((0.982 * 3.5) / 3.5, 9);
  });

  it('cycles --csv has a header and one line per cycle', () => {
    const r = runCli(['cycles', csv, '--csv']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(31);
    expect(lines[0]!.split(',')).toContain('discharge_capacity_Ah');
  });

  it('fade --json: linear fade of 0.002 per cycle, end of life never reached', () => {
    const r = runCli(['fade', csv, '--json', '--rated', '1']);
    expect(r.status).toBe(0);
    const f = r.json() as {
      fade_rate_per_cycle: number;
      points: { retention: number; equivalent_full_cycles: number }[];
      end_of_life: { cycle: number | null };
    };
    expect(f.fade_rate_per_cycle).toBeCloseTo(0.002, 9);
    expect(f.points[29]!.retention).toBeCloseTo(1 - 0.058, 9);
    expect(f.end_of_life.cycle).toBeNull();
    // EFC after 30 cycles: (30 Ah charged + Σ Q_n discharged) / 2 Ah.
    const dis = Array.from({ length: 30 }, (_, k) => 1 - 0.002 * k).reduce((a, b) => a + b, 0);
    expect(f.points[29]!.equivalent_full_cycles).toBeCloseTo((30 + dis) / 2, 9);
  });

  it('steps, ica, dva, rate and fastcharge run with --json', () => {
    const steps = runCli(['steps', csv, '--json']).json() as { kind: string }[];
    expect(steps.slice(0, 4).map((s) => s.kind)).toEqual(['cc_charge', 'rest', 'cc_discharge', 'rest']);
    const ica = runCli(['ica', csv, '--cycles', '1,30', '--json']).json() as { curves: { cycle: number }[] };
    expect(ica.curves.map((c) => c.cycle)).toEqual([1, 30]);
    const dva = runCli(['dva', csv, '--cycles', '2', '--json']);
    expect(dva.status).toBe(0);
    const rate = runCli(['rate', csv, '--json', '--nominal', '1', '--mass', '0.02']).json() as {
      points: { direction: string; c_rate: number }[];
      ragone: unknown[];
    };
    expect(rate.points.map((p) => [p.direction, p.c_rate])).toEqual([
      ['charge', 1],
      ['discharge', 1],
    ]);
    expect(rate.ragone).toHaveLength(30);
    const fc = runCli(['fastcharge', csv, '--json']).json() as { time_to_80_percent_s: number }[];
    // SOC relative to the cycle's own discharge capacity: 0.8 × 0.982 Ah at 1 A.
    expect(fc[9]!.time_to_80_percent_s).toBeCloseTo(0.8 * 0.982 * 3600, 6);
  });

  it('pocv: equal charge and discharge currents give the plain mean (here 3 + SOC)', () => {
    const r = runCli(['pocv', csv, '--cycle', '3', '--points', '11', '--json']);
    expect(r.status).toBe(0);
    const p = r.json() as { soc: number[]; ocv_V: number[]; cell_capacity_Ah: number };
    expect(p.soc).toHaveLength(11);
    p.soc.forEach((soc, k) => expect(p.ocv_V[k]).toBeCloseTo(3 + soc, 9));
    expect(p.cell_capacity_Ah).toBeCloseTo((1 + 0.996) / 2, 9);
  });

  it('dma runs with the built-in OCPs and reports modes relative to the first cycle', () => {
    const r = runCli(['dma', csv, '--cycles', '1,30', '--json']);
    expect(r.status).toBe(0);
    const d = r.json() as { modes: { cycle: number; soh: number; lli: number }[] };
    expect(d.modes.map((m) => m.cycle)).toEqual([1, 30]);
    expect(d.modes[0]!.lli).toBe(0);
    expect(d.modes[1]!.soh).toBeCloseTo((1 + 0.942) / 2, 9);
    const bad = runCli(['dma', csv, '--cycles', '1', '--pe', join(dir, 'missing.csv'), '--json']);
    expect((bad.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
  });

  it('features needs more than 100 cycles: DISCERN_INSUFFICIENT_DATA, exit 2', () => {
    const r = runCli(['features', csv, '--json']);
    expect(r.status).toBe(2);
    expect((r.json() as { error: { code: string } }).error.code).toBe('DISCERN_INSUFFICIENT_DATA');
  });

  it('bad arguments and unknown tests give stable codes', () => {
    const a = runCli(['ica', csv, '--cycles', 'x', '--json']);
    expect((a.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
    const b = runCli(['ica', csv, '--cycles', '99', '--json']);
    expect((b.json() as { error: { code: string } }).error.code).toBe('DISCERN_NOT_FOUND');
    const c = runCli(['fade', 'no-such-test', '--db', join(dir, 'empty.duckdb'), '--json']);
    expect(c.status).toBe(3);
    expect((c.json() as { error: { code: string } }).error.code).toBe('DISCERN_NOT_FOUND');
    const d = runCli(['cycles', csv, '--numbering', 'weekly', '--json']);
    expect((d.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
  });
});

describe('discern analysis commands on a stored test', () => {
  const csv = join(dir, 'stored.bdf.csv');
  const db = join(dir, 'a.duckdb');
  writeFileSync(csv, bdfCsv(5));
  it('ingest, then cycles and fade by test name', () => {
    expect(runCli(['ingest', csv, '--db', db, '--json']).status).toBe(0);
    const rows = runCli(['cycles', 'stored.bdf', '--db', db, '--json']).json() as Record<string, number>[];
    expect(rows).toHaveLength(5);
    expect(rows[4]!['discharge_capacity_Ah']).toBeCloseTo(0.992, 9);
    const byId = runCli(['cycles', '1', '--db', db, '--json']).json() as unknown[];
    expect(byId).toHaveLength(5);
  });
});

describe.skipIf(!haveFixtures)('discern cycles on the cellpy Arbin .res (manifest values)', () => {
  it('cycle 1: charge 1.625406 mAh, discharge 1.755094 mAh; CE 92.61 % in anode mode', () => {
    const r = runCli([
      'cycles',
      fixture('cellpy/20160805_test001_45_cc_01.res'),
      '--efficiency',
      'charge/discharge',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const rows = r.json() as Record<string, number>[];
    expect(rows).toHaveLength(18);
    expect(rows[0]!['charge_capacity_Ah']! * 1e3).toBeCloseTo(1.625406, 6);
    expect(rows[0]!['discharge_capacity_Ah']! * 1e3).toBeCloseTo(1.755094, 6);
    expect(rows[0]!['coulombic_efficiency']! * 100).toBeCloseTo(92.61079, 4);
    expect(rows[0]!['last_row']! + 1).toBe(1457);
  });
});
