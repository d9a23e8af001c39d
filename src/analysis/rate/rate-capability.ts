import { DiscernError, floatColumn, type Frame } from '../../core/index.js';
import type { StepRecord } from '../cycles/steps.js';
import { fullSteps } from './full-steps.js';

/** One constant-current step on the rate map. */
export interface RateStep {
  step: number;
  direction: 'charge' | 'discharge';
  /** |mean current| / nominal capacity (1/h). */
  cRate: number;
  currentA: number;
  capacityAh: number;
  energyWh: number;
  meanVoltageV: number;
  /** Mean power (W): energy / duration. */
  powerW: number;
  durationS: number;
  /** Mean temperature during the step (degC; NaN without a temperature channel). */
  temperatureDegC: number;
  /**
   * True when the step starts at one voltage limit and ends at the other (see `fullSteps`); only
   * full steps make rate-capability and Ragone points.
   */
  full: boolean;
}

/** One (direction, C-rate, temperature) group of the rate map. */
export interface RateCapabilityPoint {
  direction: 'charge' | 'discharge';
  cRate: number;
  temperatureDegC: number;
  capacityAh: number;
  energyWh: number;
  meanVoltageV: number;
  /** Capacity relative to the point at the lowest C-rate at the same temperature and direction. */
  relativeCapacity: number;
  steps: number;
}

/** Options of `rateCapability`. */
export interface RateCapabilityOptions {
  /**
   * Nominal capacity (Ah) that defines 1C; default the largest full constant-current discharge
   * capacity (else the largest constant-current discharge capacity).
   */
  nominalCapacityAh?: number;
  /** Steps passing less than this fraction of the nominal capacity are left out (partial); default 0.2. */
  minCapacityFraction?: number;
  /** Temperatures are grouped to this resolution (degC); default 5. */
  temperatureResolutionDegC?: number;
  /** A step reaches a voltage limit when it ends within this of it (V); default 0.05. */
  voltageToleranceV?: number;
}

function roundRate(c: number): number {
  if (!(c > 0)) return c;
  const p = 10 ** (Math.floor(Math.log10(c)) - 1);
  return Math.round(c / p) * p;
}

/**
 * Rate capability: the capacity delivered by each full constant-current step (one that starts at
 * the opposite voltage limit and ends at its own, see `fullSteps`) against its C-rate
 * (|I|/Q_nominal, rounded to two significant digits) and mean temperature, grouped per direction,
 * C-rate and temperature, relative to the point at the lowest C-rate at that temperature. Partial
 * steps (the first discharge of a test from an unknown state of charge, a step stopped by time or
 * capacity) are listed in `steps` with `full: false` but never make a point or the reference.
 * @throws DISCERN_INSUFFICIENT_DATA when the test has no full constant-current charge or discharge
 * @example rateCapability(frame, detectSteps(frame), { nominalCapacityAh: 5 }).points
 */
export function rateCapability(
  frame: Frame,
  steps: readonly StepRecord[],
  options: RateCapabilityOptions = {},
): { nominalCapacityAh: number; steps: RateStep[]; points: RateCapabilityPoint[] } {
  const temp = floatColumn(frame, 'temperature_degC');
  const res = options.temperatureResolutionDegC ?? 5;
  const meanTemp = steps.map((s) => {
    let ts = 0;
    let tn = 0;
    if (temp)
      for (let r = s.startRow; r < s.endRow; r++) {
        if (!Number.isFinite(temp[r]!)) continue;
        ts += temp[r]!;
        tn++;
      }
    return tn > 0 ? ts / tn : NaN;
  });
  const full = fullSteps(steps, meanTemp, {
    temperatureResolutionDegC: res,
    ...(options.voltageToleranceV !== undefined ? { voltageToleranceV: options.voltageToleranceV } : {}),
  });
  const ccIdx = steps.flatMap((s, k) => (s.kind === 'cc_charge' || s.kind === 'cc_discharge' ? [k] : []));
  const dis = ccIdx.filter((k) => steps[k]!.kind === 'cc_discharge');
  const largest = (ks: number[]): number => Math.max(...ks.map((k) => steps[k]!.dischargeCapacityAh));
  const fullDis = dis.filter((k) => full[k]);
  const nominal =
    options.nominalCapacityAh ??
    (fullDis.length > 0 ? largest(fullDis) : dis.length > 0 ? largest(dis) : NaN);
  if (ccIdx.length === 0 || !(nominal > 0))
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      'rate capability needs constant-current steps and a capacity',
    );
  const minFrac = options.minCapacityFraction ?? 0.2;
  const out: RateStep[] = [];
  for (const k of ccIdx) {
    const s = steps[k]!;
    const charge = s.kind === 'cc_charge';
    const q = charge ? s.chargeCapacityAh : s.dischargeCapacityAh;
    const e = charge ? s.chargeEnergyWh : s.dischargeEnergyWh;
    if (q < minFrac * nominal) continue;
    out.push({
      step: s.number,
      direction: charge ? 'charge' : 'discharge',
      cRate: Math.abs(s.meanCurrentA) / nominal,
      currentA: Math.abs(s.meanCurrentA),
      capacityAh: q,
      energyWh: e,
      meanVoltageV: q > 0 ? e / q : NaN,
      powerW: s.durationS > 0 ? (e * 3600) / s.durationS : NaN,
      durationS: s.durationS,
      temperatureDegC: meanTemp[k]!,
      full: full[k]!,
    });
  }
  if (!out.some((r) => r.full))
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      'rate capability needs a full constant-current step (from one voltage limit to the other)',
    );
  const groups = new Map<string, RateStep[]>();
  for (const r of out) {
    if (!r.full) continue;
    const key = `${r.direction}|${roundRate(r.cRate)}|${Number.isNaN(r.temperatureDegC) ? 'NaN' : Math.round(r.temperatureDegC / res) * res}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const points: RateCapabilityPoint[] = [...groups.entries()].map(([key, g]) => {
    const [direction, rate, t] = key.split('|');
    const avg = (f: (r: RateStep) => number): number => g.reduce((a, r) => a + f(r), 0) / g.length;
    return {
      direction: direction as 'charge' | 'discharge',
      cRate: Number(rate),
      temperatureDegC: Number(t),
      capacityAh: avg((r) => r.capacityAh),
      energyWh: avg((r) => r.energyWh),
      meanVoltageV: avg((r) => r.meanVoltageV),
      relativeCapacity: NaN,
      steps: g.length,
    };
  });
  points.sort(
    (a, b) =>
      a.direction.localeCompare(b.direction) || a.temperatureDegC - b.temperatureDegC || a.cRate - b.cRate,
  );
  for (const p of points) {
    const ref = points.find(
      (o) =>
        o.direction === p.direction &&
        (o.temperatureDegC === p.temperatureDegC ||
          (Number.isNaN(o.temperatureDegC) && Number.isNaN(p.temperatureDegC))),
    )!;
    p.relativeCapacity = p.capacityAh / ref.capacityAh;
  }
  return { nominalCapacityAh: nominal, steps: out, points };
}
