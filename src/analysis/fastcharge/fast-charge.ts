import { floatColumn, type Frame } from '../../core/index.js';
import type { CycleSummaryRow } from '../cycles/cycle-summary.js';
import { halfCycle } from '../cycles/half-cycle.js';
import type { StepRecord } from '../cycles/steps.js';
import { median } from '../numeric/stats.js';
import { relaxationPlateau } from './relaxation.js';

/** Fast-charge metrics of one cycle. */
export interface FastChargeCycle {
  cycle: number;
  chargeCapacityAh: number;
  chargeDurationS: number;
  /** Capacity that defines 100 % SOC for this cycle (Ah). */
  referenceCapacityAh: number;
  /** Time from the start of the charge to 80 % SOC, and from 10 % to 80 % (s); NaN when not reached. */
  timeTo80PercentS: number;
  time10To80PercentS: number;
  /** Mean C-rate (1/h, relative to the reference capacity) from 10 to 80 % SOC and over the whole charge. */
  meanCRate10To80: number;
  meanCRate: number;
  maxCRate: number;
  /** Temperature at the start of the charge, its maximum during the charge, and the rise (degC). */
  startTemperatureDegC: number;
  maxTemperatureDegC: number;
  temperatureRiseDegC: number;
  /** Share of the charge passed at constant voltage. */
  cvShare: number;
  /** Voltage-relaxation plateau in the rest after the charge (plating indicator, see `relaxationPlateau`). */
  relaxationPlateau: boolean;
  /** Time of the plateau after the start of the rest (s); NaN when none. */
  plateauTimeS: number;
  /** Misfit of the rest against the no-plating baseline (V) and the threshold it had to reach (V); NaN without a rest. */
  plateauExcessV: number;
  plateauThresholdV: number;
  coulombicEfficiency: number;
  /** True when the coulombic efficiency falls below its running median by more than `ceDipMads` MADs. */
  ceDip: boolean;
}

/** Options of `fastCharge`. */
export interface FastChargeOptions {
  /** Capacity that defines 100 % SOC (Ah); default: the cycle's discharge capacity (else its charge). */
  referenceCapacityAh?: number;
  /** SOC at the start of each charge (0..1); default 0 (charge after a full discharge). */
  startSoc?: number;
  /** Threshold of a CE dip in robust standard deviations (1.4826 × MAD) of the 11-cycle window; default 3. */
  ceDipMads?: number;
}

function timeAtSoc(time: Float64Array, soc: Float64Array, target: number): number {
  for (let k = 0; k < soc.length; k++) {
    if (soc[k]! >= target) {
      if (k === 0) return time[0]!;
      const f = (target - soc[k - 1]!) / (soc[k]! - soc[k - 1]!);
      return time[k - 1]! + f * (time[k]! - time[k - 1]!);
    }
  }
  return NaN;
}

/**
 * Fast-charge metrics per cycle: time to 80 % and from 10 to 80 % SOC (SOC from the charge passed
 * over the reference capacity), mean and peak C-rate, temperature rise, CV share, and two
 * lithium-plating indicators: the voltage-relaxation plateau in the rest after the charge, and
 * dips in coulombic efficiency.
 * @example fastCharge(frame, steps, cycleOfRow, summary).filter((c) => c.relaxationPlateau)
 */
export function fastCharge(
  frame: Frame,
  steps: readonly StepRecord[],
  cycleOfRow: Int32Array,
  summary: readonly CycleSummaryRow[],
  options: FastChargeOptions = {},
): FastChargeCycle[] {
  const v = floatColumn(frame, 'voltage_V');
  const t = floatColumn(frame, 'test_time_s')!;
  const ce = summary.map((r) => r.coulombicEfficiency);
  const k = options.ceDipMads ?? 3;
  const out: FastChargeCycle[] = [];
  summary.forEach((row, idx) => {
    if (!(row.chargeCapacityAh > 0)) return;
    let c;
    try {
      c = halfCycle(frame, steps, cycleOfRow, row.cycle, 'charge');
    } catch {
      return;
    }
    const ref =
      options.referenceCapacityAh ??
      (row.dischargeCapacityAh > 0 ? row.dischargeCapacityAh : row.chargeCapacityAh);
    const soc = c.capacityAh.map((q) => (options.startSoc ?? 0) + q / ref);
    const t80 = timeAtSoc(c.timeS, soc, 0.8);
    const t10 = timeAtSoc(c.timeS, soc, 0.1);
    const start = c.timeS[0]!;
    const duration = c.timeS[c.timeS.length - 1]! - start;
    let maxI = 0;
    for (const i of c.currentA) maxI = Math.max(maxI, i);
    let tmax = -Infinity;
    for (const x of c.temperatureDegC) if (x > tmax) tmax = x;
    const t0 = c.temperatureDegC[0]!;
    // The rest right after the cycle's last charge step.
    const lastCharge = steps
      .filter(
        (s) =>
          cycleOfRow[s.startRow] === row.cycle &&
          (s.kind === 'cc_charge' || s.kind === 'cv_charge' || s.kind === 'charge'),
      )
      .pop();
    const next = lastCharge ? steps[lastCharge.number] : undefined;
    let plateau = { detected: false, plateauTimeS: NaN, excessV: NaN, thresholdV: NaN };
    if (v && next !== undefined && (next.kind === 'rest' || next.kind === 'ocv'))
      plateau = relaxationPlateau(
        t.subarray(next.startRow, next.endRow),
        v.subarray(next.startRow, next.endRow),
      );
    const win = ce.slice(Math.max(0, idx - 5), idx + 6).filter((x) => Number.isFinite(x));
    const med = median(win);
    const mad = 1.4826 * median(win.map((x) => Math.abs(x - med)));
    const q = c.capacityAh[c.capacityAh.length - 1]!;
    out.push({
      cycle: row.cycle,
      chargeCapacityAh: q,
      chargeDurationS: duration,
      referenceCapacityAh: ref,
      timeTo80PercentS: t80 - start,
      time10To80PercentS: t80 - t10,
      meanCRate10To80: 0.7 / ((t80 - t10) / 3600),
      meanCRate: duration > 0 ? q / ref / (duration / 3600) : NaN,
      maxCRate: maxI / ref,
      startTemperatureDegC: t0,
      maxTemperatureDegC: Number.isFinite(tmax) ? tmax : NaN,
      temperatureRiseDegC: Number.isFinite(tmax) ? tmax - t0 : NaN,
      cvShare: row.cvChargeShare,
      relaxationPlateau: plateau.detected,
      plateauTimeS: plateau.plateauTimeS,
      plateauExcessV: plateau.excessV,
      plateauThresholdV: plateau.thresholdV,
      coulombicEfficiency: row.coulombicEfficiency,
      ceDip:
        Number.isFinite(row.coulombicEfficiency) && row.coulombicEfficiency < med - k * Math.max(mad, 1e-4),
    });
  });
  return out;
}
