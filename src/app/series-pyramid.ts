import {
  SERIES_LEVEL_ROWS,
  blockColumn,
  buildSeriesBlocks,
  type Store,
  type TestRecord,
} from '../store/index.js';
import type { SeriesResult, SeriesX } from './series.js';

/** A level is used only when the range holds at least this many of its blocks per bucket. */
export const MIN_BLOCKS_PER_BUCKET = 4;
/** Ranges of fewer rows are always read row by row (fast enough, and exact). */
export const PYRAMID_MIN_ROWS = 100_000;
/** Blocks that cannot be snapped are read row by row, up to this many runs and rows. */
const MAX_RAW_RUNS = 32;
const MAX_RAW_ROWS = 65_536;

/** What the pyramid says about one x axis of a test: rows with a value of x, and their range. */
export interface AxisSummary {
  n: number;
  lo: number;
  hi: number;
}

/** Per store: the axis summary of (test, sha256, x), and the pyramid builds in flight (by test id). */
const summaries = new WeakMap<Store, Map<string, Promise<AxisSummary | undefined>>>();
const builds = new WeakMap<Store, Map<string, Promise<boolean>>>();

const q = (c: string): string => `"${c}"`;

function mapOf<V>(m: WeakMap<Store, Map<string, V>>, store: Store): Map<string, V> {
  let inner = m.get(store);
  if (inner === undefined) m.set(store, (inner = new Map()));
  return inner;
}

/**
 * Drops what is cached in memory about a test (call when it is deleted; tests are otherwise
 * immutable, and the cache is keyed by sha256 too).
 */
export function forgetTestSeries(store: Store, testId: number): void {
  for (const key of [...(summaries.get(store)?.keys() ?? [])])
    if (key.startsWith(`${testId}:`)) summaries.get(store)!.delete(key);
  builds.get(store)?.delete(String(testId));
}

/** True when the test has a complete pyramid, building it first (tests stored before it existed). */
function ensureBuilt(store: Store, test: TestRecord): Promise<boolean> {
  const inFlight = mapOf(builds, store);
  const id = String(test.testId);
  let p = inFlight.get(id);
  if (p === undefined) {
    const top = SERIES_LEVEL_ROWS.length - 1;
    const has = async (): Promise<boolean> =>
      (
        await store.query(
          `SELECT count(*) AS n FROM series_blocks WHERE test_id = ${test.testId} AND level = ${top}`,
        )
      )[0]!['n'] !== 0;
    p = (async () => {
      if (await has()) return true;
      try {
        await buildSeriesBlocks(
          store.connection,
          test.testId,
          test.channels.map((c) => c.name),
        );
      } catch {
        // E.g. the test was deleted meanwhile: no pyramid this time, the rows are used instead.
        inFlight.delete(id);
        return false;
      }
      return has();
    })();
    p.catch(() => inFlight.delete(id));
    inFlight.set(id, p);
  }
  return p;
}

