import {
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { DiscernError, categoryColumn, type Column, type DataWarning, type Frame } from '../core/index.js';
import { MEASUREMENT_CHANNELS, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

const CHUNK = 2048;

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
  ) {}

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
    await connection.run(SCHEMA_SQL);
    await connection.run(
      `INSERT INTO discern_meta VALUES ('schema_version', '${SCHEMA_VERSION}') ON CONFLICT (key) DO NOTHING`,
    );
    return store;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
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
      const cycles = countCycles(frame);
      const m = frame.meta;
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
          frame.length,
          cycles,
          JSON.stringify(frame.channels),
          JSON.stringify(m.header),
          JSON.stringify(m.warnings),
        ],
      );
      const testId = Number(idRows[0]!['test_id']);
      let part = 0;
      for (const s of sources) {
        const f = await this.query(
          `INSERT INTO source_files (sha256, name, path, size_bytes) VALUES ($1,$2,$3,$4)
           ON CONFLICT (sha256) DO UPDATE SET name = excluded.name RETURNING file_id`,
          [s.sha256, s.name, s.path, s.sizeBytes],
        );
        await c.run('INSERT INTO test_sources VALUES ($1, $2, $3)', [
          testId,
          Number(f[0]!['file_id']),
          ++part,
        ]);
      }
      await this.appendMeasurements(testId, frame);
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

  private async uniqueName(name: string): Promise<string> {
    const rows = await this.query('SELECT name FROM tests WHERE name = $1 OR name LIKE $2', [
      name,
      `${name}~%`,
    ]);
    if (rows.length === 0) return name;
    const taken = new Set(rows.map((r) => String(r['name'])));
    for (let k = 2; ; k++) if (!taken.has(`${name}~${k}`)) return `${name}~${k}`;
  }

  /** Bulk-loads the time series through the appender, 2048 rows per data chunk. */
  private async appendMeasurements(testId: number, frame: Frame): Promise<void> {
    const n = frame.length;
    const types: DuckDBType[] = [INTEGER, INTEGER];
    const cols: (Column | undefined)[] = [undefined, undefined];
    for (const ch of MEASUREMENT_CHANNELS) {
      types.push(ch === 'cycle_index' || ch === 'step_index' || ch === 'step_count' ? INTEGER : DOUBLE);
      cols.push(frame.columns[ch]);
    }
    types.push(VARCHAR);
    const stepType = categoryColumn(frame, 'step_type');
    const appender = await this.connection.createAppender('measurements');
    for (let start = 0; start < n; start += CHUNK) {
      const size = Math.min(CHUNK, n - start);
      const chunk = DuckDBDataChunk.create(types, size);
      const idVec = chunk.getColumnVector(0);
      const rowVec = chunk.getColumnVector(1);
      for (let i = 0; i < size; i++) {
        idVec.setItem(i, testId);
        rowVec.setItem(i, start + i);
      }
      idVec.flush();
      rowVec.flush();
      for (let k = 2; k < cols.length; k++) {
        const vec = chunk.getColumnVector(k);
        const col = cols[k];
        if (col === undefined) {
          for (let i = 0; i < size; i++) vec.setItem(i, null);
        } else if (col instanceof Float64Array) {
          for (let i = 0; i < size; i++) {
            const v = col[start + i]!;
            vec.setItem(i, Number.isNaN(v) ? null : v);
          }
        } else if (col instanceof Int32Array) {
          for (let i = 0; i < size; i++) {
            const v = col[start + i]!;
            vec.setItem(i, v < 0 ? null : v);
          }
        }
        vec.flush();
      }
      const stVec = chunk.getColumnVector(cols.length);
      for (let i = 0; i < size; i++) {
        const code = stepType ? stepType.codes[start + i]! : -1;
        stVec.setItem(i, code >= 0 ? stepType!.levels[code]! : null);
      }
      stVec.flush();
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();

    const aux = frame.channels.filter(
      (ch) => !(MEASUREMENT_CHANNELS as readonly string[]).includes(ch.name) && ch.name !== 'step_type',
    );
    if (aux.length === 0) return;
    const auxAppender = await this.connection.createAppender('aux_measurements');
    const auxTypes = [INTEGER, INTEGER, VARCHAR, VARCHAR, DOUBLE];
    for (const ch of aux) {
      const col = frame.columns[ch.name];
      if (!(col instanceof Float64Array) && !(col instanceof Int32Array)) continue;
      for (let start = 0; start < n; start += CHUNK) {
        const size = Math.min(CHUNK, n - start);
        const chunk = DuckDBDataChunk.create(auxTypes, size);
        const v = [0, 1, 2, 3, 4].map((k) => chunk.getColumnVector(k));
        for (let i = 0; i < size; i++) {
          v[0]!.setItem(i, testId);
          v[1]!.setItem(i, start + i);
          v[2]!.setItem(i, ch.name);
          v[3]!.setItem(i, ch.unit);
          const x = col[start + i]!;
          v[4]!.setItem(i, Number.isNaN(x) ? null : x);
        }
        for (const vec of v) vec.flush();
        auxAppender.appendDataChunk(chunk);
      }
    }
    auxAppender.flushSync();
    auxAppender.closeSync();
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
      await c.run('DELETE FROM aux_measurements WHERE test_id = $1', [testId]);
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
