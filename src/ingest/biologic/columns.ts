import { lookupUnit } from '../units.js';

/**
 * How one BioLogic column (EC-Lab / BT-Lab) becomes a discern channel. The table is keyed by the
 * column header exactly as EC-Lab writes it in an `.mpt` file (e.g. `I/mA`, `-Im(Z)/Ohm`); the
 * binary `.mpr` reader maps its column ids to these same header texts, so both readers give the
 * same channels, units and signs.
 *
 * canonical value = file value * `factor` + `offset` (then the magnitude when `magnitude` is set).
 */
export interface BiologicColumnSpec {
  /** Canonical channel (src/core/channels.ts) or `aux_*` name. */
  readonly channel: string;
  /** Unit of `channel` after conversion ('' for counters and codes). */
  readonly unit: string;
  /** Multiplier from the file unit to `unit` (e.g. 0.001 for mA -> A, -1 for `-Im(Z)`). */
  readonly factor: number;
  readonly offset: number;
  /** `int` for the cycle and step counters (stored as Int32), else `float`. */
  readonly kind: 'float' | 'int';
  /**
   * When two columns map to the same channel, the lower rank wins (instantaneous `I/mA` before the
   * averaged `<I>/mA`); the loser goes to `fallback`.
   */
  readonly rank: number;
  readonly fallback?: string;
  /** Store |value| (capacities and energies are non-negative magnitudes in discern). */
  readonly magnitude?: boolean;
}

type Entry = [
  header: string,
  channel: string,
  unit: string,
  factor: number,
  extra?: Partial<BiologicColumnSpec>,
];

const MA_TO_A = 1e-3;
const MAH_TO_AH = 1e-3;
const C_TO_AH = 1 / 3600;

/** Columns with a fixed meaning. Anything else is mapped by `biologicColumnSpec`'s generic rule. */
const ENTRIES: Entry[] = [
  // time
  ['time/s', 'test_time_s', 's', 1],
  ['uts/s', 'unix_time_s', 's', 1],
  ['step time/s', 'step_time_s', 's', 1],
  // potentials: voltage_V is chosen from these by assembleBiologicColumns (Ecell, else Ewe)
  ['Ecell/V', 'voltage_V', 'V', 1],
  ['<Ecell>/V', 'voltage_V', 'V', 1, { rank: 1, fallback: 'aux_avg_ecell_V' }],
  ['Ewe/V', 'ewe_V', 'V', 1],
  ['<Ewe>/V', 'ewe_V', 'V', 1, { rank: 1, fallback: 'aux_avg_ewe_V' }],
  ['Ece/V', 'ece_V', 'V', 1],
  ['<Ece>/V', 'ece_V', 'V', 1, { rank: 1, fallback: 'aux_avg_ece_V' }],
  ['Ewe-Ece/V', 'aux_ewe_minus_ece_V', 'V', 1],
  // current: BioLogic's sign is already positive for anodic current (charge of the WE)
  ['I/mA', 'current_A', 'A', MA_TO_A],
  ['<I>/mA', 'current_A', 'A', MA_TO_A, { rank: 1, fallback: 'aux_avg_current_A' }],
  ['I/A', 'current_A', 'A', 1],
  ['control/V/mA', 'aux_control_V_or_mA', 'V|mA', 1],
  ['control/V', 'aux_control_V', 'V', 1],
  ['control/mA', 'aux_control_A', 'A', MA_TO_A],
  // counters
  ['cycle number', 'cycle_index', '', 1, { kind: 'int' }],
  ['Ns', 'step_index', '', 1, { kind: 'int' }],
  // charge and energy
  ['(Q-Qo)/mA.h', 'net_capacity_Ah', 'Ah', MAH_TO_AH],
  ['(Q-Qo)/C', 'net_capacity_Ah', 'Ah', C_TO_AH, { rank: 1, fallback: 'aux_net_charge_Ah' }],
  ['Q charge/discharge/mA.h', 'aux_q_charge_discharge_Ah', 'Ah', MAH_TO_AH],
  ['Q charge/mA.h', 'charge_capacity_Ah', 'Ah', MAH_TO_AH, { magnitude: true }],
  ['Q discharge/mA.h', 'discharge_capacity_Ah', 'Ah', MAH_TO_AH, { magnitude: true }],
  ['Energy charge/W.h', 'charge_energy_Wh', 'Wh', 1, { magnitude: true }],
  ['Energy discharge/W.h', 'discharge_energy_Wh', 'Wh', 1, { magnitude: true }],
  ['Energy we charge/W.h', 'charge_energy_Wh', 'Wh', 1, { magnitude: true, rank: 1 }],
  ['Energy we discharge/W.h', 'discharge_energy_Wh', 'Wh', 1, { magnitude: true, rank: 1 }],
  ['dq/mA.h', 'aux_dq_Ah', 'Ah', MAH_TO_AH],
  ['dQ/mA.h', 'aux_dq_step_Ah', 'Ah', MAH_TO_AH],
  ['dQ/C', 'aux_dq_step_Ah', 'Ah', C_TO_AH],
  ['Capacity/mA.h', 'aux_capacity_Ah', 'Ah', MAH_TO_AH],
  ['d(Q-Qo)/dE/mA.h/V', 'aux_dq_de_Ah_per_V', 'Ah/V', MAH_TO_AH],
  ['dI/dt/mA/s', 'aux_di_dt_A_per_s', 'A/s', MA_TO_A],
  ['P/W', 'power_W', 'W', 1],
  ['Pwe/W', 'power_W', 'W', 1, { rank: 1, fallback: 'aux_power_we_W' }],
  // impedance
  ['freq/Hz', 'frequency_Hz', 'Hz', 1],
  ['Re(Z)/Ohm', 'z_real_Ohm', 'Ohm', 1],
  ['-Im(Z)/Ohm', 'z_imag_Ohm', 'Ohm', -1],
  ['|Z|/Ohm', 'z_mod_Ohm', 'Ohm', 1],
  ['Phase(Z)/deg', 'z_phase_deg', 'deg', 1],
  // temperature
  ['Temperature/°C', 'temperature_degC', 'degC', 1],
  ['T/°C', 'temperature_degC', 'degC', 1, { rank: 1, fallback: 'aux_temperature_2_degC' }],
  // state and bookkeeping codes
  ['mode', 'aux_mode', '', 1],
  ['ox/red', 'aux_ox_red', '', 1],
  ['error', 'aux_error', '', 1],
  ['control changes', 'aux_control_changes', '', 1],
  ['Ns changes', 'aux_ns_changes', '', 1],
  ['counter inc.', 'aux_counter_inc', '', 1],
  ['half cycle', 'aux_half_cycle', '', 1],
  ['z cycle', 'aux_z_cycle', '', 1],
  ['I Range', 'aux_i_range', '', 1],
];

