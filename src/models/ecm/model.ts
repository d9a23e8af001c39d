import { DiscernError } from '../../core/index.js';

/** R0 and RC values over SOC at one temperature. */
export interface EcmTable {
  /** Temperature of this table, degC; null when the data had no temperature. */
  readonly temperatureDegC: number | null;
  /** SOC grid, %, ascending. */
  readonly socPct: readonly number[];
  /** Series resistance at each SOC, Ohm. */
  readonly r0Ohm: readonly number[];
  /** R of each RC pair (outer index: pair, fastest first), Ohm. */
  readonly rOhm: readonly (readonly number[])[];
  /** C of each RC pair, F (τ = R·C). */
  readonly cF: readonly (readonly number[])[];
}

/**
 * A Thevenin equivalent-circuit model with 1 or 2 RC pairs: V = OCV(SOC) + I·R0 + Σ v_k with
 * dv_k/dt = −v_k/(R_k C_k) + I/C_k (current positive on charge), parameters by SOC (and
 * temperature) in look-up tables, linearly interpolated and held constant beyond their ends.
 */
export interface EcmModel {
  readonly kind: 'thevenin';
  readonly rcPairs: 1 | 2;
  /** Capacity for SOC counting, Ah. */
  readonly capacityAh: number;
  /** Open-circuit voltage by SOC: socPct ascending, V. */
  readonly ocv: { readonly socPct: readonly number[]; readonly voltageV: readonly number[] };
  /** Parameter tables, by ascending temperature. */
  readonly tables: readonly EcmTable[];
  /** Where the model came from (free-form, kept when saved). */
  readonly source?: Readonly<Record<string, unknown>>;
}

function fail(msg: string): never {
  throw new DiscernError('DISCERN_BAD_ARGUMENT', `not a valid ECM model: ${msg}`);
}

function numbers(v: unknown, what: string, n?: number): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
    fail(`${what} must be an array of finite numbers`);
  const a = v as number[];
  if (n !== undefined && a.length !== n) fail(`${what} must have ${n} values, has ${a.length}`);
  return a;
}

function ascending(a: readonly number[], what: string): void {
  for (let i = 1; i < a.length; i++) if (!(a[i]! > a[i - 1]!)) fail(`${what} must be strictly ascending`);
}

/**
 * Checks a parsed JSON value is a Thevenin model and returns it typed.
 * @throws DISCERN_BAD_ARGUMENT naming the first problem found.
 * @example const model = parseEcmModel(JSON.parse(text));
 */
