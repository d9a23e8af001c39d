// A synthetic heat-wait-seek ARC run with a known answer: the sample self-heats at
// dT/dt = A exp(-E/T_K) (Tf - T)/(Tf - Tref) (an Arrhenius reaction with first-order depletion,
// E = Ea/R in K), the calorimeter heats in steps until the rate at the end of a seek reaches the
// detection threshold, then tracks adiabatically until the reaction is spent, then cools.
import { seededRandom } from '../../src/analysis/fit/random.js';

export interface ArcModel {
  /** Ea/R, K. */
  eK: number;
  /** Pre-exponential factor, degC/s. */
  aPerS: number;
  /** Final (adiabatic) temperature of the reaction, degC. */
  tfDegC: number;
  /** Temperature at which the depletion factor is 1, degC. */
  trefDegC: number;
}

/** dT/dt of the model at T, degC/s. */
export function modelRate(m: ArcModel, tDegC: number): number {
  const f = Math.max(0, (m.tfDegC - tDegC) / (m.tfDegC - m.trefDegC));
  return m.aPerS * Math.exp(-m.eK / (tDegC + 273.15)) * f;
}

/** The model whose pure Arrhenius rate is `rateDegCPerS` at `atDegC`. */
export function modelThrough(eK: number, atDegC: number, rateDegCPerS: number, tfDegC: number): ArcModel {
  return { eK, aPerS: rateDegCPerS * Math.exp(eK / (atDegC + 273.15)), tfDegC, trefDegC: 25 };
}

