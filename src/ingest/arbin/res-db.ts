import MDBReader, { type Table, type Value } from 'mdb-reader';
import { Gunzip } from 'fflate';
import { DiscernError } from '../../core/index.js';
import type { SourceFile } from '../types.js';

/**
 * The database layer of the Arbin `.res` reader: bytes (plain or gzipped) to an open MS Access (Jet)
 * database, and tables read column by column into typed arrays. Every failure of the underlying
 * library (mdb-reader) becomes a DiscernError with a stable code and, where the library names a
 * page, the byte offset of that page.
 *
 * mdb-reader needs Node's `Buffer` (it calls `readDoubleLE` and friends). Node has it as a global;
 * a browser build needs the `buffer` package installed as `globalThis.Buffer` (a polyfill).
 */

/** An open `.res` database and what is needed to report positions in it. */
export interface ResDatabase {
  readonly file: string;
  readonly reader: MDBReader;
  /** 2048 (Jet 3) or 4096 (Jet 4 and ACE) bytes. */
  readonly pageSize: number;
  /** User tables of the database. */
  readonly tables: ReadonlySet<string>;
}

/** The Jet / ACE signature at byte 4 of every Access database. */
export function isJetDatabase(head: Uint8Array): boolean {
  return hasAscii(head, 'Standard Jet DB', 4) || hasAscii(head, 'Standard ACE DB', 4);
}

/** The gzip magic bytes. */
export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

function hasAscii(bytes: Uint8Array, text: string, at: number): boolean {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * The database bytes of a `.res` or `.res.gz` file (gunzipped when the file starts with the gzip
 * magic bytes). The output is bounded by what DEFLATE can produce from the input, and the gzip
 * trailer (CRC-32 and size) must match the decompressed bytes.
 * @throws DISCERN_EMPTY_FILE; DISCERN_PARSE_TRUNCATED for a gzip stream that ends early;
 *   DISCERN_CORRUPT for an invalid gzip stream or a CRC / size mismatch.
 */
export function resBytes(file: SourceFile): Uint8Array {
  const bytes = file.bytes;
  if (bytes.length === 0)
    throw new DiscernError('DISCERN_EMPTY_FILE', 'the file is empty', { file: file.name });
  if (!isGzip(bytes)) return bytes;
  const n = bytes.length;
  if (n < 18) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the gzip stream is cut short', {
      file: file.name,
      offset: n,
    });
  }
  // Stream the inflate (rather than trust the stored size for the allocation), stopping at the
  // largest output DEFLATE can give (about 1032:1).
  const limit = 1032 * n + 1024;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const g = new Gunzip((chunk) => {
      total += chunk.length;
      if (total > limit) throw new Error('output larger than DEFLATE allows');
      chunks.push(chunk);
    });
    g.push(bytes, true);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = e instanceof Error ? e.message : String(e);
    // fflate: code 0 = unexpected EOF; every other failure is malformed data.
    throw new DiscernError(
      code === 0 ? 'DISCERN_PARSE_TRUNCATED' : 'DISCERN_CORRUPT',
      `the gzip stream cannot be decompressed (${why})`,
      { file: file.name, offset: code === 0 ? n : 0 },
    );
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  const trailer = new DataView(bytes.buffer, bytes.byteOffset + n - 8, 8);
  const crc = trailer.getUint32(0, true);
  const size = trailer.getUint32(4, true);
  if (out.length % 2 ** 32 !== size || crc32(out) !== crc) {
    throw new DiscernError('DISCERN_CORRUPT', 'the gzip stream does not match its CRC-32 or size', {
      file: file.name,
      offset: n - 8,
    });
  }
  return out;
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as gzip uses it). */
function crc32(bytes: Uint8Array): number {
  if (CRC_TABLE === undefined) {
    CRC_TABLE = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[i] = c >>> 0;
    }
  }
  const t = CRC_TABLE;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

type BufferFrom = (buffer: ArrayBufferLike, byteOffset: number, length: number) => unknown;

/** Node's Buffer as mdb-reader expects it, viewing the same memory (no copy). */
function asBuffer(bytes: Uint8Array, file: string): Buffer {
  const B = (globalThis as { Buffer?: { from: BufferFrom } }).Buffer;
  if (B === undefined) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_FORMAT',
      'reading Arbin .res files needs a global Buffer (install the "buffer" polyfill in the browser)',
      { file },
    );
  }
  return B.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Buffer;
}

