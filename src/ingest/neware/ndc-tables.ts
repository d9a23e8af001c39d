import { DiscernError, type DataWarning } from '../../core/index.js';
import { ndcRowBytes, ndcRows, NDC_AUX, NDC_DATA, NDC_RUNINFO, NDC_STEP, type NdcFile } from './ndc.js';
import { allocColumns, civilSeconds, filledFloat64, fit, type RecordColumns } from './records.js';
import { rangeResolutionA } from './status.js';

/**
 * The row layouts of the `.ndc` files (offsets from the row start, little-endian):
 *
 * data (type 1), v14 / v17: f32 voltage V, f32 current A; v16: f32 voltage 0.1 mV, f32 current mA.
 * runInfo (type 18), v14 (55 bytes) / v16, v17 (100 bytes): 0 u32 step time ms |
 *   5/9/13/17 f32 charge capacity, discharge capacity, charge energy, discharge energy (Ah and Wh
 *   in v14 and v17; mAs and mWs in v16) | 29 i32 record interval ms | 33 u32 Unix time s |
 *   37 u32 step counter | 41 u32 record index | 45 u16 milliseconds of the Unix time.
 * step (type 7), v14 (37 bytes) / v16, v17 (100 bytes): 0 u32 cycle (0-based) | 4 u32 step index |
 *   24 u8 status. One row per executed step, in order.
 * auxiliary (type 5), v14 / v17: f32 value (unit from the channel type in TestInfo.xml); v16:
 *   u8 0x65, f32 voltage 0.1 mV, i16 temperature 0.1 degC.
 * v2 data and auxiliary (94 bytes): 8 u32 record index | 12 u32 cycle (0-based) | 16 u8 step index |
 *   17 u8 status | 23 u64 step time ms | 31 i32 voltage 0.1 mV | 35 i32 current counts |
 *   43/51/59/67 i64 capacities and energies (counts*s) | 75 u16 year, u8 month, day, hour, minute,
 *   second (naive local) | 82 i32 current range code. Auxiliary rows: 31 i32 voltage 0.1 mV |
 *   41 i16 temperature 0.1 degC | 43 i16 second temperature (set point) 0.1 degC.
 */

/** 2^32: the weight of the high half of a 64-bit integer. */
const TWO32 = 4294967296;

/** Voltage and current by slot (= record index) from a data file of version 14, 16 or 17. */
export interface NdcData {
  readonly index: Float64Array;
  readonly voltageV: Float64Array;
  readonly currentA: Float64Array;
}

/**
 * Reads a data table (type 1) of ndc 14, 16 or 17: voltage (V) and current (A, positive on charge).
 * @throws DISCERN_CORRUPT (a file of another type), DISCERN_UNSUPPORTED_VERSION, DISCERN_PARSE_TRUNCATED
 */
export function readNdcData(f: NdcFile, warnings: DataWarning[]): NdcData {
  expectType(f, NDC_DATA);
  const rows = ndcRows(f, ndcRowBytes(f), warnings);
  const n = rows.length;
  const offset = rows.offset;
  // Every row is written below.
  const voltageV = filledFloat64(n);
  const currentA = filledFloat64(n);
  const v = f.view;
  const vScale = f.version === 16 ? 1e-4 : 1;
  const iScale = f.version === 16 ? 1e-3 : 1;
  for (let r = 0; r < n; r++) {
    const at = offset[r]!;
    voltageV[r] = v.getFloat32(at, true) * vScale;
    currentA[r] = v.getFloat32(at + 4, true) * iScale;
  }
  return { index: fit(rows.slot, n), voltageV, currentA };
}

/** One runInfo row per stored record: time, capacities and energies, the record interval. */
export interface NdcRunInfo {
  readonly length: number;
  readonly index: Float64Array;
  readonly stepTimeS: Float64Array;
  readonly chargeAh: Float64Array;
  readonly dischargeAh: Float64Array;
  readonly chargeWh: Float64Array;
  readonly dischargeWh: Float64Array;
  readonly intervalS: Float64Array;
  readonly unixS: Float64Array;
  readonly stepCounter: Int32Array;
}

