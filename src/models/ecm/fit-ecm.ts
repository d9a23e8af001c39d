import { DiscernError, type Frame } from '../../core/index.js';
import { levenbergMarquardt } from '../../analysis/fit/levenberg-marquardt.js';
import { pulsesFromSegments, type FindPulsesOptions, type Pulse } from '../../analysis/pulse/find-pulses.js';
import { pulseResistance } from '../../analysis/pulse/pulse-resistance.js';
import {
  currentSegments,
  defaultRestThresholdA,
  pulseChannels,
  type PulseChannels,
} from '../../analysis/pulse/segments.js';
import { stateOfCharge } from '../../analysis/pulse/state-of-charge.js';
import { interpolateTable, type EcmModel, type EcmTable } from './model.js';

export interface EcmFitOptions extends FindPulsesOptions {
  /** Number of RC pairs; default 2. */
  readonly rcPairs?: 1 | 2;
  /** Capacity for the SOC axis and the model, Ah; default estimated from the data. */
  readonly capacityAh?: number;
  /** A pulse after a rest at least this long starts a fit window (relaxed cell); default 60 s. */
  readonly relaxedRestS?: number;
  /** Rest kept after the last pulse of a window, s; default 300. */
  readonly maxRelaxationS?: number;
  /** Temperatures are grouped to this step, degC; default 5. */
  readonly temperatureStepDegC?: number;
}

/** The fit of one window (one SOC level): a relaxed rest, its pulses and the rests between them. */
export interface EcmWindowFit {
  readonly socPct: number;
  readonly temperatureDegC: number;
  readonly startRow: number;
  readonly endRow: number;
  /** Indices of the pulses in the window (see findPulses). */
  readonly pulses: readonly number[];
  readonly r0Ohm: number;
  /** Per RC pair, fastest first. */
  readonly rOhm: readonly number[];
  readonly tauS: readonly number[];
  readonly cF: readonly number[];
  /** Voltage RMSE of the fit over the window, V. */
  readonly rmseV: number;
  readonly converged: boolean;
  readonly iterations: number;
}

export interface EcmFitResult {
  readonly model: EcmModel;
  readonly windows: readonly EcmWindowFit[];
  /** Voltage RMSE over all windows, V. */
  readonly rmseV: number;
  readonly warnings: readonly string[];
}

interface Window {
  start: number;
  end: number;
  pulses: Pulse[];
}

/**
 * Fits a Thevenin model (1 or 2 RC pairs) to the pulses of a test, one SOC level at a time:
 * each window runs from the last sample of a relaxed rest (at least `relaxedRestS`) through its
 * pulse, any further pulses after short rests (a FreedomCAR or ISO 12405-4 regen pulse) and up
 * to `maxRelaxationS` of the final rest. In the window V = OCV + ΔOCV(SOC) + I·R0 + Σv_k, with
 * the OCV anchored at the measured rest voltage, ΔOCV from the OCV table (end-of-rest voltages of
 * rests of at least `relaxedRestS`, by SOC), and R0, R_k, τ_k found by bounded Levenberg-Marquardt
 * from three starts. The model's tables hold R0, R_k and C_k = τ_k/R_k by SOC and temperature.
 * @throws DISCERN_INSUFFICIENT_DATA when no pulse follows a sampled rest or the SOC cannot be counted.
 * @example const { model, rmseV } = fitEcm(frame, { rcPairs: 2, capacityAh: 4.8 });
 */
