import { describe, expect, it } from 'vitest';
import { floatColumn, intColumn, isDiscernError, type Frame } from '../../src/core/index.js';
import { completeFrame, detectFormat, type SourceFile } from '../../src/ingest/index.js';
import { hdf5Reader, readSuperblock } from '../../src/ingest/hdf5/index.js';
import { fixtureFile, haveFixtures } from '../helpers/fixtures.js';

const REL = 'beep/indigo_test_sample.h5';

function codeOf(f: () => unknown): { code: string; offset?: number } {
  try {
    f();
  } catch (e) {
    if (isDiscernError(e)) return { code: e.code, ...(e.offset !== undefined ? { offset: e.offset } : {}) };
    throw e;
  }
  throw new Error('expected a DiscernError');
}

function col(frame: Frame, name: string): Float64Array {
  const c = floatColumn(frame, name);
  if (c === undefined) throw new Error(`no ${name}`);
  return c;
}

/** A copy of the fixture with `text` written over the bytes at `at` (e.g. to rename a link). */
function patched(file: SourceFile, at: number, text: string): SourceFile {
  const bytes = file.bytes.slice();
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  return { name: file.name, bytes };
}

describe('HDF5 signature and superblock', () => {
  it('refuses bytes without the HDF5 signature', () => {
    const bytes = new TextEncoder().encode('not an HDF5 file at all, just text');
    expect(hdf5Reader.sniff({ name: 'x.h5', ext: 'h5', head: bytes, headText: '', size: bytes.length })).toBe(
      0,
    );
    expect(codeOf(() => hdf5Reader.read({ name: 'x.h5', bytes }, {})).code).toBe('DISCERN_UNKNOWN_FORMAT');
  });

  it('a bare signature is a truncated superblock, with the offset where the bytes end', () => {
    const bytes = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
    expect(codeOf(() => readSuperblock(bytes, 'x.h5'))).toEqual({
      code: 'DISCERN_PARSE_TRUNCATED',
      offset: 9,
    });
  });
});

