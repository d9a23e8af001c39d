import {
  DiscernError,
  assertTimeZone,
  createFrame,
  naiveMsToUnixS,
  oleDaysToNaiveMs,
  type ColumnInput,
  type DataWarning,
  type Frame,
  type StartTime,
} from '../../core/index.js';
import { counterFromFloat } from '../checks.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { readArbinResAux, type RowOfDataPoint } from './res-aux.js';
import { tzAssumedWarning } from './dates.js';
import { ARBIN_RES_REQUIRED, arbinResColumnSpec, type ArbinResColumnSpec } from './res-columns.js';
import {
  isGzip,
  isJetDatabase,
  openResDatabase,
  readNumericColumns,
  resBytes,
  tableColumns,
  type ResDatabase,
} from './res-db.js';
import { readArbinResGlobal } from './res-global.js';

const NORMAL = 'Channel_Normal_Table';
/** mdb-reader column types that hold a JavaScript number (or boolean / Date) we can store. */
const NUMERIC_TYPES = new Set([
  'boolean',
  'byte',
  'integer',
  'long',
  'float',
  'double',
  'datetime',
  'bigint',
]);

/**
 * Reads an Arbin `.res` file (MITS Pro results: an MS Access / Jet database), plain or gzipped:
 * `Channel_Normal_Table` (one row per data point, ordered by `Data_Point`) becomes the frame, the
 * auxiliary inputs of `Auxiliary_Table` become `aux_voltage_<N>_V` / `aux_temperature_<N>_degC`
 * columns, and `Global_Table` gives the metadata (test name, schedule, channel, start time).
 *
 * `DateTime` and `Start_DateTime` are OLE dates (days since 1899-12-30) on the tester PC's wall
 * clock: they are read in `options.timeZone`, or in UTC with a `DISCERN_TZ_ASSUMED` warning.
 * Units are Arbin's own (s, A, V, Ah, Wh, Ohm); current is positive on charge.
 * @throws DISCERN_UNKNOWN_FORMAT (not an Access database, or one without Arbin's tables),
 *   DISCERN_MISSING_COLUMN (Arbin tables without a required column), DISCERN_PARSE_TRUNCATED,
 *   DISCERN_CORRUPT, DISCERN_NO_DATA, DISCERN_UNSUPPORTED_FORMAT (several tests in one file),
 *   DISCERN_BAD_TIMEZONE.
 * @example const frame = readArbinRes({ name: 'cell.res', bytes }, { timeZone: 'Europe/Oslo' });
 */
export function readArbinRes(file: SourceFile, options: ReadOptions = {}): Frame {
  if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
  const gz = isGzip(file.bytes);
  const db = openResDatabase(resBytes(file), file.name);
  if (!db.tables.has(NORMAL)) {
    if (!db.tables.has('Global_Table')) {
      throw new DiscernError(
        'DISCERN_UNKNOWN_FORMAT',
        'an MS Access database without Arbin tables (no Channel_Normal_Table or Global_Table)',
        { file: file.name },
      );
    }
    throw new DiscernError('DISCERN_MISSING_COLUMN', `the file has no ${NORMAL}`, {
      file: file.name,
      column: NORMAL,
    });
  }
  const global = readArbinResGlobal(db);
  const warnings: DataWarning[] = [];
  const plan = planColumns(db, warnings);
  const names = plan.map((p) => p.name);
  const raw = readNumericColumns(db, NORMAL, names, options.onProgress);
  const col = (name: string): Float64Array => raw[names.indexOf(name)]!;
  const n = col('Data_Point').length;
  if (n === 0) throw new DiscernError('DISCERN_NO_DATA', `${NORMAL} has no rows`, { file: file.name });

  const testId = singleTestId(db, col('Test_ID'), global.testId);
  const order = dataPointOrder(col('Data_Point'));
  const timeZone = options.timeZone ?? 'UTC';
  const assumed = options.timeZone === undefined;

  const columns: Record<string, ColumnInput> = {};
  for (let k = 0; k < plan.length; k++) {
    const p = plan[k]!;
    if (p.channel === undefined) continue;
    const values = reorder(raw[k]!, order);
    if (p.kind === 'int') {
      const c = counterFromFloat(values, p.channel);
      warnings.push(...c.warnings);
      columns[p.channel] = { values: c.values, unit: p.unit, source: p.name };
    } else if (p.kind === 'time') {
      columns[p.channel] = { values: oleToUnixS(values, timeZone), unit: 's', source: p.name };
    } else {
      columns[p.channel] = { values, unit: p.unit, source: p.name };
    }
  }
  const points = reorder(col('Data_Point'), order);
  const aux = readArbinResAux(db, n, testId, rowLookup(points));
  Object.assign(columns, aux.columns);
  warnings.push(...aux.warnings);

  const usesClock = columns['unix_time_s'] !== undefined || global.startOleDays !== undefined;
  if (usesClock && assumed) {
    warnings.push(tzAssumedWarning(file.name));
  }
  let startTime: StartTime | undefined;
  if (global.startOleDays !== undefined) {
    startTime = { unixS: oleDayToUnixS(global.startOleDays, timeZone), timeZone, assumed };
  }
  return createFrame({
    columns,
    meta: {
      vendor: 'Arbin',
      format: gz ? 'arbin-res-gz' : 'arbin-res',
      sourceFile: file.name,
      ...(global.channel !== undefined ? { channel: global.channel } : {}),
      ...(global.softwareVersion !== undefined ? { softwareVersion: global.softwareVersion } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      header: global.header,
      warnings,
    },
  });
}

interface Planned {
  name: string;
  channel: string | undefined;
  unit: string;
  kind: 'float' | 'int' | 'time';
}

/** Which columns of the data table to read and where they go. */
function planColumns(db: ResDatabase, warnings: DataWarning[]): Planned[] {
  const cols = tableColumns(db, NORMAL);
  const have = new Set(cols.map((c) => c.name));
  for (const need of ARBIN_RES_REQUIRED) {
    if (!have.has(need)) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', `${NORMAL} has no ${need} column`, {
        file: db.file,
        column: need,
      });
    }
  }
  const plan: Planned[] = [];
  for (const c of cols) {
    if (c.name === 'Test_ID') {
      plan.push({ name: c.name, channel: undefined, unit: '', kind: 'float' });
      continue;
    }
    if (!NUMERIC_TYPES.has(c.type)) {
      warnings.push({
        code: 'DISCERN_COLUMN_IGNORED',
        message: `${NORMAL}.${c.name} (${c.type}) is not numeric and was not read`,
      });
      continue;
    }
    const spec = columnSpec(c.name, db.file);
    const twin = plan.find((p) => p.channel === spec.channel);
    if (twin !== undefined) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        `${NORMAL} columns ${twin.name} and ${c.name} both map to ${spec.channel}`,
        { file: db.file, column: c.name },
      );
    }
    plan.push({ name: c.name, channel: spec.channel, unit: spec.unit, kind: spec.kind });
    if (!spec.known) {
      warnings.push({
        code: 'DISCERN_COLUMN_IGNORED',
        message: `${NORMAL}.${c.name} is not in Arbin's column table; kept as ${spec.channel}`,
        channel: spec.channel,
      });
    }
  }
  return plan;
}

