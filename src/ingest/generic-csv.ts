import {
  CHANNELS,
  DiscernError,
  createFrame,
  isCanonicalChannel,
  parseDateTime,
  toUnixS,
} from '../core/index.js';
import type { ColumnInput, DataWarning } from '../core/index.js';
import { counterFromFloat } from './checks.js';
import {
  CategoryBuilder,
  FloatBuilder,
  decodeText,
  detectDelimiter,
  parseNumber,
  splitDelimited,
  splitLines,
} from './text.js';
import type {
  ColumnMappingEntry,
  FormatReader,
  ReadOptions,
  SniffInput,
  SourceFile,
  StreamPlan,
} from './types.js';
import { lookupUnit } from './units.js';

/**
 * A CSV reader driven by the user's column mapping (name, unit, sign), so a lab can read an
 * instrument discern does not know yet. A mapped `unix_time_s` column may hold date-time text,
 * read in `options.timeZone` (UTC when absent).
 * @throws DISCERN_BAD_MAPPING, DISCERN_MISSING_COLUMN, DISCERN_PARSE_BAD_VALUE, DISCERN_NO_DATA
 */
export const genericCsvReader: FormatReader = {
  id: 'generic-csv',
  vendor: 'generic',
  description: 'Delimited text read with a user column mapping',
  binary: false,
  sniff: () => 0,
  streamPlan(input: SniffInput, options: ReadOptions): StreamPlan | undefined {
    const mapping = options.mapping;
    if (mapping === undefined || mapping.columns.length === 0 || mapping.decimal === ',') return undefined;
    const skip = mapping.skipLines ?? 0;
    const hasHeader = mapping.header !== false;
    const headerLine = splitLines(input.headText.slice(0, 65536))[skip];
    if (headerLine === undefined) return undefined;
    const delimiter = mapping.delimiter ?? detectDelimiter(headerLine);
    const header = hasHeader ? splitDelimited(headerLine, delimiter).map((h) => h.trim()) : [];
    const plan = mapping.columns.map((m) => resolve(m, header, input.name));
    if (plan.some((p) => p.kind === 'category')) return undefined;
    // Date-time text in unix_time_s needs the full reader; numeric Unix seconds can be streamed.
    const firstData = splitLines(input.headText.slice(0, 65536))[skip + (hasHeader ? 1 : 0)];
    const unix = plan.find((p) => p.channel === 'unix_time_s');
    if (unix !== undefined) {
      const cell = firstData === undefined ? undefined : splitDelimited(firstData, delimiter)[unix.index];
      if (cell === undefined || parseNumber(cell) === undefined) return undefined;
    }
    return {
      delimiter,
      skipLines: skip + (hasHeader ? 1 : 0),
      columns: plan.map((p) => ({
        index: p.index,
        channel: p.channel,
        kind: p.kind === 'int' ? 'int' : 'float',
        factor: p.factor * (p.invert ? -1 : 1),
        offset: p.offset * (p.invert ? -1 : 1),
      })),
      channels: plan.map((p) => ({ name: p.channel, unit: p.unit, source: p.label })),
      meta: { vendor: 'generic', format: 'generic-csv' },
    };
  },
  read(file: SourceFile, options: ReadOptions) {
    const mapping = options.mapping;
    if (mapping === undefined || mapping.columns.length === 0) {
      throw new DiscernError('DISCERN_BAD_MAPPING', 'the generic CSV reader needs a column mapping', {
        file: file.name,
      });
    }
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    const skip = mapping.skipLines ?? 0;
    const hasHeader = mapping.header !== false;
    const headerLine = lines[skip];
    if (headerLine === undefined)
      throw new DiscernError('DISCERN_NO_DATA', 'no header line', { file: file.name });
    const delimiter = mapping.delimiter ?? detectDelimiter(headerLine);
    const decimal = mapping.decimal ?? '.';
    const header = hasHeader ? splitDelimited(headerLine, delimiter).map((h) => h.trim()) : [];
    const timeZone = options.timeZone ?? 'UTC';
    const warnings: DataWarning[] = [...decoded.warnings];

    const plan = mapping.columns.map((m) => resolve(m, header, file.name));
    const builders = plan.map((p) =>
      p.kind === 'category' ? new CategoryBuilder() : new FloatBuilder(lines.length),
    );
    const first = skip + (hasHeader ? 1 : 0);
    for (let li = first; li < lines.length; li++) {
      const line = lines[li]!;
      if (line.trim() === '') continue;
      const cells = splitDelimited(line, delimiter);
      for (let k = 0; k < plan.length; k++) {
        const p = plan[k]!;
        const cell = cells[p.index];
        if (cell === undefined) {
          throw new DiscernError(
            'DISCERN_PARSE_TRUNCATED',
            `row has ${cells.length} fields, column ${p.label} missing`,
            {
              file: file.name,
              line: li + 1,
            },
          );
        }
        const b = builders[k]!;
        if (b instanceof CategoryBuilder) {
          b.push(cell.trim());
          continue;
        }
        let v = parseNumber(cell, decimal);
        if (v === undefined && p.channel === 'unix_time_s') {
          const dt = parseDateTime(cell, mapping.dateOrder ?? 'YMD');
          if (dt !== undefined) v = toUnixS(dt, timeZone);
        }
        if (v === undefined) {
          throw new DiscernError(
            'DISCERN_PARSE_BAD_VALUE',
            `"${cell}" in column ${p.label} is not a number`,
            {
              file: file.name,
              line: li + 1,
              column: p.label,
            },
          );
        }
        b.push((v * p.factor + p.offset) * (p.invert ? -1 : 1));
      }
    }
    if (builders[0] === undefined || builders[0].length === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has no data rows', { file: file.name });
    }
    const columns: Record<string, ColumnInput> = {};
    for (let k = 0; k < plan.length; k++) {
      const p = plan[k]!;
      const b = builders[k]!;
      if (b instanceof CategoryBuilder) {
        columns[p.channel] = { values: b.finish(), unit: '', source: p.label };
      } else if (p.kind === 'int') {
        const c = counterFromFloat(b.finish(), p.channel);
        warnings.push(...c.warnings);
        columns[p.channel] = { values: c.values, unit: p.unit, source: p.label };
      } else {
        columns[p.channel] = { values: b.finish(), unit: p.unit, source: p.label };
      }
    }
    return createFrame({ columns, meta: { vendor: 'generic', format: 'generic-csv', warnings } });
  },
};

