import { selfHeatingRate } from './arc-rate.js';

/** The phases of a heat-wait-seek (HWS) ARC run, as discern names them. */
export type ArcPhase = 'heat' | 'wait' | 'seek' | 'exotherm' | 'cool' | 'other';

/** Codes of {@link ArcPhase} in a phase array (Int8Array), in this order. */
export const ARC_PHASES: readonly ArcPhase[] = ['heat', 'wait', 'seek', 'exotherm', 'cool', 'other'];

const PATTERNS: readonly [RegExp, ArcPhase][] = [
  [/^(h|heat|heating|ramp|step)\b/i, 'heat'],
  [/^(w|wait|waiting|equilibrat\w*|stabili[sz]\w*|soak)\b/i, 'wait'],
  [/^(s|seek|seeking|search|searching)\b/i, 'seek'],
  [/^(e|exo|exotherm|exothermic|exotherm\w*|track\w*|adiabatic)\b/i, 'exotherm'],
  [/^(c|cool|cooling|end|stop|finish\w*|abort\w*|safety|cooldown)\b/i, 'cool'],
];

/**
 * The phase a calorimeter's mode label stands for: `Heat`/`H`, `Wait`/`W`, `Seek`/`Search`/`S`,
 * `Exotherm`/`Exo`/`Tracking`/`E`, `Cool`/`End`/`C`; anything else (numeric mode codes included)
 * is 'other'. Case-insensitive; the first word decides.
 * @example arcPhaseOf('Search') // 'seek'
 */
export function arcPhaseOf(label: string | null | undefined): ArcPhase {
  if (label === null || label === undefined) return 'other';
  const s = label.trim();
  for (const [re, phase] of PATTERNS) if (re.test(s)) return phase;
  return 'other';
}

/**
 * Marks the heat steps of an ARC run that has no phase labels: maximal runs of samples whose
 * short-scale dT/dt (5-point fits within 60 s and 0.5 degC) is at or above `heatDegCPerMin`,
 * that last at most `maxStepS` and never reach `runawayDegCPerS` (a runaway is no heat step),
 * widened by two samples on each side.
 * @returns 1 for samples of a heat step, 0 elsewhere
 * @example inferHeatSteps(t, T, 0.5, 900, 1)
 */
export function inferHeatSteps(
  timeS: Float64Array,
  temperatureDegC: Float64Array,
  heatDegCPerMin: number,
  maxStepS: number,
  runawayDegCPerS: number,
): Uint8Array {
  const n = timeS.length;
  const { rateDegCPerS: r } = selfHeatingRate(timeS, temperatureDegC, undefined, {
    windowS: 60,
    windowDegC: 0.5,
    minPoints: 5,
  });
  const out = new Uint8Array(n);
  const threshold = heatDegCPerMin / 60;
  let k = 0;
  while (k < n) {
    if (!(r[k]! >= threshold)) {
      k++;
      continue;
    }
    let e = k;
    let max = r[k]!;
    while (e + 1 < n && r[e + 1]! >= threshold) max = Math.max(max, r[++e]!);
    if (timeS[e]! - timeS[k]! <= maxStepS && max < runawayDegCPerS) {
      for (let j = Math.max(0, k - 2); j <= Math.min(n - 1, e + 2); j++) out[j] = 1;
    }
    k = e + 1;
  }
  return out;
}
