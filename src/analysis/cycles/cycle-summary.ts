import { floatColumn, intColumn, type Frame } from '../../core/index.js';
import { cycleNumbers, type CycleNumbering } from './cycle-numbers.js';
import { detectSteps, type StepRecord } from './steps.js';

/**
 * One row of the per-cycle table. Capacities in Ah, energies in Wh, voltages in V, currents in A
 * (magnitudes), times in s, temperatures in degC, resistance in Ohm. NaN where the data has no value.
 */
export interface CycleSummaryRow {
  cycle: number;
  /** First and last row (0-based) and number of rows of the cycle. */
  firstRow: number;
  lastRow: number;
  rows: number;
  startTimeS: number;
  /** Test time of the cycle's last row. */
  endTimeS: number;
  durationS: number;
  chargeDurationS: number;
  dischargeDurationS: number;
  restDurationS: number;
  chargeCapacityAh: number;
  dischargeCapacityAh: number;
  chargeEnergyWh: number;
  dischargeEnergyWh: number;
  /** Discharge over charge capacity, or the inverse with `efficiency: 'charge/discharge'` (NaN when the denominator is 0). */
  coulombicEfficiency: number;
  /** The same ratio for energies. */
  energyEfficiency: number;
  /** Energy-weighted mean voltages: energy / capacity of the charge and of the discharge. */
  meanChargeVoltageV: number;
  meanDischargeVoltageV: number;
  minVoltageV: number;
  maxVoltageV: number;
  /**
   * Voltage at the end of the cycle's last charge and last discharge: of the last such step when
   * steps are given (pulses excluded), else of the last charging or discharging row.
   */
  endChargeVoltageV: number;
  endDischargeVoltageV: number;
  /** Time-weighted mean |current| while charging and while discharging. */
  meanChargeCurrentA: number;
  meanDischargeCurrentA: number;
  /** Charge passed in constant-voltage steps, and its share of the cycle's charge (needs steps). */
  cvChargeCapacityAh: number;
  cvChargeShare: number;
  minTemperatureDegC: number;
  meanTemperatureDegC: number;
  maxTemperatureDegC: number;
  /** ∫T dt over the cycle (degC·s), as BEEP's time_temperature_integrated but in seconds. */
  integratedTemperatureDegCS: number;
  /** The last non-zero DC resistance the instrument reported in the cycle. */
  dcResistanceOhm: number;
  /** Charge and discharge capacity summed from the first cycle to the end of this one. */
  cumulativeChargeCapacityAh: number;
  cumulativeDischargeCapacityAh: number;
}

/** Options of `cycleSummary`. */
export interface CycleSummaryOptions {
  /** Cycle counter channel for `numbering: 'instrument'`; default `cycle_index`. */
  cycleChannel?: string;
  /** Cycle numbering (see `cycleNumbers`); default `instrument`. */
  numbering?: CycleNumbering;
  /** Explicit cycle number per row (overrides `numbering`). */
  cycles?: Int32Array;
  /** Detected steps (from `detectSteps`); needed for the CV share. Detected on demand for a numbering other than `instrument`. */
  steps?: readonly StepRecord[];
  /** `discharge/charge` (default, full cells) or `charge/discharge` (e.g. anode half cells) for CE and EE. */
  efficiency?: 'discharge/charge' | 'charge/discharge';
  /** |current| at or below this is rest (A). Default max(1e-6 A, 1e-3 × max |I|). */
  restCurrentA?: number;
}

function temperatureOf(frame: Frame): Float64Array | undefined {
  const t = floatColumn(frame, 'temperature_degC');
  if (t !== undefined) return t;
  const aux = frame.channels.find((c) => /^aux_temperature_\d+_degC$/.test(c.name));
  return aux ? floatColumn(frame, aux.name) : undefined;
}

function emptyRow(cycle: number, first: number, t0: number): CycleSummaryRow {
  return {
    cycle,
    firstRow: first,
    lastRow: first,
    rows: 0,
    startTimeS: t0,
    endTimeS: t0,
    durationS: NaN,
    chargeDurationS: 0,
    dischargeDurationS: 0,
    restDurationS: 0,
    chargeCapacityAh: 0,
    dischargeCapacityAh: 0,
    chargeEnergyWh: 0,
    dischargeEnergyWh: 0,
    coulombicEfficiency: NaN,
    energyEfficiency: NaN,
    meanChargeVoltageV: NaN,
    meanDischargeVoltageV: NaN,
    minVoltageV: Infinity,
    maxVoltageV: -Infinity,
    endChargeVoltageV: NaN,
    endDischargeVoltageV: NaN,
    meanChargeCurrentA: 0,
    meanDischargeCurrentA: 0,
    cvChargeCapacityAh: NaN,
    cvChargeShare: NaN,
    minTemperatureDegC: Infinity,
    meanTemperatureDegC: 0,
    maxTemperatureDegC: -Infinity,
    integratedTemperatureDegCS: 0,
    dcResistanceOhm: NaN,
    cumulativeChargeCapacityAh: 0,
    cumulativeDischargeCapacityAh: 0,
  };
}

