import { CHANNELS, isCanonicalChannel, unitOf } from './channels.js';
import { DiscernError } from './errors.js';
import type { DataWarning } from './warnings.js';

/** A text column stored as dictionary codes (-1 = missing) into `levels`. */
export interface CategoryColumn {
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

/** Float64Array for measurements (NaN = missing), Int32Array for counters, CategoryColumn for labels. */
export type Column = Float64Array | Int32Array | CategoryColumn;

/** Name, unit and the header it came from. */
export interface ChannelInfo {
  readonly name: string;
  readonly unit: string;
  /** The column header (or binary column id) in the source file. */
  readonly source?: string;
}

/** When the test started, with the time zone the file's local times were read in. */
export interface StartTime {
  /** Seconds since the Unix epoch (UTC). */
  readonly unixS: number;
  /** IANA zone used to read local times ("UTC" when the file gives UTC). */
  readonly timeZone: string;
  /** True when the file gave no zone and `timeZone` was assumed. */
  readonly assumed: boolean;
}

/** 'arc': an accelerating-rate-calorimetry run (time, temperature, heat-wait-seek phase). */
export type FrameKind = 'timeseries' | 'impedance' | 'arc';

export interface FrameMeta {
  /** e.g. "Arbin", "Maccor", "BioLogic". */
  readonly vendor: string;
  /** Reader id, e.g. "arbin-csv", "maccor-ascii". */
  readonly format: string;
  readonly kind: FrameKind;
  readonly instrument?: string;
  readonly softwareVersion?: string;
  /** Instrument channel, as the file names it. */
  readonly channel?: string;
  /** Technique (GCPL, PEIS, ...) when the file states it. */
  readonly technique?: string;
  readonly startTime?: StartTime;
  readonly sourceFile?: string;
  readonly sourceSha256?: string;
  readonly sourceSizeBytes?: number;
  /** Other key/value pairs from the file header (kept verbatim). */
  readonly header: Readonly<Record<string, string>>;
  readonly warnings: readonly DataWarning[];
}

/** An immutable columnar table of one test. */
export interface Frame {
  readonly length: number;
  readonly channels: readonly ChannelInfo[];
  readonly columns: Readonly<Record<string, Column>>;
  readonly meta: FrameMeta;
}

export interface ColumnInput {
  values: Column;
  unit?: string;
  source?: string;
}

export interface CreateFrameInput {
  columns: Record<string, ColumnInput | Column>;
  meta: Omit<FrameMeta, 'header' | 'warnings' | 'kind'> &
    Partial<Pick<FrameMeta, 'header' | 'warnings' | 'kind'>>;
}

function isColumnInput(c: ColumnInput | Column): c is ColumnInput {
  return !(c instanceof Float64Array) && !(c instanceof Int32Array) && !('codes' in c);
}

/** Number of rows in a column. */
export function columnLength(c: Column): number {
  return c instanceof Float64Array || c instanceof Int32Array ? c.length : c.codes.length;
}

/**
 * Builds a Frame, checking that every column has the same length and that canonical channels have
 * their canonical unit and storage type.
 * @throws DISCERN_INTERNAL when a reader builds an inconsistent frame (a bug, not bad input).
 */
export function createFrame(input: CreateFrameInput): Frame {
  const columns: Record<string, Column> = {};
  const channels: ChannelInfo[] = [];
  let length = -1;
  for (const [name, raw] of Object.entries(input.columns)) {
    const ci: ColumnInput = isColumnInput(raw) ? raw : { values: raw };
    const n = columnLength(ci.values);
    if (length === -1) length = n;
    else if (n !== length) {
      throw new DiscernError('DISCERN_INTERNAL', `column ${name} has ${n} rows, expected ${length}`);
    }
    const unit = ci.unit ?? unitOf(name);
    if (isCanonicalChannel(name)) {
      const spec = CHANNELS[name];
      if (spec.unit !== unit) {
        throw new DiscernError('DISCERN_INTERNAL', `channel ${name} must be in ${spec.unit}, got ${unit}`);
      }
      const ok =
        (spec.kind === 'float' && ci.values instanceof Float64Array) ||
        (spec.kind === 'int' && ci.values instanceof Int32Array) ||
        (spec.kind === 'category' &&
          !(ci.values instanceof Float64Array) &&
          !(ci.values instanceof Int32Array));
      if (!ok) throw new DiscernError('DISCERN_INTERNAL', `channel ${name} must be stored as ${spec.kind}`);
    }
    columns[name] = ci.values;
    channels.push(ci.source !== undefined ? { name, unit, source: ci.source } : { name, unit });
  }
  return {
    length: Math.max(length, 0),
    channels,
    columns,
    meta: { kind: 'timeseries', header: {}, warnings: [], ...input.meta },
  };
}

/** The Float64 column `name`, or undefined. Int32 counters are returned as-is by `intColumn`. */
export function floatColumn(frame: Frame, name: string): Float64Array | undefined {
  const c = frame.columns[name];
  return c instanceof Float64Array ? c : undefined;
}

/** The Int32 column `name`, or undefined. */
export function intColumn(frame: Frame, name: string): Int32Array | undefined {
  const c = frame.columns[name];
  return c instanceof Int32Array ? c : undefined;
}

/** The category column `name`, or undefined. */
export function categoryColumn(frame: Frame, name: string): CategoryColumn | undefined {
  const c = frame.columns[name];
  return c !== undefined && !(c instanceof Float64Array) && !(c instanceof Int32Array) ? c : undefined;
}

/** Value of row `i` of any column as a JSON-friendly value (NaN and missing become null). */
export function cellValue(c: Column, i: number): number | string | null {
  if (c instanceof Float64Array) {
    const v = c[i];
    return v === undefined || Number.isNaN(v) ? null : v;
  }
  if (c instanceof Int32Array) return c[i] ?? null;
  const code = c.codes[i];
  return code === undefined || code < 0 ? null : (c.levels[code] ?? null);
}

/** Row `i` as an object keyed by channel name. */
export function rowObject(frame: Frame, i: number): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const ch of frame.channels) {
    const c = frame.columns[ch.name];
    if (c !== undefined) out[ch.name] = cellValue(c, i);
  }
  return out;
}

