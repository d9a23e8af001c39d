import {
  DiscernError,
  createFrame,
  parseDateTime,
  toUnixS,
  type CategoryColumn,
  type DataWarning,
} from '../core/index.js';
import { alignCurrentWithStepType } from './bdf/step-type.js';
import { auxName, parseTable, slug, tableColumns, unitPlan, type ColumnPlan } from './bdf/table.js';
import { decodeText, splitDelimited, splitLines } from './text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from './types.js';

/**
 * BaSyTec column names (without unit brackets, lower case) and their channels. Capacity and
 * energy columns marked `magnitude` are written with a sign (discharge negative) and are stored
 * as magnitudes.
 */
const COLUMNS: Readonly<Record<string, { channel: string; magnitude?: boolean; unit?: string }>> = {
  time: { channel: 'test_time_s' },
  't-step': { channel: 'step_time_s' },
  't-set': { channel: 'aux_set_time_s' },
  't-cyc': { channel: 'aux_cycle_time_s' },
  line: { channel: 'step_index' },
  command: { channel: 'step_type' },
  u: { channel: 'voltage_V' },
  i: { channel: 'current_A' },
  p: { channel: 'power_W' },
  ah: { channel: 'net_capacity_Ah' },
  'ah-cyc-charge': { channel: 'charge_capacity_Ah', magnitude: true, unit: 'Ah' },
  'ah-cyc-discharge': { channel: 'discharge_capacity_Ah', magnitude: true, unit: 'Ah' },
  'ah-cyc-charge-0': { channel: 'aux_ah_cyc_charge_0_Ah', unit: 'Ah' },
  'ah-cyc-discharge-0': { channel: 'aux_ah_cyc_discharge_0_Ah', unit: 'Ah' },
  'ah-step': { channel: 'aux_step_net_capacity_Ah', unit: 'Ah' },
  wh: { channel: 'aux_net_energy_Wh' },
  'wh-cyc-charge': { channel: 'charge_energy_Wh', magnitude: true, unit: 'Wh' },
  'wh-cyc-discharge': { channel: 'discharge_energy_Wh', magnitude: true, unit: 'Wh' },
  'wh-cyc-charge-0': { channel: 'aux_wh_cyc_charge_0_Wh', unit: 'Wh' },
  'wh-cyc-discharge-0': { channel: 'aux_wh_cyc_discharge_0_Wh', unit: 'Wh' },
  'wh-step': { channel: 'aux_step_net_energy_Wh', unit: 'Wh' },
  'r-ac': { channel: 'ac_impedance_Ohm', unit: 'Ohm' },
  'r-dc': { channel: 'dc_resistance_Ohm', unit: 'Ohm' },
  'cyc-count': { channel: 'cycle_index' },
  t1: { channel: 'temperature_degC', unit: 'degC' },
  level: { channel: 'aux_level' },
  count: { channel: 'aux_count' },
  state: { channel: 'aux_state' },
};

/** Columns that are not read: the record counter. */
const SKIPPED = new Set(['dataset']);

const NAME_UNIT = /^(.*?)\s*\[(.*)\]\s*$/;

function planColumn(
  index: number,
  header: string,
  file: string,
): (ColumnPlan & { unknown?: boolean }) | undefined {
  const label = header.replace(/^~/, '').trim();
  const m = NAME_UNIT.exec(label);
  const name = (m !== null ? m[1]! : label).trim();
  const key = name.toLowerCase();
  if (SKIPPED.has(key) || key === '') return undefined;
  const known = COLUMNS[key];
  const unit = m !== null ? m[2]! : (known?.unit ?? '');
  if (known !== undefined) return unitPlan(index, label, known.channel, unit, file);
  const t = /^t(\d+)$/.exec(key);
  if (t !== null) return unitPlan(index, label, `aux_temperature_${t[1]}_degC`, unit || 'degC', file);
  const plan = unitPlan(index, label, `aux_${slug(name)}`, unit, file, 'auto');
  return { ...plan, channel: auxName(slug(name), plan.unit), unknown: true };
}

/**
 * BaSyTec result file (`.txt`): header lines starting with `~` (`~Start of Test: 19.06.2023
 * 17:56:53`, ...), the last of which holds the tab-separated column names with units in brackets
 * (`~Time[s]`, `U[V]`, `I[A]`, `Ah[Ah]`, `T1[°C]`), then one tab-separated row per record.
 * BaSyTec current is positive on charge already. `Ah[Ah]` is the net charge (charge positive);
 * the per-cycle charge/discharge columns are stored as magnitudes. Unix time is the local start
 * time (read in `options.timeZone`, else UTC with a warning) plus the test time.
 * @throws DISCERN_EMPTY_FILE, DISCERN_PARSE_BAD_HEADER (no column line), DISCERN_MISSING_COLUMN
 *   (no time, U or I), DISCERN_NO_DATA, DISCERN_PARSE_BAD_VALUE, DISCERN_PARSE_TRUNCATED.
 */
