import { DiscernError, type DataWarning } from '../../core/index.js';
import { CHARGE_FIRST_FLAGS } from './cycles.js';
import {
  allocColumns,
  columnStore,
  finishColumns,
  floatColumn,
  flushColumns,
  intColumn,
  u64,
  type ColumnStore,
  type NewareAux,
  type NewareRecords,
} from './records.js';
import { addStatusLevel } from './status.js';

/**
 * `.nda` version 130, written by BTS 9.0 and 9.1. The header holds {begin, length} pairs of u64 at
 * 18 + 16k; the pair at 82/90 is the data block (it starts at 1024). The first byte of the block
 * tells the two layouts apart:
 *
 * BTS 9.0 (0x12; 88-byte records, data records share their first 8 bytes, byte 4 = 0x55):
 *   9 u8 step index | 10 u8 status | 16 u32 record index | 28 u64 step time µs | 36 f32 voltage V |
 *   40 f32 current mA | 60 f32 capacity mAs (negative on discharge) | 64 f32 energy mWs |
 *   68 u64 Unix time µs (UTC). No cycle number.
 * BTS 9.1 (0x55; records start with the same 2 bytes; 56 bytes with one auxiliary temperature):
 *   2 u8 step index | 3 u8 status | 8 u32 record index | 12 u32 + 16 u32 test time s + ns |
 *   20 f32 current mA | 24 f32 voltage V | 28 f32 capacity mAs (signed) | 32 f32 energy mWs |
 *   36 u32 cycle (0-based) | 44 u32 + 48 u32 Unix time s + ns (UTC) | 52 f32 temperature degC.
 */

const DATA_POINTER = 82;
/** 2^32: the weight of the high half of a 64-bit integer. */
const TWO32 = 4294967296;

/** The records of a BTS 9 file, which sub-layout they came in, and what was noticed. */
export interface Bts9Decoded {
  readonly records: Omit<NewareRecords, 'aux'> & { aux: NewareAux[] };
  readonly layout: 'BTS 9.0' | 'BTS 9.1';
  readonly warnings: DataWarning[];
}

/**
 * Decodes the data block of a version-130 `.nda` file.
 * @throws DISCERN_PARSE_TRUNCATED when the header or the data block is cut short;
 *   DISCERN_CORRUPT when the data pointer is impossible; DISCERN_UNSUPPORTED_VERSION for a
 *   sub-layout or record length discern does not know.
 */
export function decodeNdaBts9(bytes: Uint8Array, file: string): Bts9Decoded {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 1024 + 8) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the BTS 9 header is cut short', {
      file,
      offset: bytes.length,
    });
  }
  const begin = u64(v, DATA_POINTER);
  const length = u64(v, DATA_POINTER + 8);
  if (begin !== 1024) {
    throw new DiscernError('DISCERN_CORRUPT', `the data block pointer is ${begin}, expected 1024`, {
      file,
      offset: DATA_POINTER,
    });
  }
  const warnings: DataWarning[] = [];
  let end = begin + length;
  if (end > bytes.length) {
    warnings.push({
      code: 'DISCERN_CORRUPT_PART',
      message: `the file ends ${end - bytes.length} bytes before the end of its data block; the records present were read`,
    });
    end = bytes.length;
  }
  const sub = bytes[begin]!;
  if (sub === 0x12 || sub === 0x55) {
    const d = sub === 0x12 ? decode90(bytes, v, file, begin, end) : decode91(bytes, v, file, begin, end);
    return { ...d, warnings: [...warnings, ...d.warnings] };
  }
  throw new DiscernError(
    'DISCERN_UNSUPPORTED_VERSION',
    `unknown BTS 9 data layout 0x${sub.toString(16)} (known: 0x12 = BTS 9.0, 0x55 = BTS 9.1)`,
    { file, offset: begin },
  );
}

