// The numerical core under the EIS, ECM and DRT fits: bounded Levenberg-Marquardt, covariance,
// Student-t quantiles, non-negative least squares, the seeded generator.
import { describe, expect, it } from 'vitest';
import { parameterCovariance } from '../../src/analysis/fit/covariance.js';
import { levenbergMarquardt } from '../../src/analysis/fit/levenberg-marquardt.js';
import { nnlsNormal } from '../../src/analysis/fit/nnls.js';
import { seededRandom } from '../../src/analysis/fit/random.js';
import { studentTQuantile } from '../../src/analysis/fit/student-t.js';

describe('levenbergMarquardt', () => {
  it('finds the minimum of the Rosenbrock function (1, 1) from (-1.2, 1)', () => {
    const fit = levenbergMarquardt(
      {
        m: 2,
        residuals: (x, r) => {
          r[0] = 10 * (x[1]! - x[0]! * x[0]!);
          r[1] = 1 - x[0]!;
        },
      },
      [-1.2, 1],
    );
    expect(fit.converged).toBe(true);
    expect(fit.parameters[0]).toBeCloseTo(1, 8);
    expect(fit.parameters[1]).toBeCloseTo(1, 8);
  });

  it('fits an exponential decay exactly from noise-free data', () => {
    const t = Array.from({ length: 30 }, (_, k) => k * 0.5);
    const y = t.map((v) => 3 * Math.exp(-v / 4) + 0.5);
    const fit = levenbergMarquardt(
      {
        m: t.length,
        residuals: (x, r) => {
          for (let k = 0; k < t.length; k++) r[k] = x[0]! * Math.exp(-t[k]! / x[1]!) + x[2]! - y[k]!;
        },
      },
      [1, 1, 0],
    );
    expect(fit.parameters[0]).toBeCloseTo(3, 7);
    expect(fit.parameters[1]).toBeCloseTo(4, 7);
    expect(fit.parameters[2]).toBeCloseTo(0.5, 7);
  });

  it('respects bounds and stops on the bound when the minimum lies outside', () => {
    // minimise (x − 2)² + (y + 1)² with x ≤ 1, y ≥ 0: the answer is (1, 0).
    const fit = levenbergMarquardt(
      {
        m: 2,
        residuals: (x, r) => {
          r[0] = x[0]! - 2;
          r[1] = x[1]! + 1;
        },
      },
      [0.5, 0.5],
      { lower: [-Infinity, 0], upper: [1, Infinity] },
    );
    expect(fit.parameters[0]).toBeCloseTo(1, 12);
    expect(fit.parameters[1]).toBeCloseTo(0, 12);
    expect(fit.atBound).toEqual([true, true]);
    expect(fit.converged).toBe(true);
  });

  it('moves a parameter that starts at zero (finite-difference step floor)', () => {
    const fit = levenbergMarquardt(
      {
        m: 3,
        residuals: (x, r) => {
          r[0] = x[0]! - 0.003;
          r[1] = 2 * (x[0]! - 0.003);
          r[2] = 0;
        },
      },
      [0],
    );
    expect(fit.parameters[0]).toBeCloseTo(0.003, 12);
  });

  it('reports non-convergence as a result when the iteration limit is hit', () => {
    const fit = levenbergMarquardt(
      {
        m: 2,
        residuals: (x, r) => {
          r[0] = 10 * (x[1]! - x[0]! * x[0]!);
          r[1] = 1 - x[0]!;
        },
      },
      [-1.2, 1],
      { maxIterations: 2 },
    );
    expect(fit.converged).toBe(false);
    expect(fit.reason).toBe('max-iterations');
  });

  it('rejects fewer residuals than parameters and a non-finite start', () => {
    const p = { m: 1, residuals: (_x: Float64Array, r: Float64Array) => void (r[0] = 0) };
    expect(() => levenbergMarquardt(p, [1, 2])).toThrow(
      expect.objectContaining({ code: 'DISCERN_FIT_FAILED' }),
    );
    expect(() => levenbergMarquardt({ ...p, m: 2 }, [NaN])).toThrow(
      expect.objectContaining({ code: 'DISCERN_FIT_FAILED' }),
    );
  });
});

