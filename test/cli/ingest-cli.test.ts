import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'discern-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Times are printed to 1e-6 h (3.6 ms), so capacities agree to about 1e-6 Ah.
// A CSV from an instrument discern does not know: time in hours, voltage in mV, current in mA with
// positive = DISCHARGE (so it must be inverted). Charge 1 h at 500 mA then discharge 1 h at 400 mA.
function unknownInstrumentCsv(): string {
  const lines = ['Zeit[h];Spannung[mV];Strom[mA];Zyklus'];
  for (let k = 0; k <= 60; k++) lines.push(`${(k / 60).toFixed(6)};${3500 + k};-500;1`);
  for (let k = 1; k <= 60; k++) lines.push(`${(1 + k / 60).toFixed(6)};${3560 - k};400;1`);
  return `${lines.join('\n')}\n`;
}

const mapping = {
  delimiter: ';',
  columns: [
    { source: 'Zeit[h]', channel: 'test_time_s', unit: 'h' },
    { source: 'Spannung[mV]', channel: 'voltage_V', unit: 'mV' },
    { source: 'Strom[mA]', channel: 'current_A', unit: 'mA', invert: true },
    { source: 'Zyklus', channel: 'cycle_index' },
  ],
};

describe('discern CLI: generic mapping, ingest, duplicates, tests, cycles, export', () => {
  const csv = join(dir, 'unknown.csv');
  const map = join(dir, 'mapping.json');
  const db = join(dir, 'cli.duckdb');
  writeFileSync(csv, unknownInstrumentCsv());
  writeFileSync(map, JSON.stringify(mapping));

  it('ingests with a column mapping and converts units and sign', () => {
    const r = runCli(['ingest', csv, '--db', db, '--mapping', map, '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as {
      status: string;
      rows: number;
      cycles: number;
      format: string;
      test: { id: number };
    }[];
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ status: 'ingested', rows: 121, cycles: 1, format: 'generic-csv' });
  });

  it('reports the same file a second time as a duplicate and stores it once', () => {
    const r = runCli(['ingest', csv, '--db', db, '--mapping', map, '--json']);
    expect(r.status).toBe(0);
    expect((r.json() as { status: string }[])[0]!.status).toBe('duplicate');
    const t = runCli(['tests', '--db', db, '--json']).json() as { name: string; rows: number }[];
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ name: 'unknown', rows: 121 });
  });

  it('gives the cycle table: 0.5 Ah charged, 0.4 Ah discharged (coulomb counting)', () => {
    const r = runCli(['cycles', 'unknown', '--db', db, '--json']);
    expect(r.status).toBe(0);
    const c = r.json() as {
      cycle: number;
      charge_capacity_Ah: number;
      discharge_capacity_Ah: number;
      coulombic_efficiency: number;
      max_voltage_V: number;
    }[];
    expect(c).toHaveLength(1);
    // Trapezoid: the charge ends at +0.5 A and the next sample is -0.4 A, so the crossing interval
    // adds 0.25 A for one minute to charge and 0.2 A for one minute to discharge.
    expect(c[0]!.charge_capacity_Ah).toBeCloseTo(0.5 + 0.25 / 60, 6);
    expect(c[0]!.discharge_capacity_Ah).toBeCloseTo(0.4 - 0.4 / 60 + 0.2 / 60, 6);
    expect(c[0]!.max_voltage_V).toBeCloseTo(3.56, 12);
  });

  it('names the text table columns as --json names the values', () => {
    const text = runCli(['cycles', 'unknown', '--db', db]);
    expect(text.status).toBe(0);
    const header = text.stdout.split('\n')[0]!.trim().split(/\s+/);
    const json = (
      runCli(['cycles', 'unknown', '--db', db, '--json']).json() as Record<string, unknown>[]
    )[0]!;
    expect(header).toContain('charge_capacity_Ah');
    for (const h of header) expect(Object.keys(json)).toContain(h);
  });

  it('exports BDF CSV with SI values', () => {
    const out = join(dir, 'out.csv');
    const r = runCli(['export', 'unknown', '--out', out, '--db', db, '--json']);
    expect(r.status).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    expect(lines).toHaveLength(122);
    const row = lines[61]!.split(',');
    expect(Number(row[header.indexOf('test_time_second')])).toBeCloseTo(3600, 3);
    expect(Number(row[header.indexOf('voltage_volt')])).toBeCloseTo(3.56, 9);
    expect(Number(row[header.indexOf('current_ampere')])).toBeCloseTo(0.5, 12);
  });

  it('fails a bad file with a stable code, exit 2, and still ingests the good ones', () => {
    const empty = join(dir, 'empty.csv');
    const garbage = join(dir, 'garbage.bin');
    writeFileSync(empty, '');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, k) => (k * 7919) % 256)));
    const r = runCli(['ingest', empty, garbage, '--db', join(dir, 'bad.duckdb'), '--json']);
    expect(r.status).toBe(2);
    const out = r.json() as { file: string; status: string; error?: { code: string } }[];
    expect(out.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(out[0]!.error!.code).toBe('DISCERN_EMPTY_FILE');
    expect(['DISCERN_UNKNOWN_FORMAT', 'DISCERN_BAD_ENCODING']).toContain(out[1]!.error!.code);
  });

  it('inspect of a missing file and of an unknown test give their codes', () => {
    const a = runCli(['inspect', join(dir, 'nope.csv'), '--json']);
    expect(a.status).not.toBe(0);
    expect((a.json() as { error: { code: string } }).error.code).toBe('DISCERN_IO');
    const b = runCli(['cycles', '999', '--db', db, '--json']);
    expect(b.status).toBe(3);
    expect((b.json() as { error: { code: string } }).error.code).toBe('DISCERN_NOT_FOUND');
  });

  it('an unknown time zone is rejected before anything is stored', () => {
    const r = runCli([
      'ingest',
      csv,
      '--db',
      join(dir, 'tz.duckdb'),
      '--mapping',
      map,
      '--tz',
      'Mars/Base',
      '--json',
    ]);
    expect((r.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_TIMEZONE');
  });

  it('a DuckDB file held by another process gives DISCERN_DB_LOCKED (exit 4)', async () => {
    const held = join(dir, 'held.duckdb');
    // Hold the file from a second Node process for the duration of the check.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(held)}).then(()=>{console.log('ready');setTimeout(()=>{},20000)})`,
      ],
      { cwd: resolve('.') },
    );
    await new Promise<void>((res) => holder.stdout.once('data', () => res()));
    try {
      const r = runCli(['tests', '--db', held, '--json']);
      expect(r.status).toBe(4);
      expect((r.json() as { error: { code: string } }).error.code).toBe('DISCERN_DB_LOCKED');
    } finally {
      holder.kill();
    }
  });
});
