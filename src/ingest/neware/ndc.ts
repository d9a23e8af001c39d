import { DiscernError, type DataWarning } from '../../core/index.js';

/**
 * The paged container of the `.ndc` files inside a `.ndax` archive. Byte 0 of a file is its type
 * (1 = data, 5 = auxiliary channel, 7 = step, 18 = runInfo), byte 2 its version.
 *
 * Versions 14, 16, 17: a 4096-byte file header, then 4096-byte pages. A page starts with
 * u16 page kind, u16 number of valid rows, a bitmask of the valid rows (bit k of byte 4 + k/8),
 * and holds fixed-size rows from byte 132 (as many as fit before the last byte). A row's slot
 * number (1-based, counted over all pages) is the record index it belongs to.
 * Version 2: a 512-byte header, then 512-byte pages of five 94-byte rows from byte 5; empty rows
 * have record index 0.
 */
export interface NdcFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly fileType: number;
  readonly version: number;
}

/** `.ndc` file types (byte 0). */
export const NDC_DATA = 1;
export const NDC_AUX = 5;
export const NDC_STEP = 7;
export const NDC_RUNINFO = 18;

/** Reads the type and version of an `.ndc` file. @throws DISCERN_PARSE_TRUNCATED */
export function openNdc(name: string, bytes: Uint8Array): NdcFile {
  if (bytes.length < 4) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the .ndc file has no header', {
      file: name,
      offset: bytes.length,
    });
  }
  return {
    name,
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    fileType: bytes[0]!,
    version: bytes[2]!,
  };
}

/** Page geometry of a version: page size, first row byte, whether a bitmask marks valid rows. */
function geometry(version: number): { page: number; first: number; bitmask: boolean } {
  return version === 2 ? { page: 512, first: 5, bitmask: false } : { page: 4096, first: 132, bitmask: true };
}

/**
 * The number of rows to allocate for a file: the valid-row counts of its page headers (exact for
 * undamaged files), or every slot for version 2 (no counts) and when the counts do not add up.
 */
export function ndcCapacity(f: NdcFile, rowBytes: number): number {
  const g = geometry(f.version);
  const pages = Math.max(0, Math.floor((f.bytes.length - g.page) / g.page));
  const perPage = Math.floor((g.page - g.first - 1) / rowBytes);
  if (!g.bitmask) return pages * perPage;
  let rows = 0;
  for (let k = 1; k <= pages; k++) rows += Math.min(f.view.getUint16(k * g.page + 2, true), perPage);
  return rows;
}

/** The valid rows of an `.ndc` file: where each starts and its slot, in file order. */
export interface NdcRows {
  /** Number of valid rows (the arrays may be longer; read the first `length` entries). */
  readonly length: number;
  /** Byte offset of each row in the file. */
  readonly offset: Uint32Array;
  /** 1-based row number over all pages (the record index for data and auxiliary files). */
  readonly slot: Float64Array;
}

/**
 * Finds every valid row of `rowBytes` bytes, in file order, with its slot (the 1-based row number
 * over all pages). A page whose header contradicts its bitmask is skipped with a
 * DISCERN_CORRUPT_PART warning (its rows keep their slots, so later rows stay aligned). For
 * version 2 a row is valid when its record index (u32 at row byte 8) is not 0. The table readers
 * then decode the rows in one tight loop over `offset`.
 * @throws DISCERN_PARSE_TRUNCATED when the file ends inside a page.
 */
