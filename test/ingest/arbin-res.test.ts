import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'fflate';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { floatColumn, intColumn, isDiscernError, type Frame } from '../../src/core/index.js';
import {
  arbinResGzReader,
  arbinResReader,
  detectFormat,
  readArbinRes,
  readArbinResStatistics,
  readSource,
  sniffInput,
} from '../../src/ingest/index.js';
import type { SourceFile } from '../../src/ingest/types.js';
import { fixture, fixtureFile, haveFixtures } from '../helpers/fixtures.js';

const CELLPY = 'cellpy/20160805_test001_45_cc_01.res';
const AUX = 'cellpy/aux_one_x_dx.res';
const MITS7 = 'BDF/mits7-0.res.gz';

/** The code of the DiscernError `fn` throws (fails the test when it throws something else). */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isDiscernError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a DiscernError');
}

function errorOf(fn: () => unknown): { code: string; offset?: number; column?: string } {
  try {
    fn();
  } catch (e) {
    if (isDiscernError(e)) return e;
    throw e;
  }
  throw new Error('expected a DiscernError');
}

function col(frame: Frame, name: string): Float64Array {
  const c = floatColumn(frame, name);
  if (c === undefined) throw new Error(`no float column ${name}`);
  return c;
}

function ints(frame: Frame, name: string): Int32Array {
  const c = intColumn(frame, name);
  if (c === undefined) throw new Error(`no int column ${name}`);
  return c;
}

/** Rows of one step segment (consecutive rows with the same step_count). */
function segments(frame: Frame, rows: number[]): { first: number; n: number; current: number }[] {
  const sc = ints(frame, 'step_count');
  const cur = col(frame, 'current_A');
  const out: { first: number; n: number; current: number }[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last !== undefined && sc[last.first] === sc[r]) last.n++;
    else out.push({ first: r, n: 1, current: cur[r]! });
  }
  return out;
}

/** Replaces every UTF-16LE occurrence of `from` by `to` (same length) in a copy of the bytes. */
function patchUtf16(bytes: Uint8Array, from: string, to: string): Uint8Array {
  expect(to.length).toBe(from.length);
  const out = bytes.slice();
  const a = new Uint8Array(Buffer.from(from, 'utf16le'));
  const b = new Uint8Array(Buffer.from(to, 'utf16le'));
  let hits = 0;
  for (let i = 0; i + a.length <= out.length; i++) {
    let same = true;
    for (let k = 0; k < a.length && same; k++) if (out[i + k] !== a[k]) same = false;
    if (same) {
      out.set(b, i);
      hits++;
    }
  }
  expect(hits).toBeGreaterThan(0);
  return out;
}

