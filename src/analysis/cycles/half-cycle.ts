import { DiscernError, floatColumn, type Frame } from '../../core/index.js';
import type { StepKind, StepRecord } from './steps.js';

/** The samples of one cycle's charge or discharge, in time order. */
export interface HalfCycleCurve {
  cycle: number;
  direction: 'charge' | 'discharge';
  /** Frame rows of the samples. */
  rows: Int32Array;
  timeS: Float64Array;
  voltageV: Float64Array;
  currentA: Float64Array;
  /** Capacity passed since the start of the half cycle (Ah, non-negative, increasing). */
  capacityAh: Float64Array;
  /** Energy passed since the start of the half cycle (Wh, non-negative). */
  energyWh: Float64Array;
  temperatureDegC: Float64Array;
}

/** Options of `halfCycle`. */
export interface HalfCycleOptions {
  /** Keep only constant-current steps (drop CV tails, pulses); default false (all charge or discharge steps except pulses). */
  constantCurrentOnly?: boolean;
}

const KINDS: Record<'charge' | 'discharge', readonly StepKind[]> = {
  charge: ['cc_charge', 'cv_charge', 'charge'],
  discharge: ['cc_discharge', 'cv_discharge', 'discharge'],
};

/**
 * Extracts the charge or discharge of one cycle from the detected steps (rests, pulses and the
 * other direction left out). Capacity and energy count from the first sample of the half cycle,
 * from the frame's cumulative series (or by integrating current when there is none).
 * @throws DISCERN_NOT_FOUND when the cycle has no such steps
 * @example halfCycle(frame, steps, cycleNumbers(frame, steps), 100, 'discharge').capacityAh
 */
export function halfCycle(
  frame: Frame,
  steps: readonly StepRecord[],
  cycleOfRow: Int32Array,
  cycle: number,
  direction: 'charge' | 'discharge',
  options: HalfCycleOptions = {},
): HalfCycleCurve {
  const kinds = options.constantCurrentOnly ? [`cc_${direction}` as StepKind] : KINDS[direction];
  const chosen = steps.filter((s) => cycleOfRow[s.startRow] === cycle && kinds.includes(s.kind));
  if (chosen.length === 0)
    throw new DiscernError('DISCERN_NOT_FOUND', `cycle ${cycle} has no ${direction} steps`);
  const idx: number[] = [];
  for (const s of chosen) for (let r = s.startRow; r < s.endRow; r++) idx.push(r);
  const t = floatColumn(frame, 'test_time_s')!;
  const v = floatColumn(frame, 'voltage_V');
  const i = floatColumn(frame, 'current_A')!;
  const temp = floatColumn(frame, 'temperature_degC');
  const cumQ = floatColumn(
    frame,
    direction === 'charge' ? 'cumulative_charge_capacity_Ah' : 'cumulative_discharge_capacity_Ah',
  );
  const cumE = floatColumn(
    frame,
    direction === 'charge' ? 'cumulative_charge_energy_Wh' : 'cumulative_discharge_energy_Wh',
  );
  const m = idx.length;
  const out: HalfCycleCurve = {
    cycle,
    direction,
    rows: Int32Array.from(idx),
    timeS: new Float64Array(m),
    voltageV: new Float64Array(m),
    currentA: new Float64Array(m),
    capacityAh: new Float64Array(m),
    energyWh: new Float64Array(m),
    temperatureDegC: new Float64Array(m),
  };
  const sign = direction === 'charge' ? 1 : -1;
  let q = 0;
  let e = 0;
  for (let k = 0; k < m; k++) {
    const r = idx[k]!;
    out.timeS[k] = t[r]!;
    out.voltageV[k] = v ? v[r]! : NaN;
    out.currentA[k] = i[r]!;
    out.temperatureDegC[k] = temp ? temp[r]! : NaN;
    // Each row adds what passed since the row before it (the first row of a step reports the charge
    // since the step began), so the rows of left-out steps in between add nothing.
    if (k > 0 && r > 0) {
      const dt = t[r]! - t[r - 1]!;
      const dq = cumQ ? cumQ[r]! - cumQ[r - 1]! : (0.5 * Math.max(0, sign * (i[r]! + i[r - 1]!)) * dt) / 3600;
      const pr = i[r]! * (v?.[r] ?? NaN);
      const pp = i[r - 1]! * (v?.[r - 1] ?? NaN);
      const de = cumE ? cumE[r]! - cumE[r - 1]! : (0.5 * Math.max(0, sign * (pr + pp)) * dt) / 3600;
      if (Number.isFinite(dq)) q += dq;
      if (Number.isFinite(de)) e += de;
    }
    out.capacityAh[k] = q;
    out.energyWh[k] = e;
  }
  return out;
}
