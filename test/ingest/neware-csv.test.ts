import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { DiscernError, categoryColumn, floatColumn, intColumn, type Frame } from '../../src/core/index.js';
import { parseDuration } from '../../src/ingest/bdf/table.js';
import { detectFormat, readSource } from '../../src/ingest/index.js';
import { newareCsvReader } from '../../src/ingest/neware-csv/index.js';
import { fixture, fixtureFile, haveFixtures, textFile } from '../helpers/fixtures.js';

function f64(frame: Frame, name: string): Float64Array {
  const c = floatColumn(frame, name);
  if (c === undefined) throw new Error(`no float channel ${name}`);
  return c;
}

function i32(frame: Frame, name: string): Int32Array {
  const c = intColumn(frame, name);
  if (c === undefined) throw new Error(`no int channel ${name}`);
  return c;
}

function labels(frame: Frame): string[] {
  const c = categoryColumn(frame, 'step_type')!;
  return Array.from(c.codes, (k) => c.levels[k] ?? '');
}

function codes(frame: Frame): string[] {
  return frame.meta.warnings.map((w) => w.code);
}

function errorOf(fn: () => unknown): DiscernError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DiscernError) return e;
    throw e;
  }
  throw new Error('expected a DiscernError');
}

/** Rows of a Parquet file as read by DuckDB (parquet-wasm cannot read its dictionary column). */
async function duckRows(rel: string, select: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const path = fixture(rel).replace(/'/g, "''");
  const result = await con.runAndReadAll(`SELECT ${select} FROM read_parquet('${path}')`);
  const rows = result.getRowObjectsJS() as Record<string, unknown>[];
  con.closeSync();
  return rows;
}

const UIO = 'cellpy/neware_uio.csv';
const INTERP = 'fastnda/interp-test.csv';
const NESTED = 'cellpy/nw_regular_export_ife_example.csv';

describe('BTSDA durations', () => {
  it('reads h:mm:ss with hours past 24, fractions, days, and plain seconds', () => {
    expect(parseDuration('144:02:18')).toBe(144 * 3600 + 2 * 60 + 18);
    expect(parseDuration('00:29:58.500')).toBe(1798.5);
    expect(parseDuration('1-02:03:04')).toBe(86400 + 7384);
    expect(parseDuration('1d 02:03:04')).toBe(86400 + 7384);
    expect(parseDuration('12.5')).toBe(12.5);
    expect(parseDuration('')).toBeNaN();
    expect(parseDuration('12:xx:00')).toBeUndefined();
  });
});

describe.skipIf(!haveFixtures)('Neware BTSDA record layer: neware_uio.csv against the cellpy golden', () => {
  it('is detected as neware-csv', () => {
    expect(detectFormat(fixtureFile(UIO)).id).toBe('neware-csv');
  });

  it('9065 rows, 4 cycles, starts 2022-05-18 16:27:52, same values as cellpy', () => {
    const f = readSource(fixtureFile(UIO), { timeZone: 'UTC' });
    expect(f.length).toBe(9065);
    const cyc = i32(f, 'cycle_index');
    expect([Math.min(...cyc), Math.max(...cyc)]).toEqual([1, 4]);
    expect(f.meta.startTime).toEqual({
      unixS: Date.UTC(2022, 4, 18, 16, 27, 52) / 1000,
      timeZone: 'UTC',
      assumed: false,
    });
    const g = tableFromIPC(
      readParquet(
        new Uint8Array(readFileSync(fixture('cellpy/goldens/loader_neware_txt/raw.parquet'))),
      ).intoIPCStream(),
    );
    expect(g.numRows).toBe(f.length);
    const cols: [string, string][] = [
      ['test_time_s', 'test_time'],
      ['step_time_s', 'step_time'],
      ['voltage_V', 'voltage'],
      ['current_A', 'current'],
      ['power_W', 'power'],
    ];
    for (const [ours, theirs] of cols) {
      const a = f64(f, ours);
      const b = g.getChild(theirs)!.toArray() as Float64Array;
      let worst = 0;
      for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
      expect(worst, ours).toBeLessThanOrEqual(1e-12);
    }
    const gc = g.getChild('cycle_index')!;
    const gs = g.getChild('step_index')!;
    const gd = g.getChild('date_time')!;
    const gt = g.getChild('Step Type')!;
    const step = i32(f, 'step_index');
    const unix = f64(f, 'unix_time_s');
    const st = labels(f);
    let bad = 0;
    for (let k = 0; k < f.length; k++) {
      if (cyc[k] !== Number(gc.get(k)) || step[k] !== Number(gs.get(k))) bad++;
      if (Math.abs(unix[k]! - Number(gd.get(k)) / 1000) > 1e-6) bad++;
      if (st[k] !== String(gt.get(k)).replace(/ /g, '_')) bad++;
    }
    expect(bad).toBe(0);
  });

  it('per-cycle charge and discharge capacity equal cellpy (which sums the steps of each cycle)', () => {
    const f = readSource(fixtureFile(UIO), { timeZone: 'UTC' });
    const g = tableFromIPC(
      readParquet(
        new Uint8Array(readFileSync(fixture('cellpy/goldens/loader_neware_txt/raw.parquet'))),
      ).intoIPCStream(),
    );
    const cyc = i32(f, 'cycle_index');
    const cc = f64(f, 'cumulative_charge_capacity_Ah');
    const cd = f64(f, 'cumulative_discharge_capacity_Ah');
    const gc = g.getChild('charge_capacity')!;
    const gd = g.getChild('discharge_capacity')!;
    let base = [0, 0];
    let ends = 0;
    for (let k = 0; k < f.length; k++) {
      if (k < f.length - 1 && cyc[k + 1] === cyc[k]) continue;
      expect(cc[k]! - base[0]!).toBeCloseTo(Number(gc.get(k)), 10);
      expect(cd[k]! - base[1]!).toBeCloseTo(Number(gd.get(k)), 10);
      base = [cc[k]!, cd[k]!];
      ends++;
    }
    expect(ends).toBe(4);
  });

  it('current is signed in the file: negative on CC_DChg, no sign inference', () => {
    const f = readSource(fixtureFile(UIO), { timeZone: 'UTC' });
    const i = f64(f, 'current_A');
    const st = labels(f);
    let wrong = 0;
    for (let k = 0; k < f.length; k++) if (st[k] === 'CC_DChg' && !(i[k]! < 0)) wrong++;
    expect(wrong).toBe(0);
    expect(new Set(st)).toEqual(new Set(['Rest', 'CC_Chg', 'CC_DChg']));
    expect(codes(f)).not.toContain('DISCERN_CURRENT_SIGN_INFERRED');
  });
});

describe.skipIf(!haveFixtures)(
  'Neware BTSDA record layer: interp-test.csv (windows-1252, µA / mV / mAs)',
  () => {
    it('matches the BTSDA Parquet export of the same test', async () => {
      const f = readSource(fixtureFile(INTERP), { timeZone: 'UTC' });
      expect(f.meta.format).toBe('neware-csv');
      expect(codes(f)).toContain('DISCERN_ENCODING_FALLBACK');
      expect(f.channels.find((c) => c.name === 'current_A')?.source).toBe('Current(µA)');
      const ref = await duckRows(
        INTERP.replace('.csv', '.parquet'),
        '"Total Time" AS t, "Time" AS st, "Voltage(mV)" AS v, "Current(uA)" AS i, "Capacity(mAs)" AS q, ' +
          'epoch_ms("Date") AS d, "Cycle Index" AS c, "Step Index" AS s, CAST("Step Type" AS VARCHAR) AS type',
      );
      expect(ref.length).toBe(333);
      expect(f.length).toBe(333);
      const t = f64(f, 'test_time_s');
      const stime = f64(f, 'step_time_s');
      const v = f64(f, 'voltage_V');
      const i = f64(f, 'current_A');
      const u = f64(f, 'unix_time_s');
      const q = f64(f, 'charge_capacity_Ah');
      const cyc = i32(f, 'cycle_index');
      const step = i32(f, 'step_index');
      const st = labels(f);
      let bad = 0;
      for (let k = 0; k < ref.length; k++) {
        const r = ref[k]!;
        if (Math.abs(t[k]! - Number(r['t'])) > 1e-6 || Math.abs(stime[k]! - Number(r['st'])) > 1e-6) bad++;
        // The Parquet holds float32 millivolts (0.2 mV -> 0.20000000298 mV).
        if (Math.abs(v[k]! - Number(r['v']) * 1e-3) > 1e-9) bad++;
        if (Math.abs(i[k]! - Number(r['i']) * 1e-6) > 1e-12) bad++;
        if (Math.abs(q[k]! - (Number(r['q']) * 1e-3) / 3600) > 1e-12) bad++;
        if (Math.abs(u[k]! - Number(r['d']) / 1000) > 1e-6) bad++;
        if (cyc[k] !== Number(r['c']) || step[k] !== Number(r['s']) || st[k] !== r['type']) bad++;
      }
      expect(bad).toBe(0);
      // 333 rows of rest at 0.2 mV.
      expect(v.every((x) => Math.abs(x - 2e-4) < 1e-12)).toBe(true);
      expect(i.every((x) => x === 0)).toBe(true);
    });
  },
);

/** The step rows of the nested export, read straight from the text: [step number, type, capacity Ah]. */
function nestedSteps(text: string): { number: number; type: string; capacity: number }[] {
  const out: { number: number; type: string; capacity: number }[] = [];
  const lines = text.split(/\r?\n/).slice(3);
  for (const line of lines) {
    let cells: string[] | undefined;
    if (/^,[^,]/.test(line)) cells = line.split(',');
    else if (/^[0-9]/.test(line)) {
      const all = line.split(',');
      if (all.length > 8) cells = ['', ...all.slice(8)];
    }
    if (cells !== undefined)
      out.push({ number: Number(cells[2]), type: cells[3]!, capacity: Number(cells[5]) });
  }
  return out;
}

/** The cycle rows: [cycle, charge Ah, discharge Ah]. */
function nestedCycles(text: string): [number, number, number][] {
  return text
    .split(/\r?\n/)
    .slice(3)
    .filter((l) => /^[0-9]/.test(l))
    .map((l) => l.split(','))
    .map((c) => [Number(c[0]), Number(c[1]), Number(c[2])]);
}

describe.skipIf(!haveFixtures)('Neware BTSDA nested export: nw_regular_export_ife_example.csv', () => {
  const text = haveFixtures ? readFileSync(fixture(NESTED), 'latin1') : '';

  it('is detected as neware-csv and reads every record row', () => {
    expect(detectFormat(fixtureFile(NESTED)).id).toBe('neware-csv');
    const f = readSource(fixtureFile(NESTED), { timeZone: 'UTC' });
    expect(f.length).toBe(text.split(/\r?\n/).filter((l) => /^,,[0-9]/.test(l)).length);
    expect(f.length).toBe(9295);
    expect(f.meta.header['layout']).toBe('nested');
    expect(f.meta.startTime?.unixS).toBe(Date.UTC(2026, 2, 6, 12, 37, 25) / 1000);
    // First record: ,,1,00:00:00,00:00:00,0.00000,4.3185,...,T1 26.61, CPU 25.36
    expect(f64(f, 'voltage_V')[0]).toBe(4.3185);
    expect(f64(f, 'temperature_degC')[0]).toBe(26.61);
    expect(f64(f, 'aux_cpu_temperature_degC')[0]).toBe(25.36);
    const last = f.length - 1;
    expect(f64(f, 'test_time_s')[last]).toBe(27 * 3600 + 55 * 60 + 43);
  });

  it('cycle, step number and step type come from the cycle and step rows', () => {
    const f = readSource(fixtureFile(NESTED), { timeZone: 'UTC' });
    const steps = nestedSteps(text);
    expect(steps.length).toBe(81);
    const cyc = i32(f, 'cycle_index');
    expect([Math.min(...cyc), Math.max(...cyc)]).toEqual([1, nestedCycles(text).length]);
    expect(Math.max(...cyc)).toBe(20);
    const count = i32(f, 'step_count');
    expect(count[0]).toBe(1);
    expect(count[count.length - 1]).toBe(81);
    const st = labels(f);
    for (let k = 0; k < f.length; k++) {
      const s = steps[count[k]! - 1]!;
      if (st[k] !== s.type.replace(/ /g, '_')) throw new Error(`row ${k}: ${st[k]} vs ${s.type}`);
    }
  });

  it("each step's capacity equals the step row; each cycle's charge and discharge equal the cycle row", () => {
    const f = readSource(fixtureFile(NESTED), { timeZone: 'UTC' });
    const steps = nestedSteps(text);
    const count = i32(f, 'step_count');
    const qc = f64(f, 'step_charge_capacity_Ah');
    const qd = f64(f, 'step_discharge_capacity_Ah');
    let checked = 0;
    for (let k = 0; k < f.length; k++) {
      if (k < f.length - 1 && count[k + 1] === count[k]) continue;
      const s = steps[count[k]! - 1]!;
      // Step rows are rounded to 5 decimals.
      expect(qc[k]! + qd[k]!).toBeCloseTo(s.capacity, 5);
      if (/DChg/.test(s.type)) expect(qc[k]).toBe(0);
      checked++;
    }
    expect(checked).toBe(81);
    const cyc = i32(f, 'cycle_index');
    const cc = f64(f, 'cumulative_charge_capacity_Ah');
    const cd = f64(f, 'cumulative_discharge_capacity_Ah');
    const cycles = nestedCycles(text);
    let base = [0, 0];
    for (let k = 0; k < f.length; k++) {
      if (k < f.length - 1 && cyc[k + 1] === cyc[k]) continue;
      const row = cycles.find((c) => c[0] === cyc[k])!;
      expect(cc[k]! - base[0]!).toBeCloseTo(row[1], 4);
      expect(cd[k]! - base[1]!).toBeCloseTo(row[2], 4);
      base = [cc[k]!, cd[k]!];
    }
  });

  it('current is negative on discharge steps', () => {
    const f = readSource(fixtureFile(NESTED), { timeZone: 'UTC' });
    const i = f64(f, 'current_A');
    const st = labels(f);
    let wrong = 0;
    for (let k = 0; k < f.length; k++) if (st[k] === 'CC_DChg' && !(i[k]! < 0)) wrong++;
    expect(wrong).toBe(0);
  });
});

describe('Neware BTSDA CSV (synthetic)', () => {
  const HEADER =
    'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V),Capacity(mAh),Date,Power(mW)\n';
  const read = (text: string): Frame => newareCsvReader.read(textFile('n.csv', text), { timeZone: 'UTC' });

  it('signs an unsigned current (and power) from the step type', () => {
    const f = read(
      HEADER +
        '1,1,1,CC_Chg,00:00:00,00:00:00,500,3.5,0,2024-01-01 00:00:00,1750\n' +
        '2,1,1,CC_Chg,00:00:10,00:00:10,500,3.6,1.39,2024-01-01 00:00:10,1800\n' +
        '3,1,2,CC_DChg,00:00:00,00:00:10,500,3.6,0,2024-01-01 00:00:10,1800\n' +
        '4,1,2,CC_DChg,00:00:10,00:00:20,500,3.5,1.39,2024-01-01 00:00:20,1750\n',
    );
    expect(Array.from(f64(f, 'current_A'))).toEqual([0.5, 0.5, -0.5, -0.5]);
    expect(f64(f, 'power_W')[3]).toBeCloseTo(-1.75, 12);
    expect(codes(f)).toContain('DISCERN_CURRENT_SIGN_INFERRED');
    // The unsigned per-step Capacity is split by direction.
    expect(f64(f, 'charge_capacity_Ah')[1]).toBeCloseTo(0.00139, 12);
    expect(f64(f, 'discharge_capacity_Ah')[1]).toBe(0);
    expect(f64(f, 'discharge_capacity_Ah')[3]).toBeCloseTo(0.00139, 12);
  });

  it('header only: DISCERN_NO_DATA', () => {
    expect(errorOf(() => read(HEADER)).code).toBe('DISCERN_NO_DATA');
  });

  it('no voltage column: DISCERN_MISSING_COLUMN', () => {
    const e = errorOf(() =>
      read(HEADER.replace(',Voltage(V)', '') + '1,1,1,Rest,00:00:00,00:00:00,0,0,2024-01-01 00:00:00,0\n'),
    );
    expect(e.code).toBe('DISCERN_MISSING_COLUMN');
  });

  it('truncated last row: DISCERN_PARSE_TRUNCATED with its line', () => {
    const e = errorOf(() =>
      read(HEADER + '1,1,1,Rest,00:00:00,00:00:00,0,3.5,0,2024-01-01 00:00:00,0\n2,1,1,Rest,00:00:'),
    );
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.line).toBe(3);
  });

  it('a bad time: DISCERN_PARSE_BAD_VALUE with line and column', () => {
    const e = errorOf(() => read(HEADER + '1,1,1,Rest,00:00:00,00:xx:00,0,3.5,0,2024-01-01 00:00:00,0\n'));
    expect(e.code).toBe('DISCERN_PARSE_BAD_VALUE');
    expect(e.line).toBe(2);
    expect(e.column).toBe('Total Time');
  });

  it('a known column in a unit of another dimension: DISCERN_UNKNOWN_COLUMN', () => {
    const e = errorOf(() =>
      read(HEADER.replace('Voltage(V)', 'Voltage(mA)') + '1,1,1,Rest,0,0,0,3.5,0,,0\n'),
    );
    expect(e.code).toBe('DISCERN_UNKNOWN_COLUMN');
  });

  it('nested export: a record before any step row is DISCERN_CORRUPT', () => {
    const text =
      'Cycle Index,Chg. Cap.(Ah)\n,Step Index,Step Number,Step Type\n,,DataPoint,Time,Total Time,Current(A),Voltage(V)\n' +
      ',,1,00:00:00,00:00:00,0,3.5\n';
    const e = errorOf(() => read(text));
    expect(e.code).toBe('DISCERN_CORRUPT');
    expect(e.line).toBe(4);
  });

  it('nested export: the first step row may sit on the first cycle row', () => {
    const text =
      'Cycle Index,Chg. Cap.(Ah)\n,Step Index,Step Number,Step Type\n,,DataPoint,Time,Total Time,Current(A),Voltage(V)\n' +
      '1,0.001,1,1,CC Chg\n,,1,00:00:00,00:00:00,1,3.5\n,2,2,CC DChg\n,,2,00:00:00,00:00:01,-1,3.4\n';
    const f = read(text);
    expect(Array.from(i32(f, 'cycle_index'))).toEqual([1, 1]);
    expect(Array.from(i32(f, 'step_index'))).toEqual([1, 2]);
    expect(Array.from(i32(f, 'step_count'))).toEqual([1, 2]);
    expect(labels(f)).toEqual(['CC_Chg', 'CC_DChg']);
  });

  it('not a BTSDA header: DISCERN_PARSE_BAD_HEADER', () => {
    expect(errorOf(() => read('a,b,c\n1,2,3\n')).code).toBe('DISCERN_PARSE_BAD_HEADER');
  });
});
