// Powertrain benchmark (issue 6): a full WLTC class 3b at 10 Hz (18 001 samples) through road load,
// machine and inverter with the losses and junction temperatures (Foster networks, loss/temperature
// iteration) at every step. Goal: under 20 ms. Baseline in the same run: a bare loop over the same
// samples doing only the road-load arithmetic. Needs the shared fixtures (or DISCERN_WLTC3B).
// Run: node --import tsx bench/powertrain.ts. Appends its figures to bench/RESULTS.md.
import { appendFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCycle, loadDevice, loadVehicle } from '../src/app/powertrain.js';
import {
  electricDriveEnergy,
  inverterThermalProfile,
  resampleCycle,
  type DriveCycle,
} from '../src/powertrain/index.js';

function medianMs(fn: () => unknown, runs = 31, warmup = 10): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** The road-load arithmetic alone, inlined: the floor any per-step model sits on. */
function bareRoadLoad(c: DriveCycle): number {
  let e = 0;
  const v = c.speedMps;
  for (let k = 1; k < v.length; k++) {
    const vb = 0.5 * (v[k]! + v[k - 1]!);
    const dt = c.timeS[k]! - c.timeS[k - 1]!;
    e +=
      (0.5 * 1.2 * 0.68 * vb * vb * vb +
        1575 * 9.81 * 0.008 * vb +
        (1622 * (v[k]! ** 2 - v[k - 1]! ** 2)) / (2 * dt)) *
      dt;
  }
  return e;
}

const vehicle = loadVehicle('renault-5-52kwh').vehicle;
const cycle = resampleCycle(loadCycle('wltc3b'), 0.1);
const n = cycle.timeS.length;
const base = medianMs(() => bareRoadLoad(cycle));
const rows: string[] = [`| bare road-load loop (baseline) | ${base.toFixed(3)} | 1 | - |`];
for (const id of ['si-igbt-750v', 'infineon-fs03mr12a6ma1b']) {
  const module = loadDevice(id);
  const full = medianMs(() => electricDriveEnergy(vehicle, cycle, module));
  const thermal = medianMs(() =>
    inverterThermalProfile(module, {
      timeS: cycle.timeS,
      phaseCurrentRmsA: new Float64Array(n).fill(150),
      modulationIndex: new Float64Array(n).fill(0.6),
      powerFactor: new Float64Array(n).fill(0.9),
      dcLinkVoltageV: 400,
      switchingFrequencyHz: 10e3,
    }),
  );
  const peak = electricDriveEnergy(vehicle, cycle, module).peakJunctionDegC;
  rows.push(
    `| full WLTC 10 Hz, component model, ${id} | ${full.toFixed(2)} | ${(full / base).toFixed(0)}× | ${peak.toFixed(1)} |`,
  );
  rows.push(
    `| inverter losses + Tj only (inverterThermalProfile), ${id} | ${thermal.toFixed(2)} | ${(thermal / base).toFixed(0)}× | - |`,
  );
}
const lines = [
  `## Powertrain WLTC 10 Hz (bench/powertrain.ts), ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}. ${n} samples (WLTC 3b at 10 Hz), Renault 5 52 kWh; median of 31 runs after 10 warm-ups. Goal: full cycle under 20 ms.`,
  '',
  '| task | time (ms) | vs bare loop | peak Tj (degC) |',
  '|---|---|---|---|',
  ...rows,
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
appendFileSync(join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md'), `${lines.join('\n')}\n`);
