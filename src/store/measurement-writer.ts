import duckdb from '@duckdb/node-bindings';
import {
  DOUBLE,
  DuckDBDataChunk,
  DuckDBTypeId,
  INTEGER,
  SMALLINT,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import type { Column, Frame } from '../core/index.js';
import { MEASUREMENT_CHANNELS } from './schema.js';
import type { BlockSummary } from './series-blocks.js';

/** Rows per DuckDB data chunk (DuckDB's standard vector size). */
const CHUNK = 2048;
const MASK_BYTES = CHUNK / 8;

/** How one column of a data chunk is filled. */
type Fill =
  | { kind: 'test_id' }
  | { kind: 'row_index' }
  | { kind: 'value'; channel: string; int: boolean }
  | { kind: 'text'; channel: string }
  | { kind: 'null' };

/**
 * Appends rows of a test straight into `measurements` (canonical channels as columns; NaN, and -1
 * in integer channels, become NULL) and `aux_measurements` (the other channels, long format, with
 * their names and units in `aux_channels`),
 * through DuckDB appenders, 2048 rows per data chunk. Typed arrays are copied into DuckDB vectors
 * in bulk and NULLs are written as validity masks, so the cost per row is a few memory copies.
 * Runs inside the caller's transaction: DuckDB writes full row groups of a large transaction to
 * the database file as they fill (optimistic writes), so memory stays bounded.
 */
export class MeasurementWriter {
  private readonly mask = new Uint8Array(MASK_BYTES);
  private readonly scratchF64 = new Float64Array(CHUNK);
  private readonly scratchI32 = new Int32Array(CHUNK);
  private readonly rowIndex = new Int32Array(CHUNK);
  private readonly testIds: Int32Array;
  /** One data chunk per appender, reset and refilled for every 2048 rows (creating one costs more). */
  private readonly chunk: DuckDBDataChunk;
  private readonly auxChunk: DuckDBDataChunk | undefined;

  private constructor(
    testId: number,
    private readonly measurements: DuckDBAppender,
    mTypes: DuckDBType[],
    private readonly mFill: Fill[],
    private readonly aux: DuckDBAppender | undefined,
    auxTypes: DuckDBType[],
    private readonly auxChannels: readonly { name: string; ids: Int16Array }[],
  ) {
    this.testIds = new Int32Array(CHUNK).fill(testId);
    this.chunk = DuckDBDataChunk.create(mTypes);
    this.auxChunk = aux !== undefined ? DuckDBDataChunk.create(auxTypes) : undefined;
  }

  /** Opens the appenders for one test's rows (`channels` are the test's channels, in any order). */
  static async open(
    connection: DuckDBConnection,
    testId: number,
    channels: Frame['channels'],
  ): Promise<MeasurementWriter> {
    const have = new Set(channels.map((c) => c.name));
    const measurements = await connection.createAppender('measurements');
    const names = await tableColumns(connection, 'measurements');
    const mTypes: DuckDBType[] = [];
    const mFill: Fill[] = names.map((name, k) => {
      const type = measurements.columnType(k);
      mTypes.push(type);
      if (name === 'test_id') return { kind: 'test_id' };
      if (name === 'row_index') return { kind: 'row_index' };
      if (!have.has(name)) return { kind: 'null' };
      if (type.typeId === DuckDBTypeId.VARCHAR) return { kind: 'text', channel: name };
      return { kind: 'value', channel: name, int: type.typeId === DuckDBTypeId.INTEGER };
    });
    const inMeasurements = new Set<string>([...MEASUREMENT_CHANNELS, 'step_type']);
    const aux = channels.filter((c) => !inMeasurements.has(c.name));
    if (aux.length > 32767) throw new TypeError('more than 32767 auxiliary channels in one test');
    if (aux.length === 0) {
      return new MeasurementWriter(testId, measurements, mTypes, mFill, undefined, [], []);
    }
    for (const [k, c] of aux.entries())
      await connection.run('INSERT INTO aux_channels VALUES ($1, $2, $3, $4)', [testId, k, c.name, c.unit]);
    const auxTypes = [INTEGER, INTEGER, SMALLINT, DOUBLE];
    const auxChannels = aux.map((c, k) => ({ name: c.name, ids: new Int16Array(CHUNK).fill(k) }));
    const auxAppender = await connection.createAppender('aux_measurements');
    return new MeasurementWriter(testId, measurements, mTypes, mFill, auxAppender, auxTypes, auxChannels);
  }

  /** Appends rows `firstRow ..< firstRow + n` (row_index) from `columns` (each of length >= n). */
  append(firstRow: number, n: number, columns: Record<string, Column>): void {
    for (let start = 0; start < n; start += CHUNK) {
      const size = Math.min(CHUNK, n - start);
      const rowIndex = this.rowIndex;
      for (let i = 0; i < size; i++) rowIndex[i] = firstRow + start + i;
      const chunk = this.chunk;
      chunk.reset();
      chunk.rowCount = size;
      for (let k = 0; k < this.mFill.length; k++) {
        const fill = this.mFill[k]!;
        const vec = duckdb.data_chunk_get_vector(chunk.chunk, k);
        if (fill.kind === 'test_id') copy(vec, this.testIds, size);
        else if (fill.kind === 'row_index') copy(vec, rowIndex, size);
        else if (fill.kind === 'null') writeMask(vec, this.mask.fill(0), size);
        else if (fill.kind === 'value') this.putValues(vec, columns[fill.channel], start, size, fill.int);
        else {
          const col = columns[fill.channel];
          const v = chunk.getColumnVector(k);
          for (let i = 0; i < size; i++) {
            const code = col !== undefined && !ArrayBuffer.isView(col) ? col.codes[start + i]! : -1;
            v.setItem(i, code >= 0 ? (col as { levels: readonly string[] }).levels[code]! : null);
          }
          v.flush();
        }
      }
      this.measurements.appendDataChunk(chunk);
      if (this.aux === undefined) continue;
      const a = this.auxChunk!;
      for (const ch of this.auxChannels) {
        a.reset();
        a.rowCount = size;
        copy(duckdb.data_chunk_get_vector(a.chunk, 0), this.testIds, size);
        copy(duckdb.data_chunk_get_vector(a.chunk, 1), rowIndex, size);
        copy(duckdb.data_chunk_get_vector(a.chunk, 2), ch.ids, size);
        this.putValues(duckdb.data_chunk_get_vector(a.chunk, 3), columns[ch.name], start, size, false);
        this.aux.appendDataChunk(a);
      }
    }
  }

  /** Flushes the appenders (inside the caller's transaction). */
  close(): Promise<void> {
    this.measurements.flushSync();
    this.measurements.closeSync();
    this.aux?.flushSync();
    this.aux?.closeSync();
    return Promise.resolve();
  }

  /**
   * Copies `size` values of `col` from `start` into a DOUBLE (`int` false) or INTEGER vector:
   * NaN is NULL, and so is -1 in an INTEGER column; a text column or a missing one is all NULL.
   */
  private putValues(
    vec: duckdb.Vector,
    col: Column | undefined,
    start: number,
    size: number,
    int: boolean,
  ): void {
    if (col === undefined || !ArrayBuffer.isView(col)) return writeMask(vec, this.mask.fill(0), size);
    let values: Float64Array | Int32Array = col.subarray(start, start + size);
    if (int && values instanceof Float64Array) {
      const ints = this.scratchI32.subarray(0, size);
      const src = values;
      for (let i = 0; i < size; i++) ints[i] = Number.isNaN(src[i]!) ? -1 : Math.trunc(src[i]!);
      values = ints;
    } else if (!int && values instanceof Int32Array) {
      const doubles = this.scratchF64.subarray(0, size);
      doubles.set(values);
      values = doubles;
    }
    copy(vec, values, size);
    let firstNull = -1;
    if (values instanceof Float64Array) {
      for (let i = 0; i < size; i++)
        if (values[i] !== values[i]) {
          firstNull = i;
          break;
        }
    } else {
      for (let i = 0; i < size; i++)
        if (values[i] === -1) {
          firstNull = i;
          break;
        }
    }
    if (firstNull < 0) return;
    const mask = this.mask.fill(0xff);
    if (values instanceof Float64Array) {
      for (let i = firstNull; i < size; i++) if (values[i] !== values[i]) mask[i >> 3]! &= ~(1 << (i & 7));
    } else {
      for (let i = firstNull; i < size; i++) if (values[i] === -1) mask[i >> 3]! &= ~(1 << (i & 7));
    }
    writeMask(vec, mask, size);
  }
}

/** The column names of a table of the main schema, in table order (the appender's order). */
async function tableColumns(connection: DuckDBConnection, table: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(
    `SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = $1 ORDER BY column_index`,
    [table],
  );
  return reader.getRowObjectsJS().map((r) => String(r['column_name']));
}

function copy(
  vec: duckdb.Vector,
  values: Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array,
  size: number,
): void {
  duckdb.copy_data_to_vector(
    vec,
    0,
    values.buffer as ArrayBuffer,
    values.byteOffset,
    size * values.BYTES_PER_ELEMENT,
  );
}

function writeMask(vec: duckdb.Vector, mask: Uint8Array, size: number): void {
  duckdb.vector_ensure_validity_writable(vec);
  duckdb.copy_data_to_vector_validity(
    vec,
    0,
    mask.buffer as ArrayBuffer,
    mask.byteOffset,
    Math.ceil(size / 64) * 8,
  );
}

/**
 * Appends level 0 of a test's series pyramid (computed while parsing, `series-blocks.ts`) to
 * `series_blocks`: one row per 64-row block; NaN min and max become NULL. Levels above it are
 * then built by `buildSeriesBlocks` from these rows.
 */
export class SeriesBlockWriter {
  private readonly testIds = new Int32Array(CHUNK);
  private readonly levels = new Int8Array(CHUNK);
  private readonly blockIds = new Int32Array(CHUNK);
  private readonly mask = new Uint8Array(MASK_BYTES);

  private constructor(
    testId: number,
    private readonly appender: DuckDBAppender,
    private readonly types: DuckDBType[],
    private readonly names: readonly string[],
  ) {
    this.testIds.fill(testId);
  }

  static async open(connection: DuckDBConnection, testId: number): Promise<SeriesBlockWriter> {
    const appender = await connection.createAppender('series_blocks');
    const names = await tableColumns(connection, 'series_blocks');
    const types = names.map((_, k) => appender.columnType(k));
    return new SeriesBlockWriter(testId, appender, types, names);
  }

  append(s: BlockSummary): void {
    const zeros = new Int32Array(s.blocks);
    for (let start = 0; start < s.blocks; start += CHUNK) {
      const size = Math.min(CHUNK, s.blocks - start);
      for (let i = 0; i < size; i++) this.blockIds[i] = s.firstBlock + start + i;
      const chunk = DuckDBDataChunk.create(this.types, size);
      this.names.forEach((name, k) => {
        const vec = duckdb.data_chunk_get_vector(chunk.chunk, k);
        if (name === 'test_id') return copy(vec, this.testIds, size);
        if (name === 'level') return copy(vec, this.levels, size);
        if (name === 'block') return copy(vec, this.blockIds, size);
        if (name === 'n_row_index') return copy(vec, s.n.subarray(start), size);
        if (name.startsWith('n_')) return copy(vec, (s.counts[name.slice(2)] ?? zeros).subarray(start), size);
        const values = (name.startsWith('min_') ? s.min : s.max)[name.slice(4)];
        if (values === undefined) return writeMask(vec, this.mask.fill(0), size);
        const part = values.subarray(start, start + size);
        copy(vec, part, size);
        const mask = this.mask.fill(0xff);
        let nulls = false;
        for (let i = 0; i < size; i++)
          if (part[i] !== part[i]) {
            mask[i >> 3]! &= ~(1 << (i & 7));
            nulls = true;
          }
        if (nulls) writeMask(vec, mask, size);
      });
      this.appender.appendDataChunk(chunk);
    }
  }

  close(): void {
    this.appender.flushSync();
    this.appender.closeSync();
  }
}
