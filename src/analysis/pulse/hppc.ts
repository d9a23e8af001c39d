import { DiscernError, type Frame } from '../../core/index.js';
import { pulsesFromSegments, type FindPulsesOptions, type Pulse } from './find-pulses.js';
import { pulseResistance } from './pulse-resistance.js';
import { currentSegments, defaultRestThresholdA, pulseChannels } from './segments.js';
import { stateOfCharge } from './state-of-charge.js';

/** ISO 12405-4 evaluation times of the discharge pulse, s. */
export const ISO_12405_DISCHARGE_TIMES_S: readonly number[] = [0.1, 2, 5, 10, 18, 18.1, 20, 30, 60, 90, 120];
/** ISO 12405-4 evaluation times of the regen (charge) pulse, s. */
export const ISO_12405_REGEN_TIMES_S: readonly number[] = [0.1, 2, 10, 20];

export interface HppcOptions extends FindPulsesOptions {
  /** Times after the onset at which R(t) is reported, s; default [0.1, 2, 10, 18] (ISO 12405-4). */
  readonly timesS?: readonly number[];
  /** Capacity for the SOC axis, Ah; default estimated from the data (see stateOfCharge). */
  readonly capacityAh?: number;
  /** Time of the FreedomCAR resistances and powers, s after the onset; default 10. */
  readonly freedomCarTimeS?: number;
  /** Lower and upper voltage limits for the FreedomCAR pulse powers, V; no power without them. */
  readonly minVoltageV?: number;
  readonly maxVoltageV?: number;
  /** Longest gap between a discharge pulse and the regen pulse of the same level, s; default 300. */
  readonly pairGapS?: number;
  /** Temperatures are grouped to this step, degC; default 5. */
  readonly temperatureStepDegC?: number;
}

/** One pulse with its resistances. Resistances in Ohm (NaN → null in JSON), times in s. */
export interface HppcPulse {
  readonly index: number;
  readonly direction: 'discharge' | 'charge';
  readonly cycleIndex: number | null;
  readonly stepIndex: number | null;
  readonly onsetTimeS: number;
  readonly durationS: number;
  readonly restDurationS: number;
  readonly currentA: number;
  readonly ocvV: number;
  /** SOC at the onset, %. */
  readonly socPct: number;
  /** Mean temperature over the pulse, degC (NaN without a temperature channel). */
  readonly temperatureDegC: number;
  readonly r0Ohm: number;
  readonly r0TimeS: number;
  /** R(t) at `timesS`. */
  readonly resistancesOhm: readonly number[];
  readonly endResistanceOhm: number;
  readonly switchOffResistanceOhm: number;
  readonly samples: number;
  /**
   * Data-quality notes: 'ocv-not-at-rest-end' (the last rest sample is more than 1 s before the
   * onset, so the OCV is not known and no resistance is given), 'fewer-than-10-samples' (ISO
   * 12405-4's minimum), 'short-rest' (under 60 s: the OCV is not relaxed), 'negative-resistance'
   * (the voltage moved with the current, not against it: no resistance is given).
   */
  readonly flags: readonly string[];
}

/** One SOC level in FreedomCAR terms: a discharge pulse and the regen pulse that follows it. */
export interface HppcLevel {
  readonly socPct: number;
  readonly temperatureDegC: number;
  /** Temperature group (rounded to `temperatureStepDegC`), or null without temperatures. */
  readonly temperatureGroupDegC: number | null;
  readonly ocvV: number;
  readonly dischargePulse: number;
  readonly regenPulse: number | null;
  /** ΔV/ΔI from just before to `freedomCarTimeS` into the discharge pulse, Ohm (NaN when not positive). */
  readonly dischargeResistanceOhm: number;
  readonly regenResistanceOhm: number;
  /** V_min·(OCV − V_min)/R_dis, W (NaN without minVoltageV). */
  readonly dischargePowerW: number;
  /** V_max·(V_max − OCV_regen)/R_regen, W (NaN without maxVoltageV). */
  readonly regenPowerW: number;
}

export interface HppcResult {
  readonly timesS: readonly number[];
  readonly freedomCarTimeS: number;
  readonly capacityAh: number;
  readonly capacitySource: 'option' | 'estimated';
  readonly chargeSource: 'instrument' | 'integrated';
  readonly restThresholdA: number;
  readonly pulses: readonly HppcPulse[];
  readonly levels: readonly HppcLevel[];
  /** End-of-rest voltages before each discharge pulse (PyProBE's OCV curve), by SOC. */
  readonly ocvCurve: readonly { socPct: number; ocvV: number }[];
  /** Notes on the whole analysis (e.g. why the SOC is missing). */
  readonly warnings: readonly string[];
}

/**
 * HPPC and DC resistance: finds the pulses (see findPulses), gives each the resistance at the
 * standard times after the onset (ISO 12405-4: 0.1, 2, 10, 18 s ...; PyProBE's R0 and R_t),
 * pairs discharge and regen pulses into SOC levels with the FreedomCAR discharge and regen
 * resistances and, given voltage limits, pulse powers, and reports SOC (coulomb counting,
 * see stateOfCharge) and temperature for each.
 * @throws DISCERN_MISSING_COLUMN, DISCERN_INSUFFICIENT_DATA (no pulse found), DISCERN_BAD_ARGUMENT
 * @example const { levels } = hppc(frame, { capacityAh: 4.8, minVoltageV: 2.5, maxVoltageV: 4.2 });
 */
