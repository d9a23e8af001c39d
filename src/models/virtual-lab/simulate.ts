import type { CyclingStress } from './ageing.js';
import { coldAccessFraction } from './chemistries.js';
import type { VirtualCell } from './cell.js';
import type { LabRandom } from './rng.js';
import { RecordBuilder, type RecordTable } from './records.js';

export type { RecordTable } from './records.js';

/** One step of a cycler schedule. Currents in A, positive on charge; times in s; voltages in V. */
export type ProtocolStep = StepCommon &
  (
    | { kind: 'rest'; durationS: number }
    | {
        kind: 'cc';
        currentA: number;
        /** End when the voltage reaches this limit (above it on charge, below on discharge). */
        limitVoltageV?: number;
        /** End after this much charge has passed, Ah. */
        limitChargeAh?: number;
        durationS?: number;
      }
    | {
        kind: 'cv';
        voltageV: number;
        /** End when the current magnitude falls to this, A. */
        endCurrentA: number;
        /** The charger's current limit, A (magnitude); default unlimited. */
        maxCurrentA?: number;
        durationS?: number;
      }
  );

interface StepCommon {
  /** Cycle number written to the file. */
  cycle: number;
  /** Schedule step number written to the file. */
  step: number;
  /** Chamber temperature, degC. */
  ambientDegC: number;
  /** Logging interval, s (the last row of a step is always logged). */
  logEveryS: number;
  /** Log the step's first row (default true; long ageing tests log step ends only). */
  logFirst?: boolean;
  /** Also log when the voltage moved this much since the last row, V. */
  logDeltaV?: number;
  /** The instrument reports a DC resistance (10 s pulse equivalent) on the step's last row. */
  dcir?: boolean;
}

/** Options of runProtocol. */
export interface RunOptions {
  /** SOC at the start, 0..1; default 0.4 (shipping state). */
  initialSoc?: number;
  /** Cycling stress for ageing after every cycle; without it the cell does not age. */
  ageing?: CyclingStress;
  /** Voltage noise (standard deviation), V; default 0.3 mV. */
  voltageNoiseV?: number;
  /**
   * Stop the schedule at the first cycle boundary after a cycle (numbered 1 or more) whose
   * discharge capacity fell below this share of cycle 1's (end-of-life stop of a cycle-life test).
   */
  stopBelowRetention?: number;
}

/** Simulation state of a cell. */
interface CellState {
  /** Charge content, Ah (0 = empty at the present capacity). */
  chargeAh: number;
  /** Voltage over the RC element, V. */
  rcVoltageV: number;
  temperatureDegC: number;
  /** Present capacity (ageing), Ah, and resistance factor (ageing). */
  capacityAh: number;
  resistanceFactor: number;
  /** Charge passed (both directions) since the start, Ah. */
  throughputAh: number;
}

const GAS_CONSTANT = 8.314;

/**
 * The Thevenin resistances of a cell, Ohm, at a state of charge (0..1 of the accessible capacity)
 * and temperature: the 25 degC, 50 % SOC values × an Arrhenius factor exp(Ea/R·(1/T − 1/298.15))
 * × a SOC shape 1 + 0.8·e^(−SOC/0.06) + 0.15·e^(−(1−SOC)/0.04) (rise at the ends of the window)
 * × the ageing factor.
 * @example theveninResistances(cell, 0.5, 25).r0 // ≈ cell.r0Ohm
 */
export function theveninResistances(
  cell: VirtualCell,
  soc: number,
  temperatureDegC: number,
  ageingFactor = 1,
): { r0: number; r1: number } {
  const arr = Math.exp(
    (cell.chem.activationEnergyJPerMol / GAS_CONSTANT) * (1 / (temperatureDegC + 273.15) - 1 / 298.15),
  );
  const shape = 1 + 0.8 * Math.exp(-Math.max(soc, 0) / 0.06) + 0.15 * Math.exp(-Math.max(1 - soc, 0) / 0.04);
  const f = arr * shape * ageingFactor;
  return { r0: cell.r0Ohm * f, r1: cell.r1Ohm * f };
}