/** The axis summary of a test from its pyramid (cached; undefined without a pyramid). */
export function axisSummary(store: Store, test: TestRecord, x: SeriesX): Promise<AxisSummary | undefined> {
  const cache = mapOf(summaries, store);
  const key = `${test.testId}:${test.sha256}:${x}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = (async () => {
      if (!(await ensureBuilt(store, test))) return undefined;
      const top = SERIES_LEVEL_ROWS.length - 1;
      const r = (
        await store.query(
          `SELECT sum(${blockColumn('n', x)})::DOUBLE AS n, min(${blockColumn('min', x)}) AS lo,
             max(${blockColumn('max', x)}) AS hi
           FROM series_blocks WHERE test_id = ${test.testId} AND level = ${top}`,
        )
      )[0]!;
      const total = Number(r['n'] ?? 0);
      return total === 0
        ? { n: 0, lo: Number.NaN, hi: Number.NaN }
        : { n: total, lo: Number(r['lo']), hi: Number(r['hi']) };
    })();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

export interface PyramidRequest {
  x: SeriesX;
  /** Channels the test has. */
  channels: readonly string[];
  from: number;
  to: number;
  points: number;
}

/** Fewest rows in range for which a level of the pyramid is used. */
const minRows = (points: number, level: number): number =>
  Math.max(PYRAMID_MIN_ROWS, points * SERIES_LEVEL_ROWS[level]! * MIN_BLOCKS_PER_BUCKET);

/**
 * Min/max per bucket from the test's pyramid, or undefined when the rows should be read instead (no
 * pyramid, too few rows in the range for whole blocks to be finer than a bucket, or too many blocks
 * that cannot be placed whole). A block that lies within [from, to], has x on every row and spans
 * at most one bucket edge (so every one of its rows lies in the bucket of its smallest x or the
 * next) goes whole into the bucket of its smallest x; the other blocks in range (at the ends of the
 * range, with missing x, or wider than a bucket, e.g. across a step of step_time_s) are read row by
 * row. So each bucket's envelope holds every row assigned to it and rows_in_range is exact; a
 * bucket edge moves by less than one block (`resolution_rows`). The coarsest level with
 * MIN_BLOCKS_PER_BUCKET blocks per bucket is used, and none for fewer than PYRAMID_MIN_ROWS rows.
 * @param s the test's summary for x (axisSummary)
 */
export async function pyramidSeries(
  store: Store,
  test: TestRecord,
  req: PyramidRequest,
  s: AxisSummary | undefined,
): Promise<SeriesResult | undefined> {
  const { from, to, points } = req;
  const width = (to - from) / points;
  if (s === undefined || !(width > 0) || s.n < minRows(points, 0)) return undefined;
  const bucket = (v: string): string =>
    `least(${points - 1}, greatest(0, floor((${v} - $1::DOUBLE) / $3::DOUBLE)))::INTEGER`;
  const [lo, hi, nx] = [blockColumn('min', req.x), blockColumn('max', req.x), blockColumn('n', req.x)];
  const inRange = `test_id = ${test.testId} AND ${nx} > 0 AND ${hi} >= $1::DOUBLE AND ${lo} <= $2::DOUBLE`;
  const whole = `${nx} = n_row_index AND ${lo} >= $1::DOUBLE AND ${hi} <= $2::DOUBLE AND ${bucket(hi)} - ${bucket(lo)} <= 1`;
  const params = [from, to, width];
  const top = SERIES_LEVEL_ROWS.length - 1;
  for (let level = top; level >= 0; level--) {
    const r = (
      await store.query(
        `SELECT coalesce(sum(${nx}) FILTER (WHERE w), 0)::DOUBLE AS snapped,
                coalesce(sum(n_row_index) FILTER (WHERE NOT w), 0)::DOUBLE AS raw,
                list(block ORDER BY block) FILTER (WHERE NOT w) AS blocks
         FROM (SELECT block, n_row_index, ${nx}, ${whole} AS w
               FROM series_blocks WHERE ${inRange} AND level = ${level})`,
        params,
      )
    )[0]!;
    const [snapped, raw] = [Number(r['snapped']), Number(r['raw'])];
    // Few rows in range even counting the blocks at its ends whole: read the rows.
    if (level === top && snapped + raw < minRows(points, 0)) return undefined;
    const blocks = (r['blocks'] as number[] | null) ?? [];
    if (snapped < minRows(points, level) || raw > MAX_RAW_ROWS || blocks.length > 4 * MAX_RAW_RUNS) continue;
    // Runs of consecutive rows of the blocks that are read row by row.
    const size = SERIES_LEVEL_ROWS[level]!;
    const runs: [number, number][] = [];
    for (const b of blocks) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === b * size - 1) last[1] = (b + 1) * size - 1;
      else runs.push([b * size, (b + 1) * size - 1]);
    }
    if (runs.length > MAX_RAW_RUNS) continue;
    return aggregate(store, test, req, level, runs, { bucket, inRange, whole, params });
  }
  return undefined;
}

async function aggregate(
  store: Store,
  test: TestRecord,
  req: PyramidRequest,
  level: number,
  runs: [number, number][],
  sql: { bucket: (v: string) => string; inRange: string; whole: string; params: number[] },
): Promise<SeriesResult> {
  const x = q(req.x);
  const lo = blockColumn('min', req.x);
  const parts = [
    `SELECT ${sql.bucket(lo)} AS b, ${lo} AS t, ${blockColumn('n', req.x)} AS n${req.channels
      .map((c, k) => `, ${blockColumn('min', c)} AS lo${k}, ${blockColumn('max', c)} AS hi${k}`)
      .join('')}
     FROM series_blocks WHERE ${sql.inRange} AND level = ${level} AND ${sql.whole}`,
    ...runs.map(
      ([r0, r1]) =>
        `SELECT ${sql.bucket(`${x}::DOUBLE`)} AS b, ${x}::DOUBLE AS t, 1 AS n${req.channels
          .map((c, k) => `, ${q(c)}::DOUBLE AS lo${k}, ${q(c)}::DOUBLE AS hi${k}`)
          .join('')}
         FROM measurements WHERE test_id = ${test.testId} AND row_index BETWEEN ${r0} AND ${r1}
           AND ${x} >= $1::DOUBLE AND ${x} <= $2::DOUBLE`,
    ),
  ];
  const reader = await store.connection.runAndReadAll(
    `SELECT b, min(t) AS t, sum(n)::DOUBLE AS n${req.channels
      .map((_, k) => `, min(lo${k}) AS lo${k}, max(hi${k}) AS hi${k}`)
      .join('')}
     FROM (${parts.join('\nUNION ALL\n')}) GROUP BY b ORDER BY b`,
    sql.params,
  );
  const cols = reader.getColumnsJS();
  const nums = (col: unknown[] | undefined): (number | null)[] =>
    (col ?? []).map((v) => (v === null || v === undefined ? null : Number(v)));
  const series: SeriesResult['series'] = {};
  req.channels.forEach((c, k) => {
    series[c] = { min: nums(cols[3 + 2 * k]), max: nums(cols[4 + 2 * k]) };
  });
  const counts = nums(cols[2]) as number[];
  return {
    x: req.x,
    from: req.from,
    to: req.to,
    rows_in_range: counts.reduce((a, b) => a + b, 0),
    downsampled: true,
    resolution_rows: SERIES_LEVEL_ROWS[level]!,
    t: nums(cols[1]) as number[],
    series,
  };
}
