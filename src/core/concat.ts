import {
  createFrame,
  type CategoryColumn,
  type Column,
  type ColumnInput,
  type Frame,
  type FrameMeta,
} from './frame.js';

/**
 * Joins frames row-wise (e.g. the parts of a multi-part export). Channels missing from a part are
 * NaN (floats), -1 (ints) or missing (categories) in that part. Metadata comes from the first frame
 * unless `meta` overrides it; warnings of all parts are kept.
 */
export function concatFrames(frames: readonly Frame[], meta: Partial<FrameMeta> = {}): Frame {
  const first = frames[0];
  if (first === undefined) throw new Error('concatFrames needs at least one frame');
  const total = frames.reduce((s, f) => s + f.length, 0);
  const order: { name: string; unit: string; source?: string; kind: 'f' | 'i' | 'c' }[] = [];
  const seen = new Set<string>();
  for (const f of frames) {
    for (const ch of f.channels) {
      if (seen.has(ch.name)) continue;
      seen.add(ch.name);
      const c = f.columns[ch.name]!;
      const kind = c instanceof Float64Array ? 'f' : c instanceof Int32Array ? 'i' : 'c';
      order.push(
        ch.source !== undefined
          ? { name: ch.name, unit: ch.unit, source: ch.source, kind }
          : { name: ch.name, unit: ch.unit, kind },
      );
    }
  }
  const columns: Record<string, ColumnInput> = {};
  for (const ch of order) {
    let values: Column;
    if (ch.kind === 'f') {
      const o = new Float64Array(total).fill(NaN);
      let at = 0;
      for (const f of frames) {
        const c = f.columns[ch.name];
        if (c instanceof Float64Array) o.set(c, at);
        at += f.length;
      }
      values = o;
    } else if (ch.kind === 'i') {
      const o = new Int32Array(total).fill(-1);
      let at = 0;
      for (const f of frames) {
        const c = f.columns[ch.name];
        if (c instanceof Int32Array) o.set(c, at);
        at += f.length;
      }
      values = o;
    } else {
      const levels: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(total).fill(-1);
      let at = 0;
      for (const f of frames) {
        const c = f.columns[ch.name] as CategoryColumn | undefined;
        if (c !== undefined && 'codes' in c) {
          const remap = c.levels.map((l) => {
            let k = index.get(l);
            if (k === undefined) {
              k = levels.length;
              levels.push(l);
              index.set(l, k);
            }
            return k;
          });
          for (let i = 0; i < c.codes.length; i++) {
            const code = c.codes[i]!;
            codes[at + i] = code < 0 ? -1 : remap[code]!;
          }
        }
        at += f.length;
      }
      values = { codes, levels };
    }
    columns[ch.name] =
      ch.source !== undefined ? { values, unit: ch.unit, source: ch.source } : { values, unit: ch.unit };
  }
  return createFrame({
    columns,
    meta: { ...first.meta, warnings: frames.flatMap((f) => f.meta.warnings), ...meta },
  });
}
