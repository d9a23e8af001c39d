import { DiscernError, type Frame } from '../../core/index.js';
import { pulsesFromSegments, type FindPulsesOptions } from '../pulse/find-pulses.js';
import { currentSegments, defaultRestThresholdA, pulseChannels } from '../pulse/segments.js';
import { stateOfCharge } from '../pulse/state-of-charge.js';

export interface GittOptions extends FindPulsesOptions {
  /**
   * Diffusion length V_M/S, m: the film thickness, or r/3 for spherical particles of radius r
   * (Weppner-Huggins' m_B·V_M/(M_B·S)). Without it only D/L² is reported.
   */
  readonly lengthM?: number;
  /** Capacity for the SOC axis, Ah; default estimated from the data. */
  readonly capacityAh?: number;
  /** Samples earlier than this fraction of the pulse are left out of the √t fit (ohmic and charge-transfer transient); default 0.02. */
  readonly fitStartFraction?: number;
  /** R² of V against √t at or above which the pulse counts as linear in √t; default 0.99. */
  readonly linearityR2?: number;
}

/** One titration step. Voltages in V, times in s, D in m²/s. */
export interface GittPulse {
  readonly index: number;
  readonly direction: 'discharge' | 'charge';
  readonly onsetTimeS: number;
  /** τ, the pulse length. */
  readonly durationS: number;
  readonly currentA: number;
  /** SOC at the onset, %. */
  readonly socPct: number;
  /**
   * Equilibrium voltage before and after the step: a straight line through the last 10 % of each
   * rest, read at its end.
   */
  readonly ocvBeforeV: number;
  readonly ocvAfterV: number;
  /** Length of the rest after the pulse. */
  readonly relaxationS: number;
  /** dV/dt over the last 10 % of that rest, V/s: how far from equilibrium it ended. */
  readonly relaxationSlopeVPerS: number;
  /** ΔE_s = OCV after − OCV before. */
  readonly deltaEsV: number;
  /** ΔE_τ = slope of V against √t times √τ (the ohmic step excluded). */
  readonly deltaEtauV: number;
  /** ΔE_τ as the last minus the first pulse sample. */
  readonly deltaEtauTwoPointV: number;
  /** Slope dE/d√t, V/√s, intercept E(0+) and R² of the √t fit. */
  readonly sqrtSlopeVPerSqrtS: number;
  readonly sqrtInterceptV: number;
  readonly sqrtR2: number;
  /** True when R² ≥ linearityR2. */
  readonly linearInSqrtT: boolean;
  /** (E(0+) − OCV before)/I, the ohmic plus fast-process resistance, Ohm. */
  readonly resistanceOhm: number;
  /** D/L² = 4/(πτ)·(ΔE_s/ΔE_τ)², 1/s (√t form of ΔE_τ). */
  readonly diffusionRatePerS: number;
  /** D = D/L²·L², m²/s (NaN without lengthM). */
  readonly diffusionCoefficientM2PerS: number;
  /** D from the two-point ΔE_τ, m²/s (NaN without lengthM). */
  readonly diffusionCoefficientTwoPointM2PerS: number;
  /**
   * τ·D/L² with the D found: the method needs τ ≪ L²/D, so this should be well below 1 (above
   * about 0.1 the √t law fails, and D is underestimated, so the ratio understates the problem).
   */
  readonly validityRatio: number;
}

export interface GittResult {
  readonly pulses: readonly GittPulse[];
  readonly lengthM: number | null;
  readonly capacityAh: number;
  readonly warnings: readonly string[];
}

/**
 * The voltage at the end of a rest (rows start..end) from a straight line through its last 10 %
 * (at least 3 samples), so one noisy sample does not set it, and the slope of that line (V/s).
 */
function restEnd(t: Float64Array, v: Float64Array, start: number, end: number): { v: number; slope: number } {
  const span = t[end]! - t[start]!;
  let a = end;
  while (a > start && (t[end]! - t[a - 1]! <= 0.1 * span || end - a < 2)) a--;
  const n = end - a + 1;
  if (n < 3) return { v: v[end]!, slope: NaN };
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let r = a; r <= end; r++) {
    const x = t[r]! - t[end]!;
    sx += x;
    sy += v[r]!;
    sxx += x * x;
    sxy += x * v[r]!;
  }
  const den = n * sxx - sx * sx;
  if (!(den > 0)) return { v: v[end]!, slope: NaN };
  const slope = (n * sxy - sx * sy) / den;
  return { v: (sy - slope * sx) / n, slope };
}

/**
 * Weppner-Huggins diffusion coefficient (J. Electrochem. Soc. 124 (1977) 1569):
 * D = 4/(πτ)·(L·ΔE_s/ΔE_τ)², valid for τ ≪ L²/D, with L = V_M/S (r/3 for spheres).
 * @example weppnerHugginsD(600, 5e-6 / 3, 0.005, 0.02) // 3.684e-16 m²/s
 */
