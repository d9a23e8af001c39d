import { DiscernError, createFrame, parseDateTime, toUnixS } from '../../core/index.js';
import type { ColumnInput, DataWarning, StartTime } from '../../core/index.js';
import {
  CategoryBuilder,
  FloatBuilder,
  decodeLoose,
  decodeText,
  detectDelimiter,
  parseNumber,
  splitDelimited,
  splitLines,
} from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { lookupUnit } from '../units.js';
import { auxName, classifyArcHeader, type ArcHeaderCell } from './columns.js';

/** How many lines the header search looks at. */
const HEADER_SEARCH_LINES = 60;
const BANNER =
  /accelerating[\s-]+rate[\s-]+calorimet|\bARC\b|heat[\s-]+wait[\s-]+(seek|search)|\bEV\+?\s*ARC\b/i;

interface Located {
  /** 0-based index of the column-header line. */
  headerIndex: number;
  delimiter: string;
  cells: ArcHeaderCell[];
  /** Key/value lines above the column header. */
  header: Record<string, string>;
  banner: boolean;
}

/** Finds the column-header line: the first line with a time and a temperature column. */
function locate(lines: readonly string[], limit: number): Located | undefined {
  const header: Record<string, string> = {};
  let banner = false;
  for (let i = 0; i < Math.min(lines.length, limit); i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const delimiter = detectDelimiter(line);
    const raw = splitDelimited(line, delimiter);
    if (raw.length >= 2) {
      const cells = raw.map(classifyArcHeader);
      const has = (r: string): boolean => cells.some((c) => c.role === r);
      if (has('time') && has('temperature')) return { headerIndex: i, delimiter, cells, header, banner };
    }
    if (BANNER.test(line)) banner = true;
    const kv = /^\s*#?\s*([^:=,;\t]+?)\s*[:=,;\t]\s*(.*?)\s*$/.exec(line);
    if (kv !== null && kv[1] !== undefined && kv[2] !== undefined && kv[2] !== '') {
      header[kv[1]] = kv[2].replace(/^"|"$/g, '');
    } else if (line.trim() !== '') header[`line ${i + 1}`] = line.trim().replace(/^#\s*/, '');
  }
  return undefined;
}

/**
 * Accelerating-rate calorimetry (ARC) exports as delimited text, in the layout of THT and NETZSCH
 * style exports (docs/formats/arc.md): optional key/value lines (instrument, sample, start time),
 * then one header row whose cells carry their units (`Time (min)`, `Temperature (°C)`,
 * `Rate (°C/min)`, `Pressure (bar)`, `Mode`), then data rows. Channels: `test_time_s`,
 * `temperature_degC` (sample), `aux_heat_rate_degC_per_s` (the instrument's rate, converted to
 * degC/s), `step_type` (the heat-wait-seek phase label as written), `aux_pressure_1_Pa`,
 * `voltage_V`, `ambient_temperature_degC` and heater temperatures as `aux_temperature_<n>_degC`.
 * Other columns are kept as `aux_<name>` with a DISCERN_COLUMN_IGNORED warning. The frame kind is
 * 'arc'. Naive start times are read in `options.timeZone` (UTC and DISCERN_TZ_ASSUMED when absent).
 * @throws DISCERN_EMPTY_FILE, DISCERN_MISSING_COLUMN (no time or temperature column),
 *   DISCERN_PARSE_BAD_HEADER (a numeric column without a known unit), DISCERN_PARSE_BAD_VALUE
 *   (a cell that is not a number, with its line), DISCERN_PARSE_TRUNCATED, DISCERN_NO_DATA
 * @example arcCsvReader.read({ name: 'run.csv', bytes }, {}).columns['temperature_degC']
 */
export const arcCsvReader: FormatReader = {
  id: 'arc-csv',
  vendor: 'ARC',
  description: 'Accelerating rate calorimeter export (THT / NETZSCH style delimited text)',
  binary: false,
  sniff(input: SniffInput): number {
    // UTF-8 or windows-1252 (not the latin1 headText), so units such as °C read as written.
    const utf8 = decodeLoose(input.head);
    const text = utf8.includes('\uFFFD') ? new TextDecoder('windows-1252').decode(input.head) : utf8;
    const lines = splitLines(text).slice(0, HEADER_SEARCH_LINES);
    const found = locate(lines, HEADER_SEARCH_LINES);
    if (found === undefined) return 0;
    const roles = new Set(found.cells.map((c) => c.role));
    if (found.banner && (roles.has('rate') || roles.has('phase'))) return 0.95;
    const cycler = found.cells.some((c) => /current|capacity|cycle/i.test(c.name));
    if (roles.has('rate') && roles.has('phase') && !cycler) return 0.6;
    return 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    if (lines.every((l) => l.trim() === '')) {
      throw new DiscernError('DISCERN_EMPTY_FILE', 'the file has no text', { file: file.name });
    }
    const found = locate(lines, HEADER_SEARCH_LINES);
    if (found === undefined) {
      const hasTime = lines
        .slice(0, HEADER_SEARCH_LINES)
        .some((l) => splitDelimited(l, detectDelimiter(l)).some((c) => classifyArcHeader(c).role === 'time'));
      throw new DiscernError(
        'DISCERN_MISSING_COLUMN',
        hasTime
          ? 'no sample temperature column next to the time column'
          : 'no header row with a time and a temperature column',
        { file: file.name, line: 1, column: hasTime ? 'temperature' : 'time' },
      );
    }
    const warnings: DataWarning[] = [...decoded.warnings];
    const headerLine = found.headerIndex + 1;
    const plan = planColumns(found.cells, file.name, headerLine, warnings);

    // Decimal comma: only with a ';' or tab delimiter, decided on the first data row.
    let decimal: '.' | ',' = '.';
    const firstData = lines.slice(found.headerIndex + 1).find((l) => l.trim() !== '');
    if (found.delimiter !== ',' && firstData !== undefined) {
      const cells = splitDelimited(firstData, found.delimiter);
      if (cells.some((c) => /^\s*-?\d+,\d+\s*$/.test(c))) decimal = ',';
    }
    const timeZone = options.timeZone ?? pick(found.header, /^(time zone|timezone|tz)$/i) ?? 'UTC';
    const builders = plan.map((p) =>
      p.kind === 'category' ? new CategoryBuilder() : new FloatBuilder(lines.length),
    );
    for (let li = found.headerIndex + 1; li < lines.length; li++) {
      const line = lines[li]!;
      if (line.trim() === '') continue;
      const cells = splitDelimited(line, found.delimiter);
      for (let k = 0; k < plan.length; k++) {
        const p = plan[k]!;
        const cell = cells[p.index];
        if (cell === undefined) {
          throw new DiscernError(
            'DISCERN_PARSE_TRUNCATED',
            `row has ${cells.length} fields, column "${p.label}" is missing`,
            { file: file.name, line: li + 1, column: p.label },
          );
        }
        const b = builders[k]!;
        if (b instanceof CategoryBuilder) {
          b.push(cell.trim());
          continue;
        }
        let v: number | undefined;
        if (p.kind === 'datetime') {
          const dt = cell.trim() === '' ? undefined : parseDateTime(cell.trim(), 'YMD');
          v = dt === undefined ? (cell.trim() === '' ? NaN : undefined) : toUnixS(dt, timeZone);
        } else v = parseNumber(cell, decimal);
        if (v === undefined) {
          throw new DiscernError(
            'DISCERN_PARSE_BAD_VALUE',
            `"${cell.trim()}" in column "${p.label}" is not a ${p.kind === 'datetime' ? 'date-time' : 'number'}`,
            { file: file.name, line: li + 1, column: p.label },
          );
        }
        b.push(p.kind === 'datetime' ? v : v * p.factor + p.offset);
      }
    }
    if (builders[0] === undefined || builders[0].length === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
        file: file.name,
        line: headerLine,
      });
    }
    const columns: Record<string, ColumnInput> = {};
    plan.forEach((p, k) => {
      const b = builders[k]!;
      columns[p.channel] =
        b instanceof CategoryBuilder
          ? { values: b.finish(), unit: '', source: p.label }
          : { values: b.finish(), unit: p.unit, source: p.label };
    });
    const startTime = startTimeOf(found.header, options, warnings, plan);
    const instrument = pick(found.header, /^(instrument|device|calorimeter|system)$/i);
    const software = pick(found.header, /^(software|software version|version)$/i);
    const vendor = /\bTHT\b|thermal hazard/i.test(instrument ?? '')
      ? 'THT'
      : /netzsch/i.test(instrument ?? '')
        ? 'NETZSCH'
        : 'ARC';
    return createFrame({
      columns,
      meta: {
        vendor,
        format: 'arc-csv',
        kind: 'arc',
        technique: 'ARC',
        ...(instrument !== undefined ? { instrument } : {}),
        ...(software !== undefined ? { softwareVersion: software } : {}),
        ...(startTime !== undefined ? { startTime } : {}),
        header: found.header,
        warnings,
      },
    });
  },
};

