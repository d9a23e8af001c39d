import type { CategoryColumn, DataWarning } from '../../core/index.js';

/**
 * The direction a step-type label names: 1 charge, -1 discharge, 0 rest, undefined when the label
 * does not say (Pulse, SIM, EIS, ...). Knows Neware (CC_Chg, CCCV_DChg, "CC DChg"), BaSyTec
 * (Charge, Discharge, Pause), Landt ("charge CC", "discharge CC", rest), BDF (CC_CHG, CC_DCH, REST).
 */
export function stepTypeDirection(label: string): 1 | -1 | 0 | undefined {
  const s = label.trim().toLowerCase();
  if (s === '') return undefined;
  if (/d_?chg|dch(?![a-z])|dischar|entlad/.test(s) || s === 'd') return -1;
  if (/chg|charg|chrg|^lad/.test(s) || s === 'c') return 1;
  if (/rest|pause|ocv|open.?circuit|relax/.test(s) || s === 'r') return 0;
  return undefined;
}

/** Direction per level of a label column (see `stepTypeDirection`). */
function levelDirections(stepType: CategoryColumn): (1 | -1 | 0 | undefined)[] {
  return stepType.levels.map(stepTypeDirection);
}

/**
 * Signs an unsigned current from the step type: when no row has a negative current but some
 * discharge-labelled rows carry current, those rows are negated (in place on a copy) and a
 * DISCERN_CURRENT_SIGN_INFERRED warning is returned. A current that is already signed is returned as is.
 */
export function signCurrentFromStepType(
  current: Float64Array,
  stepType: CategoryColumn,
  what = 'current_A',
): { values: Float64Array; warnings: DataWarning[] } {
  for (let i = 0; i < current.length; i++) if (current[i]! < 0) return { values: current, warnings: [] };
  const dir = levelDirections(stepType);
  const out = current.slice();
  let flipped = 0;
  for (let i = 0; i < out.length; i++) {
    const code = stepType.codes[i]!;
    if (code >= 0 && dir[code] === -1 && out[i]! > 0) {
      out[i] = -out[i]!;
      flipped++;
    }
  }
  if (flipped === 0) return { values: current, warnings: [] };
  return {
    values: out,
    warnings: [
      {
        code: 'DISCERN_CURRENT_SIGN_INFERRED',
        message: `${what} is unsigned in the file; ${flipped} discharge row(s) were made negative from the step type`,
        channel: what,
        count: flipped,
      },
    ],
  };
}

/**
 * Checks a signed current against the step type. When at least 90 % of the labelled charge and
 * discharge rows with current disagree in sign (at least 10 rows), the file uses the opposite
 * convention (positive on discharge): the current is negated and a DISCERN_CURRENT_SIGN_INFERRED
 * warning is returned.
 */
export function alignCurrentWithStepType(
  current: Float64Array,
  stepType: CategoryColumn,
  what = 'current_A',
): { values: Float64Array; warnings: DataWarning[]; negated: boolean } {
  const dir = levelDirections(stepType);
  let agree = 0;
  let disagree = 0;
  for (let i = 0; i < current.length; i++) {
    const code = stepType.codes[i]!;
    const d = code >= 0 ? dir[code] : undefined;
    const v = current[i]!;
    if ((d !== 1 && d !== -1) || !(Math.abs(v) > 0)) continue;
    if (Math.sign(v) === d) agree++;
    else disagree++;
  }
  const total = agree + disagree;
  if (total < 10 || disagree < 0.9 * total) return { values: current, warnings: [], negated: false };
  const out = new Float64Array(current.length);
  for (let i = 0; i < out.length; i++) {
    const v = current[i]!;
    out[i] = v === 0 ? 0 : -v;
  }
  return {
    values: out,
    negated: true,
    warnings: [
      {
        code: 'DISCERN_CURRENT_SIGN_INFERRED',
        message: `${what} is positive on discharge in ${disagree} of ${total} labelled rows; it was negated so that charge is positive`,
        channel: what,
        count: disagree,
      },
    ],
  };
}
