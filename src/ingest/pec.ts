import {
  DiscernError,
  createFrame,
  parseDateTime,
  toUnixS,
  type DataWarning,
  type StartTime,
} from '../core/index.js';
import { auxColumn, headerKey, splitHeader } from './arbin/columns.js';
import { readTextTable, type TextColumnPlan } from './arbin/text-table.js';
import { decodeText, splitDelimited, splitLines } from './text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from './types.js';
import { lookupUnit } from './units.js';

const HEADER_RE = /^\uFEFF?"?Test"?,"?Cell"?,"?Rack"?,"?Shelf"?,"?Position"?,/;

/** Columns that identify the cell and its place; their first value goes to the header. */
const IDENTITY: Record<string, string> = {
  test: 'Test',
  cell: 'Cell',
  rack: 'Rack',
  shelf: 'Shelf',
  position: 'Position',
  cell_id: 'Cell ID',
  position_start_time: 'Position Start Time',
};

type Quantity = 'time' | 'date' | 'counter' | 'label' | 'float';
interface Entry {
  channel: string;
  quantity: Quantity;
  /** Canonical unit (for floats and times). */
  unit?: string;
}

const COLUMNS: Record<string, Entry> = {
  step: { channel: 'step_index', quantity: 'counter' },
  instruction_name: { channel: 'step_type', quantity: 'label' },
  cycle: { channel: 'cycle_index', quantity: 'counter' },
  total_time: { channel: 'test_time_s', quantity: 'time' },
  load_on_time: { channel: 'aux_load_on_time_s', quantity: 'time' },
  step_time: { channel: 'step_time_s', quantity: 'time' },
  cycle_charge_time: { channel: 'aux_cycle_charge_time_s', quantity: 'time' },
  cycle_discharge_time: { channel: 'aux_cycle_discharge_time_s', quantity: 'time' },
  real_time: { channel: 'unix_time_s', quantity: 'date' },
  voltage: { channel: 'voltage_V', quantity: 'float', unit: 'V' },
  current: { channel: 'current_A', quantity: 'float', unit: 'A' },
  // Older exports call the energy "Charge Capacity (mWh)": the unit decides (see `capacityOrEnergy`).
  charge_capacity: { channel: 'charge_capacity_Ah', quantity: 'float', unit: 'Ah' },
  discharge_capacity: { channel: 'discharge_capacity_Ah', quantity: 'float', unit: 'Ah' },
  charge_energy: { channel: 'charge_energy_Wh', quantity: 'float', unit: 'Wh' },
  discharge_energy: { channel: 'discharge_energy_Wh', quantity: 'float', unit: 'Wh' },
  internal_resistance_1: { channel: 'dc_resistance_Ohm', quantity: 'float', unit: 'Ohm' },
  ac_internal_resistance: { channel: 'ac_impedance_Ohm', quantity: 'float', unit: 'Ohm' },
  ambient_temperature: { channel: 'ambient_temperature_degC', quantity: 'float', unit: 'degC' },
  cell_surface_temperature: { channel: 'temperature_degC', quantity: 'float', unit: 'degC' },
  temp: { channel: 'temperature_degC', quantity: 'float', unit: 'degC' },
};

/** PEC columns kept as auxiliary channels on purpose (no "unknown column" warning). */
const KNOWN_AUX = new Set([
  'reasoncode',
  '50%_dod',
  '50%_dod_vs_crate',
  'peakpower_1',
  'peakpower_2',
  'open_circuit_voltage_1',
  'open_circuit_voltage_2',
  'internal_resistance_2',
  'dc_internal_resistance',
  'station_temperature',
  'coulombic_efficiency',
  'charge_energy_density',
  'discharge_energy_density',
]);

function capacityOrEnergy(key: string, unit: string | undefined): string {
  const canonical = unit !== undefined ? lookupUnit(unit)?.canonical : undefined;
  if (canonical === 'Wh' && key.endsWith('_capacity')) return key.replace(/_capacity$/, '_energy');
  return key;
}

