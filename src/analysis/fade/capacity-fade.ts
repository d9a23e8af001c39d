import { DiscernError } from '../../core/index.js';
import type { CycleSummaryRow } from '../cycles/cycle-summary.js';
import { linearFit, median } from '../numeric/stats.js';

/** How a cycle counts in the ageing trend. */
export type CycleRole = 'ageing' | 'rpt' | 'partial';

/** One cycle of the fade table. */
export interface FadePoint {
  cycle: number;
  role: CycleRole;
  /** Capacity used for fade (discharge by default), Ah. */
  capacityAh: number;
  /** capacity / reference capacity. */
  retention: number;
  /** State of health: capacity / rated capacity (or / reference when no rating is given). */
  soh: number;
  /** Charge + discharge capacity passed from the start of the test to the end of the cycle, Ah. */
  throughputAh: number;
  /** Equivalent full cycles: throughput / (2 × nominal capacity). */
  equivalentFullCycles: number;
}

/** Options of `capacityFade`. */
export interface CapacityFadeOptions {
  /** `discharge` (default) or `charge` capacity. */
  basis?: 'discharge' | 'charge';
  /** Rated capacity (Ah) for SOH and equivalent full cycles. */
  ratedCapacityAh?: number;
  /** Reference capacity (Ah) for retention; default: the first ageing cycle's capacity. */
  referenceCapacityAh?: number;
  /** Cycles known to be reference-performance tests (RPT); they are kept out of the trend. */
  rptCycles?: readonly number[];
  /**
   * Detect RPT cycles from the discharge current: a cycle whose mean discharge current differs from
   * the median of all cycles by more than this fraction is an RPT. Default 0.25; 0 disables.
   */
  rptCurrentTolerance?: number;
  /** Cycles below this fraction of the median of their 11 neighbours are partial. Default 0.5. */
  partialFraction?: number;
}

/** Result of `capacityFade`. */
export interface CapacityFadeResult {
  points: FadePoint[];
  referenceCapacityAh: number;
  /** Capacity used to normalise throughput into equivalent full cycles, Ah. */
  nominalCapacityAh: number;
  /** Least-squares fade rate over the ageing cycles: retention lost per cycle and per equivalent full cycle. */
  fadeRatePerCycle: number;
  fadeRatePerEfc: number;
  /** The same over the last 10 % of ageing cycles (at least 5): the current rate. */
  recentFadeRatePerCycle: number;
}

/**
 * Capacity retention and state of health against cycle number, Ah throughput and equivalent full
 * cycles, with reference-performance-test (RPT) and partial cycles marked so that they do not
 * disturb the ageing trend (they stay in the table with their role).
 * @throws DISCERN_INSUFFICIENT_DATA when no cycle has any capacity
 * @example capacityFade(cycleSummary(frame), { ratedCapacityAh: 1.1 }).points[99].retention
 */
export function capacityFade(
  rows: readonly CycleSummaryRow[],
  options: CapacityFadeOptions = {},
): CapacityFadeResult {
  const charge = options.basis === 'charge';
  const cap = rows.map((r) => (charge ? r.chargeCapacityAh : r.dischargeCapacityAh));
  if (!cap.some((q) => q > 0))
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'no cycle has any capacity to follow');
  const roles = cycleRoles(rows, cap, options);
  const firstAgeing = roles.indexOf('ageing');
  const reference = options.referenceCapacityAh ?? (firstAgeing >= 0 ? cap[firstAgeing]! : Math.max(...cap));
  const nominal = options.ratedCapacityAh ?? reference;
  const rated = options.ratedCapacityAh ?? reference;
  let through = 0;
  const points: FadePoint[] = rows.map((r, k) => {
    through += r.chargeCapacityAh + r.dischargeCapacityAh;
    return {
      cycle: r.cycle,
      role: roles[k]!,
      capacityAh: cap[k]!,
      retention: cap[k]! / reference,
      soh: cap[k]! / rated,
      throughputAh: through,
      equivalentFullCycles: through / (2 * nominal),
    };
  });
  const ageing = points.filter((p) => p.role === 'ageing');
  const perCycle = linearFit(
    ageing.map((p) => p.cycle),
    ageing.map((p) => p.retention),
  ).slope;
  const perEfc = linearFit(
    ageing.map((p) => p.equivalentFullCycles),
    ageing.map((p) => p.retention),
  ).slope;
  const tail = ageing.slice(-Math.max(5, Math.ceil(ageing.length / 10)));
  const recent = linearFit(
    tail.map((p) => p.cycle),
    tail.map((p) => p.retention),
  ).slope;
  return {
    points,
    referenceCapacityAh: reference,
    nominalCapacityAh: nominal,
    fadeRatePerCycle: -perCycle,
    fadeRatePerEfc: -perEfc,
    recentFadeRatePerCycle: -recent,
  };
}

function cycleRoles(
  rows: readonly CycleSummaryRow[],
  cap: readonly number[],
  options: CapacityFadeOptions,
): CycleRole[] {
  const n = rows.length;
  const roles: CycleRole[] = new Array<CycleRole>(n).fill('ageing');
  const rpt = new Set(options.rptCycles ?? []);
  const tol = options.rptCurrentTolerance ?? 0.25;
  const iMed = median(rows.map((r) => r.meanDischargeCurrentA));
  const frac = options.partialFraction ?? 0.5;
  for (let k = 0; k < n; k++) {
    const r = rows[k]!;
    if (rpt.has(r.cycle)) roles[k] = 'rpt';
    else if (tol > 0 && iMed > 0 && Math.abs(r.meanDischargeCurrentA - iMed) > tol * iMed) roles[k] = 'rpt';
  }
  for (let k = 0; k < n; k++) {
    if (roles[k] !== 'ageing') continue;
    const near: number[] = [];
    for (let j = Math.max(0, k - 5); j <= Math.min(n - 1, k + 5); j++)
      if (roles[j] === 'ageing') near.push(cap[j]!);
    const m = median(near);
    if (!(cap[k]! >= frac * m)) roles[k] = 'partial';
  }
  return roles;
}
