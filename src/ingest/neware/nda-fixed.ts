import { DiscernError, type DataWarning } from '../../core/index.js';
import { CHARGE_FIRST_FLAGS } from './cycles.js';
import {
  allocColumns,
  civilSeconds,
  columnStore,
  finishColumns,
  floatColumn,
  flushColumns,
  intColumn,
  trimColumns,
  type ColumnStore,
  type DerivedSteps,
  type NewareAux,
  type NewareClock,
  type RecordColumns,
} from './records.js';
import { addStatusLevel, CHARGE_STATUS, DISCHARGE_STATUS, rangeResolutionA } from './status.js';

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
  /** Steps, test time, cycles and step types, when the record loop derived them (see NewareRecords). */
  readonly derived?: DerivedSteps;
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
  const cap = Math.max(0, Math.floor((block.end - block.begin) / 86));
  // Float64 columns: record index, step time, voltage, current, charge and discharge capacity,
  // charge and discharge energy, time, test time. Int32 columns: cycle, step index, step count,
  // charge-first cycle, step type code. (Status and step counter are not Frame columns: the loop
  // uses them and `statusAndCounter86` reads them again when they are asked for.)
  const store = columnStore(cap, 10, 5);
  const loop: Loop86 = {
    store,
    levels: [],
    unknown: [],
    sorted: true,
    nonFiniteTimes: 0,
    aux: newAux(64),
    auxCount: 0,
  };
  const n = records86(block, version >= 26, loop);
  finishColumns(store, n);
  const f64 = (c: number): Float64Array => floatColumn(store, c, n);
  const i32 = (c: number): Int32Array => intColumn(store, c, n);
  let statusCounter: { status: Int32Array; counter: Int32Array } | undefined;
  const columns: RecordColumns = {
    recordIndex: f64(0),
    cycle: i32(0),
    stepIndex: i32(1),
    // Read on first use: only records out of order (no `derived`) or a test need them.
    get status(): Int32Array {
      statusCounter ??= statusAndCounter86(block, n);
      return statusCounter.status;
    },
    get stepCounter(): Int32Array {
      statusCounter ??= statusAndCounter86(block, n);
      return statusCounter.counter;
    },
    stepTimeS: f64(1),
    voltageV: f64(2),
    currentA: f64(3),
    chargeAh: f64(4),
    dischargeAh: f64(5),
    chargeWh: f64(6),
    dischargeWh: f64(7),
    timeS: f64(8),
  };
  const a = loop.auxCount;
  const aux: AuxRecords = {
    channel: loop.aux.channel.subarray(0, a),
    index: loop.aux.index.subarray(0, a),
    temperature: loop.aux.temperature.subarray(0, a),
  };
  return {
    columns,
    length: n,
    hasStepCounter: true,
    clock: version >= 26 ? 'naive' : 'utc',
    aux: auxTemperatures(columns.recordIndex, aux),
    warnings: partialWarning(block, 86),
    ...(loop.sorted
      ? {
          derived: {
            stepCount: i32(2),
            stepTime: columns.stepTimeS,
            testTime: f64(9),
            chargeFirst: i32(3),
            codes: i32(4),
            levels: loop.levels,
            unknown: loop.unknown,
            nonFiniteTimes: loop.nonFiniteTimes,
          },
        }
      : {}),
  };
}

/** The auxiliary (0x65) records of a v22-v29 data block, in file order. */
interface AuxRecords {
  readonly channel: Int32Array;
  readonly index: Float64Array;
  readonly temperature: Float64Array;
}

/** What the record loop of the 86-byte layouts writes besides its columns. */
interface Loop86 {
  readonly store: ColumnStore;
  /** Step type levels and unknown status codes, as `deriveSteps` lists them. */
  readonly levels: string[];
  readonly unknown: number[];
  /** Cleared when a record index does not exceed the one before. */
  sorted: boolean;
  /** Data records whose time is not a valid date. */
  nonFiniteTimes: number;
  /** Auxiliary records (grown as needed) and how many there are. */
  aux: AuxRecords;
  auxCount: number;
}

/**
 * The record loop of `decodeNda86`, in a function of its own so that it is optimized as a whole:
 * fixed offsets, one DataView, no calls except on the rare change of current range, day or status
 * and once per block of records (64-bit integers are read as two 32-bit halves). Every record
 * kind is checked as it is met. The columns go to a column store (records.ts) sized for the
 * largest possible number of data records. Returns the number of data records, and does nothing
 * after its loop: V8 compiles a hot loop while it runs (on-stack replacement), before the code
 * after it ever ran, and that compiled code is left (and compiled again) at every call when code
 * after the loop needs what it has not seen yet.
 *
 * The loop also derives what `newareFrame` would derive in a second pass (step count, test time,
 * the charge-first cycle count, step type codes, records without a valid time), the same way
 * `deriveSteps` does for a layout with a step time and a step counter; the caller returns them
 * only when the records are in order of their record index.
 */
