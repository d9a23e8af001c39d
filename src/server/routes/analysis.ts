import type { FastifyInstance } from 'fastify';
import { analysisContext, icaReport, type AnalysisContext } from '../../app/analysis.js';
import { testSeries, SERIES_X, type SeriesX } from '../../app/series.js';
import { visibleTest } from '../../app/visibility.js';
import type { Principal } from '../../app/users.js';
import { hppc } from '../../analysis/pulse/hppc.js';
import { fitCircuit } from '../../analysis/eis/fit-circuit.js';
import { parseCircuit } from '../../analysis/eis/circuit.js';
import { sweepSpectrum } from '../../analysis/eis/spectrum.js';
import { chosenSweep, sweepRecord, usableSweeps } from '../../app/eis.js';
import { DiscernError, type Frame } from '../../core/index.js';
import { loadFrame, type TestRecord } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { plain, snakePlain } from '../plain.js';
import { addRoute } from '../route.js';
import { eisSweep, freeObject, idParams, series } from '../schemas.js';

const CACHE = 2;

/** The frame of a visible test, from a small cache (dropped on delete). */
function cached(
  ctx: ServerContext,
  record: TestRecord,
): { frame: Promise<Frame>; analysis?: Promise<AnalysisContext> } {
  const id = record.testId;
  let e = ctx.frames.get(id);
  if (e === undefined) {
    e = { frame: loadFrame(ctx.reader, record) };
    e.frame.catch(() => ctx.frames.delete(id));
    ctx.frames.set(id, e);
    while (ctx.frames.size > CACHE) ctx.frames.delete(ctx.frames.keys().next().value!);
  }
  return e;
}

async function frameOf(
  ctx: ServerContext,
  p: Principal,
  id: number,
): Promise<{ frame: Frame; record: TestRecord }> {
  const { record } = await visibleTest(ctx.reader, p, id);
  return { frame: await cached(ctx, record).frame, record };
}

/** Steps, cycles and the cycle summary of a visible test (cached with its frame). */
async function contextOf(ctx: ServerContext, p: Principal, id: number): Promise<AnalysisContext> {
  const { record } = await visibleTest(ctx.reader, p, id);
  const e = cached(ctx, record);
  e.analysis ??= e.frame.then((frame) =>
    analysisContext({ test: { id: record.testId, name: record.name } }, frame),
  );
  return e.analysis;
}

const numberList = (name: string, s: string | undefined): number[] | undefined => {
  if (s === undefined || s === '') return undefined;
  const out = s.split(',').map(Number);
  if (out.some((x) => !Number.isInteger(x)))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `${name} must be comma-separated integers, got "${s}"`);
  return out;
};