describe.skipIf(!haveFixtures)('Arbin .res: cellpy 20160805_test001_45_cc_01.res', () => {
  const file = haveFixtures ? fixtureFile(CELLPY) : { name: CELLPY, bytes: new Uint8Array() };
  const frame = haveFixtures ? readSource(file) : undefined!;
  const cycle = haveFixtures ? ints(frame, 'cycle_index') : new Int32Array();
  const rowsOfCycle = (c: number): number[] => [...cycle.keys()].filter((i) => cycle[i] === c);

  it('is detected as arbin-res and read with MANIFEST row, cycle and step counts', () => {
    expect(detectFormat(file).id).toBe('arbin-res');
    expect(frame.meta.format).toBe('arbin-res');
    expect(frame.length).toBe(10261);
    expect(new Set(cycle).size).toBe(18);
    expect(Math.max(...cycle)).toBe(18);
    const sc = ints(frame, 'step_count');
    expect(sc[sc.length - 1]).toBe(103);
  });

  it('has the first row of the MANIFEST (time, voltage, local date read as UTC with a warning)', () => {
    expect(col(frame, 'test_time_s')[0]).toBeCloseTo(300.010482, 5);
    expect(col(frame, 'voltage_V')[0]).toBeCloseTo(3.097617, 6);
    expect(col(frame, 'unix_time_s')[0]! * 1000).toBeCloseTo(Date.UTC(2016, 7, 5, 16, 21, 23), -1);
    expect(frame.meta.warnings.map((w) => w.code)).toContain('DISCERN_TZ_ASSUMED');
    expect(frame.meta.startTime).toMatchObject({ timeZone: 'UTC', assumed: true });
  });

  it('reads the OLE dates in the given time zone', () => {
    const oslo = readArbinRes(file, { timeZone: 'Europe/Oslo' });
    // 16:21:23 CEST (UTC+2) is 14:21:23 UTC.
    expect(col(oslo, 'unix_time_s')[0]! * 1000).toBeCloseTo(Date.UTC(2016, 7, 5, 14, 21, 23), -1);
    expect(oslo.meta.startTime).toMatchObject({ timeZone: 'Europe/Oslo', assumed: false });
    expect(oslo.meta.warnings.map((w) => w.code)).not.toContain('DISCERN_TZ_ASSUMED');
  });

  it('keeps DateTime, Test_Time and Start_DateTime consistent (DateTime - Test_Time = start)', () => {
    const start = frame.meta.startTime!.unixS;
    // Global_Table Start_DateTime is 16:16:23 on the tester's clock.
    expect(start * 1000).toBeCloseTo(Date.UTC(2016, 7, 5, 16, 16, 23), -1);
    const t = col(frame, 'test_time_s');
    const u = col(frame, 'unix_time_s');
    // The PC clock drifts against the channel's test time (42 s over 10 days here): allow 1 s plus
    // 100 ppm of the elapsed time.
    for (let i = 0; i < frame.length; i++) {
      if (!(Math.abs(u[i]! - t[i]! - start) < 1 + 1e-4 * t[i]!)) expect.fail(`row ${i}`);
    }
  });

  it('has the cycle-3 charge step and the cycle-5 curves of the MANIFEST', () => {
    const c3 = segments(frame, rowsOfCycle(3));
    const charge3 = c3.find((s) => s.current > 0 && s.n > 1)!;
    expect(charge3.n).toBe(378);
    expect(col(frame, 'test_time_s')[charge3.first]).toBeCloseTo(287559.945, 2);
    const c5rows = rowsOfCycle(5);
    expect(c5rows.length).toBe(498);
    const c5 = segments(frame, c5rows);
    expect(Math.max(...c5.filter((s) => s.current > 0).map((s) => s.n))).toBe(214);
    expect(Math.max(...c5.filter((s) => s.current < 0).map((s) => s.n))).toBe(224);
  });

  it('has the capacities of cycles 1 and 18 and the last point of cycle 1', () => {
    const max = (name: string, rows: number[]): number => Math.max(...rows.map((i) => col(frame, name)[i]!));
    const c1 = rowsOfCycle(1);
    expect(max('charge_capacity_Ah', c1)).toBeCloseTo(1.625406e-3, 9);
    expect(max('discharge_capacity_Ah', c1)).toBeCloseTo(1.755094e-3, 9);
    const last = c1[c1.length - 1]!;
    expect(col(frame, 'aux_data_point')[last]).toBe(1457);
    expect(col(frame, 'test_time_s')[last]).toBeCloseTo(168686.23, 2);
    const c18 = rowsOfCycle(18);
    expect(max('charge_capacity_Ah', c18)).toBe(0);
    expect(max('discharge_capacity_Ah', c18)).toBeCloseTo(0.000239, 6);
  });

  it('equals cellpy’s golden raw frame on every row (1e-6 relative)', () => {
    const golden: Table = tableFromIPC(
      readParquet(readFileSync(fixture('cellpy/goldens/loader_arbin_res/raw.parquet'))).intoIPCStream(),
    );
    expect(golden.numRows).toBe(frame.length);
    const pairs: [string, string][] = [
      ['test_time', 'test_time_s'],
      ['step_time', 'step_time_s'],
      ['voltage', 'voltage_V'],
      ['current', 'current_A'],
      ['charge_capacity', 'charge_capacity_Ah'],
      ['discharge_capacity', 'discharge_capacity_Ah'],
      ['charge_energy', 'charge_energy_Wh'],
      ['discharge_energy', 'discharge_energy_Wh'],
      ['internal_resistance', 'dc_resistance_Ohm'],
      ['ac_impedance', 'ac_impedance_Ohm'],
      ['dv_dt', 'aux_dvdt_V_per_s'],
      ['data_point', 'aux_data_point'],
    ];
    for (const [g, ours] of pairs) {
      const ref = golden.getChild(g)!;
      const mine = col(frame, ours);
      let bad = 0;
      for (let i = 0; i < frame.length; i++) {
        const b = Number(ref.get(i));
        if (!(Math.abs(mine[i]! - b) <= 1e-6 * Math.abs(b) + 1e-12)) bad++;
      }
      expect(bad, `${ours} vs cellpy ${g}`).toBe(0);
    }
    for (const [g, ours] of [
      ['cycle_index', 'cycle_index'],
      ['step_index', 'step_index'],
    ] as const) {
      const ref = golden.getChild(g)!;
      const mine = ints(frame, ours);
      let bad = 0;
      for (let i = 0; i < frame.length; i++) if (mine[i] !== Number(ref.get(i))) bad++;
      expect(bad, ours).toBe(0);
    }
    const dates = golden.getChild('date_time')!;
    const unix = col(frame, 'unix_time_s');
    let worst = 0;
    for (let i = 0; i < frame.length; i++)
      worst = Math.max(worst, Math.abs(unix[i]! * 1000 - Number(dates.get(i))));
    expect(worst).toBeLessThan(1);
  });

  it('reads the metadata of Global_Table (test name, schedule, channel, software)', () => {
    expect(frame.meta.vendor).toBe('Arbin');
    expect(frame.meta.channel).toBe('3');
    expect(frame.meta.softwareVersion).toMatch(/^4\.32/);
    expect(frame.meta.header['Test_Name']).toBe('20160805_sic006_45_cc_01-01-003');
    expect(frame.meta.header['Schedule_File_Name']).toMatch(/24h_rest_3cyc_C20_100cyc_c10_MR\.sdu$/);
    expect(frame.meta.header['Creator']).toBe('hfa');
    expect(frame.meta.header['Start_DateTime']).toBe('2016-08-05T16:16:23.000');
  });

  it('exposes Arbin’s statistics table, one row per finished cycle at its last data point', () => {
    const stats = readArbinResStatistics(file);
    expect(stats.length).toBe(17);
    expect(stats.dataPoint[0]).toBe(1457);
    expect(stats.testTimeS[0]).toBeCloseTo(168686.23, 2);
    expect([...stats.cycleIndex]).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(Object.keys(stats.columns).sort()).toEqual([
      'charge_time_s',
      'discharge_time_s',
      'vmax_on_cycle_V',
    ]);
    expect(stats.columns['charge_time_s']!.unit).toBe('s');
    // Each statistics point is the last row of its cycle in the data table.
    const dp = col(frame, 'aux_data_point');
    for (let k = 0; k < stats.length; k++) {
      const row = dp.indexOf(stats.dataPoint[k]!);
      expect(cycle[row]).toBe(stats.cycleIndex[k]);
      expect(cycle[row + 1]).toBe(stats.cycleIndex[k]! + 1);
    }
  });
});

