import {
  createFrame,
  DiscernError,
  type ColumnInput,
  type DataWarning,
  type Frame,
} from '../../core/index.js';
import { counterFromFloat } from '../checks.js';
import type { PandasColumn, PandasFixedFrame } from './pandas-fixed.js';

/** The pandas key under which Indigo writes its time series. */
export const INDIGO_KEY = 'time_series_data';

const J_PER_WH = 3600;
const C_PER_AH = 3600;

/** Indigo columns read as a canonical channel, with the factor to the canonical unit. */
const DIRECT: Readonly<Record<string, readonly [channel: string, factor: number]>> = {
  time_s: ['test_time_s', 1],
  system_time_us: ['unix_time_s', 1e-6],
  cell_voltage_v: ['voltage_V', 1],
  cell_current_a: ['current_A', 1],
  cell_power_w: ['power_W', 1],
  cell_temperature_c: ['temperature_degC', 1],
};

/** Integer columns kept as auxiliary counters. */
const COUNTERS: Readonly<Record<string, string>> = {
  half_cycle_count: 'aux_half_cycle_count',
  experiment_count: 'aux_experiment_count',
  experiment_type: 'aux_experiment_type',
};

const HANDLED = new Set([
  ...Object.keys(DIRECT),
  ...Object.keys(COUNTERS),
  'cell_id',
  'cycle_count',
  'cell_coulomb_count_c',
  'cell_energy_j',
]);

/** ISO 8601 UTC with microseconds, as Python's `datetime.isoformat()` prints an aware UTC time. */
function isoMicros(us: number): string {
  const s = Math.floor(us / 1e6);
  const frac = Math.round(us - s * 1e6);
  return `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(frac).padStart(6, '0')}+00:00`;
}

/**
 * Charge and discharge energy (Wh, non-negative, per half cycle) from Indigo's signed energy
 * counter (J), which restarts at every change of the half-cycle count but not when the current
 * changes direction inside one: each row adds its increment to the charge energy when positive
 * and to the discharge energy when negative.
 */
function energiesFromNet(net: Float64Array, half: Float64Array): [Float64Array, Float64Array] {
  const n = net.length;
  const charge = new Float64Array(n);
  const discharge = new Float64Array(n);
  let c = 0;
  let d = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const e = net[i]!;
    if (i === 0 || half[i] !== half[i - 1]) {
      c = 0;
      d = 0;
      prev = 0;
    }
    if (Number.isFinite(e)) {
      const inc = e - prev;
      if (inc > 0) c += inc;
      else d -= inc;
      prev = e;
    }
    charge[i] = c / J_PER_WH;
    discharge[i] = d / J_PER_WH;
  }
  return [charge, discharge];
}

/**
 * Maps an Indigo time-series frame (pandas fixed format, as read by `readPandasFixedFrame`) to a
 * Frame: time_s -> test_time_s, system_time_us (UTC) -> unix_time_s, current (already positive on
 * charge), voltage, power, temperature; the signed coulomb count (C, restarts with every half
 * cycle and every change of current direction) -> charge/discharge capacity by its sign; the
 * signed energy (J) -> charge/discharge energy by the sign of its increments.
 * @throws DISCERN_MISSING_COLUMN without time_s, cell_voltage_v or cell_current_a;
 *   DISCERN_NO_DATA for a frame without rows; DISCERN_PARSE_BAD_VALUE when rows of more than one
 *   cell_id are mixed.
 */
