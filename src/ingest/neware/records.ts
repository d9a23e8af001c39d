import { columnMemory, filledFloat64, filledInt32 } from '../column-memory.js';

export { filledFloat64, filledInt32 };

/**
 * The columns every Neware layout decodes to, in canonical units, before the common tail
 * (`newareFrame`) adds step counts, test time, cycle numbering and time zones.
 */

/** An auxiliary channel (temperature, voltage, ...) aligned with the records. */
export interface NewareAux {
  /** Channel name, e.g. `aux_temperature_1_degC`. */
  readonly name: string;
  readonly unit: string;
  /** Where it came from, e.g. `data_AUX_9_3_1.ndc (ChlType 103)`. */
  readonly source: string;
  readonly values: Float64Array;
}

/** How the file stores its timestamps. */
export type NewareClock =
  /** Seconds since the Unix epoch (UTC): the `.ndax` runInfo, BTS 9 and the nda v8/v22 layouts. */
  | 'utc'
  /** Wall-clock fields (year, month, ... second) without a zone: nda v26/v29, ndc v2. */
  | 'naive';

/** Decoded records in canonical units, common to every Neware layout. */
export interface NewareRecords {
  readonly length: number;
  /** Neware's record number (1-based, the join key between data, runInfo and aux). */
  readonly recordIndex: Float64Array;
  /** Neware's own cycle number (1-based), or undefined when the layout stores none (BTS 9.0). */
  readonly cycle: Int32Array | undefined;
  readonly stepIndex: Int32Array;
  /** Neware status code (see NEWARE_STATUS). */
  readonly status: Int32Array;
  /** Time since the start of the step, s (undefined when only the test time is stored: BTS 9.1). */
  readonly stepTimeS: Float64Array | undefined;
  /** Time since the start of the test, s, when the layout stores it (BTS 9.1); else derived. */
  readonly testTimeS?: Float64Array;
  readonly voltageV: Float64Array;
  /** Current, A, positive on charge (Neware's own sign convention). */
  readonly currentA: Float64Array;
  /** Non-negative magnitudes, Ah and Wh, as the instrument reports them (reset every step). */
  readonly chargeAh: Float64Array;
  readonly dischargeAh: Float64Array;
  readonly chargeWh: Float64Array;
  readonly dischargeWh: Float64Array;
  /** Unix seconds (clock 'utc') or naive wall-clock milliseconds / 1000 (clock 'naive'). */
  readonly timeS: Float64Array;
  readonly clock: NewareClock;
  /** The file's own step counter (changes at every step, even a repeat of the same step index). */
  readonly stepCounter?: Int32Array;
  readonly aux: readonly NewareAux[];
  /**
   * What `newareFrame` derives per record, when the decoder derived it already inside its record
   * loop (one pass instead of two). Only set when the records are in order of their record index
   * (strictly increasing), so that the tail uses them as they are.
   */
  readonly derived?: DerivedSteps;
}

/** What the common tail derives from the records (see `newareFrame`). */
export interface DerivedSteps {
  /** 1-based step number of each record. */
  readonly stepCount: Int32Array;
  readonly stepTime: Float64Array;
  readonly testTime: Float64Array;
  /** The charge-first cycle count (`chargeFirstCycles`). */
  readonly chargeFirst: Int32Array;
  /** Step type code of each record: an index into `levels` (status labels, in order of appearance). */
  readonly codes: Int32Array;
  readonly levels: string[];
  /** Status codes without a label, in order of appearance. */
  readonly unknown: number[];
  /** Records whose `timeS` is not finite, when the decoder counted them. */
  readonly nonFiniteTimes?: number;
}

/** Writable columns for a decoder, allocated once for the largest possible row count. */
export interface RecordColumns {
  recordIndex: Float64Array;
  cycle: Int32Array;
  stepIndex: Int32Array;
  status: Int32Array;
  stepTimeS: Float64Array;
  voltageV: Float64Array;
  currentA: Float64Array;
  chargeAh: Float64Array;
  dischargeAh: Float64Array;
  chargeWh: Float64Array;
  dischargeWh: Float64Array;
  timeS: Float64Array;
  stepCounter: Int32Array;
}

/** Columns for up to `capacity` rows. */
export function allocColumns(capacity: number): RecordColumns {
  return {
    recordIndex: new Float64Array(capacity),
    cycle: new Int32Array(capacity),
    stepIndex: new Int32Array(capacity),
    status: new Int32Array(capacity),
    stepTimeS: new Float64Array(capacity),
    voltageV: new Float64Array(capacity),
    currentA: new Float64Array(capacity),
    chargeAh: new Float64Array(capacity),
    dischargeAh: new Float64Array(capacity),
    chargeWh: new Float64Array(capacity),
    dischargeWh: new Float64Array(capacity),
    timeS: new Float64Array(capacity),
    stepCounter: new Int32Array(capacity),
  };
}

/** The first `n` rows of every column (a copy when fewer than the allocated rows). */
export function trimColumns(c: RecordColumns, n: number): RecordColumns {
  if (n === c.recordIndex.length) return c;
  return {
    recordIndex: c.recordIndex.slice(0, n),
    cycle: c.cycle.slice(0, n),
    stepIndex: c.stepIndex.slice(0, n),
    status: c.status.slice(0, n),
    stepTimeS: c.stepTimeS.slice(0, n),
    voltageV: c.voltageV.slice(0, n),
    currentA: c.currentA.slice(0, n),
    chargeAh: c.chargeAh.slice(0, n),
    dischargeAh: c.dischargeAh.slice(0, n),
    chargeWh: c.chargeWh.slice(0, n),
    dischargeWh: c.dischargeWh.slice(0, n),
    timeS: c.timeS.slice(0, n),
    stepCounter: c.stepCounter.slice(0, n),
  };
}

