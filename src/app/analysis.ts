import { statSync } from 'node:fs';
import {
  capacityFade,
  CHEN2020_GRAPHITE,
  CHEN2020_NMC811,
  curvePeaks,
  cycleNumbers,
  cycleSummary,
  degradationModes,
  detectSteps,
  earlyLifeFeatures,
  endOfLife,
  fastCharge,
  fitStoichiometry,
  halfCycle,
  icaCurve,
  kneePoint,
  pseudoOcv,
  ragone,
  rateCapability,
  trackPeaks,
  type CapacityFadeOptions,
  type CurvePeak,
  type CycleNumbering,
  type CycleSummaryRow,
  type DegradationModes,
  type DifferentialCurve,
  type EarlyLifeFeatureOptions,
  type EndOfLifeResult,
  type FastChargeCycle,
  type FastChargeOptions,
  type FitStoichiometryOptions,
  type FitStoichiometryResult,
  type IcaCurveOptions,
  type KneeResult,
  type Ocp,
  type PeakTrack,
  type PseudoOcvResult,
  type RagonePoint,
  type RateCapabilityOptions,
  type RateCapabilityPoint,
  type RateStep,
  type StepRecord,
  type FadePoint,
} from '../analysis/index.js';
import { DiscernError, type Frame } from '../core/index.js';
import { readSource } from '../ingest/index.js';
import { loadFrame } from '../store/index.js';
import { loadSourceFile } from './files.js';
import { resolveDbPath, withStore } from './tests.js';

/** Where the data of an analysis came from. */
export interface AnalysisSubject {
  /** The stored test (id, name) or the file that was read without storing. */
  test?: { id: number; name: string };
  file?: string;
}

/** A frame with its detected steps, cycle numbers and per-cycle summary. */
export interface AnalysisContext {
  subject: AnalysisSubject;
  frame: Frame;
  steps: StepRecord[];
  cycleOfRow: Int32Array;
  summary: CycleSummaryRow[];
}

