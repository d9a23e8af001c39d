import { filledFloat64, type MprColumn } from './mpr-data.js';

/** A column EC-Lab's text export computes from stored ones, named by its .mpt header. */
export interface DerivedColumn {
  readonly header: string;
  readonly values: Float64Array;
  /** How it was computed (kept as the channel's source). */
  readonly rule: string;
}

/** Column ids of the stored quantities the rules read or would duplicate. */
const ID = {
  ewe: [6, 77, 174],
  current: [8, 11, 76],
  dq: 7,
  time: 4,
  cycle: 24,
  halfCycle: 468,
  qChargeDischarge: 467,
  power: 70,
  zMod: 36,
  zPhase: 35,
  zRe: 37,
  zImNeg: 38,
  energies: [74, 123, 124, 880],
} as const;

/**
 * The columns EC-Lab's .mpt export adds to what the .mpr stores, for the quantities discern has
 * canonical channels for, computed the way the export does (each rule was checked against every
 * .mpr/.mpt pair in the fixtures). A rule applies only when the .mpr lacks the column itself:
 *
 * - `cycle number` = floor(`half cycle` / 2);
 * - `Q charge/mA.h` and `Q discharge/mA.h`: `Q charge/discharge/mA.h` split by its sign (magnitudes);
 * - `<I>/mA` = `dq/mA.h` * 3600 / (time step in s) when no current is stored (EC-Lab 11.50 GCPL);
 * - `P/W` = Ewe * I / 1000 (not for impedance techniques);
 * - `Re(Z)/Ohm` = |Z| cos(phase), `-Im(Z)/Ohm` = -|Z| sin(phase);
 * - `Energy charge/W.h`, `Energy discharge/W.h`: sum of |Ewe * dq| / 1000 over the points of each
 *   cycle (floor(half cycle / 2)) with dq > 0 and dq < 0, when no energy is stored at all.
 *
 * Pure; allocates one array per derived column (each value written: see `filledFloat64`).
 * @example deriveEclabColumns(columns, { impedance: false }).map((d) => d.header) // ['cycle number', ...]
 */
export function deriveEclabColumns(
  columns: readonly MprColumn[],
  options: { readonly impedance: boolean },
): DerivedColumn[] {
  const byId = new Map<number, Float64Array>();
  for (const c of columns) byId.set(c.id, c.values);
  const first = (ids: readonly number[]): Float64Array | undefined => {
    for (const id of ids) {
      const v = byId.get(id);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const rows = columns[0]?.values.length ?? 0;
  const out: DerivedColumn[] = [];

  const half = byId.get(ID.halfCycle);
  if (half !== undefined && !byId.has(ID.cycle)) {
    const v = filledFloat64(rows);
    for (let i = 0; i < rows; i++) v[i] = Math.floor(half[i]! / 2);
    out.push({ header: 'cycle number', values: v, rule: 'floor(half cycle / 2)' });
  }

  const qcd = byId.get(ID.qChargeDischarge);
  if (qcd !== undefined) {
    const charge = filledFloat64(rows);
    const discharge = filledFloat64(rows);
    for (let i = 0; i < rows; i++) {
      const q = qcd[i]!;
      charge[i] = q > 0 ? q : 0;
      discharge[i] = q < 0 ? -q : 0;
    }
    out.push({ header: 'Q charge/mA.h', values: charge, rule: 'Q charge/discharge/mA.h where > 0' });
    out.push({ header: 'Q discharge/mA.h', values: discharge, rule: '-Q charge/discharge/mA.h where < 0' });
  }

  let current = first(ID.current);
  const dq = byId.get(ID.dq);
  const time = byId.get(ID.time);
  if (current === undefined && dq !== undefined && time !== undefined) {
    const v = filledFloat64(rows);
    for (let i = 0; i < rows; i++) {
      const dt = i === 0 ? NaN : time[i]! - time[i - 1]!;
      const q = dq[i]!;
      v[i] = q === 0 ? 0 : dt > 0 ? (q * 3600) / dt : NaN;
    }
    out.push({ header: '<I>/mA', values: v, rule: 'dq/mA.h * 3600 / time step' });
    current = v;
  }

  const ewe = first(ID.ewe);
  if (!options.impedance && !byId.has(ID.power) && ewe !== undefined && current !== undefined) {
    const v = filledFloat64(rows);
    for (let i = 0; i < rows; i++) v[i] = (ewe[i]! * current[i]!) / 1000;
    out.push({ header: 'P/W', values: v, rule: 'Ewe * I / 1000' });
  }

  const mod = byId.get(ID.zMod);
  const phase = byId.get(ID.zPhase);
  if (mod !== undefined && phase !== undefined && !byId.has(ID.zRe) && !byId.has(ID.zImNeg)) {
    const re = filledFloat64(rows);
    const negIm = filledFloat64(rows);
    for (let i = 0; i < rows; i++) {
      const ph = phase[i]!;
      const m = mod[i]!;
      if (ph === 0) {
        // cos(±0) = 1 and sin(±0) = ±0 exactly (most rows of a file that is not all impedance).
        re[i] = m;
        negIm[i] = -m * ph;
      } else {
        const a = (ph * Math.PI) / 180;
        re[i] = m * Math.cos(a);
        negIm[i] = -m * Math.sin(a);
      }
    }
    out.push({ header: 'Re(Z)/Ohm', values: re, rule: '|Z| cos(Phase(Z))' });
    out.push({ header: '-Im(Z)/Ohm', values: negIm, rule: '-|Z| sin(Phase(Z))' });
  }

  if (
    ewe !== undefined &&
    dq !== undefined &&
    half !== undefined &&
    !ID.energies.some((id) => byId.has(id))
  ) {
    const charge = filledFloat64(rows);
    const discharge = filledFloat64(rows);
    let c = 0;
    let d = 0;
    for (let i = 0; i < rows; i++) {
      if (i > 0 && Math.floor(half[i]! / 2) !== Math.floor(half[i - 1]! / 2)) {
        c = 0;
        d = 0;
      }
      const e = Math.abs(ewe[i]! * dq[i]!) / 1000;
      if (dq[i]! > 0) c += e;
      else if (dq[i]! < 0) d += e;
      charge[i] = c;
      discharge[i] = d;
    }
    out.push({
      header: 'Energy charge/W.h',
      values: charge,
      rule: 'sum of |Ewe * dq| / 1000, dq > 0, per cycle',
    });
    out.push({
      header: 'Energy discharge/W.h',
      values: discharge,
      rule: 'sum of |Ewe * dq| / 1000, dq < 0, per cycle',
    });
  }
  return out;
}
