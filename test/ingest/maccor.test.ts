import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import {
  DiscernError,
  categoryColumn,
  floatColumn,
  intColumn,
  takeRows,
  withColumns,
  type Frame,
} from '../../src/core/index.js';
import { completeFrame, detectFormat, readSource } from '../../src/ingest/index.js';
import {
  joinMaccorParts,
  maccorAsciiReader,
  maccorEisReader,
  maccorTextReader,
  parseMaccorDuration,
} from '../../src/ingest/maccor/index.js';
import type { ReadOptions, SourceFile } from '../../src/ingest/types.js';
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

function states(frame: Frame): string[] {
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

function minMax(a: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (Number.isNaN(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

const read = (rel: string, options: ReadOptions = {}): Frame => readSource(fixtureFile(rel), options);
const utc = (...a: [number, number, number, number, number, number]): number => Date.UTC(...a) / 1000;

describe('parseMaccorDuration', () => {
  it('reads the d hh:mm:ss forms Maccor writes', () => {
    expect(parseMaccorDuration('  0d 00:00:0')).toBe(0);
    expect(parseMaccorDuration('  0d 00:00:5.05000019073486')).toBeCloseTo(5.05000019073486, 12);
    expect(parseMaccorDuration('  2d 02:52:51.5699996948242')).toBeCloseTo(
      2 * 86400 + 2 * 3600 + 52 * 60 + 51.57,
      6,
    );
    expect(parseMaccorDuration('01:00:00')).toBe(3600);
    expect(parseMaccorDuration('3.5')).toBeUndefined();
    expect(parseMaccorDuration('1d 1:2')).toBeUndefined();
  });
});

describe.skipIf(!haveFixtures)('Maccor raw ASCII exports (beep fixtures)', () => {
  it('xTESLADIAG_000019_CH70.070: 11669 rows, cycles 0-2, channel 70, signed current kept', () => {
    const f = read('beep/xTESLADIAG_000019_CH70.070', { timeZone: 'UTC' });
    expect(f.meta.format).toBe('maccor-ascii');
    expect(f.meta.vendor).toBe('Maccor');
    expect(f.length).toBe(11669);
    expect(f.meta.channel).toBe('70');
    expect(f.meta.header['Procedure']).toBe('xTESLADIAG_000019_CH70.000');
    expect(minMax(i32(f, 'cycle_index'))).toEqual([0, 2]);
    const [vMin, vMax] = minMax(f64(f, 'voltage_V'));
    expect(vMin).toBeGreaterThan(2.99);
    expect(vMax).toBeLessThan(4.11);
    // The file's current is already signed: no sign inference, C rows > 0, D rows < 0.
    expect(codes(f)).not.toContain('DISCERN_CURRENT_SIGN_INFERRED');
    expect(codes(f)).not.toContain('DISCERN_TZ_ASSUMED');
    const st = states(f);
    const i = f64(f, 'current_A');
    const cyc = i32(f, 'cycle_index');
    let maxV1 = 0;
    for (let k = 0; k < f.length; k++) {
      if (st[k] === 'C') expect(i[k]).toBeGreaterThan(0);
      if (st[k] === 'D') expect(i[k]).toBeLessThan(0);
      if (st[k] === 'C' && cyc[k] === 1) maxV1 = Math.max(maxV1, f64(f, 'voltage_V')[k]!);
    }
    // beep: interpolated cycle-1 charge max V 4.100838 (interpolation, so 1e-4).
    expect(Math.abs(maxV1 - 4.100838)).toBeLessThan(1e-4);
    // Text twin: line 112 is the first charge row of cycle 1, 2.4232089723 A (beep: 2.423209 A).
    const firstCharge = st.findIndex((s, k) => s === 'C' && cyc[k] === 1);
    expect(i[firstCharge]).toBeCloseTo(2.423209, 6);
    expect(f64(f, 'test_time_s')[firstCharge]).toBeCloseTo(1852.79, 6);
    // Last line: test time 136344.95 s, DPt Time 07/13/2019 03:55:29.
    expect(f64(f, 'test_time_s')[f.length - 1]).toBeCloseTo(136344.95, 6);
    expect(f64(f, 'unix_time_s')[f.length - 1]).toBe(utc(2019, 6, 13, 3, 55, 29));
    expect(f.meta.startTime).toEqual({ unixS: utc(2019, 6, 11, 14, 2, 33), timeZone: 'UTC', assumed: false });
    // ACImp/DCIR are 0.00000 (not measured) on every row: no impedance channels.
    expect(floatColumn(f, 'ac_impedance_Ohm')).toBeUndefined();
    expect(floatColumn(f, 'dc_resistance_Ohm')).toBeUndefined();
    // Amp-hr restarts at every step; the cumulative charge only grows.
    const q = f64(f, 'cumulative_charge_capacity_Ah');
    for (let k = 1; k < f.length; k++) expect(q[k]).toBeGreaterThanOrEqual(q[k - 1]!);
  });

  it('DPt Time is read in options.timeZone, and UTC is assumed (with a warning) without it', () => {
    const la = read('beep/xTESLADIAG_000019_CH70.070', { timeZone: 'America/Los_Angeles' });
    expect(f64(la, 'unix_time_s')[0]).toBe(utc(2019, 6, 11, 21, 2, 33)); // 14:02:33 PDT
    expect(la.meta.startTime).toEqual({
      unixS: utc(2019, 6, 11, 21, 2, 33),
      timeZone: 'America/Los_Angeles',
      assumed: false,
    });
    const none = read('beep/xTESLADIAG_000019_CH70.070');
    expect(codes(none)).toContain('DISCERN_TZ_ASSUMED');
    expect(none.meta.startTime?.assumed).toBe(true);
    expect(f64(none, 'unix_time_s')[0]).toBe(utc(2019, 6, 11, 14, 2, 33));
  });

  it('PredictionDiagnostics_000151_test.052: 333 rows, cycle 37, channel 52, Loop1-4, midnight misprint', () => {
    const f = read('beep/PredictionDiagnostics_000151_test.052', { timeZone: 'UTC' });
    expect(f.length).toBe(333);
    expect(f.meta.channel).toBe('52');
    expect(minMax(i32(f, 'cycle_index'))).toEqual([37, 37]);
    expect(codes(f)).toContain('DISCERN_CYCLE_CONSTANT');
    for (const n of [1, 2, 3, 4]) expect(floatColumn(f, `aux_loop_${n}`)).toBeDefined();
    expect(f64(f, 'aux_loop_1')[0]).toBe(3);
    expect(f64(f, 'aux_loop_2')[0]).toBe(2);
    // Line 47 has the date-only "10/22/2019" Maccor prints at midnight: 00:00:00 that day.
    expect(f64(f, 'unix_time_s')[44]).toBe(utc(2019, 9, 22, 0, 0, 0));
    const u = f64(f, 'unix_time_s');
    for (let k = 1; k < f.length; k++) expect(u[k]).toBeGreaterThanOrEqual(u[k - 1]!);
    expect(codes(f)).not.toContain('DISCERN_TIME_PAUSE');
  });

  it('PredictionDiagnostics_000151_paused.052: the 7201 s pause comes out of readSource', () => {
    const f = read('beep/PredictionDiagnostics_000151_paused.052', { timeZone: 'UTC' });
    expect(f.length).toBe(332);
    expect(codes(f)).toContain('DISCERN_TIME_PAUSE');
    const u = f64(f, 'unix_time_s');
    const t = f64(f, 'test_time_s');
    let gap = 0;
    let tGap = 0;
    for (let k = 1; k < f.length; k++) {
      gap = Math.max(gap, u[k]! - u[k - 1]!);
      tGap = Math.max(tGap, t[k]! - t[k - 1]!);
    }
    expect(gap).toBe(7201); // beep: max paused interval 7201 s
    expect(tGap).toBeLessThan(1); // test time itself runs on
  });

  it('PredictionDiagnostics_000109_tztest.010: 2165 rows, cycles 86-89, channel 10, procedure name', () => {
    const f = read('beep/PredictionDiagnostics_000109_tztest.010', { timeZone: 'America/Los_Angeles' });
    expect(f.length).toBe(2165);
    expect(f.meta.channel).toBe('10');
    expect(f.meta.header['Procedure']).toBe('PredictionDiagnostics_000109.000');
    expect(minMax(i32(f, 'cycle_index'))).toEqual([86, 89]);
    const [vMin, vMax] = minMax(f64(f, 'voltage_V'));
    expect(vMin).toBeGreaterThan(2.69);
    expect(vMax).toBeLessThan(4.41);
  });

  it('tztest: read in America/Los_Angeles the clock runs through the DST change (2019-11-03 02:00 PDT)', () => {
    const f = read('beep/PredictionDiagnostics_000109_tztest.010', { timeZone: 'America/Los_Angeles' });
    const u = f64(f, 'unix_time_s');
    const t = f64(f, 'test_time_s');
    expect(u[0]).toBe(utc(2019, 10, 3, 6, 28, 51)); // 11/02/2019 23:28:51 PDT
    expect(u[f.length - 1]).toBe(utc(2019, 10, 3, 15, 38, 32)); // 11/03/2019 07:38:32 PST
    const [lo, hi] = minMax(Array.from(u, (x, k) => x - t[k]!));
    expect(hi - lo).toBeLessThan(10); // wall clock and test time agree to the clock's 1 s resolution
    expect(codes(f).filter((c) => c === 'DISCERN_TIME_NOT_MONOTONIC')).toHaveLength(0);
    // Read as UTC, the repeated hour shows as the clock falling back by an hour.
    const naive = read('beep/PredictionDiagnostics_000109_tztest.010');
    const back = naive.meta.warnings.find((w) => w.code === 'DISCERN_TIME_NOT_MONOTONIC');
    expect(back?.channel).toBe('unix_time_s');
    expect(back?.row).toBe(351);
  });

  it('PreDiag_000229_000229_truncated.034: 4061 rows, cycles 0-1', () => {
    const f = read('beep/PreDiag_000229_000229_truncated.034', { timeZone: 'America/Los_Angeles' });
    expect(f.length).toBe(4061);
    expect(f.meta.channel).toBe('34');
    expect(minMax(i32(f, 'cycle_index'))).toEqual([0, 1]);
  });

  it('PreDiag_000412_00008Fshort.022: 10344 rows, cycles 0-339', () => {
    const f = read('beep/PreDiag_000412_00008Fshort.022', { timeZone: 'America/Los_Angeles' });
    expect(f.length).toBe(10344);
    expect(minMax(i32(f, 'cycle_index'))).toEqual([0, 339]);
    // Last line: 3477720.65 s, -2.4252689403 A, 3.93850614 V.
    expect(f64(f, 'test_time_s')[f.length - 1]).toBeCloseTo(3477720.65, 6);
    expect(f64(f, 'current_A')[f.length - 1]).toBeCloseTo(-2.4252689403, 10);
    expect(f64(f, 'voltage_V')[f.length - 1]).toBeCloseTo(3.93850614, 10);
  });

  it('maccor_test_file_4267-66-6519.041: 74 rows of rest at 3.908 V, d hh:mm:ss time, FRA state', () => {
    const f = read('beep/maccor_test_file_4267-66-6519.041', { timeZone: 'UTC' });
    expect(f.meta.format).toBe('maccor-ascii');
    expect(f.length).toBe(74);
    expect(f.meta.channel).toBe('41');
    const [vMin, vMax] = minMax(f64(f, 'voltage_V'));
    expect(vMin).toBeGreaterThan(3.905);
    expect(vMax).toBeLessThan(3.915);
    expect(minMax(f64(f, 'current_A'))).toEqual([0, 0]);
    expect(new Set(states(f))).toEqual(new Set(['R', 'FRA', 'P', 'O']));
    expect(f64(f, 'test_time_s')[10]).toBe(10); // "  0d 00:00:10.0000"
  });

  it('maccor_test_file_4267-66-6519.EDA0001.041: an impedance frame', () => {
    const f = read('beep/maccor_test_file_4267-66-6519.EDA0001.041', { timeZone: 'UTC' });
    expect(f.meta.format).toBe('maccor-eis');
    expect(f.meta.kind).toBe('impedance');
    expect(f.meta.channel).toBe('41');
    expect(f.length).toBe(60);
    const fr = f64(f, 'frequency_Hz');
    const re = f64(f, 'z_real_Ohm');
    const im = f64(f, 'z_imag_Ohm');
    expect(fr[0]).toBe(999999);
    expect(fr[f.length - 1]).toBeCloseTo(1.25892, 6);
    expect(re[0]).toBeCloseTo(0.773446, 9);
    expect(im[0]).toBeCloseTo(-0.849201, 9);
    const mod = f64(f, 'z_mod_Ohm');
    const phase = f64(f, 'z_phase_deg');
    const cap = f64(f, 'aux_capacitance_F');
    for (let k = 0; k < f.length; k++) {
      // Z'' is the imaginary part itself: |Z| and the phase follow from (Z', Z'').
      expect(Math.abs(Math.hypot(re[k]!, im[k]!) - mod[k]!)).toBeLessThan(2e-6 * mod[k]! + 2e-6);
      expect(Math.abs((Math.atan2(im[k]!, re[k]!) * 180) / Math.PI - phase[k]!)).toBeLessThan(1e-4);
      // C(F) = 1 / (2 pi f Z'') (negative, as the file writes it): the file's capacitance confirms that Z is in ohms.
      if (fr[k]! < 100) expect(1 / (2 * Math.PI * fr[k]! * im[k]!)).toBeCloseTo(cap[k]!, 4);
    }
    expect(f.meta.startTime?.unixS).toBe(utc(2016, 10, 2, 15, 58, 0));
    expect(minMax(f64(f, 'voltage_V'))).toEqual([3.909893, 3.909893]);
  });
});

describe.skipIf(!haveFixtures)('Maccor text exports (cellpy fixtures)', () => {
  it('maccor_001.txt: 6704 rows, starts 2020-12-11 12:22:12, unsigned current signed, -2501 degC sentinels', () => {
    const f = read('cellpy/maccor_001.txt', { timeZone: 'UTC' });
    expect(f.meta.format).toBe('maccor-txt');
    expect(f.length).toBe(6704);
    expect(f.meta.startTime?.unixS).toBe(utc(2020, 11, 11, 12, 22, 12));
    expect(f.meta.header['Procedure']).toBe('M50_Validation.000');
    expect(f.meta.channel).toBe('1');
    expect(codes(f)).toContain('DISCERN_CURRENT_SIGN_INFERRED');
    expect(codes(f)).toContain('DISCERN_SENTINEL_VALUE');
    for (let n = 1; n <= 16; n++) {
      expect(f64(f, `aux_temperature_${n}_degC`).every((v) => Number.isNaN(v))).toBe(true);
    }
    expect(f64(f, 'current_A')[2]).toBeCloseTo(-0.50401, 9); // line 7: 0.50401 A in state D
    expect(f64(f, 'test_time_s')[f.length - 1]).toBeCloseTo(183171.56999969, 6);
  });

  it('maccor_001.txt matches cellpy golden raw.parquet (V, I, Ah, t; cellpy numbers cycles from 1)', () => {
    const f = read('cellpy/maccor_001.txt', { timeZone: 'UTC' });
    const bytes = new Uint8Array(readFileSync(fixture('cellpy/goldens/loader_maccor_txt/raw.parquet')));
    const golden = tableFromIPC(readParquet(bytes).intoIPCStream());
    const units = JSON.parse(
      readFileSync(fixture('cellpy/goldens/loader_maccor_txt/raw_units.json'), 'utf8'),
    ) as Record<string, string>;
    expect([units['voltage'], units['current'], units['charge'], units['time']]).toEqual([
      'V',
      'A',
      'Ah',
      'sec',
    ]);
    expect(golden.numRows).toBe(f.length);
    const col = (name: string): (number | string)[] => {
      const c = golden.getChild(name);
      if (c === null) throw new Error(`golden has no ${name}`);
      return Array.from({ length: golden.numRows }, (_, k) => c.get(k) as number | string);
    };
    const gV = col('voltage');
    const gI = col('current');
    const gT = col('test_time');
    const gCyc = col('cycle_index');
    const gStep = col('step_index');
    const gChg = col('charge_capacity');
    const gDis = col('discharge_capacity');
    const gState = col('State');
    const gDate = col('date_time');
    const v = f64(f, 'voltage_V');
    const i = f64(f, 'current_A');
    const t = f64(f, 'test_time_s');
    const qc = f64(f, 'charge_capacity_Ah');
    const qd = f64(f, 'discharge_capacity_Ah');
    const u = f64(f, 'unix_time_s');
    const cyc = i32(f, 'cycle_index');
    const step = i32(f, 'step_index');
    const st = states(f);
    for (let k = 0; k < f.length; k++) {
      expect(Math.abs(v[k]! - (gV[k] as number))).toBeLessThan(1e-9);
      expect(Math.abs(i[k]! - (gI[k] as number))).toBeLessThan(1e-9);
      expect(Math.abs(t[k]! - (gT[k] as number))).toBeLessThan(1e-6);
      expect(cyc[k]).toBe((gCyc[k] as number) - 1);
      expect(step[k]).toBe(gStep[k]);
      expect(st[k]).toBe(gState[k]);
      expect(u[k]! * 1000).toBe(gDate[k]);
      // cellpy splits Amp-hr by state the same way on charge and discharge rows.
      if (st[k] === 'C') expect(Math.abs(qc[k]! - (gChg[k] as number))).toBeLessThan(1e-9);
      if (st[k] === 'D') expect(Math.abs(qd[k]! - (gDis[k] as number))).toBeLessThan(1e-9);
    }
  });

  it('maccor_002.txt: windows-1252 bytes, TestTime in minutes, unsigned current, channel 53', () => {
    const f = read('cellpy/maccor_002.txt', { timeZone: 'Europe/London' });
    expect(f.meta.format).toBe('maccor-txt');
    expect(f.length).toBe(7446);
    expect(f.meta.channel).toBe('53');
    expect(f.meta.instrument).toBe('Maccor #4');
    expect(f.meta.header['Procedure']).toBe('CW_MZ_SIMBA_CT.000');
    expect(codes(f)).toEqual(
      expect.arrayContaining([
        'DISCERN_ENCODING_FALLBACK',
        'DISCERN_UNIT_CONVERTED',
        'DISCERN_CURRENT_SIGN_INFERRED',
      ]),
    );
    const t = f64(f, 'test_time_s');
    const u = f64(f, 'unix_time_s');
    // Line 4016: TestTime 2115.335500 min at 5/13/2021 2:55:43 AM (BST, UTC+1).
    expect(t[4000]).toBeCloseTo(2115.3355 * 60, 6);
    expect(u[4000]).toBe(utc(2021, 4, 13, 1, 55, 43));
    expect(u[0]).toBe(utc(2021, 4, 11, 14, 40, 24)); // 5/11/2021 3:40:24 PM BST
    // Line 2305 is the first discharge row: 0.00016190 A written unsigned.
    const st = states(f);
    const firstD = st.indexOf('D');
    expect(firstD).toBe(2289);
    expect(f64(f, 'current_A')[firstD]).toBeCloseTo(-0.0001619, 12);
    expect(minMax(i32(f, 'cycle_index'))).toEqual([0, 1]); // Cycle P
    expect(minMax(f64(f, 'aux_cycle_count'))).toEqual([1, 2]); // Cycle C
  });

  it('maccor_two.txt: decimal commas, minutes, a cut-off last line dropped with a warning', () => {
    const f = read('cellpy/maccor_two.txt', { timeZone: 'Europe/Berlin' });
    expect(f.length).toBe(213);
    expect(f.meta.channel).toBe('81');
    const cut = f.meta.warnings.find((w) => w.code === 'DISCERN_CORRUPT_PART');
    expect(cut?.line).toBe(229);
    expect(f64(f, 'voltage_V')[0]).toBeCloseTo(0.1377, 12);
    expect(f64(f, 'test_time_s')[212]).toBeCloseTo(212 * 60, 9);
    // All rows are on 06/05/2021: the order cannot be told, decimal commas suggest day/month.
    expect(f.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && w.channel === 'unix_time_s')).toBe(true);
    expect(f64(f, 'unix_time_s')[0]).toBe(utc(2021, 4, 6, 9, 23, 46)); // 6 May 2021 11:23:46 CEST
  });

  it('maccor_three.txt: mAmp-hr, mAmps and a "Volts" column in mV are converted', () => {
    const f = read('cellpy/maccor_three.txt', { timeZone: 'UTC' });
    expect(f.length).toBe(4009);
    const w = f.meta.warnings.find((x) => x.code === 'DISCERN_VOLTAGE_UNIT_SUSPECT');
    expect(w?.channel).toBe('voltage_V');
    expect(f64(f, 'voltage_V')[0]).toBeCloseTo(1.8538186, 12);
    // Last line: 3d 18:47:23.42, 822.3335 mAmp-hr, -896.0098 mAmps, 1300.0687 "Volts", state D.
    const n = f.length - 1;
    expect(f64(f, 'test_time_s')[n]).toBeCloseTo(3 * 86400 + 18 * 3600 + 47 * 60 + 23.42, 6);
    expect(f64(f, 'current_A')[n]).toBeCloseTo(-0.8960098, 12);
    expect(f64(f, 'discharge_capacity_Ah')[n]).toBeCloseTo(0.8223335, 12);
    expect(f64(f, 'voltage_V')[n]).toBeCloseTo(1.3000687, 12);
    expect(codes(f)).not.toContain('DISCERN_CURRENT_SIGN_INFERRED');
    expect(f.meta.startTime?.unixS).toBe(utc(2021, 7, 23, 18, 4, 18));
  });

  it('every Maccor fixture is detected as its format', () => {
    const expected: [string, string][] = [
      ['beep/xTESLADIAG_000019_CH70.070', 'maccor-ascii'],
      ['beep/PreDiag_000412_00008Fshort.022', 'maccor-ascii'],
      ['beep/maccor_test_file_4267-66-6519.041', 'maccor-ascii'],
      ['beep/maccor_test_file_4267-66-6519.EDA0001.041', 'maccor-eis'],
      ['cellpy/maccor_001.txt', 'maccor-txt'],
      ['cellpy/maccor_002.txt', 'maccor-txt'],
      ['cellpy/maccor_two.txt', 'maccor-txt'],
      ['cellpy/maccor_three.txt', 'maccor-txt'],
    ];
    for (const [rel, id] of expected) expect(detectFormat(fixtureFile(rel)).id).toBe(id);
  });
});

/** A small Maccor text export (variant 1 layout) from rows of [state, t (s), Amp-hr, Amps, Volts];
 * `minutes` writes the time column in minutes (the DPt Time clock stays right). */
function textExport(
  rows: [string, number, number, number, number][],
  extraHeader = '',
  extra = '',
  minutes = false,
): SourceFile {
  const head = [
    "Today's Date:\t14 December 2020\tDate of Test:\t11 December 2020, 12:22:12 PM",
    '    Filename:\tsynthetic\tTester Channel:\t7',
    'Procedure:\tsynthetic.000\tDescription:',
    `Rec#\tCyc#\tStep\tTest (Sec)\tAmp-hr\tAmps\tVolts\tState\tDPt Time${extraHeader}`,
  ];
  let step = 1;
  const body = rows.map(([s, t, q, i, v], k) => {
    if (k > 0 && s !== rows[k - 1]![0]) step++;
    const clock = new Date(Date.UTC(2021, 0, 15, 10, 0, 0) + t * 1000);
    const dpt = `01/15/2021 ${clock.toISOString().slice(11, 19)}`;
    return `${k + 1}\t0\t${step}\t${minutes ? t / 60 : t}\t${q}\t${i}\t${v}\t${s}\t${dpt}${extra}`;
  });
  return textFile('synthetic.txt', [...head, ...body].join('\r\n') + '\r\n');
}

describe('Maccor readers on synthetic files', () => {
  // One charge step of 1 A for 1 h, a rest, one discharge of 0.5 A for 1 h, written unsigned.
  const rows: [string, number, number, number, number][] = [];
  for (let s = 0; s <= 3600; s += 600) rows.push(['C', s, s / 3600, 1, 3.5 + s / 36000]);
  rows.push(['R', 4200, 0, 0, 3.9]);
  for (let s = 0; s <= 3600; s += 600) rows.push(['D', 4800 + s, (0.5 * s) / 3600, 0.5, 3.9 - s / 36000]);

  it('signs unsigned current from State and splits Amp-hr into charge and discharge', () => {
    const f = completeFrame(maccorTextReader.read(textExport(rows), { timeZone: 'UTC' }));
    expect(f.meta.channel).toBe('7');
    expect(codes(f)).toContain('DISCERN_CURRENT_SIGN_INFERRED');
    const i = f64(f, 'current_A');
    expect(Array.from(i.slice(0, 7))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(i[7]).toBe(0);
    expect(Array.from(i.slice(8))).toEqual([-0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5]);
    const n = f.length - 1;
    expect(f64(f, 'cumulative_charge_capacity_Ah')[n]).toBeCloseTo(1, 12);
    expect(f64(f, 'cumulative_discharge_capacity_Ah')[n]).toBeCloseTo(0.5, 12);
    expect(f64(f, 'charge_capacity_Ah')[7]).toBeCloseTo(1, 12); // the rest row holds the last charge
    expect(f64(f, 'unix_time_s')[n]).toBe(utc(2021, 0, 15, 10, 0, 0) + 8400);
  });

  it('finds TestTime in minutes from DPt Time, and assumes seconds (with a warning) without a clock', () => {
    const file = textExport(rows, '', '', true);
    const text = new TextDecoder().decode(file.bytes).replace('Test (Sec)', 'TestTime');
    const f = maccorTextReader.read(textFile('min.txt', text), { timeZone: 'UTC' });
    expect(f.meta.warnings.find((w) => w.code === 'DISCERN_UNIT_CONVERTED')?.channel).toBe('test_time_s');
    expect(f64(f, 'test_time_s')[f.length - 1]).toBeCloseTo(8400, 9);
    const noClock = text
      .split('\r\n')
      .map((l) => l.split('\t').slice(0, 8).join('\t'))
      .join('\r\n');
    const g = maccorTextReader.read(textFile('noclock.txt', noClock), {});
    expect(codes(g)).toContain('DISCERN_TIME_UNIT_SUSPECT');
    expect(codes(g)).not.toContain('DISCERN_TZ_ASSUMED');
    expect(f64(g, 'test_time_s')[g.length - 1]).toBeCloseTo(140, 9);
  });

  it('keeps real aux temperatures and replaces only readings below absolute zero', () => {
    const file = textExport(rows.slice(0, 3), '\tAux #1\t Units', '\t25.5\t C  ');
    const lines = new TextDecoder().decode(file.bytes).split('\r\n');
    lines[6] = lines[6]!.replace('25.5', '-2501.7');
    const text = lines.join('\r\n');
    const f = completeFrame(maccorTextReader.read(textFile('aux.txt', text), { timeZone: 'UTC' }));
    expect(Array.from(f64(f, 'aux_temperature_1_degC'))).toEqual([25.5, 25.5, NaN]);
    expect(f.meta.warnings.find((w) => w.code === 'DISCERN_SENTINEL_VALUE')?.count).toBe(1);
  });

  it('uses the waveform columns (WF Chg Cap / WF Dis Cap) where they are filled', () => {
    const file = textExport(rows.slice(0, 3), '\tWF Chg Cap\tWF Dis Cap', '\tN/A\tN/A');
    const lines = new TextDecoder().decode(file.bytes).split('\r\n');
    lines[6] = lines[6]!.replace(/N\/A\tN\/A$/, '0.25\t0.125');
    const f = maccorTextReader.read(textFile('wf.txt', lines.join('\r\n')), { timeZone: 'UTC' });
    expect(Array.from(f64(f, 'charge_capacity_Ah'))).toEqual([0, 1 / 6, 0.25]);
    expect(Array.from(f64(f, 'discharge_capacity_Ah'))).toEqual([0, 0, 0.125]);
  });

  it('reads a comma-separated export with the same columns', () => {
    const text = new TextDecoder().decode(textExport(rows).bytes);
    const csv = text
      .split('\r\n')
      .slice(3)
      .map((l) => l.replaceAll('\t', ','))
      .join('\n');
    const f = readSource(textFile('export.csv', csv), { timeZone: 'UTC' });
    expect(f.meta.format).toBe('maccor-txt');
    expect(f.length).toBe(rows.length);
    expect(f64(f, 'voltage_V')[0]).toBe(3.5);
  });

  it('joinMaccorParts continues test time and cycles across parts', () => {
    if (!haveFixtures) return;
    const whole = maccorAsciiReader.read(fixtureFile('beep/xTESLADIAG_000019_CH70.070'), { timeZone: 'UTC' });
    const t = f64(whole, 'test_time_s');
    const cyc = i32(whole, 'cycle_index');
    const k = 6000; // inside cycle 1
    expect(cyc[k]).toBe(cyc[k - 1]);
    const a = takeRows(
      whole,
      Array.from({ length: k }, (_, j) => j),
    );
    const rest = takeRows(
      whole,
      Array.from({ length: whole.length - k }, (_, j) => j + k),
    );
    // The second part restarts its test time and cycle count, as a new part file does.
    const b = withColumns(rest, {
      test_time_s: f64(rest, 'test_time_s').map((x) => x - t[k]!),
      cycle_index: i32(rest, 'cycle_index').map((c) => c - cyc[k]!),
    });
    const joined = joinMaccorParts([a, b]);
    expect(joined.length).toBe(whole.length);
    expect(codes(joined)).toContain('DISCERN_MULTIPART');
    const jt = f64(joined, 'test_time_s');
    for (let j = 0; j < whole.length; j++) expect(Math.abs(jt[j]! - t[j]!)).toBeLessThan(1.5);
    expect(Array.from(i32(joined, 'cycle_index'))).toEqual(Array.from(cyc));
    const full = completeFrame(whole);
    const again = completeFrame(joined);
    const n = whole.length - 1;
    expect(f64(again, 'cumulative_charge_capacity_Ah')[n]).toBeCloseTo(
      f64(full, 'cumulative_charge_capacity_Ah')[n]!,
      9,
    );
    expect(errorOf(() => joinMaccorParts([])).code).toBe('DISCERN_BAD_ARGUMENT');
  });
});

describe('Maccor readers reject bad input', () => {
  const preamble =
    "Today's Date 07/17/2019  Date of Test:\t07/11/2019\t Filename:\tC:\\x\\run.070 Procedure: p.000\tComment/Barcode: X";
  const header =
    'Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time';
  const row = (k: number): string =>
    `${k}\t0\t1\t${k * 5}.0000\t${k * 5}.0000\t0.0\t0.0\t0.0\t3.45\tR\t0\t07/11/2019 14:02:${String(30 + k).padStart(2, '0')}`;
  const ascii = (lines: string[]): SourceFile => textFile('bad.070', lines.join('\r\n') + '\r\n');

  it('empty file', () => {
    expect(errorOf(() => maccorAsciiReader.read(textFile('e.070', ''), {})).code).toBe('DISCERN_EMPTY_FILE');
  });

  it('header only', () => {
    const e = errorOf(() => maccorAsciiReader.read(ascii([preamble, header]), {}));
    expect(e.code).toBe('DISCERN_NO_DATA');
    expect(e.line).toBe(2);
  });

  it('a truncated line in the middle is an error with its line; a cut-off last line is dropped', () => {
    const e = errorOf(() =>
      maccorAsciiReader.read(ascii([preamble, header, row(1), row(2).slice(0, 20), row(3)]), {}),
    );
    expect(e.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(e.line).toBe(4);
    const f = maccorAsciiReader.read(ascii([preamble, header, row(1), row(2), row(3).slice(0, 20)]), {});
    expect(f.length).toBe(2);
    expect(f.meta.warnings.find((w) => w.code === 'DISCERN_CORRUPT_PART')?.line).toBe(5);
  });

  it('garbage: printable text has no Maccor header, binary bytes are not text', () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const text = Array.from({ length: 2000 }, () => String.fromCharCode(32 + Math.floor(rnd() * 95))).join(
      '',
    );
    expect(errorOf(() => maccorTextReader.read(textFile('g.txt', text), {})).code).toBe(
      'DISCERN_PARSE_BAD_HEADER',
    );
    expect(errorOf(() => readSource(textFile('g.txt', text))).code).toBe('DISCERN_UNKNOWN_FORMAT');
    const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(rnd() * 256));
    bytes[100] = 0;
    expect(errorOf(() => maccorAsciiReader.read({ name: 'g.070', bytes }, {})).code).toBe(
      'DISCERN_BAD_ENCODING',
    );
    expect(errorOf(() => maccorEisReader.read(textFile('g.041', text), {})).code).toBe(
      'DISCERN_PARSE_BAD_HEADER',
    );
  });

  it('a non-number, a bad date, a missing or doubled column, a bad time zone', () => {
    const bad = errorOf(() =>
      maccorAsciiReader.read(ascii([preamble, header, row(1), row(2).replace('3.45', 'x.yz')]), {}),
    );
    expect([bad.code, bad.line, bad.column]).toEqual(['DISCERN_PARSE_BAD_VALUE', 4, 'Volts']);
    const date = errorOf(() =>
      maccorAsciiReader.read(
        ascii([preamble, header, row(1), row(2).replace('07/11/2019', 'yesterday')]),
        {},
      ),
    );
    expect([date.code, date.line]).toEqual(['DISCERN_PARSE_BAD_VALUE', 4]);
    const noVolts = errorOf(() =>
      maccorAsciiReader.read(ascii([preamble, header.replace('Volts', 'Foo'), row(1)]), {}),
    );
    expect(noVolts.code).toBe('DISCERN_MISSING_COLUMN');
    const twice = errorOf(() =>
      maccorAsciiReader.read(ascii([preamble, header.replace('ES', 'Amps'), row(1)]), {}),
    );
    expect(twice.code).toBe('DISCERN_PARSE_BAD_HEADER');
    const tz = errorOf(() =>
      maccorAsciiReader.read(ascii([preamble, header, row(1)]), { timeZone: 'Mars/Olympus' }),
    );
    expect(tz.code).toBe('DISCERN_BAD_TIMEZONE');
  });

  it('EIS: header only, truncated line, bad value', () => {
    const head = [
      'MACCOR, INC.    AC Impedance Test',
      'Frequency Sweep:   Open Circut Voltage',
      'EIS 1.000FRA default',
      'X_1.EDA0001.041',
      'Line 4',
      'Line 5',
      'Start Date:  Wednesday, November 2, 2016 Start Time:   15:58',
      'Line 7',
      '0.0005  2  0',
      '',
      "Freq(Hz)\tPolar(V)\ttime(sec)\tZ'(a)\tZ''(b)\tPhase_Angle\tZ-Mag",
      '',
    ];
    const good = '1000.0\t6283.2\t10.0\t0.02\t-0.001\t-2.86\t0.020025';
    const eis = (rows: string[]): SourceFile => textFile('x.EDA0001.041', [...head, ...rows].join('\r\n'));
    expect(errorOf(() => maccorEisReader.read(eis([]), {})).code).toBe('DISCERN_NO_DATA');
    const cut = errorOf(() => maccorEisReader.read(eis([good, '100.0\t628.3\t12']), {}));
    expect([cut.code, cut.line]).toEqual(['DISCERN_PARSE_TRUNCATED', 14]);
    const bad = errorOf(() => maccorEisReader.read(eis([good.replace('0.02', 'abc')]), {}));
    expect([bad.code, bad.line]).toEqual(['DISCERN_PARSE_BAD_VALUE', 13]);
    const f = maccorEisReader.read(eis([good]), { timeZone: 'Europe/Berlin' });
    expect(f.meta.kind).toBe('impedance');
    expect(f.meta.channel).toBe('41');
    expect(f.meta.startTime?.unixS).toBe(utc(2016, 10, 2, 14, 58, 0)); // 15:58 CET
  });
});
