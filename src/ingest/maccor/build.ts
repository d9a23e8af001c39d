import {
  assertTimeZone,
  createFrame,
  type ColumnInput,
  type DataWarning,
  type Frame,
} from '../../core/index.js';
import { counterFromFloat } from '../checks.js';
import { scaled } from '../text.js';
import type { ReadOptions } from '../types.js';
import { checkClock, localToUnixS } from './clock.js';
import type { MaccorColumn, MaccorRole } from './columns.js';
import { addMaccorAuxiliary } from './auxiliary.js';
import { parseMaccorDateTimes } from './datetimes.js';
import type { MaccorPreamble } from './preamble.js';
import { signCurrent, splitByState, stateClasses } from './states.js';
import type { MaccorTable } from './table.js';
import { detectTimeUnit } from './time-unit.js';

export interface MaccorFrameInput {
  /** Reader id stored as the frame's format. */
  readonly format: string;
  readonly file: string;
  readonly preamble: MaccorPreamble;
  readonly columns: readonly MaccorColumn[];
  readonly table: MaccorTable;
  readonly options: ReadOptions;
  /** Warnings from decoding the text. */
  readonly warnings: readonly DataWarning[];
}

function median(values: Float64Array): number {
  const s: number[] = [];
  const stride = Math.max(1, Math.floor(values.length / 2000));
  for (let i = 0; i < values.length; i += stride)
    if (Number.isFinite(values[i]!)) s.push(Math.abs(values[i]!));
  s.sort((a, b) => a - b);
  return s.length > 0 ? s[Math.floor(s.length / 2)]! : NaN;
}

function zeroToNaN(values: Float64Array): Float64Array | undefined {
  let any = false;
  const out = values.map((v) => (v === 0 ? NaN : v));
  for (let i = 0; i < out.length && !any; i++) if (Number.isFinite(out[i]!)) any = true;
  return any ? out : undefined;
}

/**
 * Turns a parsed Maccor table into a canonical Frame: time in s (minutes and `d hh:mm:ss` text
 * converted), DPt Time read in `options.timeZone` (UTC assumed, with DISCERN_TZ_ASSUMED, when
 * absent), a "Volts" column holding mV converted, unsigned current signed from the State flag,
 * the step-wise Amp-hr / Watt-hr split into charge and discharge series, aux channels.
 * @throws DISCERN_BAD_TIMEZONE, DISCERN_PARSE_BAD_VALUE (dates)
 */
