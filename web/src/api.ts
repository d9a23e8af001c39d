/**
 * The dashboard's client of the discern HTTP API (contract: /api/openapi.json). JSON keys are
 * snake_case with SI units in the names, as in the CLI's --json output.
 */

/** The error body every API route returns on failure. */
export interface ApiErrorBody {
  code: string;
  message: string;
  file?: string;
  line?: number;
  offset?: number;
}

/** A failed API call: HTTP status plus the discern error code, message and location. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  readonly offset?: number;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    if (body.file !== undefined) this.file = body.file;
    if (body.line !== undefined) this.line = body.line;
    if (body.offset !== undefined) this.offset = body.offset;
  }
}

/** Roles of the contract: admin > engineer > viewer. */
export type Role = 'admin' | 'engineer' | 'viewer';

/** GET /api/me. */
export interface Me {
  username: string;
  role: Role;
  suppliers: string[] | '*';
}

/** A discern warning as stored with a test. */
export interface Warning {
  code: string;
  message: string;
}

/** One stored test as listed by GET /api/overview. */
export interface TestSummary {
  test_id: number;
  name: string;
  format: string;
  vendor: string;
  kind: string;
  rows: number;
  cycles: number | null;
  sample: string | null;
  cell_model: string | null;
  supplier: string | null;
  start_unix_s: number | null;
  warnings: Warning[] | number;
}

/** GET /api/overview. */
export interface Overview {
  suppliers: { id: string; name: string }[];
  cell_models: {
    id: string;
    supplier: string | null;
    chemistry: string | null;
    format: string | null;
    nominal_capacity_Ah: number | null;
  }[];
  samples: { serial: string; cell_model: string | null; state: string | null }[];
  tests: TestSummary[];
}

/** GET /api/tests/:id. */
export interface TestDetail extends TestSummary {
  channels: { name: string; unit: string }[];
}

/** GET /api/tests/:id/series: min/max per pixel bucket (min == max at full resolution). */
export interface Series {
  x: string;
  from: number | null;
  to: number | null;
  rows_in_range: number;
  downsampled: boolean;
  t: number[];
  series: Record<string, { min: (number | null)[]; max: (number | null)[] }>;
}

/** One row of GET /api/tests/:id/cycles (the `discern cycles --json` array); fields used here. */
export interface CycleRow {
  cycle: number;
  charge_capacity_Ah: number | null;
  discharge_capacity_Ah: number | null;
  coulombic_efficiency: number | null;
  energy_efficiency?: number | null;
  [key: string]: unknown;
}

/** GET /api/tests/:id/ica. */
export interface IcaCurve {
  cycle: number;
  voltage_V: number[];
  dqdv_Ah_per_V: number[];
}

/** One impedance sweep of a test (the `sweeps` of GET /api/tests/:id/eis). */
export interface EisSweep {
  sweep: number;
  first_row: number;
  last_row: number;
  points: number;
  start_frequency_Hz: number;
  end_frequency_Hz: number;
  direction: 'down' | 'up' | 'single';
  cycle: number | null;
  step: number | null;
  mean_test_time_s: number | null;
  fittable: boolean;
}

/** GET /api/tests/:id/eis: one sweep (`sweep` of `sweep_count`), all sweeps listed, its fit. */
export interface Eis {
  sweep?: number;
  sweep_count?: number;
  sweeps?: EisSweep[];
  frequency_Hz: number[];
  z_real_Ohm: number[];
  z_imag_Ohm: number[];
  fit_error?: ApiErrorBody;
  fit?: {
    circuit: string;
    parameters: Record<string, number> | { name: string; value: number; unit?: string }[];
    rmse: number;
    z_real_Ohm: number[];
    z_imag_Ohm: number[];
  };
}

/** One ingest result, exactly like `discern ingest --json`. */
export interface IngestResult {
  file: string;
  status: string;
  test?: { id: number; name: string } | null;
  format?: string | null;
  rows?: number | null;
  cycles?: number | null;
  warnings?: Warning[];
  error?: ApiErrorBody;
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = (body as { error?: ApiErrorBody } | undefined)?.error;
    throw new ApiError(res.status, err ?? { code: `HTTP_${res.status}`, message: res.statusText || text });
  }
  return body as T;
}

/** GET a JSON route; throws ApiError on a non-2xx answer. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...(signal ? { signal } : {}) });
  return parse<T>(res);
}

/** POST (or DELETE) a JSON body; throws ApiError on a non-2xx answer. */
export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    ...(body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });
  return parse<T>(res);
}

/** Number of warnings of a test (the overview may give the list or a count). */
export function warningCount(w: Warning[] | number | undefined): number {
  if (typeof w === 'number') return w;
  return w?.length ?? 0;
}

/** "code: message (file, line N)" as the CLI prints it. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const where = [
      e.file,
      e.line !== undefined ? `line ${e.line}` : undefined,
      e.offset !== undefined ? `byte ${e.offset}` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(', ');
    return `${e.code}: ${e.message}${where ? ` (${where})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}
