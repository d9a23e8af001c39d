import type { CategoryColumn, ColumnInput, DataWarning } from '../../core/index.js';
import { counterFromFloat } from '../checks.js';
import { filledFloat64 } from '../column-memory.js';
import { biologicColumnSpec, genericBiologicSpec, type BiologicColumnSpec } from './columns.js';

/** One column as read from a BioLogic file, in the file's own units, named by its `.mpt` header. */
export type BiologicRawColumn =
  | { readonly header: string; readonly values: Float64Array; readonly source?: string }
  | { readonly header: string; readonly category: CategoryColumn };

export interface AssembleBiologicOptions {
  /**
   * Unix time (s, UTC) of the acquisition start. When the file has no `uts/s` column,
   * `unix_time_s = startUnixS + test_time_s`.
   */
  readonly startUnixS?: number;
  /**
   * true: the caller hands its value arrays over (they are used by nobody else), so unit
   * conversions overwrite them instead of copying. Default false: the input is left unchanged.
   */
  readonly owned?: boolean;
}

export interface AssembledBiologic {
  readonly columns: Record<string, ColumnInput>;
  readonly warnings: DataWarning[];
}

/**
 * Turns BioLogic columns (EC-Lab `.mpt`, `.mpr`, BT-Lab exports) into discern channels with the
 * shared column table (`columns.ts`): unit conversion (mA -> A, mA.h -> Ah, C -> Ah), `-Im(Z)`
 * negated to `z_imag_Ohm`, capacities and energies as magnitudes, counters as Int32.
 * `voltage_V` is `Ecell/V` when the file has it, else a copy of the working-electrode potential
 * (`ewe_V` is always kept). Where two columns claim one channel (`I/mA` and `<I>/mA`) the
 * instantaneous one wins and the other becomes auxiliary. Pure: used by every BioLogic reader so
 * that text and binary files of one run give the same Frame columns.
 * @example assembleBiologicColumns([{ header: 'I/mA', values }]).columns.current_A
 */
export function assembleBiologicColumns(
  raw: readonly BiologicRawColumn[],
  options: AssembleBiologicOptions = {},
): AssembledBiologic {
  const warnings: DataWarning[] = [];
  const specs = raw.map((c) => biologicColumnSpec(c.header));
  // The winner of each contested channel: the lowest rank, the first in file order on a tie.
  const winner = new Map<string, number>();
  specs.forEach((s, i) => {
    if (!('values' in raw[i]!)) return;
    const w = winner.get(s.channel);
    if (w === undefined || s.rank < specs[w]!.rank) winner.set(s.channel, i);
  });
  const columns: Record<string, ColumnInput> = {};
  const used = new Set<string>();
  const unique = (name: string): string => {
    let n = name;
    for (let k = 2; used.has(n); k++) n = `${name}_${k}`;
    used.add(n);
    return n;
  };
  // Winners keep their channel; reserve those names so that no auxiliary column takes them.
  for (const [channel] of winner) used.add(channel);
  for (let i = 0; i < raw.length; i++) {
    const col = raw[i]!;
    if ('category' in col) {
      columns[unique(genericBiologicSpec(col.header).channel)] = {
        values: col.category,
        unit: '',
        source: col.header,
      };
      continue;
    }
    let spec: BiologicColumnSpec = specs[i]!;
    let name = spec.channel;
    if (winner.get(spec.channel) !== i) {
      spec = { ...spec, channel: spec.fallback ?? genericBiologicSpec(col.header).channel, kind: 'float' };
      name = unique(spec.channel);
    }
    const values = convert(col.values, spec, options.owned === true);
    if (spec.kind === 'int') {
      const c = counterFromFloat(values, name);
      warnings.push(...c.warnings);
      columns[name] = { values: c.values, unit: '1', source: col.source ?? col.header };
    } else {
      columns[name] = { values, unit: spec.unit, source: col.source ?? col.header };
    }
  }
  const ewe = columns['ewe_V'];
  if (columns['voltage_V'] === undefined && ewe !== undefined) {
    columns['voltage_V'] = { values: ewe.values, unit: 'V', ...(ewe.source ? { source: ewe.source } : {}) };
  }
  const time = columns['test_time_s'];
  if (
    columns['unix_time_s'] === undefined &&
    time !== undefined &&
    time.values instanceof Float64Array &&
    options.startUnixS !== undefined &&
    Number.isFinite(options.startUnixS)
  ) {
    const t = time.values;
    const u = filledFloat64(t.length);
    for (let k = 0; k < t.length; k++) u[k] = options.startUnixS + t[k]!;
    columns['unix_time_s'] = { values: u, unit: 's', source: `${time.source ?? 'time/s'} + start` };
  }
  return { columns, warnings };
}

/** Values in the channel's unit: `values` itself when nothing changes or when `inPlace`. */
function convert(values: Float64Array, spec: BiologicColumnSpec, inPlace: boolean): Float64Array {
  if (spec.factor === 1 && spec.offset === 0 && spec.magnitude !== true) return values;
  const out = inPlace ? values : filledFloat64(values.length);
  const { factor, offset } = spec;
  if (spec.magnitude === true) {
    for (let k = 0; k < values.length; k++) out[k] = Math.abs(values[k]! * factor + offset);
  } else {
    for (let k = 0; k < values.length; k++) out[k] = values[k]! * factor + offset;
  }
  return out;
}

/**
 * With an absolute time format, `time/s` holds date-times (already Unix seconds here): they become
 * `uts/s`, and `time/s` becomes seconds since the acquisition start (or since the first row).
 */
export function absoluteTime(
  columns: BiologicRawColumn[],
  dateHeaders: readonly string[],
  startUnixS: number | undefined,
): BiologicRawColumn[] {
  if (!dateHeaders.includes('time/s') || columns.some((c) => c.header === 'uts/s')) return columns;
  const out: BiologicRawColumn[] = [];
  for (const c of columns) {
    if (c.header !== 'time/s' || !('values' in c)) {
      out.push(c);
      continue;
    }
    const u = c.values;
    let t0 = startUnixS !== undefined && Number.isFinite(startUnixS) ? startUnixS : NaN;
    for (let i = 0; i < u.length && Number.isNaN(t0); i++) t0 = u[i]!;
    const t = new Float64Array(u.length);
    for (let i = 0; i < u.length; i++) t[i] = u[i]! - t0;
    out.push(
      { header: 'time/s', values: t, source: 'time/s (date-time) - start' },
      { header: 'uts/s', values: u, source: 'time/s (date-time)' },
    );
  }
  return out;
}
