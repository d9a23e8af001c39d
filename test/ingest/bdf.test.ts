import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { DiscernError, categoryColumn, floatColumn, intColumn, type Frame } from '../../src/core/index.js';
import { bdfCsvReader, bdfParquetReader } from '../../src/ingest/bdf/index.js';
import { detectFormat, readSource } from '../../src/ingest/index.js';
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

function max(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

function min(a: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) if (a[i]! < m) m = a[i]!;
  return m;
}

function golden(rel: string): Table {
  return tableFromIPC(readParquet(new Uint8Array(readFileSync(fixture(rel)))).intoIPCStream());
}

/** Rows of a Parquet file as read by DuckDB (an independent Parquet reader). */
async function duckRows(rel: string, select: string): Promise<Record<string, number>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const path = fixture(rel).replace(/'/g, "''");
  const result = await con.runAndReadAll(`SELECT ${select} FROM read_parquet('${path}')`);
  const rows = result.getRowObjectsJS() as Record<string, unknown>[];
  con.closeSync();
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])));
}

const BDF = 'BDF/';
const G20M7 = `${BDF}SINTEF__G20M7-202512-Gru6mV__20251228__C30__25degC__Neware.bdf.csv`;
const SLPBA = `${BDF}SINTEF__SLPBA842124HV__2024-10-23__Rate_25degC__Neware__Time_Bug.bdf.csv`;
const DLR_GR = `${BDF}DLR__LiGrHydra0b__20230131__POCV__25degC__Basytec.bdf.csv`;
const DLR_LNMO = `${BDF}DLR__LiLNMOHydra0b__20221125__POCV__25degC__Basytec.bdf.csv`;
const LANDT_BDF = `${BDF}SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv`;

describe.skipIf(!haveFixtures)(
  'BDF reference files with known defects are flagged (MANIFEST section 6)',
  () => {
    it('G20M7 Neware: cycle_count is the constant 2*pi', () => {
      const f = readSource(fixtureFile(G20M7));
      expect(f.meta.format).toBe('bdf-csv');
      expect(codes(f)).toContain('DISCERN_CYCLE_NOT_INTEGER');
      expect(codes(f)).toContain('DISCERN_CYCLE_CONSTANT');
      const w = f.meta.warnings.find((x) => x.code === 'DISCERN_CYCLE_NOT_INTEGER')!;
      expect(w.count).toBe(f.length);
      expect(w.message).toContain('6.283185307179586');
    });

    it('SLPBA Neware "Time_Bug": test time goes backwards, and the returns are not pauses', () => {
      const f = readSource(fixtureFile(SLPBA));
      const w = f.meta.warnings.find((x) => x.code === 'DISCERN_TIME_NOT_MONOTONIC');
      expect(w).toBeDefined();
      // 19 rows have test_time_second below the previous row (counted with awk on the text); the
      // first is data row 723 (0-based row 722), where the time restarts at 0 at a step change.
      expect(w!.count).toBe(19);
      expect(w!.row).toBe(722);
      expect(f64(f, 'test_time_s')[722]).toBe(0);
      expect(codes(f)).not.toContain('DISCERN_TIME_PAUSE');
    });

    it.each([
      [DLR_GR, 1.33e9],
      [DLR_LNMO, 5.3e8],
    ])('DLR BaSyTec POCV %s: test time to %d s is flagged as a unit error', (rel, reach) => {
      const f = readSource(fixtureFile(rel));
      expect(codes(f)).toContain('DISCERN_TIME_UNIT_SUSPECT');
      expect(max(f64(f, 'test_time_s')) / reach).toBeCloseTo(1, 2);
    });

    it('a clean reference file raises none of these', () => {
      const f = readSource(fixtureFile(LANDT_BDF));
      for (const c of [
        'DISCERN_TIME_NOT_MONOTONIC',
        'DISCERN_TIME_UNIT_SUSPECT',
        'DISCERN_CYCLE_NOT_INTEGER',
        'DISCERN_CYCLE_CONSTANT',
      ]) {
        expect(codes(f)).not.toContain(c);
      }
    });
  },
);

