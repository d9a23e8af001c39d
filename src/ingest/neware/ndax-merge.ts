import type { DataWarning } from '../../core/index.js';
import { CHARGE_FIRST_FLAGS } from './cycles.js';
import type { NdcData, NdcRunInfo, NdcSteps } from './ndc-tables.js';
import { filledFloat64, filledInt32, type NewareRecords } from './records.js';
import { addStatusLevel } from './status.js';

/**
 * Joins the three tables of a `.ndax` (version 14 and later) into records: voltage and current
 * for every record (data.ndc), time, capacity and energy for the records the instrument stored
 * in data_runInfo.ndc, and cycle, step index and status per executed step (data_step.ndc, matched
 * by the runInfo step counter: the k-th step seen is the k-th step row).
 *
 * BTS 8 does not store a runInfo row for every record (often one in twenty or more). As BTSDA does
 * (and fastnda, checked against BTSDA exports), a record without one continues the last stored row:
 * its times advance by the stored record interval per record, and its capacity and energy by
 * interval x current (x voltage), charge or discharge by the sign of the current.
 *
 * The loop also derives what `newareFrame` would derive in a second pass (step count, test time,
 * the charge-first cycle count, step type codes), the way `deriveSteps` does for a layout with a
 * step time and a step counter: the data records are in slot order, so always in order of their
 * record index.
 */