/**
 * Per-cycle summary in one pass over the rows. The capacity and energy of a cycle is the sum over
 * its steps of the per-step maxima (`step_*` channels, derived at ingest), so counters that reset
 * per step, per cycle or never all give the same answer; a cycle boundary inside an instrument step
 * (possible with step-based numbering) splits that step's contribution where it falls.
 * @example cycleSummary(frame, { numbering: 'charge-discharge' })[0].dischargeCapacityAh
 */
export function cycleSummary(frame: Frame, options: CycleSummaryOptions = {}): CycleSummaryRow[] {
  const n = frame.length;
  const rows: CycleSummaryRow[] = [];
  if (n === 0) return rows;
  const numbering = options.numbering ?? 'instrument';
  let steps = options.steps;
  if (steps === undefined && options.cycles === undefined && numbering !== 'instrument')
    steps = detectSteps(frame);
  const cycle =
    options.cycles ??
    (numbering === 'instrument'
      ? (intColumn(frame, options.cycleChannel ?? 'cycle_index') ?? new Int32Array(n).fill(1))
      : cycleNumbers(frame, steps!, numbering));
  const step = intColumn(frame, 'step_count');
  const time = floatColumn(frame, 'test_time_s');
  const v = floatColumn(frame, 'voltage_V');
  const cur = floatColumn(frame, 'current_A');
  const temp = temperatureOf(frame);
  const ir = floatColumn(frame, 'dc_resistance_Ohm');
  const qc = floatColumn(frame, 'step_charge_capacity_Ah');
  const qd = floatColumn(frame, 'step_discharge_capacity_Ah');
  const ec = floatColumn(frame, 'step_charge_energy_Wh');
  const ed = floatColumn(frame, 'step_discharge_energy_Wh');
  let thr = options.restCurrentA ?? NaN;
  if (Number.isNaN(thr)) {
    let m = 0;
    if (cur) for (let i = 0; i < n; i++) if (Math.abs(cur[i]!) > m) m = Math.abs(cur[i]!);
    thr = Math.max(1e-6, 1e-3 * m);
  }

  // Hot loop on local scalars; a row object is written only when a cycle closes. Running per-step
  // maxima (m*) and the part of the current step already booked to an earlier cycle (b*).
  const NO = new Float64Array(0);
  const va = v ?? NO;
  const ca = cur ?? NO;
  const ta = temp ?? NO;
  const za = ir ?? NO;
  const ti = time ?? NO;
  const qca = qc ?? NO;
  const qda = qd ?? NO;
  const eca = ec ?? NO;
  const eda = ed ?? NO;
  const hasV = v !== undefined;
  const hasI = cur !== undefined;
  const hasT = temp !== undefined;
  const hasR = ir !== undefined;
  const hasTime = time !== undefined;
  let mqc = 0;
  let mqd = 0;
  let mec = 0;
  let med = 0;
  let bqc = 0;
  let bqd = 0;
  let bec = 0;
  let bed = 0;
  let sqc = 0;
  let sqd = 0;
  let sec = 0;
  let sed = 0;
  let c0 = cycle[0]!;
  let first = 0;
  let vmin = Infinity;
  let vmax = -Infinity;
  let chgDur = 0;
  let disDur = 0;
  let restDur = 0;
  let chgQ = 0;
  let disQ = 0;
  let endChg = NaN;
  let endDis = NaN;
  let tmin = Infinity;
  let tmax = -Infinity;
  let tsum = 0;
  let tn = 0;
  let tint = 0;
  let lastIr = NaN;
  // One loop with one flush site (i === n closes the last cycle): no closure over the hot locals.
  for (let i = 0; i <= n; i++) {
    const end = i === n;
    const c = end ? c0 : cycle[i]!;
    if (!end && i > 0 && step !== undefined && step[i] !== step[i - 1]) {
      sqc += mqc - bqc;
      sqd += mqd - bqd;
      sec += mec - bec;
      sed += med - bed;
      mqc = mqd = mec = med = 0;
      bqc = bqd = bec = bed = 0;
    }
    if (end || c !== c0) {
      const last = i - 1;
      sqc += mqc - bqc;
      sqd += mqd - bqd;
      sec += mec - bec;
      sed += med - bed;
      bqc = mqc;
      bqd = mqd;
      bec = mec;
      bed = med;
      const r = emptyRow(c0, first, hasTime ? ti[first]! : NaN);
      r.lastRow = last;
      r.rows = last - first + 1;
      r.endTimeS = hasTime ? ti[last]! : NaN;
      r.durationS = r.endTimeS - r.startTimeS;
      r.chargeCapacityAh = sqc;
      r.dischargeCapacityAh = sqd;
      r.chargeEnergyWh = sec;
      r.dischargeEnergyWh = sed;
      r.minVoltageV = vmin;
      r.maxVoltageV = vmax;
      r.chargeDurationS = chgDur;
      r.dischargeDurationS = disDur;
      r.restDurationS = restDur;
      r.meanChargeCurrentA = chgDur > 0 ? chgQ / chgDur : NaN;
      r.meanDischargeCurrentA = disDur > 0 ? disQ / disDur : NaN;
      r.endChargeVoltageV = endChg;
      r.endDischargeVoltageV = endDis;
      r.minTemperatureDegC = tmin;
      r.maxTemperatureDegC = tmax;
      r.meanTemperatureDegC = tn > 0 ? tsum / tn : NaN;
      r.integratedTemperatureDegCS = tint;
      r.dcResistanceOhm = lastIr;
      rows.push(r);
      sqc = sqd = sec = sed = 0;
      vmin = Infinity;
      vmax = -Infinity;
      chgDur = disDur = restDur = chgQ = disQ = 0;
      endChg = endDis = NaN;
      tmin = Infinity;
      tmax = -Infinity;
      tsum = tn = tint = 0;
      lastIr = NaN;
      if (end) break;
      c0 = c;
      first = i;
    }
    if (qc !== undefined && qca[i]! > mqc) mqc = qca[i]!;
    if (qd !== undefined && qda[i]! > mqd) mqd = qda[i]!;
    if (ec !== undefined && eca[i]! > mec) mec = eca[i]!;
    if (ed !== undefined && eda[i]! > med) med = eda[i]!;
    const x = hasV ? va[i]! : NaN;
    if (x < vmin) vmin = x;
    if (x > vmax) vmax = x;
    const dt = hasTime && i > first ? ti[i]! - ti[i - 1]! : 0;
    const a = hasI ? ca[i]! : NaN;
    if (a > thr) {
      chgDur += dt;
      chgQ += a * dt;
      endChg = x;
    } else if (a < -thr) {
      disDur += dt;
      disQ -= a * dt;
      endDis = x;
    } else restDur += dt;
    if (hasT) {
      const tc = ta[i]!;
      if (tc === tc) {
        if (tc < tmin) tmin = tc;
        if (tc > tmax) tmax = tc;
        tsum += tc;
        tint += tc * dt;
        tn++;
      }
    }
    if (hasR) {
      const z = za[i]!;
      if (z > 0) lastIr = z;
    }
  }
  finish(rows, options, steps, cycle, temp !== undefined);
  return rows;
}

