// Synthetic time series with a known ground truth for the pulse, ECM and GITT tests.
import { createFrame, type Frame } from '../../src/core/index.js';
import { seededRandom } from '../../src/analysis/fit/random.js';
import { simulateEcm } from '../../src/models/ecm/simulate.js';
import type { EcmModel } from '../../src/models/ecm/model.js';

/** A piece of a current programme: `durationS` at `currentA`, sampled every `dtS`. */
export interface ProgramStep {
  durationS: number;
  currentA: number;
  dtS: number;
  stepIndex?: number;
}

/** Sample times and currents of a programme (the first sample at t = 0 belongs to the first step). */
export function expandProgram(steps: readonly ProgramStep[]): {
  timeS: number[];
  currentA: number[];
  step: number[];
} {
  const timeS = [0];
  const currentA = [steps[0]!.currentA];
  const step = [steps[0]!.stepIndex ?? 1];
  let t = 0;
  steps.forEach((s, k) => {
    const n = Math.max(1, Math.round(s.durationS / s.dtS));
    for (let i = 1; i <= n; i++) {
      timeS.push(t + (i * s.durationS) / n);
      currentA.push(s.currentA);
      step.push(s.stepIndex ?? k + 1);
    }
    t += s.durationS;
  });
  return { timeS, currentA, step };
}

/** A Frame from plain arrays (vendor 'synthetic'). */
export function syntheticFrame(cols: {
  timeS: ArrayLike<number>;
  voltageV: ArrayLike<number>;
  currentA: ArrayLike<number>;
  step?: ArrayLike<number>;
  temperatureDegC?: ArrayLike<number>;
}): Frame {
  const columns: Record<string, Float64Array | Int32Array> = {
    test_time_s: Float64Array.from(cols.timeS),
    voltage_V: Float64Array.from(cols.voltageV),
    current_A: Float64Array.from(cols.currentA),
  };
  if (cols.step) columns['step_index'] = Int32Array.from(cols.step);
  if (cols.temperatureDegC) columns['temperature_degC'] = Float64Array.from(cols.temperatureDegC);
  return createFrame({ columns, meta: { vendor: 'synthetic', format: 'synthetic' } });
}

/** Runs `model` on a programme and adds seeded Gaussian voltage noise (σ in V). */
export function simulateProgram(
  model: EcmModel,
  steps: readonly ProgramStep[],
  options: { initialSocPct?: number; noiseV?: number; seed?: number; temperatureDegC?: number } = {},
): { timeS: number[]; currentA: number[]; voltageV: number[]; step: number[]; temperatureDegC?: number[] } {
  const p = expandProgram(steps);
  const temps =
    options.temperatureDegC !== undefined ? p.timeS.map(() => options.temperatureDegC!) : undefined;
  const sim = simulateEcm(
    model,
    { timeS: p.timeS, currentA: p.currentA, ...(temps ? { temperatureDegC: temps } : {}) },
    { initialSocPct: options.initialSocPct ?? 100 },
  );
  const rng = seededRandom(options.seed ?? 1);
  const sigma = options.noiseV ?? 0;
  const voltageV = Array.from(sim.voltageV, (v) => v + sigma * rng.normal());
  return { ...p, voltageV, ...(temps ? { temperatureDegC: temps } : {}) };
}

/**
 * A true Thevenin 2RC model for tests: capacity 2 Ah, OCV(x) = 3.0 + 1.2x − 0.3(x − 0.5)² with
 * x = SOC/100, R0 = 10 + 4(1 − x)² mΩ, R1 = 5 mΩ with τ1 = 2 s, R2 = 8 mΩ with τ2 = 40 s,
 * tabulated every 5 % SOC (values between grid points are linear, so a fit at any SOC can be
 * compared with the table).
 */
export function trueModel2RC(): EcmModel {
  const soc = Array.from({ length: 21 }, (_, k) => 5 * k);
  const x = soc.map((s) => s / 100);
  return {
    kind: 'thevenin',
    rcPairs: 2,
    capacityAh: 2,
    ocv: { socPct: soc, voltageV: x.map((v) => 3.0 + 1.2 * v - 0.3 * (v - 0.5) ** 2) },
    tables: [
      {
        temperatureDegC: null,
        socPct: soc,
        r0Ohm: x.map((v) => 0.01 + 0.004 * (1 - v) ** 2),
        rOhm: [soc.map(() => 0.005), soc.map(() => 0.008)],
        cF: [soc.map(() => 2 / 0.005), soc.map(() => 40 / 0.008)],
      },
    ],
  };
}

