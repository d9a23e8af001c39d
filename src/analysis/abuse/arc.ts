import { DiscernError, categoryColumn, floatColumn, type Frame } from '../../core/index.js';
import { ARC_PHASES, arcPhaseOf, inferHeatSteps, type ArcPhase } from './arc-phase.js';
import { selfHeatingRate, type SelfHeatingRateOptions } from './arc-rate.js';

/** Settings of {@link arcAnalysis}; every one has a default. */
export interface ArcAnalysisOptions extends SelfHeatingRateOptions {
  /** Self-heating onset threshold T1, degC/min (default 0.02, the usual HWS sensitivity). */
  onsetRateDegCPerMin?: number;
  /** Thermal-runaway trigger threshold T2, degC/s (default 1, i.e. 60 degC/min). */
  runawayRateDegCPerS?: number;
  /** The onset must hold this long, s (default 600): a heat step or a noisy point is no onset. */
  sustainS?: number;
  /** Share of the points within `sustainS` after the onset that must stay above it (default 0.9). */
  sustainFraction?: number;
  /** Seconds at the start of each wait phase that are not searched for the onset (default 0). */
  waitSettleS?: number;
  /** Consecutive samples at or above the runaway rate that confirm T2 (default 3). */
  runawayConfirmPoints?: number;
  /**
   * Without phase labels: a run of samples heating at or above this rate, degC/min (default 0.5),
   * that lasts at most `maxHeatStepS` and stays below the runaway rate is taken for a heat step.
   */
  heatDetectDegCPerMin?: number;
  /** Longest heat step, s (default 900). */
  maxHeatStepS?: number;
  /** 'temperature' (default): dT/dt from the temperature; 'instrument': the file's rate column. */
  rateSource?: 'temperature' | 'instrument';
}

/** The characteristic temperatures of an ARC run (Feng et al. 2018) and the data for its plots. */
export interface ArcAnalysisResult {
  /** Self-heating onset temperature, degC (null: no sustained self-heating). */
  t1DegC: number | null;
  /** Thermal-runaway trigger temperature, degC (null: the rate never reached the threshold). */
  t2DegC: number | null;
  /** Maximum temperature, degC. */
  t3DegC: number;
  /** Time from T1 to T2, s. */
  tT1ToT2S: number | null;
  /** Maximum self-heating rate outside heat steps, degC/s. */
  maxRateDegCPerS: number;
  t1TimeS: number | null;
  t2TimeS: number | null;
  t3TimeS: number;
  maxRateTimeS: number;
  /** Temperature at the maximum rate, degC. */
  maxRateTemperatureDegC: number;
  /** The thresholds used: degC/min and degC/s. */
  onsetRateDegCPerMin: number;
  runawayRateDegCPerS: number;
  /** True when the run's heat-wait-seek phase labels were used. */
  phasesUsed: boolean;
  /** Plot data: time (s), despiked temperature (degC), rate (degC/s; NaN in heat steps) and phase. */
  series: {
    timeS: Float64Array;
    temperatureDegC: Float64Array;
    rateDegCPerS: Float64Array;
    /** log10 of the rate in degC/min (NaN where the rate is not positive or in heat steps). */
    log10RateDegCPerMin: Float64Array;
    /** Index into {@link ARC_PHASES} per sample. */
    phase: Int8Array;
  };
  /** Notes about the data (skipped rows, missing phases). */
  notes: string[];
}

/**
 * Finds the characteristic temperatures of an accelerating-rate-calorimetry run: T1, the first
 * sustained self-heating at or above `onsetRateDegCPerMin` outside heat steps (wait, seek and
 * exotherm phases; all samples when the file has no phase labels, where the sustain rule rejects
 * the short heat steps); T2, the first temperature after T1 where dT/dt reaches
 * `runawayRateDegCPerS` (interpolated in log rate between samples); T3, the highest recorded
 * temperature; the time from T1 to T2 and the maximum rate. dT/dt comes from
 * {@link selfHeatingRate} (despiked, local linear fits within phase segments). See
 * docs/methods/abuse.md.
 * @param frame an ARC frame (or any frame with test_time_s and temperature_degC; the phase is
 *   read from step_type when present)
 * @throws DISCERN_MISSING_COLUMN without time or temperature (or without the instrument rate when
 *   rateSource is 'instrument'); DISCERN_INSUFFICIENT_DATA with fewer than minPoints usable rows;
 *   DISCERN_BAD_ARGUMENT for thresholds that are not positive
 * @example const r = arcAnalysis(frame); r.t2DegC // e.g. 212.4
 */