/** Series (downsampled in DuckDB), cycles, ICA, EIS and HPPC of a test. */
export function analysisRoutes(app: FastifyInstance, ctx: ServerContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/tests/:id/series',
    access: 'viewer',
    schema: {
      summary: 'Time series, min/max per pixel bucket computed in DuckDB (rows themselves when they fit)',
      tags: ['tests'],
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          channels: {
            type: 'string',
            pattern: '^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$',
            default: 'voltage_V,current_A',
            description: 'comma-separated channels; channels the test lacks are left out of `series`',
          },
          x: { type: 'string', enum: [...SERIES_X], default: 'test_time_s' },
          from: { type: 'number', description: 'start of the x range (inclusive)' },
          to: { type: 'number', description: 'end of the x range (inclusive)' },
          points: { type: 'integer', minimum: 2, maximum: 100000, default: 1200 },
        },
      },
      response: { 200: series },
    },
    handler: async (req, _reply, p) => {
      const q = req.query as { channels: string; x: SeriesX; from?: number; to?: number; points: number };
      const { record } = await visibleTest(ctx.reader, p!, (req.params as { id: number }).id);
      return testSeries(ctx.reader, record, {
        channels: q.channels.split(','),
        x: q.x,
        points: q.points,
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
      });
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/tests/:id/cycles',
    access: 'viewer',
    schema: {
      summary: 'Per-cycle summary (the `discern cycles --json` array)',
      tags: ['analysis'],
      params: idParams,
      response: { 200: { type: 'array', items: freeObject } },
    },
    handler: async (req, _reply, p) =>
      snakePlain((await contextOf(ctx, p!, (req.params as { id: number }).id)).summary),
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/tests/:id/ica',
    access: 'viewer',
    schema: {
      summary: 'dQ/dV of charge half cycles (default: first, middle and last cycle)',
      tags: ['analysis'],
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { cycles: { type: 'string', pattern: '^[0-9]+(,[0-9]+)*$' } },
      },
      response: {
        200: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              cycle: { type: 'integer' },
              voltage_V: { type: 'array', items: { type: ['number', 'null'] } },
              dqdv_Ah_per_V: { type: 'array', items: { type: ['number', 'null'] } },
              peaks: { type: 'array', items: freeObject },
            },
          },
        },
      },
    },
    handler: async (req, _reply, p) => {
      const c = await contextOf(ctx, p!, (req.params as { id: number }).id);
      const cycles = numberList('cycles', (req.query as { cycles?: string }).cycles);
      const r = icaReport(c, cycles);
      return r.curves.map((k) => ({
        cycle: k.cycle,
        voltage_V: plain(k.curve.x),
        dqdv_Ah_per_V: plain(k.curve.y),
        peaks: snakePlain(k.peaks),
      }));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/tests/:id/eis',
    access: 'viewer',
    schema: {
      summary:
        'One impedance sweep of a test (the test may hold several; all are listed), and an equivalent-circuit fit of that sweep when `circuit` is given',
      tags: ['analysis'],
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          circuit: { type: 'string', maxLength: 200, description: 'impedance.py syntax, e.g. R0-p(R1,CPE1)' },
          sweep: {
            type: 'integer',
            minimum: 1,
            description: '1-based impedance sweep (default 1; `sweeps` in the answer lists them)',
          },
          spectrum: { type: 'integer', minimum: 1, description: 'older name of `sweep`' },
        },
      },
      response: { 200: eisSweep },
    },
    handler: async (req, _reply, p) => {
      const q = req.query as { circuit?: string; sweep?: number; spectrum?: number };
      const { frame, record } = await frameOf(ctx, p!, (req.params as { id: number }).id);
      const sweeps = usableSweeps(frame);
      const chosen = chosenSweep(sweeps, q.sweep ?? q.spectrum ?? 1, `test ${record.testId}`)!;
      const s = sweepSpectrum(frame, chosen);
      const out: Record<string, unknown> = {
        sweep: chosen.index,
        sweep_count: sweeps.length,
        spectrum: chosen.index,
        spectra: sweeps.length,
        sweeps: plain(sweeps.map(sweepRecord)),
        frequency_Hz: plain(s.frequencyHz),
        z_real_Ohm: plain(s.zReal),
        z_imag_Ohm: plain(s.zImag),
      };
      if (q.circuit !== undefined && q.circuit !== '') {
        // A bad circuit is the caller's error; a sweep too short for it still shows its points.
        parseCircuit(q.circuit);
        try {
          const fit = fitCircuit(s, q.circuit);
          out['fit'] = plain({
            circuit: fit.circuit,
            parameters: fit.parameters.map((x) => ({
              name: x.name,
              value: x.value,
              stderr: x.stderr,
              unit: x.unit,
              ci95: x.ci95,
              fixed: x.fixed,
            })),
            rmse: fit.rmse,
            converged: fit.converged,
            frequency_Hz: fit.frequencyHz,
            z_real_Ohm: fit.zFitReal,
            z_imag_Ohm: fit.zFitImag,
          });
        } catch (e) {
          if (!(e instanceof DiscernError) || e.code !== 'DISCERN_INSUFFICIENT_DATA') throw e;
          out['fit_error'] = e.toJSON();
        }
      }
      return out;
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/tests/:id/hppc',
    access: 'viewer',
    schema: {
      summary: 'Pulse (HPPC / DC) resistance (the `discern hppc --json` result)',
      tags: ['analysis'],
      params: idParams,
      response: { 200: freeObject },
    },
    handler: async (req, _reply, p) => {
      const { frame, record } = await frameOf(ctx, p!, (req.params as { id: number }).id);
      return plain({ source: { kind: 'test', id: record.testId, name: record.name }, ...hppc(frame) });
    },
  });
}
