import { DiscernError } from '../../core/index.js';
import type { Modulation } from './types.js';

const TWO_PI = 2 * Math.PI;
const THIRD = Math.PI / 3;

/** Largest linear modulation index: 1 for SPWM, 2/√3 for SVPWM. */
export function maxModulationIndex(modulation: Modulation): number {
  return modulation === 'spwm' ? 1 : 2 / Math.sqrt(3);
}

/**
 * Coefficients of the period-averaged conduction losses of one switch position with a sinusoidal
 * phase current of peak Î and a linearised on-state characteristic v = V0 + r i:
 *   P_T = V0_T Î vT + r_T Î² rT,    P_D = V0_D Î vD + r_D Î² rD.
 * SPWM: vT = 1/(2π) + M cosφ/8, rT = 1/8 + M cosφ/(3π) (diode: minus signs).
 * SVPWM (min-max zero sequence, i.e. SVPWM with centred zero vectors): the V0 terms are unchanged
 * (the odd triplen zero-sequence integrates out against the half-wave current) and the r terms get
 * ± M·G(φ)/(4π), with G evaluated exactly piecewise (see {@link svpwmResistiveCorrection}).
 * @throws DISCERN_BAD_ARGUMENT when M is outside [0, M_max] or |cos φ| > 1.
 * @example conductionCoefficients(0.9, 0.85, 'spwm').vT // 0.25478
 */
export function conductionCoefficients(
  modulationIndex: number,
  powerFactor: number,
  modulation: Modulation,
): { vT: number; rT: number; vD: number; rD: number } {
  const m = modulationIndex;
  if (!(m >= 0 && m <= maxModulationIndex(modulation) + 1e-12)) {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `modulation index ${m} is outside the linear range of ${modulation} (0..${maxModulationIndex(modulation).toFixed(4)})`,
    );
  }
  if (!(Math.abs(powerFactor) <= 1))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `power factor ${powerFactor} is outside -1..1`);
  const c = powerFactor;
  const v = (m * c) / 8;
  let r = (m * c) / (3 * Math.PI);
  if (modulation === 'svpwm') r += (m * svpwmCorrectionCached(c)) / (4 * Math.PI);
  return { vT: 1 / TWO_PI + v, rT: 1 / 8 + r, vD: 1 / TWO_PI - v, rD: 1 / 8 - r };
}

const G_STEPS = 3600;
let gTable: Float64Array | undefined;
/**
 * G(acos c) from a table of the exact G at φ = kπ/3600 (0.05°), linearly interpolated: G is smooth,
 * the interpolation error is below 1e-7 (checked in test/powertrain/modulation.test.ts), and a drive
 * cycle needs G at every step.
 */
function svpwmCorrectionCached(c: number): number {
  if (gTable === undefined) {
    gTable = new Float64Array(G_STEPS + 1);
    for (let k = 0; k <= G_STEPS; k++) gTable[k] = svpwmResistiveCorrection((k * Math.PI) / G_STEPS);
  }
  const x = (Math.acos(c) * G_STEPS) / Math.PI;
  const k = Math.min(G_STEPS - 1, Math.floor(x));
  const f = x - k;
  return gTable[k]! + f * (gTable[k + 1]! - gTable[k]!);
}

/** Antiderivative of cos(u + α)·cos²(u) in u. */
function cosCos2Antiderivative(u: number, alpha: number): number {
  return 0.5 * Math.sin(u + alpha) + 0.25 * (Math.sin(3 * u + alpha) / 3 + Math.sin(u - alpha));
}

/**
 * G(φ) = ∫_{-π/2}^{π/2} g(u + φ) cos²u du with g(θ) = ½·mid(cos θ, cos(θ − 2π/3), cos(θ + 2π/3)),
 * the normalised min-max zero-sequence signal of SVPWM (m0 = M·g). g is a cosine on each interval
 * [kπ/3, (k+1)π/3], so G is summed exactly from the antiderivative on each piece.
 * @example svpwmResistiveCorrection(0) // G at cos φ = 1
 */
export function svpwmResistiveCorrection(phi: number): number {
  const lo = phi - Math.PI / 2;
  const hi = phi + Math.PI / 2;
  let sum = 0;
  for (let k = Math.floor(lo / THIRD); k * THIRD < hi; k++) {
    const a = Math.max(lo, k * THIRD);
    const b = Math.min(hi, (k + 1) * THIRD);
    if (b <= a) continue;
    // the middle phase on [kπ/3, (k+1)π/3] cycles b, a, c (shifts 2π/3, 0, −2π/3) with k mod 3
    const r = ((k % 3) + 3) % 3;
    const shift = r === 0 ? (2 * Math.PI) / 3 : r === 1 ? 0 : (-2 * Math.PI) / 3;
    const alpha = phi - shift;
    sum += 0.5 * (cosCos2Antiderivative(b - phi, alpha) - cosCos2Antiderivative(a - phi, alpha));
  }
  return sum;
}

/**
 * AC output power of the three-phase inverter from the fundamental: P = 3 (M V_dc / (2√2)) I_rms cos φ, W.
 * @example acOutputPowerW(350, 0.9, 300, 0.85) // 85 197 W
 */
export function acOutputPowerW(
  dcLinkVoltageV: number,
  modulationIndex: number,
  phaseCurrentRmsA: number,
  powerFactor: number,
): number {
  return ((3 * modulationIndex * dcLinkVoltageV) / (2 * Math.SQRT2)) * phaseCurrentRmsA * powerFactor;
}

/**
 * RMS current of the DC-link capacitor of a two-level inverter with sinusoidal PWM (Kolar & Round 2006):
 * I_C = I_rms √(2M [√3/(4π) + cos²φ (√3/π − 9M/16)]), A. Close to SVPWM at moderate M.
 * @example dcLinkCapacitorRmsA(100, 0.6, 1) // ≈ 65 A
 */
export function dcLinkCapacitorRmsA(
  phaseCurrentRmsA: number,
  modulationIndex: number,
  powerFactor: number,
): number {
  const m = modulationIndex;
  const s =
    2 *
    m *
    (Math.sqrt(3) / (4 * Math.PI) + powerFactor * powerFactor * (Math.sqrt(3) / Math.PI - (9 * m) / 16));
  return phaseCurrentRmsA * Math.sqrt(Math.max(0, s));
}

/** Natural log of the gamma function (Lanczos, g = 7), x > 0. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(TWO_PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * (1/2π) ∫₀^π sin^k θ dθ = Γ((k+1)/2) / (2√π Γ(k/2 + 1)): the period average of (i/Î)^k over the
 * half-wave a switch conducts in. 1/π for k = 1, 1/4 for k = 2, 1/2 for k = 0.
 */
export function halfWaveSinePowerMean(k: number): number {
  if (k === 0) return 0.5;
  if (k === 1) return 1 / Math.PI;
  if (k === 2) return 0.25;
  return Math.exp(lnGamma((k + 1) / 2) - lnGamma(k / 2 + 1)) / (2 * Math.sqrt(Math.PI));
}
