import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  categoryColumn,
  floatColumn,
  intColumn,
  isDiscernError,
  type DiscernError,
  type Frame,
} from '../../src/core/index.js';
import {
  arbinCsvReader,
  arbinXlsxReader,
  detectFormat,
  openXlsx,
  parseArbinMetadataSidecar,
  readSource,
  sniffInput,
} from '../../src/ingest/index.js';
import { parseNumberBytes } from '../../src/ingest/arbin/bytes.js';
import { arbinColumn } from '../../src/ingest/arbin/columns.js';
import type { SourceFile } from '../../src/ingest/types.js';
import { fixtureFile, haveFixtures, textFile } from '../helpers/fixtures.js';

const OLD = 'beep/2017-05-09_test-TC-contact_CH33.csv';
const FAST = 'beep/FastCharge_000025_CH8.csv';

/** The DiscernError `fn` throws (fails the test when it throws something else or nothing). */
function errorOf(fn: () => unknown): DiscernError {
  try {
    fn();
  } catch (e) {
    if (isDiscernError(e)) return e;
    throw e;
  }
  throw new Error('expected a DiscernError');
}

/** Seeded PRNG (mulberry32) for reproducible synthetic data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f64 = (f: Frame, name: string): Float64Array => {
  const c = floatColumn(f, name);
  if (c === undefined) throw new Error(`no float channel ${name}`);
  return c;
};
const codes = (f: Frame): string[] => f.meta.warnings.map((w) => w.code);

/** The fixture's CSV as rows of strings, split naively (these files have no quotes): the reference. */
function csvRows(file: SourceFile): { header: string[]; rows: string[][] } {
  const lines = new TextDecoder()
    .decode(file.bytes)
    .split(/\r?\n/)
    .filter((l) => l !== '');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe.skipIf(!haveFixtures)('Arbin CSV fixtures (beep)', () => {
  it('reads the old ArbinResult export with empty step and cycle columns, with warnings', () => {
    const file = fixtureFile(OLD);
    expect(detectFormat(file).id).toBe('arbin-csv');
    const f = readSource(file);
    expect(f.meta.format).toBe('arbin-csv');
    expect(f.length).toBe(287);
    expect(f64(f, 'voltage_V')[0]).toBeCloseTo(3.298668, 6);
    expect(f64(f, 'current_A')[0]).toBeCloseTo(6.6004, 4);
    expect(codes(f)).toEqual(expect.arrayContaining(['DISCERN_CYCLE_EMPTY', 'DISCERN_STEP_EMPTY']));
    expect(Array.from(new Set(intColumn(f, 'cycle_index')!))).toEqual([-1]);
    expect(Array.from(new Set(intColumn(f, 'step_index')!))).toEqual([-1]);
    // DateTime is Unix seconds: no zone is assumed.
    expect(codes(f)).not.toContain('DISCERN_TZ_ASSUMED');
    expect(f64(f, 'unix_time_s')[0]).toBe(1494377253.17);
    expect(f.meta.startTime).toEqual({ unixS: 1494377253.17, timeZone: 'UTC', assumed: false });
    expect(f.meta.channel).toBe('33');
  });

  it('matches every value of the file text, column by column', () => {
    const file = fixtureFile(OLD);
    const { header, rows } = csvRows(file);
    const f = readSource(file);
    const pairs: [string, string][] = [
      ['Test_Time', 'test_time_s'],
      ['DateTime', 'unix_time_s'],
      ['Current', 'current_A'],
      ['Voltage', 'voltage_V'],
      ['Charge_Capacity', 'charge_capacity_Ah'],
      ['Discharge_Capacity', 'discharge_capacity_Ah'],
      ['Charge_Energy', 'charge_energy_Wh'],
      ['Discharge_Energy', 'discharge_energy_Wh'],
      ['dV/dt', 'aux_dvdt_V_per_s'],
      ['Internal_Resistance', 'dc_resistance_Ohm'],
      ['Temperature', 'temperature_degC'],
    ];
    for (const [col, channel] of pairs) {
      const k = header.indexOf(col);
      expect(k, col).toBeGreaterThanOrEqual(0);
      const values = f64(f, channel);
      rows.forEach((r, i) => expect(values[i], `${channel}[${i}]`).toBe(Number(r[k])));
    }
  });

  it('reads FastCharge: 248 rows of rest at 3.3011 V, ~30 degC, cycle index constant 0', () => {
    const f = readSource(fixtureFile(FAST));
    expect(f.length).toBe(248);
    expect(codes(f)).toContain('DISCERN_CYCLE_CONSTANT');
    expect(Array.from(new Set(intColumn(f, 'cycle_index')!))).toEqual([0]);
    for (const v of f64(f, 'voltage_V')) expect(Math.abs(v - 3.3011)).toBeLessThan(0.0003);
    for (const i of f64(f, 'current_A')) expect(i).toBe(0);
    for (const t of f64(f, 'temperature_degC')) expect(Math.abs(t - 29.5)).toBeLessThan(1);
    expect(f.meta.channel).toBe('8');
  });

  it('recognises the _Metadata.csv sidecars and refuses them as data with a clear code', () => {
    for (const [name, id, schedule] of [
      ['beep/2017-05-09_test-TC-contact_CH33_Metadata.csv', '144', '20170509-6C_1C_36CV.sdu'],
      ['beep/FastCharge_000025_CH8_Metadata.csv', '153', '2017-05-12_TESTS\\20170512-4_4C-80PER_4_4C.SDU'],
    ] as const) {
      const file = fixtureFile(name);
      expect(detectFormat(file).id).toBe('arbin-metadata-csv');
      const e = errorOf(() => readSource(file));
      expect(e.code).toBe('DISCERN_NOT_DATA');
      expect(e.message).toContain(name.replace('_Metadata', ''));
      const m = parseArbinMetadataSidecar(file);
      const get = (k: string): string | undefined =>
        Object.entries(m).find(([key]) => key.toLowerCase() === k)?.[1];
      expect(get('test_id')).toBe(id);
      expect(get('schedule_file_name')).toBe(schedule);
    }
  });

  it('offers a stream plan for the all-numeric export', () => {
    const plan = arbinCsvReader.streamPlan!(sniffInput(fixtureFile(OLD)), {});
    expect(plan).toBeDefined();
    expect(plan!.skipLines).toBe(1);
    const byChannel = new Map(plan!.columns.map((c) => [c.channel, c]));
    expect(byChannel.get('voltage_V')?.index).toBe(7);
    expect(byChannel.get('cycle_index')?.kind).toBe('int');
    expect(byChannel.get('unix_time_s')?.index).toBe(2);
  });
});

/** A MITS Pro export: BOM, units in the headers, tab-prefixed quoted dates, CRLF. */
function mitsPro(
  rows: number,
  seed: number,
  dates: (i: number) => string,
  units = { i: 'A', v: 'V', q: 'Ah' },
): { file: SourceFile; values: Record<string, number[]> } {
  const r = rng(seed);
  const header = [
    'Data_Point',
    'Test_Time(s)',
    'Date_Time',
    'Step_Time(s)',
    'Step_Index',
    'Cycle_Index',
    `Current(${units.i})`,
    `Voltage(${units.v})`,
    `Charge_Capacity(${units.q})`,
    `Discharge_Capacity(${units.q})`,
    'Charge_Energy(Wh)',
    'Discharge_Energy(Wh)',
    'dV/dt(V/s)',
    'Internal_Resistance(Ohm)',
    'AC_Impedance(Ohm)',
    'Aux_Temperature_1(C)',
  ];
  const values: Record<string, number[]> = {};
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const row = {
      point: i + 1,
      t: 10 * i + r(),
      step: 1 + Math.floor(i / 10),
      cycle: 1 + Math.floor(i / 40),
      i: (r() - 0.5) * 4,
      v: 2.5 + 1.7 * r(),
      qc: r() * 3,
      qd: r() * 3,
      ec: r() * 10,
      ed: r() * 10,
      dvdt: (r() - 0.5) * 1e-4,
      ir: 0.02 + r() * 0.01,
      aci: 0.01 + r() * 0.005,
      temp: 20 + 10 * r(),
    };
    for (const [k, v] of Object.entries(row)) (values[k] ??= []).push(v);
    lines.push(
      [
        row.point,
        row.t,
        `"\t${dates(i)}"`,
        row.t - 10 * (row.step - 1) * 10,
        row.step,
        row.cycle,
        row.i,
        row.v,
        row.qc,
        row.qd,
        row.ec,
        row.ed,
        row.dvdt,
        row.ir,
        row.aci,
        row.temp,
      ].join(','),
    );
  }
  const text = new TextEncoder().encode(lines.join('\r\n') + '\r\n');
  const bytes = new Uint8Array(text.length + 3);
  bytes.set([0xef, 0xbb, 0xbf]);
  bytes.set(text, 3);
  return { file: { name: 'mits_pro_Channel_5.csv', bytes }, values };
}

