/** One local maximum with scipy.signal.find_peaks-style prominence and width. */
export interface Peak {
  /** Sample index of the peak (the middle sample of a flat top). */
  index: number;
  height: number;
  /** Height above the higher of the two surrounding minima (scipy's definition). */
  prominence: number;
  /** Indices of the minima that define the prominence. */
  leftBase: number;
  rightBase: number;
  /** Width in samples at half the prominence, with linear interpolation between samples. */
  widthSamples: number;
  /** Interpolated positions (fractional sample index) where the half-prominence line is crossed. */
  leftIps: number;
  rightIps: number;
}

/** Options of `findPeaks`. */
export interface FindPeaksOptions {
  /** Minimum height. */
  height?: number;
  /** Minimum prominence (same unit as the data). */
  prominence?: number;
  /** Minimum distance between peaks in samples; lower peaks closer than this are dropped. */
  distance?: number;
}

/**
 * Local maxima of `y` with their prominence and half-prominence width, filtered by height,
 * prominence and distance, in the manner of scipy.signal.find_peaks (non-finite samples break
 * no ties and are never peaks).
 * @example findPeaks(y, { prominence: 0.1 })
 */
export function findPeaks(y: ArrayLike<number>, options: FindPeaksOptions = {}): Peak[] {
  const n = y.length;
  const candidates: number[] = [];
  let i = 1;
  while (i < n - 1) {
    if (y[i - 1]! < y[i]!) {
      let ahead = i + 1;
      while (ahead < n - 1 && y[ahead]! === y[i]!) ahead++;
      if (y[ahead]! < y[i]!) {
        candidates.push((i + ahead - 1) >> 1);
        i = ahead;
        continue;
      }
    }
    i++;
  }
  let keep = candidates.filter((k) => options.height === undefined || y[k]! >= options.height);
  if (options.distance !== undefined && options.distance > 1) {
    const dist = options.distance;
    const byHeight = [...keep].sort((a, b) => y[b]! - y[a]!);
    const removed = new Set<number>();
    for (const k of byHeight) {
      if (removed.has(k)) continue;
      for (const j of keep) if (j !== k && !removed.has(j) && Math.abs(j - k) < dist) removed.add(j);
    }
    keep = keep.filter((k) => !removed.has(k));
  }
  const peaks: Peak[] = [];
  for (const k of keep) {
    const h = y[k]!;
    let lmin = h;
    let lb = k;
    for (let j = k - 1; j >= 0 && y[j]! <= h; j--) {
      if (y[j]! < lmin) {
        lmin = y[j]!;
        lb = j;
      }
    }
    let rmin = h;
    let rb = k;
    for (let j = k + 1; j < n && y[j]! <= h; j++) {
      if (y[j]! < rmin) {
        rmin = y[j]!;
        rb = j;
      }
    }
    const base = Math.max(lmin, rmin);
    const prominence = h - base;
    if (options.prominence !== undefined && prominence < options.prominence) continue;
    const level = h - 0.5 * prominence;
    let li = k;
    while (li > lb && y[li]! > level) li--;
    let leftIps = li;
    if (y[li]! < level) leftIps = li + (level - y[li]!) / (y[li + 1]! - y[li]!);
    let ri = k;
    while (ri < rb && y[ri]! > level) ri++;
    let rightIps = ri;
    if (y[ri]! < level) rightIps = ri - (level - y[ri]!) / (y[ri - 1]! - y[ri]!);
    peaks.push({
      index: k,
      height: h,
      prominence,
      leftBase: lb,
      rightBase: rb,
      widthSamples: rightIps - leftIps,
      leftIps,
      rightIps,
    });
  }
  return peaks;
}
