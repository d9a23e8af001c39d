import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { DiscernError, type Column, type DataWarning, type Frame } from '../core/index.js';
import { MIGRATIONS, SCHEMA_PARTS, SCHEMA_VERSION } from './schema.js';
import { buildSeriesBlocks } from './series-schema.js';
import { MeasurementWriter, SeriesBlockWriter } from './measurement-writer.js';
import type { BlockSummary } from './series-blocks.js';

/** A row of the `tests` table as the store returns it. */
export interface TestRecord {
  testId: number;
  name: string;
  sha256: string;
  vendor: string;
  format: string;
  kind: string;
  instrument: string | null;
  softwareVersion: string | null;
  channel: string | null;
  technique: string | null;
  startUnixS: number | null;
  timeZone: string | null;
  timeZoneAssumed: boolean | null;
  rows: number;
  cycles: number | null;
  channels: { name: string; unit: string; source?: string }[];
  header: Record<string, string>;
  warnings: DataWarning[];
  sources: string[];
}

/** One source file of a test (several for multi-part exports). */
export interface SourceFileInfo {
  name: string;
  path: string;
  sha256: string;
  sizeBytes: number;
}

export interface InsertResult {
  status: 'ingested' | 'duplicate';
  testId: number;
  name: string;
}

/**
 * The DuckDB store: the only code that talks to DuckDB. One process may hold a DuckDB file at a
 * time; a second one gets DISCERN_DB_LOCKED.
 */
