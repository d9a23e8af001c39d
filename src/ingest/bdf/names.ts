import { CHANNELS, DiscernError, isCanonicalChannel } from '../../core/index.js';
import { lookupUnit } from '../units.js';
import type { CellKind } from './table.js';
import { slug } from './table.js';

/**
 * Battery Data Format (BDF) column names. A BDF table names its columns either by machine name
 * (`test_time_second`) or by preferred label with unit (`Test Time / s`); older files use legacy
 * machine names with other units (`test_time_millisecond`, `cycle_dimensionless`) and older labels
 * (`Charge Capacity / Ah`, `Step Index / 1`). Source: the BDF specification and ontology 1.2/1.3
 * (battery-data-alliance/battery-data-format).
 */

/** Where one BDF column goes. */
export interface BdfTarget {
  /** Canonical or aux channel. */
  readonly channel: string;
  /** Unit of the channel after conversion ('' for labels). */
  readonly unit: string;
  /** canonical = value * factor + offset. */
  readonly factor: number;
  readonly offset: number;
  readonly kind: CellKind;
  /** When two columns map to one channel, the lower rank wins. */
  readonly rank: number;
  /** Channel used when a lower-ranked column already holds `channel`. */
  readonly fallback: string;
  /** The BDF machine name this column stands for. */
  readonly machine: string;
}

type Entry = readonly [channel: string, rank?: number, factor?: number];

/** Machine name -> channel (rank 0 unless given; factor to the canonical unit). */
const MACHINE: Readonly<Record<string, Entry>> = {
  test_time_second: ['test_time_s'],
  test_time_millisecond: ['test_time_s', 1, 1e-3],
  test_time_hour: ['test_time_s', 2, 3600],
  unix_time_second: ['unix_time_s'],
  unix_time_millisecond: ['unix_time_s', 1, 1e-3],
  date_time_millisecond: ['unix_time_s', 2, 1e-3],
  step_time_second: ['step_time_s'],
  step_time_millisecond: ['step_time_s', 1, 1e-3],
  voltage_volt: ['voltage_V'],
  voltage_millivolt: ['voltage_V', 1, 1e-3],
  current_ampere: ['current_A'],
  current_milliampere: ['current_A', 1, 1e-3],
  power_watt: ['power_W'],
  cycle_count: ['cycle_index'],
  cycle_dimensionless: ['cycle_index', 1],
  step_id: ['step_index'],
  step_index: ['step_index', 1],
  step_count: ['step_count'],
  step_type: ['step_type'],
  charging_capacity_ah: ['charge_capacity_Ah'],
  schedule_charging_capacity_ah: ['charge_capacity_Ah', 1],
  cycle_charging_capacity_ah: ['charge_capacity_Ah', 2],
  discharging_capacity_ah: ['discharge_capacity_Ah'],
  schedule_discharging_capacity_ah: ['discharge_capacity_Ah', 1],
  cycle_discharging_capacity_ah: ['discharge_capacity_Ah', 2],
  charging_energy_wh: ['charge_energy_Wh'],
  schedule_charging_energy_wh: ['charge_energy_Wh', 1],
  cycle_charging_energy_wh: ['charge_energy_Wh', 2],
  discharging_energy_wh: ['discharge_energy_Wh'],
  schedule_discharging_energy_wh: ['discharge_energy_Wh', 1],
  cycle_discharging_energy_wh: ['discharge_energy_Wh', 2],
  step_charging_capacity_ah: ['step_charge_capacity_Ah'],
  step_discharging_capacity_ah: ['step_discharge_capacity_Ah'],
  step_charging_energy_wh: ['step_charge_energy_Wh'],
  step_discharging_energy_wh: ['step_discharge_energy_Wh'],
  cumulative_charging_capacity_ah: ['cumulative_charge_capacity_Ah'],
  cumulative_discharging_capacity_ah: ['cumulative_discharge_capacity_Ah'],
  cumulative_charging_energy_wh: ['cumulative_charge_energy_Wh'],
  cumulative_discharging_energy_wh: ['cumulative_discharge_energy_Wh'],
  net_capacity_ah: ['net_capacity_Ah'],
  surface_temperature_celsius: ['temperature_degC'],
  temperature_t1_celsius: ['temperature_degC', 1],
  temperature_t2_celsius: ['aux_temperature_2_degC'],
  temperature_t3_celsius: ['aux_temperature_3_degC'],
  temperature_t4_celsius: ['aux_temperature_4_degC'],
  temperature_t5_celsius: ['aux_temperature_5_degC'],
  ambient_temperature_celsius: ['ambient_temperature_degC'],
  dc_internal_resistance_ohm: ['dc_resistance_Ohm'],
  ac_internal_resistance_ohm: ['ac_impedance_Ohm'],
  absolute_impedance_ohm: ['ac_impedance_Ohm', 1],
  frequency_hertz: ['frequency_Hz'],
  real_impedance_ohm: ['z_real_Ohm'],
  imaginary_impedance_ohm: ['z_imag_Ohm'],
  phase_degree: ['z_phase_deg'],
  phase_angle_degree: ['z_phase_deg', 1],
  working_electrode_potential_volt: ['ewe_V'],
  counter_electrode_potential_volt: ['ece_V'],
};

