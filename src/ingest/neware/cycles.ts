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
  for (let i = 0; i < n; i++) {
    const s = status[i]!;
    const opening = OPENING_CHARGE.has(s);
    const startsCharge = i > 0 && opening && !previousOpening;
    previousOpening = opening;
    if (startsCharge && dischargedSinceCharge) {
      cycle++;
      dischargedSinceCharge = false;
    } else if (DISCHARGE_STATUS.has(s) || s === SIM_STATUS) {
      dischargedSinceCharge = true;
    }
    out[i] = cycle;
  }
  return out;
}
