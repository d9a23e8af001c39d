import type { DuckDBConnection } from '@duckdb/node-api';
import { CHANNELS, type CanonicalChannel } from '../core/index.js';

/**
 * Rows per block at each level of the series pyramid: block k of level l holds the rows of a test
 * with `row_index // SERIES_LEVEL_ROWS[l] = k` (rows are stored in row order, so a block is a run
 * of consecutive samples). Each level is built from the one below, 16 blocks at a time.
 */
export const SERIES_LEVEL_ROWS: readonly number[] = [64, 1024, 16384];

/**
 * Columns of `series_blocks` that hold a min and a max: row_index and every measurement channel
 * (the numeric canonical channels, as MEASUREMENT_CHANNELS in schema.ts, which imports this file).
 */
export const SUMMARISED: readonly string[] = [
  'row_index',
  ...(Object.keys(CHANNELS) as CanonicalChannel[]).filter((c) => CHANNELS[c].kind !== 'category'),
];

/** Columns that can be a plot's x axis and so need a count of non-missing values per block. */
export const COUNTED: readonly string[] = ['test_time_s', 'unix_time_s', 'step_time_s'];

const q = (name: string): string => `"${name}"`;

/** Column of `series_blocks` with the minimum (`min`) or maximum (`max`) of `channel` in a block. */
export const blockColumn = (kind: 'min' | 'max' | 'n', channel: string): string => q(`${kind}_${channel}`);

/**
 * DDL of the series pyramid (idempotent): one row per block (level, block) of a test,
 * with the block's row count (`n_row_index`), the number of non-missing values of each x axis
 * (`n_test_time_s` ...) and the min and max of row_index and of every measurement channel (in the
 * channel's unit; NULL when the block has no value). The dashboard's plot endpoint aggregates these
 * instead of the rows when a range holds many blocks per pixel. Written with the test's rows (same
 * transaction) and deleted with them; tests stored before it existed get theirs on first use.
 */
export const SERIES_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS series_blocks (
  test_id INTEGER NOT NULL,
  level TINYINT NOT NULL,
  block INTEGER NOT NULL,
  n_row_index INTEGER NOT NULL,
  ${COUNTED.map((c) => `${blockColumn('n', c)} INTEGER NOT NULL`).join(',\n  ')},
  ${SUMMARISED.map((c) => `${blockColumn('min', c)} DOUBLE, ${blockColumn('max', c)} DOUBLE`).join(',\n  ')}
);
`;

/**
 * Writes the pyramid of one stored test from its rows in `measurements`: level 0 with one
 * INSERT ... SELECT ... GROUP BY, each further level from the one below (blocks in order). A level
 * the test already has is left as it is, so a build that was cut short is completed. Runs in the
 * caller's transaction, if any.
 * @param channels the test's channels (others are left NULL; names that are not measurement
 *   columns are ignored)
 */
export async function buildSeriesBlocks(
  connection: DuckDBConnection,
  testId: number,
  channels: readonly string[],
): Promise<void> {
  if (!Number.isInteger(testId)) throw new TypeError(`test id must be an integer, got ${testId}`);
  const have = new Set(channels);
  const present = SUMMARISED.filter((c) => c === 'row_index' || have.has(c));
  const cols = [
    'test_id',
    'level',
    'block',
    'n_row_index',
    ...COUNTED.map((c) => blockColumn('n', c)),
    ...present.flatMap((c) => [blockColumn('min', c), blockColumn('max', c)]),
  ].join(', ');
  for (let level = 0; level < SERIES_LEVEL_ROWS.length; level++) {
    const fromRows = level === 0;
    const group = fromRows
      ? `row_index // ${SERIES_LEVEL_ROWS[0]}`
      : `block // ${SERIES_LEVEL_ROWS[level]! / SERIES_LEVEL_ROWS[level - 1]!}`;
    const values = [
      'test_id',
      String(level),
      group,
      fromRows ? 'count(*)' : 'sum(n_row_index)',
      ...COUNTED.map((c) =>
        fromRows ? (have.has(c) ? `count(${q(c)})` : '0') : `sum(${blockColumn('n', c)})`,
      ),
      ...present.flatMap((c) =>
        fromRows
          ? [`min(${q(c)})::DOUBLE`, `max(${q(c)})::DOUBLE`]
          : [`min(${blockColumn('min', c)})`, `max(${blockColumn('max', c)})`],
      ),
    ];
    const source = fromRows
      ? `measurements WHERE test_id = ${testId}`
      : `series_blocks WHERE test_id = ${testId} AND level = ${level - 1}`;
    await connection.run(
      `INSERT INTO series_blocks (${cols})
       SELECT ${values.join(', ')} FROM ${source}
       AND NOT EXISTS (SELECT 1 FROM series_blocks WHERE test_id = ${testId} AND level = ${level})
       GROUP BY test_id, ${group} ORDER BY 3`,
    );
  }
}
