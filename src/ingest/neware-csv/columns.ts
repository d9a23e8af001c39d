import { auxName, slug, unitPlan, type ColumnPlan } from '../bdf/table.js';

/**
 * What a Neware BTSDA export column is for. `capacity` and `energy` are BTSDA's unsigned per-step
 * values, split into charge and discharge by the step direction. Columns derived from others
 * (specific capacity per gram, dQ/dV) and bookkeeping (record number, relay state) are not read.
 */
export type NewareRole = 'channel' | 'capacity' | 'energy';

/** The plan of one BTSDA column: a table column plan plus what the column is for. */
export interface NewarePlan extends ColumnPlan {
  readonly role: NewareRole;
  /** True when the column is not a known BTSDA column and is kept as `aux_*`. */
  readonly unknown?: boolean;
}

/** Known BTSDA column names (lower case, without the unit in parentheses). */
const NAMES: Readonly<
  Record<string, { channel?: string; role?: NewareRole | 'skip'; kind?: 'duration' | 'datetime' }>
> = {
  'cycle index': { channel: 'cycle_index' },
  'cycle id': { channel: 'cycle_index' },
  'step index': { channel: 'step_index' },
  'step id': { channel: 'step_index' },
  'step number': { channel: 'step_count' },
  'step type': { channel: 'step_type' },
  status: { channel: 'step_type' },
  time: { channel: 'step_time_s', kind: 'duration' },
  'step time': { channel: 'step_time_s', kind: 'duration' },
  'relative time': { channel: 'step_time_s', kind: 'duration' },
  'total time': { channel: 'test_time_s', kind: 'duration' },
  'cumulative time': { channel: 'test_time_s', kind: 'duration' },
  'test time': { channel: 'test_time_s', kind: 'duration' },
  date: { channel: 'unix_time_s', kind: 'datetime' },
  realtime: { channel: 'unix_time_s', kind: 'datetime' },
  'real time': { channel: 'unix_time_s', kind: 'datetime' },
  'absolute time': { channel: 'unix_time_s', kind: 'datetime' },
  current: { channel: 'current_A' },
  voltage: { channel: 'voltage_V' },
  power: { channel: 'power_W' },
  capacity: { role: 'capacity' },
  'chg. cap.': { channel: 'charge_capacity_Ah' },
  'dchg. cap.': { channel: 'discharge_capacity_Ah' },
  energy: { role: 'energy' },
  'chg. energy': { channel: 'charge_energy_Wh' },
  'dchg. energy': { channel: 'discharge_energy_Wh' },
  'contact resistance': { channel: 'aux_contact_resistance_Ohm' },
  dcir: { channel: 'dc_resistance_Ohm' },
  cpu: { channel: 'aux_cpu_temperature_degC' },
  datapoint: { role: 'skip' },
  'record id': { role: 'skip' },
  'record index': { role: 'skip' },
  'spec. cap.': { role: 'skip' },
  'chg. spec. cap.': { role: 'skip' },
  'dchg. spec. cap.': { role: 'skip' },
  'spec. energy': { role: 'skip' },
  'chg. spec. energy': { role: 'skip' },
  'dchg. spec. energy': { role: 'skip' },
  'dq/dv': { role: 'skip' },
  'dqm/dv': { role: 'skip' },
  'module start-stop switch': { role: 'skip' },
  'step start and end identification': { role: 'skip' },
  lgd: { role: 'skip' },
};

const NAME_UNIT = /^(.*?)\s*\(([^()]*)\)\s*$/;

/**
 * The plan of one BTSDA column ("Current(µA)", "T1(℃)", "T1(?)", "Total Time"): canonical channel,
 * unit conversion and role; undefined for columns that are not read (empty header, derived or
 * bookkeeping columns). Time columns are durations (`h:mm:ss`, hours may pass 24); a time
 * column whose parenthesis holds a format ("Time(h:min:s.ms)") is read the same way.
 * @throws DISCERN_UNKNOWN_COLUMN when a known column's unit does not fit it (e.g. "Voltage(mA)").
 */
export function planNewareColumn(index: number, header: string, file: string): NewarePlan | undefined {
  const label = header.trim();
  if (label === '') return undefined;
  const m = NAME_UNIT.exec(label);
  const name = (m !== null ? m[1]! : label).trim();
  const key = name.toLowerCase();
  const rawUnit = m !== null ? m[2]! : '';
  const known = NAMES[key];
  if (known?.role === 'skip') return undefined;
  if (known?.role === 'capacity' || known?.role === 'energy') {
    const target = known.role === 'capacity' ? 'charge_capacity_Ah' : 'charge_energy_Wh';
    const p = unitPlan(index, label, target, rawUnit, file);
    return { ...p, channel: `${known.role}_${index}`, role: known.role };
  }
  if (known?.channel !== undefined) {
    if (known.kind === 'datetime')
      return { index, label, channel: known.channel, unit: 's', kind: 'datetime', role: 'channel' };
    if (known.kind === 'duration') {
      return { index, label, channel: known.channel, unit: 's', kind: 'duration', role: 'channel' };
    }
    return { ...unitPlan(index, label, known.channel, rawUnit, file), role: 'channel' };
  }
  const t = /^t(\d+)$/i.exec(name);
  if (t !== null) {
    const channel = t[1] === '1' ? 'temperature_degC' : `aux_temperature_${t[1]}_degC`;
    return { ...unitPlan(index, label, channel, rawUnit || 'degC', file), role: 'channel' };
  }
  const v = /^v(\d+)$/i.exec(name);
  if (v !== null)
    return { ...unitPlan(index, label, `aux_voltage_${v[1]}_V`, rawUnit || 'V', file), role: 'channel' };
  const base = slug(name.replace(/\?/g, ' delta ')).replace(/^aux_/, '') || `column_${index + 1}`;
  const p = unitPlan(index, label, `aux_${base}`, rawUnit, file, 'auto');
  return {
    ...p,
    channel: auxName(base, p.unit),
    role: 'channel',
    unknown: true,
  };
}

/**
 * Plans for a whole header row. A channel claimed twice keeps its first column; later ones become
 * `<channel>_2`, ... auxiliaries.
 */
export function planNewareHeader(headers: readonly string[], file: string): NewarePlan[] {
  const out: NewarePlan[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < headers.length; i++) {
    const p = planNewareColumn(i, headers[i]!, file);
    if (p === undefined) continue;
    let channel = p.channel;
    if (taken.has(channel)) {
      const base = channel.startsWith('aux_') ? channel : `aux_${slug(p.label)}`;
      channel = base;
      for (let k = 2; taken.has(channel); k++) channel = `${base}_${k}`;
    }
    taken.add(channel);
    out.push(channel === p.channel ? p : { ...p, channel, unknown: true });
  }
  return out;
}
