import {
  DiscernError,
  concatFrames,
  createFrame,
  floatColumn,
  intColumn,
  type Column,
  type ColumnInput,
  type Frame,
} from '../../core/index.js';

/** Series that `completeFrame` derives; they are per part, so they are dropped before joining. */
const DERIVED = /^(step_count|step_(dis)?charge_(capacity_Ah|energy_Wh)|cumulative_.*)$/;

/** Counters that restart in a new part and continue from the previous part (as Maccor's splicer does). */
const CONTINUED_FLOATS = ['aux_record', 'aux_loop_1', 'aux_loop_2', 'aux_loop_3', 'aux_loop_4'];

function firstFinite(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) return a[i]!;
  return NaN;
}

function lastFinite(a: Float64Array): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i]!)) return a[i]!;
  return NaN;
}

function shifted(frame: Frame, changes: Record<string, Float64Array | Int32Array>): Frame {
  const columns: Record<string, ColumnInput> = {};
  for (const ch of frame.channels) {
    if (DERIVED.test(ch.name)) continue;
    const values: Column = changes[ch.name] ?? frame.columns[ch.name]!;
    columns[ch.name] =
      ch.source !== undefined ? { values, unit: ch.unit, source: ch.source } : { values, unit: ch.unit };
  }
  return createFrame({ columns, meta: frame.meta });
}

/**
 * Joins the parts of one Maccor test (`name.001`, `name.002`, … in that order) into one Frame.
 * When a part's test time starts below the previous part's end, it is shifted to continue: by the
 * wall-clock gap between the parts (from `unix_time_s`) when both have it, else so that it starts
 * where the previous part ended. Cycle index, record number and Loop counters that restart are
 * continued the same way (the previous part's last value is added). Series derived per part
 * (`step_count`, `step_*`, `cumulative_*`) are dropped: run `completeFrame` on the result.
 * Metadata comes from the first part; a DISCERN_MULTIPART warning records the join.
 * @throws DISCERN_BAD_ARGUMENT for no parts, an impedance frame, or a part without test_time_s.
 * @example completeFrame(joinMaccorParts([part1, part2]))
 */
export function joinMaccorParts(frames: readonly Frame[]): Frame {
  if (frames.length === 0)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'joinMaccorParts needs at least one part');
  const parts: Frame[] = [];
  let prev: Frame | undefined;
  for (const [k, f] of frames.entries()) {
    if (f.meta.kind !== 'timeseries' || floatColumn(f, 'test_time_s') === undefined) {
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `part ${k + 1} is not a time series with test_time_s`);
    }
    if (prev === undefined || f.length === 0) {
      parts.push(shifted(f, {}));
      if (f.length > 0) prev = parts[parts.length - 1]!;
      continue;
    }
    const changes: Record<string, Float64Array | Int32Array> = {};
    const t = floatColumn(f, 'test_time_s')!;
    const tPrev = lastFinite(floatColumn(prev, 'test_time_s')!);
    const t0 = firstFinite(t);
    if (t0 < tPrev) {
      const u0 = floatColumn(f, 'unix_time_s');
      const uPrev = floatColumn(prev, 'unix_time_s');
      const gap = u0 !== undefined && uPrev !== undefined ? firstFinite(u0) - lastFinite(uPrev) : NaN;
      const offset = tPrev - t0 + (gap >= 0 ? gap : 0);
      changes['test_time_s'] = t.map((v) => v + offset);
    }
    const cyc = intColumn(f, 'cycle_index');
    const cycPrev = intColumn(prev, 'cycle_index');
    if (cyc !== undefined && cycPrev !== undefined && cyc.length > 0 && cycPrev.length > 0) {
      const last = cycPrev[cycPrev.length - 1]!;
      if (cyc[0]! < last) changes['cycle_index'] = cyc.map((v) => (v < 0 ? v : v + last));
    }
    for (const name of CONTINUED_FLOATS) {
      const a = floatColumn(f, name);
      const b = floatColumn(prev, name);
      if (a === undefined || b === undefined) continue;
      const last = lastFinite(b);
      if (firstFinite(a) < last) changes[name] = a.map((v) => v + last);
    }
    parts.push(shifted(f, changes));
    prev = parts[parts.length - 1]!;
  }
  const joined = concatFrames(parts);
  if (frames.length === 1) return joined;
  const seen = new Set<string>();
  const unique = joined.meta.warnings.filter((w) => {
    const key = `${w.code}|${w.channel ?? ''}|${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    ...joined,
    meta: {
      ...joined.meta,
      warnings: [
        ...unique,
        {
          code: 'DISCERN_MULTIPART',
          message: `${frames.length} Maccor part files were joined into one test (${frames.map((f) => f.length).join(' + ')} rows)`,
          count: frames.length,
        },
      ],
    },
  };
}
