import type { DataWarning } from '../../core/index.js';
import {
  cumulativeFromReported,
  integrateSigned,
  newCumulativeState,
  newIntegrateState,
  newPerStepState,
  newStepCountState,
  perStepFromCumulative,
  stepCountFrom,
  type CumulativeState,
  type IntegrateState,
  type PerStepState,
} from '../derive.js';
import { missingReadingTest } from '../checks.js';
import type { StreamBatch } from './delimited-stream.js';

const PAIRS = [
  ['charge_capacity_Ah', 'step_charge_capacity_Ah', 'cumulative_charge_capacity_Ah', 'current_A', 1],
  [
    'discharge_capacity_Ah',
    'step_discharge_capacity_Ah',
    'cumulative_discharge_capacity_Ah',
    'current_A',
    -1,
  ],
  ['charge_energy_Wh', 'step_charge_energy_Wh', 'cumulative_charge_energy_Wh', 'power_W', 1],
  ['discharge_energy_Wh', 'step_discharge_energy_Wh', 'cumulative_discharge_energy_Wh', 'power_W', -1],
] as const;

interface Derivation {
  reported: string;
  step: string;
  cumulative: string;
  rate: 'current_A' | 'power_W';
  sign: 1 | -1;
  cum: CumulativeState;
  integ: IntegrateState;
  per: PerStepState;
}

/**
 * The streaming counterpart of `completeFrame`: batch by batch it replaces sentinels, derives the
 * step counter and the per-step and cumulative capacities and energies (with state carried across
 * batches), and gathers the same ingest checks, reported by `warnings()` at the end.
 */
export class StreamCompleter {
  private readonly has: Set<string>;
  private readonly stepState = newStepCountState();
  private readonly derivations: Derivation[] = [];
  private readonly sentinels = new Map<string, { count: number; first: number; value: number }>();
  private integrated = false;
  // time checks
  private prevT = NaN;
  private latestT = NaN;
  private backs = 0;
  private firstBack = -1;
  private worstBack = 0;
  private pauseLimit = NaN;
  private pauses = 0;
  private firstPause = -1;
  private maxGap = 0;
  private maxT = -Infinity;
  // voltage
  private voltageMedian = NaN;
  // cycles
  private cycleValid = 0;
  private cycleMin = Infinity;
  private cycleMax = -Infinity;
  private cycleDecreases = 0;
  private firstCycleDecrease = -1;
  private prevCycle = NaN;
  private rows = 0;

  constructor(channels: readonly string[]) {
    this.has = new Set(channels);
    for (const [reported, step, cumulative, rate, sign] of PAIRS) {
      if (
        !this.has.has(reported) &&
        !(this.has.has(rate) || (rate === 'power_W' && this.has.has('voltage_V')))
      )
        continue;
      if (!this.has.has(reported) && !this.has.has('test_time_s')) continue;
      this.derivations.push({
        reported,
        step,
        cumulative,
        rate,
        sign,
        cum: newCumulativeState(),
        integ: newIntegrateState(),
        per: newPerStepState(),
      });
    }
  }

  /** Channels of the batches `process` returns. */
  outputChannels(): string[] {
    const out = [...this.has];
    if (!this.has.has('step_count')) out.push('step_count');
    for (const d of this.derivations) out.push(d.cumulative, d.step);
    return out;
  }

  /** Completes one batch (in order). */
  process(batch: StreamBatch): StreamBatch {
    const cols: Record<string, Float64Array | Int32Array> = { ...batch.columns };
    const n = batch.rows;
    for (const [name, c] of Object.entries(cols)) {
      if (!(c instanceof Float64Array)) continue;
      let copied: Float64Array | undefined;
      const missing = missingReadingTest(name);
      for (let i = 0; i < n; i++) {
        const v = c[i]!;
        if (!missing(v)) continue;
        copied ??= cols[name] = c.slice();
        copied[i] = NaN;
        const s = this.sentinels.get(name) ?? { count: 0, first: batch.firstRow + i, value: v };
        s.count++;
        this.sentinels.set(name, s);
      }
    }
    const f = (k: string): Float64Array | undefined =>
      cols[k] instanceof Float64Array ? (cols[k] as Float64Array) : undefined;
    const iCol = (k: string): Int32Array | undefined =>
      cols[k] instanceof Int32Array ? (cols[k] as Int32Array) : undefined;
    const stepCount =
      iCol('step_count') ??
      stepCountFrom(n, iCol('step_index'), iCol('cycle_index'), f('current_A'), this.stepState);
    if (!this.has.has('step_count')) cols['step_count'] = stepCount;
    const time = f('test_time_s');
    let power = f('power_W');
    const current = f('current_A');
    const voltage = f('voltage_V');
    if (power === undefined && current !== undefined && voltage !== undefined) {
      power = new Float64Array(n);
      for (let i = 0; i < n; i++) power[i] = current[i]! * voltage[i]!;
    }
    for (const d of this.derivations) {
      const rep = f(d.reported);
      let cum: Float64Array;
      if (rep !== undefined) cum = cumulativeFromReported(rep, d.cum);
      else {
        const rate = d.rate === 'current_A' ? current : power;
        cum =
          rate !== undefined && time !== undefined
            ? integrateSigned(time, rate, d.sign, d.integ)
            : new Float64Array(n).fill(NaN);
        this.integrated = true;
      }
      cols[d.cumulative] = cum;
      cols[d.step] = perStepFromCumulative(cum, stepCount, d.per);
    }
    if (time !== undefined) this.checkTime(time, batch.firstRow);
    if (voltage !== undefined && Number.isNaN(this.voltageMedian))
      this.voltageMedian = sampledMedianAbs(voltage);
    const cycle = iCol('cycle_index');
    if (cycle !== undefined) this.checkCycles(cycle, batch.firstRow);
    this.rows += n;
    return { firstRow: batch.firstRow, rows: n, columns: cols };
  }

