import type { Frame } from '../../core/index.js';
import { halfCycle } from '../cycles/half-cycle.js';
import type { StepRecord } from '../cycles/steps.js';
import { dqdv, dvdq, type DifferentialCurve, type DifferentialOptions } from './dqdv.js';
import { leanDifferentiate, type LeanOptions } from './lean.js';

/** Options of `icaCurve`. */
export interface IcaCurveOptions extends DifferentialOptions, LeanOptions {
  /** `charge` (default) or `discharge`. */
  direction?: 'charge' | 'discharge';
  /** `interpolation` (default: uniform grids, Savitzky–Golay, Gaussian) or `lean` (level counting). */
  method?: 'interpolation' | 'lean';
  /** `dqdv` (default) or `dvdq`. */
  kind?: 'dqdv' | 'dvdq';
}

/**
 * dQ/dV or dV/dQ of one cycle's constant-current charge or discharge (CV tails, rests and pulses
 * left out), by interpolation or by LEAN level counting. For LEAN the capacity is the uniformly
 * sampled variable and voltage is binned.
 * @throws DISCERN_NOT_FOUND when the cycle has no constant-current step in that direction
 * @throws DISCERN_BAD_ARGUMENT (LEAN) when the capacity is not uniformly sampled
 * @example icaCurve(frame, steps, cycleOfRow, 50, { method: 'lean' })
 */
export function icaCurve(
  frame: Frame,
  steps: readonly StepRecord[],
  cycleOfRow: Int32Array,
  cycle: number,
  options: IcaCurveOptions = {},
): DifferentialCurve {
  const c = halfCycle(frame, steps, cycleOfRow, cycle, options.direction ?? 'charge', {
    constantCurrentOnly: true,
  });
  const kind = options.kind ?? 'dqdv';
  if (options.method === 'lean') {
    const r = leanDifferentiate(c.capacityAh, c.voltageV, options);
    if (kind === 'dqdv') return { x: r.y, y: r.dxdy.map(Math.abs) };
    return { x: r.x, y: r.dydx.map(Math.abs) };
  }
  return kind === 'dqdv' ? dqdv(c.capacityAh, c.voltageV, options) : dvdq(c.capacityAh, c.voltageV, options);
}