/** "MM/DD/YYYY hh:mm:ss.fff" of 2024-09-20 08:32:34.558 plus `i` minutes (wall clock). */
const usDate = (i: number): string => {
  const d = new Date(Date.UTC(2024, 8, 20, 8, 32, 34, 558) + i * 60_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
};

describe('Arbin MITS Pro CSV (synthetic bytes)', () => {
  it('reads units in the headers, a BOM, CRLF and tab-prefixed dates; every value round-trips', () => {
    const { file, values } = mitsPro(300, 42, usDate);
    expect(detectFormat(file).id).toBe('arbin-csv');
    const f = readSource(file, { timeZone: 'America/New_York' });
    expect(f.length).toBe(300);
    const exact: [string, string][] = [
      ['t', 'test_time_s'],
      ['i', 'current_A'],
      ['v', 'voltage_V'],
      ['qc', 'charge_capacity_Ah'],
      ['qd', 'discharge_capacity_Ah'],
      ['ec', 'charge_energy_Wh'],
      ['ed', 'discharge_energy_Wh'],
      ['dvdt', 'aux_dvdt_V_per_s'],
      ['ir', 'dc_resistance_Ohm'],
      ['aci', 'ac_impedance_Ohm'],
      ['temp', 'aux_temperature_1_degC'],
    ];
    for (const [k, channel] of exact) expect(Array.from(f64(f, channel)), channel).toEqual(values[k]);
    expect(Array.from(intColumn(f, 'cycle_index')!)).toEqual(values['cycle']);
    expect(Array.from(intColumn(f, 'step_index')!)).toEqual(values['step']);
    // 2024-09-20 08:32:34.558 in New York is EDT (UTC-4).
    const unix = f64(f, 'unix_time_s');
    for (let i = 0; i < 300; i++) {
      expect(unix[i]).toBeCloseTo((Date.UTC(2024, 8, 20, 12, 32, 34, 558) + i * 60_000) / 1000, 6);
    }
    expect(f.meta.startTime).toEqual({ unixS: unix[0], timeZone: 'America/New_York', assumed: false });
    expect(codes(f)).not.toContain('DISCERN_TZ_ASSUMED');
    expect(f.channels.find((c) => c.name === 'voltage_V')?.source).toBe('Voltage(V)');
  });

  it('reads dates in UTC with DISCERN_TZ_ASSUMED when no zone is given', () => {
    const f = readSource(mitsPro(20, 1, usDate).file);
    expect(codes(f)).toContain('DISCERN_TZ_ASSUMED');
    expect(f64(f, 'unix_time_s')[0]).toBeCloseTo(Date.UTC(2024, 8, 20, 8, 32, 34, 558) / 1000, 6);
    expect(f.meta.startTime?.assumed).toBe(true);
  });

  it('converts mA, mV and mAh headers to A, V and Ah', () => {
    const { file, values } = mitsPro(50, 7, usDate, { i: 'mA', v: 'mV', q: 'mAh' });
    const f = readSource(file, { timeZone: 'UTC' });
    const check = (k: string, channel: string): void => {
      const got = f64(f, channel);
      values[k]!.forEach((v, i) =>
        expect(Math.abs(got[i]! - v * 1e-3)).toBeLessThanOrEqual(Math.abs(v) * 1e-15),
      );
    };
    check('i', 'current_A');
    check('v', 'voltage_V');
    check('qc', 'charge_capacity_Ah');
  });

  it('tells day/month order from the data, and notes when it cannot', () => {
    const dmy = (i: number): string => `${20 + (i % 5)}/09/2024 10:00:00`;
    const f1 = readSource(mitsPro(5, 2, dmy).file, { timeZone: 'UTC' });
    expect(f64(f1, 'unix_time_s')[0]).toBe(Date.UTC(2024, 8, 20, 10) / 1000);
    const ambiguous = (): string => '01/02/2024 1:05:09 PM';
    const f2 = readSource(mitsPro(5, 3, ambiguous).file, { timeZone: 'UTC' });
    expect(f64(f2, 'unix_time_s')[0]).toBe(Date.UTC(2024, 0, 2, 13, 5, 9) / 1000);
    expect(
      f2.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && /day\/month order/.test(w.message)),
    ).toBe(true);
  });

  it('reads MITS Pro 8 / MITS X headers ("Test Time (s)", "Date Time", units in spaced parentheses)', () => {
    const text = [
      'Data Point,Date Time,Test Time (s),Step Time (s),Cycle Index,Step Index,TC_Counter1,Current (A),Voltage (V),Power (W),Charge Capacity (Ah),Discharge Capacity (Ah),Capacity (Ah),mAh/g,ACR (Ohm),dV/dt (V/s),Aux_Temperature_1 (C),Aux_dT/dt_1 (C/s)',
      '1,"\t09/20/2024 08:32:34.558",30.0005,30.0005,1,1,0,0,3.534595,0,0,0,0,0,,1.98217E-05,24.66422,-0.09131343',
      '12,"\t09/20/2024 08:37:05.256",300.6979,0.0012,1,3,0,2.647604,3.594547,9.516937015,2.01404E-05,2.04379E-05,2.01404E-05,0,,0.119767502,24.66201,-0.08973769',
    ].join('\n');
    const f = readSource(textFile('mitsx.csv', text), { timeZone: 'UTC' });
    expect(f.meta.format).toBe('arbin-csv');
    expect(Array.from(f64(f, 'current_A'))).toEqual([0, 2.647604]);
    expect(f64(f, 'power_W')[1]).toBe(9.516937015);
    expect(f64(f, 'aux_temperature_1_degC')[1]).toBe(24.66201);
    expect(f64(f, 'aux_dtdt_1_degC_per_s')[0]).toBe(-0.09131343);
    expect(Number.isNaN(f64(f, 'aux_acr_Ohm')[0]!)).toBe(true);
    expect(f64(f, 'unix_time_s')[1]).toBeCloseTo(Date.UTC(2024, 8, 20, 8, 37, 5, 256) / 1000, 6);
    expect(codes(f)).not.toContain('DISCERN_COLUMN_IGNORED');
  });

  it('keeps unknown columns as auxiliary channels with a warning (labels as categories)', () => {
    const text =
      'Data_Point,Test_Time(s),Current(A),Voltage(V),Gadget(kW),Remark\n1,0,0.5,3.5,1.5,ok\n2,1,0.5,3.6,2,hot\n';
    const f = readSource(textFile('x.csv', text), { timeZone: 'UTC' });
    expect(Array.from(f64(f, 'aux_gadget_W'))).toEqual([1500, 2000]);
    expect(categoryColumn(f, 'aux_remark')?.levels).toEqual(['ok', 'hot']);
    expect(codes(f)).toContain('DISCERN_COLUMN_IGNORED');
  });

  it('does not offer a stream plan for files with quoted dates', () => {
    const { file } = mitsPro(20, 5, usDate);
    expect(arbinCsvReader.streamPlan!(sniffInput(file), {})).toBeUndefined();
  });
});

