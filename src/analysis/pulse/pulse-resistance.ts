import type { Pulse } from './find-pulses.js';
import type { PulseChannels } from './segments.js';

/** The resistances of one pulse. Ohm; NaN where the data cannot give the value. */
export interface PulseResistance {
  /** (V_first − OCV)/I_first at the first sample whose |I| is within 1 % of the median (PyProBE's R0). */
  readonly r0Ohm: number;
  /** Time of that sample after the onset, s. */
  readonly r0TimeS: number;
  /** (V(t) − OCV)/I(t) at each requested time after the onset, V and I interpolated linearly. */
  readonly resistancesOhm: readonly number[];
  /** (V_end − OCV)/I_end at the last pulse sample. */
  readonly endResistanceOhm: number;
  /** Voltage step when the current is switched off, over the current step (ohmic part at the end). */
  readonly switchOffResistanceOhm: number;
  /** Voltage at the end of the pulse, V. */
  readonly endVoltageV: number;
}

function interpolate(t: Float64Array, v: Float64Array, start: number, end: number, at: number): number {
  if (at < t[start]! - 1e-9 || at > t[end]! + 1e-9) return NaN;
  let lo = start;
  let hi = end;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= at) lo = mid;
    else hi = mid;
  }
  const t0 = t[lo]!;
  const t1 = t[hi]!;
  if (t1 === t0 || at <= t0) return v[lo]!;
  if (at >= t1) return v[hi]!;
  return v[lo]! + ((v[hi]! - v[lo]!) * (at - t0)) / (t1 - t0);
}

/**
 * Resistances of a pulse, with current positive on charge so R = (V − OCV)/I is positive in
 * both directions. R(t) is interpolated between pulse samples only: a time before the first
 * pulse sample or after the last gives NaN (ISO 12405-4 asks for at least 10 samples per step).
 * @example pulseResistance(ch, pulse, [0.1, 2, 10, 18])
 */
export function pulseResistance(ch: PulseChannels, pulse: Pulse, timesS: readonly number[]): PulseResistance {
  const { timeS: t, voltageV: v, currentA: i } = ch;
  const ocv = pulse.ocvV;
  const med = pulse.currentA;
  let first = -1;
  for (let r = pulse.startRow; r <= pulse.endRow; r++) {
    if (Math.abs(i[r]! - med) <= 0.01 * Math.abs(med)) {
      first = r;
      break;
    }
  }
  const r0Ohm = first >= 0 ? (v[first]! - ocv) / i[first]! : NaN;
  const resistancesOhm = timesS.map((dt) => {
    const at = pulse.onsetTimeS + dt;
    const va = interpolate(t, v, pulse.startRow, pulse.endRow, at);
    const ia = interpolate(t, i, pulse.startRow, pulse.endRow, at);
    return (va - ocv) / ia;
  });
  const e = pulse.endRow;
  const after = e + 1 < t.length ? e + 1 : -1;
  const switchOff = after >= 0 ? (v[after]! - v[e]!) / (i[after]! - i[e]!) : NaN;
  return {
    r0Ohm,
    r0TimeS: first >= 0 ? t[first]! - pulse.onsetTimeS : NaN,
    resistancesOhm,
    endResistanceOhm: (v[e]! - ocv) / i[e]!,
    switchOffResistanceOhm: switchOff,
    endVoltageV: v[e]!,
  };
}
