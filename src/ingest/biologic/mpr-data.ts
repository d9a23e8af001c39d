import { DiscernError, type DataWarning } from '../../core/index.js';
import { MPR_COLUMNS, MPR_FLAG_COLUMNS, MPR_VALUE_SIZE, type MprValueType } from './mpr-columns.js';
import type { MprModule } from './mpr-modules.js';
import { filledFloat64 } from '../column-memory.js';

export { filledFloat64 };

/** One decoded column of the data module, named by its .mpt header, in the file's units. */
export interface MprColumn {
  readonly id: number;
  readonly header: string;
  readonly values: Float64Array;
}

/** The decoded data module. */
export interface MprData {
  readonly rows: number;
  /** Column ids in file order. */
  readonly ids: readonly number[];
  readonly columns: readonly MprColumn[];
  /** Name of the layout that was read, e.g. "classic v3" or "11.50 v0.11". */
  readonly layout: string;
  /**
   * Ids of the columns that hold damaged values (a float that is not finite or of magnitude 1e20
   * or more, or a negative `time/s`, found as they were decoded): the only ones
   * `replaceDamagedValues` needs to scan. Integer and flag columns are always plausible.
   */
  readonly suspect: ReadonlySet<number>;
}

/** Where the column count, the id list and the records are in each known data-module layout. */
interface Layout {
  readonly name: string;
  /** Width of the column count at payload offset 4 (1 or 2 bytes). */
  readonly countSize: 1 | 2;
  /** Payload offset of the first u16 column id. */
  readonly idsAt: number;
  /** Payload offset of the first record. */
  readonly recordsAt: number;
}

function layoutOf(m: MprModule, file: string): Layout {
  if (m.header === 'classic' && m.version === 2) {
    return { name: 'classic v2', countSize: 1, idsAt: 5, recordsAt: 405 };
  }
  if (m.header === 'classic' && m.version === 3) {
    // Version 3 adds one byte (0x01) before the records.
    return { name: 'classic v3', countSize: 1, idsAt: 5, recordsAt: 406 };
  }
  if (m.header === 'v11.50' && m.version === 0 && m.subVersion === 11) {
    // EC-Lab 11.50: u16 column count, u16 ids from offset 6, records after a 1007-byte header.
    return { name: '11.50 v0.11', countSize: 2, idsAt: 6, recordsAt: 1007 };
  }
  const v = m.header === 'v11.50' ? `${m.version}.${m.subVersion} (11.50 header)` : String(m.version);
  throw new DiscernError('DISCERN_UNSUPPORTED_VERSION', `unknown "VMP data" module version ${v}`, {
    file,
    offset: m.versionOffset,
  });
}

export interface DecodeMprOptions {
  /**
   * false: decode with the generic column loops instead of a record decoder generated for the
   * file's column layout (the two give identical output; a test compares them). Default true; the
   * generic loops are also used where code generation is not allowed.
   */
  readonly generated?: boolean;
}

interface Planned {
  readonly id: number;
  readonly header: string;
  readonly type: MprValueType;
  /** Byte offset inside the record. */
  readonly at: number;
}

interface PlannedFlag {
  readonly id: number;
  readonly header: string;
  readonly mask: number;
  readonly shift: number;
}

/**
 * Decodes the "VMP data" module: the column id list fixes each record's layout (types and
 * widths, little-endian), and the record count times the record size must fill the module
 * exactly. Integer and flag columns are returned as floats; the caller converts counters.
 * @throws DISCERN_UNSUPPORTED_VERSION (unknown module version), DISCERN_UNKNOWN_COLUMN (a column id
 *   not in the table, or a layout of ids we cannot place safely; names the id and its offset),
 *   DISCERN_CORRUPT (the records do not fill the module as declared).
 * @example decodeMprData(bytes, modules.find((m) => m.name === 'VMP data')!, 'cv.mpr').rows // 5103
 */
