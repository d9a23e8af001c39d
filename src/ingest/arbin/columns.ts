import { DiscernError } from '../../core/index.js';
import { lookupUnit } from '../units.js';

/**
 * Arbin column names and what they become. The same names appear in every Arbin export: the old
 * "ArbinResult" database CSV (`Test_Time`, `DateTime`, ... without units), MITS Pro CSV/XLSX
 * (`Test_Time(s)`, `Current(A)`, `Date_Time`), MITS Pro 8 / MITS X (`Test Time (s)`, `Date Time`)
 * and the tables of the binary `.res` file (`Channel_Normal_Table`). Headers are matched after
 * `splitHeader` (unit split off, lower-case, spaces as `_`).
 */

/** How the cells of a column are read. */
export type ArbinValueKind = 'float' | 'counter' | 'datetime' | 'category';

/** One Arbin column and the channel it becomes: canonical = value * factor + offset. */
export interface ArbinColumn {
  /** Header text in the file. */
  readonly source: string;
  /** Canonical channel or `aux_*` name. */
  readonly channel: string;
  /** Unit of the channel after conversion ('' for counters and labels). */
  readonly unit: string;
  readonly factor: number;
  readonly offset: number;
  readonly kind: ArbinValueKind;
  /** False when the header is not in Arbin's table (kept as an auxiliary channel). */
  readonly known: boolean;
}

interface Entry {
  channel: string;
  unit: string;
  kind: ArbinValueKind;
}

const f = (channel: string, unit: string): Entry => ({ channel, unit, kind: 'float' });
const TABLE: Record<string, Entry> = {
  data_point: f('aux_data_point', ''),
  test_id: f('aux_test_id', ''),
  test_time: f('test_time_s', 's'),
  datetime: { channel: 'unix_time_s', unit: 's', kind: 'datetime' },
  date_time: { channel: 'unix_time_s', unit: 's', kind: 'datetime' },
  step_time: f('step_time_s', 's'),
  step_index: { channel: 'step_index', unit: '1', kind: 'counter' },
  cycle_index: { channel: 'cycle_index', unit: '1', kind: 'counter' },
  current: f('current_A', 'A'),
  voltage: f('voltage_V', 'V'),
  power: f('power_W', 'W'),
  charge_capacity: f('charge_capacity_Ah', 'Ah'),
  discharge_capacity: f('discharge_capacity_Ah', 'Ah'),
  charge_energy: f('charge_energy_Wh', 'Wh'),
  discharge_energy: f('discharge_energy_Wh', 'Wh'),
  internal_resistance: f('dc_resistance_Ohm', 'Ohm'),
  ac_impedance: f('ac_impedance_Ohm', 'Ohm'),
  acr: f('aux_acr_Ohm', 'Ohm'),
  aci_phase_angle: f('aux_aci_phase_angle_deg', 'deg'),
  temperature: f('temperature_degC', 'degC'),
  capacity: f('aux_capacity_Ah', 'Ah'),
  is_fc_data: f('aux_is_fc_data', ''),
  sub_step_index: { channel: 'aux_sub_step_index', unit: '', kind: 'float' },
  sub_step_time: f('aux_sub_step_time_s', 's'),
  'dv/dt': f('aux_dvdt_V_per_s', 'V/s'),
  'dq/dv': f('aux_dqdv_Ah_per_V', 'Ah/V'),
  'dv/dq': f('aux_dvdq_V_per_Ah', 'V/Ah'),
  'mah/g': f('aux_specific_capacity_mAh_per_g', 'mAh/g'),
};

/** Numbered auxiliary inputs: `Aux_Temperature_1`, `Aux_Voltage_2`, `Aux_dT/dt_1`, ... */
const AUX: Record<string, { name: string; unit: string }> = {
  temperature: { name: 'temperature', unit: 'degC' },
  voltage: { name: 'voltage', unit: 'V' },
  pressure: { name: 'pressure', unit: 'Pa' },
  'dt/dt': { name: 'dtdt', unit: 'degC/s' },
  'dv/dt': { name: 'dvdt', unit: 'V/s' },
};

/**
 * Splits a header into its name and the unit in its last parentheses: "Test Time (s)" ->
 * {name "Test Time", unit "s"}; "Test_Time" -> {name "Test_Time"}. Leading tabs, quotes and a BOM
 * are dropped.
 */
export function splitHeader(header: string): { name: string; unit?: string } {
  const h = header.replace(/^[\uFEFF\s"]+|[\s"]+$/g, '');
  const m = /^(.*?)\s*\(([^()]*)\)$/.exec(h);
  if (m === null || m[1] === '') return { name: h };
  return { name: m[1]!, unit: m[2]!.trim() };
}

/** The lookup key of a header name: lower case, runs of spaces and underscores as one `_`. */
export function headerKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '_');
}

