import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrame, type Frame } from '../../src/core/index.js';
import { readSource } from '../../src/ingest/index.js';
import { fixtureFile, haveFixtures } from '../helpers/fixtures.js';
import { forgetTestSeries } from '../../src/app/series-pyramid.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './harness.js';

interface Series {
  x: string;
  from: number;
  to: number;
  rows_in_range: number;
  downsampled: boolean;
  resolution_rows: number;
  t: number[];
  series: Record<string, { min: (number | null)[]; max: (number | null)[] }>;
}

/** Brute force: min/max of each channel per equal-width bucket of x over [from, to] (NaN = missing). */
function bruteForce(
  x: Float64Array,
  chans: Record<string, Float64Array>,
  from: number,
  to: number,
  points: number,
): { t: number[]; series: Record<string, { min: (number | null)[]; max: (number | null)[] }>; n: number } {
  const width = (to - from) / points;
  const t = new Map<number, number>();
  const lo: Record<string, Map<number, number>> = {};
  const hi: Record<string, Map<number, number>> = {};
  for (const c of Object.keys(chans)) [lo[c], hi[c]] = [new Map(), new Map()];
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (!(xi >= from && xi <= to)) continue;
    n++;
    const b = Math.min(points - 1, Math.max(0, Math.floor((xi - from) / width)));
    t.set(b, Math.min(t.get(b) ?? Infinity, xi));
    for (const [c, v] of Object.entries(chans)) {
      const vi = v[i]!;
      if (Number.isNaN(vi)) continue;
      lo[c]!.set(b, Math.min(lo[c]!.get(b) ?? Infinity, vi));
      hi[c]!.set(b, Math.max(hi[c]!.get(b) ?? -Infinity, vi));
    }
  }
  const keys = [...t.keys()].sort((a, b) => a - b);
  const series: Record<string, { min: (number | null)[]; max: (number | null)[] }> = {};
  for (const c of Object.keys(chans))
    series[c] = { min: keys.map((k) => lo[c]!.get(k) ?? null), max: keys.map((k) => hi[c]!.get(k) ?? null) };
  return { t: keys.map((k) => t.get(k)!), series, n };
}

/**
 * Brute force at block granularity: rows are cut into blocks of `blockRows` consecutive rows; a
 * block whose rows all have x in [from, to] and that spans at most one bucket edge goes whole into
 * the bucket of its smallest x, the other rows into the bucket of their own x.
 */
function blockBruteForce(
  x: Float64Array,
  chans: Record<string, Float64Array>,
  from: number,
  to: number,
  points: number,
  blockRows: number,
): { t: number[]; series: Record<string, { min: (number | null)[]; max: (number | null)[] }>; n: number } {
  const width = (to - from) / points;
  const bucketOf = (v: number): number => Math.min(points - 1, Math.max(0, Math.floor((v - from) / width)));
  const t = new Map<number, number>();
  const lo: Record<string, Map<number, number>> = {};
  const hi: Record<string, Map<number, number>> = {};
  for (const c of Object.keys(chans)) [lo[c], hi[c]] = [new Map(), new Map()];
  let n = 0;
  const put = (b: number, i: number, xb: number): void => {
    n++;
    t.set(b, Math.min(t.get(b) ?? Infinity, xb));
    for (const [c, v] of Object.entries(chans)) {
      const vi = v[i]!;
      if (Number.isNaN(vi)) continue;
      lo[c]!.set(b, Math.min(lo[c]!.get(b) ?? Infinity, vi));
      hi[c]!.set(b, Math.max(hi[c]!.get(b) ?? -Infinity, vi));
    }
  };
  for (let s = 0; s < x.length; s += blockRows) {
    const e = Math.min(x.length, s + blockRows);
    let [bl, bh, all] = [Infinity, -Infinity, true];
    for (let i = s; i < e; i++) {
      if (Number.isNaN(x[i]!)) all = false;
      else [bl, bh] = [Math.min(bl, x[i]!), Math.max(bh, x[i]!)];
    }
    if (all && bl >= from && bh <= to && bucketOf(bh) - bucketOf(bl) <= 1)
      for (let i = s; i < e; i++) put(bucketOf(bl), i, bl);
    else for (let i = s; i < e; i++) if (x[i]! >= from && x[i]! <= to) put(bucketOf(x[i]!), i, x[i]!);
  }
  const keys = [...t.keys()].sort((a, b) => a - b);
  const series: Record<string, { min: (number | null)[]; max: (number | null)[] }> = {};
  for (const c of Object.keys(chans))
    series[c] = { min: keys.map((k) => lo[c]!.get(k) ?? null), max: keys.map((k) => hi[c]!.get(k) ?? null) };
  return { t: keys.map((k) => t.get(k)!), series, n };
}

/**
 * Every value of a row in [from, to] lies within the envelope of the last bucket starting at or
 * before its x (or the one before, when a bucket starts exactly at x): the envelope never loses a point.
 */
