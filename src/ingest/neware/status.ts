import { DiscernError } from '../../core/index.js';

/**
 * Neware's step types ("Status" in NewareNDA, "Step Type" in BTSDA) by the code the binary files
 * store. Labels use NewareNDA's spelling (BTSDA prints a space instead of the underscore).
 */
export const NEWARE_STATUS: Readonly<Record<number, string>> = {
  1: 'CC_Chg',
  2: 'CC_DChg',
  3: 'CV_Chg',
  4: 'Rest',
  5: 'Cycle',
  7: 'CCCV_Chg',
  8: 'CP_DChg',
  9: 'CP_Chg',
  10: 'CR_DChg',
  13: 'Pause',
  16: 'Pulse',
  17: 'SIM',
  19: 'CV_DChg',
  20: 'CCCV_DChg',
  21: 'Control',
  22: 'OCV',
  26: 'CPCV_DChg',
  27: 'CPCV_Chg',
};

/** Status codes of charge steps (label ends in `_Chg`). */
export const CHARGE_STATUS: ReadonlySet<number> = new Set([1, 3, 7, 9, 27]);
/** Status codes of discharge steps (label ends in `_DChg`). */
export const DISCHARGE_STATUS: ReadonlySet<number> = new Set([2, 8, 10, 19, 20, 26]);
/** The simulation (drive profile) step. */
export const SIM_STATUS = 17;

/** The label of a status code; unknown codes keep their number (`Status_23`). */
export function statusLabel(code: number): string {
  return NEWARE_STATUS[code] ?? `Status_${code}`;
}

/**
 * Current resolution in A per count for each current-range code Neware stores (the range in mA;
 * negative codes are the µA ranges of low-current channels). Currents, capacities and energies of
 * the integer layouts are counts times this resolution (and /3600 for capacity and energy, which
 * are stored per second). Taken from NewareNDA and fastnda, which verified them against BTSDA.
 */
const RANGE_RESOLUTION_MA: ReadonlyMap<number, number> = new Map([
  [-100000000, 10],
  ...[-200000, -100000, -60000, -50000, -40000, -30000, -20000, -12000, -10000].map(
    (r) => [r, 1e-2] as [number, number],
  ),
  ...[-6000, -5000, -3000, -2000, -1000].map((r) => [r, 1e-2] as [number, number]),
  [-500, 1e-3],
  [-100, 1e-3],
  ...[-50, -25, -20, -10].map((r) => [r, 1e-4] as [number, number]),
  ...[-5, -2, -1].map((r) => [r, 1e-5] as [number, number]),
  ...[1, 2, 5].map((r) => [r, 1e-4] as [number, number]),
  ...[10, 20, 25, 50].map((r) => [r, 1e-3] as [number, number]),
  ...[100, 200, 250, 500].map((r) => [r, 1e-2] as [number, number]),
  ...[1000, 6000, 10000, 12000, 20000, 30000, 40000, 50000, 60000, 100000, 200000].map(
    (r) => [r, 1e-1] as [number, number],
  ),
]);

/**
 * Amperes per count for a current-range code.
 * @throws DISCERN_UNSUPPORTED_VERSION for a range code discern does not know (the scale of the
 *   current would be a guess), naming the code and where it was read.
 */
export function rangeResolutionA(range: number, file: string, offset: number): number {
  const mA = RANGE_RESOLUTION_MA.get(range);
  if (mA === undefined) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      `unknown Neware current range code ${range}: the current scale cannot be known`,
      { file, offset },
    );
  }
  return mA * 1e-3;
}

/**
 * The step type level of a status byte that has none yet (`levelOfByte[status] < 0`): appends its
 * label to `levels` (and the code to `unknown` when it has no label), records the level in
 * `levelOfByte` and returns it. The record loops call it only on that rare path.
 */
export function addStatusLevel(
  status: number,
  levelOfByte: Int32Array,
  levels: string[],
  unknown: number[],
): number {
  const level = levels.length;
  levelOfByte[status] = level;
  levels.push(statusLabel(status));
  if (NEWARE_STATUS[status] === undefined) unknown.push(status);
  return level;
}