describe.skipIf(!haveFixtures)('Arbin .res: auxiliary channels (cellpy aux_one_x_dx.res)', () => {
  it('maps the one temperature input (Data_Type 1) to aux_temperature_1_degC with its rate', () => {
    const frame = readArbinRes(fixtureFile(AUX), { timeZone: 'UTC' });
    expect(frame.length).toBe(7235);
    // Global_Table says one mapped temperature input and no voltage input.
    expect(frame.meta.header['Mapped_Aux_Temperature_Number']).toBe('1');
    expect(frame.meta.header['Mapped_Aux_Voltage_Number']).toBe('0');
    const auxNames = frame.channels
      .map((c) => c.name)
      .filter((n) => /^aux_(temperature|voltage|dtdt|dvdt)_\d/.test(n));
    expect(auxNames.sort()).toEqual(['aux_dtdt_1_degC_per_s', 'aux_temperature_1_degC']);
    const temp = col(frame, 'aux_temperature_1_degC');
    expect(frame.channels.find((c) => c.name === 'aux_temperature_1_degC')?.unit).toBe('degC');
    // Every data point has a temperature (the aux table has one row per point), at room temperature.
    expect(temp.every((v) => v > 15 && v < 40)).toBe(true);
    expect(frame.meta.warnings.map((w) => w.code)).not.toContain('DISCERN_TZ_ASSUMED');
  });
});