/**
 * FreedomCAR-style HPPC from 100 % SOC: per level 10 s discharge at 2C, 40 s rest, 10 s regen at
 * 1.5C, a rest of `restAfterRegenS` (default 40 s), a 10 % SOC move at 1C, 1 h rest.
 */
export function hppcProgram(capacityAh: number, levels: number, restAfterRegenS = 40): ProgramStep[] {
  const iDis = -2 * capacityAh;
  const steps: ProgramStep[] = [{ durationS: 1800, currentA: 0, dtS: 10, stepIndex: 1 }];
  for (let k = 0; k < levels; k++) {
    steps.push({ durationS: 10, currentA: iDis, dtS: 0.1, stepIndex: 2 });
    steps.push({ durationS: 40, currentA: 0, dtS: 0.5, stepIndex: 3 });
    steps.push({ durationS: 10, currentA: -0.75 * iDis, dtS: 0.1, stepIndex: 4 });
    steps.push({ durationS: restAfterRegenS, currentA: 0, dtS: 0.5, stepIndex: 5 });
    // Net charge of the pulses: −2C·10 s + 1.5C·10 s = −5C·s; the move makes the level 10 % lower.
    const moveS = 360 - 5;
    steps.push({ durationS: moveS, currentA: -capacityAh, dtS: 5, stepIndex: 6 });
    steps.push({ durationS: 3600, currentA: 0, dtS: 10, stepIndex: 7 });
  }
  return steps;
}

/**
 * Surface-concentration response of a slab of thickness L (flux in at one face, the other
 * sealed) to a unit flux switched on at t = 0, in units of j·L/D as a function of s = D·t/L²:
 * s + 1/3 − (2/π²)·Σ exp(−n²π²s)/n² (Crank, The Mathematics of Diffusion, §4.3), which is
 * 2√(s/π) to within exp(−1/s) for small s.
 */
export function slabSurfaceResponse(s: number): number {
  if (s <= 0) return 0;
  if (s < 0.02) return 2 * Math.sqrt(s / Math.PI);
  let sum = 0;
  const nMax = Math.ceil(Math.sqrt(60 / (Math.PI * Math.PI * s)));
  for (let n = 1; n <= nMax; n++) sum += Math.exp(-n * n * Math.PI * Math.PI * s) / (n * n);
  return s + 1 / 3 - (2 / (Math.PI * Math.PI)) * sum;
}

/**
 * A GITT run on a film electrode with a known diffusion coefficient: `pulses` constant-current
 * pulses of `pulseS` separated by rests of `restS`, the equilibrium voltage falling by
 * `deltaEsV` per pulse (linear OCV), the surface voltage from the exact slab solution by
 * superposition, plus an ohmic drop I·R. Time in s, current in A (negative: discharge).
 */
export function gittSeries(p: {
  diffusionM2PerS: number;
  lengthM: number;
  pulses: number;
  pulseS: number;
  restS: number;
  currentA: number;
  deltaEsV: number;
  resistanceOhm: number;
  e0V: number;
  noiseV?: number;
  seed?: number;
}): { timeS: number[]; currentA: number[]; voltageV: number[] } {
  const steps: ProgramStep[] = [{ durationS: 600, currentA: 0, dtS: 10 }];
  for (let k = 0; k < p.pulses; k++) {
    steps.push({ durationS: p.pulseS, currentA: p.currentA, dtS: 1 });
    steps.push({ durationS: p.restS, currentA: 0, dtS: 10 });
  }
  const prog = expandProgram(steps);
  const L2D = (p.lengthM * p.lengthM) / p.diffusionM2PerS;
  // ΔE_surface for one pulse = ΔEs·(L²/(Dτ))·[g(t − start) − g(t − end)], g = slabSurfaceResponse(·/L2D).
  const amp = (p.deltaEsV * L2D) / p.pulseS;
  const starts = Array.from({ length: p.pulses }, (_, k) => 600 + k * (p.pulseS + p.restS));
  const rng = seededRandom(p.seed ?? 2);
  const voltageV = prog.timeS.map((t, i) => {
    let e = p.e0V;
    for (const s0 of starts) {
      if (t <= s0) break;
      e -= amp * (slabSurfaceResponse((t - s0) / L2D) - slabSurfaceResponse((t - s0 - p.pulseS) / L2D));
    }
    return e + prog.currentA[i]! * p.resistanceOhm + (p.noiseV ?? 0) * rng.normal();
  });
  return { timeS: prog.timeS, currentA: prog.currentA, voltageV };
}
