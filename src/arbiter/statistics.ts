import { studentTQuantile } from '../analysis/fit/student-t.js';

/** Mean, spread and 95 % interval of per-sample values. */
export interface SampleStatistics {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN for one value. */
  std: number;
  /** Half-width of the 95 % interval of the mean, and its ends. */
  halfWidth: number;
  low: number;
  high: number;
}

/**
 * Mean and 95 % interval of the mean of per-sample values. The half-width combines, in
 * quadrature, Student's t interval t(0.975, n − 1)·s/√n (sample-to-sample spread) and a method
 * floor `floorFraction`·|mean| (calibration and method uncertainty, which does not average out).
 * With one sample the spread is unknown and the half-width is twice the floor.
 * @param values one value per sample
 * @param floorFraction relative method uncertainty (e.g. 0.005 for 0.5 %)
 * @example sampleStatistics([280.1, 279.6, 281.0], 0.005).high
 */
export function sampleStatistics(values: readonly number[], floorFraction: number): SampleStatistics {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, std: NaN, halfWidth: NaN, low: NaN, high: NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const floor = floorFraction * Math.abs(mean);
  if (n === 1)
    return { n, mean, std: NaN, halfWidth: 2 * floor, low: mean - 2 * floor, high: mean + 2 * floor };
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const t = studentTQuantile(0.975, n - 1);
  const halfWidth = Math.hypot((t * std) / Math.sqrt(n), floor);
  return { n, mean, std, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}
