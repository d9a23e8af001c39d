// Synthetic stored tests with known answers for the arbiter tests (helper, not a test file).
import { createHash } from 'node:crypto';
import type { Frame } from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';
import { buildFrame, cc, rest, type Segment } from '../analysis/synthetic.js';

/** Datasheet of the synthetic cell: 50 Ah nominal, 2.5-3.65 V (an LFP-like window). */
export const CELL = { nominalAh: 50, vMin: 2.5, vMax: 3.65 };

/**
 * Capacity check: a discharge from an unknown state (not a full discharge), then `cycles` times
 * a CC charge at `cRate` from vMin to vMax and a CC discharge at `cRate` from vMax to vMin that
 * passes exactly `capacityAh` (linear voltage ramps: energy = capacity × (vMin + vMax)/2).
 */
export function capacityFrame(
  capacityAh: number,
  o: { cRate?: number; temperatureDegC?: number; cycles?: number; chargeEfficiency?: number } = {},
): Frame {
  const i = (o.cRate ?? 1 / 3) * CELL.nominalAh;
  const durS = (3600 * capacityAh) / i;
  const temp = o.temperatureDegC ?? 25;
  const t = { temperature: () => temp };
  const segs: Segment[] = [
    rest(600, 3.3, 60, { ...t, cycle: 1 }),
    cc(-i, durS / 2, 3.3, CELL.vMin, 60, { ...t, cycle: 1 }),
    rest(1800, 3.0, 60, { ...t, cycle: 1 }),
  ];
  for (let k = 0; k < (o.cycles ?? 2); k++) {
    const cycle = k + 2;
    const chS = durS / (o.chargeEfficiency ?? 1);
    segs.push(cc(i, chS, CELL.vMin, CELL.vMax, chS / 200, { ...t, cycle }));
    segs.push(rest(1800, 3.4, 60, { ...t, cycle }));
    segs.push(cc(-i, durS, CELL.vMax, CELL.vMin, durS / 200, { ...t, cycle }));
    segs.push(rest(1800, 3.0, 60, { ...t, cycle }));
  }
  return buildFrame(segs);
}

/**
 * HPPC with a purely ohmic cell of resistance `resistanceOhm`: a full CC charge (100 % SOC), then
 * at 90, 80, ... 10 % SOC a 10 % C/3 discharge, 30 min rest, a 10 s 1C discharge pulse, 40 s rest,
 * a 10 s 0.75C charge pulse and 40 s rest. The OCV is 3.0 + 0.5·SOC V, held during each level, so
 * R(t) = resistanceOhm at every time and the 10 s power is vMin·(OCV − vMin)/R.
 */
export function hppcFrame(resistanceOhm: number, o: { temperatureDegC?: number } = {}): Frame {
  const q = CELL.nominalAh;
  const temp = o.temperatureDegC ?? 25;
  const t = { temperature: () => temp, cycle: 1 };
  const ocv = (soc: number): number => 3.0 + 0.5 * soc;
  const segs: Segment[] = [
    rest(600, 3.0, 60, t),
    cc(q / 3, 3 * 3600, 3.0, CELL.vMax, 60, t),
    rest(3600, ocv(1), 60, t),
  ];
  for (let level = 9; level >= 1; level--) {
    const soc = level / 10;
    segs.push(cc(-q / 3, 0.1 * 3 * 3600, ocv(soc + 0.1), ocv(soc), 60, t));
    segs.push(rest(1800, ocv(soc), 60, t));
    segs.push(cc(-q, 10, ocv(soc) - q * resistanceOhm, ocv(soc) - q * resistanceOhm, 0.5, t));
    segs.push(rest(40, ocv(soc), 1, t));
    segs.push(
      cc(0.75 * q, 10, ocv(soc) + 0.75 * q * resistanceOhm, ocv(soc) + 0.75 * q * resistanceOhm, 0.5, t),
    );
    segs.push(rest(40, ocv(soc), 1, t));
  }
  return buildFrame(segs);
}

/**
 * Cycle life: `cycles` full cycles at 1C / 1C whose discharge capacity falls linearly by
 * `fadePerCycle` of the first cycle's capacity per cycle (retention 1 − fade·(k − 1) in cycle k).
 */
export function cycleLifeFrame(capacityAh: number, cycles: number, fadePerCycle: number): Frame {
  const i = CELL.nominalAh;
  const segs: Segment[] = [];
  for (let k = 1; k <= cycles; k++) {
    const q = capacityAh * (1 - fadePerCycle * (k - 1));
    const durS = (3600 * q) / i;
    segs.push(cc(i, durS, CELL.vMin, CELL.vMax, durS / 4, { cycle: k }));
    segs.push(rest(600, 3.4, 300, { cycle: k }));
    segs.push(cc(-i, durS, CELL.vMax, CELL.vMin, durS / 4, { cycle: k }));
    segs.push(rest(600, 3.0, 300, { cycle: k }));
  }
  return buildFrame(segs);
}

/** Stores a frame as if ingested from `path` (its source file); returns the test id. */
export async function storeFrame(store: Store, frame: Frame, path: string): Promise<number> {
  const sha = createHash('sha256').update(path).digest('hex');
  const name = path.split('/').pop()!;
  const r = await store.insertTest(frame, sha, [{ name, path, sha256: sha, sizeBytes: 1 }], name);
  return r.testId;
}