interface Planned {
  index: number;
  label: string;
  channel: string;
  unit: string;
  kind: 'float' | 'category' | 'datetime';
  factor: number;
  offset: number;
}

const TARGET: Partial<Record<ArcHeaderCell['role'], { channel: string; canonical: string }>> = {
  time: { channel: 'test_time_s', canonical: 's' },
  temperature: { channel: 'temperature_degC', canonical: 'degC' },
  rate: { channel: 'aux_heat_rate_degC_per_s', canonical: 'degC/s' },
  pressure: { channel: 'aux_pressure_1_Pa', canonical: 'Pa' },
  voltage: { channel: 'voltage_V', canonical: 'V' },
  ambient: { channel: 'ambient_temperature_degC', canonical: 'degC' },
};

function planColumns(cells: ArcHeaderCell[], file: string, line: number, warnings: DataWarning[]): Planned[] {
  const plan: Planned[] = [];
  const used = new Set<string>();
  let heaters = 0;
  const unitOf = (c: ArcHeaderCell, canonical: string): { factor: number; offset: number } => {
    const conv = c.unit === '' ? undefined : lookupUnit(c.unit);
    if (conv === undefined || conv.canonical !== canonical) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        c.unit === ''
          ? `column "${c.text}" has no unit (expected ${canonical} or a unit convertible to it)`
          : `unit "${c.unit}" of column "${c.text}" cannot be converted to ${canonical}`,
        { file, line, column: c.text },
      );
    }
    return { factor: conv.factor, offset: conv.offset };
  };
  cells.forEach((c, index) => {
    if (c.text === '') return;
    const target = TARGET[c.role];
    let p: Planned;
    if (target !== undefined && !used.has(target.channel)) {
      p = {
        index,
        label: c.text,
        channel: target.channel,
        unit: target.canonical,
        kind: 'float',
        ...unitOf(c, target.canonical),
      };
    } else if (c.role === 'phase' && !used.has('step_type')) {
      p = { index, label: c.text, channel: 'step_type', unit: '', kind: 'category', factor: 1, offset: 0 };
    } else if (c.role === 'datetime' && !used.has('unix_time_s')) {
      p = { index, label: c.text, channel: 'unix_time_s', unit: 's', kind: 'datetime', factor: 1, offset: 0 };
    } else if (c.role === 'heater' || (c.role === 'temperature' && used.has('temperature_degC'))) {
      heaters++;
      p = {
        index,
        label: c.text,
        channel: `aux_temperature_${heaters}_degC`,
        unit: 'degC',
        kind: 'float',
        ...unitOf(c, 'degC'),
      };
    } else {
      const conv = c.unit === '' ? undefined : lookupUnit(c.unit);
      let channel = auxName(c.name, index);
      while (used.has(channel)) channel = `${channel}_${index + 1}`;
      p = {
        index,
        label: c.text,
        channel,
        unit: conv?.canonical ?? c.unit,
        kind: 'float',
        factor: conv?.factor ?? 1,
        offset: conv?.offset ?? 0,
      };
      warnings.push({
        code: 'DISCERN_COLUMN_IGNORED',
        message: `column "${c.text}" is not an ARC channel discern knows; kept as ${channel}`,
        channel,
      });
    }
    used.add(p.channel);
    plan.push(p);
  });
  // Time first, so that the row count check looks at a column every row has.
  return plan.sort((a, b) => (a.channel === 'test_time_s' ? -1 : b.channel === 'test_time_s' ? 1 : 0));
}

