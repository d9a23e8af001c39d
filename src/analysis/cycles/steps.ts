import { categoryColumn, DiscernError, floatColumn, intColumn, type Frame } from '../../core/index.js';

/**
 * What a step does, judged from the signals: constant current (cc), constant voltage (cv), a
 * charge or discharge at varying current (a drive profile or power step), rest, open-circuit
 * relaxation (a long rest, or a step the file labels OCV), short pulses, and impedance sweeps.
 */
export type StepKind =
  | 'rest'
  | 'ocv'
  | 'cc_charge'
  | 'cc_discharge'
  | 'cv_charge'
  | 'cv_discharge'
  | 'charge'
  | 'discharge'
  | 'pulse_charge'
  | 'pulse_discharge'
  | 'impedance';

/** One detected step: rows `[startRow, endRow)` of the frame. */
export interface StepRecord {
  /** 1-based running number of the detected step. */
  number: number;
  kind: StepKind;
  startRow: number;
  /** One past the last row. */
  endRow: number;
  /** The file's step index and cycle index at the first row (null when the file has none). */
  instrumentStep: number | null;
  instrumentCycle: number | null;
  /** The file's step label (step_type) at the first row, if any. */
  label: string | null;
  startTimeS: number;
  endTimeS: number;
  durationS: number;
  /** Time-weighted mean current (A, positive on charge). */
  meanCurrentA: number;
  endCurrentA: number;
  startVoltageV: number;
  endVoltageV: number;
  minVoltageV: number;
  maxVoltageV: number;
  /** Charge and discharge passed during the step (Ah, Wh; non-negative). */
  chargeCapacityAh: number;
  dischargeCapacityAh: number;
  chargeEnergyWh: number;
  dischargeEnergyWh: number;
}

/** Options of `detectSteps`. */
export interface DetectStepsOptions {
  /** Split at the file's step changes (`step_count`) as well as at signal changes. Default true. */
  useStepIndex?: boolean;
  /** |current| at or below this is rest (A). Default max(1e-6 A, 1e-3 × max |I|). */
  restCurrentA?: number;
  /** Relative spread (p90 − p10)/median of |I| within which a step is constant-current. Default 0.02. */
  ccTolerance?: number;
  /** Voltage band (V) within which a decaying-current tail is constant-voltage. Default 0.005 V. */
  cvToleranceV?: number;
  /** Non-rest steps up to this long (s) are pulses. Default 60 s. */
  pulseMaxDurationS?: number;
  /** Rests at least this long (s) are OCV relaxations. Default 3600 s. */
  ocvMinDurationS?: number;
}

interface Ctx {
  t: Float64Array;
  i: Float64Array;
  v: Float64Array | undefined;
  cum: (Float64Array | undefined)[];
}

