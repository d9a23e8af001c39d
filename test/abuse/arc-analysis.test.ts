// ARC characteristic temperatures on synthetic heat-wait-seek runs of an Arrhenius self-heating
// model with a known answer: T1 and T2 are roots of the model's rate function (bisection), T3 the
// model's end temperature, times from the fine noise-free trajectory. Noise is seeded.
import { describe, expect, it } from 'vitest';
import { createFrame, isDiscernError, type Frame } from '../../src/core/index.js';
import { arcAnalysis, arcPhaseOf } from '../../src/analysis/abuse/index.js';
import {
  DEFAULT_HWS,
  modelRate,
  modelThrough,
  rateRoot,
  simulateArc,
  type ArcModel,
  type SyntheticArc,
} from './arc-synthetic.js';

const LEVELS = ['Heat', 'Wait', 'Seek', 'Exotherm', 'Cool'];

function frameOf(run: SyntheticArc, phases = true): Frame {
  return createFrame({
    columns: {
      test_time_s: Float64Array.from(run.timeS),
      temperature_degC: Float64Array.from(run.temperatureDegC),
      ...(phases
        ? { step_type: { codes: Int32Array.from(run.phase.map((p) => LEVELS.indexOf(p))), levels: LEVELS } }
        : {}),
    },
    meta: { vendor: 'synthetic', format: 'synthetic', kind: 'arc' },
  });
}

/** NMC-like (Ea = 100 kJ/mol, 0.02 degC/min at 92.3 degC, reaction spent at 750 degC) and LFP-like. */
const MODELS: [string, ArcModel][] = [
  ['NMC-like', modelThrough(12027, 92.3, 0.02 / 60, 750)],
  ['LFP-like', modelThrough(18000, 131.7, 0.02 / 60, 450)],
];

describe.each(MODELS)('%s synthetic ARC run', (_name, model) => {
  const t1Star = rateRoot(model, 0.02 / 60, 25, model.tfDegC);
  const t2Star = rateRoot(model, 1, 25, model.tfDegC);

  it.each([1, 2, 3])('finds T1, T2, T3 within tolerance (phases, seed %i)', (seed) => {
    const run = simulateArc(model, {
      ...DEFAULT_HWS,
      seed,
      // Single-sample spikes in the heat-wait-seek part must not make an onset.
      spikes: [
        { atS: 2000, degC: 0.8 },
        { atS: 6000, degC: -0.6 },
        { atS: 9000, degC: 0.5 },
      ],
    });
    const r = arcAnalysis(frameOf(run));
    expect(r.phasesUsed).toBe(true);
    // T1: within 1 degC of the first non-heat temperature where the model rate reaches 0.02 degC/min;
    // that is at most one HWS step above the Arrhenius crossing.
    expect(Math.abs(r.t1DegC! - run.truth.t1DegC!)).toBeLessThan(1);
    expect(r.t1DegC!).toBeGreaterThan(t1Star - 0.5);
    expect(r.t1DegC!).toBeLessThan(t1Star + DEFAULT_HWS.stepDegC + 1);
    // T2: the root of rate(T) = 1 degC/s, within 1.5 degC.
    expect(Math.abs(r.t2DegC! - t2Star)).toBeLessThan(1.5);
    // T3: the highest temperature of the run (reaction spent at Tf - 0.5 in the generator).
    expect(Math.abs(r.t3DegC - run.truth.t3DegC)).toBeLessThan(0.1);
    // Time from T1 to T2 within 2 % of the noise-free trajectory's.
    const trueDt = run.truth.t2TimeS! - run.truth.t1TimeS!;
    expect(Math.abs(r.tT1ToT2S! - trueDt)).toBeLessThan(0.02 * trueDt);
    // Maximum rate within 5 % of the model's maximum along the trajectory.
    expect(Math.abs(r.maxRateDegCPerS - run.truth.maxRateDegCPerS)).toBeLessThan(
      0.05 * run.truth.maxRateDegCPerS,
    );
  });

  it('finds them without phase labels too (generic CSV mapping case)', () => {
    const run = simulateArc(model, { ...DEFAULT_HWS, seed: 7 });
    const r = arcAnalysis(frameOf(run, false));
    expect(r.phasesUsed).toBe(false);
    expect(Math.abs(r.t1DegC! - run.truth.t1DegC!)).toBeLessThan(1);
    expect(Math.abs(r.t2DegC! - t2Star)).toBeLessThan(1.5);
    expect(Math.abs(r.t3DegC - run.truth.t3DegC)).toBeLessThan(0.1);
  });

  it('follows configurable thresholds (0.05 degC/min onset, 0.1 degC/s trigger)', () => {
    const run = simulateArc(model, { ...DEFAULT_HWS, detectDegCPerMin: 0.05, seed: 4 }, 0.1);
    const r = arcAnalysis(frameOf(run), { onsetRateDegCPerMin: 0.05, runawayRateDegCPerS: 0.1 });
    expect(Math.abs(r.t1DegC! - run.truth.t1DegC!)).toBeLessThan(1);
    expect(Math.abs(r.t2DegC! - rateRoot(model, 0.1, 25, model.tfDegC))).toBeLessThan(1.5);
    expect(r.onsetRateDegCPerMin).toBe(0.05);
  });

  it('gives plot data: log10 rate in degC/min, about log10(60) at T2', () => {
    const run = simulateArc(model, { ...DEFAULT_HWS, seed: 5 });
    const r = arcAnalysis(frameOf(run));
    const s = r.series;
    expect(s.timeS.length).toBe(run.timeS.length);
    let k = 0;
    while (s.temperatureDegC[k]! < t2Star) k++;
    expect(Math.abs(s.log10RateDegCPerMin[k]! - Math.log10(60))).toBeLessThan(0.1);
    // Heat steps carry no rate.
    const heat = run.phase.indexOf('Heat');
    expect(Number.isNaN(s.rateDegCPerS[heat]!)).toBe(true);
  });
});

