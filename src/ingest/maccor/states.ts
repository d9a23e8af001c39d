import type { DataWarning } from '../../core/index.js';

/** Row class from Maccor's State / Md flag: C = charge (+1), D = discharge (-1), anything else 0. */
export function stateClasses(state: { codes: Int32Array; levels: readonly string[] }): Int8Array {
  const byLevel = state.levels.map((l) => {
    const s = l.trim().toUpperCase();
    return s === 'C' ? 1 : s === 'D' ? -1 : 0;
  });
  const out = new Int8Array(state.codes.length);
  for (let i = 0; i < out.length; i++) {
    const c = state.codes[i]!;
    out[i] = c < 0 ? 0 : byLevel[c]!;
  }
  return out;
}

/**
 * Signs the current from the state flags when the file writes it unsigned. A file is taken as
 * unsigned when discharge rows carry positive current and none carries negative current; then
 * charge rows get +|I| and discharge rows -|I| (other rows are kept) and a
 * DISCERN_CURRENT_SIGN_INFERRED warning is returned. Signed files are returned unchanged.
 */
export function signCurrent(
  current: Float64Array,
  classes: Int8Array,
): { current: Float64Array; warnings: DataWarning[] } {
  let posD = 0;
  let negD = 0;
  for (let i = 0; i < current.length; i++) {
    if (classes[i] !== -1) continue;
    const v = current[i]!;
    if (v > 0) posD++;
    else if (v < 0) negD++;
  }
  if (posD === 0 || negD > 0) return { current, warnings: [] };
  const out = new Float64Array(current.length);
  for (let i = 0; i < out.length; i++) {
    const v = current[i]!;
    const k = classes[i]!;
    out[i] = k === 1 ? Math.abs(v) : k === -1 ? -Math.abs(v) : v;
  }
  return {
    current: out,
    warnings: [
      {
        code: 'DISCERN_CURRENT_SIGN_INFERRED',
        message: `the file writes current unsigned; ${posD} discharge (D) row(s) were made negative from the State flag`,
        channel: 'current_A',
        count: posD,
      },
    ],
  };
}

/**
 * Splits Maccor's one capacity (or energy) column, which counts up from zero in every step, into
 * charge and discharge series: a charge row takes the value into the charge series, a discharge
 * row into the discharge series, and every other row holds the last value of each (so a reset is
 * seen only when the next step of that kind starts again from zero). Waveform columns
 * (`WF Chg Cap`, …) replace the value on rows where they are filled. Magnitudes (Ah or Wh).
 */
export function splitByState(
  value: Float64Array,
  classes: Int8Array,
  wfCharge?: Float64Array,
  wfDischarge?: Float64Array,
): { charge: Float64Array; discharge: Float64Array } {
  const n = value.length;
  const charge = new Float64Array(n);
  const discharge = new Float64Array(n);
  let c = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(value[i]!);
    const k = classes[i]!;
    if (k === 1 && !Number.isNaN(v)) c = v;
    else if (k === -1 && !Number.isNaN(v)) d = v;
    const wc = wfCharge?.[i];
    const wd = wfDischarge?.[i];
    if (wc !== undefined && Number.isFinite(wc)) c = Math.abs(wc);
    if (wd !== undefined && Number.isFinite(wd)) d = Math.abs(wd);
    charge[i] = c;
    discharge[i] = d;
  }
  return { charge, discharge };
}