describe.skipIf(!haveFixtures)('Arbin .res.gz: BDF mits7-0.res.gz (MITS Pro 7)', () => {
  it('is detected as gzipped .res and mapped as BDF maps it', () => {
    const file = fixtureFile(MITS7);
    expect(detectFormat(file).id).toBe('arbin-res-gz');
    const frame = readSource(file, { timeZone: 'UTC' });
    expect(frame.meta.format).toBe('arbin-res-gz');
    expect(frame.length).toBe(8);
    for (const ch of [
      'dc_resistance_Ohm',
      'ac_impedance_Ohm',
      'cycle_index',
      'step_index',
      'charge_capacity_Ah',
    ]) {
      expect(frame.columns[ch], ch).toBeDefined();
    }
    // unix = (OLE days - 25569) * 86400 in UTC; DateTime - Test_Time is the start of the test.
    const t = col(frame, 'test_time_s');
    const u = col(frame, 'unix_time_s');
    const start = frame.meta.startTime!.unixS;
    for (let i = 0; i < frame.length; i++) expect(Math.abs(u[i]! - t[i]! - start)).toBeLessThan(2);
    expect(frame.meta.header['Test_Name']).toBe('kigr_pouch1-01-001');
    expect(frame.meta.softwareVersion).toMatch(/^PV7\.0/);
  });

  it('gives the same data as the plain .res inside it', () => {
    const gz = fixtureFile(MITS7);
    const plain = readArbinRes({ name: 'mits7-0.res', bytes: gunzipSync(gz.bytes) }, { timeZone: 'UTC' });
    const fromGz = readArbinRes(gz, { timeZone: 'UTC' });
    expect(plain.meta.format).toBe('arbin-res');
    expect([...col(fromGz, 'voltage_V')]).toEqual([...col(plain, 'voltage_V')]);
  });
});

describe('Arbin .res: sniffing', () => {
  const jet = new Uint8Array(64);
  jet.set(new TextEncoder().encode('Standard Jet DB'), 4);
  it('claims Jet databases (score 1 as .res) and gzip only as .res.gz', () => {
    expect(arbinResReader.sniff(sniffInput({ name: 'a.res', bytes: jet }))).toBe(1);
    expect(arbinResReader.sniff(sniffInput({ name: 'a.mdb', bytes: jet }))).toBeGreaterThan(0);
    expect(arbinResReader.sniff(sniffInput({ name: 'a.res', bytes: new Uint8Array(64) }))).toBe(0);
    const gz = gzipSync(jet);
    expect(arbinResGzReader.sniff(sniffInput({ name: 'a.res.gz', bytes: gz }))).toBe(1);
    expect(arbinResGzReader.sniff(sniffInput({ name: 'a.csv.gz', bytes: gz }))).toBe(0);
  });
});