function records86(block: Block, naive: boolean, loop: Loop86): number {
  const { bytes, view: v, end } = block;
  const { store, levels, unknown } = loop;
  const { F, I, stride: S, blockRows: B } = store;
  const flags = CHARGE_FIRST_FLAGS;
  const levelOfByte = new Int32Array(256).fill(-1);
  let lastRange = NaN;
  let res = 0;
  let k = 0;
  let lastDay = -1;
  let dayS = NaN;
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
  let lastCycle = 0;
  let lastCounter = 0;
  let previousIndex = -Infinity;
  for (let p = block.begin; p + 86 <= end; p += 86) {
    const kind = bytes[p]!;
    if (kind !== 0x55) {
      if (kind === 0x65) {
        const a = loop.auxCount;
        if (a === loop.aux.index.length) loop.aux = growAux(loop.aux);
        const aux = loop.aux;
        aux.channel[a] = bytes[p + 1]!;
        aux.index[a] = v.getUint32(p + 2, true);
        aux.temperature[a] = v.getInt16(p + 34, true) * 0.1;
        loop.auxCount = a + 1;
      } else if (kind !== 0xaa) unknownKind(block, p, kind);
      continue;
    }
    const range = v.getInt32(p + 78, true);
    if (range !== lastRange) {
      res = resolution86(block, range, p);
      k = res / 3600;
      lastRange = range;
    }
    const index = v.getUint32(p + 2, true);
    if (!(index > previousIndex)) loop.sorted = false;
    previousIndex = index;
    // As stored in an Int32 column (and compared by deriveSteps).
    const cycle = (v.getUint32(p + 6, true) + 1) | 0;
    // Step index (u16), status and step counter (u8 each) from one 32-bit read at byte 10.
    const stepWord = v.getUint32(p + 10, true);
    const stepIndex = stepWord & 0xffff;
    const status = (stepWord >>> 16) & 0xff;
    const counter = stepWord >>> 24;
    // 64-bit milliseconds: always finite.
    const stepTime = (v.getUint32(p + 14, true) + v.getUint32(p + 18, true) * TWO32) / 1000;
    F[j] = index;
    F[S + j] = stepTime;
    F[2 * S + j] = v.getInt32(p + 22, true) * 1e-4;
    F[3 * S + j] = v.getInt32(p + 26, true) * res;
    F[4 * S + j] = Math.abs((v.getUint32(p + 38, true) + v.getInt32(p + 42, true) * TWO32) * k);
    F[5 * S + j] = Math.abs((v.getUint32(p + 46, true) + v.getInt32(p + 50, true) * TWO32) * k);
    F[6 * S + j] = Math.abs((v.getUint32(p + 54, true) + v.getInt32(p + 58, true) * TWO32) * k);
    F[7 * S + j] = Math.abs((v.getUint32(p + 62, true) + v.getInt32(p + 66, true) * TWO32) * k);
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
      const time = h < 24 && mi < 60 && sec <= 60 ? dayS + h * 3600 + mi * 60 + sec : NaN;
      F[8 * S + j] = time;
      if (time !== time) loop.nonFiniteTimes++;
    } else F[8 * S + j] = v.getUint32(p + 70, true) + v.getUint32(p + 74, true) * TWO32;
    I[j] = cycle;
    I[S + j] = stepIndex;
    // A new step when the step index, the cycle or the step counter changes.
    const newStep = stepIndex !== lastStep || cycle !== lastCycle || counter !== lastCounter;
    if (newStep) steps++;
    I[2 * S + j] = steps;
    lastStep = stepIndex;
    lastCycle = cycle;
    lastCounter = counter;
    // Test time: the step times added up, each step starting where the last one ended (not
    // negative: the first record's 0 + step time is its step time).
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
    I[3 * S + j] = chargeCycle;
    if (status !== lastStatus) {
      const level = levelOfByte[status]!;
      lastLevel = level >= 0 ? level : addStatusLevel(status, levelOfByte, levels, unknown);
      lastStatus = status;
    }
    I[4 * S + j] = lastLevel;
    n++;
    if (++j === B) {
      flushColumns(store, B, n - B);
      j = 0;
    }
  }
  return n;
}

/**
 * The status and step counter of the first `n` data records (kind 0x55), in file order: a second
 * pass over the block for the columns the record loop does not keep.
 */
function statusAndCounter86(block: Block, n: number): { status: Int32Array; counter: Int32Array } {
  const { bytes, end } = block;
  const status = new Int32Array(n);
  const counter = new Int32Array(n);
  let i = 0;
  for (let p = block.begin; p + 86 <= end && i < n; p += 86) {
    if (bytes[p] !== 0x55) continue;
    status[i] = bytes[p + 12]!;
    counter[i] = bytes[p + 13]!;
    i++;
  }
  return { status, counter };
}

function newAux(size: number): AuxRecords {
  return {
    channel: new Int32Array(size),
    index: new Float64Array(size),
    temperature: new Float64Array(size),
  };
}

function growAux(aux: AuxRecords): AuxRecords {
  const out = newAux(aux.index.length * 2);
  out.channel.set(aux.channel);
  out.index.set(aux.index);
  out.temperature.set(aux.temperature);
  return out;
}

/**
 * Amperes per count of a record's current range (0 = the test's range). When the range is not
 * known, a record kind discern does not know later in the block is reported first (as a check
 * of every record kind before decoding would).
 */
function resolution86(block: Block, range: number, p: number): number {
  try {
    return range === 0 ? block.testResolutionA : rangeResolutionA(range, block.file, p + 78);
  } catch (e) {
    for (let q = p; q + 86 <= block.end; q += 86) {
      const kind = block.bytes[q]!;
      if (kind !== 0x55 && kind !== 0x65 && kind !== 0xaa) unknownKind(block, q, kind);
    }
    throw e;
  }
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