export function fitEcm(frame: Frame, options: EcmFitOptions = {}): EcmFitResult {
  const ch = pulseChannels(frame);
  const pairs = options.rcPairs ?? 2;
  if (pairs !== 1 && pairs !== 2) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'rcPairs must be 1 or 2');
  const relaxed = options.relaxedRestS ?? 60;
  const maxRelax = options.maxRelaxationS ?? 300;
  const where = frame.meta.sourceFile !== undefined ? { file: frame.meta.sourceFile } : {};
  const threshold = options.restThresholdA ?? defaultRestThresholdA(ch.currentA);
  const segments = currentSegments(ch.currentA, threshold);
  const pulses = pulsesFromSegments(frame, ch, segments, options).filter(
    (p) => p.ocvAgeS <= 1 && p.samples >= 2,
  );
  if (pulses.length === 0)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      'no pulse after a sampled rest to fit an ECM to',
      where,
    );
  const soc = stateOfCharge(frame, ch.timeS, ch.currentA, segments, {
    ...(options.capacityAh !== undefined ? { capacityAh: options.capacityAh } : {}),
  });
  if (soc.warnings.length > 0 || !(soc.capacityAh > 0))
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      `cannot fit an ECM: ${soc.warnings[0] ?? 'no capacity'}`,
      where,
    );

  // OCV table from the ends of relaxed rests.
  const pts: [number, number][] = [];
  for (const s of segments) {
    if (s.kind !== 'rest' || ch.timeS[s.end]! - ch.timeS[s.start]! < relaxed) continue;
    const sp = soc.socPct[s.end]!;
    if (Number.isFinite(sp) && Number.isFinite(ch.voltageV[s.end]!)) pts.push([sp, ch.voltageV[s.end]!]);
  }
  if (pts.length === 0) for (const p of pulses) pts.push([soc.socPct[p.restEndRow]!, p.ocvV]);
  const ocv = mergeBySoc(pts.map(([s, v]) => ({ soc: s, values: [v] })));
  const ocvSoc = ocv.map((o) => o.soc);
  const ocvV = ocv.map((o) => o.values[0]!);

  // Windows.
  const starts = pulses.filter((p) => p.restDurationS >= relaxed);
  const heads = new Set((starts.length > 0 ? starts : pulses).map((p) => p.index));
  const windows: Window[] = [];
  for (let k = 0; k < pulses.length; k++) {
    const p = pulses[k]!;
    if (!heads.has(p.index)) continue;
    const w: Window = { start: p.restEndRow, end: p.endRow, pulses: [p] };
    let last = p;
    for (let j = k + 1; j < pulses.length; j++) {
      const q = pulses[j]!;
      if (heads.has(q.index) || q.restStartRow !== last.endRow + 1) break;
      w.pulses.push(q);
      last = q;
    }
    w.end = last.endRow;
    if (last.relaxationEndRow >= 0) {
      const tEnd = ch.timeS[last.endRow]! + maxRelax;
      let e = last.endRow;
      while (e < last.relaxationEndRow && ch.timeS[e + 1]! <= tEnd) e++;
      w.end = e;
    }
    windows.push(w);
  }

  const fits: EcmWindowFit[] = [];
  const warnings: string[] = [];
  let sqAll = 0;
  let nAll = 0;
  const scratch = new Float64Array(2);
  const step = options.temperatureStepDegC ?? 5;
  for (const w of windows) {
    const m = w.end - w.start;
    if (m < 2 * pairs + 2) {
      warnings.push(
        `window at row ${w.start} has ${m} samples, too few for ${2 * pairs + 1} parameters; skipped`,
      );
      continue;
    }
    const soc0 = soc.socPct[w.start]!;
    const ocvBase = interpolateTable(ocvSoc, ocvV, soc0, scratch);
    const dOcv = new Float64Array(m + 1);
    for (let r = 0; r <= m; r++)
      dOcv[r] = interpolateTable(ocvSoc, ocvV, soc.socPct[w.start + r]!, scratch) - ocvBase;
    const fit = fitWindow(ch, w, pairs, dOcv);
    sqAll += fit.sse;
    nAll += m;
    let tSum = 0;
    let tN = 0;
    if (ch.temperatureDegC)
      for (let r = w.start; r <= w.end; r++)
        if (Number.isFinite(ch.temperatureDegC[r]!)) {
          tSum += ch.temperatureDegC[r]!;
          tN++;
        }
    fits.push({
      socPct: soc0,
      temperatureDegC: tN > 0 ? tSum / tN : NaN,
      startRow: w.start,
      endRow: w.end,
      pulses: w.pulses.map((p) => p.index),
      r0Ohm: fit.r0,
      rOhm: fit.r,
      tauS: fit.tau,
      cF: fit.r.map((r, k) => fit.tau[k]! / Math.max(r, 1e-12)),
      rmseV: Math.sqrt(fit.sse / m),
      converged: fit.converged,
      iterations: fit.iterations,
    });
  }
  if (fits.length === 0)
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'no pulse window has enough samples to fit', where);

  // Tables by temperature group, then SOC.
  const groups = new Map<number | null, EcmWindowFit[]>();
  for (const f of fits) {
    const g = Number.isFinite(f.temperatureDegC) ? Math.round(f.temperatureDegC / step) * step : null;
    groups.set(g, [...(groups.get(g) ?? []), f]);
  }
  const keys = [...groups.keys()];
  const withT = keys.filter((k): k is number => k !== null).sort((a, b) => a - b);
  const ordered: (number | null)[] = withT.length > 0 ? withT : [null];
  if (withT.length > 0 && keys.includes(null))
    warnings.push('some windows have no temperature and were left out of the temperature tables');
  const tables: EcmTable[] = ordered.map((g) => {
    const rows = mergeBySoc(
      (groups.get(g) ?? []).map((f) => ({ soc: f.socPct, values: [f.r0Ohm, ...f.rOhm, ...f.cF] })),
    );
    return {
      temperatureDegC: g,
      socPct: rows.map((r) => r.soc),
      r0Ohm: rows.map((r) => r.values[0]!),
      rOhm: Array.from({ length: pairs }, (_, k) => rows.map((r) => r.values[1 + k]!)),
      cF: Array.from({ length: pairs }, (_, k) => rows.map((r) => r.values[1 + pairs + k]!)),
    };
  });
  const model: EcmModel = {
    kind: 'thevenin',
    rcPairs: pairs,
    capacityAh: soc.capacityAh,
    ocv: { socPct: ocvSoc, voltageV: ocvV },
    tables,
    source: {
      ...(frame.meta.sourceFile !== undefined ? { file: frame.meta.sourceFile } : {}),
      format: frame.meta.format,
      windows: fits.length,
      capacitySource: soc.capacitySource,
    },
  };
  return { model, windows: fits, rmseV: Math.sqrt(sqAll / nAll), warnings };
}