/** Preferred labels (BDF 1.2/1.3) and older labels that published files carry, to machine names. */
const LABELS: Readonly<Record<string, string>> = {
  'test time': 'test_time_second',
  'unix time': 'unix_time_second',
  'step time': 'step_time_second',
  voltage: 'voltage_volt',
  current: 'current_ampere',
  power: 'power_watt',
  'cycle count': 'cycle_count',
  'step id': 'step_id',
  'step index': 'step_index',
  'step count': 'step_count',
  'step type': 'step_type',
  'charging capacity': 'charging_capacity_ah',
  'discharging capacity': 'discharging_capacity_ah',
  'charge capacity': 'charging_capacity_ah',
  'discharge capacity': 'discharging_capacity_ah',
  'schedule charging capacity': 'schedule_charging_capacity_ah',
  'schedule discharging capacity': 'schedule_discharging_capacity_ah',
  'cycle charging capacity': 'cycle_charging_capacity_ah',
  'cycle discharging capacity': 'cycle_discharging_capacity_ah',
  'charging energy': 'charging_energy_wh',
  'discharging energy': 'discharging_energy_wh',
  'charge energy': 'charging_energy_wh',
  'discharge energy': 'discharging_energy_wh',
  'schedule charging energy': 'schedule_charging_energy_wh',
  'schedule discharging energy': 'schedule_discharging_energy_wh',
  'cycle charging energy': 'cycle_charging_energy_wh',
  'cycle discharging energy': 'cycle_discharging_energy_wh',
  'step charging capacity': 'step_charging_capacity_ah',
  'step discharging capacity': 'step_discharging_capacity_ah',
  'step charging energy': 'step_charging_energy_wh',
  'step discharging energy': 'step_discharging_energy_wh',
  'net capacity': 'net_capacity_ah',
  'surface temperature': 'surface_temperature_celsius',
  'surface temperature t1': 'temperature_t1_celsius',
  'temperature t1': 'temperature_t1_celsius',
  'temperature t2': 'temperature_t2_celsius',
  'temperature t3': 'temperature_t3_celsius',
  'temperature t4': 'temperature_t4_celsius',
  'temperature t5': 'temperature_t5_celsius',
  'ambient temperature': 'ambient_temperature_celsius',
  'dc internal resistance': 'dc_internal_resistance_ohm',
  'ac internal resistance': 'ac_internal_resistance_ohm',
  'absolute impedance': 'absolute_impedance_ohm',
  frequency: 'frequency_hertz',
  'real impedance': 'real_impedance_ohm',
  'imaginary impedance': 'imaginary_impedance_ohm',
  phase: 'phase_degree',
};

/** Quantities whose label has no unit part. */
const UNITLESS = new Set(['step_id', 'step_type']);

/** Unit words at the end of BDF machine names, with the unit they stand for. */
const SUFFIX_UNITS: readonly [string, string][] = [
  ['_second', 's'],
  ['_millisecond', 'ms'],
  ['_volt', 'V'],
  ['_millivolt', 'mV'],
  ['_ampere', 'A'],
  ['_milliampere', 'mA'],
  ['_ah', 'Ah'],
  ['_wh', 'Wh'],
  ['_watt', 'W'],
  ['_ohm', 'Ohm'],
  ['_celsius', 'degC'],
  ['_hertz', 'Hz'],
  ['_degree', 'deg'],
  ['_pa', 'Pa'],
];

/** Aux names for columns that lose their channel to a better column. */
const FALLBACK: Readonly<Record<string, string>> = {
  temperature_t1_celsius: 'aux_temperature_1_degC',
  step_index: 'aux_step_record_index',
};

function target(machine: string, e: Entry, factor = e[2] ?? 1, offset = 0): BdfTarget {
  const channel = e[0];
  const canonical = isCanonicalChannel(channel) ? CHANNELS[channel] : undefined;
  const kind: CellKind = canonical?.kind === 'category' ? 'category' : 'float';
  const unit =
    canonical !== undefined ? (canonical.kind === 'float' ? canonical.unit : '') : unitOfMachine(machine);
  const base = stripUnitSuffix(machine);
  const fallback = FALLBACK[machine] ?? (unit !== '' ? `aux_${base}_${unit}` : `aux_${base}`);
  return { channel, unit, factor, offset, kind, rank: e[1] ?? 0, fallback, machine };
}

function stripUnitSuffix(machine: string): string {
  for (const [suffix] of SUFFIX_UNITS) if (machine.endsWith(suffix)) return machine.slice(0, -suffix.length);
  return machine;
}

function unitOfMachine(machine: string): string {
  for (const [suffix, unit] of SUFFIX_UNITS) if (machine.endsWith(suffix)) return unit;
  return '';
}