/**
 * The DC resistance of a `pulseS` pulse from rest, Ohm: R0 + R1·(1 − e^(−t/τ)) (what a rested
 * cell shows as ΔV/ΔI after `pulseS` of constant current, neglecting the OCV change).
 */
export function pulseResistance(
  cell: VirtualCell,
  soc: number,
  temperatureDegC: number,
  pulseS: number,
): number {
  const { r0, r1 } = theveninResistances(cell, soc, temperatureDegC);
  return r0 + r1 * (1 - Math.exp(-pulseS / cell.tau1S));
}

/**
 * Runs a cycler schedule on a virtual cell and returns what the instrument logged. The cell is a
 * first-order Thevenin model: V = OCV(SOC) + I·R0 + v1, dv1/dt = −v1/τ + I/C1 (exact update over
 * each sub-step), resistances from `theveninResistances`; at low temperature only part of the
 * capacity is accessible (chemistry's `coldAccess`); the cell heats by I·(V − OCV) and cools to
 * the chamber through a thermal resistance. Constant-voltage steps solve for the current that
 * holds the voltage at the end of each sub-step, with the OCV slope (implicit, stable on steep
 * OCV ends). With `ageing`, capacity and resistance follow the chemistry's ageing law (cycling
 * in equivalent full cycles plus calendar in √days) at every cycle boundary.
 * @example const rows = runProtocol(cell, capacityCheckSteps(sheet), rng, { initialSoc: 0.4 });
 */