export function buildMaccorFrame(input: MaccorFrameInput): Frame {
  const { table, columns, options, preamble, file } = input;
  const warnings: DataWarning[] = [...input.warnings, ...table.warnings];
  const n = table.rows;
  const find = <R extends MaccorRole['role']>(
    role: R,
  ): (MaccorColumn & { spec: Extract<MaccorRole, { role: R }> }) | undefined =>
    columns.find((c) => c.spec.role === role) as
      (MaccorColumn & { spec: Extract<MaccorRole, { role: R }> }) | undefined;
  const values = (c: MaccorColumn | undefined): Float64Array | undefined =>
    c === undefined ? undefined : table.numeric.get(c.index);
  const out: Record<string, ColumnInput> = {};

  // Wall clock first (as if UTC): it tells the unit of a bare TestTime column.
  if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
  const dates =
    table.dateTimes !== undefined
      ? parseMaccorDateTimes(table.dateTimes, table.decimal, table.lineOf, file)
      : undefined;
  const naiveS = dates !== undefined ? scaled(dates.naiveMs, 1e-3) : undefined;

  const timeCol = find('test_time')!;
  const rawTime = values(timeCol)!;
  let timeFactor = 1;
  if (!table.durationColumns.has(timeCol.index)) {
    if (timeCol.spec.timeUnit !== undefined) timeFactor = timeCol.spec.timeUnit;
    else {
      const detected = detectTimeUnit(rawTime, naiveS, timeCol.label);
      timeFactor = detected.factor;
      warnings.push(...detected.warnings);
    }
  }
  const testTime = scaled(rawTime, timeFactor);
  out['test_time_s'] = { values: testTime, source: timeCol.label };

  let startUnixS = NaN;
  if (dates !== undefined) {
    const zone = options.timeZone ?? 'UTC';
    const unix = localToUnixS(dates.naiveMs, testTime, zone);
    for (let i = 0; i < n && Number.isNaN(startUnixS); i++) startUnixS = unix[i]!;
    if (!Number.isNaN(startUnixS)) out['unix_time_s'] = { values: unix, source: find('datetime')!.label };
    if (options.timeZone === undefined && !Number.isNaN(startUnixS)) {
      warnings.push({
        code: 'DISCERN_TZ_ASSUMED',
        message: 'DPt Time has no time zone; read as UTC',
        channel: 'unix_time_s',
      });
    }
    if (dates.ambiguous) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `no DPt Time date shows its order (no field above 12); read as ${dates.order === 'DMY' ? 'day/month' : 'month/day'}`,
        channel: 'unix_time_s',
      });
    }
    warnings.push(...checkClock(unix, testTime));
  }

  const stepTimeCol = find('step_time');
  const rawStepTime = values(stepTimeCol);
  if (stepTimeCol !== undefined && rawStepTime !== undefined) {
    const f = table.durationColumns.has(stepTimeCol.index) ? 1 : (stepTimeCol.spec.timeUnit ?? timeFactor);
    out['step_time_s'] = { values: scaled(rawStepTime, f), source: stepTimeCol.label };
  }

  const vCol = find('voltage')!;
  let voltage = scaled(values(vCol)!, vCol.spec.factor);
  const mv = median(voltage);
  if (mv > 20 && mv < 20000) {
    voltage = scaled(voltage, 1e-3);
    warnings.push({
      code: 'DISCERN_VOLTAGE_UNIT_SUSPECT',
      message: `the ${vCol.label} column holds millivolts (median ${mv.toFixed(1)}); divided by 1000`,
      channel: 'voltage_V',
    });
  }
  out['voltage_V'] = { values: voltage, source: vCol.label };

  const stateCol = find('state');
  const state = stateCol !== undefined ? table.categories.get(stateCol.index) : undefined;
  const iCol = find('current')!;
  let current = scaled(values(iCol)!, iCol.spec.factor);
  let classes: Int8Array;
  if (state !== undefined) {
    classes = stateClasses(state);
    const signed = signCurrent(current, classes);
    current = signed.current;
    warnings.push(...signed.warnings);
    out['step_type'] = { values: state, unit: '', source: stateCol!.label };
  } else {
    classes = new Int8Array(n);
    for (let i = 0; i < n; i++) classes[i] = current[i]! > 0 ? 1 : current[i]! < 0 ? -1 : 0;
  }
  out['current_A'] = { values: current, source: iCol.label };

  const wf = (which: string): Float64Array | undefined =>
    values(columns.find((c) => c.spec.role === 'wf' && c.spec.which === which));
  for (const [role, chg, dis, wfc, wfd] of [
    ['capacity', 'charge_capacity_Ah', 'discharge_capacity_Ah', 'wf_charge_Ah', 'wf_discharge_Ah'],
    ['energy', 'charge_energy_Wh', 'discharge_energy_Wh', 'wf_charge_Wh', 'wf_discharge_Wh'],
  ] as const) {
    const c = find(role);
    const raw = values(c);
    if (c === undefined || raw === undefined) continue;
    const split = splitByState(scaled(raw, c.spec.factor), classes, wf(wfc), wf(wfd));
    out[chg] = { values: split.charge, source: c.label };
    out[dis] = { values: split.discharge, source: c.label };
  }

  for (const [role, channel] of [
    ['cycle', 'cycle_index'],
    ['step', 'step_index'],
  ] as const) {
    const c = find(role);
    const raw = values(c);
    if (c === undefined || raw === undefined) continue;
    const counter = counterFromFloat(raw, channel);
    warnings.push(...counter.warnings);
    out[channel] = { values: counter.values, unit: '1', source: c.label };
  }

  for (const [role, channel] of [
    ['ac_impedance', 'ac_impedance_Ohm'],
    ['dc_resistance', 'dc_resistance_Ohm'],
  ] as const) {
    const c = find(role);
    const raw = values(c);
    const kept = raw !== undefined && c !== undefined ? zeroToNaN(scaled(raw, c.spec.factor)) : undefined;
    if (kept !== undefined) out[channel] = { values: kept, source: c!.label };
  }

  addMaccorAuxiliary(columns, table, out, warnings);

  return createFrame({
    columns: out,
    meta: {
      vendor: 'Maccor',
      format: input.format,
      ...(preamble.channel !== undefined ? { channel: preamble.channel } : {}),
      ...(preamble.instrument !== undefined ? { instrument: preamble.instrument } : {}),
      ...(Number.isFinite(startUnixS)
        ? {
            startTime: {
              unixS: startUnixS,
              timeZone: options.timeZone ?? 'UTC',
              assumed: options.timeZone === undefined,
            },
          }
        : {}),
      header: preamble.header,
      warnings,
    },
  });
}