  private checkTime(t: Float64Array, firstRow: number): void {
    if (Number.isNaN(this.pauseLimit)) {
      const dts: number[] = [];
      for (let i = 1; i < t.length && dts.length < 5000; i++) {
        const d = t[i]! - t[i - 1]!;
        if (d > 0) dts.push(d);
      }
      dts.sort((a, b) => a - b);
      const typical = dts[Math.floor(dts.length / 2)];
      if (typical !== undefined) this.pauseLimit = Math.max(600, 100 * typical);
    }
    for (let i = 0; i < t.length; i++) {
      const v = t[i]!;
      if (!Number.isFinite(v)) continue;
      const d = v - this.prevT;
      if (d < 0) {
        if (this.backs === 0) this.firstBack = firstRow + i;
        this.backs++;
        this.worstBack = Math.min(this.worstBack, d);
      }
      const gap = v - this.latestT;
      if (gap > this.pauseLimit) {
        if (this.pauses === 0) this.firstPause = firstRow + i;
        this.pauses++;
        this.maxGap = Math.max(this.maxGap, gap);
      }
      if (!(v <= this.latestT)) this.latestT = v;
      if (v > this.maxT) this.maxT = v;
      this.prevT = v;
    }
  }

  private checkCycles(c: Int32Array, firstRow: number): void {
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (v < 0) continue;
      this.cycleValid++;
      if (v < this.cycleMin) this.cycleMin = v;
      if (v > this.cycleMax) this.cycleMax = v;
      if (!Number.isNaN(this.prevCycle) && v < this.prevCycle) {
        if (this.cycleDecreases === 0) this.firstCycleDecrease = firstRow + i;
        this.cycleDecreases++;
      }
      this.prevCycle = v;
    }
  }

  /** The warnings gathered over the whole stream. */
  warnings(): DataWarning[] {
    const w: DataWarning[] = [];
    for (const [channel, s] of this.sentinels) {
      w.push({
        code: 'DISCERN_SENTINEL_VALUE',
        message: `${channel}: ${s.count} sentinel value(s) such as ${s.value} replaced by NaN`,
        channel,
        row: s.first,
        count: s.count,
      });
    }
    if (this.integrated) {
      w.push({
        code: 'DISCERN_NOTE',
        message: 'some capacities or energies were integrated from current and voltage',
      });
    }
    if (this.backs > 0) {
      w.push({
        code: 'DISCERN_TIME_NOT_MONOTONIC',
        message: `test_time_s goes backwards ${this.backs} time(s), first at row ${this.firstBack} (largest step back ${(-this.worstBack).toFixed(3)} s)`,
        channel: 'test_time_s',
        row: this.firstBack,
        count: this.backs,
      });
    }
    if (this.pauses > 0) {
      w.push({
        code: 'DISCERN_TIME_PAUSE',
        message: `${this.pauses} gap(s) in test_time_s longer than ${this.pauseLimit.toFixed(0)} s; the longest is ${this.maxGap.toFixed(1)} s`,
        channel: 'test_time_s',
        row: this.firstPause,
        count: this.pauses,
      });
    }
    if (this.maxT > 10 * 365.25 * 86400) {
      w.push({
        code: 'DISCERN_TIME_UNIT_SUSPECT',
        message: `test_time_s reaches ${this.maxT.toExponential(3)} s: probably milliseconds stored as seconds`,
        channel: 'test_time_s',
      });
    }
    if (this.voltageMedian > 20 && this.voltageMedian < 20000) {
      w.push({
        code: 'DISCERN_VOLTAGE_UNIT_SUSPECT',
        message: `median |voltage_V| is ${this.voltageMedian.toFixed(1)} V; the column is probably in mV`,
        channel: 'voltage_V',
      });
    }
    if (this.has.has('cycle_index') && this.rows > 1) {
      if (this.cycleValid === 0)
        w.push({ code: 'DISCERN_CYCLE_EMPTY', message: 'cycle_index has no values', channel: 'cycle_index' });
      else if (this.cycleMin === this.cycleMax)
        w.push({
          code: 'DISCERN_CYCLE_CONSTANT',
          message: `cycle_index is ${this.cycleMin} on every row`,
          channel: 'cycle_index',
        });
      if (this.cycleDecreases > 0) {
        w.push({
          code: 'DISCERN_CYCLE_NOT_MONOTONIC',
          message: `cycle_index decreases ${this.cycleDecreases} time(s), first at row ${this.firstCycleDecrease}`,
          channel: 'cycle_index',
          row: this.firstCycleDecrease,
          count: this.cycleDecreases,
        });
      }
    }
    return w;
  }
}

function sampledMedianAbs(v: Float64Array): number {
  const s: number[] = [];
  const stride = Math.max(1, Math.floor(v.length / 2000));
  for (let i = 0; i < v.length; i += stride) if (Number.isFinite(v[i]!)) s.push(Math.abs(v[i]!));
  s.sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
