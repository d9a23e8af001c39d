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
