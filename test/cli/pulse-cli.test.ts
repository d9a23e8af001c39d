import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import {
  gittSeries,
  hppcProgram,
  simulateProgram,
  trueModel2RC,
  type ProgramStep,
} from '../helpers/synthetic-cell.js';
import { seededRandom } from '../../src/analysis/fit/random.js';

const dir = mkdtempSync(join(tmpdir(), 'discern-pulse-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a BDF CSV (machine names) that discern's BDF reader picks up. */
function writeBdf(name: string, d: { timeS: number[]; voltageV: number[]; currentA: number[] }): string {
  const lines = ['test_time_second,voltage_volt,current_ampere'];
  for (let i = 0; i < d.timeS.length; i++)
    lines.push(`${d.timeS[i]},${d.voltageV[i]!.toFixed(7)},${d.currentA[i]}`);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const truth = trueModel2RC();
const hppcCsv = writeBdf(
  'hppc.bdf.csv',
  simulateProgram(truth, hppcProgram(2, 9, 300), { noiseV: 5e-4, seed: 3 }),
);
const rng = seededRandom(11);
const dynSteps: ProgramStep[] = [{ durationS: 600, currentA: 0, dtS: 5 }];
for (let k = 0; k < 40; k++)
  dynSteps.push({
    durationS: 5 + Math.round(55 * rng.uniform()),
    currentA: Math.round(-60 + 100 * rng.uniform()) / 10,
    dtS: 0.5,
  });
const dynCsv = writeBdf(
  'dynamic.bdf.csv',
  simulateProgram(truth, dynSteps, { initialSocPct: 75, noiseV: 5e-4, seed: 5 }),
);
const gittCsv = writeBdf(
  'gitt.bdf.csv',
  gittSeries({
    diffusionM2PerS: 1e-14,
    lengthM: 10e-6,
    pulses: 4,
    pulseS: 300,
    restS: 10800,
    currentA: -0.1,
    deltaEsV: 0.01,
    resistanceOhm: 0.05,
    e0V: 4,
  }),
);

interface Json {
  [k: string]: unknown;
}

describe('discern hppc / ecm / gitt on synthetic files', () => {
  it('hppc --json gives the pulses and FreedomCAR levels', () => {
    const r = runCli(['hppc', hppcCsv, '--capacity', '2', '--vmin', '2.5', '--vmax', '4.3', '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as {
      pulses: { r0Ohm: number; socPct: number }[];
      levels: { dischargePowerW: number }[];
    };
    expect(out.pulses.length).toBe(18);
    expect(out.levels.length).toBe(9);
    // First-sample R0 at 0.1 s after the onset: R0 + R1(1 − e^{−0.05}) + R2(1 − e^{−0.0025}), 0.5 mV noise on 4 A.
    const x = 1;
    const r0 =
      0.01 + 0.004 * (1 - x) ** 2 + 0.005 * (1 - Math.exp(-0.1 / 2)) + 0.008 * (1 - Math.exp(-0.1 / 40));
    expect(Math.abs(out.pulses[0]!.r0Ohm - r0)).toBeLessThan((0.0005 / 4) * 2);
    expect(out.levels.every((l) => l.dischargePowerW > 0)).toBe(true);
  });

  it('hppc prints a table without --json', () => {
    const r = runCli(['hppc', hppcCsv, '--iso']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('R18.1s_mOhm');
    expect(r.stdout).toContain('FreedomCAR levels');
  });

  const model = join(dir, 'model.json');
  it('ecm fit writes a model; ecm simulate runs it on another profile within 1.5 mV', () => {
    const fit = runCli(['ecm', 'fit', hppcCsv, '--capacity', '2', '--out', model, '--json']);
    expect(fit.status).toBe(0);
    expect(existsSync(model)).toBe(true);
    const m = JSON.parse(readFileSync(model, 'utf8')) as { kind: string; rcPairs: number; tables: unknown[] };
    expect(m).toMatchObject({ kind: 'thevenin', rcPairs: 2 });
    expect((fit.json() as { windows: unknown[] }).windows.length).toBe(9);
    const sim = runCli(['ecm', 'simulate', model, dynCsv, '--soc0', '75', '--json']);
    expect(sim.status).toBe(0);
    const s = sim.json() as { rmseV: number; initialSocSource: string; rows: number };
    expect(s.initialSocSource).toBe('option');
    expect(s.rmseV).toBeLessThan(1.5e-3);
    // The profile starts at rest: without --soc0 the SOC is read off the OCV table.
    const auto = runCli(['ecm', 'simulate', model, dynCsv, '--json']).json() as {
      initialSocPct: number;
      initialSocSource: string;
    };
    expect(auto.initialSocSource).toBe('ocv');
    expect(auto.initialSocPct).toBeCloseTo(75, 0);
  });

  it('ecm simulate rejects a file that is not a model', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"kind":"thevenin","rcPairs":3}');
    const r = runCli(['ecm', 'simulate', bad, dynCsv, '--json']);
    expect(r.status).toBe(2);
    expect((r.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
  });

  it('gitt --json gives D per titration step', () => {
    const r = runCli(['gitt', gittCsv, '--length-um', '10', '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as { pulses: { diffusionCoefficientM2PerS: number; linearInSqrtT: boolean }[] };
    expect(out.pulses.length).toBe(4);
    for (const p of out.pulses) {
      expect(Math.abs(p.diffusionCoefficientM2PerS - 1e-14) / 1e-14).toBeLessThan(0.01);
      expect(p.linearInSqrtT).toBe(true);
    }
  });

  it('works on a stored test too', () => {
    const db = join(dir, 'store.duckdb');
    const ing = runCli(['ingest', hppcCsv, '--db', db, '--json']);
    expect(ing.status).toBe(0);
    const id = (ing.json() as { test: { id: number } }[])[0]!.test.id;
    const r = runCli(['hppc', String(id), '--db', db, '--capacity', '2', '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as { source: { kind: string }; pulses: unknown[] };
    expect(out.source.kind).toBe('test');
    expect(out.pulses.length).toBe(18);
    const missing = runCli(['hppc', 'no-such-test', '--db', db, '--json']);
    expect(missing.status).toBe(3);
    expect((missing.json() as { error: { code: string } }).error.code).toBe('DISCERN_NOT_FOUND');
  });

  it('rejects a bad number option', () => {
    const r = runCli(['hppc', hppcCsv, '--capacity', 'abc', '--json']);
    expect(r.status).toBe(2);
    expect((r.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
  });
});

describe.skipIf(!haveFixtures)('discern eis on the impedance fixtures', () => {
  const example = fixture('impedance.py/exampleData.csv');

  it("eis fit --json has the shape of the issue and reproduces impedance.py's Randles fit", () => {
    const r = runCli([
      'eis',
      'fit',
      example,
      '--circuit',
      'R0-p(R1-Wo1,C1)',
      '--initial',
      '.01,.005,.01,200,.1',
      '--starts',
      '1',
      '--capacitive-only',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = r.json() as {
      circuit: string;
      parameters: { name: string; value: number; stderr: number; unit: string }[];
      rmse: number;
      converged: boolean;
      iterations: number;
    };
    expect(out.circuit).toBe('R0-p(R1-Wo1,C1)');
    expect(out.parameters.map((p) => p.name)).toEqual(['R0', 'R1', 'Wo1_0', 'Wo1_1', 'C1']);
    expect(out.parameters.map((p) => p.unit)).toEqual(['Ohm', 'Ohm', 'Ohm', 'sec', 'F']);
    const expected = [1.86235717e-2, 1.16804085e-2, 6.27121224e-2, 2.21232935e2, 1.1717144];
    out.parameters.forEach((p, k) => {
      expect(Math.abs(p.value - expected[k]!) / expected[k]!).toBeLessThan(1e-4);
      expect(p.stderr).toBeGreaterThan(0);
    });
    expect(out.converged).toBe(true);
    expect(out.iterations).toBeGreaterThan(0);
    expect(out.rmse).toBeGreaterThan(0);
  });

  it('eis fit with constants and weighting, as text', () => {
    const r = runCli([
      'eis',
      'fit',
      example,
      '--circuit',
      'R0-p(R1,C1)-p(R2-Wo1,C2)',
      '--constants',
      'R0=0.0165',
      '--weighting',
      'modulus',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('fixed');
    expect(r.stdout).toContain('modulus weighting');
  });

  it('eis kk --json gives {M, mu, residuals_real, residuals_imag}', () => {
    const r = runCli(['eis', 'kk', example, '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as { M: number; mu: number; residuals_real: number[]; residuals_imag: number[] };
    expect(out.M).toBe(22);
    expect(out.mu).toBeCloseTo(0.83064262909327, 9);
    expect(out.residuals_real.length).toBe(66);
    expect(out.residuals_imag.length).toBe(66);
  });

  it('eis drt --json gives gamma on a grid, the peaks and lambda', () => {
    const r = runCli(['eis', 'drt', fixture('impedance.py/exampleDataGamry.DTA'), '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as {
      lambda: number;
      tau_s: number[];
      gamma_Ohm: number[];
      peaks: unknown[];
      data: Json;
      lambda_source: string;
      lambda_at_bound: boolean;
      warnings: string[];
    };
    expect(out.lambda).toBeGreaterThan(0);
    // GCV has no interior minimum on this spectrum: the answer says so instead of using the bound.
    expect(out.lambda_at_bound).toBe(true);
    expect(out.lambda_source).toBe('fallback');
    expect(out.warnings.length).toBeGreaterThan(0);
    expect(out.tau_s.length).toBe(out.gamma_Ohm.length);
    expect(out.tau_s.length).toBe(720);
    expect(out.peaks.length).toBeGreaterThan(0);
  });

  it('picks one spectrum of a multi-loop GEIS file', () => {
    const r = runCli(['eis', 'kk', fixture('biologic-converter/geis.mpt'), '--spectrum', '3', '--json']);
    expect(r.status).toBe(0);
    const out = r.json() as { data: { spectrum: number; spectra: number; cycle: number; points: number } };
    expect(out.data).toMatchObject({ spectrum: 3, spectra: 61, cycle: 3, points: 41 });
    const tooFar = runCli([
      'eis',
      'kk',
      fixture('biologic-converter/geis.mpt'),
      '--spectrum',
      '62',
      '--json',
    ]);
    expect(tooFar.status).toBe(2);
  });

  it('reads BioLogic .mpr, Maccor FRA and a stored impedance test', () => {
    for (const f of ['yadg/peis.mpr', 'BDF/PEIS-0.mpr', 'beep/maccor_test_file_4267-66-6519.EDA0001.041']) {
      const r = runCli(['eis', 'drt', fixture(f), '--json']);
      expect(r.status).toBe(0);
    }
    const db = join(dir, 'eis.duckdb');
    const ing = runCli(['ingest', example, '--db', db, '--json']);
    expect(ing.status).toBe(0);
    const r = runCli(['eis', 'kk', 'exampleData', '--db', db, '--json']);
    expect(r.status).toBe(0);
    expect((r.json() as { M: number }).M).toBe(22);
  });

  it('reports a bad circuit and a time series as errors with codes', () => {
    const bad = runCli(['eis', 'fit', example, '--circuit', 'R0-X1', '--json']);
    expect(bad.status).toBe(2);
    expect((bad.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
    const ts = runCli(['eis', 'kk', hppcCsv, '--json']);
    expect(ts.status).toBe(2);
    expect((ts.json() as { error: { code: string } }).error.code).toBe('DISCERN_MISSING_COLUMN');
  });
});