describe('parameterCovariance', () => {
  it('equals the textbook standard errors of a straight-line fit', () => {
    const rng = seededRandom(5);
    const x = Array.from({ length: 20 }, (_, k) => k);
    const y = x.map((v) => 2 + 0.5 * v + 0.3 * rng.normal());
    const fit = levenbergMarquardt(
      {
        m: 20,
        residuals: (p, r) => {
          for (let k = 0; k < 20; k++) r[k] = p[0]! + p[1]! * x[k]! - y[k]!;
        },
      },
      [0, 0],
    );
    const cov = parameterCovariance(fit.jacobian, 20, 2, fit.sumSquares);
    // Closed form: s² = SSE/(n − 2); se(b) = s/√Sxx; se(a) = s·√(1/n + x̄²/Sxx).
    const n = 20;
    const xm = x.reduce((a, b) => a + b) / n;
    const sxx = x.reduce((a, b) => a + (b - xm) ** 2, 0);
    const s = Math.sqrt(fit.sumSquares / (n - 2));
    expect(cov.stderr[1]).toBeCloseTo(s / Math.sqrt(sxx), 8);
    expect(cov.stderr[0]).toBeCloseTo(s * Math.sqrt(1 / n + (xm * xm) / sxx), 8);
    expect(cov.t95).toBeCloseTo(2.10092204, 6);
  });

  it('gives NaN for a parameter the data do not determine', () => {
    // r = (a + b) − 1: only a + b is determined.
    const jac = Float64Array.of(1, 1, 1, 1, 1, 1);
    const cov = parameterCovariance(jac, 3, 2, 0.1);
    expect(Number.isNaN(cov.stderr[0]!)).toBe(true);
    expect(cov.rank).toBe(1);
  });
});

describe('studentTQuantile', () => {
  it('matches tables: t(0.975; 1) = 12.7062, t(0.975; 10) = 2.2281, t(0.975; 1000) = 1.9623', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047, 5);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281389, 6);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.9623391, 6);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281389, 6);
    expect(Number.isNaN(studentTQuantile(1.5, 10))).toBe(true);
  });
});

describe('nnlsNormal', () => {
  it('agrees with brute force over all active sets on random problems', () => {
    const rng = seededRandom(8);
    for (let trial = 0; trial < 20; trial++) {
      const n = 4;
      const m = 7;
      const a = Array.from({ length: m * n }, () => rng.normal());
      const b = Array.from({ length: m }, () => rng.normal());
      const h = new Float64Array(n * n);
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < m; r++) f[i] = f[i]! + a[r * n + i]! * b[r]!;
        for (let j = 0; j < n; j++)
          for (let r = 0; r < m; r++) h[i * n + j] = h[i * n + j]! + a[r * n + i]! * a[r * n + j]!;
      }
      const cost = (x: ArrayLike<number>): number => {
        let s = 0;
        for (let r = 0; r < m; r++) {
          let v = -b[r]!;
          for (let i = 0; i < n; i++) v += a[r * n + i]! * x[i]!;
          s += v * v;
        }
        return s;
      };
      // Brute force: unconstrained least squares on every subset, keep feasible ones.
      let best = cost(new Float64Array(n));
      for (let mask = 1; mask < 1 << n; mask++) {
        const idx = [0, 1, 2, 3].filter((i) => mask & (1 << i));
        const p = idx.length;
        const sub = idx.map((i) => idx.map((j) => h[i * n + j]!));
        const rhs = idx.map((i) => f[i]!);
        // Gaussian elimination.
        for (let c = 0; c < p; c++) {
          for (let r2 = c + 1; r2 < p; r2++) {
            const k = sub[r2]![c]! / sub[c]![c]!;
            for (let c2 = c; c2 < p; c2++) sub[r2]![c2] = sub[r2]![c2]! - k * sub[c]![c2]!;
            rhs[r2] = rhs[r2]! - k * rhs[c]!;
          }
        }
        const xs = new Array<number>(p).fill(0);
        for (let r2 = p - 1; r2 >= 0; r2--) {
          let v = rhs[r2]!;
          for (let c2 = r2 + 1; c2 < p; c2++) v -= sub[r2]![c2]! * xs[c2]!;
          xs[r2] = v / sub[r2]![r2]!;
        }
        if (xs.some((v) => v < 0)) continue;
        const x = new Float64Array(n);
        idx.forEach((i, k) => (x[i] = xs[k]!));
        best = Math.min(best, cost(x));
      }
      const sol = nnlsNormal(h, f, n);
      expect(sol.converged).toBe(true);
      expect(Array.from(sol.x).every((v) => v >= 0)).toBe(true);
      expect(cost(sol.x)).toBeCloseTo(best, 10);
    }
  });
});

describe('seededRandom', () => {
  it('repeats with the same seed and gives standard normals', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    const xs = Array.from({ length: 20000 }, () => a.normal());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.normal()));
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
    // 20000 samples: the mean is within 4σ/√n = 0.028, the sd within about 2 %.
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.02);
  });
});