export function arcAnalysis(frame: Frame, options: ArcAnalysisOptions = {}): ArcAnalysisResult {
  const onset = options.onsetRateDegCPerMin ?? 0.02;
  const runaway = options.runawayRateDegCPerS ?? 1;
  const sustainS = options.sustainS ?? 600;
  const sustainFraction = options.sustainFraction ?? 0.9;
  const settle = options.waitSettleS ?? 0;
  const confirm = Math.max(1, Math.floor(options.runawayConfirmPoints ?? 3));
  const minPoints = Math.max(2, Math.floor(options.minPoints ?? 5));
  for (const [name, v] of [
    ['onset rate', onset],
    ['runaway rate', runaway],
    ['sustain time', sustainS],
  ] as const) {
    if (!(v > 0) || !Number.isFinite(v))
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `the ${name} must be a positive number, got ${v}`);
  }
  if (!(sustainFraction > 0 && sustainFraction <= 1))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `sustainFraction must be in (0, 1], got ${sustainFraction}`,
    );
  const t = floatColumn(frame, 'test_time_s');
  const temp = floatColumn(frame, 'temperature_degC');
  if (t === undefined || temp === undefined) {
    throw new DiscernError(
      'DISCERN_MISSING_COLUMN',
      `an ARC analysis needs test_time_s and temperature_degC; the data has ${frame.channels.map((c) => c.name).join(', ')}`,
      { column: t === undefined ? 'test_time_s' : 'temperature_degC' },
    );
  }
  const instrumentRate = floatColumn(frame, 'aux_heat_rate_degC_per_s');
  if (options.rateSource === 'instrument' && instrumentRate === undefined)
    throw new DiscernError('DISCERN_MISSING_COLUMN', 'the data has no instrument rate column', {
      column: 'aux_heat_rate_degC_per_s',
    });
  const labels = categoryColumn(frame, 'step_type');
  const notes: string[] = [];

  // Usable rows: finite time and temperature, time strictly increasing.
  const keep: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < frame.length; i++) {
    const ti = t[i]!;
    if (!Number.isFinite(ti) || !Number.isFinite(temp[i]!) || ti <= last) continue;
    keep.push(i);
    last = ti;
  }
  if (keep.length < frame.length)
    notes.push(`${frame.length - keep.length} row(s) without a usable time or temperature were skipped`);
  const n = keep.length;
  if (n < minPoints)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      `an ARC analysis needs at least ${minPoints} rows, got ${n}`,
    );
  const timeS = new Float64Array(n);
  const rawT = new Float64Array(n);
  const phase = new Int8Array(n).fill(ARC_PHASES.indexOf('other'));
  const phaseCache = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const i = keep[k]!;
    timeS[k] = t[i]!;
    rawT[k] = temp[i]!;
    if (labels !== undefined) {
      const code = labels.codes[i]!;
      let p = phaseCache.get(code);
      if (p === undefined) {
        p = ARC_PHASES.indexOf(arcPhaseOf(code >= 0 ? labels.levels[code] : undefined));
        phaseCache.set(code, p);
      }
      phase[k] = p;
    }
  }
  const HEAT = ARC_PHASES.indexOf('heat');
  const COOL = ARC_PHASES.indexOf('cool');
  const WAIT = ARC_PHASES.indexOf('wait');
  const phasesUsed = labels !== undefined && phase.some((p) => p !== ARC_PHASES.indexOf('other'));
  if (!phasesUsed)
    notes.push('no heat-wait-seek phase labels: heat steps are told apart by the sustain rule only');
  // Segments: heat steps, cooling, and the rest (wait, seek, exotherm tracking) apart.
  const group = new Int8Array(n);
  for (let k = 0; k < n; k++) group[k] = phase[k] === HEAT ? 0 : phase[k] === COOL ? 2 : 1;
  if (!phasesUsed) {
    const steps = inferHeatSteps(
      timeS,
      rawT,
      options.heatDetectDegCPerMin ?? 0.5,
      options.maxHeatStepS ?? 900,
      runaway,
    );
    for (let k = 0; k < n; k++) group[k] = steps[k] === 1 ? 0 : 1;
  }
  const smoothed = selfHeatingRate(timeS, rawT, group, options);
  const rate = smoothed.rateDegCPerS;
  if (options.rateSource === 'instrument') for (let k = 0; k < n; k++) rate[k] = instrumentRate![keep[k]!]!;

  // Where the onset may be: not in heat steps or cooling, not in the first waitSettleS of a wait.
  const eligible = new Uint8Array(n);
  let waitStart = -Infinity;
  for (let k = 0; k < n; k++) {
    if (phase[k] === WAIT && (k === 0 || phase[k - 1] !== WAIT)) waitStart = timeS[k]!;
    eligible[k] = group[k] === 1 && !(phase[k] === WAIT && timeS[k]! - waitStart < settle) ? 1 : 0;
  }
  const r1 = onset / 60;
  let i1 = -1;
  for (let k = 0; k < n && i1 < 0; k++) {
    if (eligible[k] !== 1 || !(rate[k]! >= r1)) continue;
    // Time-weighted share above the threshold (loggers sample densely in heat steps).
    const end = timeS[k]! + sustainS;
    let count = 0;
    let covered = 0;
    let above = 0;
    let reachedRunaway = false;
    let interrupted = false;
    for (let j = k; j < n && timeS[j]! <= end; j++) {
      if (group[j] === 0) {
        interrupted = true;
        break;
      }
      if (eligible[j] !== 1) continue;
      const w = Math.min(j + 1 < n ? timeS[j + 1]! : timeS[j]!, end) - timeS[j]!;
      count++;
      covered += w;
      if (rate[j]! >= r1) above += w;
      if (rate[j]! >= runaway) reachedRunaway = true;
    }
    const long = covered >= 0.5 * sustainS || reachedRunaway;
    if (!interrupted && long && count >= minPoints && above >= sustainFraction * covered) i1 = k;
  }

  let i2 = -1;
  for (let k = Math.max(i1, 0); k < n && i2 < 0; k++) {
    if (group[k] === 0 || !(rate[k]! >= runaway)) continue;
    let ok = true;
    for (let j = k; j < Math.min(n, k + confirm); j++)
      if (!(rate[j]! >= runaway) || group[j] === 0) ok = false;
    if (ok || k + confirm > n) i2 = k;
  }
  let t2DegC: number | null = null;
  let t2TimeS: number | null = null;
  if (i2 >= 0) {
    t2DegC = smoothed.temperatureDegC[i2]!;
    t2TimeS = timeS[i2]!;
    const p = i2 - 1;
    if (p >= 0 && group[p] === group[i2] && rate[p]! > 0 && rate[p]! < runaway) {
      const f = (Math.log(runaway) - Math.log(rate[p]!)) / (Math.log(rate[i2]!) - Math.log(rate[p]!));
      t2DegC =
        smoothed.temperatureDegC[p]! + f * (smoothed.temperatureDegC[i2]! - smoothed.temperatureDegC[p]!);
      t2TimeS = timeS[p]! + f * (timeS[i2]! - timeS[p]!);
    }
  }
  let i3 = 0;
  let iMax = -1;
  for (let k = 0; k < n; k++) {
    if (rawT[k]! > rawT[i3]!) i3 = k;
    if (group[k] !== 0 && Number.isFinite(rate[k]!) && (iMax < 0 || rate[k]! > rate[iMax]!)) iMax = k;
  }
  const log10 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = rate[k]!;
    log10[k] = group[k] !== 0 && r > 0 ? Math.log10(r * 60) : NaN;
    if (group[k] === 0) rate[k] = NaN;
  }
  const t1TimeS = i1 >= 0 ? timeS[i1]! : null;
  return {
    t1DegC: i1 >= 0 ? smoothed.temperatureDegC[i1]! : null,
    t2DegC,
    t3DegC: rawT[i3]!,
    tT1ToT2S: t1TimeS !== null && t2TimeS !== null ? t2TimeS - t1TimeS : null,
    maxRateDegCPerS: iMax >= 0 ? rate[iMax]! : NaN,
    t1TimeS,
    t2TimeS,
    t3TimeS: timeS[i3]!,
    maxRateTimeS: iMax >= 0 ? timeS[iMax]! : NaN,
    maxRateTemperatureDegC: iMax >= 0 ? smoothed.temperatureDegC[iMax]! : NaN,
    onsetRateDegCPerMin: onset,
    runawayRateDegCPerS: runaway,
    phasesUsed,
    series: {
      timeS,
      temperatureDegC: smoothed.temperatureDegC,
      rateDegCPerS: rate,
      log10RateDegCPerMin: log10,
      phase,
    },
    notes,
  };
}

export type { ArcPhase };
