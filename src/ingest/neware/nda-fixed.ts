import { DiscernError, type DataWarning } from '../../core/index.js';
import {
  allocColumns,
  civilSeconds,
  trimColumns,
  type NewareAux,
  type NewareClock,
  type RecordColumns,
} from './records.js';
import { CHARGE_STATUS, DISCHARGE_STATUS, rangeResolutionA } from './status.js';

/**
 * The fixed-size record layouts of `.nda` files up to version 29 (BTS 7 and 8). The data block is
 * a sequence of records whose first byte says what they are; offsets below are from the record
 * start, little-endian. Versions read here are the ones with a fixture that checks them
 * (docs/formats/neware.md lists the layouts and where they were verified).
 *
 * v8 (59 bytes; kind 0x00 = data, 0xFF = step header):
 *   1 u32 record index | 5 u32 cycle (1-based) | 9 u8 step index | 10 u8 status |
 *   11 u32 step time s | 15 i32 voltage 0.1 mV | 19 i32 current counts | 31 i64 capacity counts*s |
 *   39 i64 energy | 47 u64 Unix time s (UTC) | 55 u32 checksum
 * v22 / v26 / v29 (86 bytes; kind 0x55 = data, 0xAA = step summary, 0x65 = auxiliary):
 *   2 u32 record index | 6 u32 cycle (0-based) | 10 u16 step index | 12 u8 status |
 *   13 u8 step counter | 14 u64 step time ms | 22 i32 voltage 0.1 mV | 26 i32 current counts |
 *   38/46/54/62 i64 charge capacity, discharge capacity, charge energy, discharge energy |
 *   70 u64 Unix time s (v22) or u16 year, u8 month, day, hour, minute, second (v26, v29) |
 *   78 i32 current range code (0 = the test's range)
 * Auxiliary records (0x65): 1 u8 aux channel | 2 u32 record index | 34 i16 temperature 0.1 degC.
 */

/** The decoded columns of a fixed-record `.nda` (v8, v22, v26, v29) and what was noticed. */
export interface FixedDecoded {
  readonly columns: RecordColumns;
  readonly length: number;
  readonly hasStepCounter: boolean;
  readonly clock: NewareClock;
  readonly aux: NewareAux[];
  readonly warnings: DataWarning[];
}

interface Block {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly begin: number;
  /** End of the data block (exclusive). */
  readonly end: number;
  /** Amperes per count of the test's current range (header). */
  readonly testResolutionA: number;
}

/** 2^32: the weight of the high half of a 64-bit integer. */
const TWO32 = 4294967296;

/** A 256-entry lookup (1 = member) for a set of byte-sized status codes. */
function statusTable(codes: ReadonlySet<number>): Uint8Array {
  const t = new Uint8Array(256);
  for (const s of codes) if (s >= 0 && s < 256) t[s] = 1;
  return t;
}

function unknownKind(block: Block, p: number, kind: number): never {
  throw new DiscernError(
    'DISCERN_UNSUPPORTED_VERSION',
    `unknown record kind 0x${kind.toString(16).padStart(2, '0')} in the data block`,
    { file: block.file, offset: p },
  );
}

function partialWarning(block: Block, recordBytes: number): DataWarning[] {
  const rest = (block.end - block.begin) % recordBytes;
  if (rest === 0) return [];
  return [
    {
      code: 'DISCERN_CORRUPT_PART',
      message: `the data block ends in the middle of a record (${rest} of ${recordBytes} bytes at byte ${block.end - rest}); the incomplete record was ignored`,
    },
  ];
}