/** The target of a BDF machine name (exact, case-sensitive as the spec writes them), or undefined. */
export function bdfMachineTarget(name: string): BdfTarget | undefined {
  const e = MACHINE[name];
  return e === undefined ? undefined : target(name, e);
}

const LABEL_RE = /^(.*?)\s*\/\s*([^/]*)$/;

/**
 * The target of a labelled BDF header such as "Test Time / h" (converted to s) or "Step Type",
 * or undefined when the label is not a BDF quantity.
 * @throws DISCERN_UNKNOWN_COLUMN when the label is known but its unit cannot be converted.
 */
export function bdfLabelTarget(header: string, file?: string): BdfTarget | undefined {
  const m = LABEL_RE.exec(header.trim());
  const label = (m !== null ? m[1]! : header).trim().toLowerCase();
  const unit = m !== null ? m[2]!.trim() : '';
  const machine = LABELS[label];
  if (machine === undefined) return undefined;
  // A bare word ("voltage") is not a BDF label; only unitless quantities are written without "/ unit".
  if (m === null && !UNITLESS.has(machine)) return undefined;
  const e = MACHINE[machine]!;
  const channel = e[0];
  const spec = isCanonicalChannel(channel) ? CHANNELS[channel] : undefined;
  if (spec === undefined || spec.kind !== 'float' || unit === '') return target(machine, [channel, e[1]], 1);
  const conv = lookupUnit(unit);
  if (conv === undefined || conv.canonical !== spec.unit) {
    throw new DiscernError(
      'DISCERN_UNKNOWN_COLUMN',
      `column "${header}": unit "${unit}" cannot be converted to ${spec.unit}`,
      file !== undefined ? { file, column: header } : { column: header },
    );
  }
  return target(machine, [channel, e[1]], conv.factor, conv.offset);
}

/**
 * The target of a column that is not a BDF quantity: `aux_<name>` (read as numbers when every
 * cell is one, else as labels). A "Name / unit" header keeps its unit, converted when known.
 */
export function auxTarget(header: string): BdfTarget {
  const m = LABEL_RE.exec(header.trim());
  const name = slug(m !== null ? m[1]! : header) || 'column';
  const rawUnit = m !== null ? m[2]!.trim() : unitOfMachine(header.trim());
  const conv = rawUnit !== '' && rawUnit !== '1' ? lookupUnit(rawUnit) : undefined;
  const unit = conv !== undefined ? conv.canonical : rawUnit === '1' ? '' : rawUnit;
  const channel = `aux_${name}`;
  return {
    channel,
    unit,
    factor: conv?.factor ?? 1,
    offset: conv?.offset ?? 0,
    kind: 'auto',
    rank: 9,
    fallback: channel,
    machine: header.trim(),
  };
}

/** One header cell resolved: its position, text and target; `known` is false for aux columns. */
export interface ResolvedColumn {
  readonly index: number;
  readonly header: string;
  readonly target: BdfTarget;
  readonly known: boolean;
}

/**
 * Resolves a BDF header row (machine names, labels, or a mix). When two columns claim one
 * channel, the lower rank keeps it and the other becomes its `aux_<machine name>` fallback; a
 * duplicated aux name gets a numeric suffix. Empty header cells (a trailing comma) are skipped.
 * @throws DISCERN_UNKNOWN_COLUMN for a known label with an unconvertible unit.
 */
export function resolveBdfHeader(headers: readonly string[], file?: string): ResolvedColumn[] {
  const out: ResolvedColumn[] = [];
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!.trim();
    if (h === '') continue;
    const t = bdfMachineTarget(h) ?? bdfLabelTarget(h, file);
    out.push(
      t !== undefined
        ? { index: i, header: h, target: t, known: true }
        : { index: i, header: h, target: auxTarget(h), known: false },
    );
  }
  const best = new Map<string, number>();
  for (const c of out) {
    const r = best.get(c.target.channel);
    if (r === undefined || c.target.rank < r) best.set(c.target.channel, c.target.rank);
  }
  const taken = new Set<string>();
  return out.map((c) => {
    let t = c.target;
    if (best.get(t.channel)! < t.rank || taken.has(t.channel)) {
      t = { ...t, channel: t.fallback, rank: 9, kind: t.kind === 'category' ? 'category' : 'auto' };
      let name = t.channel;
      for (let k = 2; taken.has(name); k++) name = `${t.channel}_${k}`;
      t = { ...t, channel: name };
    }
    taken.add(t.channel);
    return { ...c, target: t };
  });
}

/**
 * How much a header row looks like BDF: the number of required quantities (test time, voltage,
 * current) it names, 0..3. Used by the sniffers.
 */
export function bdfRequiredCount(resolved: readonly ResolvedColumn[]): number {
  const have = new Set(resolved.filter((c) => c.known).map((c) => c.target.channel));
  return ['test_time_s', 'voltage_V', 'current_A'].filter((c) => have.has(c)).length;
}
