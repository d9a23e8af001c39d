import { floatColumn, intColumn, type Frame } from '../../core/index.js';

/** One row of the per-cycle table. Capacities in Ah, energies in Wh, voltages in V, times in s. */
export interface CycleSummaryRow {
  cycle: number;
  rows: number;
  startTimeS: number;
  durationS: number;
  chargeCapacityAh: number;
  dischargeCapacityAh: number;
  chargeEnergyWh: number;
  dischargeEnergyWh: number;
  /** Discharge over charge capacity (NaN when nothing was charged). */
  coulombicEfficiency: number;
  /** Discharge over charge energy (NaN when nothing was charged). */
  energyEfficiency: number;
  minVoltageV: number;
  maxVoltageV: number;
  meanTemperatureDegC: number;
}

export interface CycleSummaryOptions {
  /** Cycle counter channel; default `cycle_index`. */
  cycleChannel?: string;
}

/**
 * Per-cycle summary from the instrument's cycle numbering: the capacity and energy of a cycle is
 * the sum over its steps of the per-step maxima (`step_*` channels, derived at ingest), so counters
 * that reset per step, per cycle or never all give the same answer.
 * @example cycleSummary(frame)[0].dischargeCapacityAh
 */
export function cycleSummary(frame: Frame, options: CycleSummaryOptions = {}): CycleSummaryRow[] {
  const n = frame.length;
  const cycle = intColumn(frame, options.cycleChannel ?? 'cycle_index');
  const step = intColumn(frame, 'step_count');
  const time = floatColumn(frame, 'test_time_s');
  const v = floatColumn(frame, 'voltage_V');
  const temp = floatColumn(frame, 'temperature_degC');
  const q = [
    floatColumn(frame, 'step_charge_capacity_Ah'),
    floatColumn(frame, 'step_discharge_capacity_Ah'),
    floatColumn(frame, 'step_charge_energy_Wh'),
    floatColumn(frame, 'step_discharge_energy_Wh'),
  ];
  const rows: CycleSummaryRow[] = [];
  if (n === 0) return rows;
  let cur: CycleSummaryRow | undefined;
  let stepMax = [0, 0, 0, 0];
  let tempSum = 0;
  let tempN = 0;
  const closeStep = (): void => {
    if (cur === undefined) return;
    cur.chargeCapacityAh += stepMax[0]!;
    cur.dischargeCapacityAh += stepMax[1]!;
    cur.chargeEnergyWh += stepMax[2]!;
    cur.dischargeEnergyWh += stepMax[3]!;
    stepMax = [0, 0, 0, 0];
  };
  const closeCycle = (end: number): void => {
    if (cur === undefined) return;
    closeStep();
    cur.durationS = time ? time[end]! - cur.startTimeS : NaN;
    cur.coulombicEfficiency = cur.chargeCapacityAh > 0 ? cur.dischargeCapacityAh / cur.chargeCapacityAh : NaN;
    cur.energyEfficiency = cur.chargeEnergyWh > 0 ? cur.dischargeEnergyWh / cur.chargeEnergyWh : NaN;
    cur.meanTemperatureDegC = tempN > 0 ? tempSum / tempN : NaN;
    rows.push(cur);
  };
  for (let i = 0; i < n; i++) {
    const c = cycle ? cycle[i]! : 0;
    if (cur === undefined || c !== cur.cycle) {
      if (cur !== undefined) closeCycle(i - 1);
      cur = {
        cycle: c,
        rows: 0,
        startTimeS: time ? time[i]! : NaN,
        durationS: NaN,
        chargeCapacityAh: 0,
        dischargeCapacityAh: 0,
        chargeEnergyWh: 0,
        dischargeEnergyWh: 0,
        coulombicEfficiency: NaN,
        energyEfficiency: NaN,
        minVoltageV: Infinity,
        maxVoltageV: -Infinity,
        meanTemperatureDegC: NaN,
      };
      tempSum = 0;
      tempN = 0;
    } else if (step && step[i] !== step[i - 1]) closeStep();
    cur.rows++;
    for (let k = 0; k < 4; k++) {
      const x = q[k]?.[i];
      if (x !== undefined && x > stepMax[k]!) stepMax[k] = x;
    }
    if (v) {
      const x = v[i]!;
      if (x < cur.minVoltageV) cur.minVoltageV = x;
      if (x > cur.maxVoltageV) cur.maxVoltageV = x;
    }
    if (temp && Number.isFinite(temp[i]!)) {
      tempSum += temp[i]!;
      tempN++;
    }
  }
  closeCycle(n - 1);
  for (const r of rows) {
    if (!Number.isFinite(r.minVoltageV)) r.minVoltageV = NaN;
    if (!Number.isFinite(r.maxVoltageV)) r.maxVoltageV = NaN;
  }
  return rows;
}