interface Planned {
  index: number;
  label: string;
  channel: string;
  unit: string;
  kind: 'float' | 'int' | 'category';
  factor: number;
  offset: number;
  invert: boolean;
}

function resolve(m: ColumnMappingEntry, header: string[], file: string): Planned {
  const index = typeof m.source === 'number' ? m.source : header.indexOf(m.source.trim());
  if (index < 0) {
    throw new DiscernError('DISCERN_MISSING_COLUMN', `mapped column "${m.source}" is not in the header`, {
      file,
      line: 1,
      column: String(m.source),
    });
  }
  const label = typeof m.source === 'number' ? `#${m.source}` : m.source;
  if (isCanonicalChannel(m.channel)) {
    const spec = CHANNELS[m.channel];
    if (spec.kind === 'category')
      return {
        index,
        label,
        channel: m.channel,
        unit: '',
        kind: 'category',
        factor: 1,
        offset: 0,
        invert: false,
      };
    let factor = 1;
    let offset = 0;
    if (m.unit !== undefined && spec.unit !== '1') {
      const conv = lookupUnit(m.unit);
      if (conv === undefined || conv.canonical !== spec.unit) {
        throw new DiscernError(
          'DISCERN_BAD_MAPPING',
          `unit "${m.unit}" cannot be converted to ${spec.unit} for ${m.channel}`,
        );
      }
      factor = conv.factor;
      offset = conv.offset;
    }
    return {
      index,
      label,
      channel: m.channel,
      unit: spec.unit,
      kind: spec.kind,
      factor,
      offset,
      invert: m.invert === true,
    };
  }
  if (!/^aux_[a-z0-9_]+$/i.test(m.channel)) {
    throw new DiscernError('DISCERN_BAD_MAPPING', `"${m.channel}" is neither a canonical channel nor aux_*`);
  }
  const conv = m.unit !== undefined ? lookupUnit(m.unit) : undefined;
  return {
    index,
    label,
    channel: m.channel,
    unit: conv?.canonical ?? m.unit ?? '',
    kind: 'float',
    factor: conv?.factor ?? 1,
    offset: conv?.offset ?? 0,
    invert: m.invert === true,
  };
}
