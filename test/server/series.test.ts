import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrame, type Frame } from '../../src/core/index.js';
import { readSource } from '../../src/ingest/index.js';
import { fixtureFile, haveFixtures } from '../helpers/fixtures.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './harness.js';

interface Series {
  x: string;
  from: number;
  to: number;
  rows_in_range: number;
  downsampled: boolean;
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

  it('keeps single-sample spikes of a seeded 200k-row test and matches a brute-force min/max', async () => {
    const n = 200_000;
    const r = rng(42);
    const time = new Float64Array(n);
    const v = new Float64Array(n);
    const cur = new Float64Array(n);
    let clock = 0;
    for (let i = 0; i < n; i++) {
      clock += 0.5 + r(); // uneven sampling
      time[i] = clock;
      v[i] = 3.7 + 0.1 * Math.sin(i / 5000) + 0.001 * (r() - 0.5);
      cur[i] = i % 7919 === 0 ? Number.NaN : 2 * Math.sign(Math.sin(i / 20000));
    }
    const spikes = [1234, 98_765, 199_998];
    for (const [k, i] of spikes.entries()) v[i] = 5 + k;
    const frame: Frame = createFrame({
      columns: { test_time_s: time, voltage_V: v, current_A: cur },
      meta: { vendor: 'synthetic', format: 'synthetic', kind: 'timeseries', header: {}, warnings: [] },
    });
    const ins = await t.server.ctx.writeLock.run(() =>
      t.server.ctx.store.insertTest(frame, 'f'.repeat(64), [], 'synthetic-200k'),
    );
    const points = 500;
    const res = await t.req(`/api/tests/${ins.testId}/series?channels=voltage_V,current_A&points=${points}`, {
      cookie,
    });
    expect(res.status).toBe(200);
    const s = res.json as Series;
    expect(s.downsampled).toBe(true);
    expect(s.rows_in_range).toBe(n);
    expect(s.from).toBe(time[0]);
    expect(s.to).toBe(time[n - 1]);
    expect(s.t.length).toBeLessThanOrEqual(points);
    const want = bruteForce(time, { voltage_V: v, current_A: cur }, time[0]!, time[n - 1]!, points);
    expect(s.t).toEqual(want.t);
    expect(s.series).toEqual(want.series);
    // Every spike is the max of its bucket.
    const maxes = s.series['voltage_V']!.max;
    for (const [k] of spikes.entries()) expect(maxes).toContain(5 + k);

    // Zoom: a window of fewer rows than points comes back at full resolution, row by row.
    const [a, b] = [time[1000]!, time[1299]!];
    const z = (
      await t.req(`/api/tests/${ins.testId}/series?channels=voltage_V&points=${points}&from=${a}&to=${b}`, {
        cookie,
      })
    ).json as Series;
    expect(z.downsampled).toBe(false);
    expect(z.rows_in_range).toBe(300);
    expect(z.t).toEqual(Array.from(time.subarray(1000, 1300)));
    expect(z.series['voltage_V']!.min).toEqual(Array.from(v.subarray(1000, 1300)));
    expect(z.series['voltage_V']!.max).toEqual(z.series['voltage_V']!.min);
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
