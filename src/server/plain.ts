import { snakeKey } from '../app/json-keys.js';
/**
 * A JSON-safe deep copy: typed arrays become arrays, non-finite numbers null, bigints numbers.
 * Analysis results hold Float64Arrays and NaN, which JSON.stringify would mangle.
 */
export function plain(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

/** A value with snake-case keys, JSON-safe (as `discern <analysis> --json` prints it). */
export function snakePlain(value: unknown): unknown {
  const v = plain(value);
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === 'object')
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [snakeKey(k), walk(y)]));
    return x;
  };
  return walk(v);
}
