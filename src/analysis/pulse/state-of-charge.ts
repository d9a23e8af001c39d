import { floatColumn, type Frame } from '../../core/index.js';
import type { CurrentSegment } from './segments.js';

export interface StateOfCharge {
  /** SOC in percent at every row (NaN before the first reference point). */
  readonly socPct: Float64Array;
  /** Net charge passed since the start, Ah (charge positive). */
  readonly netChargeAh: Float64Array;
  /** The capacity used, Ah. */
  readonly capacityAh: number;
  /** 'option' when given, 'estimated' when taken as the deepest discharge from a full point. */
  readonly capacitySource: 'option' | 'estimated';
  /** 'instrument' when from the file's capacity counters, 'integrated' when from the current. */
  readonly chargeSource: 'instrument' | 'integrated';
  /** Why the SOC is left out (NaN), if it is. */
  readonly warnings: readonly string[];
}

/**
 * State of charge by coulomb counting, referenced to a full point: the end of the last charge
 * segment longer than `fullChargeMinS` (default 600 s: a CC-CV charge, not a regen pulse) counts
 * as 100 %; rows before the first such charge refer to its end, and without any, the running
 * maximum of the net charge counts as full. When current flows for more than `maxCurrentGapS`
 * (default 120 s) between two samples the charge cannot be counted and the SOC is NaN. The net charge comes
 * from the instrument's own counters (cumulative charge minus discharge capacity) when the frame
 * has them, else from the current, each sample's current held over the interval before it. Without a capacity, it is estimated as the deepest discharge below a
 * full point in the data (an HPPC run from full to empty gives the capacity at its rates).
 * @example const { socPct } = stateOfCharge(frame, t, i, segments, { capacityAh: 4.8 });
 */
export function stateOfCharge(
  frame: Frame,
  timeS: Float64Array,
  currentA: Float64Array,
  segments: readonly CurrentSegment[],
  options: { capacityAh?: number; fullChargeMinS?: number; maxCurrentGapS?: number } = {},
): StateOfCharge {
  const n = timeS.length;
  const q = new Float64Array(n);
  const cc = floatColumn(frame, 'cumulative_charge_capacity_Ah');
  const cd = floatColumn(frame, 'cumulative_discharge_capacity_Ah');
  let chargeSource: 'instrument' | 'integrated' = 'integrated';
  // Counters the file reported (or whose cumulative columns came from the file); counters that
  // ingest integrated from the current itself (trapezoid rule) are not used.
  const fromFile =
    frame.columns['charge_capacity_Ah'] !== undefined ||
    frame.columns['discharge_capacity_Ah'] !== undefined ||
    frame.channels.some((c) => c.name === 'cumulative_charge_capacity_Ah' && c.source !== undefined);
  if (fromFile && cc !== undefined && cd !== undefined && hasFinite(cc) && hasFinite(cd)) {
    chargeSource = 'instrument';
    let last = 0;
    for (let i = 0; i < n; i++) {
      const v = cc[i]! - cd[i]!;
      q[i] = Number.isFinite(v) ? v : last;
      last = q[i]!;
    }
  } else {
    // The current of sample i is taken over (t[i-1], t[i]]: a step recorded at sample i started
    // just after sample i-1, as the ECM simulator and the pulse onset assume.
    for (let i = 1; i < n; i++) {
      const dt = timeS[i]! - timeS[i - 1]!;
      const a = currentA[i]!;
      const inc = Number.isFinite(dt) && Number.isFinite(a) && dt > 0 ? (a * dt) / 3600 : 0;
      q[i] = q[i - 1]! + inc;
    }
  }
  // Reference (full) net charge at each row: the end of the last long charge before it, else the
  // end of the first long charge after it, else the running maximum.
  const fullMin = options.fullChargeMinS ?? 600;
  const fullEnds: number[] = [];
  for (const s of segments)
    if (s.kind === 'charge' && timeS[s.end]! - timeS[s.start]! >= fullMin) fullEnds.push(s.end);
  const ref = new Float64Array(n);
  let running = -Infinity;
  let fixedRef = fullEnds.length > 0 ? q[fullEnds[0]!]! : NaN;
  let nextFull = 0;
  for (let i = 0; i < n; i++) {
    while (nextFull < fullEnds.length && fullEnds[nextFull]! < i) fixedRef = q[fullEnds[nextFull++]!]!;
    running = Math.max(running, q[i]!);
    if (Number.isNaN(fixedRef)) ref[i] = running;
    else {
      // A charge beyond the reference raises it (the cell cannot exceed full).
      if (nextFull > 0 && q[i]! > fixedRef) fixedRef = q[i]!;
      ref[i] = Math.max(fixedRef, q[i]!);
    }
  }
  // Coulomb counting needs the current through every step: a long gap between samples while
  // current flows (a file cut down to one row per step) loses charge.
  const warnings: string[] = [];
  const maxGap = options.maxCurrentGapS ?? 120;
  for (const s of segments) {
    if (s.kind === 'rest') continue;
    const last = Math.min(s.end + 1, n - 1);
    for (let i = s.start; i < last; i++) {
      if (timeS[i + 1]! - timeS[i]! > maxGap) {
        warnings.push(
          `current flows for ${(timeS[i + 1]! - timeS[i]!).toFixed(0)} s between two samples (row ${i}): the SOC cannot be counted and is left out`,
        );
        break;
      }
    }
    if (warnings.length > 0) break;
  }
  let capacityAh = options.capacityAh ?? NaN;
  let capacitySource: 'option' | 'estimated' = 'option';
  if (!(capacityAh > 0)) {
    capacitySource = 'estimated';
    capacityAh = 0;
    for (let i = 0; i < n; i++) capacityAh = Math.max(capacityAh, ref[i]! - q[i]!);
  }
  const socPct = new Float64Array(n);
  const ok = warnings.length === 0 && capacityAh > 0;
  for (let i = 0; i < n; i++) socPct[i] = ok ? 100 * (1 - (ref[i]! - q[i]!) / capacityAh) : NaN;
  return { socPct, netChargeAh: q, capacityAh, capacitySource, chargeSource, warnings };
}

function hasFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) return true;
  return false;
}