describe.skipIf(!haveFixtures)('BDF CSV fixtures', () => {
  it('detects every BDF CSV as bdf-csv', () => {
    for (const rel of [
      G20M7,
      SLPBA,
      DLR_GR,
      DLR_LNMO,
      LANDT_BDF,
      `${BDF}sample.bdf.csv`,
      'cellpy/batmo_bdf.csv',
    ]) {
      expect(detectFormat(fixtureFile(rel)).id, rel).toBe('bdf-csv');
    }
  });

  it('Landt BDF conversion: 25162 rows, steps 1-3, t 0.02..262657.764 s, max 0.0032 / 0.0063 Ah', () => {
    const f = readSource(fixtureFile(LANDT_BDF));
    expect(f.length).toBe(25162);
    const step = i32(f, 'step_index');
    expect([min(step), max(step)]).toEqual([1, 3]);
    const t = f64(f, 'test_time_s');
    expect(t[0]).toBeCloseTo(0.02, 9);
    expect(t[t.length - 1]).toBeCloseTo(262657.764, 6);
    expect(max(f64(f, 'charge_capacity_Ah'))).toBeCloseTo(0.0032, 9);
    expect(max(f64(f, 'discharge_capacity_Ah'))).toBeCloseTo(0.0063, 9);
    expect(f64(f, 'ambient_temperature_degC')[0]).toBe(0);
  });

  it('G20M7: machine names map to canonical channels; unix time gives the start (UTC)', () => {
    const f = bdfCsvReader.read(fixtureFile(G20M7), {});
    // First data row of the file: 0.0,3.3067002,0.0,6.28...,1,1,0.0,0.0,0.0,0.0,1766393064.885
    expect(f64(f, 'voltage_V')[0]).toBe(3.3067002);
    expect(i32(f, 'step_count')[0]).toBe(1);
    expect(i32(f, 'step_index')[0]).toBe(1);
    expect(f.meta.startTime).toEqual({ unixS: 1766393064.885, timeZone: 'UTC', assumed: false });
    expect(f.channels.find((c) => c.name === 'charge_capacity_Ah')?.source).toBe('charging_capacity_ah');
  });

  it('SLPBA: temperature_t1 is the cell temperature, t2 and t3 auxiliary', () => {
    const f = bdfCsvReader.read(fixtureFile(SLPBA), {});
    // First data row: 0.000,3.8133,0.0000,1,1,0.0000,26.5,26.4,26.6
    expect(f64(f, 'temperature_degC')[0]).toBe(26.5);
    expect(f64(f, 'aux_temperature_2_degC')[0]).toBe(26.4);
    expect(f64(f, 'aux_temperature_3_degC')[0]).toBe(26.6);
    expect(f64(f, 'power_W')[0]).toBe(0);
  });

  it('sample.bdf.csv: labelled headers, 3 rows', () => {
    const f = readSource(fixtureFile(`${BDF}sample.bdf.csv`));
    expect(f.length).toBe(3);
    expect(Array.from(f64(f, 'test_time_s'))).toEqual([0, 1, 2]);
    expect(Array.from(f64(f, 'voltage_V'))).toEqual([3.7, 3.6, 3.5]);
    expect(Array.from(f64(f, 'current_A'))).toEqual([0.1, 0.1, 0.1]);
  });

  it('cellpy batmo_bdf.csv: hours to seconds, cycles 1-109, sign and steps as cellpy gives them', () => {
    const f = readSource(fixtureFile('cellpy/batmo_bdf.csv'));
    expect(f.length).toBe(21206);
    const cyc = i32(f, 'cycle_index');
    expect([min(cyc), max(cyc)]).toEqual([1, 109]);
    // BattMo writes discharge current as positive; the Step Type column says so.
    expect(codes(f)).toContain('DISCERN_CURRENT_SIGN_INFERRED');
    const g = golden('cellpy/goldens/loader_batmo_bdf/raw.parquet');
    expect(g.numRows).toBe(f.length);
    const t = f64(f, 'test_time_s');
    const v = f64(f, 'voltage_V');
    const i = f64(f, 'current_A');
    const steps = i32(f, 'step_count');
    const gt = g.getChild('test_time')!.toArray() as Float64Array;
    const gv = g.getChild('voltage')!.toArray() as Float64Array;
    const gi = g.getChild('current')!.toArray() as Float64Array;
    const gc = g.getChild('cycle_index')!;
    const gs = g.getChild('step_index')!;
    let worstT = 0;
    let worstV = 0;
    let worstI = 0;
    let badCycle = 0;
    let badStep = 0;
    for (let k = 0; k < f.length; k++) {
      worstT = Math.max(worstT, Math.abs(t[k]! - gt[k]!) / Math.max(1, gt[k]!));
      worstV = Math.max(worstV, Math.abs(v[k]! - gv[k]!));
      worstI = Math.max(worstI, Math.abs(i[k]! - gi[k]!));
      if (cyc[k] !== Number(gc.get(k))) badCycle++;
      // cellpy renumbers "Step Index / 1" (which restarts every cycle) into a running count.
      if (steps[k] !== Number(gs.get(k))) badStep++;
    }
    expect(worstT).toBeLessThanOrEqual(1e-7);
    expect(worstV).toBeLessThanOrEqual(1e-12);
    expect(worstI).toBeLessThanOrEqual(1e-12);
    expect(badCycle).toBe(0);
    expect(badStep).toBe(0);
    const st = categoryColumn(f, 'step_type')!;
    expect(st.levels[st.codes[0]!]).toBe('discharge');
    expect(i[0]).toBeLessThan(0);
  });
});