/** What the BTS 9.0 record loop writes besides its columns. */
interface Loop90 {
  readonly store: ColumnStore;
  /** Step type levels and unknown status codes, as `deriveSteps` lists them. */
  readonly levels: string[];
  readonly unknown: number[];
  /** Cleared when a record index does not exceed the one before. */
  sorted: boolean;
}

/**
 * BTS 9.0 records: one loop (`records90`) checks each record, decodes the data records into a
 * column store (records.ts) sized for the largest possible number of them, and derives what
 * `newareFrame` would derive in a second pass (step count, test time, the charge-first cycle
 * count, step type codes), the way `deriveSteps` does for a layout with a step time and neither
 * cycle nor step counter (a new step when the step index or the status changes); they are
 * returned only when the records are in order of their record index.
 */
function decode90(bytes: Uint8Array, v: DataView, file: string, begin: number, end: number): Bts9Decoded {
  const prefix0 = v.getUint32(begin, true);
  const prefix1 = v.getUint32(begin + 4, true);
  const cap = Math.max(0, Math.floor((end - begin) / R90));
  // Float64 columns: record index, step time, voltage, current, charge and discharge capacity,
  // charge and discharge energy, time, test time. Int32 columns: step index, step count,
  // charge-first cycle, step type code. (The status is not a Frame column: the loop uses it and
  // `status90` reads it again when it is asked for.)
  const store = columnStore(cap, 10, 4);
  const loop: Loop90 = { store, levels: [], unknown: [], sorted: true };
  // Every field but two bytes is a 4-byte word at a multiple of 4 (R90 = 88): read as words.
  const { u32, f32 } = words(bytes, begin, end);
  const n = records90(bytes, u32, f32, begin, end, prefix0, prefix1, file, loop);
  finishColumns(store, n);
  const other = cap - n;
  const f64 = (c: number): Float64Array => floatColumn(store, c, n);
  const i32 = (c: number): Int32Array => intColumn(store, c, n);
  const stepTimeS = f64(1);
  let status: Int32Array | undefined;
  const notes: DataWarning[] = [];
  if (other > 0) {
    notes.push({
      code: 'DISCERN_NOTE',
      message: `${other} BTS 9.0 auxiliary record(s) of a layout discern does not know were not read`,
      count: other,
    });
  }
  return {
    layout: 'BTS 9.0',
    records: {
      length: n,
      recordIndex: f64(0),
      cycle: undefined,
      stepIndex: i32(0),
      // Read on first use: only records out of order (no `derived`) or a test need it.
      get status(): Int32Array {
        status ??= status90(bytes, begin, end, prefix0, prefix1, n);
        return status;
      },
      stepTimeS,
      voltageV: f64(2),
      currentA: f64(3),
      chargeAh: f64(4),
      dischargeAh: f64(5),
      chargeWh: f64(6),
      dischargeWh: f64(7),
      timeS: f64(8),
      stepCounter: undefined,
      clock: 'utc',
      aux: [],
      ...(loop.sorted
        ? {
            derived: {
              stepCount: i32(1),
              stepTime: stepTimeS,
              testTime: f64(9),
              chargeFirst: i32(2),
              codes: i32(3),
              levels: loop.levels,
              unknown: loop.unknown,
              nonFiniteTimes: 0,
            },
          }
        : {}),
    },
    warnings: notes,
  };
}

/** BTS 9.0 record length. */
const R90 = 88;

/**
 * The record loop of `decode90`. It returns the number of data records and does nothing after
 * its loop (the caller finishes the columns): V8 compiles a hot loop while it runs (on-stack
 * replacement), before the code after it ever ran, and that compiled code is left (and compiled
 * again) at every call when code after the loop needs what it has not seen yet.
 */
