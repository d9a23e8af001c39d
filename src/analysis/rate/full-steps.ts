import type { StepRecord } from '../cycles/steps.js';

/** Options of `fullSteps`. */
export interface FullStepsOptions {
  /** A step reaches its voltage limit when its end voltage is within this of the limit (V); default 0.05. */
  voltageToleranceV?: number;
  /** Temperature bins (degC) within which the voltage limits are taken; default 5. */
  temperatureResolutionDegC?: number;
  /** Steps passing less than this fraction of the largest step throughput are ignored as neighbours; default 0.01. */
  negligibleFraction?: number;
}

const CHARGE = new Set(['cc_charge', 'cv_charge', 'charge']);
const DISCHARGE = new Set(['cc_discharge', 'cv_discharge', 'discharge']);

function bin(t: number, res: number): string {
  return Number.isFinite(t) ? String(Math.round(t / res) * res) : 'NaN';
}

/**
 * Which steps are full: a discharge (charge) step is full when it ends at the test's lower (upper)
 * voltage limit and starts from the opposite limit, i.e. the last step before it that passes charge
 * (rests, OCV, impedance and pulses of under 1 % of the largest throughput are skipped) is a charge
 * (discharge) that itself ended at the upper (lower) limit. The limits are the lowest discharge and
 * highest charge end voltages among the steps in the same temperature bin, within a tolerance.
 * A discharge from a partial state of charge (the first step of a test, or one after a charge cut
 * short) or one stopped before the limit (a capacity- or time-limited step) is not full.
 * @example fullSteps(detectSteps(frame), temps).filter(Boolean).length
 */
export function fullSteps(
  steps: readonly StepRecord[],
  meanTemperatureDegC: ArrayLike<number>,
  options: FullStepsOptions = {},
): boolean[] {
  const tol = options.voltageToleranceV ?? 0.05;
  const res = options.temperatureResolutionDegC ?? 5;
  const frac = options.negligibleFraction ?? 0.01;
  const throughput = steps.map((s) => s.chargeCapacityAh + s.dischargeCapacityAh);
  const maxQ = Math.max(0, ...throughput);
  const significant = steps.map(
    (s, k) => throughput[k]! > frac * maxQ && s.kind !== 'pulse_charge' && s.kind !== 'pulse_discharge',
  );
  const low = new Map<string, number>();
  const high = new Map<string, number>();
  steps.forEach((s, k) => {
    if (!significant[k]) return;
    const b = bin(meanTemperatureDegC[k]!, res);
    if (DISCHARGE.has(s.kind)) low.set(b, Math.min(low.get(b) ?? Infinity, s.endVoltageV));
    if (CHARGE.has(s.kind)) high.set(b, Math.max(high.get(b) ?? -Infinity, s.endVoltageV));
  });
  const atLimit = steps.map((s, k) => {
    if (!significant[k]) return false;
    const b = bin(meanTemperatureDegC[k]!, res);
    if (DISCHARGE.has(s.kind)) return s.endVoltageV <= low.get(b)! + tol;
    if (CHARGE.has(s.kind)) return s.endVoltageV >= high.get(b)! - tol;
    return false;
  });
  return steps.map((s, k) => {
    if (!atLimit[k]) return false;
    const charge = CHARGE.has(s.kind);
    // The previous step that passed charge must be the opposite direction, ended at its limit.
    for (let j = k - 1; j >= 0; j--) {
      if (!significant[j]) continue;
      const p = steps[j]!;
      return (charge ? DISCHARGE.has(p.kind) : CHARGE.has(p.kind)) && atLimit[j]!;
    }
    return false;
  });
}
