import {
  createFrame,
  naiveMsToUnixS,
  zoneOffsetMs,
  type ColumnInput,
  type DataWarning,
  type Frame,
} from '../../core/index.js';
import type { ReadOptions } from '../types.js';
import { CHARGE_FIRST_FLAGS } from './cycles.js';
import type { DerivedSteps, NewareRecords } from './records.js';
import { NEWARE_STATUS, statusLabel } from './status.js';

/** What the container (nda or ndax) knows about the test, besides the records. */
export interface NewareInfo {
  readonly file: string;
  /** Reader id: 'neware-nda' or 'neware-ndax'. */
  readonly format: string;
  /** e.g. "nda v29", "ndc v17". */
  readonly layout: string;
  readonly softwareVersion?: string;
  readonly instrument?: string;
  readonly channel?: string;
  readonly header: Record<string, string>;
  readonly warnings: DataWarning[];
}

/**
 * The common tail of the Neware readers: record order, step counting, step and test time, cycle
 * numbering (Neware's own as `cycle_index`, the charge-first count as `aux_cycle_chg_index`), step
 * type labels and the clock (UTC, or naive local time read in `options.timeZone`).
 */
export function newareFrame(input: NewareRecords, info: NewareInfo, options: ReadOptions): Frame {
  const warnings: DataWarning[] = [...info.warnings];
  const r = inOrder(input, warnings);
  const n = r.length;

  // Steps, step and test time, the charge-first cycle count and step type codes, in one pass (or
  // already derived by the decoder in its record loop, for records in order).
  const d = r === input && input.derived !== undefined ? input.derived : deriveSteps(r);
  const { stepCount, stepTime, testTime, chargeFirst } = d;

  let unix: Float64Array;
  let timeZone = 'UTC';
  let assumed = false;
  if (r.clock === 'naive') {
    timeZone = options.timeZone ?? 'UTC';
    assumed = options.timeZone === undefined;
    unix = timeZone === 'UTC' ? r.timeS : zonedUnix(r.timeS, timeZone);
    if (assumed && n > 0) {
      warnings.push({
        code: 'DISCERN_TZ_ASSUMED',
        message: 'the file stores local wall-clock times without a zone; they were read as UTC',
        channel: 'unix_time_s',
      });
    }
  } else unix = r.timeS;
  let badTimes = 0;
  if (unix === r.timeS && d.nonFiniteTimes !== undefined) badTimes = d.nonFiniteTimes;
  else for (let i = 0; i < n; i++) if (!Number.isFinite(unix[i]!)) badTimes++;
  if (badTimes > 0) {
    warnings.push({
      code: 'DISCERN_NAN_VALUES',
      message: `${badTimes} record(s) carry an impossible date; their unix_time_s is NaN`,
      channel: 'unix_time_s',
      count: badTimes,
    });
  }

  if (r.cycle === undefined && n > 0) {
    warnings.push({
      code: 'DISCERN_NOTE',
      message: `${info.layout} records carry no cycle number; cycle_index is the charge-first count`,
      channel: 'cycle_index',
    });
  }

  const columns: Record<string, ColumnInput> = {
    test_time_s: { values: testTime },
    step_time_s: { values: stepTime },
    unix_time_s: { values: unix },
    voltage_V: { values: r.voltageV },
    current_A: { values: r.currentA },
    cycle_index: { values: r.cycle ?? chargeFirst, source: r.cycle ? 'Neware cycle' : 'charge-first count' },
    step_index: { values: r.stepIndex },
    step_count: { values: stepCount },
    step_type: { values: stepTypes(d, warnings), unit: '', source: 'Status' },
    charge_capacity_Ah: { values: r.chargeAh },
    discharge_capacity_Ah: { values: r.dischargeAh },
    charge_energy_Wh: { values: r.chargeWh },
    discharge_energy_Wh: { values: r.dischargeWh },
    aux_cycle_chg_index: { values: chargeFirst, unit: '1', source: 'charge-first count (NewareNDA chg)' },
    aux_record_index: { values: r.recordIndex, unit: '1', source: 'Neware record index' },
  };
  // BTSDA's T1 is the cell's temperature: canonical, as the CSV export reader names it too.
  for (const a of r.aux) {
    const name = a.name === 'aux_temperature_1_degC' ? 'temperature_degC' : a.name;
    columns[name] = { values: a.values, unit: a.unit, source: a.source };
  }

  return createFrame({
    columns,
    meta: {
      vendor: 'Neware',
      format: info.format,
      ...(info.instrument !== undefined ? { instrument: info.instrument } : {}),
      ...(info.softwareVersion !== undefined ? { softwareVersion: info.softwareVersion } : {}),
      ...(info.channel !== undefined ? { channel: info.channel } : {}),
      ...(n > 0 && Number.isFinite(unix[0]!) ? { startTime: { unixS: unix[0]!, timeZone, assumed } } : {}),
      header: { layout: info.layout, clock: r.clock === 'utc' ? 'UTC' : 'naive local', ...info.header },
      warnings,
    },
  });
}