export function mergeNdax(
  data: NdcData,
  run: NdcRunInfo,
  steps: NdcSteps,
  warnings: DataWarning[],
): Omit<NewareRecords, 'aux'> {
  const n = data.index.length;
  // Every row of every column is written below.
  const stepTimeS = filledFloat64(n);
  const timeS = filledFloat64(n);
  const chargeAh = filledFloat64(n);
  const dischargeAh = filledFloat64(n);
  const chargeWh = filledFloat64(n);
  const dischargeWh = filledFloat64(n);
  const stepNo = filledInt32(n);
  const cycle = filledInt32(n);
  const stepIndex = filledInt32(n);
  const status = filledInt32(n);
  const testTime = filledFloat64(n);
  const stepCount = filledInt32(n);
  const chargeFirst = filledInt32(n);
  const codes = filledInt32(n);
  const flags = CHARGE_FIRST_FLAGS;
  const levelOfByte = new Int32Array(256).fill(-1);
  const levels: string[] = [];
  const unknown: number[] = [];
  const row = runInfoRows(data.index, run);
  // The tables' columns as locals: one tight loop without property look-ups.
  const runStepTime = run.stepTimeS;
  const runUnix = run.unixS;
  const runChargeAh = run.chargeAh;
  const runDischargeAh = run.dischargeAh;
  const runChargeWh = run.chargeWh;
  const runDischargeWh = run.dischargeWh;
  const runInterval = run.intervalS;
  const runCounter = run.stepCounter;
  const stepCycle = steps.cycle;
  const stepStepIndex = steps.stepIndex;
  const stepStatus = steps.status;
  const stepRows = steps.length;
  const voltageV = data.voltageV;
  const currentA = data.currentA;

  let last = -1;
  let stepK = 0;
  let lastCounter = NaN;
  let elapsed = 0;
  let dq = 0;
  let de = 0;
  let filled = 0;
  let before = 0;
  let noStep = 0;
  // Derivation state (see deriveSteps in frame.ts).
  let stepNumber = 0;
  let base = 0;
  let previousStepTime = 0;
  let chargeCycle = 1;
  let discharged = false;
  let previousOpening = false;
  let lastStatus = -1;
  let lastLevel = -1;
  let lastStep = 0;
  let lastCycle = 0;
  let lastK = 0;
  for (let i = 0; i < n; i++) {
    const j = row[i]!;
    if (j >= 0) {
      last = j;
      elapsed = 0;
      dq = 0;
      de = 0;
      if (runCounter[j] !== lastCounter) {
        stepK++;
        lastCounter = runCounter[j]!;
      }
      timeS[i] = runUnix[j]!;
      chargeAh[i] = runChargeAh[j]!;
      dischargeAh[i] = runDischargeAh[j]!;
      chargeWh[i] = runChargeWh[j]!;
      dischargeWh[i] = runDischargeWh[j]!;
    } else if (last >= 0) {
      const dt = runInterval[last]!;
      const current = currentA[i]!;
      elapsed += dt;
      dq += (dt * current) / 3600;
      de += (dt * current * voltageV[i]!) / 3600;
      timeS[i] = runUnix[last]! + elapsed;
      chargeAh[i] = runChargeAh[last]! + Math.max(dq, 0);
      dischargeAh[i] = runDischargeAh[last]! - Math.min(dq, 0);
      chargeWh[i] = runChargeWh[last]! + Math.max(de, 0);
      dischargeWh[i] = runDischargeWh[last]! - Math.min(de, 0);
      filled++;
    } else {
      timeS[i] = NaN;
      chargeAh[i] = NaN;
      dischargeAh[i] = NaN;
      chargeWh[i] = NaN;
      dischargeWh[i] = NaN;
      before++;
    }
    let stepTime: number;
    if (j >= 0) {
      stepTime = runStepTime[j]!;
    } else if (last >= 0) {
      stepTime = runStepTime[last]! + elapsed;
    } else stepTime = NaN;
    stepTimeS[i] = stepTime;
    const k = stepK > 1 ? stepK : 1;
    stepNo[i] = k;
    let c: number;
    let si: number;
    let s: number;
    if (k <= stepRows) {
      c = stepCycle[k - 1]!;
      si = stepStepIndex[k - 1]!;
      s = stepStatus[k - 1]!;
    } else {
      c = -1;
      si = -1;
      s = 0;
      noStep++;
    }
    cycle[i] = c;
    stepIndex[i] = si;
    status[i] = s;
    // A new step when the step index, the cycle or the step number changes.
    const newStep = i === 0 || si !== lastStep || c !== lastCycle || k !== lastK;
    if (newStep) stepNumber++;
    stepCount[i] = stepNumber;
    lastStep = si;
    lastCycle = c;
    lastK = k;
    // Test time: the step times added up, each step starting where the last one ended (a step
    // without a time, before the first runInfo row, adds nothing).
    if (i > 0 && newStep && Number.isFinite(previousStepTime)) base += previousStepTime;
    testTime[i] = i === 0 ? stepTime : base + stepTime;
    previousStepTime = stepTime;
    // Status codes are bytes (data_step.ndc) or 0.
    const f = flags[s]!;
    const opening = f === 1;
    if (i > 0 && opening && !previousOpening && discharged) {
      chargeCycle++;
      discharged = false;
    } else if (f === 2) discharged = true;
    previousOpening = opening;
    chargeFirst[i] = chargeCycle;
    if (s !== lastStatus) {
      const level = levelOfByte[s]!;
      lastLevel = level >= 0 ? level : addStatusLevel(s, levelOfByte, levels, unknown);
      lastStatus = s;
    }
    codes[i] = lastLevel;
  }
  if (filled > 0) {
    warnings.push({
      code: 'DISCERN_NOTE',
      message: `${filled} of ${n} records have no runInfo row (BTS 8 stores one only every few records); their step time, timestamp, capacity and energy continue the last stored row by its record interval and the current, as BTSDA does`,
      count: filled,
    });
  }
  if (before > 0) {
    warnings.push({
      code: 'DISCERN_CORRUPT_PART',
      message: `${before} record(s) before the first runInfo row have no time, capacity or energy (NaN)`,
      count: before,
    });
  }
  if (noStep > 0) {
    warnings.push({
      code: 'DISCERN_CORRUPT_PART',
      message: `data_step.ndc lists ${steps.length} steps but the runInfo counts more; ${noStep} record(s) have no cycle, step index or status (-1)`,
      count: noStep,
    });
  }
  return {
    length: n,
    recordIndex: data.index,
    cycle: cycle,
    stepIndex: stepIndex,
    status: status,
    stepTimeS,
    voltageV: data.voltageV,
    currentA: data.currentA,
    chargeAh: chargeAh,
    dischargeAh: dischargeAh,
    chargeWh: chargeWh,
    dischargeWh: dischargeWh,
    timeS: timeS,
    clock: 'utc',
    stepCounter: stepNo,
    derived: {
      stepCount: stepCount,
      stepTime: stepTimeS,
      testTime: testTime,
      chargeFirst: chargeFirst,
      codes: codes,
      levels,
      unknown,
      // Only the records before the first runInfo row have no time.
      nonFiniteTimes: before,
    },
  };
}

/** For each data record, the runInfo row with its record index (first one wins), or -1. */
function runInfoRows(index: Float64Array, run: NdcRunInfo): Int32Array {
  const out = new Int32Array(index.length).fill(-1);
  const runIndex = run.index;
  const m = run.length;
  let increasing = true;
  for (let j = 1; j < m && increasing; j++) if (!(runIndex[j]! > runIndex[j - 1]!)) increasing = false;
  if (increasing) {
    let j = 0;
    for (let i = 0; i < index.length; i++) {
      const want = index[i]!;
      while (j < m && runIndex[j]! < want) j++;
      if (j < m && runIndex[j] === want) out[i] = j;
    }
    return out;
  }
  const at = new Map<number, number>();
  for (let j = 0; j < run.length; j++) if (!at.has(run.index[j]!)) at.set(run.index[j]!, j);
  for (let i = 0; i < index.length; i++) out[i] = at.get(index[i]!) ?? -1;
  return out;
}