/** Version 8: one capacity and one energy, signed by the step type. */
export function decodeNdaV8(block: Block): FixedDecoded {
  const { bytes, view: v } = block;
  const R = 59;
  let cap = 0;
  for (let p = block.begin; p + R <= block.end; p += R) {
    const kind = bytes[p]!;
    if (kind === 0x00) cap++;
    else if (kind !== 0xff) unknownKind(block, p, kind);
  }
  const c = allocColumns(cap);
  const { recordIndex, cycle, stepIndex, status: statusOut, stepTimeS, voltageV, currentA } = c;
  const { chargeAh, dischargeAh, chargeWh, dischargeWh, timeS } = c;
  const res = cap > 0 ? block.testResolutionA : 0;
  const charge = statusTable(CHARGE_STATUS);
  const discharge = statusTable(DISCHARGE_STATUS);
  const end = block.end;
  let n = 0;
  for (let p = block.begin; p + R <= end; p += R) {
    if (bytes[p] !== 0x00) continue;
    recordIndex[n] = v.getUint32(p + 1, true);
    cycle[n] = v.getUint32(p + 5, true);
    stepIndex[n] = bytes[p + 9]!;
    const status = bytes[p + 10]!;
    statusOut[n] = status;
    stepTimeS[n] = v.getUint32(p + 11, true);
    voltageV[n] = v.getInt32(p + 15, true) * 1e-4;
    const current = v.getInt32(p + 19, true) * res;
    currentA[n] = current;
    const q = ((v.getUint32(p + 31, true) + v.getInt32(p + 35, true) * TWO32) * res) / 3600;
    const e = ((v.getUint32(p + 39, true) + v.getInt32(p + 43, true) * TWO32) * res) / 3600;
    const charging = charge[status] === 1 || (discharge[status] !== 1 && current > 0);
    chargeAh[n] = charging ? Math.abs(q) : 0;
    dischargeAh[n] = charging ? 0 : Math.abs(q);
    chargeWh[n] = charging ? Math.abs(e) : 0;
    dischargeWh[n] = charging ? 0 : Math.abs(e);
    timeS[n] = v.getUint32(p + 47, true) + v.getUint32(p + 51, true) * TWO32;
    n++;
  }
  return {
    columns: trimColumns(c, n),
    length: n,
    hasStepCounter: false,
    clock: 'utc',
    aux: [],
    warnings: partialWarning(block, R),
  };
}

/** Versions 22, 26 and 29: separate charge and discharge capacity and energy, a range per record. */
export function decodeNda86(block: Block, version: number): FixedDecoded {
  const bytes = block.bytes;
  // First pass: check every record kind and count the data and auxiliary records (exact allocation).
  let cap = 0;
  let auxCap = 0;
  for (let p = block.begin; p + 86 <= block.end; p += 86) {
    const kind = bytes[p]!;
    if (kind === 0x55) cap++;
    else if (kind === 0x65) auxCap++;
    else if (kind !== 0xaa) unknownKind(block, p, kind);
  }
  const c = allocColumns(cap);
  const aux: AuxRecords = {
    channel: new Int32Array(auxCap),
    index: new Float64Array(auxCap),
    temperature: new Float64Array(auxCap),
  };
  const n = records86(block, version >= 26, c, aux);
  const columns = trimColumns(c, n);
  return {
    columns,
    length: n,
    hasStepCounter: true,
    clock: version >= 26 ? 'naive' : 'utc',
    aux: auxTemperatures(columns.recordIndex, aux),
    warnings: partialWarning(block, 86),
  };
}

/** The auxiliary (0x65) records of a v22-v29 data block, in file order. */
interface AuxRecords {
  readonly channel: Int32Array;
  readonly index: Float64Array;
  readonly temperature: Float64Array;
}

/**
 * The record loop of `decodeNda86`, in a function of its own so that it is optimized as a whole:
 * fixed offsets, one DataView, no calls except on the rare change of current range or day
 * (64-bit integers are read as two 32-bit halves). Returns the number of data records.
 */
