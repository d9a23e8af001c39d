import {
  DiscernError,
  createFrame,
  parseDateTime,
  toUnixS,
  type DataWarning,
  type StartTime,
} from '../core/index.js';
import { auxColumn, headerKey, splitHeader } from './arbin/columns.js';
import { readTextTable, type TextCellKind, type TextColumnPlan } from './arbin/text-table.js';
import { decodeText, splitDelimited, splitLines } from './text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from './types.js';
import { lookupUnit } from './units.js';

/** Novonix "Step Type" codes (beep's table; 1/2 are CC, 7/8 and 9/10 the CC and CV parts of CC-CV). */
const STEP_TYPES: Record<string, string> = {
  '0': 'rest',
  '1': 'cc_charge',
  '2': 'cc_discharge',
  '7': 'cccv_charge',
  '8': 'cv_hold_charge',
  '9': 'cccv_discharge',
  '10': 'cv_hold_discharge',
};

interface Entry {
  channel: string;
  unit: string;
  kind: TextCellKind;
  /** Default unit of the column when the header has none. */
  from?: string;
}

const COLUMNS: Record<string, Entry> = {
  date_and_time: { channel: 'unix_time_s', unit: 's', kind: 'date' },
  cycle_number: { channel: 'cycle_index', unit: '1', kind: 'counter' },
  step_type: { channel: 'step_type', unit: '', kind: 'label' },
  run_time: { channel: 'test_time_s', unit: 's', kind: 'float', from: 'h' },
  step_time: { channel: 'step_time_s', unit: 's', kind: 'float', from: 'h' },
  current: { channel: 'current_A', unit: 'A', kind: 'float' },
  potential: { channel: 'voltage_V', unit: 'V', kind: 'float' },
  capacity: { channel: 'net_capacity_Ah', unit: 'Ah', kind: 'float' },
  temperature: { channel: 'temperature_degC', unit: 'degC', kind: 'float' },
  circuit_temperature: { channel: 'aux_circuit_temperature_degC', unit: 'degC', kind: 'float' },
  energy: { channel: 'aux_net_energy_Wh', unit: 'Wh', kind: 'float' },
  power: { channel: 'power_W', unit: 'W', kind: 'float' },
  step_number: { channel: 'step_index', unit: '1', kind: 'counter' },
  step_position: { channel: 'aux_step_position', unit: '', kind: 'float' },
  // Some software versions label these "dVdt (I/h)" and "dIdt (V/h)": the names are right, the units swapped.
  dvdt: { channel: 'aux_dvdt_V_per_h', unit: 'V/h', kind: 'float' },
  didt: { channel: 'aux_didt_A_per_h', unit: 'A/h', kind: 'float' },
};

const REQUIRED = ['test_time_s', 'voltage_V', 'current_A'] as const;

/** A data line may be wrapped in quotes as a whole ("a,b,c"); then the quotes are dropped. */
function cellsOf(line: string): string[] {
  const cells = splitDelimited(line, ',');
  if (cells.length === 1 && line.trimStart().startsWith('"') && cells[0]!.includes(',')) {
    return splitDelimited(cells[0]!, ',');
  }
  return cells;
}

function plan(
  headers: readonly string[],
  file: string,
  line: number,
): { plans: TextColumnPlan[]; ignored: string[] } {
  const plans: TextColumnPlan[] = [];
  const ignored: string[] = [];
  const seen = new Set<string>();
  headers.forEach((h, index) => {
    const label = h.trim();
    if (label === '') return;
    const { name, unit } = splitHeader(label);
    const e = COLUMNS[headerKey(name)];
    let p: TextColumnPlan;
    if (e === undefined) {
      ignored.push(label);
      p = { index, label, ...auxColumn(name, unit), kind: 'auto' };
    } else if (e.kind !== 'float' || e.unit.includes('/') || e.unit === '') {
      p = { index, label, channel: e.channel, unit: e.unit, kind: e.kind };
    } else {
      const u = unit ?? e.from;
      const conv = u === undefined ? { factor: 1, offset: 0, canonical: e.unit } : lookupUnit(u);
      if (conv === undefined || conv.canonical !== e.unit) {
        throw new DiscernError(
          'DISCERN_UNKNOWN_COLUMN',
          `Novonix column "${label}": unit "${u}" does not fit ${e.channel}`,
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
        unit: e.unit,
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
    plans.push(e?.channel === 'step_type' ? { ...p, mapLabel: (t) => STEP_TYPES[t] ?? `type_${t}` } : p);
  });
  for (const r of REQUIRED) {
    if (!seen.has(r)) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', `no column maps to ${r} (a Novonix file needs it)`, {
        file,
        line,
        column: r,
      });
    }
  }
  return { plans, ignored };
}

