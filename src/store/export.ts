import { CHANNELS, DiscernError, isCanonicalChannel } from '../core/index.js';
import type { Store, TestRecord } from './store.js';

export type ExportFormat = 'csv' | 'parquet';

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The SELECT that gives a test's rows with BDF machine names (canonical channels) and our aux names. */
export function exportSelect(test: TestRecord, naming: 'bdf' | 'discern' = 'bdf'): string {
  const parts: string[] = [];
  const joins: string[] = [];
  const used = new Set<string>();
  let k = 0;
  for (const ch of test.channels) {
    if (isCanonicalChannel(ch.name)) {
      let out: string = naming === 'bdf' ? CHANNELS[ch.name].bdf : ch.name;
      if (used.has(out)) out = ch.name;
      used.add(out);
      parts.push(`m.${ident(ch.name)} AS ${ident(out)}`);
    } else {
      const alias = `a${k++}`;
      joins.push(
        `LEFT JOIN (SELECT a.row_index, a.value FROM aux_measurements a JOIN aux_channels c USING (test_id, channel_id) WHERE a.test_id = ${test.testId} AND c.channel = ${literal(ch.name)}) ${alias} USING (row_index)`,
      );
      parts.push(`${alias}.value AS ${ident(ch.name)}`);
    }
  }
  if (parts.length === 0) parts.push('m.row_index');
  return `SELECT ${parts.join(', ')} FROM measurements m ${joins.join(' ')} WHERE m.test_id = ${test.testId} ORDER BY m.row_index`;
}

/**
 * Writes a test as BDF CSV or Parquet (zstd) with DuckDB's COPY. Column names are BDF machine
 * names for canonical channels; auxiliary channels keep discern's names.
 * @throws DISCERN_BAD_ARGUMENT for an unknown format; DISCERN_IO when the file cannot be written.
 */
export async function exportTest(
  store: Store,
  test: TestRecord,
  outPath: string,
  format: ExportFormat,
): Promise<number> {
  const options =
    format === 'parquet'
      ? '(FORMAT parquet, COMPRESSION zstd)'
      : format === 'csv'
        ? '(FORMAT csv, HEADER true)'
        : undefined;
  if (options === undefined)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `unknown export format ${String(format)}`);
  try {
    await store.connection.run(`COPY (${exportSelect(test)}) TO ${literal(outPath)} ${options}`);
  } catch (e) {
    throw new DiscernError(
      'DISCERN_IO',
      `cannot write ${outPath}: ${e instanceof Error ? e.message : String(e)}`,
      {
        file: outPath,
      },
    );
  }
  return test.rows;
}
