import { describe, expect, it } from 'vitest';
import { DiscernError, categoryColumn, floatColumn, intColumn, type Frame } from '../../src/core/index.js';
import { basytecReader } from '../../src/ingest/basytec.js';
import { bdfCsvReader } from '../../src/ingest/bdf/index.js';
import { detectFormat, readSource } from '../../src/ingest/index.js';
import { landtReader } from '../../src/ingest/landt.js';
import { fixtureFile, haveFixtures, textFile } from '../helpers/fixtures.js';

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

function runs(values: Int32Array): number {
  let n = values.length > 0 ? 1 : 0;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) n++;
  return n;
}

const BASYTEC = 'basytec/sample_data_basytec.txt';
const LANDT = 'BDF/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv';
const LANDT_BDF = 'BDF/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv';

describe.skipIf(!haveFixtures)('BaSyTec result file (PyProBE test values)', () => {
  it('is detected as basytec', () => {
    expect(detectFormat(fixtureFile(BASYTEC)).id).toBe('basytec');
  });

  it('dates: start of test plus the time column', () => {
    const f = readSource(fixtureFile(BASYTEC));
    const u = f64(f, 'unix_time_s');
    // PyProBE: Date[0] "2023-06-19 17:56:53.000000", Date[2] "2023-06-19 17:56:54.002823" (naive).
    expect(u[0]).toBe(Date.UTC(2023, 5, 19, 17, 56, 53) / 1000);
    expect(u[2]! - Date.UTC(2023, 5, 19, 17, 56, 54) / 1000).toBeCloseTo(0.002823, 6);
    expect(f.meta.startTime).toEqual({ unixS: u[0], timeZone: 'UTC', assumed: true });
    expect(codes(f)).toContain('DISCERN_TZ_ASSUMED');
  });

  it('reads the local start time in the given zone', () => {
    const f = readSource(fixtureFile(BASYTEC), { timeZone: 'Europe/Berlin' });
    // 17:56:53 CEST = 15:56:53 UTC
    expect(f.meta.startTime).toEqual({
      unixS: Date.UTC(2023, 5, 19, 15, 56, 53) / 1000,
      timeZone: 'Europe/Berlin',
      assumed: false,
    });
    expect(codes(f)).not.toContain('DISCERN_TZ_ASSUMED');
  });

  it('last row: 70.235804 s, Line 4, 0.449602 A, 3.53285 V, 0.001248917 Ah, 25.47953 degC', () => {
    const f = readSource(fixtureFile(BASYTEC));
    const last = f.length - 1;
    expect(f.length).toBe(74);
    expect(f64(f, 'test_time_s')[last]).toBeCloseTo(70.235804, 6);
    expect(i32(f, 'step_index')[last]).toBe(4);
    expect(f64(f, 'current_A')[last]).toBeCloseTo(0.449602, 6);
    expect(f64(f, 'voltage_V')[last]).toBeCloseTo(3.53285, 5);
    expect(f64(f, 'net_capacity_Ah')[last]).toBeCloseTo(0.001248917, 9);
    expect(f64(f, 'temperature_degC')[last]).toBeCloseTo(25.47953, 5);
    // PyProBE's "Event 1": the last row is in the second run of program lines (Pause, then Charge).
    expect(runs(i32(f, 'step_index'))).toBe(2);
    expect(labels(f)[last]).toBe('Charge');
    expect(f64(f, 'charge_capacity_Ah')[last]).toBeCloseTo(0.001248917, 9);
    expect(f64(f, 'cumulative_charge_capacity_Ah')[last]).toBeCloseTo(0.001248917, 9);
  });

  it('current is positive on charge, zero at rest (BaSyTec convention = ours)', () => {
    const f = readSource(fixtureFile(BASYTEC));
    const i = f64(f, 'current_A');
    const st = labels(f);
    for (let k = 0; k < f.length; k++) {
      if (st[k] === 'Pause') expect(i[k]).toBe(0);
      else expect(i[k]).toBeGreaterThan(0);
    }
    expect(codes(f)).not.toContain('DISCERN_CURRENT_SIGN_INFERRED');
  });

  it('keeps the header and the channel', () => {
    const f = basytecReader.read(fixtureFile(BASYTEC), {});
    expect(f.meta.channel).toBe('1814 CH14 XCTS_40');
    expect(f.meta.header['Testplan']).toBe('plan.pln');
  });
});

