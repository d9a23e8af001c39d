import type { RecordTable } from './records.js';

/** Charge and energy of one cycle of a simulated record (magnitudes: Ah, Wh). */
export interface CycleTotals {
  cycle: number;
  chargeAh: number;
  dischargeAh: number;
  chargeWh: number;
  dischargeWh: number;
}

/**
 * Per-cycle charge, discharge and energies of a record, summed from the step counters at each
 * step's last row (the generator's own bookkeeping, independent of any reader).
 */
export function cycleTotals(t: RecordTable): CycleTotals[] {
  const byCycle = new Map<number, CycleTotals>();
  for (let i = 0; i < t.length; i++) {
    const end = i === t.length - 1 || t.stepCount[i + 1] !== t.stepCount[i];
    if (!end) continue;
    const c = t.cycle[i]!;
    let r = byCycle.get(c);
    if (r === undefined) {
      r = { cycle: c, chargeAh: 0, dischargeAh: 0, chargeWh: 0, dischargeWh: 0 };
      byCycle.set(c, r);
    }
    r.chargeAh += t.stepChargeAh[i]!;
    r.dischargeAh += t.stepDischargeAh[i]!;
    r.chargeWh += t.stepChargeWh[i]!;
    r.dischargeWh += t.stepDischargeWh[i]!;
  }
  return [...byCycle.values()].sort((a, b) => a.cycle - b.cycle);
}

/**
 * First cycle (of those numbered ≥ `firstCycle`) whose discharge capacity is at or below
 * `threshold` × the discharge capacity of `firstCycle`; NaN when never reached.
 */
export function cyclesToThreshold(t: RecordTable, threshold = 0.8, firstCycle = 1): number {
  const rows = cycleTotals(t).filter((r) => r.cycle >= firstCycle && r.dischargeAh > 0);
  const ref = rows[0]?.dischargeAh;
  if (ref === undefined) return NaN;
  for (const r of rows) if (r.dischargeAh <= threshold * ref) return r.cycle;
  return NaN;
}

/**
 * Minutes from 10 % to 80 % SOC in the charge of `cycle` (the rows before its first discharge),
 * SOC being the charge passed since the start of the charge over the same cycle's discharge
 * capacity (linear interpolation between rows); NaN when the charge does not reach 80 %.
 */
export function minutes10To80(t: RecordTable, cycle: number): number {
  const totals = cycleTotals(t).find((r) => r.cycle === cycle);
  if (totals === undefined || !(totals.dischargeAh > 0)) return NaN;
  const times: number[] = [];
  const socs: number[] = [];
  let base = 0;
  let last = 0;
  let prevStep = -1;
  for (let i = 0; i < t.length; i++) {
    if (t.cycle[i] !== cycle) continue;
    if (t.state[i] === 2) break;
    if (t.stepCount[i] !== prevStep) {
      base = last;
      prevStep = t.stepCount[i]!;
    }
    last = base + t.stepChargeAh[i]!;
    times.push(t.testTimeS[i]!);
    socs.push(last / totals.dischargeAh);
  }
  const at = (target: number): number => {
    for (let k = 1; k < socs.length; k++) {
      if (socs[k - 1]! < target && socs[k]! >= target) {
        const f = (target - socs[k - 1]!) / (socs[k]! - socs[k - 1]!);
        return times[k - 1]! + f * (times[k]! - times[k - 1]!);
      }
    }
    return NaN;
  };
  return (at(0.8) - at(0.1)) / 60;
}