/** A channel-name fragment: lower-case letters, digits and `_`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/%/g, 'pct')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function unitSuffix(unit: string): string {
  if (unit === '%') return 'pct';
  return unit
    .replace(/°/g, 'deg')
    .replace(/\//g, '_per_')
    .replace(/[^A-Za-z0-9_]+/g, '')
    .replace(/^_+|_+$/g, '');
}

const sameUnit = (a: string, b: string): boolean =>
  a.replace(/°|º|deg\s*/gi, '').toLowerCase() === b.replace(/°|º|deg\s*/gi, '').toLowerCase();

/**
 * The conversion of a header unit to the channel's unit. Temperature headers write Celsius as "C"
 * (which `lookupUnit` reads as coulomb); compound units (V/s) must match as written.
 */
function convert(
  unit: string | undefined,
  canonical: string,
): { factor: number; offset: number } | undefined {
  if (unit === undefined || unit === '' || canonical === '' || canonical === '1')
    return { factor: 1, offset: 0 };
  if (canonical.includes('/')) return sameUnit(unit, canonical) ? { factor: 1, offset: 0 } : undefined;
  if (canonical === 'degC' && /^(°|º|deg\s*)?c$/i.test(unit)) return { factor: 1, offset: 0 };
  const conv = lookupUnit(unit);
  if (conv === undefined || conv.canonical !== canonical) return undefined;
  return { factor: conv.factor, offset: conv.offset };
}

/**
 * An auxiliary channel for a column discern has no name for: `aux_<name>_<unit>`, converted to the
 * SI unit when the unit is known ("Peak Power (kW)" -> aux_peak_power_W, factor 1000), else with
 * the unit spelled into the name ("Energy Density (Wh/kg)" -> aux_energy_density_Wh_per_kg).
 */
export function auxColumn(
  name: string,
  unit?: string,
): { channel: string; unit: string; factor: number; offset: number } {
  const base = `aux_${slug(name) || 'column'}`;
  if (unit === undefined || unit === '') return { channel: base, unit: '', factor: 1, offset: 0 };
  if (/^(°|º)c$/i.test(unit)) return { channel: `${base}_degC`, unit: 'degC', factor: 1, offset: 0 };
  const conv = lookupUnit(unit);
  if (conv !== undefined && conv.canonical !== '%') {
    return {
      channel: `${base}_${unitSuffix(conv.canonical)}`,
      unit: conv.canonical,
      factor: conv.factor,
      offset: conv.offset,
    };
  }
  const suffix = unitSuffix(unit);
  return { channel: suffix ? `${base}_${suffix}` : base, unit, factor: 1, offset: 0 };
}

/** The channel of Arbin auxiliary input `n` (1-based) of a quantity, e.g. ('temperature', 2) -> aux_temperature_2_degC. */
export function arbinAuxChannel(quantity: 'temperature' | 'voltage' | 'pressure', n: number): string {
  const a = AUX[quantity]!;
  return `aux_${a.name}_${n}_${unitSuffix(a.unit)}`;
}

/**
 * What an Arbin column header becomes. Unknown headers are kept as auxiliary channels
 * (`known: false`); a unit that does not fit the quantity is an error.
 * @throws DISCERN_UNKNOWN_COLUMN when a known column carries a unit that cannot be converted
 * (e.g. "Voltage(A)").
 * @example arbinColumn('Current(mA)') // { channel: 'current_A', factor: 0.001, ... }
 */
export function arbinColumn(header: string): ArbinColumn {
  const { name, unit } = splitHeader(header);
  const key = headerKey(name);
  const source = header.replace(/^[\uFEFF\s"]+|[\s"]+$/g, '');
  const entry = TABLE[key];
  if (entry !== undefined) {
    const conv = convert(unit, entry.unit);
    if (conv === undefined && entry.channel.startsWith('aux_')) {
      return { source, ...auxColumn(name, unit), kind: 'float', known: true };
    }
    if (conv === undefined) {
      throw new DiscernError(
        'DISCERN_UNKNOWN_COLUMN',
        `Arbin column "${source}": unit "${unit}" does not fit ${entry.channel}`,
        { column: source },
      );
    }
    const outUnit = entry.kind === 'counter' ? '1' : entry.unit;
    return { source, channel: entry.channel, unit: outUnit, ...conv, kind: entry.kind, known: true };
  }
  const m = /^aux_(temperature|voltage|pressure|dt\/dt|dv\/dt)_?(\d+)$/.exec(key);
  if (m !== null) {
    const a = AUX[m[1]!]!;
    const conv = convert(unit, a.unit);
    if (conv === undefined) return { source, ...auxColumn(name, unit), kind: 'float', known: true };
    return {
      source,
      channel: `aux_${a.name}_${m[2]}_${unitSuffix(a.unit)}`,
      unit: a.unit,
      ...conv,
      kind: 'float',
      known: true,
    };
  }
  const tc = /^tc_counter_?(\d+)$/.exec(key);
  if (tc !== null) {
    return {
      source,
      channel: `aux_tc_counter_${tc[1]}`,
      unit: '',
      factor: 1,
      offset: 0,
      kind: 'float',
      known: true,
    };
  }
  return { source, ...auxColumn(name, unit), kind: 'float', known: false };
}