function expectEnvelopeHoldsEveryRow(
  s: Series,
  x: Float64Array,
  v: Float64Array,
  channel: string,
  from: number,
  to: number,
): void {
  const { min, max } = s.series[channel]!;
  let misses = 0;
  for (let i = 0, k = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (!(xi >= from && xi <= to) || Number.isNaN(v[i]!)) continue;
    while (k + 1 < s.t.length && s.t[k + 1]! <= xi) k++;
    const inside = (j: number): boolean => j >= 0 && min[j]! <= v[i]! && v[i]! <= max[j]!;
    if (!inside(k) && !(s.t[k] === xi && inside(k - 1))) misses++;
  }
  expect(misses).toBe(0);
}

/** A seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

describe('server: /series downsampling in DuckDB', () => {
  let t: TestServer;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestServer();
    cookie = await t.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A seeded 200k-row test: uneven sampling, three spikes, missing currents and times, steps of 10k rows. */
  function synthetic200k(): {
    n: number;
    time: Float64Array;
    step: Float64Array;
    v: Float64Array;
    cur: Float64Array;
    spikes: number[];
    frame: Frame;
  } {
    const n = 200_000;
    const r = rng(42);
    const time = new Float64Array(n);
    const step = new Float64Array(n);
    const v = new Float64Array(n);
    const cur = new Float64Array(n);
    let clock = 0;
    for (let i = 0; i < n; i++) {
      clock += 0.5 + r(); // uneven sampling
      time[i] = clock;
      step[i] = i % 10_000 === 0 ? 0 : step[i - 1]! + (time[i]! - time[i - 1]!); // resets: x steps back
      v[i] = 3.7 + 0.1 * Math.sin(i / 5000) + 0.001 * (r() - 0.5);
      cur[i] = i % 7919 === 0 ? Number.NaN : 2 * Math.sign(Math.sin(i / 20000));
    }
    for (let i = 25_000; i < n; i += 50_021) time[i] = Number.NaN; // rows without a time
    const spikes = [1234, 98_765, 199_998];
    for (const [k, i] of spikes.entries()) v[i] = 5 + k;
    const frame: Frame = createFrame({
      columns: { test_time_s: time, step_time_s: step, voltage_V: v, current_A: cur },
      meta: { vendor: 'synthetic', format: 'synthetic', kind: 'timeseries', header: {}, warnings: [] },
    });
    return { n, time, step, v, cur, spikes, frame };
  }

  it('keeps single-sample spikes of a seeded 200k-row test and matches a brute-force min/max', async () => {
    const { n, time, step, v, cur, spikes, frame } = synthetic200k();
    const withTime = n - 4;
    const ins = await t.server.ctx.writeLock.run(() =>
      t.server.ctx.store.insertTest(frame, 'f'.repeat(64), [], 'synthetic-200k'),
    );
    const get = async (q: string): Promise<Series> => {
      const res = await t.req(`/api/tests/${ins.testId}/series?${q}`, { cookie });
      expect(res.status).toBe(200);
      return res.json as Series;
    };
    const chans = { voltage_V: v, current_A: cur };
    const [first, last] = [time[0]!, time[n - 1]!];

    // Many buckets for the rows: every row in the bucket of its own x (exact brute force).
    const exact = await get('channels=voltage_V,current_A&points=2000');
    expect(exact.downsampled).toBe(true);
    expect(exact.resolution_rows).toBe(1);
    expect(exact.rows_in_range).toBe(withTime);
    const wantExact = bruteForce(time, chans, first, last, 2000);
    expect(exact.t).toEqual(wantExact.t);
    expect(exact.series).toEqual(wantExact.series);

    // 400 rows per bucket: whole blocks of 64 rows from the pyramid, the rest row by row.
    const points = 500;
    const s = await get(`channels=voltage_V,current_A&points=${points}`);
    expect(s.downsampled).toBe(true);
    expect(s.resolution_rows).toBe(64);
    expect(s.rows_in_range).toBe(withTime);
    expect(s.from).toBe(first);
    expect(s.to).toBe(last);
    expect(s.t.length).toBeLessThanOrEqual(points);
    const want = blockBruteForce(time, chans, first, last, points, 64);
    expect(want.n).toBe(withTime);
    expect(s.t).toEqual(want.t);
    expect(s.series).toEqual(want.series);
    expectEnvelopeHoldsEveryRow(s, time, v, 'voltage_V', first, last);
    // Every spike is the max of its bucket.
    const maxes = s.series['voltage_V']!.max;
    for (const [k] of spikes.entries()) expect(maxes).toContain(5 + k);

    // A range that starts and ends inside blocks.
    const [from, to] = [time[10_000]! + 0.3, time[190_000]!];
    const zr = await get(`channels=voltage_V,current_A&points=300&from=${from}&to=${to}`);
    expect(zr.resolution_rows).toBe(64);
    const wantZr = blockBruteForce(time, chans, from, to, 300, 64);
    expect(zr.rows_in_range).toBe(wantZr.n);
    expect(zr.t).toEqual(wantZr.t);
    expect(zr.series).toEqual(wantZr.series);
    expectEnvelopeHoldsEveryRow(zr, time, v, 'voltage_V', from, to);

    // An x that steps back (step time, 30 s buckets): blocks across a step start are read row by row.
    let stMax = 0;
    for (const x of step) stMax = Math.max(stMax, x);
    for (const p of [500, 20]) {
      const st = await get(`channels=voltage_V&x=step_time_s&points=${p}`);
      const wantSt = blockBruteForce(step, { voltage_V: v }, 0, stMax, p, st.resolution_rows);
      expect(st.rows_in_range).toBe(n);
      expect(st.t).toEqual(wantSt.t);
      expect(st.series).toEqual(wantSt.series);
      if (p === 500)
        expect(st.resolution_rows).toBe(1); // more rows per bucket than one block holds
      else expect(st.resolution_rows).toBeGreaterThan(1);
    }

    // Zoom: a window of fewer rows than points comes back at full resolution, row by row.
    const [a, b] = [time[1000]!, time[1299]!];
    const z = await get(`channels=voltage_V&points=${points}&from=${a}&to=${b}`);
    expect(z.downsampled).toBe(false);
    expect(z.rows_in_range).toBe(300);
    expect(z.t).toEqual(Array.from(time.subarray(1000, 1300)));
    expect(z.series['voltage_V']!.min).toEqual(Array.from(v.subarray(1000, 1300)));
    expect(z.series['voltage_V']!.max).toEqual(z.series['voltage_V']!.min);
  });

  it('builds the pyramid of a test stored without one on first use, and drops it with the test', async () => {
    const { frame } = synthetic200k();
    const { ctx } = t.server;
    const ins = await ctx.writeLock.run(() =>
      ctx.store.insertTest(frame, 'e'.repeat(64), [], 'synthetic-lazy'),
    );
    const blocks = async (): Promise<number> =>
      Number(
        (await ctx.store.query(`SELECT count(*) AS n FROM series_blocks WHERE test_id = ${ins.testId}`))[0]![
          'n'
        ],
      );
    // Level 0 has one block per 64 rows.
    expect(await blocks()).toBeGreaterThanOrEqual(Math.ceil(200_000 / 64));
    const url = `/api/tests/${ins.testId}/series?channels=voltage_V,current_A&points=500`;
    const before = (await t.req(url, { cookie })).json as Series;
    expect(before.resolution_rows).toBe(64);
    // As in a store written before the pyramid existed.
    await ctx.writeLock.run(() =>
      ctx.store.connection.run(`DELETE FROM series_blocks WHERE test_id = ${ins.testId}`),
    );
    forgetTestSeries(ctx.reader, ins.testId);
    expect(await blocks()).toBe(0);
    expect((await t.req(url, { cookie })).json).toEqual(before);
    expect(await blocks()).toBeGreaterThanOrEqual(Math.ceil(200_000 / 64));
    expect((await t.req(`/api/tests/${ins.testId}`, { method: 'DELETE', cookie })).status).toBe(200);
    expect(await blocks()).toBe(0);
    expect((await t.req(url, { cookie })).status).toBe(404);
  });

  it.skipIf(!haveFixtures)(
    'matches a brute force over the fixture read independently of the store',
    async () => {
      const file = fixtureFile('cellpy/neware_uio.csv');
      const up = await t.req('/api/upload', {
        method: 'POST',
        cookie,
        headers: { 'x-filename': 'neware_uio.csv' },
        body: file.bytes,
      });
      expect(up.json.rows).toBe(9065);
      const frame = readSource(file);
      const x = frame.columns['test_time_s'] as Float64Array;
      const chans = {
        voltage_V: frame.columns['voltage_V'] as Float64Array,
        current_A: frame.columns['current_A'] as Float64Array,
      };
      let [lo, hi] = [Infinity, -Infinity];
      for (const xi of x) [lo, hi] = [Math.min(lo, xi), Math.max(hi, xi)];
      for (const points of [2, 37, 1200]) {
        const s = (await t.req(`/api/tests/${up.json.test.id}/series?points=${points}`, { cookie }))
          .json as Series;
        expect(s.t.length).toBeLessThanOrEqual(points);
        expect(s.rows_in_range).toBe(9065);
        expect(s.resolution_rows).toBe(1); // a small test is always read row by row
        const want = bruteForce(x, chans, lo, hi, points);
        expect(s.t).toEqual(want.t);
        expect(s.series).toEqual(want.series);
      }
      // A zoomed range of a real test.
      const [from, to] = [50_000, 120_000];
      const s = (
        await t.req(`/api/tests/${up.json.test.id}/series?points=100&from=${from}&to=${to}`, { cookie })
      ).json as Series;
      const want = bruteForce(x, chans, from, to, 100);
      expect(s.rows_in_range).toBe(want.n);
      expect(s.series).toEqual(want.series);
    },
  );

  it('validates the query at the boundary', async () => {
    for (const q of [
      'points=1',
      'points=abc',
      'channels=voltage_V;drop',
      'x=voltage_V',
      'channels=step_type',
      'from=10&to=5',
    ])
      expect((await t.req(`/api/tests/1/series?${q}`, { cookie })).status, q).toBe(400);
  });
});