describe('Arbin CSV guards', () => {
  const header = 'Data_Point,Test_Time,DateTime,Step_Time,Step_Index,Cycle_Index,Current,Voltage';
  const row = (i: number): string => `${i},${i * 1.5},${1494377253 + i},${i},1,1,0.5,3.${500 + i}`;

  it('rejects a header-only file with DISCERN_NO_DATA', () => {
    expect(errorOf(() => readSource(textFile('h.csv', header + '\n'))).code).toBe('DISCERN_NO_DATA');
  });

  it('rejects an empty file with DISCERN_EMPTY_FILE', () => {
    expect(errorOf(() => arbinCsvReader.read({ name: 'e.csv', bytes: new Uint8Array(0) }, {})).code).toBe(
      'DISCERN_EMPTY_FILE',
    );
  });

  it('rejects a truncated last row with DISCERN_PARSE_TRUNCATED and its line', () => {
    const text = [header, row(0), row(1), '2,3.0,1494377255,2,1'].join('\n');
    const e = errorOf(() => readSource(textFile('t.csv', text)));
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.line).toBe(4);
  });

  it('rejects a CSV without a Voltage column with DISCERN_MISSING_COLUMN', () => {
    const text = [
      'Data_Point,Test_Time,DateTime,Step_Index,Cycle_Index,Current',
      '0,0,1494377253,1,1,0.5',
    ].join('\n');
    const file = textFile('nov.csv', text);
    expect(detectFormat(file).id).toBe('arbin-csv');
    const e = errorOf(() => readSource(file));
    expect(e.code).toBe('DISCERN_MISSING_COLUMN');
    expect(e.column).toBe('voltage_V');
  });

  it('rejects text in a numeric column with DISCERN_PARSE_BAD_VALUE and its line', () => {
    const text = [header, row(0), row(1).replace('0.5', 'n.a.x')].join('\n');
    const e = errorOf(() => readSource(textFile('b.csv', text)));
    expect(e.code).toBe('DISCERN_PARSE_BAD_VALUE');
    expect(e.line).toBe(3);
    expect(e.column).toBe('Current');
  });

  it('rejects a unit that does not fit its quantity with DISCERN_UNKNOWN_COLUMN', () => {
    const text = 'Data_Point,Test_Time(s),Current(A),Voltage(A)\n1,0,1,2\n';
    expect(errorOf(() => readSource(textFile('u.csv', text))).code).toBe('DISCERN_UNKNOWN_COLUMN');
  });

  it('rejects an unclosed quote at the end of the file with DISCERN_PARSE_TRUNCATED', () => {
    const text = 'Data_Point,Test_Time(s),Date_Time,Current(A),Voltage(V)\n1,0,"\t09/20/2024 08:32:3';
    expect(errorOf(() => readSource(textFile('q.csv', text), { timeZone: 'UTC' })).code).toBe(
      'DISCERN_PARSE_TRUNCATED',
    );
  });

  it('maps the Arbin column table (shared with the .res reader)', () => {
    expect(arbinColumn('Internal_Resistance')).toMatchObject({ channel: 'dc_resistance_Ohm', factor: 1 });
    expect(arbinColumn('AC_Impedance(mOhm)')).toMatchObject({ channel: 'ac_impedance_Ohm', factor: 1e-3 });
    expect(arbinColumn('Aux_Voltage_2(mV)')).toMatchObject({ channel: 'aux_voltage_2_V', factor: 1e-3 });
    expect(arbinColumn('Temperature (C)')).toMatchObject({ channel: 'temperature_degC', factor: 1 });
    expect(arbinColumn('Step_Index')).toMatchObject({ channel: 'step_index', kind: 'counter' });
  });
});

