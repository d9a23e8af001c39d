import { readFileSync } from 'node:fs';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import {
  categoryColumn,
  floatColumn,
  intColumn,
  isDiscernError,
  type DiscernError,
  type Frame,
} from '../../src/core/index.js';
import { detectFormat, readSource } from '../../src/ingest/index.js';
import { fixture, fixtureFile, haveFixtures, textFile } from '../helpers/fixtures.js';

const NOVA = 'beep/test_Nova_Form-CH01-01_short.csv';
const NOVA_SUMMARY = 'beep/test_Nova_Form-CH01-01_short_metadata.csv';
const PEC = 'cellpy/pec.csv';
const PEC2 = 'cellpy/Test25195.csv';

function errorOf(fn: () => unknown): DiscernError {
  try {
    fn();
  } catch (e) {
    if (isDiscernError(e)) return e;
    throw e;
  }
  throw new Error('expected a DiscernError');
}

const f64 = (f: Frame, name: string): Float64Array => {
  const c = floatColumn(f, name);
  if (c === undefined) throw new Error(`no float channel ${name}`);
  return c;
};
const codes = (f: Frame): string[] => f.meta.warnings.map((w) => w.code);

/** The [Data] rows of the Novonix fixture, read naively from its text: the reference. */
function novonixText(): { header: string[]; rows: string[][] } {
  const lines = readFileSync(fixture(NOVA), 'utf8').split(/\r?\n/);
  const at = lines.indexOf('[Data]');
  const unquote = (l: string): string[] => l.replace(/^"|"$/g, '').split(',');
  return {
    header: unquote(lines[at + 1]!),
    rows: lines
      .slice(at + 2)
      .filter((l) => l !== '')
      .map(unquote),
  };
}

describe.skipIf(!haveFixtures)('Novonix HPC CSV (beep fixture)', () => {
  it('reads the [Data] section: 3942 rows, 15 file columns, increasing test time', () => {
    const file = fixtureFile(NOVA);
    expect(detectFormat(file).id).toBe('novonix-csv');
    const f = readSource(file, { timeZone: 'America/Los_Angeles' });
    const { header, rows } = novonixText();
    expect(header).toHaveLength(15);
    expect(f.length).toBe(3942);
    expect(rows).toHaveLength(3942);
    const t = f64(f, 'test_time_s');
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    const k = header.indexOf('Run Time (h)');
    rows.forEach((r, i) => expect(t[i]).toBeCloseTo(Number(r[k]) * 3600, 9));
    const v = f64(f, 'voltage_V');
    const kv = header.indexOf('Potential (V)');
    rows.forEach((r, i) => expect(v[i]).toBe(Number(r[kv])));
  });

  it("keeps beep's step-type order [0, 7, 8, 1] as named step types; Step Number is the step index", () => {
    const f = readSource(fixtureFile(NOVA), { timeZone: 'UTC' });
    const { header, rows } = novonixText();
    const kt = header.indexOf('Step Type');
    const order = [...new Set(rows.map((r) => Number(r[kt])))];
    expect(order).toEqual([0, 7, 8, 1]);
    const st = categoryColumn(f, 'step_type')!;
    expect(st.levels).toEqual(['rest', 'cccv_charge', 'cv_hold_charge', 'cc_charge']);
    const kn = header.indexOf('Step Number');
    expect(Array.from(intColumn(f, 'step_index')!)).toEqual(rows.map((r) => Number(r[kn])));
  });

  it("keeps the current sign (positive on charge) and agrees with the file's own capacity counter", () => {
    const f = readSource(fixtureFile(NOVA), { timeZone: 'UTC' });
    const i = f64(f, 'current_A');
    const st = categoryColumn(f, 'step_type')!;
    for (let r = 0; r < f.length; r++) {
      const type = st.levels[st.codes[r]!]!;
      if (type.endsWith('charge') && !type.includes('discharge')) expect(i[r]!).toBeGreaterThanOrEqual(0);
    }
    // Coulomb counting of current_A against the file's Capacity (Ah) (net since the cycle began).
    const q = f64(f, 'net_capacity_Ah');
    const cum = f64(f, 'cumulative_charge_capacity_Ah');
    expect(q[f.length - 1]).toBe(0.0294679161);
    expect(Math.abs(cum[f.length - 1]! - q[f.length - 1]!) / q[f.length - 1]!).toBeLessThan(0.005);
  });

  it('reads the summary: start time in the given zone, channel, software version', () => {
    const f = readSource(fixtureFile(NOVA), { timeZone: 'America/Los_Angeles' });
    // Started: 2022-04-11 10:58:07 AM, Pacific daylight time (UTC-7).
    expect(f.meta.startTime).toEqual({
      unixS: Date.UTC(2022, 3, 11, 17, 58, 7) / 1000,
      timeZone: 'America/Los_Angeles',
      assumed: false,
    });
    const unix = f64(f, 'unix_time_s');
    expect(unix[f.length - 1]).toBe(Date.UTC(2022, 3, 12, 11, 24, 11) / 1000);
    expect(f.meta.channel).toBe('01');
    expect(f.meta.softwareVersion).toBe('2.2.1.6');
    expect(f.meta.header['Protocol']).toBe('XC_Formation_Entree_Test.pro1');
    const g = readSource(fixtureFile(NOVA));
    expect(codes(g)).toContain('DISCERN_TZ_ASSUMED');
  });

  it('recognises the _metadata.csv summary table and refuses it as data', () => {
    const file = fixtureFile(NOVA_SUMMARY);
    expect(detectFormat(file).id).toBe('novonix-summary-csv');
    const e = errorOf(() => readSource(file));
    expect(e.code).toBe('DISCERN_NOT_DATA');
    expect(e.message).toContain(NOVA);
  });
});

