import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  categoryColumn,
  floatColumn,
  intColumn,
  isDiscernError,
  type DiscernError,
  type Frame,
} from '../../src/core/index.js';
import { completeFrame, detectFormat, readSource, sniffInput } from '../../src/ingest/index.js';
import { chargeFirstCycles, newareNdaReader, newareNdaxReader } from '../../src/ingest/neware/index.js';
import type { ReadOptions, SourceFile } from '../../src/ingest/types.js';
import { fixture, fixtureFile, haveFixtures } from '../helpers/fixtures.js';
import {
  featherNumbers,
  featherTimestampsMs,
  readBtsdaParquet,
  readFeather,
  type BtsdaTable,
} from './neware-reference.js';

// ---------------------------------------------------------------------------------------------
// helpers

const cache = new Map<string, Frame>();

/** Reads a fixture once (Neware reader + the common completion), cached for the whole file. */
function load(rel: string): Frame {
  let f = cache.get(rel);
  if (f === undefined) {
    const file = fixtureFile(rel);
    const reader = /\.ndax$/i.test(rel) ? newareNdaxReader : newareNdaReader;
    f = completeFrame(reader.read(file, {}));
    cache.set(rel, f);
  }
  return f;
}

function read(file: SourceFile, options: ReadOptions = {}): Frame {
  const reader = /\.ndax$/i.test(file.name) ? newareNdaxReader : newareNdaReader;
  return reader.read(file, options);
}

function errorOf(fn: () => unknown): DiscernError {
  try {
    fn();
  } catch (e) {
    if (isDiscernError(e)) return e;
    throw e;
  }
  throw new Error('expected a DiscernError');
}

function f64(frame: Frame, name: string): Float64Array {
  const c = floatColumn(frame, name);
  if (c === undefined) throw new Error(`no float column ${name}`);
  return c;
}

function i32(frame: Frame, name: string): Int32Array {
  const c = intColumn(frame, name);
  if (c === undefined) throw new Error(`no int column ${name}`);
  return c;
}