/**
 * Seconds since 1970-01-01T00:00:00 of a wall-clock date and time read as if it were UTC (the
 * "naive" clock), or NaN when a field is out of range (a damaged or empty record).
 */
export function civilSeconds(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  if (y < 1990 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return NaN;
  }
  // Days from civil (H. Hinnant's algorithm), exact for the proleptic Gregorian calendar.
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

/** Unsigned 64-bit little-endian integer as a number (exact below 2^53; no BigInt on the hot path). */
export function u64(v: DataView, at: number): number {
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * 4294967296;
}

/** Signed 64-bit little-endian integer as a number (exact for |x| below 2^53). */
export function i64(v: DataView, at: number): number {
  return v.getUint32(at, true) + v.getInt32(at + 4, true) * 4294967296;
}

/** The first `n` values of a column: the column itself when it has exactly `n` (no copy). */
export function fit<T extends Float64Array | Int32Array>(a: T, n: number): T {
  return a.length === n ? a : (a.slice(0, n) as T);
}

/**
 * Where a record loop writes its columns: one Float64Array `F` and one Int32Array `I`, column k
 * of each at k x `stride`, row j of the current block at j. A store into one typed array costs a
 * fraction of stores into a dozen column arrays (each store re-checks its array).
 * - Up to SHARED_BYTES, `F` and `I` hold every row (stride = capacity, the block never fills)
 *   and the columns are views of them.
 * - Beyond, one large buffer would be fresh memory from the system at every read (slow to
 *   touch): the columns are arrays of their own and `F` and `I` a scratch block of BLOCK_ROWS
 *   rows that stays in the cache, copied into the columns (`flushColumns`) whenever it is full.
 */
export interface ColumnStore {
  readonly F: Float64Array;
  readonly I: Int32Array;
  /** Distance between two columns in `F` and `I`. */
  readonly stride: number;
  /** Rows after which the block is full and must be flushed (-1: never). */
  readonly blockRows: number;
  readonly capacity: number;
  /** The columns when they are arrays of their own (empty when they are views of F and I). */
  readonly floats: readonly Float64Array[];
  readonly ints: readonly Int32Array[];
}

/** Largest shared buffer (bytes): below the size from which allocators take fresh memory. */
const SHARED_BYTES = 24 << 20;
const BLOCK_ROWS = 1024;
/** Not a power of two, so that the columns of a block do not compete for the same cache sets. */
const BLOCK_STRIDE = BLOCK_ROWS + 40;

/**
 * A column store for up to `capacity` rows of `floats` Float64 and `ints` Int32 columns. The
 * record loop must write every column of every row it counts, and the caller then call
 * `finishColumns` with the number of rows.
 */
export function columnStore(capacity: number, floats: number, ints: number): ColumnStore {
  if (capacity * floats * 8 <= SHARED_BYTES) {
    return {
      F: new Float64Array(columnMemory(capacity * floats * 8)),
      I: new Int32Array(columnMemory(capacity * ints * 4)),
      stride: capacity,
      blockRows: -1,
      capacity,
      floats: [],
      ints: [],
    };
  }
  return {
    F: new Float64Array(BLOCK_STRIDE * floats),
    I: new Int32Array(BLOCK_STRIDE * ints),
    stride: BLOCK_STRIDE,
    blockRows: BLOCK_ROWS,
    capacity,
    floats: Array.from({ length: floats }, () => new Float64Array(columnMemory(capacity * 8))),
    ints: Array.from({ length: ints }, () => new Int32Array(columnMemory(capacity * 4))),
  };
}

/** Copies the first `rows` rows of the block into the columns, from row `at` (separate columns only). */
export function flushColumns(store: ColumnStore, rows: number, at: number): void {
  const { F, I, stride, floats, ints } = store;
  for (let k = 0; k < floats.length; k++) floats[k]!.set(F.subarray(k * stride, k * stride + rows), at);
  for (let k = 0; k < ints.length; k++) ints[k]!.set(I.subarray(k * stride, k * stride + rows), at);
}

/**
 * After the record loop wrote `n` rows: copies the rows of the last, incomplete block into the
 * columns (separate columns), and zeroes every row from `n` to the capacity (memory that was not
 * zeroed when allocated holds whatever was there before, and a view's buffer reaches it).
 */
export function finishColumns(store: ColumnStore, n: number): void {
  const { F, I, stride, floats, ints, capacity, blockRows } = store;
  if (floats.length === 0) {
    for (let k = 0; k * stride < F.length; k++) F.fill(0, k * stride + n, (k + 1) * stride);
    for (let k = 0; k * stride < I.length; k++) I.fill(0, k * stride + n, (k + 1) * stride);
    return;
  }
  const last = n % blockRows;
  flushColumns(store, last, n - last);
  if (n < capacity) {
    for (const c of floats) c.fill(0, n);
    for (const c of ints) c.fill(0, n);
  }
}

/** The first `n` rows of Float64 column `k` (a view, no copy). */
export function floatColumn(store: ColumnStore, k: number, n: number): Float64Array {
  if (store.floats.length === 0) return store.F.subarray(k * store.stride, k * store.stride + n);
  const c = store.floats[k]!;
  return n === c.length ? c : c.subarray(0, n);
}

/** The first `n` rows of Int32 column `k` (a view, no copy). */
export function intColumn(store: ColumnStore, k: number, n: number): Int32Array {
  if (store.ints.length === 0) return store.I.subarray(k * store.stride, k * store.stride + n);
  const c = store.ints[k]!;
  return n === c.length ? c : c.subarray(0, n);
}