/**
 * One pass over the records for everything the tail derives per record:
 * - the step number: a new step starts when the step index, the cycle or the file's own step
 *   counter changes (without a counter, a change of status also starts one);
 * - step time and test time: whichever the layout lacks is derived from the other per step
 *   (BTSDA's "Total Time": the step times added up, each step starting where the last one ended);
 * - the charge-first cycle count, as `chargeFirstCycles` computes it;
 * - step type codes (status labels in order of first appearance).
 * One loop instead of one per quantity: on large files each pass over the columns costs as much
 * as the decoding of a field.
 */
function deriveSteps(r: NewareRecords): DerivedSteps {
  const n = r.length;
  const stepIndex = r.stepIndex;
  // Without a cycle column, the step index is compared twice (same result, one loop).
  const cyc = r.cycle ?? stepIndex;
  const status = r.status;
  const other = r.stepCounter ?? status;
  // 0: both times stored; 1: step time stored (test time derived); 2: test time (or none) stored.
  const mode = r.stepTimeS !== undefined ? (r.testTimeS !== undefined ? 0 : 1) : 2;
  const stepTime = r.stepTimeS ?? new Float64Array(n);
  const testTime = r.testTimeS ?? new Float64Array(n);
  const stepCount = new Int32Array(n);
  const chargeFirst = new Int32Array(n);
  const codes = new Int32Array(n);
  const flags = CHARGE_FIRST_FLAGS;
  // Step type levels: by status byte in a table, any other code in a map (rare).
  const levelOfByte = new Int32Array(256).fill(-1);
  const levelOfOther = new Map<number, number>();
  const levels: string[] = [];
  const unknown: number[] = [];
  let steps = 0;
  let base = 0;
  let cycle = 1;
  let discharged = false;
  let previousOpening = false;
  let lastStatus = NaN;
  let lastLevel = -1;
  let lastStep = 0;
  let lastCyc = 0;
  let lastOther = 0;
  for (let i = 0; i < n; i++) {
    const si = stepIndex[i]!;
    const ci = cyc[i]!;
    const oi = other[i]!;
    const s = status[i]!;
    const newStep = i === 0 || si !== lastStep || ci !== lastCyc || oi !== lastOther;
    if (newStep) steps++;
    stepCount[i] = steps;
    lastStep = si;
    lastCyc = ci;
    lastOther = oi;
    if (mode === 1) {
      // A step without a time (a record before the first runInfo row) adds nothing.
      if (i === 0) testTime[0] = stepTime[0]!;
      else {
        if (newStep && Number.isFinite(stepTime[i - 1]!)) base += stepTime[i - 1]!;
        testTime[i] = base + stepTime[i]!;
      }
    } else if (mode === 2) {
      if (i > 0 && newStep) base = testTime[i - 1]!;
      stepTime[i] = testTime[i]! - base;
    }
    const f = s >= 0 && s < 256 ? flags[s]! : 0;
    const opening = f === 1;
    if (i > 0 && opening && !previousOpening && discharged) {
      cycle++;
      discharged = false;
    } else if (f === 2) discharged = true;
    previousOpening = opening;
    chargeFirst[i] = cycle;
    if (s !== lastStatus) {
      let k = s >= 0 && s < 256 ? levelOfByte[s]! : (levelOfOther.get(s) ?? -1);
      if (k < 0) {
        k = levels.length;
        if (s >= 0 && s < 256) levelOfByte[s] = k;
        else levelOfOther.set(s, k);
        levels.push(statusLabel(s));
        if (NEWARE_STATUS[s] === undefined) unknown.push(s);
      }
      lastStatus = s;
      lastLevel = k;
    }
    codes[i] = lastLevel;
  }
  return { stepCount, stepTime, testTime, chargeFirst, codes, levels, unknown };
}