export function decodeMprData(
  bytes: Uint8Array,
  m: MprModule,
  file: string,
  options: DecodeMprOptions = {},
): MprData {
  const layout = layoutOf(m, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = m.offset;
  if (m.length < layout.recordsAt) {
    throw new DiscernError(
      'DISCERN_CORRUPT',
      `"VMP data" module is ${m.length} bytes, shorter than its ${layout.recordsAt}-byte header`,
      { file, offset: m.start },
    );
  }
  const rows = view.getUint32(base, true);
  const count = layout.countSize === 1 ? view.getUint8(base + 4) : view.getUint16(base + 4, true);
  if (layout.idsAt + 2 * count > layout.recordsAt) {
    throw new DiscernError('DISCERN_CORRUPT', `"VMP data" module declares ${count} columns`, {
      file,
      offset: base + 4,
    });
  }
  const ids: number[] = [];
  const planned: Planned[] = [];
  const flags: PlannedFlag[] = [];
  let flagAt = -1;
  let size = 0;
  let previousWasFlag = false;
  for (let k = 0; k < count; k++) {
    const idOffset = base + layout.idsAt + 2 * k;
    const id = view.getUint16(idOffset, true);
    const where = { file, offset: idOffset, column: String(id) };
    if (ids.includes(id)) {
      throw new DiscernError('DISCERN_UNKNOWN_COLUMN', `column id ${id} appears twice`, where);
    }
    ids.push(id);
    const flag = MPR_FLAG_COLUMNS.get(id);
    if (flag !== undefined) {
      if (flagAt >= 0 && !previousWasFlag) {
        throw new DiscernError(
          'DISCERN_UNKNOWN_COLUMN',
          `flag column id ${id} is separated from the other flag ids (layout unknown)`,
          where,
        );
      }
      if (flagAt < 0) {
        flagAt = size;
        size += 1;
      }
      flags.push({ id, header: flag.name, mask: flag.mask, shift: Math.log2(flag.mask & -flag.mask) });
      previousWasFlag = true;
      continue;
    }
    previousWasFlag = false;
    const spec = MPR_COLUMNS.get(id);
    if (spec === undefined) {
      throw new DiscernError(
        'DISCERN_UNKNOWN_COLUMN',
        `unknown .mpr column id ${id} (column ${k + 1} of ${count})`,
        where,
      );
    }
    planned.push({ id, header: spec.name, type: spec.type, at: size });
    size += MPR_VALUE_SIZE[spec.type];
  }
  const expected = layout.recordsAt + rows * size;
  if (size === 0 ? m.length !== layout.recordsAt : expected !== m.length) {
    throw new DiscernError(
      'DISCERN_CORRUPT',
      `"VMP data" module holds ${m.length - layout.recordsAt} bytes of records, but ${rows} records ` +
        `of ${size} bytes need ${rows * size}`,
      { file, offset: base },
    );
  }
  const start = base + layout.recordsAt;
  // Every value of every column is written below.
  const valueOf = new Map<number, { header: string; values: Float64Array }>();
  for (const f of flags) valueOf.set(f.id, { header: f.header, values: filledFloat64(rows) });
  for (const c of planned) valueOf.set(c.id, { header: c.header, values: filledFloat64(rows) });
  const flagOut = flags.map((f) => valueOf.get(f.id)!.values);
  const plannedOut = planned.map((c) => valueOf.get(c.id)!.values);
  const isTime = planned.map((c) => c.header === 'time/s');
  // Whether each planned column read a value replaceDamagedValues would replace (checked as read).
  const damaged = new Uint8Array(planned.length);
  const decoder =
    options.generated === false ? undefined : generatedDecoder(flagAt, size, flags, planned, isTime);
  if (decoder !== undefined) decoder(view, bytes, start, rows, flagOut, plannedOut, damaged);
  else
    genericDecode(
      bytes,
      view,
      start,
      size,
      rows,
      flagAt,
      flags,
      flagOut,
      planned,
      plannedOut,
      isTime,
      damaged,
    );
  const suspect = new Set(planned.filter((_, k) => damaged[k] === 1).map((c) => c.id));
  const columns: MprColumn[] = ids.map((id) => ({ id, ...valueOf.get(id)! }));
  return { rows, ids, columns, layout: layout.name, suspect };
}

/** Magnitude no EC-Lab quantity reaches; a float beyond it is a damaged exponent. */
const ABSURD = 1e20;

/**
 * EC-Lab never stores NaN, infinities, magnitudes of 1e20 and more, or a negative `time/s`:
 * such values mean damaged bytes. They are replaced by NaN in place (the columns are the
 * decoder's own arrays) and reported as DISCERN_CORRUPT_PART warnings, one per column.
 * @example warnings.push(...replaceDamagedValues(data.columns));
 */
export function replaceDamagedValues(columns: readonly MprColumn[]): DataWarning[] {
  const warnings: DataWarning[] = [];
  for (const c of columns) {
    const v = c.values;
    const isTime = c.header === 'time/s';
    let count = 0;
    let first = -1;
    for (let r = 0; r < v.length; r++) {
      const x = v[r]!;
      if (Number.isFinite(x) && Math.abs(x) < ABSURD && !(isTime && x < 0)) continue;
      if (count === 0) first = r;
      count++;
      v[r] = NaN;
    }
    if (count > 0) {
      warnings.push({
        code: 'DISCERN_CORRUPT_PART',
        message: `${c.header} (column id ${c.id}): ${count} impossible value(s) (NaN, infinite, |x| >= 1e20${
          isTime ? ' or negative' : ''
        }) replaced by NaN, first at row ${first}`,
        row: first,
        count,
      });
    }
  }
  return warnings;
}

/** The generic decoder: column by column, in blocks of records that stay in the CPU cache. */
function genericDecode(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  size: number,
  rows: number,
  flagAt: number,
  flags: readonly PlannedFlag[],
  flagOut: readonly Float64Array[],
  planned: readonly Planned[],
  plannedOut: readonly Float64Array[],
  isTime: readonly boolean[],
  damaged: Uint8Array,
): void {
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const r1 = Math.min(rows, r0 + BLOCK_ROWS);
    for (let k = 0; k < flags.length; k++) {
      const f = flags[k]!;
      readFlag(bytes, start + flagAt, size, r0, r1, flagOut[k]!, f.mask, f.shift);
    }
    for (let k = 0; k < planned.length; k++) {
      const c = planned[k]!;
      const at = start + c.at;
      const out = plannedOut[k]!;
      if (c.type === 'f4') {
        if (!readFloat32(view, at, size, r0, r1, out, isTime[k]!)) damaged[k] = 1;
      } else if (c.type === 'f8') {
        if (!readFloat64(view, at, size, r0, r1, out, isTime[k]!)) damaged[k] = 1;
      } else readInteger(bytes, view, at, size, r0, r1, out, c.type);
    }
  }
}

