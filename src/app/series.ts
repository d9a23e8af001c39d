import { CHANNELS, DiscernError, isCanonicalChannel } from '../core/index.js';
import { MEASUREMENT_CHANNELS, type Store, type TestRecord } from '../store/index.js';
import { axisSummary, pyramidSeries } from './series-pyramid.js';

/** Channels that can be an x axis. */
export const SERIES_X = ['test_time_s', 'unix_time_s', 'step_time_s', 'row_index'] as const;
export type SeriesX = (typeof SERIES_X)[number];

export interface SeriesOptions {
  /** Channels to return (canonical numeric measurement channels); those the test lacks are left out. */
  channels: readonly string[];
  /** The x axis (default test_time_s). */
  x?: SeriesX;
  /** Range of x (inclusive); default the whole test. */
  from?: number;
  to?: number;
  /** Number of buckets (pixels), 2..100000; default 1200. */
  points?: number;
}

/** Min/max per bucket of x; at full resolution (rows_in_range <= points) min == max per row. */
export interface SeriesResult {
  x: SeriesX;
  from: number | null;
  to: number | null;
  rows_in_range: number;
  downsampled: boolean;
  /**
   * Granularity of the bucket edges, rows: 1 when every row is placed in its own bucket; N when
   * whole blocks of N consecutive rows were placed by their smallest x (the envelope of a bucket
   * still holds every value assigned to it, and its edges move by less than one block).
   */
  resolution_rows: number;
  /** x of each bucket: the smallest x in it (or of the row at full resolution). */
  t: number[];
  series: Record<string, { min: (number | null)[]; max: (number | null)[] }>;
}

const ident = (c: string): string => `"${c}"`;

/**
 * Plot-ready series of a stored test, downsampled in DuckDB: the x range is cut into `points`
 * equal buckets and each channel's min and max per bucket are returned (empty buckets are left
 * out), so that spikes survive at any zoom. When the range holds no more rows than `points`, the
 * rows themselves are returned (min == max), ordered by x. A range of many rows per bucket is
 * aggregated from the test's min/max pyramid (series-pyramid.ts; `resolution_rows` > 1) instead of
 * its rows, so that a 10 M-row test opens in milliseconds.
 * @throws DISCERN_BAD_ARGUMENT for an unknown channel, x axis, points or range
 */
export async function testSeries(
  store: Store,
  test: TestRecord,
  options: SeriesOptions,
): Promise<SeriesResult> {
  const x: SeriesX = options.x ?? 'test_time_s';
  if (!(SERIES_X as readonly string[]).includes(x))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `x must be one of ${SERIES_X.join(', ')}, got ${x}`);
  const points = options.points ?? 1200;
  if (!Number.isInteger(points) || points < 2 || points > 100_000)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `points must be an integer in 2..100000, got ${points}`);
  for (const c of options.channels)
    if (
      !isCanonicalChannel(c) ||
      CHANNELS[c].kind === 'category' ||
      !(MEASUREMENT_CHANNELS as readonly string[]).includes(c)
    )
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `${c} is not a numeric measurement channel`);
  if (options.from !== undefined && options.to !== undefined && options.from > options.to)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `from (${options.from}) is after to (${options.to})`);
  const have = new Set(test.channels.map((c) => c.name));
  have.add('row_index');
  const channels = [...new Set(options.channels)].filter((c) => have.has(c));
  const empty: SeriesResult = {
    x,
    from: options.from ?? null,
    to: options.to ?? null,
    rows_in_range: 0,
    downsampled: false,
    resolution_rows: 1,
    t: [],
    series: Object.fromEntries(channels.map((c) => [c, { min: [], max: [] }])),
  };
  if (!have.has(x)) return empty;

  // Whole-test figures of x come from the pyramid (cached in memory; tests are immutable).
  const summary = await axisSummary(store, test, x);
  if (summary !== undefined && summary.n > 0) {
    const fast = await pyramidSeries(
      store,
      test,
      { x, channels, from: options.from ?? summary.lo, to: options.to ?? summary.hi, points },
      summary,
    );
    if (fast !== undefined) return fast;
  }

  const where = [`test_id = ${test.testId}`, `${ident(x)} IS NOT NULL`];
  const params: number[] = [];
  if (options.from !== undefined) {
    params.push(options.from);
    where.push(`${ident(x)} >= $${params.length}::DOUBLE`);
  }
  if (options.to !== undefined) {
    params.push(options.to);
    where.push(`${ident(x)} <= $${params.length}::DOUBLE`);
  }
  const cond = where.join(' AND ');
  let [n, lo, hi] = [summary?.n ?? 0, summary?.lo ?? 0, summary?.hi ?? 0];
  if (summary === undefined || params.length > 0) {
    const stats = await store.query(
      `SELECT count(*) AS n, min(${ident(x)})::DOUBLE AS lo, max(${ident(x)})::DOUBLE AS hi FROM measurements WHERE ${cond}`,
      params,
    );
    [n, lo, hi] = [Number(stats[0]!['n']), Number(stats[0]!['lo']), Number(stats[0]!['hi'])];
  }
  if (n === 0) return empty;
  const from = options.from ?? lo;
  const to = options.to ?? hi;
  const downsampled = n > points;
  let sql: string;
  if (!downsampled) {
    sql = `SELECT ${ident(x)}::DOUBLE AS t${channels.map((c, k) => `, ${ident(c)}::DOUBLE AS c${k}`).join('')}
      FROM measurements WHERE ${cond} ORDER BY ${ident(x)}, row_index`;
  } else {
    // Bucket k holds from + k*width <= x < from + (k+1)*width (the last one includes `to`).
    const width = (to - from) / points;
    let bucket = '0';
    if (width > 0) {
      params.push(from, width);
      const [f, w] = [params.length - 1, params.length];
      bucket = `least(${points - 1}, greatest(0, floor((${ident(x)}::DOUBLE - $${f}::DOUBLE) / $${w}::DOUBLE)))::INTEGER`;
    }
    sql = `SELECT ${bucket} AS b, min(${ident(x)})::DOUBLE AS t${channels
      .map((c, k) => `, min(${ident(c)})::DOUBLE AS lo${k}, max(${ident(c)})::DOUBLE AS hi${k}`)
      .join('')}
      FROM measurements WHERE ${cond} GROUP BY b ORDER BY b`;
  }
  const reader =
    params.length > 0
      ? await store.connection.runAndReadAll(sql, params)
      : await store.connection.runAndReadAll(sql);
  const cols = reader.getColumnsJS();
  const asNums = (col: unknown[] | undefined): (number | null)[] =>
    (col ?? []).map((v) => (v === null || v === undefined ? null : Number(v)));
  const series: SeriesResult['series'] = {};
  if (!downsampled) {
    channels.forEach((c, k) => {
      const v = asNums(cols[1 + k]);
      series[c] = { min: v, max: v };
    });
    return {
      x,
      from,
      to,
      rows_in_range: n,
      downsampled,
      resolution_rows: 1,
      t: asNums(cols[0]) as number[],
      series,
    };
  }
  channels.forEach((c, k) => {
    series[c] = { min: asNums(cols[2 + 2 * k]), max: asNums(cols[3 + 2 * k]) };
  });
  return {
    x,
    from,
    to,
    rows_in_range: n,
    downsampled,
    resolution_rows: 1,
    t: asNums(cols[1]) as number[],
    series,
  };
}
