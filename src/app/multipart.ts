import { basename, dirname } from 'node:path';
import { floatColumn, type Frame } from '../core/index.js';

/** Candidate multi-part groups: files in one folder named `stem.001`, `stem.002`, ... (consecutive). */
export function partGroups(paths: readonly string[]): string[][] {
  const byStem = new Map<string, { n: number; path: string }[]>();
  for (const p of paths) {
    const m = /^(.*)\.(\d{3})$/.exec(basename(p));
    if (m === null) continue;
    const key = `${dirname(p)}\u0000${m[1]!}`;
    const list = byStem.get(key) ?? [];
    list.push({ n: Number(m[2]), path: p });
    byStem.set(key, list);
  }
  const groups: string[][] = [];
  for (const list of byStem.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.n - b.n);
    const consecutive = list.every((x, k) => k === 0 || x.n === list[k - 1]!.n + 1);
    if (consecutive) groups.push(list.map((x) => x.path));
  }
  return groups;
}

function first(a: Float64Array | undefined): number {
  if (a === undefined) return NaN;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) return a[i]!;
  return NaN;
}

function last(a: Float64Array | undefined): number {
  if (a === undefined) return NaN;
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i]!)) return a[i]!;
  return NaN;
}

/**
 * True when frames read from `stem.001, stem.002, ...` are the consecutive parts of one Maccor test
 * rather than different channels: every part is a Maccor time series with the same procedure, and
 * each part starts on the wall clock no earlier than the previous part ended (1 s tolerance) and
 * within 7 days of it. Channels running the same procedure side by side overlap in time, so they
 * are not joined. Without wall-clock times the parts are not joined (there is no evidence).
 */
export function areSequentialMaccorParts(frames: readonly Frame[]): boolean {
  if (frames.length < 2) return false;
  const procedure = (f: Frame): string | undefined =>
    f.meta.header['Procedure'] ?? f.meta.header['procedure'];
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k]!;
    if (!f.meta.format.startsWith('maccor') || f.meta.kind !== 'timeseries' || f.length === 0) return false;
    if (procedure(f) !== procedure(frames[0]!)) return false;
    if (k === 0) continue;
    const prevEnd = last(floatColumn(frames[k - 1]!, 'unix_time_s'));
    const start = first(floatColumn(f, 'unix_time_s'));
    if (!Number.isFinite(prevEnd) || !Number.isFinite(start)) return false;
    if (start < prevEnd - 1 || start > prevEnd + 7 * 86400) return false;
  }
  return true;
}