/** Options shared by every analysis use case. */
export interface ContextOptions {
  /** DuckDB file (default $DISCERN_DB or ./discern.duckdb). */
  db?: string;
  /** Time zone and reader for a file read without storing. */
  timeZone?: string;
  format?: string;
  numbering?: CycleNumbering;
  efficiency?: 'discharge/charge' | 'charge/discharge';
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Loads TEST: a path to an instrument file (read, not stored) or a stored test id or name.
 * @throws DISCERN_NOT_FOUND when it is neither; reader and store errors as they come
 */
export async function loadSubject(
  ref: string,
  options: ContextOptions = {},
): Promise<{ subject: AnalysisSubject; frame: Frame }> {
  if (isFile(ref)) {
    const frame = readSource(loadSourceFile(ref), {
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
      ...(options.format !== undefined ? { format: options.format } : {}),
    });
    return { subject: { file: ref }, frame };
  }
  return withStore(resolveDbPath(options.db), async (store) => {
    const test = await store.getTest(ref);
    const frame = await loadFrame(store, test);
    return { subject: { test: { id: test.testId, name: test.name } }, frame };
  });
}

/** Steps, cycle numbers and the per-cycle summary of a frame. */
export function analysisContext(
  subject: AnalysisSubject,
  frame: Frame,
  options: ContextOptions = {},
): AnalysisContext {
  const steps = detectSteps(frame);
  const cycleOfRow = cycleNumbers(frame, steps, options.numbering ?? 'instrument');
  const summary = cycleSummary(frame, {
    steps,
    cycles: cycleOfRow,
    ...(options.efficiency !== undefined ? { efficiency: options.efficiency } : {}),
  });
  return { subject, frame, steps, cycleOfRow, summary };
}

/** `loadSubject` then `analysisContext`. */
export async function loadContext(ref: string, options: ContextOptions = {}): Promise<AnalysisContext> {
  const { subject, frame } = await loadSubject(ref, options);
  return analysisContext(subject, frame, options);
}

/** Fade, end of life and knee of a test. */
export interface FadeReport {
  points: FadePoint[];
  referenceCapacityAh: number;
  nominalCapacityAh: number;
  fadeRatePerCycle: number;
  fadeRatePerEfc: number;
  recentFadeRatePerCycle: number;
  endOfLife: EndOfLifeResult;
  /** Null when there are fewer than 8 ageing cycles. */
  knee: Omit<KneeResult, 'fitted'> | null;
}

/** Capacity fade, end of life (threshold default 0.8) and knee of a test's ageing cycles. */
export function fadeReport(
  ctx: AnalysisContext,
  options: CapacityFadeOptions & { threshold?: number; consecutive?: number } = {},
): FadeReport {
  const fade = capacityFade(ctx.summary, options);
  const ageing = fade.points.filter((p) => p.role === 'ageing');
  const eol = endOfLife(
    ageing.map((p) => p.cycle),
    ageing.map((p) => p.retention),
    {
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
      ...(options.consecutive !== undefined ? { consecutive: options.consecutive } : {}),
    },
  );
  let knee: FadeReport['knee'] = null;
  if (ageing.length >= 8) {
    const { fitted: _fitted, ...k } = kneePoint(
      ageing.map((p) => p.cycle),
      ageing.map((p) => p.retention),
    );
    knee = k;
  }
  return { ...fade, endOfLife: eol, knee };
}

/** dQ/dV or dV/dQ curves of some cycles, their peaks, and the peaks tracked across cycles. */
export interface IcaReport {
  curves: { cycle: number; curve: DifferentialCurve; peaks: CurvePeak[] }[];
  tracks: PeakTrack[];
}

/**
 * ICA/DVA of the listed cycles (default: first, middle and last with a constant-current half cycle).
 * @throws DISCERN_NOT_FOUND when a listed cycle has no constant-current step in that direction
 */
export function icaReport(
  ctx: AnalysisContext,
  cycles: readonly number[] | undefined,
  options: IcaCurveOptions & { maxShift?: number; relativeProminence?: number } = {},
): IcaReport {
  let list = cycles;
  if (list === undefined || list.length === 0) {
    const dir = options.direction ?? 'charge';
    const kind = dir === 'charge' ? 'cc_charge' : 'cc_discharge';
    const have = [
      ...new Set(ctx.steps.filter((s) => s.kind === kind).map((s) => ctx.cycleOfRow[s.startRow]!)),
    ];
    list = [...new Set([have[0], have[Math.floor(have.length / 2)], have[have.length - 1]])].filter(
      (c): c is number => c !== undefined,
    );
  }
  const curves = list.map((cycle) => {
    const curve = icaCurve(ctx.frame, ctx.steps, ctx.cycleOfRow, cycle, options);
    return {
      cycle,
      curve,
      peaks: curvePeaks(
        curve,
        options.relativeProminence !== undefined ? { relativeProminence: options.relativeProminence } : {},
      ),
    };
  });
  const shift = options.maxShift ?? ((options.kind ?? 'dqdv') === 'dqdv' ? 0.05 : Infinity);
  return { curves, tracks: trackPeaks(curves, shift) };
}

/** The half-cell OCPs discern ships: Chen et al. 2020 NMC811 and graphite (LG M50). */
export const BUILTIN_OCPS: Record<string, Ocp> = {
  'chen2020-nmc811': CHEN2020_NMC811,
  'chen2020-graphite': CHEN2020_GRAPHITE,
};

/** Degradation-mode analysis of diagnostic cycles. */
export interface DmaReport {
  cycles: {
    cycle: number;
    cellCapacityAh: number;
    fit: Omit<FitStoichiometryResult, 'soc' | 'fittedVoltageV' | 'fittedGradientV' | 'residuals'>;
    rmseV: number;
  }[];
  modes: (DegradationModes & { cycle: number })[];
}

/**
 * The slow diagnostic cycles of a test, for `discern dma` without `--cycles`: cycles with a
 * constant-current charge and a constant-current discharge, a discharge capacity of at least half
 * the test's largest, and a rate (the larger of the mean charge and mean discharge current) within
 * 1.25× of the slowest such cycle. Ascending.
 * @throws DISCERN_INSUFFICIENT_DATA when no cycle qualifies
 */
export function diagnosticCycles(ctx: AnalysisContext): number[] {
  const cc = new Map<number, number>();
  for (const s of ctx.steps) {
    const bit = s.kind === 'cc_charge' ? 1 : s.kind === 'cc_discharge' ? 2 : 0;
    if (bit === 0) continue;
    const c = ctx.cycleOfRow[s.startRow]!;
    cc.set(c, (cc.get(c) ?? 0) | bit);
  }
  const qMax = Math.max(0, ...ctx.summary.map((r) => r.dischargeCapacityAh).filter(Number.isFinite));
  const rated = ctx.summary
    .filter((r) => cc.get(r.cycle) === 3 && r.dischargeCapacityAh >= 0.5 * qMax)
    .map((r) => ({ cycle: r.cycle, rate: Math.max(r.meanChargeCurrentA, r.meanDischargeCurrentA) }))
    .filter((r) => r.rate > 0);
  if (rated.length === 0)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      'no cycle has both a constant-current charge and discharge; name the diagnostic cycles (--cycles)',
    );
  const slowest = Math.min(...rated.map((r) => r.rate));
  return rated
    .filter((r) => r.rate <= 1.25 * slowest)
    .map((r) => r.cycle)
    .sort((a, b) => a - b);
}