describe('Novonix CSV (synthetic)', () => {
  const head = [
    '[Summary]',
    'Novonix HPC data file',
    'Novonix',
    'Channel: 03',
    'Started: 1/3/2019 12:50:05 PM',
    '[End Summary]',
    '[Data]',
  ];
  const columns =
    'Date and Time,Cycle Number,Step Type,Run Time (h),Step Time (h),Current (A),Potential (V),Capacity (Ah),Temperature (°C),Step Number,Power(W)';

  it('keeps negative discharge current, reads M/D/Y dates and unquoted lines', () => {
    const text = [
      ...head,
      columns,
      '1/3/2019 12:50:05 PM,1,1,0.0000000,0.0000000,1.5000000000,4.10,0.0000000000,25.0,1,6.15',
      '1/3/2019 12:50:35 PM,1,2,0.0083333,0.0083333,-1.5000000000,4.00,0.0100000000,25.1,2,-6.0',
      '1/13/2019 12:51:05 PM,2,0,0.0166667,0.0166667,0.0000000000,4.05,0.0000000000,25.2,3,0',
    ].join('\n');
    const f = readSource(textFile('nova.csv', text), { timeZone: 'UTC' });
    expect(f.meta.format).toBe('novonix-csv');
    expect(Array.from(f64(f, 'current_A'))).toEqual([1.5, -1.5, 0]);
    expect(Array.from(f64(f, 'power_W'))).toEqual([6.15, -6, 0]);
    expect(f64(f, 'unix_time_s')[2]).toBe(Date.UTC(2019, 0, 13, 12, 51, 5) / 1000);
    expect(f.meta.startTime?.unixS).toBe(Date.UTC(2019, 0, 3, 12, 50, 5) / 1000);
    expect(categoryColumn(f, 'step_type')?.levels).toEqual(['cc_charge', 'cc_discharge', 'rest']);
    expect(f64(f, 'test_time_s')[1]).toBeCloseTo(30, 3);
  });

  it('guards: header only, missing Potential column, truncated row', () => {
    expect(errorOf(() => readSource(textFile('n1.csv', [...head, columns].join('\n')))).code).toBe(
      'DISCERN_NO_DATA',
    );
    const noV = columns.replace('Potential (V)', 'Other (V)');
    const e = errorOf(() =>
      readSource(textFile('n2.csv', [...head, noV, '2019-01-03 12:50:05,1,1,0,0,1,4,0,25,1,1'].join('\n'))),
    );
    expect(e.code).toBe('DISCERN_MISSING_COLUMN');
    const t = errorOf(() =>
      readSource(textFile('n3.csv', [...head, columns, '2019-01-03 12:50:05,1,1,0,0,1,4'].join('\n'))),
    );
    expect(t.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(t.line).toBe(9);
  });
});

function golden(): Table {
  const bytes = readFileSync(fixture('cellpy/goldens/loader_pec_csv/raw.parquet'));
  return tableFromIPC(readParquet(new Uint8Array(bytes)).intoIPCStream());
}

describe.skipIf(!haveFixtures)('PEC CSV (cellpy fixtures)', () => {
  it("reads pec.csv with the values cellpy's tests expect", () => {
    const file = fixtureFile(PEC);
    expect(detectFormat(file).id).toBe('pec-csv');
    const f = readSource(file, { timeZone: 'UTC' });
    expect(f.length).toBe(16255);
    expect(f.meta.header['Test']).toBe('187');
    expect(f.meta.header['TestRegime Name']).toBe('SAFT VL43EFe dQdV C/25');
    expect(f.meta.startTime).toEqual({
      unixS: Date.UTC(2019, 1, 22, 16, 21, 35) / 1000,
      timeZone: 'UTC',
      assumed: false,
    });
    expect(f64(f, 'voltage_V')[0]).toBeCloseTo(3.272632, 9);
    expect(f64(f, 'current_A')[5]).toBeCloseTo(-1.6339, 9);
    expect(f64(f, 'discharge_capacity_Ah')[6]).toBeCloseTo(0.000455, 12);
    expect(f64(f, 'discharge_energy_Wh')[6]).toBeCloseTo(0.001487, 12);
    // cellpy numbers cycles from 1; the file (and discern) from 0.
    expect(Math.min(...intColumn(f, 'cycle_index')!)).toBe(0);
  });

  it("matches cellpy's golden raw table column by column", () => {
    const f = readSource(fixtureFile(PEC), { timeZone: 'UTC' });
    const g = golden();
    expect(g.numRows).toBe(f.length);
    const col = (name: string): number[] =>
      Array.from(g.getChild(name)!.toArray() as ArrayLike<number | bigint>, (v) => Number(v));
    const close = (ours: ArrayLike<number>, theirs: number[], what: string): void => {
      for (let i = 0; i < theirs.length; i++) {
        const a = ours[i]!;
        const b = theirs[i]!;
        if (Number.isNaN(b)) continue;
        if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) throw new Error(`${what}[${i}]: ${a} vs ${b}`);
      }
    };
    close(f64(f, 'voltage_V'), col('voltage'), 'voltage');
    close(f64(f, 'current_A'), col('current'), 'current');
    close(f64(f, 'charge_capacity_Ah'), col('charge_capacity'), 'charge_capacity');
    close(f64(f, 'discharge_capacity_Ah'), col('discharge_capacity'), 'discharge_capacity');
    close(f64(f, 'charge_energy_Wh'), col('charge_energy'), 'charge_energy');
    close(f64(f, 'discharge_energy_Wh'), col('discharge_energy'), 'discharge_energy');
    close(f64(f, 'test_time_s'), col('test_time'), 'test_time');
    close(f64(f, 'step_time_s'), col('step_time'), 'step_time');
    close(intColumn(f, 'step_index')!, col('step_index'), 'step_index');
    close(
      Array.from(intColumn(f, 'cycle_index')!, (c) => c + 1),
      col('cycle_index'),
      'cycle_index',
    );
    // cellpy stores the naive date as if it were UTC (Timestamp<MICROSECOND>).
    expect(String(g.schema.fields.find((x) => x.name === 'date_time')?.type)).toBe('Timestamp<MICROSECOND>');
    close(
      Array.from(f64(f, 'unix_time_s'), (s) => s * 1e6),
      col('date_time'),
      'date_time',
    );
  });

  it('reads Test25195.csv: 45 metadata lines, hh:mm:ss durations, V and A units', () => {
    const f = readSource(fixtureFile(PEC2), { timeZone: 'UTC' });
    expect(f.meta.format).toBe('pec-csv');
    expect(f.length).toBe(19);
    expect(f64(f, 'test_time_s')[0]).toBeCloseTo(0.002, 9);
    expect(f64(f, 'test_time_s')[18]).toBeCloseTo(162.363, 9);
    expect(f64(f, 'voltage_V')[0]).toBe(3.5690308);
    expect(f64(f, 'current_A')[0]).toBe(-8e-6);
    expect(categoryColumn(f, 'step_type')?.levels).toEqual(['Idle']);
    expect(f.meta.header['Test']).toBe('25195');
    expect(f.meta.startTime?.unixS).toBe(Date.UTC(2026, 0, 6, 17, 46, 49) / 1000);
    expect(f64(f, 'temperature_degC')[1]).toBe(16.75);
  });
});