/** The temperature in [lo, hi] where the model's rate equals `rate` (bisection; rate rising). */
export function rateRoot(m: ArcModel, rate: number, lo: number, hi: number): number {
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (modelRate(m, mid) < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface HwsSettings {
  startDegC: number;
  stepDegC: number;
  heatRateDegCPerMin: number;
  waitS: number;
  seekS: number;
  /** The controller's detection threshold, degC/min. */
  detectDegCPerMin: number;
  /** The controller gives up above this temperature, degC. */
  maxDegC: number;
  /** A logged sample at least this often, s, and at every change of this many degC. */
  logS: number;
  logDegC: number;
  noiseDegC: number;
  seed: number;
  /** Times (s) of single-sample spikes and their size (degC). */
  spikes?: { atS: number; degC: number }[];
}

export const DEFAULT_HWS: HwsSettings = {
  startDegC: 50,
  stepDegC: 5,
  heatRateDegCPerMin: 2,
  waitS: 900,
  seekS: 600,
  detectDegCPerMin: 0.02,
  maxDegC: 300,
  logS: 30,
  logDegC: 0.05,
  noiseDegC: 0.01,
  seed: 1,
};

export interface SyntheticArc {
  timeS: number[];
  temperatureDegC: number[];
  phase: string[];
  /** Noise-free truth from the fine internal trajectory. */
  truth: {
    /** First temperature outside heat steps where the model rate >= the onset threshold. */
    t1DegC: number | null;
    t1TimeS: number | null;
    /** Time at which the trajectory passes the runaway-rate temperature. */
    t2TimeS: number | null;
    t3DegC: number;
    maxRateDegCPerS: number;
  };
}

/** Simulates an HWS run of the model (fine internal steps, logged like an ARC, seeded noise). */
export function simulateArc(m: ArcModel, s: HwsSettings, runawayDegCPerS = 1): SyntheticArc {
  const fine: { t: number; T: number; p: string }[] = [];
  let t = 0;
  let T = s.startDegC;
  fine.push({ t, T, p: 'Heat' });
  const heat = s.heatRateDegCPerMin / 60;
  const advanceTime = (dt: number, extra: number): void => {
    const k1 = extra + modelRate(m, T);
    const k2 = extra + modelRate(m, T + (k1 * dt) / 2);
    T += k2 * dt;
    t += dt;
  };
  // Self-heating until `until` (time) or `stopDegC`: steps of 0.005 degC, or of 5 s when slower.
  const selfHeat = (p: string, until: number, stopDegC = Infinity): void => {
    while (t < until && T < stopDegC) {
      const r = modelRate(m, T);
      const h = 0.005;
      if (r <= 0 || h / r > 5) advanceTime(Math.min(5, until - t), 0);
      else {
        const dt = (h / 6) * (1 / r + 4 / modelRate(m, T + h / 2) + 1 / modelRate(m, T + h));
        if (t + dt > until) advanceTime(until - t, 0);
        else {
          T += h;
          t += dt;
        }
      }
      fine.push({ t, T, p });
    }
  };
  let tracking = false;
  while (!tracking && T < s.maxDegC) {
    const target = T + s.stepDegC;
    while (T < target) {
      advanceTime(1, heat);
      fine.push({ t, T, p: 'Heat' });
    }
    selfHeat('Wait', t + s.waitS);
    selfHeat('Seek', t + s.seekS);
    if (modelRate(m, T) * 60 >= s.detectDegCPerMin) tracking = true;
  }
  if (tracking) selfHeat('Exotherm', Infinity, m.tfDegC - 0.5);
  const peak = T;
  const coolEnd = t + 3600;
  while (t < coolEnd) {
    t += 5;
    T = 25 + (peak - 25) * Math.exp(-(t - (coolEnd - 3600)) / 600);
    fine.push({ t, T, p: 'Cool' });
  }
  // Truth on the fine trajectory.
  let t1DegC: number | null = null;
  let t1TimeS: number | null = null;
  let t2TimeS: number | null = null;
  let t3DegC = -Infinity;
  let maxRate = 0;
  for (let i = 0; i < fine.length; i++) {
    const f = fine[i]!;
    t3DegC = Math.max(t3DegC, f.T);
    if (f.p === 'Heat' || f.p === 'Cool') continue;
    const r = modelRate(m, f.T);
    maxRate = Math.max(maxRate, r);
    if (t1DegC === null && r * 60 >= s.detectDegCPerMin) {
      t1DegC = f.T;
      t1TimeS = f.t;
    }
    if (t2TimeS === null && r >= runawayDegCPerS && i > 0) {
      const g = fine[i - 1]!;
      const rg = modelRate(m, g.T);
      const w = (Math.log(runawayDegCPerS) - Math.log(rg)) / (Math.log(r) - Math.log(rg));
      t2TimeS = g.t + w * (f.t - g.t);
    }
  }
  // Logging with noise and spikes.
  const rng = seededRandom(s.seed);
  const out: SyntheticArc = {
    timeS: [],
    temperatureDegC: [],
    phase: [],
    truth: { t1DegC, t1TimeS, t2TimeS, t3DegC, maxRateDegCPerS: maxRate },
  };
  const spikes = [...(s.spikes ?? [])];
  let lastT = -Infinity;
  let lastTemp = -Infinity;
  for (let i = 0; i < fine.length; i++) {
    const f = fine[i]!;
    const phaseChange = i > 0 && fine[i - 1]!.p !== f.p;
    if (i > 0 && !phaseChange && f.t - lastT < s.logS && Math.abs(f.T - lastTemp) < s.logDegC) continue;
    lastT = f.t;
    lastTemp = f.T;
    let noisy = f.T + s.noiseDegC * rng.normal();
    const sp = spikes.findIndex((x) => x.atS <= f.t);
    if (sp >= 0) {
      noisy += spikes[sp]!.degC;
      spikes.splice(sp, 1);
    }
    out.timeS.push(f.t);
    out.temperatureDegC.push(noisy);
    out.phase.push(f.p);
  }
  return out;
}

/** The run as an ARC export (docs/formats/arc.md): time in min, rate in degC/min. */
export function arcCsvText(run: SyntheticArc, opts: { phases?: boolean; banner?: boolean } = {}): string {
  const lines: string[] = [];
  if (opts.banner !== false) {
    lines.push('Accelerating Rate Calorimeter export', 'Instrument,THT EV+ ARC', 'Sample,SYN-001');
    lines.push('Start time,2024-03-01 09:12:00', '');
  }
  lines.push(`Time (min),Temperature (°C),Rate (°C/min)${opts.phases !== false ? ',Mode' : ''}`);
  for (let i = 0; i < run.timeS.length; i++) {
    const prev = Math.max(0, i - 1);
    const dt = run.timeS[i]! - run.timeS[prev]!;
    const rate = dt > 0 ? ((run.temperatureDegC[i]! - run.temperatureDegC[prev]!) / dt) * 60 : 0;
    const cells = [(run.timeS[i]! / 60).toFixed(6), run.temperatureDegC[i]!.toFixed(4), rate.toPrecision(5)];
    if (opts.phases !== false) cells.push(run.phase[i]!);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
