import { DiscernError } from '../../core/index.js';
import type { TemperatureCurve } from '../inverter/types.js';

/**
 * A library entry as stored in src/powertrain/library/**.json: every value carries the key of its
 * source in `sources` (a citation: datasheet, article, research note, or "assumption: ..." /
 * "calibration: ..." with the reason).
 */
export interface LibraryEntryJson {
  id: string;
  kind: string;
  name: string;
  sources: Record<string, string>;
  values: Record<string, { value: unknown; source: string; note?: string }>;
}

/** One value with its resolved citation, as shown by `discern ... --json`. */
export interface SourcedValue {
  key: string;
  value: unknown;
  source: string;
  note?: string;
}

/**
 * Typed access to a library entry: each getter checks the type and that the value cites a known
 * source; `finish()` rejects keys nobody read (typos), so a misspelt key is an error, not a default.
 */
export class SourcedEntry {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly file: string;
  private readonly json: LibraryEntryJson;
  private readonly used = new Set<string>();

  /** @throws DISCERN_PARSE_BAD_HEADER when the entry lacks id, kind, name, sources or values. */
  constructor(json: unknown, file: string, expectedKind?: string | readonly string[]) {
    this.file = file;
    const j = json as Partial<LibraryEntryJson> | null;
    if (
      j === null ||
      typeof j !== 'object' ||
      typeof j.id !== 'string' ||
      typeof j.kind !== 'string' ||
      typeof j.name !== 'string' ||
      typeof j.sources !== 'object' ||
      j.sources === null ||
      typeof j.values !== 'object' ||
      j.values === null
    ) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        'a library entry needs id, kind, name, sources and values',
        { file },
      );
    }
    const kinds =
      expectedKind === undefined
        ? undefined
        : typeof expectedKind === 'string'
          ? [expectedKind]
          : expectedKind;
    if (kinds && !kinds.includes(j.kind)) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_VALUE',
        `entry ${j.id} is a '${j.kind}', expected ${kinds.join(' or ')}`,
        { file, column: 'kind' },
      );
    }
    this.json = j as LibraryEntryJson;
    this.id = j.id;
    this.kind = j.kind;
    this.name = j.name;
    for (const [key, v] of Object.entries(this.json.values)) {
      if (v === null || typeof v !== 'object' || !('value' in v) || typeof v.source !== 'string') {
        throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `value ${key} needs {value, source}`, {
          file,
          column: key,
        });
      }
      if (!(v.source in this.json.sources)) {
        throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `value ${key} cites unknown source '${v.source}'`, {
          file,
          column: key,
        });
      }
    }
  }

  /** True when the entry has the key. */
  has(key: string): boolean {
    return key in this.json.values;
  }

  private raw(key: string): unknown {
    const v = this.json.values[key];
    if (v === undefined)
      throw new DiscernError('DISCERN_MISSING_COLUMN', `entry ${this.id} has no value '${key}'`, {
        file: this.file,
        column: key,
      });
    this.used.add(key);
    return v.value;
  }

  private fail(key: string, what: string): never {
    throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `entry ${this.id}: '${key}' must be ${what}`, {
      file: this.file,
      column: key,
    });
  }

  /** A finite number. */
  num(key: string): number {
    const v = this.raw(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(key, 'a finite number');
  }

  /** A number, or `fallback` when absent. */
  numOr(key: string, fallback: number): number {
    return this.has(key) ? this.num(key) : fallback;
  }

  /** A string. */
  str(key: string): string {
    const v = this.raw(key);
    return typeof v === 'string' ? v : this.fail(key, 'a string');
  }

  /** An array of finite numbers. */
  nums(key: string): number[] {
    const v = this.raw(key);
    return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))
      ? (v as number[])
      : this.fail(key, 'an array of numbers');
  }

  /** An array of arrays of finite numbers. */
  table(key: string): number[][] {
    const v = this.raw(key);
    const ok =
      Array.isArray(v) &&
      v.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number' && Number.isFinite(x)));
    return ok ? (v as number[][]) : this.fail(key, 'an array of arrays of numbers');
  }

  /** A temperature curve: a number or {degC: [...], value: [...]} with increasing degC. */
  curve(key: string): TemperatureCurve {
    const v = this.raw(key) as { degC?: unknown; value?: unknown } | number;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (v && typeof v === 'object' && Array.isArray(v.degC) && Array.isArray(v.value)) {
      const x = v.degC as unknown[];
      const y = v.value as unknown[];
      const nums = (a: unknown[]): a is number[] =>
        a.every((q) => typeof q === 'number' && Number.isFinite(q));
      if (
        x.length > 0 &&
        x.length === y.length &&
        nums(x) &&
        nums(y) &&
        x.every((q, i) => i === 0 || q > x[i - 1]!)
      ) {
        return { degC: x, value: y };
      }
    }
    return this.fail(key, 'a number or {degC, value} with increasing degC and equal lengths');
  }

  /** All values with their citations (for display). */
  citations(): SourcedValue[] {
    return Object.entries(this.json.values).map(([key, v]) => ({
      key,
      value: v.value,
      source: this.json.sources[v.source]!,
      ...(v.note !== undefined ? { note: v.note } : {}),
    }));
  }

  /** @throws DISCERN_UNKNOWN_COLUMN when a value was never read (a misspelt or unsupported key). */
  finish(): void {
    for (const key of Object.keys(this.json.values)) {
      if (!this.used.has(key))
        throw new DiscernError('DISCERN_UNKNOWN_COLUMN', `entry ${this.id}: unknown value '${key}'`, {
          file: this.file,
          column: key,
        });
    }
  }

  /** Marks keys as read without reading them (values kept for display only). */
  markUsed(prefix: string): void {
    for (const key of Object.keys(this.json.values)) if (key.startsWith(prefix)) this.used.add(key);
  }
}

/**
 * Merges a calibration entry's values under an entry's own (the entry's win), so shared calibrated
 * parameters are stated once. Source keys of the calibration are prefixed with `calibration:`.
 */
export function mergeEntries(entry: LibraryEntryJson, defaults: LibraryEntryJson): LibraryEntryJson {
  const sources: Record<string, string> = { ...entry.sources };
  const values: LibraryEntryJson['values'] = {};
  for (const [k, s] of Object.entries(defaults.sources)) sources[`calibration:${k}`] = s;
  for (const [k, v] of Object.entries(defaults.values))
    values[k] = { ...v, source: `calibration:${v.source}` };
  for (const [k, v] of Object.entries(entry.values)) values[k] = v;
  return { ...entry, sources, values };
}