function plan(
  headers: readonly string[],
  file: string,
  line: number,
): { plans: TextColumnPlan[]; identity: Map<number, string>; unknown: string[] } {
  const plans: TextColumnPlan[] = [];
  const identity = new Map<number, string>();
  const unknown: string[] = [];
  const seen = new Set<string>();
  headers.forEach((h, index) => {
    const label = h.trim();
    if (label === '') return;
    const { name, unit } = splitHeader(label);
    const key0 = headerKey(name);
    if (IDENTITY[key0] !== undefined) {
      identity.set(index, IDENTITY[key0]);
      return;
    }
    const key = capacityOrEnergy(key0, unit);
    const e = COLUMNS[key];
    let p: TextColumnPlan;
    if (e === undefined) {
      if (!KNOWN_AUX.has(key)) unknown.push(label);
      p = { index, label, ...auxColumn(name, unit), kind: KNOWN_AUX.has(key) ? 'float' : 'auto' };
    } else if (e.quantity === 'counter' || e.quantity === 'label' || e.quantity === 'date') {
      p = {
        index,
        label,
        channel: e.channel,
        unit: e.quantity === 'counter' ? '1' : e.quantity === 'date' ? 's' : '',
        kind: e.quantity,
      };
    } else if (e.quantity === 'time' && unit !== undefined && /hh:mm:ss/i.test(unit)) {
      p = { index, label, channel: e.channel, unit: 's', kind: 'duration' };
    } else {
      const target = e.unit ?? 's';
      const conv =
        unit === undefined
          ? { canonical: target, factor: 1, offset: 0 }
          : /^(°|º)?c$/i.test(unit) && target === 'degC'
            ? { canonical: 'degC', factor: 1, offset: 0 }
            : lookupUnit(unit);
      if (conv === undefined || conv.canonical !== target) {
        throw new DiscernError(
          'DISCERN_UNKNOWN_COLUMN',
          `PEC column "${label}": unit "${unit}" does not fit ${e.channel}`,
          {
            file,
            line,
            column: label,
          },
        );
      }
      p = {
        index,
        label,
        channel: e.channel,
        unit: target,
        kind: 'float',
        factor: conv.factor,
        offset: conv.offset,
      };
    }
    if (seen.has(p.channel)) {
      throw new DiscernError('DISCERN_PARSE_BAD_HEADER', `two columns map to ${p.channel}`, {
        file,
        line,
        column: label,
      });
    }
    seen.add(p.channel);
    plans.push(p);
  });
  for (const r of ['test_time_s', 'voltage_V', 'current_A']) {
    if (!seen.has(r)) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', `no column maps to ${r} (a PEC file needs it)`, {
        file,
        line,
        column: r,
      });
    }
  }
  return { plans, identity, unknown };
}

/**
 * PEC cycler CSV exports (SBT/ACT testers): key-value metadata lines (`Test:,187`, `TestRegime
 * Name:,...`, `Start Time:,02/22/2019 16:21:35`, an optional `#RESULTS CHECK` block), then the
 * header `Test,Cell,Rack,Shelf,Position,...` and the records. Units come from the headers (mV/V,
 * mA/A, mAh, mWh; older files name the energy "Charge Capacity (mWh)"); times are seconds or
 * `hh:mm:ss.xxx`. PEC current is signed, negative on discharge, and kept as is. `Cycle` is kept as
 * the file numbers it (from 0; cellpy adds 1). Dates are naive local times read in
 * `options.timeZone` (UTC and DISCERN_TZ_ASSUMED when absent), month/day/year unless the data says
 * otherwise. A file with several cells gives the first cell's records and a note.
 * @throws DISCERN_PARSE_BAD_HEADER (no `Test,Cell,...` header), DISCERN_MISSING_COLUMN,
 * DISCERN_NO_DATA, DISCERN_PARSE_TRUNCATED, DISCERN_PARSE_BAD_VALUE.
 */