/**
 * Naive wall-clock seconds read in `timeZone`, as `naiveMsToUnixS` gives them row by row. The zone
 * offset is looked up once per 15-minute bucket of wall-clock time (the granularity of
 * `zoneOffsetMs`): when the offsets 3 h either side agree, every time in the bucket has that
 * offset; near a transition each row goes through `naiveMsToUnixS`.
 */
function zonedUnix(timeS: Float64Array, timeZone: string): Float64Array {
  const n = timeS.length;
  const out = new Float64Array(n);
  let bucket = NaN;
  let offset = NaN; // NaN: the bucket is near a transition
  for (let i = 0; i < n; i++) {
    const ms = timeS[i]! * 1000;
    if (Number.isNaN(ms)) {
      out[i] = NaN;
      continue;
    }
    const b = Math.floor(ms / BUCKET_MS);
    if (b !== bucket) {
      bucket = b;
      const before = zoneOffsetMs((b - 12) * BUCKET_MS, timeZone);
      const after = zoneOffsetMs((b + 12) * BUCKET_MS, timeZone);
      offset = before === after ? before : NaN;
    }
    out[i] = Number.isNaN(offset) ? naiveMsToUnixS(ms, timeZone) : (ms - offset) / 1000;
  }
  return out;
}

/** The bucket of `zoneOffsetMs`' cache; naiveMsToUnixS looks 12 buckets (3 h) either side. */
const BUCKET_MS = 900_000;

function stepTypes(d: DerivedSteps, warnings: DataWarning[]): { codes: Int32Array; levels: string[] } {
  if (d.unknown.length > 0) {
    warnings.push({
      code: 'DISCERN_NOTE',
      message: `unknown Neware status code(s) ${d.unknown.join(', ')} kept as Status_<code>; charge and discharge cannot be told apart for them`,
      channel: 'step_type',
    });
  }
  return { codes: d.codes, levels: d.levels };
}

/** The records sorted by record index without duplicates (a copy only when they are not). */
function inOrder(r: NewareRecords, warnings: DataWarning[]): NewareRecords {
  // A decoder that derived the steps checked the order in its record loop.
  if (r.derived !== undefined) return r;
  const idx = r.recordIndex;
  const n = r.length;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (!(idx[i]! > idx[i - 1]!)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return r;
  const order = Array.from({ length: r.length }, (_, i) => i).sort((a, b) => idx[a]! - idx[b]! || a - b);
  const keep: number[] = [];
  for (const i of order) if (keep.length === 0 || idx[i] !== idx[keep[keep.length - 1]!]) keep.push(i);
  warnings.push({
    code: 'DISCERN_NOTE',
    message: `the records were not in order of their record index; they were sorted${keep.length < r.length ? ` and ${r.length - keep.length} duplicate(s) dropped` : ''}`,
    count: r.length - keep.length,
  });
  const take = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length);
    for (let k = 0; k < keep.length; k++) out[k] = a[keep[k]!]!;
    return out;
  };
  return {
    ...r,
    length: keep.length,
    recordIndex: take(r.recordIndex),
    cycle: r.cycle && take(r.cycle),
    stepIndex: take(r.stepIndex),
    status: take(r.status),
    stepTimeS: r.stepTimeS && take(r.stepTimeS),
    ...(r.testTimeS ? { testTimeS: take(r.testTimeS) } : {}),
    voltageV: take(r.voltageV),
    currentA: take(r.currentA),
    chargeAh: take(r.chargeAh),
    dischargeAh: take(r.dischargeAh),
    chargeWh: take(r.chargeWh),
    dischargeWh: take(r.dischargeWh),
    timeS: take(r.timeS),
    ...(r.stepCounter ? { stepCounter: take(r.stepCounter) } : {}),
    aux: r.aux.map((a) => ({ ...a, values: take(a.values) })),
  };
}
