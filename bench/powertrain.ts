// Powertrain benchmark (issue 6): a full WLTC class 3b at 10 Hz (18 001 samples) through road load,
// machine and inverter with the losses and junction temperatures (Foster networks, loss/temperature
// iteration) at every step. Goal: under 20 ms. Baseline in the same run: a bare loop over the same
// samples doing only the road-load arithmetic. Needs the shared fixtures (or DISCERN_WLTC3B).
// Run: npm run bench -- powertrain (or node --import tsx bench/powertrain.ts). Prints its section
// of bench/RESULTS.md on stdout (bench/run.ts writes it).
import { loadCycle, loadDevice, loadVehicle } from '../dist/app/powertrain.js';
import {
  electricDriveEnergy,
  inverterThermalProfile,
  resampleCycle,
  type DriveCycle,
} from '../dist/powertrain/index.js';
import { machineLine, medianMs } from './machine.js';

const machine = machineLine();
const RUNS = 31;
const WARMUP = 10;

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
const base = medianMs(() => bareRoadLoad(cycle), RUNS, WARMUP);
const rows: string[] = [
  `| bare road-load loop (baseline) | ${base.ms.toFixed(3)} | ${base.cpuMs.toFixed(3)} | 1 | - |`,
];
let worst = { ms: 0, cpuMs: 0 };
for (const id of ['si-igbt-750v', 'infineon-fs03mr12a6ma1b']) {
  const module = loadDevice(id);
  const full = medianMs(() => electricDriveEnergy(vehicle, cycle, module), RUNS, WARMUP);
  if (full.ms > worst.ms) worst = full;
  const thermal = medianMs(
    () =>
      inverterThermalProfile(module, {
        timeS: cycle.timeS,
        phaseCurrentRmsA: new Float64Array(n).fill(150),
        modulationIndex: new Float64Array(n).fill(0.6),
        powerFactor: new Float64Array(n).fill(0.9),
        dcLinkVoltageV: 400,
        switchingFrequencyHz: 10e3,
      }),
    RUNS,
    WARMUP,
  );
  const peak = full.last.peakJunctionDegC;
  rows.push(
    `| full WLTC 10 Hz, component model, ${id} | ${full.ms.toFixed(2)} | ${full.cpuMs.toFixed(2)} | ${(full.ms / base.ms).toFixed(0)}× | ${peak.toFixed(1)} |`,
  );
  rows.push(
    `| inverter losses + Tj only (inverterThermalProfile), ${id} | ${thermal.ms.toFixed(2)} | ${thermal.cpuMs.toFixed(2)} | ${(thermal.ms / base.ms).toFixed(0)}× | - |`,
  );
}
const lines = [
  `## Powertrain WLTC 10 Hz (bench/powertrain.ts), ${new Date().toISOString().slice(0, 10)}`,
  '',
  machine,
  `Cycle: ${n} samples (WLTC 3b at 10 Hz), Renault 5 52 kWh: road load, machine, inverter losses and junction temperatures (Foster networks, loss/temperature iteration) at every step; median wall time of ${RUNS} runs after ${WARMUP} warm-ups, and the mean CPU time per run.`,
  '',
  '| task | wall (ms) | CPU (ms) | wall vs bare loop | peak Tj (degC) |',
  '|---|---|---|---|---|',
  ...rows,
  '',
  `Goal: full cycle under 20 ms: slowest device ${worst.ms.toFixed(2)} ms wall (${worst.cpuMs.toFixed(2)} ms CPU), ${worst.ms < 20 ? 'met' : 'NOT met'}.`,
];
process.stdout.write(`${lines.join('\n')}\n`);
