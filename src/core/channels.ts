/**
 * Canonical channel names, aligned with the Battery Data Format (BDF). Our names carry their SI unit
 * as a suffix; `bdf` is the BDF machine name used when exporting.
 *
 * Conventions: current is positive on charge; capacities and energies are non-negative magnitudes;
 * `unix_time_s` is seconds since 1970-01-01T00:00:00Z (UTC); temperatures are in degC;
 * `z_imag_Ohm` is the imaginary part of Z itself (negative for a capacitive response).
 */
export type ChannelKind = 'float' | 'int' | 'category';

export interface ChannelSpec {
  unit: string;
  kind: ChannelKind;
  bdf: string;
  description: string;
}

export const CHANNELS = {
  test_time_s: {
    unit: 's',
    kind: 'float',
    bdf: 'test_time_second',
    description: 'Time since the start of the test',
  },
  unix_time_s: {
    unit: 's',
    kind: 'float',
    bdf: 'unix_time_second',
    description: 'Absolute time, seconds since the Unix epoch (UTC)',
  },
  step_time_s: {
    unit: 's',
    kind: 'float',
    bdf: 'step_time_second',
    description: 'Time since the start of the step',
  },
  voltage_V: { unit: 'V', kind: 'float', bdf: 'voltage_volt', description: 'Cell voltage' },
  current_A: {
    unit: 'A',
    kind: 'float',
    bdf: 'current_ampere',
    description: 'Cell current, positive on charge',
  },
  power_W: { unit: 'W', kind: 'float', bdf: 'power_watt', description: 'Power, positive on charge' },
  cycle_index: {
    unit: '1',
    kind: 'int',
    bdf: 'cycle_count',
    description: "Cycle number as the file gives it (the instrument's own numbering)",
  },
  step_index: { unit: '1', kind: 'int', bdf: 'step_index', description: 'Index of the step in the schedule' },
  step_count: {
    unit: '1',
    kind: 'int',
    bdf: 'step_count',
    description: 'Running count of steps executed (increments at every step change)',
  },
  step_type: {
    unit: '',
    kind: 'category',
    bdf: 'step_type',
    description: "The instrument's label for the step or state (e.g. CC_Chg, D, Rest)",
  },
  charge_capacity_Ah: {
    unit: 'Ah',
    kind: 'float',
    bdf: 'charging_capacity_ah',
    description: 'Charge capacity as the instrument reports it (its own reset scope)',
  },
  discharge_capacity_Ah: {
    unit: 'Ah',
    kind: 'float',
    bdf: 'discharging_capacity_ah',
    description: 'Discharge capacity as the instrument reports it (its own reset scope)',
  },
  charge_energy_Wh: {
    unit: 'Wh',
    kind: 'float',
    bdf: 'charging_energy_wh',
    description: 'Charge energy as the instrument reports it',
  },
  discharge_energy_Wh: {
    unit: 'Wh',
    kind: 'float',
    bdf: 'discharging_energy_wh',
    description: 'Discharge energy as the instrument reports it',
  },
  step_charge_capacity_Ah: {
    unit: 'Ah',
    kind: 'float',
    bdf: 'step_charging_capacity_ah',
    description: 'Charge capacity since the start of the step',
  },
  step_discharge_capacity_Ah: {
    unit: 'Ah',
    kind: 'float',
    bdf: 'step_discharging_capacity_ah',
    description: 'Discharge capacity since the start of the step',
  },
  step_charge_energy_Wh: {
    unit: 'Wh',
    kind: 'float',
    bdf: 'step_charging_energy_wh',
    description: 'Charge energy since the start of the step',
  },
  step_discharge_energy_Wh: {
    unit: 'Wh',
    kind: 'float',
    bdf: 'step_discharging_energy_wh',
    description: 'Discharge energy since the start of the step',
  },
  cumulative_charge_capacity_Ah: {
    unit: 'Ah',
    kind: 'float',
    bdf: 'cumulative_charging_capacity_ah',
    description: 'Charge capacity since the start of the test',
  },
  cumulative_discharge_capacity_Ah: {
    unit: 'Ah',
    kind: 'float',
    bdf: 'cumulative_discharging_capacity_ah',
    description: 'Discharge capacity since the start of the test',
  },
  cumulative_charge_energy_Wh: {
    unit: 'Wh',
    kind: 'float',
    bdf: 'cumulative_charging_energy_wh',
    description: 'Charge energy since the start of the test',
  },
  cumulative_discharge_energy_Wh: {
    unit: 'Wh',
    kind: 'float',
    bdf: 'cumulative_discharging_energy_wh',
    description: 'Discharge energy since the start of the test',
  },
  net_capacity_Ah: {
    unit: 'Ah',
    kind: 'float',
    bdf: 'net_capacity_ah',
    description: 'Net charge passed (charge minus discharge)',
  },
  temperature_degC: {
    unit: 'degC',
    kind: 'float',
    bdf: 'surface_temperature_celsius',
    description: 'Cell (surface) temperature',
  },
  ambient_temperature_degC: {
    unit: 'degC',
    kind: 'float',
    bdf: 'ambient_temperature_celsius',
    description: 'Ambient or chamber temperature',
  },
  dc_resistance_Ohm: {
    unit: 'Ohm',
    kind: 'float',
    bdf: 'dc_internal_resistance_ohm',
    description: 'DC internal resistance reported by the instrument',
  },
  ac_impedance_Ohm: {
    unit: 'Ohm',
    kind: 'float',
    bdf: 'absolute_impedance_ohm',
    description: 'AC impedance magnitude reported by a cycler',
  },
  frequency_Hz: { unit: 'Hz', kind: 'float', bdf: 'frequency_hertz', description: 'Impedance frequency' },
  z_real_Ohm: {
    unit: 'Ohm',
    kind: 'float',
    bdf: 'real_impedance_ohm',
    description: 'Real part of the impedance',
  },
  z_imag_Ohm: {
    unit: 'Ohm',
    kind: 'float',
    bdf: 'imaginary_impedance_ohm',
    description: 'Imaginary part of the impedance (negative when capacitive)',
  },
  z_mod_Ohm: {
    unit: 'Ohm',
    kind: 'float',
    bdf: 'absolute_impedance_ohm',
    description: 'Impedance modulus |Z|',
  },
  z_phase_deg: {
    unit: 'deg',
    kind: 'float',
    bdf: 'phase_angle_degree',
    description: 'Impedance phase angle',
  },
  ewe_V: {
    unit: 'V',
    kind: 'float',
    bdf: 'working_electrode_potential_volt',
    description: 'Working-electrode potential (potentiostats)',
  },
  ece_V: {
    unit: 'V',
    kind: 'float',
    bdf: 'counter_electrode_potential_volt',
    description: 'Counter-electrode potential (potentiostats)',
  },
} as const satisfies Record<string, ChannelSpec>;

export type CanonicalChannel = keyof typeof CHANNELS;

/** Prefixes of auxiliary channels, each followed by a 1-based number and the unit suffix. */
export const AUX_PATTERNS: readonly { re: RegExp; unit: string }[] = [
  { re: /^aux_temperature_\d+_degC$/, unit: 'degC' },
  { re: /^aux_voltage_\d+_V$/, unit: 'V' },
  { re: /^aux_pressure_\d+_Pa$/, unit: 'Pa' },
  { re: /^aux_humidity_\d+_pct$/, unit: '%' },
  { re: /^aux_[a-z0-9_]+_degC_per_s$/, unit: 'degC/s' },
  { re: /^aux_[a-z0-9_]+$/, unit: '' },
];

/** True when `name` is one of the canonical channels. */
export function isCanonicalChannel(name: string): name is CanonicalChannel {
  return Object.prototype.hasOwnProperty.call(CHANNELS, name);
}

/** The unit of a canonical or auxiliary channel ('' when unknown). */
export function unitOf(name: string): string {
  if (isCanonicalChannel(name)) return CHANNELS[name].unit;
  for (const p of AUX_PATTERNS) if (p.re.test(name)) return p.unit;
  return '';
}
