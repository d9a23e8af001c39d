import { DISCHARGE_STATUS, SIM_STATUS } from './status.js';

/** Status codes that open a new cycle in the charge-first count: CC_Chg, CCCV_Chg, CP_Chg. */
const OPENING_CHARGE: ReadonlySet<number> = new Set([1, 7, 9]);

/**
 * Cycle numbers counted "charge first", the way NewareNDA does with `software_cycle_number=True`
 * and `cycle_mode='chg'` (and BTSDA's old "Charge First" cycle statistic): the count starts at 1
 * and increases at the first row of a CC, CCCV or CP charge step that follows a discharge (any
 * `*_DChg` step or a SIM profile). Neware's own cycle number (the schedule's cycle counter) can
 * differ: e.g. a file that starts with a discharge has one cycle in Neware's numbering and two here.
 *
 * @param status Neware status codes, one per row.
 * @returns 1-based cycle numbers, one per row.
 */
export function chargeFirstCycles(status: Int32Array): Int32Array {
  const n = status.length;
  const out = new Int32Array(n);
  let cycle = 1;
  let dischargedSinceCharge = false;
  let previousOpening = false;
  // Per-code lookups (status codes are bytes; anything else is neither).
  const opens = new Uint8Array(256);
  const closes = new Uint8Array(256);
  for (const s of OPENING_CHARGE) opens[s] = 1;
  for (const s of DISCHARGE_STATUS) closes[s] = 1;
  closes[SIM_STATUS] = 1;
  for (let i = 0; i < n; i++) {
    const s = status[i]!;
    const opening = s >= 0 && s < 256 && opens[s] === 1;
    const startsCharge = i > 0 && opening && !previousOpening;
    previousOpening = opening;
    if (startsCharge && dischargedSinceCharge) {
      cycle++;
      dischargedSinceCharge = false;
    } else if (s >= 0 && s < 256 && closes[s] === 1) {
      dischargedSinceCharge = true;
    }
    out[i] = cycle;
  }
  return out;
}
