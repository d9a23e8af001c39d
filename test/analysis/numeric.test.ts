import { describe, expect, it } from 'vitest';
import {
  differentialEvolution,
  findPeaks,
  gaussianFilter,
  isotonicRegression,
  kurtosis,
  nelderMead,
  savitzkyGolay,
  savitzkyGolayCoefficients,
  skewness,
} from '../../src/analysis/numeric/index.js';
import { isDiscernError } from '../../src/core/index.js';

// Reference values computed with scipy 1.17.1 (savgol_coeffs, savgol_filter mode='interp',
// gaussian_filter1d, find_peaks / peak_prominences / peak_widths).
const Y = [0.3, 1.1, 0.7, 2.5, 2.2, 3.9, 3.1, 4.8, 4.4, 6.0, 5.2, 7.1, 6.3];

function close(a: ArrayLike<number>, b: readonly number[], tol = 1e-10): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol);
}

describe('Savitzky-Golay', () => {
  it('coefficients equal scipy savgol_coeffs', () => {
    close(
      savitzkyGolayCoefficients(7, 2),
      [
        -0.09523809523809523, 0.14285714285714307, 0.285714285714286, 0.33333333333333365, 0.2857142857142859,
        0.142857142857143, -0.09523809523809527,
      ],
    );
    close(
      savitzkyGolayCoefficients(11, 3, 1),
      [
        0.05827505827505826, -0.05710955710955706, -0.10334110334110337, -0.09770784770784775,
        -0.05749805749805752, 0, 0.0574980574980575, 0.09770784770784773, 0.10334110334110339,
        0.05710955710955712, -0.0582750582750583,
      ],
    );
  });
  it('filter with interp edges equals scipy savgol_filter', () => {
    close(
      savitzkyGolay(Y, 5, 2),
      [
        0.31999999999999973, 0.8399999999999997, 1.3599999999999994, 1.779999999999999, 2.9371428571428555,
        3.085714285714284, 3.922857142857141, 4.054285714285712, 5.128571428571426, 5.185714285714283,
        6.099999999999997, 6.439999999999998, 6.48,
      ],
    );
    close(
      savitzkyGolay(Y, 7, 3, { derivative: 1, delta: 0.5 }),
      [
        -0.3166666666666568, 0.852380952380956, 1.521428571428571, 1.6904761904761905, 1.2746031746031758,
        0.991269841269842, 0.973015873015874, 1.1912698412698433, 1.1103174603174621, 1.0325396825396838,
        0.773015873015874, 0.5468253968254033, 0.35396825396826936,
      ],
      1e-9,
    );
  });
  it('reproduces a cubic and its derivative exactly (order 3)', () => {
    const x = Array.from({ length: 40 }, (_, i) => i * 0.1);
    const y = x.map((t) => 2 - t + 0.5 * t * t - 0.1 * t ** 3);
    close(savitzkyGolay(y, 9, 3), y, 1e-10);
    close(
      savitzkyGolay(y, 9, 3, { derivative: 1, delta: 0.1 }),
      x.map((t) => -1 + t - 0.3 * t * t),
      1e-8,
    );
  });
  it('rejects an even window and a too-short series', () => {
    expect(() => savitzkyGolayCoefficients(6, 2)).toThrow();
    let err: unknown;
    try {
      savitzkyGolay([1, 2, 3], 5, 2);
    } catch (e) {
      err = e;
    }
    expect(isDiscernError(err, 'DISCERN_INSUFFICIENT_DATA')).toBe(true);
  });
});

describe('Gaussian filter, isotonic regression, moments', () => {
  it('gaussianFilter equals scipy gaussian_filter1d (reflect, truncate 4)', () => {
    close(
      gaussianFilter(Y, 1.5),
      [
        0.7325441828004406, 0.9717953483633281, 1.4155670778599827, 1.9966027474569819, 2.618724188421403,
        3.2080071292592947, 3.7587551528457306, 4.303513379319548, 4.848083593652988, 5.367523403688073,
        5.829958300875264, 6.182375404629008, 6.3665500908279595,
      ],
    );
  });
  it('isotonic regression pools adjacent violators', () => {
    close(isotonicRegression([3, 1, 2]), [3, 1.5, 1.5]);
    close(isotonicRegression([1, 3, 2, 4], false), [1, 2.5, 2.5, 4]);
    close(isotonicRegression([5, 4, 4.5, 3, 3.2, 1]), [5, 4.25, 4.25, 3.1, 3.1, 1]);
  });
  it('skewness and excess kurtosis (biased, scipy defaults)', () => {
    // For [1, 2, 3, 10]: mean 4, m2 = 12.5, m3 = 45, m4 = 348.5 (deviations -3, -2, -1, 6).
    expect(skewness([1, 2, 3, 10])).toBeCloseTo(45 / 12.5 ** 1.5, 12);
    expect(kurtosis([1, 2, 3, 10])).toBeCloseTo(348.5 / 12.5 ** 2 - 3, 12);
  });
});

describe('findPeaks against scipy', () => {
  it('positions, prominences and widths', () => {
    const x = Array.from({ length: 201 }, (_, i) => (10 * i) / 200);
    const s = x.map(
      (t) =>
        Math.exp(-((t - 3) ** 2) / 0.5) +
        0.6 * Math.exp(-((t - 6.5) ** 2) / 0.2) +
        0.3 * Math.exp(-((t - 8) ** 2) / 0.1) +
        0.05 * Math.sin(7 * t),
    );
    const p = findPeaks(s, { prominence: 0.1 });
    expect(p.map((q) => q.index)).toEqual([59, 130, 161]);
    close(
      p.map((q) => q.prominence),
      [1.0930260372989846, 0.6996135284281433, 0.22374821010209153],
    );
    close(
      p.map((q) => q.widthSamples),
      [22.820216214159878, 13.620602066185569, 9.568757452641478],
      1e-9,
    );
  });
});

describe('optimisers', () => {
  const rosen = ([a, b]: readonly number[]): number => (1 - a!) ** 2 + 100 * (b! - a! * a!) ** 2;
  it('Nelder-Mead finds the Rosenbrock minimum (1, 1)', () => {
    const r = nelderMead(rosen, [-1.2, 1], { maxIterations: 5000 });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });
  it('differential evolution is seeded (same seed, same answer) and global', () => {
    const f = ([x]: readonly number[]): number => Math.sin(3 * x!) + 0.1 * (x! - 2) ** 2;
    const a = differentialEvolution(f, [[-5, 5]], { seed: 7 });
    const b = differentialEvolution(f, [[-5, 5]], { seed: 7 });
    expect(a.x).toEqual(b.x);
    // The global minimum of sin(3x) + 0.1(x-2)^2 on [-5, 5] is near x = 1.5577 (f' = 0 there).
    expect(3 * Math.cos(3 * a.x[0]!) + 0.2 * (a.x[0]! - 2)).toBeCloseTo(0, 6);
    expect(a.x[0]!).toBeGreaterThan(1.4);
    expect(a.x[0]!).toBeLessThan(1.7);
  });
});