function columnSpec(name: string, file: string): ArbinResColumnSpec {
  try {
    return arbinResColumnSpec(name);
  } catch (e) {
    if (e instanceof DiscernError) throw new DiscernError(e.code, e.message, { file, column: name });
    throw e;
  }
}

/**
 * The one Test_ID of the data rows. Rows of a test that Global_Table does not describe are damage;
 * several tests without a Global_Table to say so are refused (discern does not pick one).
 */
function singleTestId(db: ResDatabase, ids: Float64Array, globalId: number | undefined): number {
  const first = globalId ?? ids[0]!;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === first) continue;
    if (globalId !== undefined) {
      throw new DiscernError(
        'DISCERN_CORRUPT',
        `${NORMAL} row ${i} belongs to Test_ID ${ids[i]}, but Global_Table describes only Test_ID ${globalId}`,
        { file: db.file },
      );
    }
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_FORMAT',
      `${NORMAL} holds rows of several tests (Test_ID ${first} and ${ids[i]}); discern reads .res files with one test`,
      { file: db.file },
    );
  }
  return first;
}

/**
 * The row order by `Data_Point` (undefined when the rows are already in order). Jet does not keep
 * rows in insertion order on every page, so the storage order is not trusted.
 */
function dataPointOrder(points: Float64Array): Int32Array | undefined {
  let sorted = true;
  for (let i = 1; i < points.length && sorted; i++) if (!(points[i]! > points[i - 1]!)) sorted = false;
  if (sorted) return undefined;
  const idx = Array.from({ length: points.length }, (_, i) => i);
  idx.sort((a, b) => points[a]! - points[b]! || a - b);
  return Int32Array.from(idx);
}

function reorder(values: Float64Array, order: Int32Array | undefined): Float64Array {
  if (order === undefined) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]!]!;
  return out;
}

/** Data point -> row, by arithmetic when the points are consecutive, else through a map. */
function rowLookup(points: Float64Array): RowOfDataPoint {
  const n = points.length;
  const first = points[0]!;
  if (points[n - 1]! - first === n - 1 && Number.isInteger(first)) {
    let consecutive = true;
    for (let i = 1; i < n && consecutive; i++) if (points[i]! !== first + i) consecutive = false;
    if (consecutive) {
      return (p) => (Number.isInteger(p) && p >= first && p < first + n ? p - first : -1);
    }
  }
  const map = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!map.has(points[i]!)) map.set(points[i]!, i);
  return (p) => map.get(p) ?? -1;
}

/** One OLE date (local wall clock) to Unix seconds, rounded to the microsecond. */
function oleDayToUnixS(days: number, timeZone: string): number {
  if (!Number.isFinite(days)) return NaN;
  return naiveMsToUnixS(Math.round(oleDaysToNaiveMs(days) * 1000) / 1000, timeZone);
}

function oleToUnixS(days: Float64Array, timeZone: string): Float64Array {
  const out = new Float64Array(days.length);
  for (let i = 0; i < days.length; i++) out[i] = days[i]! > 0 ? oleDayToUnixS(days[i]!, timeZone) : NaN;
  return out;
}

function sniffPlain(s: SniffInput): number {
  if (!isJetDatabase(s.head)) return 0;
  return s.ext === 'res' ? 1 : 0.8;
}

/** Arbin `.res` (MITS Pro results, an MS Access database). See `readArbinRes`. */
export const arbinResReader: FormatReader = {
  id: 'arbin-res',
  vendor: 'Arbin',
  description: 'Arbin .res (MITS Pro results, MS Access database)',
  binary: true,
  sniff: sniffPlain,
  read: readArbinRes,
};

/** A gzipped Arbin `.res` (`*.res.gz`). See `readArbinRes`. */
export const arbinResGzReader: FormatReader = {
  id: 'arbin-res-gz',
  vendor: 'Arbin',
  description: 'gzipped Arbin .res',
  binary: true,
  sniff: (s) => (isGzip(s.head) && /\.res\.gz$/i.test(s.name) ? 1 : 0),
  read: readArbinRes,
};
