import { DiscernError } from '../../core/index.js';
import { interpolateTable, locate, type EcmModel } from './model.js';

/** A current profile to run the model on. */
export interface EcmProfile {
  /** Time, s, non-decreasing. */
  readonly timeS: ArrayLike<number>;
  /** Current, A, positive on charge. */
  readonly currentA: ArrayLike<number>;
  /** Cell temperature, degC (optional; without it the model's first table is used). */
  readonly temperatureDegC?: ArrayLike<number>;
}

export interface EcmSimulationOptions {
  /** SOC at the first sample, %; default 100. */
  readonly initialSocPct?: number;
}

export interface EcmSimulation {
  readonly voltageV: Float64Array;
  readonly socPct: Float64Array;
  /** Voltage over each RC pair, V (outer index: pair). */
  readonly rcVoltageV: readonly Float64Array[];
}

/**
 * Runs a Thevenin model on a current profile. The RC states use the exact solution for a
 * current held constant over each interval, the current of sample k applying over (t_{k−1}, t_k]
 * (a step recorded at sample k is taken to start just after sample k−1, as PyProBE's pulse
 * onset); the cell starts relaxed. Parameters are interpolated in SOC, then temperature.
 * @throws DISCERN_BAD_ARGUMENT when the profile's arrays differ in length or time decreases.
 * @example simulateEcm(model, { timeS, currentA }, { initialSocPct: 80 }).voltageV
 */
export function simulateEcm(
  model: EcmModel,
  profile: EcmProfile,
  options: EcmSimulationOptions = {},
): EcmSimulation {
  const n = profile.timeS.length;
  if (profile.currentA.length !== n || (profile.temperatureDegC && profile.temperatureDegC.length !== n))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'the profile arrays differ in length');
  const pairs = model.rcPairs;
  const voltageV = new Float64Array(n);
  const socPct = new Float64Array(n);
  const rc = [new Float64Array(n), new Float64Array(n)].slice(0, pairs);
  const scratch = new Float64Array(2);
  const tw = new Float64Array(2);
  const temps = model.tables.map((t) => t.temperatureDegC ?? 0);
  const state = new Float64Array(pairs);
  const r = new Float64Array(pairs);
  const c = new Float64Array(pairs);
  let soc = options.initialSocPct ?? 100;
  const qScale = 100 / (3600 * model.capacityAh);
  // Parameters at (soc, temperature) into r0 / r / c.
  let r0 = 0;
  const params = (s: number, temp: number): void => {
    let ia = 0;
    let wb = 0;
    if (model.tables.length > 1 && Number.isFinite(temp)) {
      locate(temps, temp, tw);
      ia = tw[0]!;
      wb = tw[1]!;
    }
    const ta = model.tables[ia]!;
    const tb = model.tables[Math.min(ia + 1, model.tables.length - 1)]!;
    r0 =
      (1 - wb) * interpolateTable(ta.socPct, ta.r0Ohm, s, scratch) +
      wb * interpolateTable(tb.socPct, tb.r0Ohm, s, scratch);
    for (let k = 0; k < pairs; k++) {
      r[k] =
        (1 - wb) * interpolateTable(ta.socPct, ta.rOhm[k]!, s, scratch) +
        wb * interpolateTable(tb.socPct, tb.rOhm[k]!, s, scratch);
      c[k] =
        (1 - wb) * interpolateTable(ta.socPct, ta.cF[k]!, s, scratch) +
        wb * interpolateTable(tb.socPct, tb.cF[k]!, s, scratch);
    }
  };
  for (let i = 0; i < n; i++) {
    const cur = profile.currentA[i]!;
    const temp = profile.temperatureDegC ? profile.temperatureDegC[i]! : NaN;
    if (i > 0) {
      const dt = profile.timeS[i]! - profile.timeS[i - 1]!;
      if (dt < 0) throw new DiscernError('DISCERN_BAD_ARGUMENT', `time decreases at sample ${i}`);
      const iHeld = Number.isFinite(cur) ? cur : 0;
      params(soc, temp);
      for (let k = 0; k < pairs; k++) {
        const e = Math.exp(-dt / (r[k]! * c[k]!));
        state[k] = state[k]! * e + r[k]! * (1 - e) * iHeld;
      }
      soc += iHeld * dt * qScale;
    }
    params(soc, temp);
    let v =
      interpolateTable(model.ocv.socPct, model.ocv.voltageV, soc, scratch) +
      (Number.isFinite(cur) ? cur : 0) * r0;
    for (let k = 0; k < pairs; k++) {
      v += state[k]!;
      rc[k]![i] = state[k]!;
    }
    voltageV[i] = v;
    socPct[i] = soc;
  }
  return { voltageV, socPct, rcVoltageV: rc };
}
