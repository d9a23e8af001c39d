import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { circuitImpedance } from '../../src/analysis/eis/circuit.js';
import { fitCircuit } from '../../src/analysis/eis/fit-circuit.js';
import { impedanceSpectra, sweepSpectrum } from '../../src/analysis/eis/spectrum.js';
import { impedanceSweeps } from '../../src/analysis/eis/sweeps.js';
import { createFrame, seededRandom, type Frame } from '../../src/core/index.js';
import { readSource } from '../../src/ingest/index.js';
import { fixture, fixtureFile, haveFixtures } from '../helpers/fixtures.js';

/** Log-spaced frequencies from `from` to `to` Hz (either direction). */
function logFreq(from: number, to: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => from * Math.pow(to / from, k / (n - 1)));
}

/** Rows of one sweep: frequencies and a Randles cell's Z with 0.1 % proportional noise (seeded). */
interface Rows {
  f: number[];
  re: number[];
  im: number[];
  counters?: Record<string, number[]>;
}

const RANDLES = 'R0-p(R1-W1,C1)';

function randles(r0: number, f: number[], seed: number): Rows {
  const z = circuitImpedance(RANDLES, [r0, 0.015, 0.004, 0.5], f);
  const rng = seededRandom(seed);
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k < f.length; k++) {
    const mod = Math.hypot(z.re[k]!, z.im[k]!);
    re.push(z.re[k]! + 0.001 * mod * rng.normal());
    im.push(z.im[k]! + 0.001 * mod * rng.normal());
  }
  return { f, re, im };
}

/** `n` time-domain rows (f = 0 as BioLogic writes it, Z missing). */
function gap(n: number): Rows {
  return { f: Array<number>(n).fill(0), re: Array<number>(n).fill(NaN), im: Array<number>(n).fill(NaN) };
}

function withCounter(r: Rows, name: string, value: number): Rows {
  return { ...r, counters: { ...r.counters, [name]: Array<number>(r.f.length).fill(value) } };
}

/** A frame of the parts one after the other; counters named in any part become Int32 columns. */
function frameOf(parts: Rows[], float: readonly string[] = []): Frame {
  const cat = (get: (r: Rows) => number[]): Float64Array => Float64Array.from(parts.flatMap(get));
  const names = new Set(parts.flatMap((p) => Object.keys(p.counters ?? {})));
  const columns: Record<string, Float64Array | Int32Array> = {
    frequency_Hz: cat((r) => r.f),
    z_real_Ohm: cat((r) => r.re),
    z_imag_Ohm: cat((r) => r.im),
  };
  let t = 0;
  columns['test_time_s'] = Float64Array.from(parts.flatMap((r) => r.f.map(() => (t += 1))));
  for (const n of names) {
    const v = parts.flatMap((r) => r.counters?.[n] ?? r.f.map(() => 0));
    columns[n] = float.includes(n) ? Float64Array.from(v) : Int32Array.from(v);
  }
  return createFrame({ columns, meta: { vendor: 'test', format: 'synthetic' } });
}

const DOWN = logFreq(1e4, 0.01, 50);
const R0 = [0.02, 0.035];