function pick(header: Record<string, string>, key: RegExp): string | undefined {
  for (const [k, v] of Object.entries(header)) if (key.test(k.trim())) return v;
  return undefined;
}

function startTimeOf(
  header: Record<string, string>,
  options: ReadOptions,
  warnings: DataWarning[],
  plan: readonly Planned[],
): StartTime | undefined {
  const text = pick(header, /^(start|start time|start date|started|test start|date)$/i);
  const zoneInFile = pick(header, /^(time zone|timezone|tz)$/i);
  const dt = text === undefined ? undefined : parseDateTime(text, 'YMD');
  const naive = dt !== undefined ? dt.offsetMs === undefined : plan.some((p) => p.kind === 'datetime');
  if (naive && options.timeZone === undefined && zoneInFile === undefined) {
    warnings.push({
      code: 'DISCERN_TZ_ASSUMED',
      message: 'the file has local times and no time zone was given; UTC was assumed',
    });
  }
  if (dt === undefined) return undefined;
  const timeZone = options.timeZone ?? zoneInFile ?? 'UTC';
  return {
    unixS: toUnixS(dt, timeZone),
    timeZone: dt.offsetMs !== undefined ? 'UTC' : timeZone,
    assumed: naive && options.timeZone === undefined && zoneInFile === undefined,
  };
}