describe('parseNumberBytes', () => {
  it('equals Number(text) for seeded random numbers in many notations', () => {
    const r = rng(2024);
    const enc = new TextEncoder();
    for (let k = 0; k < 20000; k++) {
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
      for (const text of [
        String(x),
        x.toExponential(Math.floor(r() * 17)),
        x.toFixed(Math.floor(r() * 12)),
        x.toPrecision(1 + Math.floor(r() * 20)),
      ]) {
        const b = enc.encode(` ${text}\t`);
        expect(parseNumberBytes(b, 0, b.length), text).toBe(Number(text));
      }
    }
  });

  it('gives NaN for blank and nan, undefined for text', () => {
    const p = (s: string): number | undefined => {
      const b = new TextEncoder().encode(s);
      return parseNumberBytes(b, 0, b.length);
    };
    expect(p('  ')).toBeNaN();
    expect(p('NaN')).toBeNaN();
    expect(p('1.2.3')).toBeUndefined();
    expect(p('1e')).toBeUndefined();
    expect(p('abc')).toBeUndefined();
    expect(p('-0.0051783411763608456')).toBe(-0.0051783411763608456);
  });
});

const XLSX_HEADER = [
  'Data_Point',
  'Test_Time(s)',
  'Date_Time',
  'Step_Time(s)',
  'Step_Index',
  'Cycle_Index',
  'Current(A)',
  'Voltage(V)',
  'Charge_Capacity(Ah)',
  'Discharge_Capacity(Ah)',
  'Charge_Energy(Wh)',
  'Discharge_Energy(Wh)',
  'dV/dt(V/s)',
  'Internal_Resistance(Ohm)',
  'Is_FC_Data',
  'AC_Impedance(Ohm)',
  'ACI_Phase_Angle(Deg)',
];