export class Store {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
    private readonly ownsInstance = true,
  ) {}

  /**
   * A second handle on the same open database with its own connection (its own transactions), for
   * a server that reads while it writes. Closing the fork closes only its connection.
   */
  async fork(): Promise<Store> {
    return new Store(this.instance, await this.instance.connect(), this.path, false);
  }

  /**
   * Opens (or creates) the store at `path` (":memory:" for a throwaway one) and applies the schema.
   * @throws DISCERN_DB_LOCKED when another process holds the file; DISCERN_STORE otherwise.
   */
  static async open(path: string): Promise<Store> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/lock/i.test(msg)) {
        throw new DiscernError(
          'DISCERN_DB_LOCKED',
          `the database ${path} is in use by another process: ${msg}`,
          {
            file: path,
          },
        );
      }
      throw new DiscernError('DISCERN_STORE', `cannot open database ${path}: ${msg}`, { file: path });
    }
    const connection = await instance.connect();
    const store = new Store(instance, connection, path);
    try {
      for (const part of SCHEMA_PARTS) await connection.run(part);
      await migrate(connection, path);
    } catch (e) {
      store.close(); // the file is not left held by this process
      throw e;
    }
    return store;
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }

  /** Rows of a query as plain objects (BigInt counts become numbers). */
  async query(sql: string, params?: DuckDBValue[]): Promise<Record<string, unknown>[]> {
    const reader = params
      ? await this.connection.runAndReadAll(sql, params)
      : await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((r) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'bigint' ? Number(v) : v;
      return o;
    });
  }

  /** The test with this sha256 (of its source bytes), if stored. */
  async findBySha(sha256: string): Promise<{ testId: number; name: string } | undefined> {
    const rows = await this.query('SELECT test_id, name FROM tests WHERE sha256 = $1', [sha256]);
    const r = rows[0];
    return r ? { testId: Number(r['test_id']), name: String(r['name']) } : undefined;
  }

  /** Whether a stored source file has exactly this size in bytes (a cheap hint before hashing). */
  async hasSourceOfSize(sizeBytes: number): Promise<boolean> {
    const rows = await this.query('SELECT 1 AS x FROM source_files WHERE size_bytes = $1 LIMIT 1', [
      sizeBytes,
    ]);
    return rows.length > 0;
  }

  /**
   * Stores a frame and its source files in one transaction. A test whose sha256 is already stored is
   * a duplicate and is not stored again. Nothing is left half-written when any step fails.
   */
  async insertTest(
    frame: Frame,
    sha256: string,
    sources: readonly SourceFileInfo[],
    name: string,
  ): Promise<InsertResult> {
    const existing = await this.findBySha(sha256);
    if (existing) return { status: 'duplicate', ...existing };
    const c = this.connection;
    await c.run('BEGIN TRANSACTION');
    try {
      const testName = await this.uniqueName(name);
      const testId = await this.insertTestRow(
        frame.meta,
        frame.channels,
        sha256,
        testName,
        frame.length,
        countCycles(frame),
      );
      await this.insertSources(testId, sources);
      await this.appendMeasurements(testId, frame);
      await buildSeriesBlocks(
        c,
        testId,
        frame.channels.map((ch) => ch.name),
      );
      await c.run('COMMIT');
      return { status: 'ingested', testId, name: testName };
    } catch (e) {
      await c.run('ROLLBACK');
      if (e instanceof DiscernError) throw e;
      throw new DiscernError(
        'DISCERN_STORE',
        `storing ${name} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private async insertTestRow(
    m: Frame['meta'],
    channels: Frame['channels'],
    sha256: string,
    testName: string,
    rows: number,
    cycles: number | null,
  ): Promise<number> {
    const idRows = await this.query(
      `INSERT INTO tests (name, sha256, vendor, format, kind, instrument, software_version, channel, technique,
         start_unix_s, time_zone, time_zone_assumed, rows, cycles, channels, header, warnings)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) RETURNING test_id`,
      [
        testName,
        sha256,
        m.vendor,
        m.format,
        m.kind,
        m.instrument ?? null,
        m.softwareVersion ?? null,
        m.channel ?? null,
        m.technique ?? null,
        m.startTime?.unixS ?? null,
        m.startTime?.timeZone ?? null,
        m.startTime?.assumed ?? null,
        rows,
        cycles,
        JSON.stringify(channels),
        JSON.stringify(m.header),
        JSON.stringify(m.warnings),
      ],
    );
    return Number(idRows[0]!['test_id']);
  }

  private async insertSources(testId: number, sources: readonly SourceFileInfo[]): Promise<void> {
    let part = 0;
    for (const s of sources) {
      const f = await this.query(
        `INSERT INTO source_files (sha256, name, path, size_bytes) VALUES ($1,$2,$3,$4)
         ON CONFLICT (sha256) DO UPDATE SET name = excluded.name RETURNING file_id`,
        [s.sha256, s.name, s.path, s.sizeBytes],
      );
      await this.connection.run('INSERT INTO test_sources VALUES ($1, $2, $3)', [
        testId,
        Number(f[0]!['file_id']),
        ++part,
      ]);
    }
  }

  private async uniqueName(name: string): Promise<string> {
    const rows = await this.query('SELECT name FROM tests WHERE name = $1 OR name LIKE $2', [
      name,
      `${name}~%`,
    ]);
    if (rows.length === 0) return name;
    const taken = new Set(rows.map((r) => String(r['name'])));
    for (let k = 2; ; k++) if (!taken.has(`${name}~${k}`)) return `${name}~${k}`;
  }

  /** Bulk-loads the time series of a whole frame through the appender. */
  private async appendMeasurements(testId: number, frame: Frame): Promise<void> {
    const writer = await MeasurementWriter.open(this.connection, testId, frame.channels);
    const columns: Record<string, Column> = {};
    for (const ch of frame.channels) columns[ch.name] = frame.columns[ch.name]!;
    writer.append(0, frame.length, columns);
    await writer.close();
  }

  /**
   * Stores a test whose rows arrive in batches (large files), in one transaction: `produce` is
   * called with a function that appends a batch (with level 0 of its series pyramid); when it returns, `finish` gives the final row
   * count, warnings and the sha256 of the bytes read (known only at the end of a single pass). A
   * test whose sha256 is already stored is rolled back and reported as a duplicate.
   */
  async insertStreamingTest(
    base: { frameMeta: Frame['meta']; channels: Frame['channels'] },
    name: string,
    produce: (
      append: (firstRow: number, rows: number, columns: Record<string, Column>, blocks: BlockSummary) => void,
    ) => Promise<void>,
    finish: () => {
      rows: number;
      cycles: number | null;
      warnings: DataWarning[];
      sha256: string;
      sources: readonly SourceFileInfo[];
    },
  ): Promise<InsertResult> {
    const c = this.connection;
    await c.run('BEGIN TRANSACTION');
    try {
      const testName = await this.uniqueName(name);
      const pending = `pending-${Date.now()}-${Math.random()}`;
      const testId = await this.insertTestRow(base.frameMeta, base.channels, pending, testName, 0, null);
      const writer = await MeasurementWriter.open(c, testId, base.channels);
      const blockWriter = await SeriesBlockWriter.open(c, testId);
      // The rows are parsed on another thread meanwhile (app/stream-ingest.ts): DuckDB's own
      // background threads would compete with it for the cores, and appending is faster on one
      // (35.6 s instead of 44.6 s for 10 M rows on 2 cores, bench/ingest.ts). DuckDB's memory is
      // capped meanwhile (DISCERN_INGEST_MEMORY, default 1GB; it spills to its temporary
      // directory beyond) so that the memory an ingest needs does not grow with the file.
      await c.run('SET threads = 1');
      await c.run(`SET memory_limit = '${ingestMemoryLimit()}'`);
      try {
        await produce((firstRow, rows, columns, blocks) => {
          writer.append(firstRow, rows, columns);
          blockWriter.append(blocks);
        });
        await writer.close();
        blockWriter.close();
      } finally {
        // back to DuckDB's defaults (discern sets neither elsewhere): all cores, 80 % of the RAM
        await c.run('RESET threads');
        await c.run('RESET memory_limit');
      }
      const done = finish();
      const existing = await this.findBySha(done.sha256);
      if (existing) {
        await c.run('ROLLBACK');
        return { status: 'duplicate', ...existing };
      }
      await this.insertSources(testId, done.sources);
      // level 0 is in place (appended with the rows); this builds the levels above it
      await buildSeriesBlocks(
        c,
        testId,
        base.channels.map((ch) => ch.name),
      );
      await c.run('UPDATE tests SET rows = $1, cycles = $2, warnings = $3, sha256 = $4 WHERE test_id = $5', [
        done.rows,
        done.cycles,
        JSON.stringify([...base.frameMeta.warnings, ...done.warnings]),
        done.sha256,
        testId,
      ]);
      await c.run('COMMIT');
      return { status: 'ingested', testId, name: testName };
    } catch (e) {
      await c.run('ROLLBACK');
      if (e instanceof DiscernError) throw e;
      throw new DiscernError(
        'DISCERN_STORE',
        `storing ${name} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** All tests, newest last. */
  async listTests(): Promise<TestRecord[]> {
    const rows = await this.query(
      `SELECT t.*, (SELECT list(s.path ORDER BY ts.part) FROM test_sources ts JOIN source_files s USING (file_id)
         WHERE ts.test_id = t.test_id) AS sources
       FROM tests t ORDER BY t.test_id`,
    );
    return rows.map(toRecord);
  }

  /**
   * A test by id (digits) or by name.
   * @throws DISCERN_NOT_FOUND
   */
  async getTest(ref: string | number): Promise<TestRecord> {
    const byId = typeof ref === 'number' || /^\d+$/.test(ref);
    const rows = await this.query(
      `SELECT t.*, (SELECT list(s.path ORDER BY ts.part) FROM test_sources ts JOIN source_files s USING (file_id)
         WHERE ts.test_id = t.test_id) AS sources
       FROM tests t WHERE ${byId ? 't.test_id = $1' : 't.name = $1'}`,
      [byId ? Number(ref) : String(ref)],
    );
    const r = rows[0];
    if (r === undefined) throw new DiscernError('DISCERN_NOT_FOUND', `no test "${ref}" in the store`);
    return toRecord(r);
  }

  /** Deletes a test and its measurements in one transaction (source files stay listed). */
  async deleteTest(testId: number): Promise<void> {
    const c = this.connection;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run('DELETE FROM measurements WHERE test_id = $1', [testId]);
      await c.run('DELETE FROM series_blocks WHERE test_id = $1', [testId]);
      await c.run('DELETE FROM aux_measurements WHERE test_id = $1', [testId]);
      await c.run('DELETE FROM aux_channels WHERE test_id = $1', [testId]);
      await c.run('DELETE FROM test_sources WHERE test_id = $1', [testId]);
      await c.run('DELETE FROM tests WHERE test_id = $1', [testId]);
      await c.run('COMMIT');
    } catch (e) {
      await c.run('ROLLBACK');
      throw new DiscernError('DISCERN_STORE', `deleting test ${testId} failed: ${String(e)}`);
    }
  }
}

