import { DiscernError } from '../../core/index.js';
import type { TemperatureCurve } from './types.js';

/**
 * Value of a temperature-dependent parameter at `degC`: the constant itself, or linear interpolation
 * in a table (linear extrapolation beyond its ends, as datasheet values at 25 / 150 degC are used).
 * @throws DISCERN_BAD_ARGUMENT when a table is empty, unsorted or of unequal lengths.
 * @example valueAt({ degC: [25, 175], value: [2.6e-3, 4.6e-3] }, 100) // 3.6e-3
 */
export function valueAt(curve: TemperatureCurve, degC: number): number {
  if (typeof curve === 'number') return curve;
  const x = curve.degC;
  const y = curve.value;
  const n = x.length;
  if (n === 0 || n !== y.length)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'temperature table is empty or has unequal lengths');
  if (n === 1) return y[0]!;
  let k = 0;
  while (k < n - 2 && degC > x[k + 1]!) k++;
  const x0 = x[k]!;
  const x1 = x[k + 1]!;
  if (!(x1 > x0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'temperature table is not strictly increasing');
  const y0 = y[k]!;
  return y0 + ((y[k + 1]! - y0) * (degC - x0)) / (x1 - x0);
}