function records86(block: Block, naive: boolean, c: RecordColumns, aux: AuxRecords): number {
  const { bytes, view: v, end } = block;
  const { recordIndex, cycle, stepIndex, status, stepCounter, stepTimeS, voltageV, currentA } = c;
  const { chargeAh, dischargeAh, chargeWh, dischargeWh, timeS } = c;
  let lastRange = NaN;
  let res = 0;
  let k = 0;
  let lastDay = -1;
  let dayS = NaN;
  let n = 0;
  let a = 0;
  for (let p = block.begin; p + 86 <= end; p += 86) {
    const kind = bytes[p]!;
    if (kind !== 0x55) {
      if (kind === 0x65) {
        aux.channel[a] = bytes[p + 1]!;
        aux.index[a] = v.getUint32(p + 2, true);
        aux.temperature[a++] = v.getInt16(p + 34, true) * 0.1;
      }
      continue;
    }
    const range = v.getInt32(p + 78, true);
    if (range !== lastRange) {
      res = range === 0 ? block.testResolutionA : rangeResolutionA(range, block.file, p + 78);
      k = res / 3600;
      lastRange = range;
    }
    recordIndex[n] = v.getUint32(p + 2, true);
    cycle[n] = v.getUint32(p + 6, true) + 1;
    stepIndex[n] = v.getUint16(p + 10, true);
    status[n] = bytes[p + 12]!;
    stepCounter[n] = bytes[p + 13]!;
    stepTimeS[n] = (v.getUint32(p + 14, true) + v.getUint32(p + 18, true) * TWO32) / 1000;
    voltageV[n] = v.getInt32(p + 22, true) * 1e-4;
    currentA[n] = v.getInt32(p + 26, true) * res;
    chargeAh[n] = Math.abs((v.getUint32(p + 38, true) + v.getInt32(p + 42, true) * TWO32) * k);
    dischargeAh[n] = Math.abs((v.getUint32(p + 46, true) + v.getInt32(p + 50, true) * TWO32) * k);
    chargeWh[n] = Math.abs((v.getUint32(p + 54, true) + v.getInt32(p + 58, true) * TWO32) * k);
    dischargeWh[n] = Math.abs((v.getUint32(p + 62, true) + v.getInt32(p + 66, true) * TWO32) * k);
    if (naive) {
      // Year, month and day change rarely: the day is computed only when they change.
      const day = v.getUint32(p + 70, true);
      if (day !== lastDay) {
        dayS = civilSeconds(v.getUint16(p + 70, true), bytes[p + 72]!, bytes[p + 73]!, 0, 0, 0);
        lastDay = day;
      }
      const h = bytes[p + 74]!;
      const mi = bytes[p + 75]!;
      const sec = bytes[p + 76]!;
      timeS[n] = h < 24 && mi < 60 && sec <= 60 ? dayS + h * 3600 + mi * 60 + sec : NaN;
    } else timeS[n] = v.getUint32(p + 70, true) + v.getUint32(p + 74, true) * TWO32;
    n++;
  }
  return n;
}

/** Aligns auxiliary temperature records with the data records by record index, one channel each. */
function auxTemperatures(recordIndex: Float64Array, aux: AuxRecords): NewareAux[] {
  const { index, channel, temperature } = aux;
  if (index.length === 0) return [];
  const row = new Map<number, number>();
  for (let i = 0; i < recordIndex.length; i++) row.set(recordIndex[i]!, i);
  const byChannel = new Map<number, Float64Array>();
  for (let k = 0; k < index.length; k++) {
    const ch = channel[k]!;
    let values = byChannel.get(ch);
    if (values === undefined) {
      values = new Float64Array(recordIndex.length).fill(NaN);
      byChannel.set(ch, values);
    }
    const i = row.get(index[k]!);
    if (i !== undefined) values[i] = temperature[k]!;
  }
  return [...byChannel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([ch, values]) => ({
      name: `aux_temperature_${ch}_degC`,
      unit: 'degC',
      source: `auxiliary record channel ${ch}`,
      values,
    }));
}

/** The data block of an `.nda` file as the decoders see it. */
export type { Block as NdaBlock };