function records90(
  bytes: Uint8Array,
  u32: Uint32Array,
  f32: Float32Array,
  begin: number,
  end: number,
  prefix0: number,
  prefix1: number,
  file: string,
  loop: Loop90,
): number {
  const { store, levels, unknown } = loop;
  const { F, I, stride: S, blockRows: B } = store;
  const flags = CHARGE_FIRST_FLAGS;
  const levelOfByte = new Int32Array(256).fill(-1);
  let n = 0;
  let j = 0; // row in the current block
  // Derivation state (see deriveSteps in frame.ts).
  let steps = 0;
  let base = 0;
  let previousStepTime = 0;
  let chargeCycle = 1;
  let discharged = false;
  let previousOpening = false;
  let lastStatus = -1;
  let lastLevel = -1;
  let lastStep = -1; // no step index is -1: the first record starts a step
  let previousIndex = -Infinity;
  for (let p = begin, w = 0; p + R90 <= end; p += R90, w += R90 / 4) {
    if (u32[w] !== prefix0 || u32[w + 1] !== prefix1) {
      if (bytes[p + 4] === 0x55) {
        throw new DiscernError('DISCERN_CORRUPT', 'a data record does not start like the others', {
          file,
          offset: p,
        });
      }
      continue;
    }
    // Bytes 9 and 10 (step index, status) from the word at byte 8 (one load instead of two).
    const w2 = u32[w + 2]!;
    const stepIndex = (w2 >>> 8) & 0xff;
    const status = (w2 >>> 16) & 0xff;
    const index = u32[w + 4]!;
    if (!(index > previousIndex)) loop.sorted = false;
    previousIndex = index;
    const stepTime = (u32[w + 7]! + u32[w + 8]! * TWO32) / 1e6;
    const q = f32[w + 15]! / 3.6e6;
    const e = f32[w + 16]! / 3.6e6;
    F[j] = index;
    F[S + j] = stepTime;
    F[2 * S + j] = f32[w + 9]!;
    F[3 * S + j] = f32[w + 10]! / 1000;
    F[4 * S + j] = q > 0 ? q : 0;
    F[5 * S + j] = q < 0 ? -q : 0;
    F[6 * S + j] = e > 0 ? e : 0;
    F[7 * S + j] = e < 0 ? -e : 0;
    F[8 * S + j] = (u32[w + 17]! + u32[w + 18]! * TWO32) / 1e6;
    I[j] = stepIndex;
    // A new step when the step index or the status changes.
    const newStep = stepIndex !== lastStep || status !== lastStatus;
    if (newStep) steps++;
    I[S + j] = steps;
    lastStep = stepIndex;
    // Test time: the step times added up, each step starting where the last one ended (step
    // and Unix times are 64-bit integers here: always finite and not negative, so that the
    // first record's 0 + step time is its step time).
    if (newStep) base += previousStepTime;
    F[9 * S + j] = base + stepTime;
    previousStepTime = stepTime;
    const f = flags[status]!;
    const opening = f === 1;
    // (Nothing is discharged before the first record: no test for it.)
    if (opening && !previousOpening && discharged) {
      chargeCycle++;
      discharged = false;
    } else if (f === 2) discharged = true;
    previousOpening = opening;
    I[2 * S + j] = chargeCycle;
    if (status !== lastStatus) {
      const level = levelOfByte[status]!;
      lastLevel = level >= 0 ? level : addStatusLevel(status, levelOfByte, levels, unknown);
      lastStatus = status;
    }
    I[3 * S + j] = lastLevel;
    n++;
    if (++j === B) {
      flushColumns(store, B, n - B);
      j = 0;
    }
  }
  return n;
}

/**
 * The status (byte 10) of the first `n` BTS 9.0 data records (those that start with the block's
 * 8-byte prefix), in file order: a second pass for the column the record loop does not keep.
 */
function status90(
  bytes: Uint8Array,
  begin: number,
  end: number,
  prefix0: number,
  prefix1: number,
  n: number,
): Int32Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const status = new Int32Array(n);
  let i = 0;
  for (let p = begin; p + R90 <= end && i < n; p += R90) {
    if (v.getUint32(p, true) !== prefix0 || v.getUint32(p + 4, true) !== prefix1) continue;
    status[i++] = bytes[p + 10]!;
  }
  return status;
}