describe.skipIf(!haveFixtures)('BDF Parquet', () => {
  it('legacy.bdf.parquet (legacy names) matches DuckDB reading the same file', async () => {
    const file = fixtureFile(`${BDF}legacy.bdf.parquet`);
    expect(detectFormat(file).id).toBe('bdf-parquet');
    const f = readSource(file);
    const ref = await duckRows(
      `${BDF}legacy.bdf.parquet`,
      'test_time_millisecond AS t, current_ampere AS i, voltage_volt AS v, cycle_dimensionless AS c, date_time_millisecond AS d, ambient_temperature_celsius AS temp',
    );
    expect(f.length).toBe(ref.length);
    expect(f.length).toBe(5000);
    const t = f64(f, 'test_time_s');
    const i = f64(f, 'current_A');
    const v = f64(f, 'voltage_V');
    const c = i32(f, 'cycle_index');
    const u = f64(f, 'unix_time_s');
    const temp = f64(f, 'ambient_temperature_degC');
    let worstT = 0;
    let worstU = 0;
    let mismatches = 0;
    for (let k = 0; k < ref.length; k++) {
      const r = ref[k]!;
      worstT = Math.max(worstT, Math.abs(t[k]! - r['t']! / 1000));
      worstU = Math.max(worstU, Math.abs(u[k]! - r['d']! / 1000));
      if (!Object.is(i[k], r['i']) || v[k] !== r['v'] || c[k] !== r['c'] || temp[k] !== r['temp'])
        mismatches++;
    }
    expect(worstT).toBeLessThan(1e-9);
    expect(worstU).toBeLessThan(1e-6);
    expect(mismatches).toBe(0);
    expect(f.meta.startTime?.unixS).toBeCloseTo(ref[0]!['d']! / 1000, 6);
  });

  it('a Parquet file without BDF columns is not BDF', () => {
    const e = errorOf(() =>
      bdfParquetReader.read(fixtureFile('cellpy/goldens/loader_neware_txt/raw.parquet'), {}),
    );
    expect(e.code).toBe('DISCERN_UNKNOWN_FORMAT');
  });

  it('a Parquet file cut short is truncated, with the byte offset', () => {
    const bytes = new Uint8Array(readFileSync(fixture(`${BDF}legacy.bdf.parquet`)));
    const cut = bytes.subarray(0, bytes.length - 100);
    const e = errorOf(() => bdfParquetReader.read({ name: 'cut.bdf.parquet', bytes: cut }, {}));
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.offset).toBe(cut.length);
  });
});

