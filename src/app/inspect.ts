import { intColumn, rowObject, type Frame } from '../core/index.js';
import { readSource } from '../ingest/index.js';
import { loadSourceFile } from './files.js';

export interface InspectResult {
  file: string;
  format: string;
  vendor: string;
  kind: string;
  rows: number;
  cycles: number | null;
  columns: { name: string; unit: string; source?: string }[];
  first: Record<string, number | string | null> | null;
  last: Record<string, number | string | null> | null;
  startTime: { unixS: number; iso: string; timeZone: string; assumed: boolean } | null;
  meta: { instrument?: string; softwareVersion?: string; channel?: string; technique?: string };
  warnings: { code: string; message: string }[];
}

/** Number of distinct non-negative cycle numbers, or null when the frame has no cycle counter. */
export function cycleCount(frame: Frame): number | null {
  const c = intColumn(frame, 'cycle_index');
  if (c === undefined) return null;
  const seen = new Set<number>();
  for (let i = 0; i < c.length; i++) if (c[i]! >= 0) seen.add(c[i]!);
  return seen.size;
}

/** Summary of a parsed frame (what `discern inspect --json` prints). */
export function summarizeFrame(file: string, frame: Frame): InspectResult {
  const m = frame.meta;
  return {
    file,
    format: m.format,
    vendor: m.vendor,
    kind: m.kind,
    rows: frame.length,
    cycles: cycleCount(frame),
    columns: frame.channels.map((c) => ({ ...c })),
    first: frame.length > 0 ? rowObject(frame, 0) : null,
    last: frame.length > 0 ? rowObject(frame, frame.length - 1) : null,
    startTime: m.startTime
      ? {
          unixS: m.startTime.unixS,
          iso: new Date(m.startTime.unixS * 1000).toISOString(),
          timeZone: m.startTime.timeZone,
          assumed: m.startTime.assumed,
        }
      : null,
    meta: {
      ...(m.instrument !== undefined ? { instrument: m.instrument } : {}),
      ...(m.softwareVersion !== undefined ? { softwareVersion: m.softwareVersion } : {}),
      ...(m.channel !== undefined ? { channel: m.channel } : {}),
      ...(m.technique !== undefined ? { technique: m.technique } : {}),
    },
    warnings: m.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

/**
 * Parses a file without storing it.
 * @throws DiscernError from the reader (bad input) or DISCERN_IO.
 */
export function inspectFile(
  path: string,
  options: { timeZone?: string; format?: string } = {},
): InspectResult {
  const file = loadSourceFile(path);
  const frame = readSource(file, options);
  return summarizeFrame(path, frame);
}