/**
 * Decodes `rows` records from `start` into the flag and planned output columns, setting
 * `damaged[k] = 1` for a planned column that read an implausible value.
 */
type RecordDecoder = (
  view: DataView,
  bytes: Uint8Array,
  start: number,
  rows: number,
  flagOut: readonly Float64Array[],
  plannedOut: readonly Float64Array[],
  damaged: Uint8Array,
) => void;

/** Generated decoders by layout key (a file's column layout; few distinct ones exist). */
const decoders = new Map<string, RecordDecoder>();
const MAX_DECODERS = 64;
/** Becomes false once `new Function` has been refused (it will be refused again). */
let codeGeneration = true;

/**
 * A record decoder for one column layout: a single loop over the records whose body reads every
 * field at its constant offset, so the JIT compiles straight-line code for the layout (about 2.5x
 * faster than the generic column loops, which must look up each column's offset and type).
 * The generated source holds only numbers computed here (offsets, masks, column positions), never
 * text from the file. Returns undefined where code generation is not allowed (e.g. Node's
 * --disallow-code-generation-from-strings or a browser's content security policy).
 */
function generatedDecoder(
  flagAt: number,
  size: number,
  flags: readonly PlannedFlag[],
  planned: readonly Planned[],
  isTime: readonly boolean[],
): RecordDecoder | undefined {
  const key = [
    size,
    flagAt,
    ...flags.map((f) => `m${f.mask}`),
    ...planned.map((c, k) => `${c.type}@${c.at}${isTime[k] ? 't' : ''}`),
  ].join(',');
  const cached = decoders.get(key);
  if (cached !== undefined || !codeGeneration) return cached;
  const int = (n: number): string => {
    if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
    return String(n);
  };
  const lines: string[] = [];
  flags.forEach((_, k) => lines.push(`const f${k} = flagOut[${k}];`));
  planned.forEach((_, k) => lines.push(`const o${k} = plannedOut[${k}];`));
  planned.forEach((c, k) => {
    if (c.type === 'f4' || c.type === 'f8') lines.push(`let ok${k} = true;`);
  });
  lines.push(`for (let r = 0, p = start; r < rows; r++, p += ${int(size)}) {`);
  if (flags.length > 0) {
    lines.push(`  const flag = bytes[p + ${int(flagAt)}];`);
    flags.forEach((f, k) => lines.push(`  f${k}[r] = (flag & ${int(f.mask)}) >> ${int(f.shift)};`));
  }
  planned.forEach((c, k) => {
    const at = int(c.at);
    if (c.type === 'f4' || c.type === 'f8') {
      const get = c.type === 'f4' ? 'getFloat32' : 'getFloat64';
      // NaN fails every comparison; time/s must not be negative, other floats not below -1e20.
      const low = isTime[k] ? 'x >= 0' : `x > ${-ABSURD}`;
      lines.push(
        `  { const x = view.${get}(p + ${at}, true); o${k}[r] = x; if (!(${low} && x < ${ABSURD})) ok${k} = false; }`,
      );
    } else if (c.type === 'u4') lines.push(`  o${k}[r] = view.getUint32(p + ${at}, true);`);
    else if (c.type === 'u2') lines.push(`  o${k}[r] = view.getUint16(p + ${at}, true);`);
    else lines.push(`  o${k}[r] = bytes[p + ${at}];`);
  });
  lines.push('}');
  planned.forEach((c, k) => {
    if (c.type === 'f4' || c.type === 'f8') lines.push(`if (!ok${k}) damaged[${k}] = 1;`);
  });
  let decoder: RecordDecoder;
  try {
    decoder = new Function(
      'view',
      'bytes',
      'start',
      'rows',
      'flagOut',
      'plannedOut',
      'damaged',
      lines.join('\n'),
    ) as RecordDecoder;
  } catch {
    codeGeneration = false;
    return undefined;
  }
  if (decoders.size >= MAX_DECODERS) decoders.clear();
  decoders.set(key, decoder);
  return decoder;
}