function finish(
  rows: CycleSummaryRow[],
  options: CycleSummaryOptions,
  steps: readonly StepRecord[] | undefined,
  cycle: Int32Array,
  hasTemp: boolean,
): void {
  const inverse = options.efficiency === 'charge/discharge';
  const cv = new Map<number, number>();
  const endCharge = new Map<number, number>();
  const endDischarge = new Map<number, number>();
  if (steps !== undefined)
    for (const s of steps) {
      const c = cycle[s.startRow]!;
      if (s.kind === 'cv_charge') cv.set(c, (cv.get(c) ?? 0) + s.chargeCapacityAh);
      if (s.kind === 'cc_charge' || s.kind === 'cv_charge' || s.kind === 'charge')
        endCharge.set(c, s.endVoltageV);
      if (s.kind === 'cc_discharge' || s.kind === 'cv_discharge' || s.kind === 'discharge')
        endDischarge.set(c, s.endVoltageV);
    }
  let cq = 0;
  let dq = 0;
  for (const r of rows) {
    const [num, den] = inverse
      ? [r.chargeCapacityAh, r.dischargeCapacityAh]
      : [r.dischargeCapacityAh, r.chargeCapacityAh];
    const [enum_, eden] = inverse
      ? [r.chargeEnergyWh, r.dischargeEnergyWh]
      : [r.dischargeEnergyWh, r.chargeEnergyWh];
    r.coulombicEfficiency = den > 0 ? num / den : NaN;
    r.energyEfficiency = eden > 0 ? enum_ / eden : NaN;
    r.meanChargeVoltageV = r.chargeCapacityAh > 0 ? r.chargeEnergyWh / r.chargeCapacityAh : NaN;
    r.meanDischargeVoltageV = r.dischargeCapacityAh > 0 ? r.dischargeEnergyWh / r.dischargeCapacityAh : NaN;
    if (!Number.isFinite(r.minVoltageV)) r.minVoltageV = NaN;
    if (!Number.isFinite(r.maxVoltageV)) r.maxVoltageV = NaN;
    if (!Number.isFinite(r.minTemperatureDegC)) r.minTemperatureDegC = NaN;
    if (!Number.isFinite(r.maxTemperatureDegC)) r.maxTemperatureDegC = NaN;
    if (!hasTemp) r.integratedTemperatureDegCS = NaN;
    if (steps !== undefined) {
      // With steps, the end voltages are those of the last charge and discharge step (pulses excluded).
      r.endChargeVoltageV = endCharge.get(r.cycle) ?? NaN;
      r.endDischargeVoltageV = endDischarge.get(r.cycle) ?? NaN;
      r.cvChargeCapacityAh = cv.get(r.cycle) ?? 0;
      r.cvChargeShare = r.chargeCapacityAh > 0 ? r.cvChargeCapacityAh / r.chargeCapacityAh : NaN;
    }
    cq += r.chargeCapacityAh;
    dq += r.dischargeCapacityAh;
    r.cumulativeChargeCapacityAh = cq;
    r.cumulativeDischargeCapacityAh = dq;
  }
}