export const pecReader: FormatReader = {
  id: 'pec-csv',
  vendor: 'PEC',
  description: 'PEC cycler CSV export',
  binary: false,
  sniff(input: SniffInput): number {
    const t = input.headText.replace(/^\xef\xbb\xbf/, '');
    const header = /^"?Test"?,"?Cell"?,"?Rack"?,"?Shelf"?,"?Position"?,/m.test(t);
    if (header && /^(Request Year|Test):,/m.test(t)) return 1;
    return header ? 0.8 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    const headerLine = lines.findIndex((l) => HEADER_RE.test(l));
    if (headerLine < 0) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        'no "Test,Cell,Rack,Shelf,Position,..." header line',
        {
          file: file.name,
        },
      );
    }
    const header: Record<string, string> = {};
    let inBlock = false;
    for (const l of lines.slice(0, headerLine)) {
      if (/^#END\b/i.test(l)) inBlock = false;
      else if (l.startsWith('#')) inBlock = true;
      else if (!inBlock) {
        const m = /^([^,]+?):\s*,?(.*)$/.exec(l);
        if (m !== null) header[m[1]!.trim()] = m[2]!.replace(/,+$/, '').trim();
      }
    }
    const { plans, identity, unknown } = plan(
      splitDelimited(lines[headerLine]!, ','),
      file.name,
      headerLine + 1,
    );
    const cellIndex = [...identity].find(([, name]) => name === 'Cell')?.[0];
    const firstRow = lines.slice(headerLine + 1).find((l) => l.trim() !== '');
    const firstCells = firstRow !== undefined ? splitDelimited(firstRow, ',') : [];
    const cell = cellIndex !== undefined ? firstCells[cellIndex]?.trim() : undefined;
    const otherCells = new Set<string>();
    const table = readTextTable({
      file: file.name,
      lines,
      first: headerLine + 1,
      split: (l) => splitDelimited(l, ','),
      plans,
      timeZone: options.timeZone,
      defaultOrder: 'MDY',
      ...(cellIndex !== undefined
        ? {
            keep: (cells: readonly string[]) => {
              const c = cells[cellIndex]?.trim() ?? '';
              if (c === cell) return true;
              otherCells.add(c);
              return false;
            },
          }
        : {}),
    });
    const warnings: DataWarning[] = [...decoded.warnings, ...table.warnings];
    if (unknown.length > 0) {
      warnings.push({
        code: 'DISCERN_COLUMN_IGNORED',
        message: `column(s) not in the PEC table, kept as auxiliary channels: ${unknown.join(', ')}`,
        count: unknown.length,
      });
    }
    if (otherCells.size > 0) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `the file holds other cells (${[...otherCells].join(', ')}); only cell ${cell} was read`,
      });
    }
    for (const [index, name] of identity) {
      const v = firstCells[index]?.trim();
      if (v !== undefined && v !== '' && header[name] === undefined) header[name] = v;
    }
    const timeZone = options.timeZone ?? 'UTC';
    let startTime: StartTime | undefined;
    const start =
      header['Start Time'] !== undefined
        ? parseDateTime(header['Start Time'], table.dateOrder ?? 'MDY')
        : undefined;
    if (start !== undefined)
      startTime = { unixS: toUnixS(start, timeZone), timeZone, assumed: options.timeZone === undefined };
    const place = ['Rack', 'Shelf', 'Position'].map((k) => header[k]).filter((v) => v !== undefined);
    return createFrame({
      columns: table.columns,
      meta: {
        vendor: 'PEC',
        format: 'pec-csv',
        sourceFile: file.name,
        header,
        warnings,
        ...(place.length > 0 ? { channel: place.join('/') } : {}),
        ...(startTime !== undefined ? { startTime } : {}),
      },
    });
  },
};