export const basytecReader: FormatReader = {
  id: 'basytec',
  vendor: 'BaSyTec',
  description: 'BaSyTec result file (~ header, tab-separated)',
  binary: false,
  sniff(input: SniffInput): number {
    const h = input.headText;
    if (/^~Resultfile from Basytec/i.test(h)) return 1;
    if (h.startsWith('~') && /(^|\n)~Time\[[a-z]+\]\t/i.test(h)) return 0.8;
    return 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    let h = 0;
    while (h < lines.length && lines[h]!.startsWith('~')) h++;
    const headerLine = h > 0 ? lines[h - 1]! : undefined;
    if (headerLine === undefined || !headerLine.includes('\t')) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        'no "~" column header line (e.g. "~Time[s]<TAB>...")',
        {
          file: file.name,
          line: Math.max(1, h),
        },
      );
    }
    const header: Record<string, string> = {};
    for (let i = 0; i < h - 1; i++) {
      const m = /^~\s*([^:]+?)\s*:\s*(.*)$/.exec(lines[i]!);
      if (m !== null) header[m[1]!] = m[2]!.trim();
    }
    const plans: ColumnPlan[] = [];
    const unknown: string[] = [];
    const cells = splitDelimited(headerLine, '\t');
    for (let i = 0; i < cells.length; i++) {
      const p = planColumn(i, cells[i]!, file.name);
      if (p === undefined) continue;
      plans.push(p);
      if (p.unknown === true) unknown.push(`"${p.label}" -> ${p.channel}`);
    }
    const have = new Set(plans.map((p) => p.channel));
    for (const [channel, name] of [
      ['test_time_s', '~Time'],
      ['voltage_V', 'U'],
      ['current_A', 'I'],
    ] as const) {
      if (!have.has(channel)) {
        throw new DiscernError('DISCERN_MISSING_COLUMN', `no "${name}" column`, {
          file: file.name,
          line: h,
          column: name,
        });
      }
    }
    const timeZone = options.timeZone ?? 'UTC';
    const table = parseTable({ file: file.name, lines, first: h, delimiter: '\t', plans, timeZone });
    if (table.rows === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
        file: file.name,
        line: h,
      });
    }
    const warnings: DataWarning[] = [...decoded.warnings];
    if (unknown.length > 0) {
      warnings.push({
        code: 'DISCERN_COLUMN_IGNORED',
        message: `kept as auxiliary: ${unknown.join(', ')}`,
        count: unknown.length,
      });
    }
    const built = tableColumns(table, plans, file.name);
    warnings.push(...built.warnings);
    const columns = built.columns;
    for (const spec of Object.values(COLUMNS)) {
      const c = spec.magnitude ? columns[spec.channel] : undefined;
      if (c?.values instanceof Float64Array) c.values = c.values.map(Math.abs);
    }
    const current = columns['current_A']!;
    const stepType = columns['step_type'];
    if (stepType !== undefined && current.values instanceof Float64Array) {
      const a = alignCurrentWithStepType(current.values, stepType.values as CategoryColumn);
      if (a.negated) {
        current.values = a.values;
        warnings.push(...a.warnings);
      }
    }

    const startText = header['Start of Test'];
    const start = startText !== undefined ? parseDateTime(startText, 'DMY') : undefined;
    let startTime;
    if (start !== undefined) {
      const unixS = toUnixS(start, timeZone);
      const time = columns['test_time_s']!.values as Float64Array;
      columns['unix_time_s'] = {
        values: time.map((t) => unixS + t),
        unit: 's',
        source: 'Start of Test + ~Time',
      };
      startTime = { unixS, timeZone, assumed: options.timeZone === undefined };
      if (options.timeZone === undefined) {
        warnings.push({
          code: 'DISCERN_TZ_ASSUMED',
          message: `"Start of Test" ${startText} has no time zone; read as UTC`,
        });
      }
    }
    return createFrame({
      columns,
      meta: {
        vendor: 'BaSyTec',
        format: 'basytec',
        instrument: 'BaSyTec Battery Test System',
        header,
        warnings,
        ...(header['Testchannel'] !== undefined ? { channel: header['Testchannel'] } : {}),
        ...(startTime !== undefined ? { startTime } : {}),
      },
    });
  },
};