describe('PEC CSV guards', () => {
  const meta = ['Request Year:,2019', 'Test:,1', 'Start Time:,02/22/2019 16:21:35'];
  const header =
    'Test,Cell,Rack,Shelf,Position,Cell ID,Step,Cycle,Total Time (Seconds),Real Time,Voltage (mV),Current (mA),Charge Capacity (mAh),Discharge Capacity (mAh),';

  it('rejects a header-only file with DISCERN_NO_DATA', () => {
    expect(errorOf(() => readSource(textFile('p.csv', [...meta, header].join('\n')))).code).toBe(
      'DISCERN_NO_DATA',
    );
  });

  it('rejects a file without voltage with DISCERN_MISSING_COLUMN', () => {
    const text = [
      ...meta,
      header.replace('Voltage (mV),', ''),
      '1,1,R,001,1,,0,0,1,02/22/2019 16:23:27,0,0,0,',
    ].join('\n');
    expect(errorOf(() => readSource(textFile('p.csv', text))).code).toBe('DISCERN_MISSING_COLUMN');
  });

  it('rejects a truncated row with DISCERN_PARSE_TRUNCATED and its line', () => {
    const text = [
      ...meta,
      header,
      '1,1,R,001,1,,0,0,1,02/22/2019 16:23:27,3272.6,0,0,0,',
      '1,1,R,001,1,,0,0,2,02/22',
    ].join('\n');
    const e = errorOf(() => readSource(textFile('p.csv', text)));
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.line).toBe(6);
  });

  it('reads only the first cell of a multi-cell file, with a note', () => {
    const text = [
      ...meta,
      header,
      '1,1,R,001,1,,0,0,1,02/22/2019 16:23:27,3272.6,0,0,0,',
      '1,2,R,001,2,,0,0,1,02/22/2019 16:23:27,3300.0,0,0,0,',
      '1,1,R,001,1,,0,0,2,02/22/2019 16:23:28,3272.7,-1000,0,0.5,',
    ].join('\n');
    const f = readSource(textFile('p.csv', text), { timeZone: 'UTC' });
    expect(Array.from(f64(f, 'voltage_V'))).toEqual([3.2726, 3.2727]);
    expect(f64(f, 'current_A')[1]).toBe(-1);
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && /other cells/.test(w.message))).toBe(
      true,
    );
  });
});