describe('BaSyTec (synthetic)', () => {
  const HEAD = '~Resultfile from Basytec Battery Test System\n~Start of Test: 01.02.2024 10:00:00\n~\n';
  const COLS = '~Time[h]\tLine\tCommand\tU[V]\tI[mA]\tAh-Cyc-Discharge\tT1[°C]\n';

  it('converts units, stores discharge capacity as a magnitude, reads DD.MM.YYYY', () => {
    const f = basytecReader.read(
      textFile(
        'b.txt',
        `${HEAD}${COLS}0\t1\tDischarge\t4.1\t-1000\t0\t25\n0.5\t1\tDischarge\t3.9\t-1000\t-0.0005\t25.5\n`,
      ),
      { timeZone: 'UTC' },
    );
    expect(Array.from(f64(f, 'test_time_s'))).toEqual([0, 1800]);
    expect(f64(f, 'current_A')[1]).toBeCloseTo(-1, 12);
    expect(f64(f, 'discharge_capacity_Ah')[1]).toBeCloseTo(0.0005, 12);
    expect(f64(f, 'temperature_degC')[1]).toBe(25.5);
    expect(f.meta.startTime?.unixS).toBe(Date.UTC(2024, 1, 1, 10, 0, 0) / 1000);
  });

  it('header only: DISCERN_NO_DATA', () => {
    expect(errorOf(() => basytecReader.read(textFile('b.txt', HEAD + COLS), {})).code).toBe(
      'DISCERN_NO_DATA',
    );
  });

  it('no current column: DISCERN_MISSING_COLUMN', () => {
    const e = errorOf(() => basytecReader.read(textFile('b.txt', `${HEAD}~Time[s]\tU[V]\n0\t4\n`), {}));
    expect(e.code).toBe('DISCERN_MISSING_COLUMN');
    expect(e.column).toBe('I');
  });

  it('truncated last row: DISCERN_PARSE_TRUNCATED with its line', () => {
    const e = errorOf(() =>
      basytecReader.read(textFile('b.txt', `${HEAD}${COLS}0\t1\tPause\t4.1\t0\t0\t25\n1\t1\tPause\t4.1`), {}),
    );
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.line).toBe(6);
  });

  it('no column line: DISCERN_PARSE_BAD_HEADER', () => {
    expect(
      errorOf(() => basytecReader.read(textFile('b.txt', '~Resultfile from Basytec\n1\t2\n'), {})).code,
    ).toBe('DISCERN_PARSE_BAD_HEADER');
  });
});

