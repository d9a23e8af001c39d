import { exitCodeFor, toDiscernError, type DiscernError } from '../core/index.js';
import { snakeKey } from '../app/json-keys.js';

/** Writes a value as pretty JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

/** JSON replacer: NaN/Infinity become null, bigint becomes number, typed arrays become arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/**
 * Prints an aligned text table. Headers are named as the same values are in --json (camel-case
 * keys such as `chargeCapacityAh` are shown as `charge_capacity_Ah`).
 */
export function printTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): void {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  const headers = cols.map(headerName);
  const text = rows.map((r) => cols.map((c) => formatCell(r[c])));
  const numeric = cols.map((c) =>
    rows.every((r) => typeof r[c] === 'number' || r[c] === null || r[c] === undefined),
  );
  const widths = headers.map((h, k) => Math.max(h.length, ...text.map((t) => t[k]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((s, k) => (numeric[k] ? s.padStart(widths[k]!) : s.padEnd(widths[k]!)))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(headers)}\n`);
  for (const t of text) process.stdout.write(`${line(t)}\n`);
}

/** A camel-case key in its --json form; any other header (already snake case, a label) as it is. */
function headerName(key: string): string {
  return /^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/.test(key) ? snakeKey(key) : key;
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '-';
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 1000 || Math.abs(v) < 0.001 ? v.toExponential(4) : v.toPrecision(6);
  }
  return String(v);
}

/**
 * Reports an error (as JSON when `json`) on stderr/stdout and sets the exit code from the one
 * code-to-exit-status table in src/core/errors.ts.
 */
export function reportError(e: unknown, json: boolean): void {
  const err: DiscernError = toDiscernError(e);
  if (json) printJson({ error: err.toJSON() });
  else process.stderr.write(`discern: ${err.code}: ${err.message}\n`);
  if (err.code === 'DISCERN_INTERNAL' && e instanceof Error && e.stack && process.env['DISCERN_DEBUG']) {
    process.stderr.write(`${e.stack}\n`);
  }
  process.exitCode = exitCodeFor(err.code);
}
