import { DataType, tableFromIPC, type Table, type Vector } from 'apache-arrow';
import { readParquet, readSchema } from 'parquet-wasm';
import { DiscernError, type CategoryColumn, type DataWarning } from '../../core/index.js';
import { CategoryBuilder } from '../text.js';
import type { FormatReader, SniffInput, SourceFile } from '../types.js';
import { assembleBdfFrame, requireBdfColumns } from './assemble.js';
import { resolveBdfHeader, type ResolvedColumn } from './names.js';
import type { TableResult } from './table.js';

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

function hasMagic(bytes: Uint8Array, at: number): boolean {
  if (at < 0 || bytes.length < at + 4) return false;
  for (let i = 0; i < 4; i++) if (bytes[at + i] !== MAGIC[i]) return false;
  return true;
}

function wasmError(e: unknown, file: string, what: string): DiscernError {
  const message = e instanceof Error ? e.message : String(e);
  const code = /unsupported|not (yet )?supported|not implemented/i.test(message)
    ? 'DISCERN_UNSUPPORTED_FORMAT'
    : 'DISCERN_CORRUPT';
  return new DiscernError(code, `${what}: ${message}`, { file, offset: 0 });
}

/** A numeric, boolean or time column as float64 (seconds for timestamps and durations). */
function floatsOf(v: Vector, factor: number, offset: number): Float64Array | undefined {
  const n = v.length;
  const out = new Float64Array(n);
  const t = v.type;
  if (DataType.isTimestamp(t)) {
    // apache-arrow returns timestamps as epoch milliseconds whatever the stored unit.
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as number | bigint | null;
      out[i] = x === null ? NaN : Number(x) / 1000;
    }
    return out;
  }
  if (DataType.isDuration(t)) {
    const perSecond = [1, 1e3, 1e6, 1e9][t.unit] ?? 1;
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as number | bigint | null;
      out[i] = x === null ? NaN : Number(x) / perSecond;
    }
    return out;
  }
  if (DataType.isBool(t)) {
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as boolean | null;
      out[i] = x === null ? NaN : x ? 1 : 0;
    }
    return out;
  }
  if (!DataType.isInt(t) && !DataType.isFloat(t)) return undefined;
  const raw = v.toArray() as ArrayLike<number | bigint>;
  if (factor === 1 && offset === 0) for (let i = 0; i < n; i++) out[i] = Number(raw[i]!);
  else for (let i = 0; i < n; i++) out[i] = Number(raw[i]!) * factor + offset;
  if (v.nullCount > 0) for (let i = 0; i < n; i++) if (!v.isValid(i)) out[i] = NaN;
  return out;
}

function labelsOf(v: Vector): CategoryColumn {
  const b = new CategoryBuilder();
  for (let i = 0; i < v.length; i++) {
    const x = v.get(i) as unknown;
    b.push(x === null || x === undefined ? undefined : String(x));
  }
  return b.finish();
}

function isText(t: DataType): boolean {
  return DataType.isUtf8(t) || DataType.isLargeUtf8(t) || DataType.isUtf8View(t) || DataType.isDictionary(t);
}

/**
 * Battery Data Format Parquet (`*.bdf.parquet`): the BDF columns (machine names, labels, or the
 * legacy `test_time_millisecond` / `date_time_millisecond` / `cycle_dimensionless` names) as
 * Parquet columns, read with parquet-wasm and apache-arrow. Same mapping and checks as `bdfCsvReader`.
 * @throws DISCERN_EMPTY_FILE; DISCERN_PARSE_TRUNCATED (no closing "PAR1", byte offset = size);
 *   DISCERN_CORRUPT or DISCERN_UNSUPPORTED_FORMAT when parquet-wasm cannot decode the file;
 *   DISCERN_UNKNOWN_FORMAT when it has no BDF columns; DISCERN_MISSING_COLUMN; DISCERN_NO_DATA.
 */
export const bdfParquetReader: FormatReader = {
  id: 'bdf-parquet',
  vendor: 'BDF',
  description: 'Battery Data Format Parquet',
  binary: true,
  sniff(input: SniffInput): number {
    if (!hasMagic(input.head, 0)) return 0;
    if (/\.bdf\.parquet$/i.test(input.name)) return 1;
    return 0.3;
  },
  read(file: SourceFile) {
    const bytes = file.bytes;
    if (bytes.length === 0)
      throw new DiscernError('DISCERN_EMPTY_FILE', 'the file is empty', { file: file.name });
    if (!hasMagic(bytes, 0)) {
      throw new DiscernError('DISCERN_CORRUPT', 'not a Parquet file (no "PAR1" magic)', {
        file: file.name,
        offset: 0,
      });
    }
    if (bytes.length < 12 || !hasMagic(bytes, bytes.length - 4)) {
      throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the Parquet footer is missing (file cut short?)', {
        file: file.name,
        offset: bytes.length,
      });
    }
    let names: string[];
    try {
      names = tableFromIPC(readSchema(bytes).intoIPCStream()).schema.fields.map((f) => f.name);
    } catch (e) {
      throw wasmError(e, file.name, 'cannot read the Parquet schema');
    }
    const resolved = resolveBdfHeader(names, file.name);
    requireBdfColumns(resolved, { file: file.name });
    let table: Table;
    try {
      table = tableFromIPC(readParquet(bytes).intoIPCStream());
    } catch (e) {
      throw wasmError(e, file.name, 'cannot decode the Parquet data');
    }
    if (table.numRows === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the Parquet file has no rows', { file: file.name });
    }
    const warnings: DataWarning[] = [];
    const values = new Map<string, Float64Array | CategoryColumn>();
    const kept: ResolvedColumn[] = [];
    for (const c of resolved) {
      const v = table.getChildAt(c.index);
      if (v === null) continue;
      const text = isText(v.type);
      if (c.target.kind === 'category' || (c.target.kind === 'auto' && text)) {
        values.set(c.target.channel, labelsOf(v));
        kept.push(c);
        continue;
      }
      const f = text ? undefined : floatsOf(v, c.target.factor, c.target.offset);
      if (f === undefined) {
        if (c.known && !c.target.channel.startsWith('aux_')) {
          throw new DiscernError(
            'DISCERN_PARSE_BAD_VALUE',
            `column "${c.header}" has type ${String(v.type)}, not numbers`,
            {
              file: file.name,
              column: c.header,
            },
          );
        }
        warnings.push({
          code: 'DISCERN_NOTE',
          message: `column "${c.header}" of type ${String(v.type)} was not read`,
        });
        continue;
      }
      values.set(c.target.channel, f);
      kept.push(c);
    }
    const result: TableResult = { rows: table.numRows, values, naiveDates: false };
    return assembleBdfFrame(file.name, 'bdf-parquet', kept, result, warnings);
  },
};