function countCycles(frame: Frame): number | null {
  const c = frame.columns['cycle_index'];
  if (!(c instanceof Int32Array)) return null;
  const seen = new Set<number>();
  for (let i = 0; i < c.length; i++) if (c[i]! >= 0) seen.add(c[i]!);
  return seen.size;
}

function parseJson<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string') return (v as T) ?? fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

function toRecord(r: Record<string, unknown>): TestRecord {
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    testId: Number(r['test_id']),
    name: String(r['name']),
    sha256: String(r['sha256']),
    vendor: String(r['vendor']),
    format: String(r['format']),
    kind: String(r['kind']),
    instrument: str(r['instrument']),
    softwareVersion: str(r['software_version']),
    channel: str(r['channel']),
    technique: str(r['technique']),
    startUnixS: r['start_unix_s'] === null ? null : Number(r['start_unix_s']),
    timeZone: str(r['time_zone']),
    timeZoneAssumed: r['time_zone_assumed'] === null ? null : Boolean(r['time_zone_assumed']),
    rows: Number(r['rows']),
    cycles: r['cycles'] === null ? null : Number(r['cycles']),
    channels: parseJson(r['channels'], []),
    header: parseJson(r['header'], {}),
    warnings: parseJson(r['warnings'], []),
    sources: Array.isArray(r['sources']) ? (r['sources'] as unknown[]).map(String) : [],
  };
}