/**
 * Novonix HPC / UHPC CSV exports: a `[Summary]` section (channel, cell, protocol, start time,
 * software version), an optional `[Protocol]` section, then `[Data]` with one header line and the
 * records (older versions wrap every data line in quotes). `Run Time (h)` becomes test_time_s;
 * `Step Number` is the step index and `Step Type` the step type (0 rest, 1 CC charge, 2 CC
 * discharge, 7/8 CC-CV charge, 9/10 CC-CV discharge). Novonix current is signed, negative on
 * discharge, so it is kept as is. `Capacity (Ah)` is the net charge since the cycle began and goes
 * to net_capacity_Ah; charge and discharge capacities are integrated from the current. Dates are
 * naive local times read in `options.timeZone` (UTC and DISCERN_TZ_ASSUMED when absent).
 * @throws DISCERN_MISSING_COLUMN, DISCERN_PARSE_BAD_HEADER (no data header), DISCERN_NO_DATA,
 * DISCERN_PARSE_TRUNCATED, DISCERN_PARSE_BAD_VALUE.
 */
export const novonixReader: FormatReader = {
  id: 'novonix-csv',
  vendor: 'Novonix',
  description: 'Novonix HPC CSV export',
  binary: false,
  sniff(input: SniffInput): number {
    const t = input.headText.replace(/^\xef\xbb\xbf/, '');
    if (/^\[Summary\]\s*[\r\n]+Novonix/.test(t)) return 1;
    if (/^"?Date and Time,Cycle Number,Step Type,Run Time \(h\)/m.test(t)) return 0.9;
    return 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    const header: Record<string, string> = {};
    let instrument: string | undefined;
    let headerLine = -1;
    let section = '';
    for (let i = 0; i < lines.length && i < 2000; i++) {
      const line = lines[i]!.trim();
      const tag = /^\[([^\]:]+)\]$/.exec(line)?.[1];
      if (tag !== undefined) {
        section = tag;
        if (tag === 'Data') {
          headerLine = i + 1;
          break;
        }
        continue;
      }
      if (/^"?Date and Time,/.test(line)) {
        headerLine = i;
        break;
      }
      if (section === 'Summary') {
        const kv = /^([^:]+):\s*(.*)$/.exec(line);
        if (kv !== null) header[kv[1]!.trim()] = kv[2]!.trim();
        else if (/data file$/i.test(line)) instrument = line.replace(/\s*data file$/i, '');
      }
    }
    const headerText = headerLine >= 0 ? lines[headerLine] : undefined;
    if (headerText === undefined || headerText.trim() === '') {
      throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'no [Data] section with a header line', {
        file: file.name,
      });
    }
    const { plans, ignored } = plan(cellsOf(headerText), file.name, headerLine + 1);
    const table = readTextTable({
      file: file.name,
      lines,
      first: headerLine + 1,
      split: cellsOf,
      plans,
      timeZone: options.timeZone,
      defaultOrder: 'MDY',
      stop: (l) => /^\s*\[/.test(l),
    });
    const warnings: DataWarning[] = [...decoded.warnings, ...table.warnings];
    if (ignored.length > 0) {
      warnings.push({
        code: 'DISCERN_COLUMN_IGNORED',
        message: `column(s) not in the Novonix table, kept as auxiliary channels: ${ignored.join(', ')}`,
        count: ignored.length,
      });
    }
    const timeZone = options.timeZone ?? 'UTC';
    let startTime: StartTime | undefined;
    const started =
      header['Started'] !== undefined
        ? parseDateTime(header['Started'], table.dateOrder ?? 'MDY')
        : undefined;
    if (started !== undefined)
      startTime = { unixS: toUnixS(started, timeZone), timeZone, assumed: options.timeZone === undefined };
    else {
      const t = table.columns['unix_time_s']?.values;
      const first = t instanceof Float64Array ? t.find((v) => Number.isFinite(v)) : undefined;
      if (first !== undefined)
        startTime = { unixS: first, timeZone, assumed: options.timeZone === undefined };
    }
    return createFrame({
      columns: table.columns,
      meta: {
        vendor: 'Novonix',
        format: 'novonix-csv',
        sourceFile: file.name,
        header,
        warnings,
        ...(instrument !== undefined ? { instrument } : {}),
        ...(header['Version'] !== undefined ? { softwareVersion: header['Version'] } : {}),
        ...(header['Channel'] !== undefined ? { channel: header['Channel'] } : {}),
        ...(startTime !== undefined ? { startTime } : {}),
      },
    });
  },
};

/**
 * Recognises the Novonix per-cycle summary that beep keeps beside a data file
 * (`<name>_metadata.csv`: `,Cycle,AverageChargeVoltage,AverageDischargeVoltage,CE,...`), so that it
 * is not mistaken for a time series. It holds one row per cycle, not records; reading it fails with
 * DISCERN_NOT_DATA naming the data file to ingest instead.
 * @throws DISCERN_NOT_DATA always.
 */
export const novonixSummaryReader: FormatReader = {
  id: 'novonix-summary-csv',
  vendor: 'Novonix',
  description: 'Novonix per-cycle summary table (_metadata.csv)',
  binary: false,
  sniff: (input: SniffInput) =>
    /^(\xef\xbb\xbf)?,Cycle,AverageChargeVoltage,AverageDischargeVoltage,/.test(input.headText) ? 0.95 : 0,
  read(file: SourceFile) {
    const data = file.name.replace(/_metadata(\.csv)$/i, '$1');
    throw new DiscernError(
      'DISCERN_NOT_DATA',
      `a Novonix per-cycle summary holds no records; ingest the data file${data !== file.name ? ` ${data}` : ''} instead`,
      { file: file.name },
    );
  },
};