export function weppnerHugginsD(
  durationS: number,
  lengthM: number,
  deltaEsV: number,
  deltaEtauV: number,
): number {
  return (4 / (Math.PI * durationS)) * ((lengthM * deltaEsV) / deltaEtauV) ** 2;
}

/**
 * GITT: finds the current pulses (any length) that sit between rests, and for each gives the
 * equilibrium voltage before and after, the √t fit of the voltage during the pulse (linearity
 * check), the Weppner-Huggins diffusion coefficient (D/L², and D when the diffusion length is
 * given) and how relaxed the cell was at the end of the rest.
 * @throws DISCERN_MISSING_COLUMN, DISCERN_INSUFFICIENT_DATA (no pulse between rests), DISCERN_BAD_ARGUMENT
 * @example const { pulses } = gitt(frame, { lengthM: 5e-6 / 3 });
 */
export function gitt(frame: Frame, options: GittOptions = {}): GittResult {
  const ch = pulseChannels(frame);
  const L = options.lengthM;
  if (L !== undefined && !(L > 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'the diffusion length must be positive');
  const startFrac = options.fitStartFraction ?? 0.02;
  const r2Min = options.linearityR2 ?? 0.99;
  const threshold = options.restThresholdA ?? defaultRestThresholdA(ch.currentA);
  const segments = currentSegments(ch.currentA, threshold);
  const found = pulsesFromSegments(frame, ch, segments, { maxDurationS: Infinity, ...options });
  const where = frame.meta.sourceFile !== undefined ? { file: frame.meta.sourceFile } : {};
  if (found.length === 0)
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'no current pulse after a rest in the data', where);
  const soc = stateOfCharge(frame, ch.timeS, ch.currentA, segments, {
    ...(options.capacityAh !== undefined ? { capacityAh: options.capacityAh } : {}),
  });
  const { timeS: t, voltageV: v } = ch;
  const pulses: GittPulse[] = [];
  const warnings = [...soc.warnings];
  for (const p of found) {
    if (p.relaxationEndRow < 0) continue;
    const tau = p.durationS;
    // V against √(t − onset) over the pulse, after the initial transient.
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    for (let r = p.startRow; r <= p.endRow; r++) {
      const dt = t[r]! - p.onsetTimeS;
      if (dt < startFrac * tau || !Number.isFinite(v[r]!)) continue;
      const x = Math.sqrt(dt);
      const y = v[r]!;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
      syy += y * y;
    }
    let slope = NaN;
    let intercept = NaN;
    let r2 = NaN;
    if (n >= 3) {
      const vx = sxx - (sx * sx) / n;
      const vy = syy - (sy * sy) / n;
      const cxy = sxy - (sx * sy) / n;
      slope = cxy / vx;
      intercept = (sy - slope * sx) / n;
      r2 = vy > 0 ? (cxy * cxy) / (vx * vy) : 1;
    }
    const before = restEnd(t, v, p.restStartRow, p.restEndRow);
    const after = restEnd(t, v, p.endRow + 1, p.relaxationEndRow);
    const e0 = before.v;
    const es = after.v;
    const dEs = es - e0;
    const dEtau = slope * Math.sqrt(tau);
    const dEtau2 = v[p.endRow]! - v[p.startRow]!;
    const rate = (4 / (Math.PI * tau)) * (dEs / dEtau) ** 2;
    const rate2 = (4 / (Math.PI * tau)) * (dEs / dEtau2) ** 2;
    const tEndRest = t[p.relaxationEndRow]!;
    pulses.push({
      index: p.index,
      direction: p.direction,
      onsetTimeS: p.onsetTimeS,
      durationS: tau,
      currentA: p.currentA,
      socPct: soc.socPct[p.restEndRow]!,
      ocvBeforeV: e0,
      ocvAfterV: es,
      relaxationS: tEndRest - t[p.endRow]!,
      relaxationSlopeVPerS: after.slope,
      deltaEsV: dEs,
      deltaEtauV: dEtau,
      deltaEtauTwoPointV: dEtau2,
      sqrtSlopeVPerSqrtS: slope,
      sqrtInterceptV: intercept,
      sqrtR2: r2,
      linearInSqrtT: r2 >= r2Min,
      resistanceOhm: (intercept - e0) / p.currentA,
      diffusionRatePerS: rate,
      diffusionCoefficientM2PerS: L !== undefined ? rate * L * L : NaN,
      diffusionCoefficientTwoPointM2PerS: L !== undefined ? rate2 * L * L : NaN,
      validityRatio: tau * rate,
    });
  }
  if (pulses.length === 0)
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'no current pulse is followed by a rest', where);
  return { pulses, lengthM: L ?? null, capacityAh: soc.capacityAh, warnings };
}