function classOf(i: number, thr: number): number {
  if (!(Math.abs(i) > thr)) return 0;
  return i > 0 ? 1 : -1;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Relative spread of |I| over rows [a, b). */
function currentSpread(ctx: Ctx, a: number, b: number): { spread: number; med: number } {
  const vals: number[] = [];
  for (let k = a; k < b; k++) if (Number.isFinite(ctx.i[k]!)) vals.push(Math.abs(ctx.i[k]!));
  vals.sort((p, q) => p - q);
  const med = quantile(vals, 0.5);
  return { spread: med > 0 ? (quantile(vals, 0.9) - quantile(vals, 0.1)) / med : Infinity, med };
}

/**
 * Splits a same-sign run [a, b) into a constant-current head and a constant-voltage tail, when the
 * tail holds the voltage within `tol` while the current decays. Returns the first row of the tail
 * (b when there is none).
 */
function cvStart(ctx: Ctx, a: number, b: number, tol: number, ccTol: number): number {
  const v = ctx.v;
  if (v === undefined || b - a < 4) return b;
  const tail = [v[b - 3]!, v[b - 2]!, v[b - 1]!].sort((p, q) => p - q);
  const vcv = tail[1]!;
  let k = b;
  while (k > a && Math.abs(v[k - 1]! - vcv) <= tol) k--;
  if (b - k < 3) return b;
  // The voltage band may reach back into the end of the CC phase: the CV phase starts at the last
  // sample still at the full CC current.
  if (k > a) {
    const { med: icc, spread } = currentSpread(ctx, a, k);
    // Only a constant-current head makes a CC-CV step; a varying current is not split.
    if (!(spread <= ccTol)) return b;
    while (k + 1 < b && Math.abs(ctx.i[k + 1]!) >= icc * (1 - 1e-3)) k++;
  }
  const iStart = Math.abs(ctx.i[k]!);
  const iEnd = Math.abs(ctx.i[b - 1]!);
  return iEnd < 0.9 * iStart && b - k >= 3 ? k : b;
}

function passed(ctx: Ctx, a: number, b: number, k: number, sign: 1 | -1): number {
  const c = ctx.cum[k];
  if (c !== undefined) {
    const before = a > 0 ? c[a - 1]! : 0;
    const d = c[b - 1]! - before;
    return Number.isFinite(d) ? Math.max(0, d) : 0;
  }
  // Trapezoidal coulomb / energy counting when the frame has no cumulative series.
  let s = 0;
  for (let r = Math.max(a, 1); r < b; r++) {
    const dt = ctx.t[r]! - ctx.t[r - 1]!;
    const rate = (x: number): number => (k < 2 ? ctx.i[x]! : ctx.i[x]! * (ctx.v?.[x] ?? NaN));
    const y0 = Math.max(0, sign * rate(r - 1));
    const y1 = Math.max(0, sign * rate(r));
    if (dt > 0 && Number.isFinite(y0 + y1)) s += (0.5 * (y0 + y1) * dt) / 3600;
  }
  return s;
}

/**
 * Detects and classifies the steps of a cycling test from its signals: a step starts wherever the
 * current changes between charge, rest and discharge (single-sample glitches at a boundary are
 * absorbed), wherever the file's step counter changes (unless `useStepIndex` is false), and where a
 * constant-current phase turns into a constant-voltage tail. The file's step index may be missing
 * or wrong; the classification never relies on it.
 * @throws DISCERN_MISSING_COLUMN when the frame has no `test_time_s` or `current_A`
 * @example detectSteps(frame).filter((s) => s.kind === 'cv_charge')
 */
export function detectSteps(frame: Frame, options: DetectStepsOptions = {}): StepRecord[] {
  const n = frame.length;
  const t = floatColumn(frame, 'test_time_s');
  const cur = floatColumn(frame, 'current_A');
  if (frame.meta.kind === 'impedance' && n > 0) {
    return [impedanceStep(frame)];
  }
  if (t === undefined || cur === undefined)
    throw new DiscernError('DISCERN_MISSING_COLUMN', 'step detection needs test_time_s and current_A');
  if (n === 0) return [];
  const ctx: Ctx = {
    t,
    i: cur,
    v: floatColumn(frame, 'voltage_V'),
    cum: [
      floatColumn(frame, 'cumulative_charge_capacity_Ah'),
      floatColumn(frame, 'cumulative_discharge_capacity_Ah'),
      floatColumn(frame, 'cumulative_charge_energy_Wh'),
      floatColumn(frame, 'cumulative_discharge_energy_Wh'),
    ],
  };
  let maxAbs = 0;
  for (let k = 0; k < n; k++) if (Math.abs(cur[k]!) > maxAbs) maxAbs = Math.abs(cur[k]!);
  const thr = options.restCurrentA ?? Math.max(1e-6, 1e-3 * maxAbs);
  const stepCount = options.useStepIndex === false ? undefined : intColumn(frame, 'step_count');

  // 1. Runs of equal class within each instrument step.
  const cls = new Int8Array(n);
  for (let k = 0; k < n; k++) cls[k] = classOf(cur[k]!, thr);
  const bounds: number[] = [0];
  let blockStart = 0;
  for (let k = 1; k <= n; k++) {
    const newBlock = k === n || (stepCount !== undefined && stepCount[k] !== stepCount[k - 1]);
    if (!newBlock) continue;
    splitBlock(cls, blockStart, k, bounds);
    if (k < n) bounds.push(k);
    blockStart = k;
  }
  bounds.push(n);

  // 2. Constant-voltage tails and classification.
  const tol = options.cvToleranceV ?? 0.005;
  const ccTol = options.ccTolerance ?? 0.02;
  const steps: StepRecord[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const a = bounds[s]!;
    const b = bounds[s + 1]!;
    if (b <= a) continue;
    const c = majorityClass(cls, a, b);
    if (c === 0) {
      steps.push(record(frame, ctx, a, b, 'rest'));
      continue;
    }
    const k = cvStart(ctx, a, b, tol, ccTol);
    const dir = c > 0 ? 'charge' : 'discharge';
    if (k > a) {
      const { spread } = currentSpread(ctx, a, k);
      steps.push(record(frame, ctx, a, k, spread <= ccTol ? `cc_${dir}` : dir));
    }
    if (k < b) steps.push(record(frame, ctx, k, b, `cv_${dir}`));
  }
  const pulseMax = options.pulseMaxDurationS ?? 60;
  const ocvMin = options.ocvMinDurationS ?? 3600;
  steps.forEach((st, idx) => {
    st.number = idx + 1;
    if (st.label !== null && /imp|eis|peis|geis/i.test(st.label)) st.kind = 'impedance';
    else if (
      st.kind === 'rest' &&
      (st.durationS >= ocvMin || (st.label !== null && /ocv|open.?circ/i.test(st.label)))
    )
      st.kind = 'ocv';
    else if (
      (st.kind === 'cc_charge' ||
        st.kind === 'charge' ||
        st.kind === 'cc_discharge' ||
        st.kind === 'discharge') &&
      st.durationS <= pulseMax
    )
      st.kind = st.meanCurrentA > 0 ? 'pulse_charge' : 'pulse_discharge';
  });
  return steps;
}

/** Pushes the internal boundaries of class runs in [a, b), absorbing one-row glitches at the edges. */
function splitBlock(cls: Int8Array, a: number, b: number, bounds: number[]): void {
  const runs: [number, number, number][] = [];
  let s = a;
  for (let k = a + 1; k <= b; k++) {
    if (k === b || cls[k] !== cls[s]) {
      runs.push([s, k, cls[s]!]);
      s = k;
    }
  }
  // A one-row run is the transition sample of a current change: it joins the run before it (or,
  // at the start of a block, the run after it); neighbouring runs of one class are joined.
  const merged: [number, number, number][] = [];
  for (const r of runs) {
    const last = merged[merged.length - 1];
    if (last === undefined) merged.push([...r]);
    else if (last[2] === r[2] || r[1] - r[0] === 1) last[1] = r[1];
    else if (merged.length === 1 && last[1] - last[0] === 1) {
      last[1] = r[1];
      last[2] = r[2];
    } else merged.push([...r]);
  }
  for (let k = 1; k < merged.length; k++) bounds.push(merged[k]![0]);
}

function majorityClass(cls: Int8Array, a: number, b: number): number {
  let p = 0;
  let m = 0;
  let z = 0;
  for (let k = a; k < b; k++) {
    if (cls[k] === 1) p++;
    else if (cls[k] === -1) m++;
    else z++;
  }
  if (z >= p && z >= m) return 0;
  return p >= m ? 1 : -1;
}

function record(frame: Frame, ctx: Ctx, a: number, b: number, kind: StepKind): StepRecord {
  const step = intColumn(frame, 'step_index');
  const cyc = intColumn(frame, 'cycle_index');
  const lab = categoryColumn(frame, 'step_type');
  let vmin = Infinity;
  let vmax = -Infinity;
  let q = 0;
  for (let r = a; r < b; r++) {
    const x = ctx.v?.[r];
    if (x !== undefined && x < vmin) vmin = x;
    if (x !== undefined && x > vmax) vmax = x;
    if (r > a) q += 0.5 * (ctx.i[r]! + ctx.i[r - 1]!) * (ctx.t[r]! - ctx.t[r - 1]!);
  }
  const duration = ctx.t[b - 1]! - ctx.t[a]!;
  const code = lab?.codes[a];
  return {
    number: 0,
    kind,
    startRow: a,
    endRow: b,
    instrumentStep: step ? step[a]! : null,
    instrumentCycle: cyc ? cyc[a]! : null,
    label: code !== undefined && code >= 0 ? (lab!.levels[code] ?? null) : null,
    startTimeS: ctx.t[a]!,
    endTimeS: ctx.t[b - 1]!,
    durationS: duration,
    meanCurrentA: duration > 0 ? q / duration : ctx.i[a]!,
    endCurrentA: ctx.i[b - 1]!,
    startVoltageV: ctx.v?.[a] ?? NaN,
    endVoltageV: ctx.v?.[b - 1] ?? NaN,
    minVoltageV: Number.isFinite(vmin) ? vmin : NaN,
    maxVoltageV: Number.isFinite(vmax) ? vmax : NaN,
    chargeCapacityAh: passed(ctx, a, b, 0, 1),
    dischargeCapacityAh: passed(ctx, a, b, 1, -1),
    chargeEnergyWh: passed(ctx, a, b, 2, 1),
    dischargeEnergyWh: passed(ctx, a, b, 3, -1),
  };
}

function impedanceStep(frame: Frame): StepRecord {
  const t = floatColumn(frame, 'test_time_s');
  return {
    number: 1,
    kind: 'impedance',
    startRow: 0,
    endRow: frame.length,
    instrumentStep: null,
    instrumentCycle: null,
    label: frame.meta.technique ?? null,
    startTimeS: t?.[0] ?? NaN,
    endTimeS: t?.[frame.length - 1] ?? NaN,
    durationS: t ? t[frame.length - 1]! - t[0]! : NaN,
    meanCurrentA: NaN,
    endCurrentA: NaN,
    startVoltageV: NaN,
    endVoltageV: NaN,
    minVoltageV: NaN,
    maxVoltageV: NaN,
    chargeCapacityAh: 0,
    dischargeCapacityAh: 0,
    chargeEnergyWh: 0,
    dischargeEnergyWh: 0,
  };
}
