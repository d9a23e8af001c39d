import { DISCHARGE_STATUS, SIM_STATUS } from './status.js';

/** Status codes that open a new cycle in the charge-first count: CC_Chg, CCCV_Chg, CP_Chg. */
const OPENING_CHARGE: ReadonlySet<number> = new Set([1, 7, 9]);

/** Per status byte: bit 1 = opens a charge-first cycle, bit 2 = a discharge (or SIM) that closes one. */
export const CHARGE_FIRST_FLAGS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const s of OPENING_CHARGE) t[s] = 1;
  for (const s of DISCHARGE_STATUS) t[s] = 2;
  t[SIM_STATUS] = 2;
  return t;
})();

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
  const flags = CHARGE_FIRST_FLAGS;
  for (let i = 0; i < n; i++) {
    const s = status[i]!;
    const f = s >= 0 && s < 256 ? flags[s]! : 0;
    const opening = f === 1;
    const startsCharge = i > 0 && opening && !previousOpening;
    previousOpening = opening;
    if (startsCharge && dischargedSinceCharge) {
      cycle++;
      dischargedSinceCharge = false;
    } else if (f === 2) {
      dischargedSinceCharge = true;
    }
    out[i] = cycle;
  }
  return out;
}