/**
 * Degradation modes from slow diagnostic cycles: each cycle's constant-current charge and
 * discharge give a pseudo-OCV, the half-cell OCPs are fitted to it (stoichiometry limits), and
 * LLI, LAM_PE and LAM_NE follow relative to the first listed cycle.
 * @throws DISCERN_BAD_ARGUMENT without cycles
 */
export function dmaReport(
  ctx: AnalysisContext,
  cycles: readonly number[],
  pe: Ocp,
  ne: Ocp,
  options: FitStoichiometryOptions = {},
): DmaReport {
  if (cycles.length === 0)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'name the diagnostic cycles (--cycles)');
  const out: DmaReport['cycles'] = cycles.map((cycle) => {
    const ch = halfCycle(ctx.frame, ctx.steps, ctx.cycleOfRow, cycle, 'charge', {
      constantCurrentOnly: true,
    });
    const dis = halfCycle(ctx.frame, ctx.steps, ctx.cycleOfRow, cycle, 'discharge', {
      constantCurrentOnly: true,
    });
    const mean = (a: Float64Array): number => a.reduce((s, x) => s + x, 0) / a.length;
    const ocv = pseudoOcv(
      { capacityAh: ch.capacityAh, voltageV: ch.voltageV, currentA: mean(ch.currentA) },
      { capacityAh: dis.capacityAh, voltageV: dis.voltageV, currentA: mean(dis.currentA) },
    );
    const fit = fitStoichiometry(ocv.capacityAh, ocv.ocvV, pe, ne, options);
    const { soc: _s, fittedVoltageV, fittedGradientV: _g, residuals: _r, ...rest } = fit;
    let sse = 0;
    for (let k = 0; k < fittedVoltageV.length; k++) sse += (fittedVoltageV[k]! - ocv.ocvV[k]!) ** 2;
    return {
      cycle,
      cellCapacityAh: ocv.cellCapacityAh,
      fit: rest,
      rmseV: Math.sqrt(sse / fittedVoltageV.length),
    };
  });
  const modes = degradationModes(out.map((c) => c.fit.capacities)).map((m, k) => ({
    ...m,
    cycle: out[k]!.cycle,
  }));
  return { cycles: out, modes };
}

/**
 * Pseudo-OCV of one slow cycle from its constant-current charge and discharge.
 * @throws DISCERN_NOT_FOUND when the cycle lacks a CC charge or a CC discharge
 */
export function pseudoOcvReport(ctx: AnalysisContext, cycle: number, points = 201): PseudoOcvResult {
  const ch = halfCycle(ctx.frame, ctx.steps, ctx.cycleOfRow, cycle, 'charge', { constantCurrentOnly: true });
  const dis = halfCycle(ctx.frame, ctx.steps, ctx.cycleOfRow, cycle, 'discharge', {
    constantCurrentOnly: true,
  });
  const mean = (a: Float64Array): number => a.reduce((s, x) => s + x, 0) / a.length;
  return pseudoOcv(
    { capacityAh: ch.capacityAh, voltageV: ch.voltageV, currentA: mean(ch.currentA) },
    { capacityAh: dis.capacityAh, voltageV: dis.voltageV, currentA: mean(dis.currentA) },
    points,
  );
}

/** Rate capability and, with a mass, Ragone points. */
export function rateReport(
  ctx: AnalysisContext,
  options: RateCapabilityOptions & { massKg?: number } = {},
): {
  nominalCapacityAh: number;
  steps: RateStep[];
  points: RateCapabilityPoint[];
  ragone: RagonePoint[] | null;
} {
  const r = rateCapability(ctx.frame, ctx.steps, options);
  return { ...r, ragone: options.massKg !== undefined ? ragone(r.steps, options.massKg) : null };
}

/** Fast-charge metrics per cycle. */
export function fastChargeReport(ctx: AnalysisContext, options: FastChargeOptions = {}): FastChargeCycle[] {
  return fastCharge(ctx.frame, ctx.steps, ctx.cycleOfRow, ctx.summary, options);
}

/** Severson/BEEP early-life features. */
export function featuresReport(
  ctx: AnalysisContext,
  options: EarlyLifeFeatureOptions = {},
): Record<string, number> {
  return earlyLifeFeatures(ctx.frame, ctx.steps, ctx.cycleOfRow, ctx.summary, options);
}
