import { DiscernError, type DataWarning } from '../../core/index.js';
import {
  allocColumns,
  civilSeconds,
  i64,
  u64,
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
  const res = cap > 0 ? block.testResolutionA : 0;
  let n = 0;
  for (let p = block.begin; p + R <= block.end; p += R) {
    if (bytes[p] !== 0x00) continue;
    c.recordIndex[n] = v.getUint32(p + 1, true);
    c.cycle[n] = v.getUint32(p + 5, true);
    c.stepIndex[n] = bytes[p + 9]!;
    const status = bytes[p + 10]!;
    c.status[n] = status;
    c.stepTimeS[n] = v.getUint32(p + 11, true);
    c.voltageV[n] = v.getInt32(p + 15, true) * 1e-4;
    const current = v.getInt32(p + 19, true) * res;
    c.currentA[n] = current;
    const q = (i64(v, p + 31) * res) / 3600;
    const e = (i64(v, p + 39) * res) / 3600;
    const charging = CHARGE_STATUS.has(status) || (!DISCHARGE_STATUS.has(status) && current > 0);
    c.chargeAh[n] = charging ? Math.abs(q) : 0;
    c.dischargeAh[n] = charging ? 0 : Math.abs(q);
    c.chargeWh[n] = charging ? Math.abs(e) : 0;
    c.dischargeWh[n] = charging ? 0 : Math.abs(e);
    c.timeS[n] = u64(v, p + 47);
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
  const { bytes, view: v } = block;
  const R = 86;
  // First pass: check every record kind and count the data records (exact allocation).
  let cap = 0;
  for (let p = block.begin; p + R <= block.end; p += R) {
    const kind = bytes[p]!;
    if (kind === 0x55) cap++;
    else if (kind !== 0xaa && kind !== 0x65) unknownKind(block, p, kind);
  }
  const c = allocColumns(cap);
  const { recordIndex, cycle, stepIndex, status, stepCounter, stepTimeS, voltageV, currentA } = c;
  const { chargeAh, dischargeAh, chargeWh, dischargeWh, timeS } = c;
  const naive = version >= 26;
  const auxIndex: number[] = [];
  const auxChannel: number[] = [];
  const auxTemperature: number[] = [];
  let lastRange = NaN;
  let res = 0;
  let k = 0;
  let lastDay = -1;
  let dayS = NaN;
  let n = 0;
  for (let p = block.begin; p + R <= block.end; p += R) {
    const kind = bytes[p]!;
    if (kind !== 0x55) {
      if (kind === 0x65) {
        auxChannel.push(bytes[p + 1]!);
        auxIndex.push(v.getUint32(p + 2, true));
        auxTemperature.push(v.getInt16(p + 34, true) * 0.1);
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
    stepTimeS[n] = u64(v, p + 14) / 1000;
    voltageV[n] = v.getInt32(p + 22, true) * 1e-4;
    currentA[n] = v.getInt32(p + 26, true) * res;
    chargeAh[n] = Math.abs(i64(v, p + 38) * k);
    dischargeAh[n] = Math.abs(i64(v, p + 46) * k);
    chargeWh[n] = Math.abs(i64(v, p + 54) * k);
    dischargeWh[n] = Math.abs(i64(v, p + 62) * k);
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
    } else timeS[n] = u64(v, p + 70);
    n++;
  }
  const columns = trimColumns(c, n);
  return {
    columns,
    length: n,
    hasStepCounter: true,
    clock: naive ? 'naive' : 'utc',
    aux: auxTemperatures(columns.recordIndex, auxIndex, auxChannel, auxTemperature),
    warnings: partialWarning(block, R),
  };
}

/** Aligns auxiliary temperature records with the data records by record index, one channel each. */
function auxTemperatures(
  recordIndex: Float64Array,
  index: number[],
  channel: number[],
  temperature: number[],
): NewareAux[] {
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
