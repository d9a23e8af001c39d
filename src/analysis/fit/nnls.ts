import { solveSpdSubset } from './dense.js';

export interface NnlsResult {
  /** The solution, x ≥ 0. */
  readonly x: Float64Array;
  readonly iterations: number;
  /** False when the iteration limit was reached. */
  readonly converged: boolean;
}

/**
 * Non-negative least squares in normal-equation form: minimise ½xᵀHx − fᵀx subject to x ≥ 0,
 * with H symmetric positive definite (n×n row-major). This is Lawson and Hanson's active-set
 * method written on H and f (Bro and de Jong 1997, "FNNLS"), so a Tikhonov problem
 * min ‖Ax − b‖² + λxᵀMx is solved with H = AᵀA + λM and f = Aᵀb.
 * @example const { x } = nnlsNormal(H, f, n);
 */
export function nnlsNormal(
  h: Float64Array,
  f: Float64Array,
  n: number,
  options: { maxIterations?: number; tolerance?: number } = {},
): NnlsResult {
  const maxIter = options.maxIterations ?? 30 * n + 100;
  let fmax = 0;
  for (let i = 0; i < n; i++) fmax = Math.max(fmax, Math.abs(f[i]!));
  const tol = options.tolerance ?? 1e-13 * n * Math.max(fmax, 1e-300);
  const x = new Float64Array(n);
  const s = new Float64Array(n);
  const w = new Float64Array(n);
  const passive = new Uint8Array(n);
  const work = new Float64Array(n * n + n);
  const idx: number[] = [];
  let iterations = 0;
  const gradient = (): void => {
    for (let i = 0; i < n; i++) {
      let v = f[i]!;
      for (let j = 0; j < n; j++) v -= h[i * n + j]! * x[j]!;
      w[i] = v;
    }
  };
  gradient();
  for (;;) {
    let best = -1;
    let bestW = tol;
    for (let i = 0; i < n; i++) {
      if (!passive[i] && w[i]! > bestW) {
        bestW = w[i]!;
        best = i;
      }
    }
    if (best < 0) return { x, iterations, converged: true };
    if (iterations >= maxIter) return { x, iterations, converged: false };
    passive[best] = 1;
    for (;;) {
      iterations++;
      idx.length = 0;
      for (let i = 0; i < n; i++) if (passive[i]) idx.push(i);
      s.fill(0);
      if (!solveSpdSubset(h, n, f, idx, s, work)) {
        // Numerically singular subset: drop the variable just added and stop adding.
        passive[best] = 0;
        return { x, iterations, converged: false };
      }
      let minS = Infinity;
      for (const i of idx) minS = Math.min(minS, s[i]!);
      if (minS > 0) {
        x.set(s);
        break;
      }
      let alpha = Infinity;
      let hit = -1;
      for (const i of idx) {
        if (s[i]! <= 0) {
          const a = x[i]! / (x[i]! - s[i]!);
          if (a < alpha) {
            alpha = a;
            hit = i;
          }
        }
      }
      let xmax = 0;
      for (let i = 0; i < n; i++) {
        x[i] = x[i]! + alpha * (s[i]! - x[i]!);
        xmax = Math.max(xmax, Math.abs(x[i]!));
      }
      for (const i of idx) {
        if (i === hit || x[i]! <= 1e-14 * xmax) {
          x[i] = 0;
          passive[i] = 0;
        }
      }
      if (iterations >= maxIter) return { x, iterations, converged: false };
    }
    gradient();
  }
}