/** Rows of a synthetic Arbin channel sheet; Date_Time as a JS Date (exceljs writes Excel serial days). */
function xlsxRows(n: number, seed: number, first = 0): (number | Date)[][] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, k) => {
    const i = first + k;
    return [
      i + 1,
      30 * i + r(),
      new Date(Date.UTC(2011, 0, 3, 10, 38, 25) + i * 30_000),
      r() * 100,
      1 + (i % 7),
      1 + Math.floor(i / 50),
      (r() - 0.5) * 2.2,
      2.7 + r() * 1.5,
      r(),
      r(),
      r() * 4,
      r() * 4,
      (r() - 0.5) * 1e-3,
      0.05 + r() * 0.01,
      0,
      0.03 + r() * 0.01,
      r() * 10,
    ];
  });
}

async function workbook(sheets: [string, (number | Date | string)[][]][]): Promise<SourceFile> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  const buf = await wb.xlsx.writeBuffer();
  return { name: 'arbin_export.xlsx', bytes: new Uint8Array(buf as ArrayBuffer) };
}

describe('Arbin XLSX (workbooks written with exceljs)', () => {
  it('reads a Channel sheet; every value round-trips; Statistics and info sheets are ignored', async () => {
    const rows = xlsxRows(400, 11);
    const file = await workbook([
      [
        'Global_Info',
        [
          ['Test Name', 'CS2_35'],
          ['Channel', 8],
        ],
      ],
      ['Channel_1-008', [XLSX_HEADER, ...rows]],
      [
        'Statistics_1-008',
        [
          ['Cycle_Index', 'Test_Time(s)'],
          [1, 30],
        ],
      ],
    ]);
    expect(detectFormat(file).id).toBe('arbin-xlsx');
    const f = readSource(file, { timeZone: 'Europe/Berlin' });
    expect(f.meta.format).toBe('arbin-xlsx');
    expect(f.length).toBe(400);
    const col = (k: number): number[] => rows.map((r) => r[k] as number);
    expect(Array.from(f64(f, 'aux_data_point'))).toEqual(col(0));
    expect(Array.from(f64(f, 'test_time_s'))).toEqual(col(1));
    expect(Array.from(f64(f, 'step_time_s'))).toEqual(col(3));
    expect(Array.from(intColumn(f, 'step_index')!)).toEqual(col(4));
    expect(Array.from(intColumn(f, 'cycle_index')!)).toEqual(col(5));
    expect(Array.from(f64(f, 'current_A'))).toEqual(col(6));
    expect(Array.from(f64(f, 'voltage_V'))).toEqual(col(7));
    expect(Array.from(f64(f, 'charge_capacity_Ah'))).toEqual(col(8));
    expect(Array.from(f64(f, 'discharge_capacity_Ah'))).toEqual(col(9));
    expect(Array.from(f64(f, 'charge_energy_Wh'))).toEqual(col(10));
    expect(Array.from(f64(f, 'discharge_energy_Wh'))).toEqual(col(11));
    expect(Array.from(f64(f, 'aux_dvdt_V_per_s'))).toEqual(col(12));
    expect(Array.from(f64(f, 'dc_resistance_Ohm'))).toEqual(col(13));
    expect(Array.from(f64(f, 'ac_impedance_Ohm'))).toEqual(col(15));
    expect(Array.from(f64(f, 'aux_aci_phase_angle_deg'))).toEqual(col(16));
    // Excel serial days are Berlin wall-clock time: 2011-01-03 10:38:25 CET is 09:38:25 UTC.
    const unix = f64(f, 'unix_time_s');
    rows.forEach((_, i) =>
      expect(Math.abs(unix[i]! - (Date.UTC(2011, 0, 3, 9, 38, 25) / 1000 + 30 * i))).toBeLessThan(1e-3),
    );
    expect(f.meta.startTime?.timeZone).toBe('Europe/Berlin');
    expect(f.meta.channel).toBe('1-008');
  });

  it('continues rows across Channel_1_1 and Channel_1_2', async () => {
    const a = xlsxRows(150, 21, 0);
    const b = xlsxRows(120, 22, 150);
    const file = await workbook([
      ['Channel_1_1', [XLSX_HEADER, ...a]],
      ['Channel_1_2', [XLSX_HEADER, ...b]],
      ['Statistics_1', [['Cycle_Index'], [1]]],
    ]);
    const f = readSource(file);
    expect(f.length).toBe(270);
    expect(Array.from(f64(f, 'aux_data_point'))).toEqual([...a, ...b].map((r) => r[0]));
    expect(Array.from(f64(f, 'voltage_V'))).toEqual([...a, ...b].map((r) => r[7]));
    expect(codes(f)).toContain('DISCERN_TZ_ASSUMED');
    expect(f64(f, 'unix_time_s')[269]).toBeCloseTo(Date.UTC(2011, 0, 3, 10, 38, 25) / 1000 + 30 * 269, 3);
  });

  it('reads date text cells and rejects text in a numeric column', async () => {
    const rows = xlsxRows(3, 5).map((r) => r.map((v, k) => (k === 2 ? '01/03/2011 10:38:25' : v)));
    const f = readSource(await workbook([['Channel_1', [XLSX_HEADER, ...rows]]]), { timeZone: 'UTC' });
    expect(f64(f, 'unix_time_s')[0]).toBe(Date.UTC(2011, 0, 3, 10, 38, 25) / 1000);
    const bad = xlsxRows(3, 5).map((r, i) => r.map((v, k) => (k === 7 && i === 1 ? 'overload' : v)));
    const badFile = await workbook([['Channel_1', [XLSX_HEADER, ...bad]]]);
    const e2 = errorOf(() => readSource(badFile));
    expect(e2.code).toBe('DISCERN_PARSE_BAD_VALUE');
    expect(e2.message).toContain('row 3');
  });

  it('guards: header only, no Voltage, no Channel sheet, not a zip', async () => {
    const headerOnly = await workbook([['Channel_1', [XLSX_HEADER]]]);
    expect(errorOf(() => readSource(headerOnly)).code).toBe('DISCERN_NO_DATA');
    const noV = await workbook([
      [
        'Channel_1',
        [XLSX_HEADER.filter((h) => h !== 'Voltage(V)'), ...xlsxRows(2, 1).map((r) => r.slice(0, 7))],
      ],
    ]);
    expect(errorOf(() => readSource(noV)).code).toBe('DISCERN_MISSING_COLUMN');
    const other = await workbook([
      [
        'Sheet1',
        [
          ['a', 'b'],
          [1, 2],
        ],
      ],
    ]);
    expect(arbinXlsxReader.sniff(sniffInput(other))).toBe(0);
    expect(errorOf(() => arbinXlsxReader.read(other, {})).code).toBe('DISCERN_UNKNOWN_FORMAT');
    const junk = {
      name: 'junk.xlsx',
      bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]),
    };
    expect(errorOf(() => arbinXlsxReader.read(junk, {})).code).toBe('DISCERN_CORRUPT');
  });
});