describe.skipIf(!haveFixtures)('Indigo HDF5 (beep/indigo_test_sample.h5)', () => {
  const file = haveFixtures ? fixtureFile(REL) : { name: REL, bytes: new Uint8Array() };
  const frame = haveFixtures ? completeFrame(detectFormat(file).read(file, {})) : undefined!;

  it('is detected by its signature and read by the Indigo reader', () => {
    expect(detectFormat(file).id).toBe('indigo-hdf5');
    expect(frame.meta.vendor).toBe('Indigo');
    expect(frame.meta.warnings.filter((w) => w.code !== 'DISCERN_TIME_PAUSE')).toEqual([]);
  });

  // Reference values below were read with pandas 1.5.3 / PyTables (`pd.read_hdf(path,
  // "time_series_data")`) and h5py 3.7 (Debian), independent of jsfive and of our code.
  it('has the 20000 rows and the channels of the pandas frame', () => {
    expect(frame.length).toBe(20000);
    const names = frame.channels.map((c) => c.name);
    for (const n of [
      'test_time_s',
      'unix_time_s',
      'voltage_V',
      'current_A',
      'power_W',
      'temperature_degC',
      'cycle_index',
      'charge_capacity_Ah',
      'discharge_capacity_Ah',
      'charge_energy_Wh',
      'discharge_energy_Wh',
    ]) {
      expect(names).toContain(n);
    }
    expect(frame.channels.find((c) => c.name === 'unix_time_s')?.source).toBe('system_time_us');
  });

  it('first and last rows equal the pandas reading (float32 values widened exactly)', () => {
    const first = {
      test_time_s: 31.532018661499023,
      voltage_V: 4.053947925567627,
      current_A: -4.996266841888428,
      power_W: -20.254606246948242,
      temperature_degC: 35.75,
      aux_coulomb_count_Ah: -114.52598571777344 / 3600,
      aux_net_energy_Wh: -465.93182373046875 / 3600,
    };
    const last = {
      test_time_s: 504899.96875,
      voltage_V: 3.740326166152954,
      current_A: 49.992698669433594,
      power_W: 186.98899841308594,
      temperature_degC: 35.125,
      aux_coulomb_count_Ah: 26592.599609375 / 3600,
      aux_net_energy_Wh: -148003.8125 / 3600,
    };
    for (const [k, v] of Object.entries(first)) expect(col(frame, k)[0], k).toBeCloseTo(v, 9);
    for (const [k, v] of Object.entries(last)) expect(col(frame, k)[frame.length - 1], k).toBeCloseTo(v, 9);
    // system_time_us 1570746395467835 and 1571251326568384 (int64, exact in a double)
    expect(col(frame, 'unix_time_s')[0]).toBeCloseTo(1570746395.467835, 6);
    expect(col(frame, 'unix_time_s')[frame.length - 1]).toBeCloseTo(1571251326.568384, 6);
    const cyc = intColumn(frame, 'cycle_index')!;
    expect([cyc[0], cyc[frame.length - 1]]).toEqual([1, 84]);
    expect(intColumn(frame, 'aux_half_cycle_count')![frame.length - 1]).toBe(169);
    expect(intColumn(frame, 'aux_experiment_count')![0]).toBe(138);
  });

  it('keeps the metadata beep derives: indigo_cell_id, start_datetime (UTC), filename', () => {
    const h = frame.meta.header;
    expect(h['indigo_cell_id']).toBe('452');
    // pandas: pd.to_datetime(df.system_time_us.min(), unit="us", utc=True).isoformat()
    expect(h['start_datetime']).toBe('2019-10-10T22:26:35.467835+00:00');
    expect(h['filename']).toBe(REL);
    // beep's _today_datetime is the time beep ran, not a property of the file: not reproduced.
    expect(h['_today_datetime']).toBeUndefined();
    expect(frame.meta.startTime).toEqual({ unixS: 1570746395.467835, timeZone: 'UTC', assumed: false });
  });

  it('power is voltage times current in every row', () => {
    const v = col(frame, 'voltage_V');
    const i = col(frame, 'current_A');
    const p = col(frame, 'power_W');
    for (let r = 0; r < frame.length; r++)
      expect(Math.abs(p[r]! - v[r]! * i[r]!)).toBeLessThan(1e-5 * Math.abs(p[r]!) + 1e-6);
  });

  it('test time advances with the system clock (float32 time_s: within 0.1 s in 99% of steps)', () => {
    const t = col(frame, 'test_time_s');
    const u = col(frame, 'unix_time_s');
    let agree = 0;
    for (let r = 1; r < frame.length; r++)
      if (Math.abs(u[r]! - u[r - 1]! - (t[r]! - t[r - 1]!)) < 0.1) agree++;
    expect(agree / (frame.length - 1)).toBeGreaterThan(0.99);
  });

  it('the coulomb count and the energy are the integrals of current and power (closely spaced rows)', () => {
    const t = col(frame, 'test_time_s');
    const i = col(frame, 'current_A');
    const p = col(frame, 'power_W');
    const q = col(frame, 'aux_coulomb_count_Ah');
    const e = col(frame, 'aux_net_energy_Wh');
    const half = intColumn(frame, 'aux_half_cycle_count')!;
    let dq = 0;
    let iq = 0;
    let de = 0;
    let ie = 0;
    let pairs = 0;
    for (let r = 1; r < frame.length; r++) {
      const dt = t[r]! - t[r - 1]!;
      if (half[r] !== half[r - 1] || dt > 5 || q[r] === 0 || q[r - 1] === 0) continue;
      if (Math.sign(q[r]!) !== Math.sign(q[r - 1]!)) continue;
      pairs++;
      dq += Math.abs(q[r]! - q[r - 1]!);
      iq += Math.abs(((i[r]! + i[r - 1]!) / 2) * dt) / 3600;
      de += Math.abs(e[r]! - e[r - 1]!);
      ie += Math.abs(((p[r]! + p[r - 1]!) / 2) * dt) / 3600;
    }
    expect(pairs).toBeGreaterThan(1000);
    expect(Math.abs(dq - iq) / iq).toBeLessThan(0.02);
    expect(Math.abs(de - ie) / ie).toBeLessThan(0.02);
  });

  it('current is positive on charge: the voltage rises over every half cycle that ends with positive charge', () => {
    const v = col(frame, 'voltage_V');
    const q = col(frame, 'aux_coulomb_count_Ah');
    const half = intColumn(frame, 'aux_half_cycle_count')!;
    let checked = 0;
    let start = 0;
    for (let r = 1; r <= frame.length; r++) {
      if (r < frame.length && half[r] === half[start]) continue;
      const qEnd = q[r - 1]!;
      if (Math.abs(qEnd) > 10) {
        checked++;
        expect(Math.sign(v[r - 1]! - v[start]!), `half cycle ${half[start]}`).toBe(Math.sign(qEnd));
      }
      start = r;
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('capacities are the coulomb count split by sign (maxima from pandas: 68514.80 C, -68376.80 C)', () => {
    const chg = col(frame, 'charge_capacity_Ah');
    const dis = col(frame, 'discharge_capacity_Ah');
    expect(Math.max(...chg)).toBeCloseTo(68514.8046875 / 3600, 9);
    expect(Math.max(...dis)).toBeCloseTo(68376.796875 / 3600, 9);
    for (let r = 0; r < frame.length; r++) expect(chg[r]! * dis[r]!).toBe(0);
  });

  it('energies: charge minus discharge is the signed energy of the half cycle; the last charge matches integrated power', () => {
    const chg = col(frame, 'charge_energy_Wh');
    const dis = col(frame, 'discharge_energy_Wh');
    const net = col(frame, 'aux_net_energy_Wh');
    for (let r = 0; r < frame.length; r++) expect(chg[r]! - dis[r]!).toBeCloseTo(net[r]!, 6);
    // The last half cycle (169) discharges, rests, then charges at 50 A without the energy counter
    // restarting: its charge energy must come from the increments, not from the (negative) sign.
    const q = col(frame, 'aux_coulomb_count_Ah');
    const t = col(frame, 'test_time_s');
    const p = col(frame, 'power_W');
    let s = frame.length - 1;
    while (q[s - 1]! > 0) s--;
    let integrated = 0;
    for (let r = s; r < frame.length; r++)
      integrated += (((p[r]! + p[r - 1]!) / 2) * (t[r]! - t[r - 1]!)) / 3600;
    expect(net[frame.length - 1]).toBeLessThan(0);
    expect(chg[frame.length - 1]).toBeGreaterThan(20);
    expect(Math.abs(chg[frame.length - 1]! - chg[s - 1]! - integrated) / integrated).toBeLessThan(0.02);
  });

  it('cumulative capacities over 84 cycles are about 84 x 18.9 Ah', () => {
    const c = col(frame, 'cumulative_discharge_capacity_Ah');
    expect(c[frame.length - 1]! / 84).toBeGreaterThan(18);
    expect(c[frame.length - 1]! / 84).toBeLessThan(19.1);
  });

  describe('refusals and damage', () => {
    it('a truncated file: DISCERN_PARSE_TRUNCATED at the end of the bytes', () => {
      const cut = { name: file.name, bytes: file.bytes.slice(0, 700_000) };
      expect(codeOf(() => hdf5Reader.read(cut, {}))).toEqual({
        code: 'DISCERN_PARSE_TRUNCATED',
        offset: 700_000,
      });
    });

    it('an unknown superblock version: DISCERN_UNSUPPORTED_VERSION at byte 8', () => {
      const f = { name: file.name, bytes: file.bytes.slice() };
      f.bytes[8] = 7;
      expect(codeOf(() => hdf5Reader.read(f, {}))).toEqual({
        code: 'DISCERN_UNSUPPORTED_VERSION',
        offset: 8,
      });
    });

    it('another HDF5 layout (the group renamed): DISCERN_UNSUPPORTED_VERSION', () => {
      // "time_series_data" is stored once, in the root group's local heap at byte 720.
      expect(new TextDecoder().decode(file.bytes.subarray(720, 736))).toBe('time_series_data');
      const other = patched(file, 720, 'other_data\0\0\0\0\0\0');
      expect(codeOf(() => hdf5Reader.read(other, {})).code).toBe('DISCERN_UNSUPPORTED_VERSION');
    });

    it('a battdat-like layout (a raw_data group): DISCERN_UNSUPPORTED_VERSION', () => {
      const battdat = patched(file, 720, 'raw_data\0\0\0\0\0\0\0\0');
      expect(codeOf(() => hdf5Reader.read(battdat, {})).code).toBe('DISCERN_UNSUPPORTED_VERSION');
    });

    it('a block missing from the frame: DISCERN_CORRUPT', () => {
      expect(new TextDecoder().decode(file.bytes.subarray(728792, 728805))).toBe('block2_values');
      const broken = patched(file, 728792, 'block2_valueX');
      expect(codeOf(() => hdf5Reader.read(broken, {})).code).toBe('DISCERN_CORRUPT');
    });
  });
});