/**
 * Reads a runInfo table (type 18): times (s), capacities (Ah), energies (Wh), record interval (s).
 * @throws DISCERN_CORRUPT (a file of another type), DISCERN_UNSUPPORTED_VERSION, DISCERN_PARSE_TRUNCATED
 */
export function readNdcRunInfo(f: NdcFile, warnings: DataWarning[]): NdcRunInfo {
  expectType(f, NDC_RUNINFO);
  const rows = ndcRows(f, ndcRowBytes(f), warnings);
  const n = rows.length;
  const offset = rows.offset;
  const index = new Float64Array(n);
  const stepTimeS = new Float64Array(n);
  const chargeAh = new Float64Array(n);
  const dischargeAh = new Float64Array(n);
  const chargeWh = new Float64Array(n);
  const dischargeWh = new Float64Array(n);
  const intervalS = new Float64Array(n);
  const unixS = new Float64Array(n);
  const stepCounter = new Int32Array(n);
  const v = f.view;
  const scale = f.version === 16 ? 1 / 3.6e6 : 1;
  for (let r = 0; r < n; r++) {
    const at = offset[r]!;
    stepTimeS[r] = v.getUint32(at, true) / 1000;
    chargeAh[r] = Math.abs(v.getFloat32(at + 5, true) * scale);
    dischargeAh[r] = Math.abs(v.getFloat32(at + 9, true) * scale);
    chargeWh[r] = Math.abs(v.getFloat32(at + 13, true) * scale);
    dischargeWh[r] = Math.abs(v.getFloat32(at + 17, true) * scale);
    intervalS[r] = v.getInt32(at + 29, true) / 1000;
    unixS[r] = v.getUint32(at + 33, true) + v.getUint16(at + 45, true) / 1000;
    stepCounter[r] = v.getUint32(at + 37, true);
    index[r] = v.getUint32(at + 41, true);
  }
  return {
    length: n,
    index,
    stepTimeS,
    chargeAh,
    dischargeAh,
    chargeWh,
    dischargeWh,
    intervalS,
    unixS,
    stepCounter,
  };
}

/** One row per executed step, in order: Neware's cycle (1-based), step index and status. */
export interface NdcSteps {
  readonly length: number;
  readonly cycle: Int32Array;
  readonly stepIndex: Int32Array;
  readonly status: Int32Array;
}

/**
 * Reads a step table (type 7): one row per executed step.
 * @throws DISCERN_CORRUPT (a file of another type), DISCERN_UNSUPPORTED_VERSION, DISCERN_PARSE_TRUNCATED
 */
export function readNdcSteps(f: NdcFile, warnings: DataWarning[]): NdcSteps {
  expectType(f, NDC_STEP);
  const rows = ndcRows(f, ndcRowBytes(f), warnings);
  const n = rows.length;
  const offset = rows.offset;
  const cycle = new Int32Array(n);
  const stepIndex = new Int32Array(n);
  const status = new Int32Array(n);
  const { view: v, bytes } = f;
  for (let r = 0; r < n; r++) {
    const at = offset[r]!;
    cycle[r] = v.getUint32(at, true) + 1;
    stepIndex[r] = v.getUint32(at + 4, true);
    status[r] = bytes[at + 24]!;
  }
  return { length: n, cycle, stepIndex, status };
}

/** An auxiliary file by slot: one value (v14, v17) or voltage and temperatures (v2, v16). */
export interface NdcAux {
  readonly index: Float64Array;
  /** v14 / v17: the value in the unit its channel type implies. */
  readonly value?: Float64Array;
  /** v2 / v16: voltage (V) and temperature (degC). */
  readonly voltageV?: Float64Array;
  readonly temperatureDegC?: Float64Array;
  /** v2: the second temperature of the row (BTSDA's `t`, the set point). */
  readonly setpointDegC?: Float64Array;
}

/**
 * Reads an auxiliary channel table (type 5), by slot (ndc 14-17) or record index (ndc 2).
 * @throws DISCERN_CORRUPT (a file of another type), DISCERN_UNSUPPORTED_VERSION, DISCERN_PARSE_TRUNCATED
 */