/** Records decoded per block (some 20 kB of records: they stay in the cache across columns). */
const BLOCK_ROWS = 128;

/** One flag of the shared flag byte, `(byte & mask) >> shift`, for records r0 to r1 - 1. */
function readFlag(
  bytes: Uint8Array,
  at: number,
  stride: number,
  r0: number,
  r1: number,
  out: Float64Array,
  mask: number,
  shift: number,
): void {
  for (let r = r0, p = at + r0 * stride; r < r1; r++, p += stride) out[r] = (bytes[p]! & mask) >> shift;
}

/**
 * Records r0 to r1 - 1 of one f4 column, the first record's value at `at`, `stride` bytes apart. Returns
 * false when a value is not finite or of magnitude 1e20 or more, or (`time`) negative: a value
 * `replaceDamagedValues` replaces.
 */
function readFloat32(
  view: DataView,
  at: number,
  stride: number,
  r0: number,
  r1: number,
  out: Float64Array,
  time: boolean,
): boolean {
  let plausible = true;
  const low = time ? 0 : -ABSURD;
  for (let r = r0, p = at + r0 * stride; r < r1; r++, p += stride) {
    const x = view.getFloat32(p, true);
    out[r] = x;
    if (!(x >= low && x < ABSURD && x > -ABSURD)) plausible = false;
  }
  return plausible;
}

/** As `readFloat32`, for an f8 column. */
function readFloat64(
  view: DataView,
  at: number,
  stride: number,
  r0: number,
  r1: number,
  out: Float64Array,
  time: boolean,
): boolean {
  let plausible = true;
  const low = time ? 0 : -ABSURD;
  for (let r = r0, p = at + r0 * stride; r < r1; r++, p += stride) {
    const x = view.getFloat64(p, true);
    out[r] = x;
    if (!(x >= low && x < ABSURD && x > -ABSURD)) plausible = false;
  }
  return plausible;
}

/** As `readFloat32`, for an unsigned integer column (u1, u2 or u4; always plausible). */
function readInteger(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  stride: number,
  r0: number,
  r1: number,
  out: Float64Array,
  type: MprValueType,
): void {
  const p0 = at + r0 * stride;
  if (type === 'u4') {
    for (let r = r0, p = p0; r < r1; r++, p += stride) out[r] = view.getUint32(p, true);
  } else if (type === 'u2') {
    for (let r = r0, p = p0; r < r1; r++, p += stride) out[r] = view.getUint16(p, true);
  } else {
    for (let r = r0, p = p0; r < r1; r++, p += stride) out[r] = bytes[p]!;
  }
}
