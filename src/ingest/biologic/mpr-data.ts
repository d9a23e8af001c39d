import { DiscernError, type DataWarning } from '../../core/index.js';
import { MPR_COLUMNS, MPR_FLAG_COLUMNS, MPR_VALUE_SIZE, type MprValueType } from './mpr-columns.js';
import type { MprModule } from './mpr-modules.js';

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
export function decodeMprData(bytes: Uint8Array, m: MprModule, file: string): MprData {
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
  const columns: MprColumn[] = [];
  const flagValues = new Map<number, Float64Array>();
  if (flags.length > 0) {
    for (const f of flags) flagValues.set(f.id, new Float64Array(rows));
    for (let r = 0, p = start + flagAt; r < rows; r++, p += size) {
      const b = bytes[p]!;
      for (const f of flags) flagValues.get(f.id)![r] = (b & f.mask) >> f.shift;
    }
  }
  const valueOf = new Map<number, Float64Array>();
  for (const c of planned) valueOf.set(c.id, readColumn(view, start + c.at, size, rows, c.type));
  for (const id of ids) {
    const f = flags.find((x) => x.id === id);
    if (f !== undefined) columns.push({ id, header: f.header, values: flagValues.get(id)! });
    const c = planned.find((x) => x.id === id);
    if (c !== undefined) columns.push({ id, header: c.header, values: valueOf.get(id)! });
  }
  return { rows, ids, columns, layout: layout.name };
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

/** Reads one column of `rows` values of `type`, the first at `at`, `stride` bytes apart. */
function readColumn(
  view: DataView,
  at: number,
  stride: number,
  rows: number,
  type: MprValueType,
): Float64Array {
  const out = new Float64Array(rows);
  switch (type) {
    case 'f8':
      for (let r = 0, p = at; r < rows; r++, p += stride) out[r] = view.getFloat64(p, true);
      break;
    case 'f4':
      for (let r = 0, p = at; r < rows; r++, p += stride) out[r] = view.getFloat32(p, true);
      break;
    case 'u4':
      for (let r = 0, p = at; r < rows; r++, p += stride) out[r] = view.getUint32(p, true);
      break;
    case 'u2':
      for (let r = 0, p = at; r < rows; r++, p += stride) out[r] = view.getUint16(p, true);
      break;
    case 'u1':
      for (let r = 0, p = at; r < rows; r++, p += stride) out[r] = view.getUint8(p);
      break;
  }
  return out;
}
