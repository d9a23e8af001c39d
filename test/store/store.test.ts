import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { createFrame, floatColumn, intColumn, isDiscernError } from '../../src/core/index.js';
import { completeFrame } from '../../src/ingest/index.js';
import { Store, exportTest, loadFrame } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'discern-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A seeded synthetic cycling test: n rows, 2 cycles, with an aux temperature and a step-type label. */
function syntheticFrame(n: number) {
  let seed = 42;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const i = new Float64Array(n);
  const cyc = new Int32Array(n);
  const step = new Int32Array(n);
  const aux = new Float64Array(n);
  const codes = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    t[k] = k * 10;
    const phase = Math.floor((4 * k) / n);
    cyc[k] = 1 + Math.floor(phase / 2);
    step[k] = (phase % 2) + 1;
    i[k] = phase % 2 === 0 ? 1.5 : -1.5;
    v[k] = 3.6 + 0.1 * rand();
    aux[k] = k === 3 ? NaN : 25 + rand();
    codes[k] = phase % 2;
  }
  return completeFrame(
    createFrame({
      columns: {
        test_time_s: t,
        voltage_V: v,
        current_A: i,
        cycle_index: cyc,
        step_index: step,
        aux_temperature_1_degC: aux,
        step_type: { values: { codes, levels: ['CC_Chg', 'CC_DChg'] }, unit: '' },
      },
      meta: {
        vendor: 'synthetic',
        format: 'synthetic',
        startTime: { unixS: 1_600_000_000, timeZone: 'Europe/Berlin', assumed: false },
      },
    }),
  );
}

describe('DuckDB store', () => {
  it('stores a frame once, reports the second insert as a duplicate, and reads it back unchanged', async () => {
    const store = await Store.open(join(dir, 'a.duckdb'));
    try {
      const frame = syntheticFrame(5000);
      const src = [{ name: 'x', path: '/x.csv', sha256: 'abc', sizeBytes: 10 }];
      const r1 = await store.insertTest(frame, 'abc', src, 'x');
      const r2 = await store.insertTest(frame, 'abc', src, 'x');
      expect(r1.status).toBe('ingested');
      expect(r2).toEqual({ status: 'duplicate', testId: r1.testId, name: 'x' });
      const rows = await store.query('SELECT count(*) AS n FROM measurements');
      expect(rows[0]!['n']).toBe(5000);

      const test = await store.getTest('x');
      expect(test.rows).toBe(5000);
      expect(test.cycles).toBe(2);
      expect(test.timeZone).toBe('Europe/Berlin');
      const back = await loadFrame(store, test);
      expect(back.length).toBe(5000);
      expect(Array.from(floatColumn(back, 'voltage_V')!)).toEqual(
        Array.from(floatColumn(frame, 'voltage_V')!),
      );
      expect(Array.from(intColumn(back, 'cycle_index')!)).toEqual(
        Array.from(intColumn(frame, 'cycle_index')!),
      );
      const aux = floatColumn(back, 'aux_temperature_1_degC')!;
      expect(Number.isNaN(aux[3]!)).toBe(true);
      expect(aux[4]).toBe(floatColumn(frame, 'aux_temperature_1_degC')![4]);
      expect(back.columns['step_type']).toBeDefined();
    } finally {
      store.close();
    }
  });

  it('names a second test from a different file with the same name distinctly', async () => {
    const store = await Store.open(join(dir, 'b.duckdb'));
    try {
      const a = await store.insertTest(syntheticFrame(10), 's1', [], 'cell');
      const b = await store.insertTest(syntheticFrame(12), 's2', [], 'cell');
      expect(a.name).toBe('cell');
      expect(b.name).toBe('cell~2');
      await expect(store.getTest('nope')).rejects.toSatisfy((e: unknown) =>
        isDiscernError(e, 'DISCERN_NOT_FOUND'),
      );
    } finally {
      store.close();
    }
  });

  it('exports BDF CSV and zstd Parquet with BDF column names and the same values', async () => {
    const store = await Store.open(join(dir, 'c.duckdb'));
    try {
      const frame = syntheticFrame(3000);
      await store.insertTest(frame, 'sha-c', [], 'c');
      const test = await store.getTest('c');
      const csv = join(dir, 'c.csv');
      const pq = join(dir, 'c.parquet');
      await exportTest(store, test, csv, 'csv');
      await exportTest(store, test, pq, 'parquet');
      const header = readFileSync(csv, 'utf8').split('\n')[0]!.split(',');
      expect(header).toContain('test_time_second');
      expect(header).toContain('voltage_volt');
      expect(header).toContain('current_ampere');
      expect(header).toContain('cumulative_charging_capacity_ah');
      expect(header).toContain('aux_temperature_1_degC');
      // Read the Parquet back with a separate DuckDB instance and compare sums.
      const inst = await DuckDBInstance.create(':memory:');
      const con = await inst.connect();
      const res = await con.runAndReadAll(
        `SELECT count(*)::INTEGER AS n, sum(voltage_volt) AS sv, max(cumulative_discharging_capacity_ah) AS qd FROM '${pq}'`,
      );
      const [row] = res.getRowObjectsJS();
      const v = floatColumn(frame, 'voltage_V')!;
      expect(row!['n']).toBe(3000);
      expect(row!['sv'] as number).toBeCloseTo(
        v.reduce((s, x) => s + x, 0),
        6,
      );
      // 1.5 A for half of 30000 s, minus half a sample at the first discharge row (trapezoid from +1.5 A).
      const qd = floatColumn(frame, 'cumulative_discharge_capacity_Ah')!;
      expect(row!['qd'] as number).toBeCloseTo(qd[qd.length - 1]!, 9);
      con.closeSync();
      inst.closeSync();
    } finally {
      store.close();
    }
  });
});