describe('impedanceSweeps on synthetic frames with a known answer', () => {
  it('two Randles spectra back to back: 2 sweeps at the frequency reset, each fit recovers its R0 within 1 %', () => {
    // A cycle_index that never changes, as in a BioLogic Modulo Bat file: splitting by cycle
    // alone (the old behaviour) put both spectra into one.
    const frame = frameOf([
      withCounter(randles(R0[0]!, DOWN, 1), 'cycle_index', 0),
      withCounter(randles(R0[1]!, DOWN, 2), 'cycle_index', 0),
    ]);
    const sweeps = impedanceSweeps(frame);
    expect(sweeps.map((s) => [s.index, s.firstRow, s.lastRow, s.points])).toEqual([
      [1, 0, 49, 50],
      [2, 50, 99, 50],
    ]);
    expect(sweeps.every((s) => s.direction === 'down' && s.fittable && s.cycle === 0)).toBe(true);
    expect(sweeps[0]!.startFrequencyHz).toBeCloseTo(1e4, 6);
    expect(sweeps[0]!.endFrequencyHz).toBeCloseTo(0.01, 10);
    expect(sweeps[1]!.meanTimeS).toBeCloseTo((51 + 100) / 2, 10);
    const spectra = impedanceSpectra(frame);
    expect(spectra).toHaveLength(2);
    spectra.forEach((s, k) => {
      expect(s.sweep).toBe(k + 1);
      const fit = fitCircuit(s, RANDLES);
      expect(fit.converged).toBe(true);
      expect(Math.abs(fit.parameters[0]!.value - R0[k]!) / R0[k]!).toBeLessThan(0.01);
    });
    // The two together are not one spectrum: one fit over all points is far worse than either.
    const both = fitCircuit(
      {
        frequencyHz: Float64Array.from([...DOWN, ...DOWN]),
        zReal: Float64Array.from([...spectra[0]!.zReal, ...spectra[1]!.zReal]),
        zImag: Float64Array.from([...spectra[0]!.zImag, ...spectra[1]!.zImag]),
      },
      RANDLES,
    );
    const worst = Math.max(...spectra.map((s) => fitCircuit(s, RANDLES).rmse));
    expect(both.rmse).toBeGreaterThan(10 * worst);
  });

  it('time-domain rows before, between and after the sweeps end them', () => {
    const frame = frameOf([gap(7), randles(R0[0]!, DOWN, 3), gap(4), randles(R0[1]!, DOWN, 4), gap(2)]);
    expect(impedanceSweeps(frame).map((s) => [s.firstRow, s.lastRow])).toEqual([
      [7, 56],
      [61, 110],
    ]);
    // Without the reset: a gap alone ends a sweep (two halves of one frequency list).
    const halves = frameOf([
      randles(R0[0]!, DOWN.slice(0, 20), 5),
      gap(3),
      randles(R0[0]!, DOWN.slice(20), 5),
    ]);
    expect(impedanceSweeps(halves).map((s) => [s.firstRow, s.lastRow])).toEqual([
      [0, 19],
      [23, 52],
    ]);
  });

  it('low-to-high sweeps: a new sweep where the frequency drops back', () => {
    const up = logFreq(0.01, 1e4, 40);
    const frame = frameOf([randles(R0[0]!, up, 6), randles(R0[1]!, up, 7)]);
    const sweeps = impedanceSweeps(frame);
    expect(sweeps.map((s) => [s.firstRow, s.lastRow, s.direction])).toEqual([
      [0, 39, 'up'],
      [40, 79, 'up'],
    ]);
    impedanceSpectra(frame).forEach((s, k) => {
      const fit = fitCircuit(s, RANDLES);
      expect(Math.abs(fit.parameters[0]!.value - R0[k]!) / R0[k]!).toBeLessThan(0.01);
    });
  });

  it('a change of step, cycle or EIS-cycle counter ends a sweep even without a frequency reset', () => {
    const a = randles(R0[0]!, DOWN.slice(0, 25), 8);
    const b = randles(R0[0]!, DOWN.slice(25), 8);
    for (const name of ['cycle_index', 'step_index', 'step_count', 'aux_z_cycle']) {
      const frame = frameOf([withCounter(a, name, 3), withCounter(b, name, 4)], ['aux_z_cycle']);
      const sweeps = impedanceSweeps(frame);
      expect(
        sweeps.map((s) => [s.firstRow, s.lastRow]),
        name,
      ).toEqual([
        [0, 24],
        [25, 49],
      ]);
      if (name === 'step_index') expect(sweeps.map((s) => s.step)).toEqual([3, 4]);
      if (name === 'cycle_index') expect(sweeps.map((s) => s.cycle)).toEqual([3, 4]);
    }
    // An unrelated counter does not split.
    const frame = frameOf([withCounter(a, 'aux_other', 3), withCounter(b, 'aux_other', 4)]);
    expect(impedanceSweeps(frame)).toHaveLength(1);
  });

  it('lists a sweep of fewer than 5 points as not fittable; a repeated frequency does not split', () => {
    const frame = frameOf([randles(R0[0]!, DOWN, 9), randles(R0[0]!, [1000, 100, 10], 10)]);
    const sweeps = impedanceSweeps(frame);
    expect(sweeps.map((s) => [s.points, s.fittable])).toEqual([
      [50, true],
      [3, false],
    ]);
    expect(impedanceSweeps(frame, { minPoints: 3 })[1]!.fittable).toBe(true);
    const repeated = frameOf([randles(R0[0]!, [1000, 100, 100, 10, 1, 1, 0.1], 11)]);
    expect(impedanceSweeps(repeated).map((s) => [s.firstRow, s.lastRow, s.direction])).toEqual([
      [0, 6, 'down'],
    ]);
    const single = frameOf([randles(R0[0]!, [50], 12)]);
    expect(impedanceSweeps(single)[0]!.direction).toBe('single');
    // One frequency tracked over time is not a spectrum, however many rows it has.
    const tracked = impedanceSweeps(frameOf([randles(R0[0]!, Array<number>(20).fill(1000), 12)]));
    expect(tracked.map((s) => [s.points, s.direction, s.fittable])).toEqual([[20, 'single', false]]);
  });

  it('rows with a frequency but no finite Z stay in the sweep but are not points', () => {
    const r = randles(R0[0]!, DOWN, 13);
    r.re[10] = NaN;
    const frame = frameOf([r]);
    const [s] = impedanceSweeps(frame);
    expect([s!.firstRow, s!.lastRow, s!.points]).toEqual([0, 49, 49]);
    expect(sweepSpectrum(frame, s!).frequencyHz).toHaveLength(49);
  });

  it('guards: missing channel, bad minPoints, no impedance row', () => {
    const noZ = createFrame({
      columns: { frequency_Hz: Float64Array.from([1, 2]) },
      meta: { vendor: 'test', format: 'synthetic' },
    });
    expect(() => impedanceSweeps(noZ)).toThrow(expect.objectContaining({ code: 'DISCERN_MISSING_COLUMN' }));
    const frame = frameOf([randles(R0[0]!, DOWN, 14)]);
    expect(() => impedanceSweeps(frame, { minPoints: 0 })).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
    const none = frameOf([gap(5)]);
    expect(impedanceSweeps(none)).toEqual([]);
    expect(() => impedanceSpectra(none)).toThrow(
      expect.objectContaining({ code: 'DISCERN_INSUFFICIENT_DATA' }),
    );
  });
});