describe('ARC runs without runaway and guards', () => {
  it('reports no T1/T2 for a sample that never self-heats (noise only, HWS to 300 degC)', () => {
    const inert: ArcModel = { eK: 12027, aPerS: 0, tfDegC: 750, trefDegC: 25 };
    const run = simulateArc(inert, { ...DEFAULT_HWS, seed: 9, noiseDegC: 0.02 });
    const r = arcAnalysis(frameOf(run));
    expect(r.t1DegC).toBeNull();
    expect(r.t2DegC).toBeNull();
    expect(r.tT1ToT2S).toBeNull();
    expect(r.t3DegC).toBeGreaterThan(299);
    const noPhases = arcAnalysis(frameOf(run, false));
    expect(noPhases.t1DegC).toBeNull();
  });

  it('needs the sustain rule and the despiking: without them a spike is taken for an onset', () => {
    const model = MODELS[0]![1];
    const run = simulateArc(model, { ...DEFAULT_HWS, seed: 3, spikes: [{ atS: 2000, degC: 0.8 }] });
    // A short rate window (2 min) makes a 0.8 degC spike look like 0.5 degC/min of self-heating.
    const guarded = arcAnalysis(frameOf(run), { windowS: 120 });
    const naive = arcAnalysis(frameOf(run), { windowS: 120, despikePoints: 1, sustainS: 60, minPoints: 3 });
    expect(guarded.t1DegC!).toBeGreaterThan(90);
    expect(naive.t1DegC!).toBeLessThan(65);
  });

  it('rejects bad input with stable codes', () => {
    const f = createFrame({
      columns: { test_time_s: Float64Array.from([0, 1, 2, 3, 4, 5]) },
      meta: { vendor: 'x', format: 'x' },
    });
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (e) {
        return isDiscernError(e) ? e.code : 'not a DiscernError';
      }
      return undefined;
    };
    expect(code(() => arcAnalysis(f))).toBe('DISCERN_MISSING_COLUMN');
    const short = createFrame({
      columns: { test_time_s: Float64Array.from([0, 1]), temperature_degC: Float64Array.from([25, 25]) },
      meta: { vendor: 'x', format: 'x' },
    });
    expect(code(() => arcAnalysis(short))).toBe('DISCERN_INSUFFICIENT_DATA');
    const run = simulateArc(MODELS[0]![1], { ...DEFAULT_HWS, maxDegC: 60 });
    expect(code(() => arcAnalysis(frameOf(run), { onsetRateDegCPerMin: 0 }))).toBe('DISCERN_BAD_ARGUMENT');
    expect(code(() => arcAnalysis(frameOf(run), { rateSource: 'instrument' }))).toBe(
      'DISCERN_MISSING_COLUMN',
    );
  });

  it('reads phase labels of several vendors', () => {
    expect(['Heat', 'H', 'heating'].map(arcPhaseOf)).toEqual(['heat', 'heat', 'heat']);
    expect(['Wait', 'W'].map(arcPhaseOf)).toEqual(['wait', 'wait']);
    expect(['Seek', 'Search', 'S'].map(arcPhaseOf)).toEqual(['seek', 'seek', 'seek']);
    expect(['Exotherm', 'Exo', 'Tracking', 'E'].map(arcPhaseOf)).toEqual([
      'exotherm',
      'exotherm',
      'exotherm',
      'exotherm',
    ]);
    expect(['Cool', 'End', '3', ''].map(arcPhaseOf)).toEqual(['cool', 'cool', 'other', 'other']);
  });

  it('model check: the generator rate is the analytic Arrhenius rate', () => {
    const m = MODELS[0]![1];
    // At 92.3 degC the pure Arrhenius rate is 0.02 degC/min by construction; depletion lowers it
    // by the factor (Tf - T)/(Tf - Tref).
    const f = (m.tfDegC - 92.3) / (m.tfDegC - m.trefDegC);
    expect(modelRate(m, 92.3)).toBeCloseTo((0.02 / 60) * f, 12);
  });
});
