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

const UNITS: [RegExp, string][] = [
  [/DegCS$/, 'degC_s'],
  [/DegC$/, 'degC'],
  [/VPerS$/, 'V_per_s'],
  [/WhPerKg$/, 'Wh_per_kg'],
  [/WPerKg$/, 'W_per_kg'],
  [/Ah$/, 'Ah'],
  [/Wh$/, 'Wh'],
  [/Ohm$/, 'Ohm'],
  [/V$/, 'V'],
  [/A$/, 'A'],
  [/W$/, 'W'],
  [/S$/, 's'],
];

/**
 * `chargeCapacityAh` -> `charge_capacity_Ah`, the CLI's --json key style (same rule as
 * src/cli/commands/analysis.ts snakeKey; kept here so the server does not import the CLI).
 */
export function snakeKey(key: string): string {
  let unit = '';
  let base = key;
  for (const [re, u] of UNITS) {
    if (re.test(key) && /[a-z0-9]/.test(key.replace(re, '').slice(-1))) {
      unit = u;
      base = key.replace(re, '');
      break;
    }
  }
  const snake = base
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z])([A-Z0-9])/g, '$1_$2')
    .replace(/([0-9])([A-Za-z])/g, '$1_$2')
    .toLowerCase();
  return unit ? `${snake}_${unit}` : snake;
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