export function parseEcmModel(json: unknown): EcmModel {
  if (typeof json !== 'object' || json === null) fail('not an object');
  const o = json as Record<string, unknown>;
  if (o['kind'] !== 'thevenin') fail(`kind must be "thevenin"`);
  const pairs = o['rcPairs'];
  if (pairs !== 1 && pairs !== 2) fail('rcPairs must be 1 or 2');
  const cap = o['capacityAh'];
  if (typeof cap !== 'number' || !(cap > 0)) fail('capacityAh must be a positive number');
  const ocvIn = o['ocv'] as Record<string, unknown> | undefined;
  if (typeof ocvIn !== 'object' || ocvIn === null) fail('ocv is missing');
  const ocvSoc = numbers(ocvIn['socPct'], 'ocv.socPct');
  const ocvV = numbers(ocvIn['voltageV'], 'ocv.voltageV', ocvSoc.length);
  if (ocvSoc.length === 0) fail('ocv needs at least one point');
  ascending(ocvSoc, 'ocv.socPct');
  const tablesIn = o['tables'];
  if (!Array.isArray(tablesIn) || tablesIn.length === 0) fail('tables must be a non-empty array');
  const tables = (tablesIn as unknown[]).map((t, k): EcmTable => {
    if (typeof t !== 'object' || t === null) fail(`tables[${k}] is not an object`);
    const r = t as Record<string, unknown>;
    const temp = r['temperatureDegC'];
    if (temp !== null && (typeof temp !== 'number' || !Number.isFinite(temp)))
      fail(`tables[${k}].temperatureDegC must be a number or null`);
    const soc = numbers(r['socPct'], `tables[${k}].socPct`);
    if (soc.length === 0) fail(`tables[${k}] needs at least one SOC`);
    ascending(soc, `tables[${k}].socPct`);
    const r0 = numbers(r['r0Ohm'], `tables[${k}].r0Ohm`, soc.length);
    const rr = r['rOhm'];
    const cc = r['cF'];
    if (!Array.isArray(rr) || rr.length !== pairs || !Array.isArray(cc) || cc.length !== pairs)
      fail(`tables[${k}].rOhm and cF must hold ${pairs} arrays`);
    const rOhm = (rr as unknown[]).map((a, j) => numbers(a, `tables[${k}].rOhm[${j}]`, soc.length));
    const cF = (cc as unknown[]).map((a, j) => numbers(a, `tables[${k}].cF[${j}]`, soc.length));
    for (const a of [r0, ...rOhm]) if (a.some((x) => x < 0)) fail(`tables[${k}] has a negative resistance`);
    for (const a of cF)
      if (a.some((x) => !(x > 0))) fail(`tables[${k}] has a capacitance that is not positive`);
    return { temperatureDegC: temp as number | null, socPct: soc, r0Ohm: r0, rOhm, cF };
  });
  const temps = tables.map((t) => t.temperatureDegC);
  if (tables.length > 1) {
    if (temps.some((x) => x === null)) fail('with several tables every table needs a temperature');
    ascending(temps as number[], 'table temperatures');
  }
  const src = o['source'];
  return {
    kind: 'thevenin',
    rcPairs: pairs,
    capacityAh: cap,
    ocv: { socPct: ocvSoc, voltageV: ocvV },
    tables,
    ...(typeof src === 'object' && src !== null ? { source: src as Record<string, unknown> } : {}),
  };
}

/** Index of the interval of ascending `xs` holding x, and the weight of its upper end (clamped). */
export function locate(xs: readonly number[], x: number, out: Float64Array): void {
  const n = xs.length;
  if (n === 1 || !(x > xs[0]!)) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  if (x >= xs[n - 1]!) {
    out[0] = n - 2;
    out[1] = 1;
    return;
  }
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  out[0] = lo;
  out[1] = (x - xs[lo]!) / (xs[hi]! - xs[lo]!);
}

/** Linear interpolation in an ascending table, constant beyond the ends. */
export function interpolateTable(
  xs: readonly number[],
  ys: readonly number[],
  x: number,
  scratch: Float64Array,
): number {
  locate(xs, x, scratch);
  const i = scratch[0]!;
  const w = scratch[1]!;
  if (xs.length === 1) return ys[0]!;
  return ys[i]! * (1 - w) + ys[i + 1]! * w;
}

/**
 * SOC (%) whose OCV is `voltageV`, by inverting the OCV table (first matching segment; clamped to
 * the table's ends). Useful to start a simulation from a rested cell.
 * @example socFromOcv(model, 3.7)
 */
export function socFromOcv(model: EcmModel, voltageV: number): number {
  const s = model.ocv.socPct;
  const v = model.ocv.voltageV;
  if (s.length === 1) return s[0]!;
  let best = 0;
  let bestErr = Infinity;
  for (let i = 0; i + 1 < s.length; i++) {
    const v0 = v[i]!;
    const v1 = v[i + 1]!;
    const lo = Math.min(v0, v1);
    const hi = Math.max(v0, v1);
    if (voltageV >= lo && voltageV <= hi && v1 !== v0)
      return s[i]! + ((voltageV - v0) / (v1 - v0)) * (s[i + 1]! - s[i]!);
    for (const k of [i, i + 1]) {
      const e = Math.abs(v[k]! - voltageV);
      if (e < bestErr) {
        bestErr = e;
        best = s[k]!;
      }
    }
  }
  return best;
}
