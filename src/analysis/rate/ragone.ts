import { DiscernError } from '../../core/index.js';
import type { RateStep } from './rate-capability.js';

/** One Ragone point: specific energy against specific power of a full discharge. */
export interface RagonePoint {
  step: number;
  cRate: number;
  /** Wh/kg and W/kg (mean power = energy / duration). */
  specificEnergyWhPerKg: number;
  specificPowerWPerKg: number;
  temperatureDegC: number;
}

/**
 * Ragone points (Wh/kg against W/kg) of the full constant-current discharges of a rate test, for
 * a cell of known mass (partial discharges, `full: false`, are left out).
 * @throws DISCERN_BAD_ARGUMENT when the mass is not positive
 * @example ragone(rateCapability(frame, steps).steps, 0.07)
 */
export function ragone(steps: readonly RateStep[], massKg: number): RagonePoint[] {
  if (!(massKg > 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `the cell mass must be positive, got ${massKg} kg`);
  return steps
    .filter((s) => s.direction === 'discharge' && s.full)
    .map((s) => ({
      step: s.step,
      cRate: s.cRate,
      specificEnergyWhPerKg: s.energyWh / massKg,
      specificPowerWPerKg: s.powerW / massKg,
      temperatureDegC: s.temperatureDegC,
    }))
    .sort((a, b) => a.specificPowerWPerKg - b.specificPowerWPerKg);
}