describe('BDF Parquet guards (synthetic)', () => {
  it('rejects garbage between valid magic bytes as corrupt', () => {
    const bytes = new Uint8Array(64);
    bytes.set([0x50, 0x41, 0x52, 0x31], 0);
    bytes.set([0x50, 0x41, 0x52, 0x31], 60);
    for (let k = 4; k < 60; k++) bytes[k] = (k * 37) & 0xff;
    const e = errorOf(() => bdfParquetReader.read({ name: 'x.bdf.parquet', bytes }, {}));
    expect(['DISCERN_CORRUPT', 'DISCERN_UNSUPPORTED_FORMAT']).toContain(e.code);
  });

  it('rejects an empty file and a file without magic', () => {
    expect(
      errorOf(() => bdfParquetReader.read({ name: 'e.bdf.parquet', bytes: new Uint8Array(0) }, {})).code,
    ).toBe('DISCERN_EMPTY_FILE');
    const e = errorOf(() => bdfParquetReader.read(textFile('x.bdf.parquet', 'test_time_second\n1\n'), {}));
    expect(e.code).toBe('DISCERN_CORRUPT');
  });
});

describe('BDF CSV (synthetic)', () => {
  const read = (text: string, name = 'x.bdf.csv'): Frame => bdfCsvReader.read(textFile(name, text), {});

  it('converts labelled units: minutes, mV, mA, mAh', () => {
    const f = read('Test Time / min,Voltage / mV,Current / mA,Charging Capacity / mAh\n1,3700,500,12.5\n');
    expect(f64(f, 'test_time_s')[0]).toBe(60);
    expect(f64(f, 'voltage_V')[0]).toBeCloseTo(3.7, 12);
    expect(f64(f, 'current_A')[0]).toBeCloseTo(0.5, 12);
    expect(f64(f, 'charge_capacity_Ah')[0]).toBeCloseTo(0.0125, 12);
  });

  it('keeps unknown columns as aux and says so', () => {
    const f = read(
      'test_time_second,voltage_volt,current_ampere,cumulative_capacity_ah,note\n0,3,1,0.5,a\n1,3,1,0.6,b\n',
    );
    expect(f64(f, 'aux_cumulative_capacity_ah')[1]).toBe(0.6);
    const note = categoryColumn(f, 'aux_note')!;
    expect(note.levels).toEqual(['a', 'b']);
    expect(codes(f)).toContain('DISCERN_COLUMN_IGNORED');
  });

  it('step_id is the program step; next to it step_index is a record counter', () => {
    const rows = ['test_time_second,voltage_volt,current_ampere,step_id,step_index'];
    for (let k = 0; k < 12; k++) rows.push(`${k},3.5,0.1,${k < 6 ? 1 : 2},${(k % 6) + 1}`);
    const f = read(rows.join('\n'));
    expect(Array.from(i32(f, 'step_index'))).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(f.columns['aux_step_record_index']).toBeDefined();
  });

  it('a lone step_index that counts records within steps is not taken as the program step', () => {
    const rows = ['test_time_second,voltage_volt,current_ampere,step_index'];
    for (let k = 0; k < 12; k++) rows.push(`${k},3.5,0.1,${(k % 6) + 1}`);
    const f = read(rows.join('\n'));
    expect(f.columns['step_index']).toBeUndefined();
    expect(f.columns['aux_step_record_index']).toBeDefined();
    expect(codes(f)).toContain('DISCERN_NOTE');
  });

  it('negates a current that is positive on discharge by its step type, and only then', () => {
    const rows = ['test_time_second,voltage_volt,current_ampere,step_type'];
    for (let k = 0; k < 20; k++) rows.push(`${k},3.5,${k < 10 ? 1 : 0},${k < 10 ? 'CC_DCH' : 'REST'}`);
    const flipped = read(rows.join('\n'));
    expect(f64(flipped, 'current_A')[0]).toBe(-1);
    expect(Object.is(f64(flipped, 'current_A')[15], 0)).toBe(true);
    expect(codes(flipped)).toContain('DISCERN_CURRENT_SIGN_INFERRED');
    const ok = read(rows.join('\n').replace(/,1,CC_DCH/g, ',-1,CC_DCH'));
    expect(f64(ok, 'current_A')[0]).toBe(-1);
    expect(codes(ok)).not.toContain('DISCERN_CURRENT_SIGN_INFERRED');
  });

  it('a reset of test time to 0 is not monotonic but not a pause; a real gap is a pause', () => {
    const head = 'test_time_second,voltage_volt,current_ampere\n';
    const rows = (ts: number[]): string => head + ts.map((t) => `${t},3.5,0`).join('\n');
    // Every 10 s to 2000 s, one row back at 0, then on from 2010 s (the SLPBA "Time_Bug" shape).
    const steady = Array.from({ length: 201 }, (_, k) => 10 * k);
    const reset = readSource(textFile('r.bdf.csv', rows([...steady, 0, 2010, 2020, 2030])));
    expect(codes(reset)).toContain('DISCERN_TIME_NOT_MONOTONIC');
    expect(codes(reset)).not.toContain('DISCERN_TIME_PAUSE');
    const pause = readSource(textFile('p.bdf.csv', rows([...steady, 5000, 5010, 5020])));
    expect(codes(pause)).toContain('DISCERN_TIME_PAUSE');
    expect(codes(pause)).not.toContain('DISCERN_TIME_NOT_MONOTONIC');
  });

  it('header only: DISCERN_NO_DATA', () => {
    expect(errorOf(() => read('test_time_second,voltage_volt,current_ampere\n')).code).toBe(
      'DISCERN_NO_DATA',
    );
  });

  it('missing current: DISCERN_MISSING_COLUMN on line 1', () => {
    const e = errorOf(() => read('test_time_second,voltage_volt\n0,3.5\n'));
    expect(e.code).toBe('DISCERN_MISSING_COLUMN');
    expect(e.line).toBe(1);
  });

  it('not BDF at all: DISCERN_UNKNOWN_FORMAT', () => {
    expect(errorOf(() => read('a,b,c\n1,2,3\n')).code).toBe('DISCERN_UNKNOWN_FORMAT');
  });

  it('truncated last row: DISCERN_PARSE_TRUNCATED with its line', () => {
    const e = errorOf(() => read('test_time_second,voltage_volt,current_ampere\n0,3.5,0.1\n1,3.5'));
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.line).toBe(3);
  });

  it('a bad number: DISCERN_PARSE_BAD_VALUE with line and column', () => {
    const e = errorOf(() => read('test_time_second,voltage_volt,current_ampere\n0,3.5,0.1\n1,x,0.1\n'));
    expect(e.code).toBe('DISCERN_PARSE_BAD_VALUE');
    expect(e.line).toBe(3);
    expect(e.column).toBe('voltage_volt');
  });

  it('a labelled quantity in a unit of another dimension: DISCERN_UNKNOWN_COLUMN', () => {
    expect(errorOf(() => read('Test Time / s,Voltage / mA,Current / A\n0,1,1\n')).code).toBe(
      'DISCERN_UNKNOWN_COLUMN',
    );
  });

  it('sniffs machine-name and labelled headers, not other CSVs', () => {
    const sniff = (name: string, text: string): number =>
      bdfCsvReader.sniff({
        name,
        ext: 'csv',
        head: new TextEncoder().encode(text),
        headText: text,
        size: text.length,
      });
    expect(sniff('a.bdf.csv', 'test_time_second,voltage_volt,current_ampere\n')).toBe(1);
    expect(sniff('a.csv', 'Test Time / h,Voltage / V,Current / A\n')).toBeGreaterThan(0.5);
    expect(sniff('a.csv', 'time,voltage,current\n')).toBe(0);
    expect(
      sniff('a.csv', 'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(A),Voltage(V)\n'),
    ).toBe(0);
  });
});
