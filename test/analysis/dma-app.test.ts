import { describe, expect, it } from 'vitest';
import {
  CHEN2020_GRAPHITE,
  CHEN2020_NMC811,
  degradationModes,
  electrodeCapacities,
  fullCellOcv,
  type StoichiometryLimits,
} from '../../src/analysis/index.js';
import { analysisContext, diagnosticCycles, dmaReport } from '../../src/app/analysis.js';
import { buildFrame, rest, type Segment } from './synthetic.js';

// Two C/20 diagnostic cycles of a cell built from the Chen 2020 OCPs, before and after ageing, with
// a 20 mOhm resistance (±5 mV at 0.25 A) that the pseudo-OCV must cancel.
const before: StoichiometryLimits = { peLow: 0.8, peHigh: 0.1, neLow: 0.1, neHigh: 0.7 };
const after: StoichiometryLimits = { peLow: 0.78, peHigh: 0.16, neLow: 0.12, neHigh: 0.66 };
const ocv = (l: StoichiometryLimits, soc: number): number =>
  fullCellOcv([soc], CHEN2020_NMC811, CHEN2020_GRAPHITE, l)[0]!;

function diagnostic(l: StoichiometryLimits, q: number, cycle: number, i = 0.25): Segment[] {
  const dur = (q / i) * 3600;
  const dt = dur / 1000;
  return [
    { durationS: dur, dtS: dt, current: () => i, voltage: (t) => ocv(l, t / dur) + 0.005, cycle },
    rest(3600, ocv(l, 1), 60, { cycle }),
    { durationS: dur, dtS: dt, current: () => -i, voltage: (t) => ocv(l, 1 - t / dur) - 0.005, cycle },
    rest(3600, ocv(l, 0), 60, { cycle }),
  ];
}

describe('dmaReport on slow diagnostic cycles', () => {
  it('recovers LLI, LAM_PE and LAM_NE of a known ageing step', () => {
    const f = buildFrame([...diagnostic(before, 5, 1), ...diagnostic(after, 4.4, 2)]);
    const ctx = analysisContext({ file: 'synthetic' }, f);
    const r = dmaReport(ctx, [1, 2], CHEN2020_NMC811, CHEN2020_GRAPHITE, {
      optimizer: 'differential-evolution',
      bounds: [
        [0.6, 0.95],
        [0.0, 0.3],
        [0.0, 0.3],
        [0.5, 0.9],
      ],
    });
    const truth = degradationModes([electrodeCapacities(before, 5), electrodeCapacities(after, 4.4)])[1]!;
    expect(r.cycles.map((c) => c.cellCapacityAh)).toEqual([expect.closeTo(5, 6), expect.closeTo(4.4, 6)]);
    expect(r.cycles[1]!.fit.parameters.peHigh).toBeCloseTo(0.16, 2);
    expect(r.cycles[0]!.rmseV).toBeLessThan(0.002);
    expect(r.modes[1]!.soh).toBeCloseTo(0.88, 6);
    expect(r.modes[1]!.lli).toBeCloseTo(truth.lli, 2);
    expect(r.modes[1]!.lamPe).toBeCloseTo(truth.lamPe, 2);
    expect(r.modes[1]!.lamNe).toBeCloseTo(truth.lamNe, 2);
  });
});

describe('diagnosticCycles (dma without --cycles)', () => {
  it('picks the slow full cycles among faster ageing cycles and a slow partial one', () => {
    const f = buildFrame([
      ...diagnostic(before, 5, 1), // C/20
      ...diagnostic(before, 4.9, 2, 2.5), // C/2 ageing
      ...diagnostic(before, 4.8, 3, 2.5),
      ...diagnostic(after, 4.4, 4, 0.28), // C/18: within 1.25x of the slowest
      ...diagnostic(after, 1, 5), // C/20 but a fifth of the capacity: partial
    ]);
    const ctx = analysisContext({ file: 'synthetic' }, f);
    expect(diagnosticCycles(ctx)).toEqual([1, 4]);
  });

  it('fails with DISCERN_INSUFFICIENT_DATA when no cycle has a CC charge and a CC discharge', () => {
    const ctx = analysisContext({ file: 'synthetic' }, buildFrame([rest(600, 3.7, 10, { cycle: 1 })]));
    expect(() => diagnosticCycles(ctx)).toThrow(
      expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }),
    );
  });
});
