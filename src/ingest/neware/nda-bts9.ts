import { DiscernError, type DataWarning } from '../../core/index.js';
import { allocColumns, u64, type NewareAux, type NewareRecords } from './records.js';

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

function decode90(bytes: Uint8Array, v: DataView, file: string, begin: number, end: number): Bts9Decoded {
  const R = 88;
  const prefix0 = v.getUint32(begin, true);
  const prefix1 = v.getUint32(begin + 4, true);
  // First pass: count the data records (exact allocation) and check the others.
  let cap = 0;
  let other = 0;
  for (let p = begin; p + R <= end; p += R) {
    if (v.getUint32(p, true) === prefix0 && v.getUint32(p + 4, true) === prefix1) cap++;
    else if (bytes[p + 4] === 0x55) {
      throw new DiscernError('DISCERN_CORRUPT', 'a data record does not start like the others', {
        file,
        offset: p,
      });
    } else other++;
  }
  const c = allocColumns(cap);
  const { stepIndex, status, recordIndex, stepTimeS, voltageV, currentA, timeS } = c;
  const { chargeAh, dischargeAh, chargeWh, dischargeWh } = c;
  let n = 0;
  for (let p = begin; p + R <= end; p += R) {
    if (v.getUint32(p, true) !== prefix0 || v.getUint32(p + 4, true) !== prefix1) continue;
    stepIndex[n] = bytes[p + 9]!;
    status[n] = bytes[p + 10]!;
    recordIndex[n] = v.getUint32(p + 16, true);
    stepTimeS[n] = (v.getUint32(p + 28, true) + v.getUint32(p + 32, true) * TWO32) / 1e6;
    voltageV[n] = v.getFloat32(p + 36, true);
    currentA[n] = v.getFloat32(p + 40, true) / 1000;
    const q = v.getFloat32(p + 60, true) / 3.6e6;
    const e = v.getFloat32(p + 64, true) / 3.6e6;
    chargeAh[n] = q > 0 ? q : 0;
    dischargeAh[n] = q < 0 ? -q : 0;
    chargeWh[n] = e > 0 ? e : 0;
    dischargeWh[n] = e < 0 ? -e : 0;
    timeS[n] = (v.getUint32(p + 68, true) + v.getUint32(p + 72, true) * TWO32) / 1e6;
    n++;
  }
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
    records: { ...c, length: n, cycle: undefined, stepCounter: undefined, clock: 'utc', aux: [] },
    warnings: notes,
  };
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