/** The fixed part of the column table, keyed by the `.mpt` header text. */
export const BIOLOGIC_COLUMNS: Readonly<Record<string, BiologicColumnSpec>> = Object.fromEntries(
  ENTRIES.map(([header, channel, unit, factor, extra]) => [
    header,
    { channel, unit, factor, offset: 0, kind: 'float', rank: 0, ...extra },
  ]),
);

const SUFFIX: Record<string, string> = {
  s: 's',
  V: 'V',
  A: 'A',
  Ah: 'Ah',
  Wh: 'Wh',
  W: 'W',
  Ohm: 'Ohm',
  Hz: 'Hz',
  deg: 'deg',
  degC: 'degC',
  Pa: 'Pa',
  '%': 'pct',
};

/** `|Ewe|` -> `mod_ewe`, `<I>` -> `avg_i`, `-Im(Zce)` -> `neg_im_zce`, `Analog IN 1` -> `analog_in_1`. */
export function biologicSlug(name: string): string {
  let s = name.trim();
  s = s
    .replace(/^\|(.*)\|/, 'mod_$1')
    .replace(/^<(.*)>/, 'avg_$1')
    .replace(/^-/, 'neg_');
  s = s.replace(/µ|μ/g, 'u').replace(/°/g, 'deg');
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * The spec for any BioLogic column header: the fixed table entry, or the generic rule
 * `name/unit` -> `aux_<slug>_<unit>`, converted to the canonical unit when the unit is known
 * (mA -> A, mA.h -> Ah, C -> Ah, °C -> degC, ...), kept verbatim otherwise (µF, Ohm-1, mS/cm).
 * A header without a unit gives `aux_<slug>` with unit ''.
 * @example biologicColumnSpec('Analog IN 1/V').channel // 'aux_analog_in_1_V'
 */
export function biologicColumnSpec(header: string): BiologicColumnSpec {
  return BIOLOGIC_COLUMNS[header.trim()] ?? genericBiologicSpec(header);
}

/**
 * The generic rule alone (used for headers missing from the table, and for the loser when two
 * columns claim the same channel and the table names no fallback).
 */
export function genericBiologicSpec(header: string): BiologicColumnSpec {
  const key = header.trim();
  const slash = key.indexOf('/');
  const base = { offset: 0, kind: 'float' as const, rank: 0 };
  if (slash < 0) return { channel: `aux_${biologicSlug(key) || 'column'}`, unit: '', factor: 1, ...base };
  const name = key.slice(0, slash);
  const unit = key.slice(slash + 1);
  const slug = biologicSlug(name) || 'column';
  // Convert only a plain "name/unit" header whose unit we know (a second '/' makes it ambiguous).
  const conv = unit.includes('/') ? undefined : lookupUnit(unit);
  if (conv !== undefined && SUFFIX[conv.canonical] !== undefined) {
    return {
      channel: `aux_${slug}_${SUFFIX[conv.canonical]}`,
      unit: conv.canonical,
      factor: conv.factor,
      ...base,
      offset: conv.offset,
    };
  }
  const unitSlug = unit
    .replace(/µ|μ/g, 'u')
    .replace(/°/g, 'deg')
    .replace(/%/g, 'pct')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return { channel: `aux_${slug}${unitSlug ? `_${unitSlug}` : ''}`, unit, factor: 1, ...base };
}
