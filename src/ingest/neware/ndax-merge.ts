import type { DataWarning } from '../../core/index.js';
import type { NdcData, NdcRunInfo, NdcSteps } from './ndc-tables.js';
import type { NewareRecords } from './records.js';

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
 */
export function mergeNdax(
  data: NdcData,
  run: NdcRunInfo,
  steps: NdcSteps,
  warnings: DataWarning[],
): Omit<NewareRecords, 'aux'> {
  const n = data.index.length;
  const stepTimeS = new Float64Array(n);
  const timeS = new Float64Array(n);
  const chargeAh = new Float64Array(n);
  const dischargeAh = new Float64Array(n);
  const chargeWh = new Float64Array(n);
  const dischargeWh = new Float64Array(n);
  const stepNo = new Int32Array(n);
  const cycle = new Int32Array(n);
  const stepIndex = new Int32Array(n);
  const status = new Int32Array(n);
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
      stepTimeS[i] = runStepTime[j]!;
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
      stepTimeS[i] = runStepTime[last]! + elapsed;
      timeS[i] = runUnix[last]! + elapsed;
      chargeAh[i] = runChargeAh[last]! + Math.max(dq, 0);
      dischargeAh[i] = runDischargeAh[last]! - Math.min(dq, 0);
      chargeWh[i] = runChargeWh[last]! + Math.max(de, 0);
      dischargeWh[i] = runDischargeWh[last]! - Math.min(de, 0);
      filled++;
    } else {
      stepTimeS[i] = NaN;
      timeS[i] = NaN;
      chargeAh[i] = NaN;
      dischargeAh[i] = NaN;
      chargeWh[i] = NaN;
      dischargeWh[i] = NaN;
      before++;
    }
    const k = stepK > 1 ? stepK : 1;
    stepNo[i] = k;
    if (k <= stepRows) {
      cycle[i] = stepCycle[k - 1]!;
      stepIndex[i] = stepStepIndex[k - 1]!;
      status[i] = stepStatus[k - 1]!;
    } else {
      cycle[i] = -1;
      stepIndex[i] = -1;
      status[i] = 0;
      noStep++;
    }
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
    cycle,
    stepIndex,
    status,
    stepTimeS,
    voltageV: data.voltageV,
    currentA: data.currentA,
    chargeAh,
    dischargeAh,
    chargeWh,
    dischargeWh,
    timeS,
    clock: 'utc',
    stepCounter: stepNo,
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