describe('Arbin .res: bad input', () => {
  it('rejects an empty file, a non-database and a bad time zone', () => {
    expect(codeOf(() => readArbinRes({ name: 'a.res', bytes: new Uint8Array() }))).toBe('DISCERN_EMPTY_FILE');
    const text = new TextEncoder().encode('Data_Point,Test_Time\n1,2\n');
    expect(codeOf(() => readArbinRes({ name: 'a.res', bytes: text }))).toBe('DISCERN_UNKNOWN_FORMAT');
    const jet = new Uint8Array(3 * 4096);
    jet.set(new TextEncoder().encode('Standard Jet DB'), 4);
    jet[0x14] = 1;
    expect(codeOf(() => readArbinRes({ name: 'a.res', bytes: jet }, { timeZone: 'Mars/Olympus' }))).toBe(
      'DISCERN_BAD_TIMEZONE',
    );
  });

  it('rejects a garbage gzip and a gzip whose trailer does not match', () => {
    const garbage = new Uint8Array(200);
    garbage.set([0x1f, 0x8b, 0x08, 0x00]);
    for (let i = 10; i < garbage.length; i++) garbage[i] = (i * 97 + 13) & 0xff;
    const name = 'junk.res.gz';
    expect(codeOf(() => readArbinRes({ name, bytes: garbage }))).toBe('DISCERN_CORRUPT');
    const good = gzipSync(new TextEncoder().encode('not a database'));
    const badCrc = good.slice();
    badCrc[badCrc.length - 8]! ^= 0xff;
    expect(codeOf(() => readArbinRes({ name, bytes: badCrc }))).toBe('DISCERN_CORRUPT');
    expect(codeOf(() => readArbinRes({ name, bytes: good }))).toBe('DISCERN_UNKNOWN_FORMAT');
    expect(codeOf(() => readArbinRes({ name, bytes: good.subarray(0, 10) }))).toBe('DISCERN_PARSE_TRUNCATED');
  });
});

describe.skipIf(!haveFixtures)('Arbin .res.gz: damaged gzip', () => {
  it('reports a cut gzip as truncated and a flipped bit as corrupt (CRC-32)', () => {
    const gz = fixtureFile(MITS7).bytes;
    const name = 'mits7-0.res.gz';
    expect(codeOf(() => readArbinRes({ name, bytes: gz.subarray(0, gz.length >> 1) }))).toBe(
      'DISCERN_PARSE_TRUNCATED',
    );
    const flipped = gz.slice();
    flipped[5000]! ^= 0x10;
    expect(codeOf(() => readArbinRes({ name, bytes: flipped }))).toBe('DISCERN_CORRUPT');
  });
});

describe.skipIf(!haveFixtures)('Arbin .res: damaged and foreign databases', () => {
  const bytes = haveFixtures ? fixtureFile(CELLPY).bytes : new Uint8Array();
  const read =
    (b: Uint8Array): (() => Frame) =>
    () =>
      readArbinRes({ name: CELLPY, bytes: b } satisfies SourceFile);

  it('reports a file cut inside a page as truncated, at the last whole page', () => {
    const e = errorOf(read(bytes.subarray(0, 800_000)));
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.offset).toBe(Math.floor(800_000 / 4096) * 4096);
  });

  it('reports a file cut at a page boundary (missing pages) as truncated, with the page offset', () => {
    const e = errorOf(read(bytes.subarray(0, 100 * 4096)));
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.offset).toBeGreaterThanOrEqual(100 * 4096);
  });

  it('reports a destroyed catalog page as corrupt', () => {
    const b = bytes.slice();
    b.fill(0, 2 * 4096, 3 * 4096);
    expect(codeOf(read(b))).toBe('DISCERN_CORRUPT');
  });

  it('gives DISCERN_UNKNOWN_FORMAT for an Access database without Arbin tables', () => {
    let b = patchUtf16(bytes, 'Channel_Normal_Table', 'Channel_Xormal_Table');
    b = patchUtf16(b, 'Global_Table', 'Xlobal_Table');
    expect(codeOf(read(b))).toBe('DISCERN_UNKNOWN_FORMAT');
    expect(
      codeOf(() =>
        readArbinResStatistics({
          name: CELLPY,
          bytes: patchUtf16(b, 'Channel_Statistic_Table', 'Channel_Xtatistic_Table'),
        }),
      ),
    ).toBe('DISCERN_UNKNOWN_FORMAT');
  });

  it('gives DISCERN_MISSING_COLUMN for Arbin tables without the data table or a required column', () => {
    const noNormal = errorOf(read(patchUtf16(bytes, 'Channel_Normal_Table', 'Channel_Xormal_Table')));
    expect(noNormal).toMatchObject({ code: 'DISCERN_MISSING_COLUMN', column: 'Channel_Normal_Table' });
    const noVoltage = errorOf(read(patchUtf16(bytes, 'Voltage', 'Voltagx')));
    expect(noVoltage).toMatchObject({ code: 'DISCERN_MISSING_COLUMN', column: 'Voltage' });
  });
});