/** DuckDB's memory limit while a large file streams in: DISCERN_INGEST_MEMORY (e.g. `2GB`), else 1GB. */
function ingestMemoryLimit(): string {
  const v = process.env['DISCERN_INGEST_MEMORY']?.trim() ?? '';
  return /^\d+(\.\d+)?\s*(MB|MiB|GB|GiB)$/i.test(v) ? v : '1GB';
}

/**
 * Brings a database file to SCHEMA_VERSION: runs each migration whose check finds the old layout
 * (in one transaction each), then records the version. A file from a newer discern is refused.
 */
async function migrate(connection: DuckDBConnection, path: string): Promise<void> {
  const rows = (
    await connection.runAndReadAll(`SELECT value FROM discern_meta WHERE key = 'schema_version'`)
  ).getRowObjectsJS();
  const stored = rows[0] !== undefined ? Number(rows[0]['value']) : SCHEMA_VERSION;
  if (stored > SCHEMA_VERSION)
    throw new DiscernError(
      'DISCERN_STORE',
      `the database ${path} has schema version ${stored}, newer than this discern's ${SCHEMA_VERSION}: upgrade discern`,
      { file: path },
    );
  for (const m of MIGRATIONS) {
    const need = Number((await connection.runAndReadAll(m.needed)).getRowObjectsJS()[0]?.['n'] ?? 0);
    if (need === 0) continue;
    await connection.run('BEGIN TRANSACTION');
    try {
      for (const sql of m.sql) await connection.run(sql);
      await connection.run('COMMIT');
    } catch (e) {
      await connection.run('ROLLBACK');
      throw new DiscernError(
        'DISCERN_STORE',
        `migrating ${path} to schema version ${m.to} failed: ${String(e)}`,
        {
          file: path,
        },
      );
    }
  }
  await connection.run(
    `INSERT INTO discern_meta VALUES ('schema_version', '${SCHEMA_VERSION}')
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
}