/** A new Frame with extra or replaced columns and merged metadata (the input is not changed). */
export function withColumns(
  frame: Frame,
  columns: Record<string, ColumnInput | Column>,
  meta: Partial<FrameMeta> = {},
): Frame {
  const all: Record<string, ColumnInput | Column> = {};
  for (const ch of frame.channels) {
    const c = frame.columns[ch.name];
    if (c === undefined) continue;
    all[ch.name] =
      ch.source !== undefined
        ? { values: c, unit: ch.unit, source: ch.source }
        : { values: c, unit: ch.unit };
  }
  Object.assign(all, columns);
  return createFrame({ columns: all, meta: { ...frame.meta, ...meta } });
}

/** A new Frame with the warnings appended. */
export function withWarnings(frame: Frame, warnings: readonly DataWarning[]): Frame {
  if (warnings.length === 0) return frame;
  return { ...frame, meta: { ...frame.meta, warnings: [...frame.meta.warnings, ...warnings] } };
}

/** A new Frame holding only the rows in `index` (in that order). */
export function takeRows(frame: Frame, index: ArrayLike<number>): Frame {
  const columns: Record<string, ColumnInput> = {};
  for (const ch of frame.channels) {
    const c = frame.columns[ch.name];
    if (c === undefined) continue;
    let values: Column;
    if (c instanceof Float64Array) {
      const o = new Float64Array(index.length);
      for (let k = 0; k < index.length; k++) o[k] = c[index[k]!]!;
      values = o;
    } else if (c instanceof Int32Array) {
      const o = new Int32Array(index.length);
      for (let k = 0; k < index.length; k++) o[k] = c[index[k]!]!;
      values = o;
    } else {
      const o = new Int32Array(index.length);
      for (let k = 0; k < index.length; k++) o[k] = c.codes[index[k]!]!;
      values = { codes: o, levels: c.levels };
    }
    columns[ch.name] =
      ch.source !== undefined ? { values, unit: ch.unit, source: ch.source } : { values, unit: ch.unit };
  }
  const f = createFrame({ columns, meta: frame.meta });
  return index.length === 0 ? { ...f, length: 0 } : f;
}