/** Sorts by SOC and averages entries less than 0.5 % SOC apart; drops non-finite SOCs. */
function mergeBySoc(items: { soc: number; values: number[] }[]): { soc: number; values: number[] }[] {
  const sorted = items.filter((i) => Number.isFinite(i.soc)).sort((a, b) => a.soc - b.soc);
  const out: { soc: number; values: number[]; n: number }[] = [];
  for (const it of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && it.soc - last.soc / last.n < 0.5) {
      last.soc += it.soc;
      last.values = last.values.map((v, k) => v + it.values[k]!);
      last.n++;
    } else out.push({ soc: it.soc, values: [...it.values], n: 1 });
  }
  return out.map((o) => ({ soc: o.soc / o.n, values: o.values.map((v) => v / o.n) }));
}

function fitWindow(
  ch: PulseChannels,
  w: Window,
  pairs: number,
  dOcv: Float64Array,
): { r0: number; r: number[]; tau: number[]; sse: number; converged: boolean; iterations: number } {
  const a = w.start;
  const m = w.end - a;
  const t = ch.timeS;
  const cur = ch.currentA;
  const v = ch.voltageV;
  const v0 = v[a]!;
  const first = w.pulses[0]!;
  // Up to 20 rest samples of the last 60 s before the onset pin the OCV, whose value is fitted
  // (one noisy sample must not set it).
  let pre = 0;
  while (pre < 20 && a - pre - 1 >= first.restStartRow && t[a]! - t[a - pre - 1]! <= 60) pre++;
  const res = pulseResistance(ch, first, []);
  const rStep = Number.isFinite(res.r0Ohm) ? Math.max(res.r0Ohm, 1e-6) : 1e-3;
  const rEnd = Number.isFinite(res.endResistanceOhm) ? res.endResistanceOhm : 2 * rStep;
  const spread = Math.max(rEnd - rStep, 0.1 * rStep);
  let dtMin = Infinity;
  for (let r = a + 1; r <= w.end; r++) dtMin = Math.min(dtMin, t[r]! - t[r - 1]!);
  dtMin = Math.max(dtMin, 1e-6);
  const span = t[w.end]! - t[a]!;
  const tp = Math.max(first.durationS, dtMin);
  const state = new Float64Array(pairs);
  const np = 2 + 2 * pairs;
  const problem = {
    m: m + pre,
    residuals(x: Float64Array, out: Float64Array): void {
      const base = v0 + x[np - 1]!;
      for (let k = 0; k < pre; k++) out[m + k] = base - v[a - 1 - k]!;
      state.fill(0);
      for (let k = 1; k <= m; k++) {
        const r = a + k;
        const dt = t[r]! - t[r - 1]!;
        const i = Number.isFinite(cur[r]!) ? cur[r]! : 0;
        let model = base + dOcv[k]! + i * x[0]!;
        for (let p = 0; p < pairs; p++) {
          const e = Math.exp(-dt / x[2 + 2 * p]!);
          state[p] = state[p]! * e + x[1 + 2 * p]! * (1 - e) * i;
          model += state[p]!;
        }
        out[k - 1] = model - v[r]!;
      }
    },
  };
  const lower = [0];
  const upper = [Infinity];
  for (let p = 0; p < pairs; p++) {
    lower.push(0, dtMin / 4);
    upper.push(Infinity, 20 * Math.max(span, tp));
  }
  lower.push(-0.05);
  upper.push(0.05);
  let best: ReturnType<typeof levenbergMarquardt> | undefined;
  for (const scale of [1, 0.3, 3]) {
    const tau1 = Math.max(2 * dtMin, 0.1 * tp) * scale;
    const tau2 = Math.max(5 * tau1, 0.3 * (span - tp) * scale);
    const x0 =
      pairs === 1
        ? [rStep, spread, Math.max(tau1, 0.3 * tp * scale), 0]
        : [rStep, 0.5 * spread, tau1, 0.5 * spread, tau2, 0];
    const x0c = x0.map((x, k) => Math.min(upper[k]!, Math.max(lower[k]!, x)));
    const typicalX = x0c.map((x, k) => (k === np - 1 ? 1e-4 : 1e-3 * Math.abs(x)));
    const fit = levenbergMarquardt(problem, x0c, { lower, upper, maxIterations: 300, typicalX });
    if (best === undefined || fit.sumSquares < best.sumSquares) best = fit;
  }
  const x = best!.parameters;
  const rc = Array.from({ length: pairs }, (_, p) => ({ r: x[1 + 2 * p]!, tau: x[2 + 2 * p]! })).sort(
    (p, q) => p.tau - q.tau,
  );
  return {
    r0: x[0]!,
    r: rc.map((p) => p.r),
    tau: rc.map((p) => p.tau),
    sse: best!.sumSquares,
    converged: best!.converged,
    iterations: best!.iterations,
  };
}