export function runProtocol(
  cell: VirtualCell,
  steps: readonly ProtocolStep[],
  rng: LabRandom,
  options: RunOptions = {},
): RecordTable {
  const b = new RecordBuilder();
  const q0 = cell.capacityAh;
  const st: CellState = {
    chargeAh: (options.initialSoc ?? 0.4) * q0,
    rcVoltageV: 0,
    temperatureDegC: steps[0]?.ambientDegC ?? 25,
    capacityAh: q0,
    resistanceFactor: 1,
    throughputAh: 0,
  };
  const noiseV = options.voltageNoiseV ?? 3e-4;
  const gain = 1 + cell.currentGainError;
  const thermalTau = cell.thermalResistanceKPerW * cell.heatCapacityJPerK;
  let time = 0;
  let stepNo = 0;
  let lastCycle = steps[0]?.cycle ?? 0;
  let cycleDischargeAh = 0;
  let firstDischargeAh = NaN;

  const socEff = (s: CellState): number => {
    const access = coldAccessFraction(cell.chem, s.temperatureDegC);
    return (s.chargeAh / s.capacityAh - (1 - access)) / access;
  };
  const ocvOf = (s: CellState): number => cell.ocv(socEff(s));
  /** Advances the state by dt at current i; returns the terminal voltage at the end. */
  const advance = (s: CellState, i: number, dt: number, ambient: number): number => {
    const { r0, r1 } = theveninResistances(cell, socEff(s), s.temperatureDegC, s.resistanceFactor);
    const a = Math.exp(-dt / cell.tau1S);
    s.rcVoltageV = s.rcVoltageV * a + i * r1 * (1 - a);
    s.chargeAh += (i * dt) / 3600;
    s.throughputAh += (Math.abs(i) * dt) / 3600;
    const heat = i * (i * r0 + s.rcVoltageV);
    const tEq = ambient + heat * cell.thermalResistanceKPerW;
    s.temperatureDegC = tEq + (s.temperatureDegC - tEq) * Math.exp(-dt / thermalTau);
    return ocvOf(s) + i * r0 + s.rcVoltageV;
  };
  const terminal = (s: CellState, i: number): number => {
    const { r0 } = theveninResistances(cell, socEff(s), s.temperatureDegC, s.resistanceFactor);
    return ocvOf(s) + i * r0 + s.rcVoltageV;
  };
  /** Current that puts the terminal voltage at vTarget after dt (linearised OCV). */
  const cvCurrent = (s: CellState, vTarget: number, dt: number): number => {
    const { r0, r1 } = theveninResistances(cell, socEff(s), s.temperatureDegC, s.resistanceFactor);
    const a = Math.exp(-dt / cell.tau1S);
    const e = 1e-4 * s.capacityAh;
    const ocv = ocvOf(s);
    const slope = (ocvOf({ ...s, chargeAh: s.chargeAh + e }) - ocv) / e; // V/Ah
    return (vTarget - ocv - s.rcVoltageV * a) / (r0 + r1 * (1 - a) + (slope * dt) / 3600);
  };

  /** dV/dI at the end of a sub-step dt, Ohm (R0 + R1·(1 − e^(−dt/τ)) + OCV slope·dt). */
  const cvGain = (s: CellState, dt: number): number => {
    const { r0, r1 } = theveninResistances(cell, socEff(s), s.temperatureDegC, s.resistanceFactor);
    const e = 1e-4 * s.capacityAh;
    const slope = (ocvOf({ ...s, chargeAh: s.chargeAh + e }) - ocvOf(s)) / e;
    return r0 + r1 * (1 - Math.exp(-dt / cell.tau1S)) + (Math.max(slope, 0) * dt) / 3600;
  };

  for (const step of steps) {
    if (step.cycle !== lastCycle) {
      if (options.stopBelowRetention !== undefined && lastCycle >= 1 && cycleDischargeAh > 0) {
        if (Number.isNaN(firstDischargeAh)) firstDischargeAh = cycleDischargeAh;
        else if (cycleDischargeAh < options.stopBelowRetention * firstDischargeAh) break;
      }
      if (options.ageing) applyAgeing(st, cell, q0, options.ageing, time);
      cycleDischargeAh = 0;
    }
    lastCycle = step.cycle;
    stepNo++;
    const t0 = time;
    const acc = { qc: 0, qd: 0, ec: 0, ed: 0 };
    const duration = step.kind === 'rest' ? step.durationS : (step.durationS ?? Infinity);
    const maxDt = Math.max(0.1, Math.min(step.logEveryS, step.kind === 'cv' ? 60 : 120));
    let lastLoggedV = NaN;
    let nextLog = t0 + step.logEveryS;
    const log = (v: number, i: number, last: boolean): void => {
      let dcir = NaN;
      if (last && step.dcir) {
        const { r0, r1 } = theveninResistances(cell, socEff(st), st.temperatureDegC, st.resistanceFactor);
        dcir = (r0 + r1 * (1 - Math.exp(-10 / cell.tau1S))) * (1 + rng.normal(0, 0.005));
      }
      const dir =
        i > 0 ? 1 : i < 0 ? 2 : step.kind === 'rest' ? 0 : step.kind === 'cv' ? 1 : step.currentA > 0 ? 1 : 2;
      b.push({
        testTimeS: time,
        stepTimeS: time - t0,
        currentA: i === 0 ? 0 : i * gain * (1 + rng.normal(0, 2e-5)),
        voltageV: v + rng.normal(0, noiseV),
        temperatureDegC: st.temperatureDegC + rng.normal(0, 0.05),
        stepChargeAh: acc.qc,
        stepDischargeAh: acc.qd,
        stepChargeWh: acc.ec,
        stepDischargeWh: acc.ed,
        dcirOhm: dcir,
        cycle: step.cycle,
        step: step.step,
        stepCount: stepNo,
        state: dir,
        constantVoltage: step.kind === 'cv' ? 1 : 0,
      });
      lastLoggedV = v;
    };
    const book = (i: number, v0: number, v1: number, dt: number): void => {
      const dq = (Math.abs(i) * gain * dt) / 3600;
      const de = (dq * (v0 + v1)) / 2;
      if (i > 0) {
        acc.qc += dq;
        acc.ec += de;
      } else if (i < 0) {
        acc.qd += dq;
        acc.ed += de;
      }
    };
    const clampCv = (i: number): number => {
      if (step.kind !== 'cv') return i;
      const max = step.maxCurrentA ?? Infinity;
      return Math.max(-max, Math.min(max, i));
    };

    let i =
      step.kind === 'rest'
        ? 0
        : step.kind === 'cc'
          ? step.currentA
          : clampCv(cvCurrent(st, step.voltageV, 0.1));
    let v = terminal(st, i);
    // A CC step that starts beyond its voltage limit ends at once (one row).
    const startsPast =
      step.kind === 'cc' &&
      step.limitVoltageV !== undefined &&
      (i > 0 ? v >= step.limitVoltageV : v <= step.limitVoltageV);
    if (startsPast || step.logFirst !== false) log(v, i, startsPast);
    let passedAh = 0;
    let done = startsPast;
    while (!done) {
      const dt = Math.min(maxDt, nextLog - time, t0 + duration - time);
      if (!(dt > 1e-9)) break;
      if (step.kind === 'cv') {
        // Newton on the end-of-sub-step voltage: the linearised OCV is off on steep OCV ends.
        i = cvCurrent(st, step.voltageV, dt);
        for (let it = 0; it < 3; it++) {
          const trial = { ...st };
          const err = advance(trial, i, dt, step.ambientDegC) - step.voltageV;
          if (Math.abs(err) < 1e-5) break;
          i -= err / cvGain(st, dt);
        }
        i = clampCv(i);
      }
      const saved = { ...st };
      const vStart = v;
      let stepDt = dt;
      let vEnd = advance(st, i, dt, step.ambientDegC);
      let hitLimit = false;
      if (step.kind === 'cc') {
        const lim = step.limitVoltageV;
        const past = (vt: number): boolean => lim !== undefined && (i > 0 ? vt >= lim : vt <= lim);
        const ahLeft = step.limitChargeAh !== undefined ? step.limitChargeAh - passedAh : Infinity;
        const ahDt = (ahLeft * 3600) / Math.abs(i);
        if (past(vEnd) || ahDt <= dt) {
          let lo = 0;
          let hi = Math.min(dt, ahDt);
          if (past(vEnd)) {
            for (let it = 0; it < 40; it++) {
              const mid = 0.5 * (lo + hi);
              if (past(advance({ ...saved }, i, mid, step.ambientDegC))) hi = mid;
              else lo = mid;
            }
          }
          stepDt = hi;
          Object.assign(st, saved);
          vEnd = advance(st, i, stepDt, step.ambientDegC);
          hitLimit = true;
        }
      } else if (step.kind === 'cv' && Math.abs(i) <= step.endCurrentA) hitLimit = true;
      book(i, vStart, vEnd, stepDt);
      passedAh += (Math.abs(i) * stepDt) / 3600;
      time += stepDt;
      v = vEnd;
      const soc = st.chargeAh / st.capacityAh;
      if (soc > 1.1 || soc < -0.1) hitLimit = true; // safety: the schedule lost control of the cell
      done = hitLimit || time >= t0 + duration - 1e-9;
      if (done) log(v, i, true);
      else if (
        time >= nextLog - 1e-9 ||
        (step.logDeltaV !== undefined && Math.abs(v - lastLoggedV) >= step.logDeltaV)
      ) {
        log(v, i, false);
        while (nextLog <= time + 1e-9) nextLog += step.logEveryS;
      }
    }
    cycleDischargeAh += acc.qd;
  }
  return b.table();
}

function applyAgeing(
  st: CellState,
  cell: VirtualCell,
  q0: number,
  stress: CyclingStress,
  timeS: number,
): void {
  const law = cell.chem.ageing;
  const efc = st.throughputAh / (2 * q0);
  const loss =
    law.capacityLoss(efc, stress, cell.ageingScale) +
    law.calendarLoss(timeS / 86400, stress.temperatureDegC, cell.ageingScale);
  const soc = st.chargeAh / st.capacityAh;
  st.capacityAh = q0 * Math.max(0.05, 1 - loss);
  st.chargeAh = soc * st.capacityAh;
  st.resistanceFactor = 1 + law.resistanceGrowthPerLoss * loss;
}
