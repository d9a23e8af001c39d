import { intColumn, type Frame } from '../../core/index.js';
import type { StepKind, StepRecord } from './steps.js';

/**
 * How cycles are numbered: the file's own counter (`instrument`), or from the detected steps, a
 * cycle being a charge followed by a discharge (`charge-discharge`, the usual definition for full
 * cells) or a discharge followed by a charge (`discharge-charge`, e.g. half cells that start by
 * lithiating the working electrode).
 */
export type CycleNumbering = 'instrument' | 'charge-discharge' | 'discharge-charge';

const CHARGING: readonly StepKind[] = ['cc_charge', 'cv_charge', 'charge'];
const DISCHARGING: readonly StepKind[] = ['cc_discharge', 'cv_discharge', 'discharge'];

/**
 * A cycle number for every row. With `instrument`, the file's `cycle_index` (rows of a frame
 * without one are all cycle 1). Otherwise a new cycle starts at the first charging step (or
 * discharging, for `discharge-charge`) after a step of the other direction; rests, OCV periods,
 * pulses and impedance sweeps never start a cycle and belong to the cycle they fall in. Cycles
 * are numbered from 1; a file that starts with the second direction has that half-cycle as cycle 1.
 * @example cycleNumbers(frame, detectSteps(frame), 'charge-discharge')
 */
export function cycleNumbers(
  frame: Frame,
  steps: readonly StepRecord[],
  numbering: CycleNumbering = 'instrument',
): Int32Array {
  const n = frame.length;
  const out = new Int32Array(n);
  if (numbering === 'instrument') {
    const c = intColumn(frame, 'cycle_index');
    if (c !== undefined) out.set(c);
    else out.fill(1);
    return out;
  }
  const first = numbering === 'charge-discharge' ? CHARGING : DISCHARGING;
  const second = numbering === 'charge-discharge' ? DISCHARGING : CHARGING;
  let cycle = 1;
  let seenSecond = false;
  for (const s of steps) {
    if (first.includes(s.kind)) {
      if (seenSecond) {
        cycle++;
        seenSecond = false;
      }
    } else if (second.includes(s.kind)) {
      // A cycle that starts with the second direction (the file begins mid-cycle) is still cycle 1.
      seenSecond = true;
    }
    out.fill(cycle, s.startRow, s.endRow);
  }
  return out;
}