describe.skipIf(!haveFixtures)('impedance sweeps of real files', () => {
  /*
   * cellpy/biol.mpr: a BioLogic Modulo Bat run with PEIS steps between the cycling. The
   * independent reference is cellpy's own reading of the same file (goldens/loader_biologics_mpr,
   * raw.parquet, 1-based data_point): its rows with frequency > 0 grouped by EC-Lab's z_cycle
   * counter. Our reader names that counter aux_z_cycle; here the split must come out the same.
   */
  const frame = readSource(fixtureFile('cellpy/biol.mpr'));
  const sweeps = impedanceSweeps(frame);

  it('biol.mpr: 5 sweeps, the same rows as cellpy finds per z cycle', () => {
    const table = tableFromIPC(
      readParquet(
        new Uint8Array(readFileSync(fixture('cellpy/goldens/loader_biologics_mpr/raw.parquet'))),
      ).intoIPCStream(),
    );
    const freq = table.getChild('frequency')!.toArray() as Float64Array;
    const zCycle = table.getChild('z_cycle')!.toArray() as ArrayLike<number>;
    const point = table.getChild('data_point')!.toArray() as ArrayLike<number | bigint>;
    const golden = new Map<number, { first: number; last: number; n: number; f0: number }>();
    let resets = 0;
    for (let i = 0; i < freq.length; i++) {
      if (!(freq[i]! > 0)) continue;
      if (!(i > 0 && freq[i - 1]! > freq[i]!)) resets++; // a sweep starts: after f = 0, or f went up
      const row = Number(point[i]!) - 1;
      const g = golden.get(Number(zCycle[i]));
      if (g === undefined) golden.set(Number(zCycle[i]), { first: row, last: row, n: 1, f0: freq[i]! });
      else [g.last, g.n] = [row, g.n + 1];
    }
    const expected = [...golden.values()];
    expect(expected).toHaveLength(5);
    expect(resets).toBe(5);
    expect(sweeps.map((s) => [s.firstRow, s.lastRow, s.points])).toEqual(
      expected.map((g) => [g.first, g.last, g.n]),
    );
    // The numbers, for the record: 64 points from 100 kHz four times, then 54 from 10 kHz.
    expect(sweeps.map((s) => [s.firstRow, s.lastRow, s.points])).toEqual([
      [27, 90, 64],
      [3032, 3095, 64],
      [7625, 7688, 64],
      [12945, 13008, 64],
      [23442, 23495, 54],
    ]);
    sweeps.forEach((s, k) => {
      expect(s.startFrequencyHz).toBe(expected[k]!.f0);
      expect(s.direction).toBe('down');
      expect(s.cycle).toBe(0);
    });
    expect(sweeps.map((s) => s.step)).toEqual([2, 2, 2, 2, 9]);
  });

  it('biol.mpr: each sweep fits R0-p(R1,CPE1)-CPE2 to under 2 % of its largest |Z|; all points together do not', () => {
    const circuit = 'R0-p(R1,CPE1)-CPE2';
    const spectra = impedanceSpectra(frame);
    expect(spectra).toHaveLength(5);
    const rmse = spectra.map((s) => {
      let zmax = 0;
      for (let k = 0; k < s.zReal.length; k++) zmax = Math.max(zmax, Math.hypot(s.zReal[k]!, s.zImag[k]!));
      const fit = fitCircuit(s, circuit);
      expect(fit.rmse).toBeLessThan(0.02 * zmax);
      // R0 is the high-frequency intercept: close to Z' at the first (highest) frequency.
      expect(Math.abs(fit.parameters[0]!.value - s.zReal[0]!) / s.zReal[0]!).toBeLessThan(0.15);
      return fit.rmse;
    });
    // Measured: 0.245, 0.052, 0.066, 0.064, 0.936 Ohm. The 310 points as one spectrum: ~15 Ohm.
    const all = {
      frequencyHz: Float64Array.from(spectra.flatMap((s) => Array.from(s.frequencyHz))),
      zReal: Float64Array.from(spectra.flatMap((s) => Array.from(s.zReal))),
      zImag: Float64Array.from(spectra.flatMap((s) => Array.from(s.zImag))),
    };
    expect(fitCircuit(all, circuit).rmse).toBeGreaterThan(5 * Math.max(...rmse));
  });

  it('the GEIS and Modulo Bat fixtures: one sweep per loop, including loops inside one cycle', () => {
    const count = (f: string): number[] => impedanceSweeps(readSource(fixtureFile(f))).map((s) => s.points);
    // 61 GEIS loops of 41 frequencies; the last loop stopped after 39 (the file ends there).
    expect(count('biologic-converter/geis.mpt')).toEqual([...Array<number>(60).fill(41), 39]);
    expect(count('yadg/geis.issue_149.mpr')).toEqual([21, 21, 21, 21]);
    // mb.mpt: 8 PEIS steps, two per cycle_index from cycle 1 on (so cycle alone gave 4 spectra).
    expect(count('biologic-converter/mb.mpt')).toEqual(Array<number>(8).fill(70));
    expect(count('yadg/mb.issue_223.mpr')).toEqual([19, 19, 19, 19]);
    for (const single of [
      'impedance.py/exampleData.csv',
      'impedance.py/exampleDataGamry.DTA',
      'beep/maccor_test_file_4267-66-6519.EDA0001.041',
      'BDF/PEIS-0.mpr',
    ])
      expect(count(single), single).toHaveLength(1);
  });
});
