import {
  DiscernError,
  createFrame,
  type CategoryColumn,
  type DataWarning,
  type DateOrder,
} from '../core/index.js';
import { alignCurrentWithStepType } from './bdf/step-type.js';
import { parseTable, slug, tableColumns, unitPlan, type ColumnPlan } from './bdf/table.js';
import { decodeText, detectDelimiter, splitDelimited, splitLines } from './text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from './types.js';

/** Landt column names (lower case) and their channels; the unit is the name's suffix. */
const COLUMNS: Readonly<Record<string, string>> = {
  cycle_index: 'cycle_index',
  step_index: 'step_index',
  date_time_iso_string: 'unix_time_s',
  test_time_s: 'test_time_s',
  step_time_s: 'step_time_s',
  current_a: 'current_A',
  voltage_v: 'voltage_V',
  discharge_capacity_ah: 'discharge_capacity_Ah',
  charge_capacity_ah: 'charge_capacity_Ah',
  discharge_energy_wh: 'discharge_energy_Wh',
  charge_energy_wh: 'charge_energy_Wh',
  pressure_psi: 'aux_pressure_1_Pa',
  temperature_1_c: 'temperature_degC',
  step_name: 'step_type',
};

const HEADER_RE = /^channel_index[,;\t].*date_time_iso_string/i;

function planColumn(
  index: number,
  header: string,
  file: string,
): (ColumnPlan & { unknown?: boolean }) | undefined {
  const name = header.trim();
  const key = name.toLowerCase();
  if (key === '' || key === 'channel_index') return undefined;
  const suffix = /_([a-z]+)$/i.exec(name)?.[1] ?? '';
  const known = COLUMNS[key];
  if (known === 'unix_time_s') return { index, label: name, channel: known, unit: 's', kind: 'datetime' };
  if (known !== undefined) return unitPlan(index, name, known, suffix === 'C' ? 'degC' : suffix, file);
  const t = /^temperature_(\d+)_c$/.exec(key);
  if (t !== null) return unitPlan(index, name, `aux_temperature_${t[1]}_degC`, 'degC', file);
  const plan = unitPlan(index, name, `aux_${slug(name)}`, '', file, 'auto');
  return { ...plan, unknown: true };
}

/** MDY unless some date has a first field above 12 (then DMY). */
function dateOrderOf(lines: readonly string[], first: number, col: number, delimiter: string): DateOrder {
  for (let i = first; i < lines.length; i++) {
    const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}/.exec(splitDelimited(lines[i]!, delimiter)[col] ?? '');
    if (m === null) continue;
    if (Number(m[1]) > 12) return 'DMY';
    if (Number(m[2]) > 12) return 'MDY';
  }
  return 'MDY';
}

/**
 * Landt (LANDdt) CSV export as published with the BDF reference data: a few `key:` metadata lines,
 * then `channel_index,cycle_index,step_index,date_time_iso_string,test_time_s,step_time_s,current_A,
 * voltage_V,discharge_capacity_Ah,charge_capacity_Ah,...,step_name`. Despite its name the date is
 * `MM/DD/YYYY hh:mm:ss` local time (read in `options.timeZone`, else UTC with a warning).
 * Current is signed (negative on discharge). `channel_index` is a record counter and is not read.
 * @throws DISCERN_EMPTY_FILE, DISCERN_PARSE_BAD_HEADER (no column line), DISCERN_MISSING_COLUMN,
 *   DISCERN_NO_DATA, DISCERN_PARSE_BAD_VALUE, DISCERN_PARSE_TRUNCATED (with the line).
 */
export const landtReader: FormatReader = {
  id: 'landt-csv',
  vendor: 'Landt',
  description: 'Landt CSV export (metadata lines, then channel_index,...,step_name)',
  binary: false,
  sniff(input: SniffInput): number {
    const lines = input.headText.split(/\r?\n/, 40);
    return lines.some((l) => HEADER_RE.test(l) && /test_time_s/.test(l) && /voltage_v/i.test(l)) ? 1 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    const h = lines.findIndex((l, i) => i < 100 && HEADER_RE.test(l));
    if (h < 0) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        'no "channel_index,...,date_time_iso_string,..." header line',
        {
          file: file.name,
          line: 1,
        },
      );
    }
    const delimiter = detectDelimiter(lines[h]!);
    const header: Record<string, string> = {};
    for (let i = 0; i < h; i++) {
      const cells = splitDelimited(lines[i]!, delimiter).filter((c) => c.trim() !== '');
      const text = cells.join(' ');
      const colon = text.indexOf(':');
      if (colon > 0) header[text.slice(0, colon).trim()] = text.slice(colon + 1).trim();
    }
    const plans: (ColumnPlan & { unknown?: boolean })[] = [];
    const cells = splitDelimited(lines[h]!, delimiter);
    for (let i = 0; i < cells.length; i++) {
      const p = planColumn(i, cells[i]!, file.name);
      if (p !== undefined) plans.push(p);
    }
    const have = new Set(plans.map((p) => p.channel));
    for (const [channel, name] of [
      ['test_time_s', 'test_time_s'],
      ['voltage_V', 'voltage_V'],
      ['current_A', 'current_A'],
    ] as const) {
      if (!have.has(channel)) {
        throw new DiscernError('DISCERN_MISSING_COLUMN', `no "${name}" column`, {
          file: file.name,
          line: h + 1,
          column: name,
        });
      }
    }
    const dateCol = plans.find((p) => p.kind === 'datetime');
    const dateOrder = dateCol !== undefined ? dateOrderOf(lines, h + 1, dateCol.index, delimiter) : 'MDY';
    const timeZone = options.timeZone ?? 'UTC';
    const table = parseTable({ file: file.name, lines, first: h + 1, delimiter, plans, timeZone, dateOrder });
    if (table.rows === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
        file: file.name,
        line: h + 1,
      });
    }
    const warnings: DataWarning[] = [...decoded.warnings];
    const built = tableColumns(table, plans, file.name);
    warnings.push(...built.warnings);
    const columns = built.columns;
    const unknown = plans.filter((p) => p.unknown === true);
    if (unknown.length > 0) {
      warnings.push({
        code: 'DISCERN_COLUMN_IGNORED',
        message: `kept as auxiliary: ${unknown.map((p) => `"${p.label}" -> ${p.channel}`).join(', ')}`,
        count: unknown.length,
      });
    }
    for (const [name, c] of Object.entries(columns)) {
      if (!/temperature/.test(name) || !(c.values instanceof Float64Array)) continue;
      if (c.values.every((v) => v === 0)) {
        warnings.push({
          code: 'DISCERN_NOTE',
          message: `${name} ("${c.source}") is 0 on every row: probably no sensor connected`,
          channel: name,
        });
      }
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
    const unix = columns['unix_time_s']?.values;
    let startTime;
    if (unix instanceof Float64Array && Number.isFinite(unix[0]!)) {
      startTime = { unixS: unix[0]!, timeZone, assumed: options.timeZone === undefined };
      if (options.timeZone === undefined && table.naiveDates) {
        warnings.push({
          code: 'DISCERN_TZ_ASSUMED',
          message: 'date_time_iso_string has local times and no time zone was given; read as UTC',
        });
      }
    }
    return createFrame({
      columns,
      meta: {
        vendor: 'Landt',
        format: 'landt-csv',
        header,
        warnings,
        ...(startTime !== undefined ? { startTime } : {}),
      },
    });
  },
};
