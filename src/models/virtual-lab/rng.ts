import { seededRandom } from '../../core/index.js';

/** A seeded pseudo-random source for the virtual lab. */
export interface LabRandom {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Normal deviate with the given mean and standard deviation (default 0, 1). */
  normal(mean?: number, sd?: number): number;
  /** A child generator whose sequence depends only on this seed and `label` (stable when other draws change). */
  fork(label: string): LabRandom;
}

function hash32(text: string, seed: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * mulberry32 with Box-Muller normals. `fork(label)` derives an independent stream from the seed
 * and a label (FNV-1a), so adding a sample or a test to the lab does not shift every other draw.
 * Not for cryptography.
 * @example const rng = labRandom(7).fork('KP-105/sample-1'); const q = rng.normal(105, 0.5);
 */
export function labRandom(seed: number): LabRandom {
  const base = seededRandom(seed);
  return {
    uniform: base.uniform,
    normal: (mean = 0, sd = 1) => mean + sd * base.normal(),
    fork: (label) => labRandom(hash32(label, seed)),
  };
}
