/** How {@link selfHeatingRate} smooths and differentiates a temperature record. */
export interface SelfHeatingRateOptions {
  /** Width of the running median that removes single-sample spikes (odd, >= 1; default 5). */
  despikePoints?: number;
  /** Full width of the time window of the local linear fit, s (default 600). */
  windowS?: number;
  /** Full temperature span allowed in the window, degC (default 2): narrows it when T rises fast. */
  windowDegC?: number;
  /** Fewest points in a window (default 5); the window grows past the limits to reach it. */
  minPoints?: number;
}

/** Smoothed temperature and its rate. */
export interface SelfHeatingRateResult {
  /** The despiked temperature, degC. */
  temperatureDegC: Float64Array;
  /** dT/dt from a least-squares line through each point's window, degC/s. */
  rateDegCPerS: Float64Array;
}

/**
 * dT/dt of an ARC temperature record, robust to noise: a running median of `despikePoints`
 * samples removes isolated spikes, then the slope of a least-squares line through the samples
 * within ±windowS/2 and ±windowDegC/2 of each point (at least `minPoints`) is its rate. The
 * temperature limit narrows the window by itself where the sample runs away, so one setting
 * serves 0.02 degC/min and 100 degC/s. Windows never cross a segment boundary (`segment[i]`
 * changes, e.g. from a heat step to a wait), so heater steps do not leak into the self-heating
 * rate. Pure; O(n * window).
 * @param timeS strictly increasing times, s
 * @param temperatureDegC temperatures, degC (finite)
 * @param segment segment id per sample (e.g. 0 heat, 1 tracking); omit for one segment
 * @example selfHeatingRate(t, T).rateDegCPerS[i] * 60 // degC/min
 */
export function selfHeatingRate(
  timeS: Float64Array,
  temperatureDegC: Float64Array,
  segment?: ArrayLike<number>,
  options: SelfHeatingRateOptions = {},
): SelfHeatingRateResult {
  const n = timeS.length;
  const despike = Math.max(1, Math.floor(options.despikePoints ?? 5) | 1);
  const halfT = (options.windowS ?? 600) / 2;
  const halfDeg = (options.windowDegC ?? 2) / 2;
  const minPoints = Math.max(2, Math.floor(options.minPoints ?? 5));
  const seg = (i: number): number => (segment === undefined ? 0 : segment[i]!);
  const smooth = new Float64Array(n);
  const rate = new Float64Array(n).fill(NaN);
  const buf: number[] = [];
  let s0 = 0;
  while (s0 < n) {
    let s1 = s0;
    while (s1 + 1 < n && seg(s1 + 1) === seg(s0)) s1++;
    // Running median within the segment (shrinking at its ends).
    const h = despike >> 1;
    for (let i = s0; i <= s1; i++) {
      const a = Math.max(s0, i - h);
      const b = Math.min(s1, i + h);
      buf.length = 0;
      for (let j = a; j <= b; j++) buf.push(temperatureDegC[j]!);
      buf.sort((x, y) => x - y);
      smooth[i] =
        buf.length % 2 === 1 ? buf[buf.length >> 1]! : (buf[buf.length / 2 - 1]! + buf[buf.length / 2]!) / 2;
    }
    for (let i = s0; i <= s1; i++) {
      const ti = timeS[i]!;
      const yi = smooth[i]!;
      const inside = (j: number): boolean =>
        Math.abs(timeS[j]! - ti) <= halfT && Math.abs(smooth[j]! - yi) <= halfDeg;
      let a = i;
      let b = i;
      while (a - 1 >= s0 && inside(a - 1)) a--;
      while (b + 1 <= s1 && inside(b + 1)) b++;
      while (b - a + 1 < minPoints && (a > s0 || b < s1)) {
        if (a > s0) a--;
        if (b - a + 1 < minPoints && b < s1) b++;
      }
      const m = b - a + 1;
      if (m < 2) continue;
      let st = 0;
      let sy = 0;
      for (let j = a; j <= b; j++) {
        st += timeS[j]! - ti;
        sy += smooth[j]!;
      }
      const mt = st / m;
      const my = sy / m;
      let sxx = 0;
      let sxy = 0;
      for (let j = a; j <= b; j++) {
        const dx = timeS[j]! - ti - mt;
        sxx += dx * dx;
        sxy += dx * (smooth[j]! - my);
      }
      if (sxx > 0) rate[i] = sxy / sxx;
    }
    s0 = s1 + 1;
  }
  return { temperatureDegC: smooth, rateDegCPerS: rate };
}
