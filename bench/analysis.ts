// Cycle-analysis benchmark: per-cycle summary over 10 M rows (one pass) against a bare loop that
// sums the current over the same arrays (the memory-bandwidth floor), step detection, and dQ/dV
// per cycle. Goal (issue 4): at least 20 M rows/s for the summary. Run: npm run bench -- analysis
// (or node --import tsx bench/analysis.ts; BENCH_ROWS changes the size). Prints its section of
// bench/RESULTS.md on stdout (bench/run.ts writes it).
import { cycleSummary, detectSteps, dqdv } from '../dist/analysis/index.js';
import { createFrame } from '../dist/core/index.js';
import { machineLine, medianMs } from './machine.js';

const machine = machineLine();

const rows = Number(process.env['BENCH_ROWS'] ?? 10_000_000);
const perCycle = 1000;
const t = new Float64Array(rows);
const v = new Float64Array(rows);
const i = new Float64Array(rows);
const temp = new Float64Array(rows);
const cyc = new Int32Array(rows);
const step = new Int32Array(rows);
const sq = [new Float64Array(rows), new Float64Array(rows), new Float64Array(rows), new Float64Array(rows)];
const cum = [new Float64Array(rows), new Float64Array(rows), new Float64Array(rows), new Float64Array(rows)];
let qc = 0;
let qd = 0;
for (let r = 0; r < rows; r++) {
  const k = r % perCycle;
  const phase = k < 400 ? 0 : k < 500 ? 1 : k < 900 ? 2 : 3;
  t[r] = r * 10;
  i[r] = phase === 0 ? 1 : phase === 2 ? -1 : 0;
  v[r] = phase === 0 ? 3 + k / 400 + 0.02 * Math.sin(k / 30) : phase === 2 ? 4 - (k - 500) / 400 : 3.5;
  temp[r] = 25 + (phase === 0 ? k / 100 : 0);
  cyc[r] = Math.floor(r / perCycle) + 1;
  step[r] = Math.floor(r / perCycle) * 4 + phase + 1;
  const s = phase === 0 ? k : phase === 2 ? k - 500 : 0;
  if (phase === 0 && s > 0) qc += 10 / 3600;
  if (phase === 2 && s > 0) qd += 10 / 3600;
  sq[0]![r] = phase === 0 ? (s * 10) / 3600 : 0;
  sq[1]![r] = phase === 2 ? (s * 10) / 3600 : 0;
  sq[2]![r] = sq[0]![r]! * 3.5;
  sq[3]![r] = sq[1]![r]! * 3.5;
  cum[0]![r] = qc;
  cum[1]![r] = qd;
  cum[2]![r] = qc * 3.5;
  cum[3]![r] = qd * 3.5;
}
const frame = createFrame({
  columns: {
    test_time_s: t,
    voltage_V: v,
    current_A: i,
    temperature_degC: temp,
    cycle_index: cyc,
    step_count: step,
    step_charge_capacity_Ah: sq[0]!,
    step_discharge_capacity_Ah: sq[1]!,
    step_charge_energy_Wh: sq[2]!,
    step_discharge_energy_Wh: sq[3]!,
    cumulative_charge_capacity_Ah: cum[0]!,
    cumulative_discharge_capacity_Ah: cum[1]!,
    cumulative_charge_energy_Wh: cum[2]!,
    cumulative_discharge_energy_Wh: cum[3]!,
  },
  meta: { vendor: 'bench', format: 'bench' },
});

/** Median wall time and mean CPU time (s) of `runs` runs after one warm-up, and the last result. */
function time<T>(fn: () => T, runs = 5): { s: number; cpuS: number; value: T } {
  const r = medianMs(fn, runs, 1);
  return { s: r.ms / 1000, cpuS: r.cpuMs / 1000, value: r.last };
}

const base = time(() => {
  let s = 0;
  for (let r = 0; r < rows; r++) s += i[r]!;
  return s;
});
const summary = time(() => cycleSummary(frame));
const steps = time(() => detectSteps(frame), 3);
const withSteps = time(() => cycleSummary(frame, { steps: steps.value }), 3);
const nCurves = Math.min(1000, Math.floor(rows / perCycle));
const ica = time(() => {
  let peaks = 0;
  for (let c = 0; c < nCurves; c++) {
    const a = c * perCycle;
    const d = dqdv(cum[0]!.subarray(a + 1, a + 400), v.subarray(a + 1, a + 400));
    peaks += d.y.length;
  }
  return peaks;
}, 3);

const mrows = rows / 1e6;
const rate = mrows / summary.s;
const cpuRate = mrows / summary.cpuS;
const lines = [
  `## Cycle analysis (bench/analysis.ts), ${new Date().toISOString().slice(0, 10)}`,
  '',
  machine,
  `Data: synthetic, ${mrows} M rows in memory (Float64Array/Int32Array channels as ingest derives them), ${rows / perCycle} cycles of ` +
    `${perCycle} rows (CC charge, rest, CC discharge, rest); median of 5 (3) runs after a warm-up.`,
  '',
  '| task | wall (s) | CPU (s) | M rows/s (wall) | wall vs bare loop |',
  '|---|---|---|---|---|',
  `| bare loop summing current (baseline) | ${base.s.toFixed(4)} | ${base.cpuS.toFixed(4)} | ${(mrows / base.s).toFixed(0)} | 1 |`,
  `| cycleSummary (${summary.value.length} cycles, one pass) | ${summary.s.toFixed(3)} | ${summary.cpuS.toFixed(3)} | ${(mrows / summary.s).toFixed(0)} | ${(summary.s / base.s).toFixed(1)}× |`,
  `| detectSteps (${steps.value.length} steps) | ${steps.s.toFixed(3)} | ${steps.cpuS.toFixed(3)} | ${(mrows / steps.s).toFixed(0)} | ${(steps.s / base.s).toFixed(1)}× |`,
  `| cycleSummary with steps (CV share) | ${withSteps.s.toFixed(3)} | ${withSteps.cpuS.toFixed(3)} | ${(mrows / withSteps.s).toFixed(0)} | ${(withSteps.s / base.s).toFixed(1)}× |`,
  `| dQ/dV (interpolation + Gaussian), 399-point CC charge, ${nCurves} cycles | ${((ica.s / nCurves) * 1e3).toFixed(3)} ms per cycle | ${((ica.cpuS / nCurves) * 1e3).toFixed(3)} ms per cycle | | |`,
  '',
  `Goal: per-cycle summary at least 20 M rows/s in one pass: ${rate.toFixed(0)} M rows/s wall (${cpuRate.toFixed(0)} M rows/s on CPU time), ` +
    `${rate >= 20 ? 'met' : cpuRate >= 20 ? 'met on CPU time only (wall time inflated by the load)' : 'NOT met'}.`,
];
process.stdout.write(`${lines.join('\n')}\n`);