export function indigoFrame(frame: PandasFixedFrame, file: string): Frame {
  const col = new Map<string, PandasColumn>(frame.columns.map((c) => [c.name, c]));
  for (const need of ['time_s', 'cell_voltage_v', 'cell_current_a']) {
    if (!col.has(need)) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', `Indigo time series has no ${need} column`, {
        file,
        column: need,
      });
    }
  }
  const n = frame.rows;
  if (n === 0) throw new DiscernError('DISCERN_NO_DATA', 'the Indigo time series has no rows', { file });
  const warnings: DataWarning[] = [];
  const columns: Record<string, ColumnInput> = {};
  for (const [name, [channel, factor]] of Object.entries(DIRECT)) {
    const c = col.get(name);
    if (c === undefined) continue;
    const v = factor === 1 ? c.values : c.values.map((x) => x * factor);
    columns[channel] = { values: v, source: name };
  }
  const cycles = col.get('cycle_count');
  if (cycles !== undefined) {
    const r = counterFromFloat(cycles.values, 'cycle_index');
    columns['cycle_index'] = { values: r.values, source: 'cycle_count' };
    warnings.push(...r.warnings);
  }
  const q = col.get('cell_coulomb_count_c');
  if (q !== undefined) {
    const chg = new Float64Array(n);
    const dis = new Float64Array(n);
    const net = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ah = q.values[i]! / C_PER_AH;
      net[i] = ah;
      chg[i] = ah > 0 ? ah : Number.isNaN(ah) ? NaN : 0;
      dis[i] = ah < 0 ? -ah : Number.isNaN(ah) ? NaN : 0;
    }
    columns['charge_capacity_Ah'] = { values: chg, source: 'cell_coulomb_count_c' };
    columns['discharge_capacity_Ah'] = { values: dis, source: 'cell_coulomb_count_c' };
    columns['aux_coulomb_count_Ah'] = { values: net, unit: 'Ah', source: 'cell_coulomb_count_c' };
  }
  const energy = col.get('cell_energy_j');
  if (energy !== undefined) {
    const half = col.get('half_cycle_count');
    if (half !== undefined) {
      const [chg, dis] = energiesFromNet(energy.values, half.values);
      columns['charge_energy_Wh'] = { values: chg, source: 'cell_energy_j' };
      columns['discharge_energy_Wh'] = { values: dis, source: 'cell_energy_j' };
    }
    const net = energy.values.map((x) => x / J_PER_WH);
    columns['aux_net_energy_Wh'] = { values: net, unit: 'Wh', source: 'cell_energy_j' };
  }
  for (const [name, channel] of Object.entries(COUNTERS)) {
    const c = col.get(name);
    if (c === undefined) continue;
    columns[channel] = { values: Int32Array.from(c.values, (x) => Math.round(x)), unit: '1', source: name };
  }
  for (const c of frame.columns) {
    if (HANDLED.has(c.name)) continue;
    const channel = `aux_${c.name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
    columns[channel] = { values: c.values, source: c.name };
    warnings.push({
      code: 'DISCERN_COLUMN_IGNORED',
      message: `Indigo column ${c.name} is kept as ${channel}`,
      channel,
    });
  }

  const header: Record<string, string> = { filename: file, hdf5_key: INDIGO_KEY };
  for (const k of ['pandas_version', 'pandas_type']) {
    const a = frame.attrs[k];
    if (a !== undefined) header[k] = String(a);
  }
  const ids = col.get('cell_id');
  if (ids !== undefined) {
    const first = ids.values[0]!;
    for (let i = 1; i < n; i++) {
      if (ids.values[i] !== first) {
        throw new DiscernError(
          'DISCERN_PARSE_BAD_VALUE',
          `rows of cell ${first} and cell ${ids.values[i]} are mixed (row ${i}); discern reads one cell per file`,
          { file, column: 'cell_id' },
        );
      }
    }
    header['indigo_cell_id'] = String(first);
  }
  // beep's start_datetime: the earliest system time of the file (UTC).
  let startUs = Infinity;
  const sys = col.get('system_time_us');
  if (sys !== undefined) {
    for (let i = 0; i < n; i++) if (sys.values[i]! < startUs) startUs = sys.values[i]!;
    if (Number.isFinite(startUs)) header['start_datetime'] = isoMicros(startUs);
  }
  const t = col.get('time_s')!.values;
  let badTime = 0;
  let firstBad = -1;
  for (let i = 0; i < n; i++) {
    if (!(t[i]! >= 0) || !Number.isFinite(t[i]!)) {
      if (badTime === 0) firstBad = i;
      badTime++;
    }
  }
  if (badTime > 0) {
    warnings.push({
      code: 'DISCERN_NAN_VALUES',
      message: `time_s is missing, infinite or negative in ${badTime} row(s), first at row ${firstBad}`,
      channel: 'test_time_s',
      row: firstBad,
      count: badTime,
    });
  }
  return createFrame({
    columns,
    meta: {
      vendor: 'Indigo',
      format: 'indigo-hdf5',
      technique: 'cycling',
      ...(Number.isFinite(startUs)
        ? { startTime: { unixS: startUs / 1e6, timeZone: 'UTC', assumed: false } }
        : {}),
      header,
      warnings,
    },
  });
}
