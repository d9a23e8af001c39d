import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEcmModel, runEcmSimulate } from '../../src/app/pulse.js';
import { simulateProgram, trueModel2RC } from '../helpers/synthetic-cell.js';

// `discern ecm simulate MODEL.json PROFILE` through the app layer: the profile is a BDF CSV file
// written from the true 2RC model, so the voltage RMSE of the same model is the noise (0 here).
const dir = mkdtempSync(join(tmpdir(), 'discern-ecm-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const truth = trueModel2RC();

/** Writes a profile (time, voltage, current) as a BDF CSV and returns its path. */
function profileFile(name: string, p: { timeS: number[]; voltageV: number[]; currentA: number[] }): string {
  const lines = ['Test Time / s,Voltage / V,Current / A'];
  for (let i = 0; i < p.timeS.length; i++) lines.push(`${p.timeS[i]},${p.voltageV[i]},${p.currentA[i]}`);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('ecm simulate (app layer)', () => {
  const modelPath = join(dir, 'model.json');
  writeFileSync(modelPath, JSON.stringify(truth));
  // The whole `ecm fit --json` report, with the model in its `model` member.
  const reportPath = join(dir, 'report.json');
  writeFileSync(reportPath, JSON.stringify({ source: { kind: 'file', path: 'x' }, out: null, model: truth }));

  it('reads a model file and the `ecm fit --json` report alike', () => {
    expect(readEcmModel(reportPath)).toEqual(readEcmModel(modelPath));
  });

  it('starts a profile that begins at rest from the OCV, and the true model reproduces it', async () => {
    const prog = [
      { durationS: 60, currentA: 0, dtS: 1 },
      { durationS: 300, currentA: -2, dtS: 1 },
      { durationS: 120, currentA: 1, dtS: 1 },
    ];
    const p = simulateProgram(truth, prog, { initialSocPct: 60 });
    const r = await runEcmSimulate(modelPath, profileFile('rest.csv', p));
    expect(r.initialSocSource).toBe('ocv');
    expect(r.initialSocPct).toBeCloseTo(60, 1);
    expect(r.rmseV!).toBeLessThan(1e-4);
    // 300 s at 1C discharge (-8.33 %) then 120 s at C/2 charge (+1.67 %)
    expect(r.finalSocPct).toBeCloseTo(60 - (300 * 2) / 72 + (120 * 1) / 72, 1);
  });

  it('starts a profile that begins under load from V − I·R0 instead of 100 %', async () => {
    // The file begins with the cell at 70 % already under a 1C discharge (first sample at -2 A).
    const p = simulateProgram(truth, [{ durationS: 400, currentA: -2, dtS: 1 }], { initialSocPct: 70 });
    expect(p.currentA[0]).toBe(-2);
    const r = await runEcmSimulate(modelPath, profileFile('load.csv', p));
    expect(r.initialSocSource).toBe('ocv-ir');
    // V0 − I·R0(50 %) = OCV(70 %) + 2 A·(R0(50 %) − R0(70 %)) = OCV(70 %) + 1.28 mV, about 0.1 %
    // of SOC (dOCV/dSOC ≈ 12 mV per %); the old default would have said 100 %.
    expect(Math.abs(r.initialSocPct - 70)).toBeLessThan(1);
    expect(r.rmseV!).toBeLessThan(5e-3);
  });

  it('uses the --soc0 option when given', async () => {
    const p = simulateProgram(truth, [{ durationS: 100, currentA: -2, dtS: 1 }], { initialSocPct: 70 });
    const r = await runEcmSimulate(modelPath, profileFile('opt.csv', p), { initialSocPct: 70 });
    expect(r.initialSocSource).toBe('option');
    expect(r.initialSocPct).toBe(70);
  });
});
