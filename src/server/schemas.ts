/**
 * JSON schemas shared by the routes: they validate requests at the boundary (Fastify + Ajv),
 * shape the responses, and are the source of the OpenAPI document (src/server/openapi.ts).
 */

/** Any JSON value (documented as free-form). */
export const anyValue = {} as const;

export const nullableNumber = { type: ['number', 'null'] } as const;
export const nullableString = { type: ['string', 'null'] } as const;

/** The error body of every failed call. */
export const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable DISCERN_* code (src/core/errors.ts)' },
        message: { type: 'string' },
        file: { type: 'string' },
        line: { type: 'integer' },
        offset: { type: 'integer' },
      },
    },
  },
} as const;

export const warning = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' } },
} as const;

export const role = { type: 'string', enum: ['admin', 'engineer', 'viewer'] } as const;

export const username = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' } as const;

export const me = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    role,
    suppliers: {
      anyOf: [
        { type: 'array', items: { type: 'string' } },
        { type: 'string', enum: ['*'] },
      ],
    },
  },
} as const;

const testSummaryProperties = {
  test_id: { type: 'integer' },
  name: { type: 'string' },
  format: { type: 'string' },
  vendor: { type: 'string' },
  kind: { type: 'string' },
  rows: { type: 'integer' },
  cycles: { type: ['integer', 'null'] },
  sample: nullableString,
  cell_model: nullableString,
  supplier: nullableString,
  start_unix_s: nullableNumber,
  warnings: { type: 'array', items: warning },
} as const;

export const testSummary = { type: 'object', properties: testSummaryProperties } as const;

export const testDetail = {
  type: 'object',
  properties: {
    ...testSummaryProperties,
    channels: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, unit: { type: 'string' } } },
    },
    instrument: nullableString,
    technique: nullableString,
    time_zone: nullableString,
    time_zone_assumed: { type: ['boolean', 'null'] },
  },
} as const;

export const overview = {
  type: 'object',
  properties: {
    suppliers: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
    },
    cell_models: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          supplier: nullableString,
          chemistry: nullableString,
          format: nullableString,
          nominal_capacity_Ah: nullableNumber,
        },
      },
    },
    samples: {
      type: 'array',
      items: {
        type: 'object',
        properties: { serial: { type: 'string' }, cell_model: nullableString, state: nullableString },
      },
    },
    tests: { type: 'array', items: testSummary },
  },
} as const;

const numbers = { type: 'array', items: { type: 'number' } } as const;
const nullableNumbers = { type: 'array', items: nullableNumber } as const;

export const series = {
  type: 'object',
  properties: {
    x: { type: 'string' },
    from: nullableNumber,
    to: nullableNumber,
    rows_in_range: { type: 'integer' },
    downsampled: { type: 'boolean' },
    resolution_rows: { type: 'integer' },
    t: numbers,
    series: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { min: nullableNumbers, max: nullableNumbers },
      },
    },
  },
} as const;

/** One ingest result, as `discern ingest --json` prints it. */
export const ingestResult = {
  type: 'object',
  properties: {
    file: { type: 'string' },
    status: { type: 'string', enum: ['ingested', 'duplicate', 'failed', 'skipped'] },
    test: {
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' } },
    },
    format: { type: 'string' },
    rows: { type: 'integer' },
    cycles: { type: ['integer', 'null'] },
    warnings: { type: 'array', items: warning },
    error: errorBody.properties.error,
  },
} as const;

/** A free-form object (analysis results whose fields are listed in the CLI docs). */
export const freeObject = { type: 'object', additionalProperties: true } as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, description: 'test id' } },
} as const;

/** One impedance sweep of a test (`discern eis sweeps --json`). */
export const sweepRecord = {
  type: 'object',
  properties: {
    sweep: { type: 'integer', description: '1-based' },
    first_row: { type: 'integer', description: '0-based row of the test where the sweep starts' },
    last_row: { type: 'integer', description: 'its last row (included)' },
    points: { type: 'integer', description: 'rows with a finite impedance' },
    start_frequency_Hz: { type: 'number' },
    end_frequency_Hz: { type: 'number' },
    direction: { type: 'string', enum: ['down', 'up', 'single'] },
    cycle: { type: ['integer', 'null'] },
    step: { type: ['integer', 'null'] },
    mean_test_time_s: nullableNumber,
    fittable: { type: 'boolean', description: 'at least 5 points at more than one frequency' },
  },
} as const;

/** GET /api/tests/:id/eis: one sweep, the list of all sweeps, and the fit of that sweep. */
export const eisSweep = {
  type: 'object',
  properties: {
    sweep: { type: 'integer', description: 'the sweep shown (1-based)' },
    sweep_count: { type: 'integer' },
    spectrum: { type: 'integer', description: 'older name of `sweep`' },
    spectra: { type: 'integer', description: 'older name of `sweep_count`' },
    sweeps: { type: 'array', items: sweepRecord },
    frequency_Hz: nullableNumbers,
    z_real_Ohm: nullableNumbers,
    z_imag_Ohm: nullableNumbers,
    fit: {
      type: 'object',
      properties: {
        circuit: { type: 'string' },
        parameters: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              value: nullableNumber,
              stderr: nullableNumber,
              unit: { type: 'string' },
              ci95: nullableNumbers,
              fixed: { type: 'boolean' },
            },
          },
        },
        rmse: nullableNumber,
        converged: { type: 'boolean' },
        frequency_Hz: nullableNumbers,
        z_real_Ohm: nullableNumbers,
        z_imag_Ohm: nullableNumbers,
      },
    },
    fit_error: {
      ...errorBody.properties.error,
      description: 'why the sweep could not be fitted (too few points); the points are still given',
    },
  },
} as const;