/** Whether this machine stores numbers little-endian (typed arrays use its byte order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Bytes `begin` to `end` as little-endian 32-bit words (word k at byte begin + 4k), unsigned and
 * as floats: views of the file when it is aligned, else of an aligned copy (byte-swapped on a
 * big-endian machine), so that aligned fields are read without DataView.
 */
function words(bytes: Uint8Array, begin: number, end: number): { u32: Uint32Array; f32: Float32Array } {
  const count = Math.max(0, (end - begin) >> 2);
  let buffer = bytes.buffer;
  let at = bytes.byteOffset + begin;
  if (at % 4 !== 0 || !LITTLE_ENDIAN) {
    const copy = bytes.slice(begin, begin + 4 * count);
    if (!LITTLE_ENDIAN) {
      for (let k = 0; k < copy.length; k += 4) {
        const b0 = copy[k]!;
        const b1 = copy[k + 1]!;
        copy[k] = copy[k + 3]!;
        copy[k + 1] = copy[k + 2]!;
        copy[k + 2] = b1;
        copy[k + 3] = b0;
      }
    }
    buffer = copy.buffer;
    at = 0;
  }
  return { u32: new Uint32Array(buffer, at, count), f32: new Float32Array(buffer, at, count) };
}

function decode91(bytes: Uint8Array, v: DataView, file: string, begin: number, end: number): Bts9Decoded {
  const id = v.getUint16(begin, true);
  const span = end - begin;
  // The record length is not stored: 52 bytes, or 56 with one auxiliary temperature. Take the one
  // that tiles the block with records that all start with the identifier.
  const R = [56, 52].find(
    (len) => span >= len && span % len === 0 && (span === len || v.getUint16(begin + len, true) === id),
  );
  if (R === undefined) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      'BTS 9.1 records of a length other than 52 or 56 bytes (more auxiliary channels?) are not known',
      { file, offset: begin },
    );
  }
  const n = span / R;
  const c = allocColumns(n);
  const { stepIndex, status, recordIndex, cycle, voltageV, currentA, timeS } = c;
  const { chargeAh, dischargeAh, chargeWh, dischargeWh } = c;
  const testTime = new Float64Array(n);
  const temperature = R === 56 ? new Float64Array(n) : undefined;
  for (let i = 0, p = begin; i < n; i++, p += R) {
    if (v.getUint16(p, true) !== id) {
      throw new DiscernError('DISCERN_CORRUPT', 'a BTS 9.1 record does not start with the identifier', {
        file,
        offset: p,
      });
    }
    stepIndex[i] = bytes[p + 2]!;
    status[i] = bytes[p + 3]!;
    recordIndex[i] = v.getUint32(p + 8, true);
    testTime[i] = v.getUint32(p + 12, true) + v.getUint32(p + 16, true) / 1e9;
    currentA[i] = v.getFloat32(p + 20, true) / 1000;
    voltageV[i] = v.getFloat32(p + 24, true);
    const q = v.getFloat32(p + 28, true) / 3.6e6;
    const e = v.getFloat32(p + 32, true) / 3.6e6;
    chargeAh[i] = q > 0 ? q : 0;
    dischargeAh[i] = q < 0 ? -q : 0;
    chargeWh[i] = e > 0 ? e : 0;
    dischargeWh[i] = e < 0 ? -e : 0;
    cycle[i] = v.getUint32(p + 36, true) + 1;
    timeS[i] = v.getUint32(p + 44, true) + v.getUint32(p + 48, true) / 1e9;
    if (temperature !== undefined) temperature[i] = v.getFloat32(p + 52, true);
  }
  return {
    layout: 'BTS 9.1',
    records: {
      ...c,
      length: n,
      stepTimeS: undefined,
      testTimeS: testTime,
      stepCounter: undefined,
      clock: 'utc',
      aux:
        temperature === undefined
          ? []
          : [
              {
                name: 'aux_temperature_1_degC',
                unit: 'degC',
                source: 'BTS 9.1 record byte 52',
                values: temperature,
              },
            ],
    },
    warnings: [],
  };
}