export function ndcRows(f: NdcFile, rowBytes: number, warnings: DataWarning[]): NdcRows {
  const g = geometry(f.version);
  const { bytes, view } = f;
  if (bytes.length % g.page !== 0) {
    throw new DiscernError(
      'DISCERN_PARSE_TRUNCATED',
      `the file is not a whole number of ${g.page}-byte pages`,
      { file: f.name, offset: bytes.length - (bytes.length % g.page) },
    );
  }
  const cap = ndcCapacity(f, rowBytes);
  const offset = new Uint32Array(cap);
  const slots = new Float64Array(cap);
  const perPage = Math.floor((g.page - g.first - 1) / rowBytes);
  const maskBytes = Math.ceil(perPage / 8);
  const pageBytes = g.page;
  const first = g.first;
  let kind = -1;
  let damaged = 0;
  let slot = 0;
  let n = 0;
  for (let page = pageBytes; page < bytes.length; page += pageBytes) {
    if (!g.bitmask) {
      for (let k = 0; k < perPage; k++) {
        slot++;
        const at = page + first + k * rowBytes;
        if (view.getUint32(at + 8, true) !== 0) {
          offset[n] = at;
          slots[n++] = slot;
        }
      }
      continue;
    }
    const pageKind = view.getUint16(page, true);
    const count = view.getUint16(page + 2, true);
    let set = 0;
    for (let b = 0; b < maskBytes; b++) set += popcount(bytes[page + 4 + b]!);
    if (kind === -1) kind = pageKind;
    if (pageKind !== kind || count !== set || count > perPage) {
      damaged++;
      slot += perPage;
      continue;
    }
    if (count === perPage && allRowsSet(bytes, page + 4, perPage)) {
      // A full page (the usual case): every row is valid.
      for (let k = 0, at = page + first; k < perPage; k++, at += rowBytes) {
        offset[n] = at;
        slots[n++] = ++slot;
      }
      continue;
    }
    for (let k = 0; k < perPage; k++) {
      slot++;
      if ((bytes[page + 4 + (k >> 3)]! & (1 << (k & 7))) !== 0) {
        offset[n] = page + first + k * rowBytes;
        slots[n++] = slot;
      }
    }
  }
  if (damaged > 0) {
    warnings.push({
      code: 'DISCERN_CORRUPT_PART',
      message: `${f.name}: ${damaged} page(s) have a header that contradicts their row bitmask; their rows were not read`,
      count: damaged,
    });
  }
  return { length: n, offset, slot: slots };
}

/** True when the first `rows` bits of the bitmask at `at` are all set. */
function allRowsSet(bytes: Uint8Array, at: number, rows: number): boolean {
  const whole = rows >> 3;
  for (let b = 0; b < whole; b++) if (bytes[at + b] !== 0xff) return false;
  const rest = rows & 7;
  if (rest === 0) return true;
  const mask = (1 << rest) - 1;
  return (bytes[at + whole]! & mask) === mask;
}

function popcount(b: number): number {
  b = b - ((b >> 1) & 0x55);
  b = (b & 0x33) + ((b >> 2) & 0x33);
  return (b + (b >> 4)) & 0x0f;
}

/**
 * Row sizes by (version, file type) for the layouts discern reads; each is checked against a
 * fixture (see docs/formats/neware.md).
 */
const ROW_BYTES: Readonly<Record<number, Readonly<Record<number, number>>>> = {
  2: { [NDC_DATA]: 94, [NDC_AUX]: 94 },
  14: { [NDC_DATA]: 8, [NDC_AUX]: 4, [NDC_STEP]: 37, [NDC_RUNINFO]: 55 },
  16: { [NDC_DATA]: 8, [NDC_AUX]: 7, [NDC_STEP]: 100, [NDC_RUNINFO]: 100 },
  17: { [NDC_DATA]: 8, [NDC_AUX]: 4, [NDC_STEP]: 100, [NDC_RUNINFO]: 100 },
};

/** ndc versions discern reads. */
export const NDC_VERSIONS: readonly number[] = [2, 14, 16, 17];

/**
 * The row size of an `.ndc` file.
 * @throws DISCERN_UNSUPPORTED_VERSION (with byte offset 2, or 0 for the type) when discern does not
 *   know the version or the file type in that version.
 */
export function ndcRowBytes(f: NdcFile): number {
  const byType = ROW_BYTES[f.version];
  if (byType === undefined) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      `ndc version ${f.version} is not supported (discern reads ${NDC_VERSIONS.join(', ')})`,
      { file: f.name, offset: 2 },
    );
  }
  const rowBytes = byType[f.fileType];
  if (rowBytes === undefined) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      `ndc file type ${f.fileType} is not known in ndc version ${f.version}`,
      { file: f.name, offset: 0 },
    );
  }
  return rowBytes;
}
