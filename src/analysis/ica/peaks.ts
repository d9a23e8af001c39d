import { findPeaks } from '../numeric/find-peaks.js';
import type { DifferentialCurve } from './dqdv.js';

/** A peak of a dQ/dV (or dV/dQ) curve. */
export interface CurvePeak {
  /** Peak position (V for dQ/dV, Ah for dV/dQ). */
  position: number;
  /** Curve value at the peak (Ah/V or V/Ah). */
  height: number;
  prominence: number;
  /** Full width at half prominence, in x units. */
  width: number;
  /** ∫ y dx from the valley before to the valley after the peak: for dQ/dV, the capacity (Ah) there. */
  area: number;
}

/** Options of `curvePeaks`. */
export interface CurvePeaksOptions {
  /** Minimum prominence as a fraction of the curve's maximum; default 0.05. */
  relativeProminence?: number;
  /** Minimum prominence in y units (overrides the relative one). */
  prominence?: number;
}

/**
 * Peaks of a differential curve with position, height, prominence, width and area.
 * @example curvePeaks(dqdv(q, v)).map((p) => p.position)
 */
export function curvePeaks(curve: DifferentialCurve, options: CurvePeaksOptions = {}): CurvePeak[] {
  const { x, y } = curve;
  let ymax = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! > ymax) ymax = y[i]!;
  const prom = options.prominence ?? (options.relativeProminence ?? 0.05) * ymax;
  const at = (f: number): number => {
    const i = Math.floor(f);
    return i + 1 < x.length ? x[i]! + (x[i + 1]! - x[i]!) * (f - i) : x[i]!;
  };
  return findPeaks(y, { prominence: prom }).map((p) => {
    // Valley to valley: walk down each side to the nearest local minimum.
    let lv = p.index;
    while (lv > 0 && y[lv - 1]! <= y[lv]!) lv--;
    let rv = p.index;
    while (rv < y.length - 1 && y[rv + 1]! <= y[rv]!) rv++;
    let area = 0;
    for (let k = lv; k < rv; k++) area += 0.5 * (y[k]! + y[k + 1]!) * (x[k + 1]! - x[k]!);
    return {
      position: x[p.index]!,
      height: p.height,
      prominence: p.prominence,
      width: Math.abs(at(p.rightIps) - at(p.leftIps)),
      area: Math.abs(area),
    };
  });
}

/** One peak followed across cycles. */
export interface PeakTrack {
  /** 1-based track id, in order of first appearance (and position). */
  id: number;
  points: (CurvePeak & { cycle: number })[];
}

/**
 * Follows peaks across cycles: each peak joins the track whose last position is nearest, within
 * `maxShift` (x units; default 0.05 V), each track taking at most one peak per cycle (the nearest
 * pairs are matched first); unmatched peaks start new tracks.
 * @example trackPeaks([{ cycle: 1, peaks }, { cycle: 50, peaks: p50 }])
 */
export function trackPeaks(
  series: readonly { cycle: number; peaks: readonly CurvePeak[] }[],
  maxShift = 0.05,
): PeakTrack[] {
  const tracks: PeakTrack[] = [];
  for (const { cycle, peaks } of series) {
    const pairs: [number, number, number][] = [];
    tracks.forEach((t, ti) => {
      const last = t.points[t.points.length - 1]!;
      peaks.forEach((p, pi) => {
        const d = Math.abs(p.position - last.position);
        if (d <= maxShift) pairs.push([d, ti, pi]);
      });
    });
    pairs.sort((a, b) => a[0] - b[0]);
    const usedT = new Set<number>();
    const usedP = new Set<number>();
    for (const [, ti, pi] of pairs) {
      if (usedT.has(ti) || usedP.has(pi)) continue;
      usedT.add(ti);
      usedP.add(pi);
      tracks[ti]!.points.push({ ...peaks[pi]!, cycle });
    }
    peaks.forEach((p, pi) => {
      if (!usedP.has(pi)) tracks.push({ id: tracks.length + 1, points: [{ ...p, cycle }] });
    });
  }
  return tracks;
}