/**
 * Opens the Access database in `bytes`.
 * @throws DISCERN_UNKNOWN_FORMAT when the bytes are not an Access database; DISCERN_PARSE_TRUNCATED
 *   when the file ends inside a page or a page it refers to is missing; DISCERN_CORRUPT when the
 *   database structure is damaged.
 */
export function openResDatabase(bytes: Uint8Array, file: string): ResDatabase {
  if (!isJetDatabase(bytes)) {
    throw new DiscernError('DISCERN_UNKNOWN_FORMAT', 'not an MS Access (Jet) database', { file, offset: 4 });
  }
  // Byte 0x14 is the Jet version: 0 = Jet 3 (2 KiB pages), else Jet 4 / ACE (4 KiB pages).
  const pageSize = bytes[0x14] === 0 ? 2048 : 4096;
  if (bytes.length < 3 * pageSize || bytes.length % pageSize !== 0) {
    const whole = Math.floor(bytes.length / pageSize) * pageSize;
    throw new DiscernError(
      'DISCERN_PARSE_TRUNCATED',
      `the database is cut short: ${bytes.length} bytes is not a whole number of ${pageSize}-byte pages (at least 3)`,
      { file, offset: whole },
    );
  }
  const db = { file, pageSize };
  const reader = guard(db, 'the database catalog', () => new MDBReader(asBuffer(bytes, file)));
  const tables = guard(db, 'the database catalog', () => new Set(reader.getTableNames()));
  return { file, reader, pageSize, tables };
}

/**
 * Runs a call into mdb-reader and turns its errors into DiscernErrors. mdb-reader's messages name
 * the page when it knows it ("Page 17 does not exist"); that page's offset is reported.
 */
export function guard<T>(db: { file: string; pageSize: number }, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DiscernError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    const page = /page (\d+)/i.exec(why);
    const offset = page !== null ? Number(page[1]) * db.pageSize : undefined;
    const where = offset !== undefined ? { file: db.file, offset } : { file: db.file };
    if (/does not exist/i.test(why)) {
      throw new DiscernError('DISCERN_PARSE_TRUNCATED', `${what}: a page is missing (${why})`, where);
    }
    throw new DiscernError(
      'DISCERN_CORRUPT',
      `${what} cannot be read: the database is damaged (${why})`,
      where,
    );
  }
}

/** Column names and mdb-reader types of a table, in table order. */
export function tableColumns(db: ResDatabase, table: string): { name: string; type: string }[] {
  return guard(db, `table ${table}`, () =>
    db.reader
      .getTable(table)
      .getColumns()
      .map((c) => ({ name: c.name, type: c.type })),
  );
}

/** All rows of a (small) table as objects, e.g. Global_Table. */
export function readRows(db: ResDatabase, table: string): Record<string, Value>[] {
  return guard(db, `table ${table}`, () => db.reader.getTable(table).getData());
}

const CHUNK_ROWS = 50_000;

/**
 * Reads numeric columns of a table into Float64Arrays (null becomes NaN, booleans 1/0, date-time
 * values OLE days), in the table's storage order, `CHUNK_ROWS` rows at a time.
 * @throws DISCERN_CORRUPT when fewer rows can be read than the table declares, or a value is not
 *   a number; DISCERN_PARSE_TRUNCATED when a data page is missing.
 */
export function readNumericColumns(
  db: ResDatabase,
  table: string,
  columns: readonly string[],
  onProgress?: (fraction: number) => void,
): Float64Array[] {
  const t: Table = guard(db, `table ${table}`, () => db.reader.getTable(table));
  const n = t.rowCount;
  const out = columns.map(() => new Float64Array(n));
  let row = 0;
  while (row < n) {
    const limit = Math.min(CHUNK_ROWS, n - row);
    const rows = guard(db, `table ${table}`, () =>
      t.getData({ columns: [...columns], rowOffset: row, rowLimit: limit }),
    );
    if (rows.length === 0) break;
    for (let k = 0; k < columns.length; k++) {
      const name = columns[k]!;
      const dest = out[k]!;
      for (let i = 0; i < rows.length; i++) dest[row + i] = toNumber(rows[i]![name], db, table, name);
    }
    row += rows.length;
    onProgress?.(row / n);
  }
  if (row !== n) {
    throw new DiscernError(
      'DISCERN_CORRUPT',
      `table ${table} declares ${n} rows but only ${row} can be read`,
      { file: db.file },
    );
  }
  return out;
}

function toNumber(v: Value | undefined, db: ResDatabase, table: string, column: string): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime() / 86_400_000 + 25_569;
  throw new DiscernError('DISCERN_CORRUPT', `${table}.${column} holds a non-numeric value`, {
    file: db.file,
    column,
  });
}
