import { DiscernError, type DataWarning } from '../../core/index.js';
import {
  forEachNdcRow,
  ndcCapacity,
  ndcRowBytes,
  NDC_AUX,
  NDC_DATA,
  NDC_RUNINFO,
  NDC_STEP,
  type NdcFile,
} from './ndc.js';
import { allocColumns, civilSeconds, fit, i64, trimColumns, u64, type RecordColumns } from './records.js';
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
  const rowBytes = ndcRowBytes(f);
  const cap = ndcCapacity(f, rowBytes);
  const index = new Float64Array(cap);
  const voltageV = new Float64Array(cap);
  const currentA = new Float64Array(cap);
  const v = f.view;
  const vScale = f.version === 16 ? 1e-4 : 1;
  const iScale = f.version === 16 ? 1e-3 : 1;
  let n = 0;
  forEachNdcRow(f, rowBytes, warnings, (at, slot) => {
    index[n] = slot;
    voltageV[n] = v.getFloat32(at, true) * vScale;
    currentA[n] = v.getFloat32(at + 4, true) * iScale;
    n++;
  });
  return { index: fit(index, n), voltageV: fit(voltageV, n), currentA: fit(currentA, n) };
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
  const rowBytes = ndcRowBytes(f);
  const cap = ndcCapacity(f, rowBytes);
  const c = {
    index: new Float64Array(cap),
    stepTimeS: new Float64Array(cap),
    chargeAh: new Float64Array(cap),
    dischargeAh: new Float64Array(cap),
    chargeWh: new Float64Array(cap),
    dischargeWh: new Float64Array(cap),
    intervalS: new Float64Array(cap),
    unixS: new Float64Array(cap),
    stepCounter: new Int32Array(cap),
  };
  const v = f.view;
  const scale = f.version === 16 ? 1 / 3.6e6 : 1;
  let n = 0;
  forEachNdcRow(f, rowBytes, warnings, (at) => {
    c.stepTimeS[n] = v.getUint32(at, true) / 1000;
    c.chargeAh[n] = Math.abs(v.getFloat32(at + 5, true) * scale);
    c.dischargeAh[n] = Math.abs(v.getFloat32(at + 9, true) * scale);
    c.chargeWh[n] = Math.abs(v.getFloat32(at + 13, true) * scale);
    c.dischargeWh[n] = Math.abs(v.getFloat32(at + 17, true) * scale);
    c.intervalS[n] = v.getInt32(at + 29, true) / 1000;
    c.unixS[n] = v.getUint32(at + 33, true) + v.getUint16(at + 45, true) / 1000;
    c.stepCounter[n] = v.getUint32(at + 37, true);
    c.index[n] = v.getUint32(at + 41, true);
    n++;
  });
  return {
    length: n,
    index: fit(c.index, n),
    stepTimeS: fit(c.stepTimeS, n),
    chargeAh: fit(c.chargeAh, n),
    dischargeAh: fit(c.dischargeAh, n),
    chargeWh: fit(c.chargeWh, n),
    dischargeWh: fit(c.dischargeWh, n),
    intervalS: fit(c.intervalS, n),
    unixS: fit(c.unixS, n),
    stepCounter: fit(c.stepCounter, n),
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
  const rowBytes = ndcRowBytes(f);
  const cap = ndcCapacity(f, rowBytes);
  const cycle = new Int32Array(cap);
  const stepIndex = new Int32Array(cap);
  const status = new Int32Array(cap);
  const v = f.view;
  let n = 0;
  forEachNdcRow(f, rowBytes, warnings, (at) => {
    cycle[n] = v.getUint32(at, true) + 1;
    stepIndex[n] = v.getUint32(at + 4, true);
    status[n] = f.bytes[at + 24]!;
    n++;
  });
  return {
    length: n,
    cycle: fit(cycle, n),
    stepIndex: fit(stepIndex, n),
    status: fit(status, n),
  };
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
  const rowBytes = ndcRowBytes(f);
  const cap = ndcCapacity(f, rowBytes);
  const index = new Float64Array(cap);
  const v = f.view;
  let n = 0;
  if (f.version === 14 || f.version === 17) {
    const value = new Float64Array(cap);
    forEachNdcRow(f, rowBytes, warnings, (at, slot) => {
      index[n] = slot;
      value[n++] = v.getFloat32(at, true);
    });
    return { index: fit(index, n), value: fit(value, n) };
  }
  const voltageV = new Float64Array(cap);
  const temperatureDegC = new Float64Array(cap);
  if (f.version === 16) {
    forEachNdcRow(f, rowBytes, warnings, (at, slot) => {
      index[n] = slot;
      voltageV[n] = v.getFloat32(at + 1, true) * 1e-4;
      temperatureDegC[n++] = v.getInt16(at + 5, true) * 0.1;
    });
    return {
      index: fit(index, n),
      voltageV: fit(voltageV, n),
      temperatureDegC: fit(temperatureDegC, n),
    };
  }
  const setpointDegC = new Float64Array(cap);
  forEachNdcRow(f, rowBytes, warnings, (at) => {
    index[n] = v.getUint32(at + 8, true);
    voltageV[n] = v.getInt32(at + 31, true) * 1e-4;
    temperatureDegC[n] = v.getInt16(at + 41, true) * 0.1;
    setpointDegC[n++] = v.getInt16(at + 43, true) * 0.1;
  });
  return {
    index: fit(index, n),
    voltageV: fit(voltageV, n),
    temperatureDegC: fit(temperatureDegC, n),
    setpointDegC: fit(setpointDegC, n),
  };
}

/** Complete records from a version-2 data file (no runInfo or step files in that version). */
export function readNdcV2Data(
  f: NdcFile,
  warnings: DataWarning[],
): { columns: RecordColumns; length: number } {
  expectType(f, NDC_DATA);
  const rowBytes = ndcRowBytes(f);
  const c = allocColumns(ndcCapacity(f, rowBytes));
  const { view: v, bytes: b } = f;
  let lastRange = NaN;
  let res = 0;
  let n = 0;
  forEachNdcRow(f, rowBytes, warnings, (at) => {
    const range = v.getInt32(at + 82, true);
    if (range !== lastRange) {
      res = rangeResolutionA(range, f.name, at + 82);
      lastRange = range;
    }
    c.recordIndex[n] = v.getUint32(at + 8, true);
    c.cycle[n] = v.getUint32(at + 12, true) + 1;
    c.stepIndex[n] = b[at + 16]!;
    c.status[n] = b[at + 17]!;
    c.stepTimeS[n] = u64(v, at + 23) / 1000;
    c.voltageV[n] = v.getInt32(at + 31, true) * 1e-4;
    c.currentA[n] = v.getInt32(at + 35, true) * res;
    const k = res / 3600;
    c.chargeAh[n] = Math.abs(i64(v, at + 43) * k);
    c.dischargeAh[n] = Math.abs(i64(v, at + 51) * k);
    c.chargeWh[n] = Math.abs(i64(v, at + 59) * k);
    c.dischargeWh[n] = Math.abs(i64(v, at + 67) * k);
    c.timeS[n] = civilSeconds(
      v.getUint16(at + 75, true),
      b[at + 77]!,
      b[at + 78]!,
      b[at + 79]!,
      b[at + 80]!,
      b[at + 81]!,
    );
    n++;
  });
  return { columns: trimColumns(c, n), length: n };
}

function expectType(f: NdcFile, type: number): void {
  if (f.fileType !== type) {
    throw new DiscernError('DISCERN_CORRUPT', `ndc file of type ${f.fileType} where type ${type} belongs`, {
      file: f.name,
      offset: 0,
    });
  }
}