export function hppc(frame: Frame, options: HppcOptions = {}): HppcResult {
  const ch = pulseChannels(frame);
  const timesS = options.timesS ?? [0.1, 2, 10, 18];
  if (timesS.some((x) => !(x >= 0)))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'pulse times must be ≥ 0 s');
  const fcTime = options.freedomCarTimeS ?? 10;
  const threshold = options.restThresholdA ?? defaultRestThresholdA(ch.currentA);
  const segments = currentSegments(ch.currentA, threshold);
  const found = pulsesFromSegments(frame, ch, segments, options);
  const file = frame.meta.sourceFile;
  if (found.length === 0)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      `no current pulse (a charge or discharge of at most ${options.maxDurationS ?? 130} s after a rest) in the data`,
      file !== undefined ? { file } : {},
    );
  const soc = stateOfCharge(frame, ch.timeS, ch.currentA, segments, {
    ...(options.capacityAh !== undefined ? { capacityAh: options.capacityAh } : {}),
  });
  const pulses = found.map((p) => describe(p));
  function describe(p: Pulse): HppcPulse {
    const r = pulseResistance(ch, p, [...timesS]);
    const flags: string[] = [];
    const stale = p.ocvAgeS > 1;
    if (stale) flags.push('ocv-not-at-rest-end');
    if (p.samples < 10) flags.push('fewer-than-10-samples');
    if (p.restDurationS < 60) flags.push('short-rest');
    // A resistance below zero means the voltage moved with the current instead of against it
    // (drift, noise at tiny currents, a step that is not a pulse): such a pulse gives no resistance.
    const negative = [r.r0Ohm, ...r.resistancesOhm, r.endResistanceOhm].some((x) => x < 0);
    if (negative && !stale) flags.push('negative-resistance');
    let tSum = 0;
    let tN = 0;
    if (ch.temperatureDegC)
      for (let i = p.startRow; i <= p.endRow; i++) {
        const v = ch.temperatureDegC[i]!;
        if (Number.isFinite(v)) {
          tSum += v;
          tN++;
        }
      }
    const gate = (x: number): number => (stale || negative ? NaN : x);
    return {
      index: p.index,
      direction: p.direction,
      cycleIndex: p.cycleIndex,
      stepIndex: p.stepIndex,
      onsetTimeS: p.onsetTimeS,
      durationS: p.durationS,
      restDurationS: p.restDurationS,
      currentA: p.currentA,
      ocvV: p.ocvV,
      socPct: soc.socPct[p.restEndRow]!,
      temperatureDegC: tN > 0 ? tSum / tN : NaN,
      r0Ohm: gate(r.r0Ohm),
      r0TimeS: r.r0TimeS,
      resistancesOhm: r.resistancesOhm.map(gate),
      endResistanceOhm: gate(r.endResistanceOhm),
      switchOffResistanceOhm: r.switchOffResistanceOhm,
      samples: p.samples,
      flags,
    };
  }

  // FreedomCAR levels: each discharge pulse, with the first charge pulse that starts within pairGapS of its end.
  const gap = options.pairGapS ?? 300;
  const step = options.temperatureStepDegC ?? 5;
  const levels: HppcLevel[] = [];
  for (let k = 0; k < found.length; k++) {
    const d = found[k]!;
    if (d.direction !== 'discharge') continue;
    const next = found[k + 1];
    const regen =
      next !== undefined && next.direction === 'charge' && next.onsetTimeS - d.endTimeS <= gap
        ? next
        : undefined;
    const fc = (p: Pulse): number => {
      if (p.ocvAgeS > 1) return NaN;
      const r = pulseResistance(ch, p, [Math.min(fcTime, p.durationS)]).resistancesOhm[0]!;
      return r > 0 ? r : NaN;
    };
    const rDis = fc(d);
    const rReg = regen ? fc(regen) : NaN;
    const vMin = options.minVoltageV ?? NaN;
    const vMax = options.maxVoltageV ?? NaN;
    const hp = pulses[k]!;
    levels.push({
      socPct: hp.socPct,
      temperatureDegC: hp.temperatureDegC,
      temperatureGroupDegC: Number.isFinite(hp.temperatureDegC)
        ? Math.round(hp.temperatureDegC / step) * step
        : null,
      ocvV: d.ocvV,
      dischargePulse: d.index,
      regenPulse: regen ? regen.index : null,
      dischargeResistanceOhm: rDis,
      regenResistanceOhm: rReg,
      dischargePowerW: (vMin * (d.ocvV - vMin)) / rDis,
      regenPowerW: regen ? (vMax * (vMax - regen.ocvV)) / rReg : NaN,
    });
  }
  levels.sort((a, b) => (a.temperatureGroupDegC ?? 0) - (b.temperatureGroupDegC ?? 0) || b.socPct - a.socPct);
  const ocvCurve = pulses
    .filter((p) => p.direction === 'discharge' && !p.flags.includes('ocv-not-at-rest-end'))
    .map((p) => ({ socPct: p.socPct, ocvV: p.ocvV }));
  return {
    timesS: [...timesS],
    freedomCarTimeS: fcTime,
    capacityAh: soc.capacityAh,
    capacitySource: soc.capacitySource,
    chargeSource: soc.chargeSource,
    restThresholdA: threshold,
    pulses,
    levels,
    ocvCurve,
    warnings: soc.warnings,
  };
}