function labels(frame: Frame, name = 'step_type'): string[] {
  const c = categoryColumn(frame, name);
  if (c === undefined) throw new Error(`no category column ${name}`);
  return Array.from(c.codes, (k) => c.levels[k] ?? '');
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

/**
 * Row-by-row comparison with |a - b| <= abs + rel * |b|; fails with the first mismatch and the
 * number of mismatching rows.
 */
function expectClose(
  what: string,
  ours: ArrayLike<number>,
  ref: ArrayLike<number>,
  abs: number,
  rel = 0,
): void {
  expect(ours.length, `${what}: row count`).toBe(ref.length);
  let bad = 0;
  let first = -1;
  for (let i = 0; i < ref.length; i++) {
    const a = ours[i]!;
    const b = ref[i]!;
    const ok = Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= abs + rel * Math.abs(b);
    if (!ok) {
      if (bad === 0) first = i;
      bad++;
    }
  }
  expect(
    bad,
    `${what}: ${bad} rows differ, first at row ${first}: ours ${ours[first]} ref ${ref[first]}`,
  ).toBe(0);
}

function map<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

// ---------------------------------------------------------------------------------------------
// NewareNDA reference frames (software_cycle_number=True, cycle_mode='chg')

/** Fixture, reference, and whether NewareNDA's Time is the test time (BTS 9.1) instead of the step time. */
const NEWARENDA: [string, string, { timeIsTotal?: boolean; aux?: Record<string, string> }][] = [
  ['NewareNDA/new_nda_file.nda', 'new_nda_file', {}],
  ['NewareNDA/TestFile.nda', 'TestFile', { timeIsTotal: true, aux: { T1: 'temperature_degC' } }],
  ['NewareNDA/2-1-6_61[07005012].nda', '2-1-6_61[07005012]', {}],
  [
    'NewareNDA/123456789012_Unit27_Example_Data_File.ndax',
    '123456789012_Unit27_Example_Data_File',
    { aux: { T1: 'temperature_degC', T2: 'aux_temperature_2_degC' } },
  ],
  ['NewareNDA/ZZZZZZZZTEST.ndax', 'ZZZZZZZZTEST', { aux: { V1: 'aux_voltage_1_V', T1: 'temperature_degC' } }],
  [
    'NewareNDA/46_1_5_60_ZZZZZZZZTEST_20250924092922.ndax',
    '46_1_5_60_ZZZZZZZZTEST_20250924092922',
    { aux: { V1: 'aux_voltage_1_V', T1: 'temperature_degC' } },
  ],
  [
    'NewareNDA/TESTCELL0001-Test_Data_Collection_Ndc17.ndax',
    'TESTCELL0001-Test_Data_Collection_Ndc17',
    { aux: { T1: 'temperature_degC' } },
  ],
  [
    'NewareNDA/TESTCELL0001-B2-2025-M50T_NewareNDA_Investigation.ndax',
    'TESTCELL0001-B2-2025-M50T_NewareNDA_Investigation',
    { aux: { T1: 'temperature_degC' } },
  ],
  ['NewareNDA/test_2.ndax', 'test_2', {}],
];

describe.skipIf(!haveFixtures)('Neware binary vs NewareNDA reference frames', () => {
  for (const [rel, ref, opts] of NEWARENDA) {
    it(`${rel} equals NewareNDA row by row`, () => {
      const f = load(rel);
      const t = readFeather(fixture(`NewareNDA/reference/${ref}.ftr`));
      const n = t.numRows;
      expect(f.length).toBe(n);
      expectClose('Index', f64(f, 'aux_record_index'), featherNumbers(t, 'Index'), 0);
      expectClose('Cycle (chg)', i32(f, 'aux_cycle_chg_index'), featherNumbers(t, 'Cycle'), 0);
      expectClose('Step_Index', i32(f, 'step_index'), featherNumbers(t, 'Step_Index'), 0);
      const status = t.getChild('Status')!;
      const ours = labels(f);
      expect(map(n, (i) => ours[i] === status.get(i)).filter((x) => !x).length, 'Status').toBe(0);
      // NewareNDA stores float32: compare within its precision.
      const time = opts.timeIsTotal ? f64(f, 'test_time_s') : f64(f, 'step_time_s');
      expectClose('Time s', time, featherNumbers(t, 'Time'), 1e-6, 2e-7);
      expectClose('Voltage V', f64(f, 'voltage_V'), featherNumbers(t, 'Voltage'), 1e-6, 2e-7);
      const mA = map(n, (i) => f64(f, 'current_A')[i]! * 1e3);
      expectClose('Current mA', mA, featherNumbers(t, 'Current(mA)'), 1e-4, 2e-7);
      // NewareNDA keeps BTS 9.0's negative discharge capacity; ours are magnitudes.
      const pairs: [string, string][] = [
        ['charge_capacity_Ah', 'Charge_Capacity(mAh)'],
        ['discharge_capacity_Ah', 'Discharge_Capacity(mAh)'],
        ['charge_energy_Wh', 'Charge_Energy(mWh)'],
        ['discharge_energy_Wh', 'Discharge_Energy(mWh)'],
      ];
      for (const [ch, col] of pairs) {
        const milli = map(n, (i) => f64(f, ch)[i]! * 1e3);
        expectClose(col, milli, featherNumbers(t, col).map(Math.abs), 3e-5, 1e-6);
      }
      const ts = featherTimestampsMs(t, 'Timestamp');
      const unix = f64(f, 'unix_time_s');
      // Zoned references are instants; naive ones (nda v29) are the file's wall clock, which we
      // read as UTC when no zone is given.
      expect(ts.zoned).toBe(f.meta.header['clock'] === 'UTC');
      expectClose(
        'Timestamp ms',
        map(n, (i) => unix[i]! * 1000),
        ts.ms,
        0.5,
      );
      for (const [refName, ourName] of Object.entries(opts.aux ?? {})) {
        expectClose(refName, f64(f, ourName), featherNumbers(t, refName), 1e-6, 1e-6);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// BTSDA exports (fastnda's reference parquet files)

const BTSDA: [string, string][] = [
  ['NewareNDA/new_nda_file.nda', 'new_nda_file'],
  ['NewareNDA/TestFile.nda', 'TestFile'],
  ['fastnda/nda_v8.nda.zip', 'nda_v8'],
  ['fastnda/nda8.nda.zip', 'nda8'],
  ['fastnda/nda_v22.nda.zip', 'nda_v22'],
  ['fastnda/nda_v26.nda.zip', 'nda_v26'],
  ['fastnda/SIM.nda.zip', 'SIM'],
  ['NewareNDA/test_2.ndax', 'test_2'],
  ['fastnda/interp-test.ndax', 'interp-test'],
  ['fastnda/scrubbed_ndc2.ndax', 'scrubbed_ndc2'],
  ['fastnda/21_10_7_85.ndax', '21_10_7_85'],
  ['fastnda/nw4-120-1-6-53.ndax', 'nw4-120-1-6-53'],
  ['fastnda/Unit27_Example_Corrupt.ndax', 'Unit27_Example_Corrupt'],
  ['fastnda/empty.ndax', 'empty'],
];

/** BTSDA prints Total Time with fewer digits as the test goes on (as fastnda's tests note). */
function totalTimeTolerance(t: number): number {
  return t < 1800 ? 0.0101 : t < 1e6 ? 0.101 : 1.01;
}

function compareBtsda(f: Frame, b: BtsdaTable, cycleChannel: string): void {
  const n = b.rows;
  expect(f.length).toBe(n);
  if (n === 0) return;
  expectClose('Cycle Index', i32(f, cycleChannel), b.cycle, 0);
  expectClose('Step Index', i32(f, 'step_index'), b.stepIndex, 0);
  expectClose('Step Count', i32(f, 'step_count'), b.stepCount, 0);
  const ours = labels(f);
  const theirs = b.stepType.map((s) =>
    s.replace(/ /g, '_').replace('Dchg', 'DChg').replace('Pulse_Step', 'Pulse'),
  );
  expect(map(n, (i) => ours[i] === theirs[i]).filter((x) => !x).length, 'Step Type').toBe(0);
  expectClose('Time', f64(f, 'step_time_s'), b.stepTime, 1e-6);
  const total = f64(f, 'test_time_s');
  let badTotal = 0;
  for (let i = 0; i < n; i++)
    if (!(Math.abs(total[i]! - b.totalTime[i]!) <= totalTimeTolerance(b.totalTime[i]!))) badTotal++;
  expect(badTotal, 'Total Time').toBe(0);
  expectClose(
    'Current',
    map(n, (i) => f64(f, 'current_A')[i]! * 1e6),
    b.currentUA,
    50,
  );
  expectClose(
    'Voltage',
    map(n, (i) => f64(f, 'voltage_V')[i]! * 1e3),
    b.voltageMV,
    0.06,
  );
  // BTSDA's Capacity/Energy is charge minus discharge, signed in newer exports: compare magnitudes.
  const q = map(
    n,
    (i) => Math.abs(f64(f, 'charge_capacity_Ah')[i]! - f64(f, 'discharge_capacity_Ah')[i]!) * 3.6e6,
  );
  expectClose('Capacity mAs', q, b.capacityMAs.map(Math.abs), 2.2, 1e-6);
  const e = map(
    n,
    (i) => Math.abs(f64(f, 'charge_energy_Wh')[i]! - f64(f, 'discharge_energy_Wh')[i]!) * 3.6e6,
  );
  expectClose('Energy mWs', e, b.energyMWs.map(Math.abs), 1.1, 1e-6);
  // BTSDA prints dates on its own clock: the same instants, shifted by that computer's UTC
  // offset (a whole number of quarter hours; zero for naive files read as UTC).
  const unix = f64(f, 'unix_time_s');
  const offsetS = b.dateMs[0]! / 1000 - unix[0]!;
  expect(Math.abs(offsetS / 900 - Math.round(offsetS / 900))).toBeLessThan(1e-6);
  if (f.meta.header['clock'] !== 'UTC') expect(offsetS).toBe(0);
  expectClose(
    'Date',
    map(n, (i) => unix[i]! + offsetS),
    b.dateMs.map((d) => d / 1000),
    1e-6,
  );
}

describe.skipIf(!haveFixtures)('Neware binary vs BTSDA exports', () => {
  for (const [rel, ref] of BTSDA) {
    it(`${rel} equals its BTSDA export`, async () => {
      const b = await readBtsdaParquet(fixture(`fastnda/${ref}.parquet`));
      // BTSDA printed test_2's cycles with its charge-first statistic (not the schedule counter).
      compareBtsda(load(rel), b, ref === 'test_2' ? 'aux_cycle_chg_index' : 'cycle_index');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// MANIFEST.md section 4

describe.skipIf(!haveFixtures)('Neware binary: manifest values', () => {
  it('new_nda_file.nda: 439 rows, 2 charge-first cycles (1 Neware cycle), naive 2020-03-25 11:16:50', () => {
    const f = load('NewareNDA/new_nda_file.nda');
    expect(f.length).toBe(439);
    expect(max(i32(f, 'aux_cycle_chg_index'))).toBe(2);
    expect([min(i32(f, 'cycle_index')), max(i32(f, 'cycle_index'))]).toEqual([1, 1]);
    expect(max(i32(f, 'step_index'))).toBeLessThanOrEqual(6);
    expect(f64(f, 'voltage_V')[0]).toBeCloseTo(-0.0911, 6);
    expect(new Set(labels(f))).toEqual(new Set(['CC_Chg', 'CC_DChg', 'Rest']));
    expect(f.meta.header['layout']).toBe('nda v29');
    // Without a zone the wall clock is read as UTC, with a warning.
    expect(f.meta.startTime).toEqual({
      unixS: Date.UTC(2020, 2, 25, 11, 16, 50) / 1000,
      timeZone: 'UTC',
      assumed: true,
    });
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_TZ_ASSUMED')).toBe(true);
    const unix = f64(f, 'unix_time_s');
    expect(unix[unix.length - 1]).toBe(Date.UTC(2020, 2, 25, 11, 28, 52) / 1000);
  });

  it('new_nda_file.nda read in Europe/Berlin (CET, +01:00 before 29 March 2020)', () => {
    const f = read(fixtureFile('NewareNDA/new_nda_file.nda'), { timeZone: 'Europe/Berlin' });
    expect(f.meta.startTime).toEqual({
      unixS: Date.UTC(2020, 2, 25, 10, 16, 50) / 1000,
      timeZone: 'Europe/Berlin',
      assumed: false,
    });
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_TZ_ASSUMED')).toBe(false);
    expect(
      errorOf(() => read(fixtureFile('NewareNDA/new_nda_file.nda'), { timeZone: 'Mars/Olympus' })).code,
    ).toBe('DISCERN_BAD_TIMEZONE');
  });

  it('TestFile.nda (BTS 9.1): 6670 rows, cycles 1-3, 2024-05-27 04:02:53.970-04:00, capacities', () => {
    const f = load('NewareNDA/TestFile.nda');
    expect(f.length).toBe(6670);
    expect([min(i32(f, 'cycle_index')), max(i32(f, 'cycle_index'))]).toEqual([1, 3]);
    expect(max(i32(f, 'step_index'))).toBeLessThanOrEqual(11);
    expect(f64(f, 'voltage_V')[0]).toBeCloseTo(3.8819923, 6);
    expect(f.meta.startTime).toEqual({
      unixS: Date.parse('2024-05-27T04:02:53.970-04:00') / 1000,
      timeZone: 'UTC',
      assumed: false,
    });
    expect(max(f64(f, 'discharge_capacity_Ah')) * 1e3).toBeCloseTo(5806.646, 2);
    expect(max(f64(f, 'charge_capacity_Ah')) * 1e3).toBeCloseTo(5659.8564, 2);
    expect(f.channels.map((c) => c.name)).toContain('temperature_degC');
    expect(f.channels.map((c) => c.name)).not.toContain('aux_temperature_1_degC');
    expect(f.meta.softwareVersion).toBe('9.1.5.7.20240403.R5');
  });

  it('2-1-6_61 (BTS 9.0, 2016 pulse test): 15567 rows, cycle 1, Pulse, first values', () => {
    const f = load('NewareNDA/2-1-6_61[07005012].nda');
    expect(f.length).toBe(15567);
    expect(max(i32(f, 'cycle_index'))).toBe(1);
    expect(new Set(labels(f))).toEqual(new Set(['Pulse']));
    expect(f64(f, 'voltage_V')[0]).toBeCloseTo(4.0297885, 6);
    expect(f64(f, 'current_A')[0]! * 1e3).toBeCloseTo(-1699.7675, 3);
    expect(f64(f, 'step_time_s')[0]).toBeCloseTo(0.463075, 6);
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && w.channel === 'cycle_index')).toBe(true);
  });

  it('Unit27 ndax: 301 rest rows, V 2.9829915 -> 2.9828753, 2024-11-18 13:43:45.422+01:00, T1 and T2', () => {
    const f = load('NewareNDA/123456789012_Unit27_Example_Data_File.ndax');
    expect(f.length).toBe(301);
    expect(new Set(labels(f))).toEqual(new Set(['Rest']));
    const v = f64(f, 'voltage_V');
    expect(v[0]).toBeCloseTo(2.9829915, 6);
    expect(v[300]).toBeCloseTo(2.9828753, 6);
    expect(f.meta.startTime?.unixS).toBeCloseTo(Date.parse('2024-11-18T13:43:45.422+01:00') / 1000, 3);
    expect(f.channels.map((c) => c.name)).toEqual(
      expect.arrayContaining(['temperature_degC', 'aux_temperature_2_degC']),
    );
    // TestInfo.xml says StartTime 12:43:31 on the instrument's clock: that computer ran on UTC.
    expect(f.meta.header['instrument_utc_offset']).toBe('+00:00');
  });

  it('ndc v16: ZZZZZZZZTEST 301 rest rows with V1, T1; 46_1_5_60 84 rows, 4 steps, capacities', () => {
    const a = load('NewareNDA/ZZZZZZZZTEST.ndax');
    expect(a.length).toBe(301);
    expect(a.meta.header['ndc_version']).toBe('16');
    expect(a.channels.map((c) => c.name)).toEqual(
      expect.arrayContaining(['aux_voltage_1_V', 'temperature_degC']),
    );
    const b = load('NewareNDA/46_1_5_60_ZZZZZZZZTEST_20250924092922.ndax');
    expect(b.length).toBe(84);
    expect(max(i32(b, 'step_count'))).toBe(4);
    expect([...new Set(labels(b))].filter((s) => s !== 'Rest').sort()).toEqual(['CC_Chg', 'CC_DChg']);
    expect(max(f64(b, 'charge_capacity_Ah')) * 1e3).toBeCloseTo(16.681528, 4);
    expect(max(f64(b, 'discharge_capacity_Ah')) * 1e3).toBeCloseTo(16.640799, 4);
  });

  it('ndc v17: TESTCELL0001 80 rows; M50T 77745 rows, cycles 1-8, steps <= 32, CCCV_Chg, capacities', () => {
    expect(load('NewareNDA/TESTCELL0001-Test_Data_Collection_Ndc17.ndax').length).toBe(80);
    const f = load('NewareNDA/TESTCELL0001-B2-2025-M50T_NewareNDA_Investigation.ndax');
    expect(f.length).toBe(77745);
    expect(f.meta.header['ndc_version']).toBe('17');
    expect([min(i32(f, 'aux_cycle_chg_index')), max(i32(f, 'aux_cycle_chg_index'))]).toEqual([1, 8]);
    expect(max(i32(f, 'step_index'))).toBeLessThanOrEqual(32);
    expect(labels(f)).toContain('CCCV_Chg');
    expect(max(f64(f, 'charge_capacity_Ah')) * 1e3).toBeCloseTo(4760.662, 2);
    expect(max(f64(f, 'discharge_capacity_Ah')) * 1e3).toBeCloseTo(4723.799, 2);
  });

  it('test_2.ndax: 108563 rows, charge-first cycles 1-54, 216 steps', () => {
    const f = load('NewareNDA/test_2.ndax');
    expect(f.length).toBe(108563);
    expect([min(i32(f, 'aux_cycle_chg_index')), max(i32(f, 'aux_cycle_chg_index'))]).toEqual([1, 54]);
    expect(max(i32(f, 'step_count'))).toBe(216);
  });

  it('BTS 8.5 ndax files read: BTS85-36-6-5-110 without error, IFE 252951 rows in 1 cycle', () => {
    const a = load('NewareNDA/BTS85-36-6-5-110-20240424.ndax');
    expect(a.length).toBeGreaterThan(0);
    expect(a.meta.warnings.filter((w) => w.code === 'DISCERN_CORRUPT_PART')).toEqual([]);
    const b = load('cellpy/20260302_IFE_BTS85_2_9_8_1.ndax');
    expect(b.length).toBe(252951);
    expect(max(i32(b, 'cycle_index'))).toBe(1);
    expect(max(i32(b, 'aux_cycle_chg_index'))).toBe(1);
    expect(b.channels.map((c) => c.name)).toContain('temperature_degC');
  });

  it('zipped nda: v8 21 rows, v22 1380, v26 222330 with cycles 1-8992, nda8 46805, SIM 108642 with 100 cycles', () => {
    expect(load('fastnda/nda_v8.nda.zip').length).toBe(21);
    expect(load('fastnda/nda_v22.nda.zip').length).toBe(1380);
    const v26 = load('fastnda/nda_v26.nda.zip');
    expect(v26.length).toBe(222330);
    expect([min(i32(v26, 'cycle_index')), max(i32(v26, 'cycle_index'))]).toEqual([1, 8992]);
    const nda8 = load('fastnda/nda8.nda.zip');
    expect(nda8.length).toBe(46805);
    // The last 12 bytes are the start of a record that was never finished.
    expect(nda8.meta.warnings.some((w) => w.code === 'DISCERN_CORRUPT_PART')).toBe(true);
    const sim = load('fastnda/SIM.nda.zip');
    expect(sim.length).toBe(108642);
    expect([min(i32(sim, 'cycle_index')), max(i32(sim, 'cycle_index'))]).toEqual([1, 100]);
    expect(labels(sim)).toContain('SIM');
  });

  it('nda v8 and v22 store UTC instants: the test-info start time gives the instrument offset', () => {
    // v22's start time is 11:28:31 on the instrument's clock, its first record 03:28:30 UTC.
    expect(load('fastnda/nda_v22.nda.zip').meta.header['instrument_utc_offset']).toBe('+08:00');
    expect(load('fastnda/nda8.nda.zip').meta.header['instrument_utc_offset']).toBe('+01:00');
  });

  it('edge-case ndax: rows 28 / 141 / 18700 (150 cycles) / 333 rest rows; BDF filetype14 reads', () => {
    const ndc2 = load('fastnda/scrubbed_ndc2.ndax');
    expect(ndc2.length).toBe(28);
    expect(ndc2.channels.map((c) => c.name)).toEqual(
      expect.arrayContaining(['aux_voltage_1_V', 'temperature_degC', 'aux_temperature_setpoint_1_degC']),
    );
    // BTSDA: V1 2446.4 mV, T1 97, t1 24.9 on the first row.
    expect(f64(ndc2, 'aux_voltage_1_V')[0]).toBeCloseTo(2.4464, 6);
    expect(f64(ndc2, 'temperature_degC')[0]).toBeCloseTo(97, 6);
    expect(f64(ndc2, 'aux_temperature_setpoint_1_degC')[0]).toBeCloseTo(24.9, 6);
    expect(load('fastnda/21_10_7_85.ndax').length).toBe(141);
    const nw4 = load('fastnda/nw4-120-1-6-53.ndax');
    expect(nw4.length).toBe(18700);
    expect([min(i32(nw4, 'cycle_index')), max(i32(nw4, 'cycle_index'))]).toEqual([1, 150]);
    const interp = load('fastnda/interp-test.ndax');
    expect(interp.length).toBe(333);
    expect(new Set(labels(interp))).toEqual(new Set(['Rest']));
    // Most records of BTS 8 carry no runInfo row: the fill is announced.
    expect(interp.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && /runInfo/.test(w.message))).toBe(
      true,
    );
    const bdf = load('BDF/filetype14-0.ndax');
    expect(bdf.length).toBeGreaterThan(0);
    expect(bdf.meta.header['ndc_version']).toBe('14');
  });

  it('corrupt ndax: the 301 records are read, the damaged TestInfo.xml drops the aux channels with a warning', () => {
    const f = load('fastnda/Unit27_Example_Corrupt.ndax');
    expect(f.length).toBe(301);
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_CORRUPT_PART' && /TestInfo/.test(w.message))).toBe(
      true,
    );
    expect(f.channels.some((c) => c.name.startsWith('aux_temperature'))).toBe(false);
  });

  it('empty ndax: 0 rows with a note, not an error', () => {
    const f = load('fastnda/empty.ndax');
    expect(f.length).toBe(0);
    expect(f.meta.warnings.some((w) => /no data records/.test(w.message))).toBe(true);
  });

  it('is detected by content and read through readSource', () => {
    const names: [string, string][] = [
      ['NewareNDA/new_nda_file.nda', 'neware-nda'],
      ['fastnda/nda_v8.nda.zip', 'neware-nda'],
      ['fastnda/21_10_7_85.ndax', 'neware-ndax'],
    ];
    for (const [rel, id] of names) {
      const file = fixtureFile(rel);
      expect(detectFormat(file).id).toBe(id);
      // The content decides, not the name.
      expect(detectFormat({ name: 'unnamed.bin', bytes: file.bytes }).id).toBe(id);
    }
    const f = readSource(fixtureFile('fastnda/nda_v8.nda.zip'));
    expect(f.meta.format).toBe('neware-nda');
    expect(f.columns['cumulative_discharge_capacity_Ah']).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
// cycle numbering (analytic cases)

describe('chargeFirstCycles', () => {
  const CC_CHG = 1;
  const CC_DCHG = 2;
  const CV_CHG = 3;
  const REST = 4;
  const CCCV_CHG = 7;
  const SIM = 17;
  it('counts a new cycle at the first charge after a discharge', () => {
    const s = [REST, CC_DCHG, CC_DCHG, REST, CC_CHG, CC_CHG, CV_CHG, REST, CC_DCHG, REST, CCCV_CHG];
    expect(Array.from(chargeFirstCycles(Int32Array.from(s)))).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3]);
  });
  it('does not count a charge that follows a charge, nor a CV charge, and counts after SIM', () => {
    const s = [CC_CHG, REST, CC_CHG, CC_DCHG, CV_CHG, CC_CHG, SIM, REST, CC_CHG];
    expect(Array.from(chargeFirstCycles(Int32Array.from(s)))).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 3]);
  });
  it('starts at 1 for a file that starts with a charge', () => {
    expect(Array.from(chargeFirstCycles(Int32Array.from([CC_CHG, CC_DCHG, CC_CHG])))).toEqual([1, 1, 2]);
  });
});

// ---------------------------------------------------------------------------------------------
// negative cases: truncated and bit-flipped headers, unknown versions and record kinds

function u32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
}

function setU32(b: Uint8Array, at: number, v: number): Uint8Array {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v, true);
  return b;
}

describe.skipIf(!haveFixtures)('Neware binary: damaged input', () => {
  const NDA = 'NewareNDA/new_nda_file.nda';
  const nda = (): Uint8Array => fixtureFile(NDA).bytes.slice();

  it('sniffs by signature', () => {
    const s = (name: string, bytes: Uint8Array): number[] => [
      newareNdaReader.sniff(sniffInput({ name, bytes })),
      newareNdaxReader.sniff(sniffInput({ name, bytes })),
    ];
    expect(s('x.nda', nda())).toEqual([1, 0]);
    expect(s('x.ndax', fixtureFile('fastnda/empty.ndax').bytes)).toEqual([0, 1]);
    expect(s('x.zip', fixtureFile('fastnda/SIM.nda.zip').bytes)).toEqual([1, 0]);
    const other = zipSync({ 'readme.txt': new TextEncoder().encode('hello') });
    expect(s('x.zip', other)).toEqual([0, 0]);
    expect(s('x.csv', new TextEncoder().encode('a,b\n1,2\n'))).toEqual([0, 0]);
  });

  it('a header cut short is DISCERN_PARSE_TRUNCATED', () => {
    expect(errorOf(() => read({ name: 'x.nda', bytes: nda().slice(0, 12) })).code).toBe(
      'DISCERN_PARSE_TRUNCATED',
    );
    expect(errorOf(() => read({ name: 'x.nda', bytes: nda().slice(0, 60) })).code).toBe(
      'DISCERN_PARSE_TRUNCATED',
    );
    const bts9 = fixtureFile('NewareNDA/TestFile.nda').bytes.slice(0, 900);
    expect(errorOf(() => read({ name: 'x.nda', bytes: bts9 })).code).toBe('DISCERN_PARSE_TRUNCATED');
  });

  it('a file without the NEWARE signature is DISCERN_PARSE_BAD_HEADER at byte 0', () => {
    const b = nda();
    b[0] = 0x4f; // 'O' instead of 'N'
    const e = errorOf(() => read({ name: 'x.nda', bytes: b }));
    expect([e.code, e.offset]).toEqual(['DISCERN_PARSE_BAD_HEADER', 0]);
  });

  it('an unknown version byte is DISCERN_UNSUPPORTED_VERSION at byte 14', () => {
    const b = nda();
    b[14] = 27;
    const e = errorOf(() => read({ name: 'x.nda', bytes: b }));
    expect([e.code, e.offset]).toEqual(['DISCERN_UNSUPPORTED_VERSION', 14]);
  });

  it('a data pointer outside the file is an error naming byte 64', () => {
    const e = errorOf(() => read({ name: 'x.nda', bytes: setU32(nda(), 64, 0x7ffffff0) }));
    expect([e.code, e.offset]).toEqual(['DISCERN_CORRUPT', 64]);
  });

  it('an unknown record kind is DISCERN_UNSUPPORTED_VERSION at that record', () => {
    const b = nda();
    const begin = u32(b, 64);
    const at = begin + 86 * 10; // a data record (the block starts with a step record)
    expect(b[at]).toBe(0x55);
    b[at] = 0x56;
    const e = errorOf(() => read({ name: 'x.nda', bytes: b }));
    expect([e.code, e.offset]).toEqual(['DISCERN_UNSUPPORTED_VERSION', at]);
  });

  it('an unknown current range is DISCERN_UNSUPPORTED_VERSION at the range field', () => {
    const b = nda();
    const at = u32(b, 64) + 86 * 10 + 78;
    setU32(b, at, 7);
    const e = errorOf(() => read({ name: 'x.nda', bytes: b }));
    expect([e.code, e.offset]).toEqual(['DISCERN_UNSUPPORTED_VERSION', at]);
  });

  it('a damaged date becomes NaN with a warning; a cut data block keeps the whole records', () => {
    const b = nda();
    b[u32(b, 64) + 86 * 10 + 72] = 13; // month 13
    const f = read({ name: 'x.nda', bytes: b }, { timeZone: 'UTC' });
    expect(Number.isNaN(f64(f, 'unix_time_s')[9])).toBe(true);
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_NAN_VALUES')).toBe(true);
    const whole = nda();
    const cut = whole.slice(0, u32(whole, 64) + 86 * 101 + 40);
    const g = read({ name: 'x.nda', bytes: cut }, { timeZone: 'UTC' });
    expect(g.length).toBe(100); // 101 records, the first a step record
    expect(g.meta.warnings.some((w) => w.code === 'DISCERN_CORRUPT_PART')).toBe(true);
  });

  it('v22-v29 records out of order are sorted by record index; steps, cycles and types as in order', () => {
    // The data records 0x55 in file order; reverse the contents of the 40th to 160th (the step
    // records between them stay where they are). Sorting by record index restores the file: every
    // column, including those derived from the status and step counter (read again on demand for
    // records out of order), must equal the original's.
    const whole = nda();
    const begin = u32(whole, 64);
    const at: number[] = [];
    for (let p = begin; p + 86 <= whole.length; p += 86) if (whole[p] === 0x55) at.push(p);
    // A step counter change alone starts a step: records 100 and on that share record 99's step
    // index, cycle and counter get the next counter (record 99 must be mid-step).
    const key = (p: number): string =>
      `${u32(whole, p + 6)} ${whole[p + 10]} ${whole[p + 11]} ${whole[p + 13]}`;
    const k99 = key(at[99]!);
    expect(key(at[100]!)).toBe(k99);
    for (let i = 100; i < at.length && key(at[i]!) === k99; i++) whole[at[i]! + 13]! += 1;
    const shuffled = whole.slice();
    const picked = at.slice(40, 161);
    picked.forEach((p, k) =>
      shuffled.set(whole.subarray(picked[picked.length - 1 - k]!, picked[picked.length - 1 - k]! + 86), p),
    );
    const a = read({ name: 'x.nda', bytes: whole }, { timeZone: 'UTC' });
    const b = read({ name: 'x.nda', bytes: shuffled }, { timeZone: 'UTC' });
    expect(a.meta.warnings.some((w) => /not in order/.test(w.message))).toBe(false);
    expect(b.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && /not in order/.test(w.message))).toBe(
      true,
    );
    // The reversed range crosses steps (else the test would not reach the step derivation).
    const steps = i32(a, 'step_count');
    expect(steps[100]! - steps[99]!).toBe(1);
    expect(i32(a, 'step_index')[100]).toBe(i32(a, 'step_index')[99]);
    expect(b.channels.map((c) => c.name)).toEqual(a.channels.map((c) => c.name));
    for (const c of a.channels) expect(b.columns[c.name], c.name).toEqual(a.columns[c.name]);
    expect(labels(b)).toContain('CC_Chg');
  });

  it('an unknown status code is kept as Status_<code> with a note, in order and out of order', () => {
    // Data records 100 to 119 of new_nda_file.nda get status 99 (not a Neware code): labelled
    // Status_99, and one note naming the code.
    const b = nda();
    const at: number[] = [];
    for (let p = u32(b, 64); p + 86 <= b.length; p += 86) if (b[p] === 0x55) at.push(p);
    for (const p of at.slice(100, 120)) b[p + 12] = 99;
    const check = (f: Frame): void => {
      const types = labels(f);
      expect(types.slice(100, 120)).toEqual(Array(20).fill('Status_99'));
      expect(types[99]).not.toBe('Status_99');
      expect(types[120]).not.toBe('Status_99');
      const notes = f.meta.warnings.filter((w) => /unknown Neware status code/.test(w.message));
      expect(notes.map((w) => w.message.match(/code\(s\) ([\d, ]+) kept/)?.[1])).toEqual(['99']);
    };
    check(read({ name: 'x.nda', bytes: b }, { timeZone: 'UTC' }));
    // Out of order (records 0 and 1 swapped): the same through the second derivation.
    const swapped = b.slice();
    swapped.set(b.subarray(at[1]!, at[1]! + 86), at[0]!);
    swapped.set(b.subarray(at[0]!, at[0]! + 86), at[1]!);
    check(read({ name: 'x.nda', bytes: swapped }, { timeZone: 'UTC' }));
  });

  it('BTS 9.0 records out of order are sorted by record index; steps and types as in order', () => {
    // 2-1-6_61: 88-byte records from byte 1024, each data record starting with the same 8 bytes.
    // Reversing the 1000th to 3000th data records must give the same Frame once sorted, including
    // the step count and step types, which come from the status (read again on demand).
    const whole = fixtureFile('NewareNDA/2-1-6_61[07005012].nda').bytes.slice();
    const begin = 1024;
    const at: number[] = [];
    for (let p = begin; p + 88 <= whole.length; p += 88) {
      if (u32(whole, p) === u32(whole, begin) && u32(whole, p + 4) === u32(whole, begin + 4)) at.push(p);
    }
    // The file is one Pulse step: data records 1500 to 1999 become a CC discharge (status 2), two
    // more steps.
    for (const p of at.slice(1500, 2000)) whole[p + 10] = 2;
    const shuffled = whole.slice();
    const picked = at.slice(1000, 3001);
    picked.forEach((p, k) => {
      const from = picked[picked.length - 1 - k]!;
      shuffled.set(whole.subarray(from, from + 88), p);
    });
    const a = read({ name: 'x.nda', bytes: whole }, { timeZone: 'UTC' });
    const b = read({ name: 'x.nda', bytes: shuffled }, { timeZone: 'UTC' });
    expect(b.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && /not in order/.test(w.message))).toBe(
      true,
    );
    const steps = i32(a, 'step_count');
    expect([steps[1000], steps[1700], steps[3000]]).toEqual([1, 2, 3]);
    expect(labels(a)[1700]).toBe('CC_DChg');
    for (const c of a.channels) expect(b.columns[c.name], c.name).toEqual(a.columns[c.name]);
  });

  it('BTS 9: an unknown sub-layout or a moved data pointer is an error with its offset', () => {
    const b = fixtureFile('NewareNDA/TestFile.nda').bytes.slice();
    b[1024] = 0x33;
    const e = errorOf(() => read({ name: 'x.nda', bytes: b }));
    expect([e.code, e.offset]).toEqual(['DISCERN_UNSUPPORTED_VERSION', 1024]);
    const c = setU32(fixtureFile('NewareNDA/TestFile.nda').bytes.slice(), 82, 2048);
    const e2 = errorOf(() => read({ name: 'x.nda', bytes: c }));
    expect([e2.code, e2.offset]).toEqual(['DISCERN_CORRUPT', 82]);
  });

  it('ndax: a cut archive, garbage, a missing table, an unknown ndc version, a damaged page', () => {
    const ndax = fixtureFile('fastnda/21_10_7_85.ndax').bytes;
    expect(errorOf(() => read({ name: 'x.ndax', bytes: ndax.slice(0, 3000) })).code).toBe(
      'DISCERN_PARSE_TRUNCATED',
    );
    const junk = ndax.slice();
    junk.fill(0x42, 30, 2000);
    expect(['DISCERN_CORRUPT', 'DISCERN_PARSE_TRUNCATED']).toContain(
      errorOf(() => read({ name: 'x.ndax', bytes: junk })).code,
    );

    const entries = unzipSync(ndax);
    const rezip = (change: (e: Record<string, Uint8Array>) => void): SourceFile => {
      const copy: Record<string, Uint8Array> = {};
      for (const [k, v] of Object.entries(entries)) copy[k] = v.slice();
      change(copy);
      return { name: 'x.ndax', bytes: zipSync(copy) };
    };
    const noStep = rezip((e) => delete e['data_step.ndc']);
    expect(errorOf(() => read(noStep)).code).toBe('DISCERN_MISSING_COLUMN');
    const v99 = rezip((e) => (e['data_runInfo.ndc']![2] = 99));
    const e99 = errorOf(() => read(v99));
    expect([e99.code, e99.offset, e99.file]).toEqual([
      'DISCERN_UNSUPPORTED_VERSION',
      2,
      'x.ndax/data_runInfo.ndc',
    ]);
    // A page whose row count contradicts its bitmask is skipped with a warning.
    const badPage = rezip((e) => (e['data.ndc']![4096 + 2] = 140)); // 141 rows are flagged
    const f = read(badPage);
    expect(f.length).toBe(0);
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_CORRUPT_PART')).toBe(true);
    // An archive whose directory claims an impossible size is refused before inflating it.
    const bigClaim = ndax.slice();
    const cd = u32(ndax, ndax.length - 22 + 16); // the archive has no comment
    setU32(bigClaim, cd + 24, 0xfffffff0); // uncompressed size of the first directory entry
    expect(errorOf(() => read({ name: 'x.ndax', bytes: bigClaim })).code).toBe('DISCERN_CORRUPT');
  });
});