describe('openXlsx (hand-written parts)', () => {
  it('reads inline strings, formula strings, booleans, errors, entities and _xHHHH_ escapes', () => {
    const files = {
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types/>'),
      'xl/workbook.xml': strToU8(
        '<?xml version="1.0"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Channel &amp; Co" sheetId="1" r:id="rId7"/></sheets></workbook>',
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<?xml version="1.0"?><Relationships><Relationship Target="worksheets/sheet9.xml" Id="rId7" Type="x"/></Relationships>',
      ),
      'xl/sharedStrings.xml': strToU8(
        '<sst><si><t>plain</t></si><si><r><t>ri</t></r><r><t xml:space="preserve">ch </t></r><rPh><t>x</t></rPh></si></sst>',
      ),
      'xl/worksheets/sheet9.xml': strToU8(
        '<worksheet><sheetData>' +
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>a&lt;b_x000D_</t></is></c></row>' +
          '<row r="3"><c r="A3"><v>1.5E-3</v></c><c r="C3" t="b"><v>1</v></c><c r="D3" t="str"><f>A3&amp;""</f><v>0.0015</v></c><c r="E3" t="e"><v>#N/A</v></c><c r="F3" s="2"/></row>' +
          '<row><c><v>7</v></c></row>' +
          '</sheetData></worksheet>',
      ),
    };
    const book = openXlsx(zipSync(files), 'hand.xlsx');
    expect(book.sheetNames).toEqual(['Channel & Co']);
    const s = book.readSheet('Channel & Co');
    expect(s.rowCount).toBe(4);
    expect(s.columnCount).toBe(5);
    expect(s.text(0, 0)).toBe('plain');
    expect(s.text(0, 1)).toBe('rich ');
    expect(s.text(0, 2)).toBe('a<b\r');
    expect(Array.from(s.numbers(0))).toEqual([NaN, NaN, 0.0015, 7]);
    expect(s.numbers(2)[2]).toBe(1);
    expect(s.text(2, 3)).toBe('0.0015');
    expect(s.text(2, 4)).toBe('#N/A');
    expect(s.text(1, 0)).toBeUndefined();
  });
});