describe.skipIf(!haveFixtures)('Landt CSV against its BDF conversion', () => {
  it('is detected as landt-csv', () => {
    expect(detectFormat(fixtureFile(LANDT)).id).toBe('landt-csv');
  });

  it('same rows and values as the BDF reference (manifest: 25162 rows, steps 1-3, ...)', () => {
    const raw = readSource(fixtureFile(LANDT), { timeZone: 'Europe/Oslo' });
    const ref = bdfCsvReader.read(fixtureFile(LANDT_BDF), {});
    expect(raw.length).toBe(25162);
    expect(ref.length).toBe(raw.length);
    const pairs: [string, string][] = [
      ['test_time_s', 'test_time_s'],
      ['voltage_V', 'voltage_V'],
      ['current_A', 'current_A'],
      ['charge_capacity_Ah', 'charge_capacity_Ah'],
      ['discharge_capacity_Ah', 'discharge_capacity_Ah'],
      // The BDF converter called temperature_1_C the ambient temperature (it is 0 throughout).
      ['temperature_degC', 'ambient_temperature_degC'],
    ];
    for (const [a, b] of pairs) {
      const x = f64(raw, a);
      const y = f64(ref, b);
      let differ = 0;
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) differ++;
      expect(differ, a).toBe(0);
    }
    const s = i32(raw, 'step_index');
    const sr = i32(ref, 'step_index');
    expect(s.every((v, k) => v === sr[k])).toBe(true);
    expect([Math.min(...s), Math.max(...s)]).toEqual([1, 3]);
    const t = f64(raw, 'test_time_s');
    expect([t[0], t[t.length - 1]]).toEqual([0.02, 262657.764]);
    expect(Math.max(...f64(raw, 'charge_capacity_Ah'))).toBe(0.0032);
    expect(Math.max(...f64(raw, 'discharge_capacity_Ah'))).toBe(0.0063);
  });

  it('current is negative on discharge steps, positive on charge steps', () => {
    const f = readSource(fixtureFile(LANDT), { timeZone: 'Europe/Oslo' });
    const i = f64(f, 'current_A');
    const st = labels(f);
    let wrong = 0;
    for (let k = 0; k < f.length; k++) {
      if (st[k] === 'discharge CC' && !(i[k]! < 0)) wrong++;
      if (st[k] === 'charge CC' && !(i[k]! > 0)) wrong++;
      if (st[k] === 'rest' && i[k] !== 0) wrong++;
    }
    expect(wrong).toBe(0);
    expect(codes(f)).not.toContain('DISCERN_CURRENT_SIGN_INFERRED');
  });

  it('dates are MM/DD/YYYY local time and agree with the test time', () => {
    const f = readSource(fixtureFile(LANDT), { timeZone: 'Europe/Oslo' });
    const u = f64(f, 'unix_time_s');
    const t = f64(f, 'test_time_s');
    // First row "04/30/2024 14:33:19" in Oslo (CEST, UTC+2).
    expect(u[0]).toBe(Date.UTC(2024, 3, 30, 12, 33, 19) / 1000);
    expect(f.meta.startTime).toEqual({ unixS: u[0], timeZone: 'Europe/Oslo', assumed: false });
    // Dates have whole seconds; elapsed date time and test time agree within a second.
    let worst = 0;
    for (let k = 0; k < f.length; k++) worst = Math.max(worst, Math.abs(u[k]! - u[0]! - (t[k]! - t[0]!)));
    expect(worst).toBeLessThan(1);
    expect(f.meta.header['Nominal capacity used to define the C rate']).toBe('Ah');
  });

  it('temperature probes that read 0 on every row are pointed out', () => {
    const f = readSource(fixtureFile(LANDT), { timeZone: 'Europe/Oslo' });
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && w.channel === 'temperature_degC')).toBe(
      true,
    );
  });

  it('without a time zone the dates are read as UTC with a warning', () => {
    const f = landtReader.read(fixtureFile(LANDT), {});
    expect(f.meta.startTime?.unixS).toBe(Date.UTC(2024, 3, 30, 14, 33, 19) / 1000);
    expect(codes(f)).toContain('DISCERN_TZ_ASSUMED');
  });
});

describe('Landt (synthetic)', () => {
  const META = 'cell model:,,\ncell id: ,,\n';
  const COLS =
    'channel_index,cycle_index,step_index,date_time_iso_string,test_time_s,step_time_s,current_A,voltage_V,step_name\n';

  it('switches to DD/MM when a day is above 12', () => {
    const f = landtReader.read(
      textFile(
        'l.csv',
        `${META}${COLS}1,1,1,30/04/2024 10:00:00,0,0,0,3.0,rest,\n2,1,1,30/04/2024 10:00:10,10,10,0,3.0,rest,\n`,
      ),
      { timeZone: 'UTC' },
    );
    expect(f64(f, 'unix_time_s')[0]).toBe(Date.UTC(2024, 3, 30, 10, 0, 0) / 1000);
  });

  it('header only: DISCERN_NO_DATA', () => {
    expect(errorOf(() => landtReader.read(textFile('l.csv', META + COLS), {})).code).toBe('DISCERN_NO_DATA');
  });

  it('no voltage column: DISCERN_MISSING_COLUMN', () => {
    const cols = COLS.replace(',voltage_V', '');
    const e = errorOf(() =>
      landtReader.read(textFile('l.csv', `${META}${cols}1,1,1,04/30/2024 10:00:00,0,0,0,rest,\n`), {}),
    );
    expect(e.code).toBe('DISCERN_MISSING_COLUMN');
  });

  it('truncated last row: DISCERN_PARSE_TRUNCATED with its line', () => {
    const e = errorOf(() =>
      landtReader.read(
        textFile('l.csv', `${META}${COLS}1,1,1,04/30/2024 10:00:00,0,0,0,3.0,rest,\n2,1,1,04/30`),
        {},
      ),
    );
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.line).toBe(5);
  });

  it('a file without the column line is not Landt: DISCERN_PARSE_BAD_HEADER', () => {
    expect(errorOf(() => landtReader.read(textFile('l.csv', `${META}a,b\n1,2\n`), {})).code).toBe(
      'DISCERN_PARSE_BAD_HEADER',
    );
  });
});