export function readNdcAux(f: NdcFile, warnings: DataWarning[]): NdcAux {
  expectType(f, NDC_AUX);
  const rows = ndcRows(f, ndcRowBytes(f), warnings);
  const n = rows.length;
  const offset = rows.offset;
  const v = f.view;
  if (f.version === 14 || f.version === 17) {
    const value = new Float64Array(n);
    for (let r = 0; r < n; r++) value[r] = v.getFloat32(offset[r]!, true);
    return { index: fit(rows.slot, n), value };
  }
  const voltageV = new Float64Array(n);
  const temperatureDegC = new Float64Array(n);
  if (f.version === 16) {
    for (let r = 0; r < n; r++) {
      const at = offset[r]!;
      voltageV[r] = v.getFloat32(at + 1, true) * 1e-4;
      temperatureDegC[r] = v.getInt16(at + 5, true) * 0.1;
    }
    return { index: fit(rows.slot, n), voltageV, temperatureDegC };
  }
  const index = new Float64Array(n);
  const setpointDegC = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const at = offset[r]!;
    index[r] = v.getUint32(at + 8, true);
    voltageV[r] = v.getInt32(at + 31, true) * 1e-4;
    temperatureDegC[r] = v.getInt16(at + 41, true) * 0.1;
    setpointDegC[r] = v.getInt16(at + 43, true) * 0.1;
  }
  return { index, voltageV, temperatureDegC, setpointDegC };
}

/** Complete records from a version-2 data file (no runInfo or step files in that version). */
export function readNdcV2Data(
  f: NdcFile,
  warnings: DataWarning[],
): { columns: RecordColumns; length: number } {
  expectType(f, NDC_DATA);
  const rows = ndcRows(f, ndcRowBytes(f), warnings);
  const n = rows.length;
  const offset = rows.offset;
  const c = allocColumns(n);
  const { recordIndex, cycle, stepIndex, status, stepTimeS, voltageV, currentA, timeS } = c;
  const { chargeAh, dischargeAh, chargeWh, dischargeWh } = c;
  const { view: v, bytes: b } = f;
  let lastRange = NaN;
  let res = 0;
  for (let r = 0; r < n; r++) {
    const at = offset[r]!;
    const range = v.getInt32(at + 82, true);
    if (range !== lastRange) {
      res = rangeResolutionA(range, f.name, at + 82);
      lastRange = range;
    }
    recordIndex[r] = v.getUint32(at + 8, true);
    cycle[r] = v.getUint32(at + 12, true) + 1;
    stepIndex[r] = b[at + 16]!;
    status[r] = b[at + 17]!;
    stepTimeS[r] = (v.getUint32(at + 23, true) + v.getUint32(at + 27, true) * TWO32) / 1000;
    voltageV[r] = v.getInt32(at + 31, true) * 1e-4;
    currentA[r] = v.getInt32(at + 35, true) * res;
    const k = res / 3600;
    chargeAh[r] = Math.abs((v.getUint32(at + 43, true) + v.getInt32(at + 47, true) * TWO32) * k);
    dischargeAh[r] = Math.abs((v.getUint32(at + 51, true) + v.getInt32(at + 55, true) * TWO32) * k);
    chargeWh[r] = Math.abs((v.getUint32(at + 59, true) + v.getInt32(at + 63, true) * TWO32) * k);
    dischargeWh[r] = Math.abs((v.getUint32(at + 67, true) + v.getInt32(at + 71, true) * TWO32) * k);
    timeS[r] = civilSeconds(
      v.getUint16(at + 75, true),
      b[at + 77]!,
      b[at + 78]!,
      b[at + 79]!,
      b[at + 80]!,
      b[at + 81]!,
    );
  }
  return { columns: c, length: n };
}

function expectType(f: NdcFile, type: number): void {
  if (f.fileType !== type) {
    throw new DiscernError('DISCERN_CORRUPT', `ndc file of type ${f.fileType} where type ${type} belongs`, {
      file: f.name,
      offset: 0,
    });
  }
}
