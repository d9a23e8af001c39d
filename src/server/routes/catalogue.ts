import type { FastifyInstance } from 'fastify';
import { evaluateClaims, maturity } from '../../app/catalogue.js';
import { cellReportData } from '../../app/report.js';
import { candidatesFromOpenStore, rankCandidatesOf } from '../../app/rank.js';
import { parseProgramme } from '../../arbiter/programme.js';
import { overview, visibleCellModel } from '../../app/visibility.js';
import { renderCellReport } from '../../arbiter/report-html.js';
import type { ServerContext } from '../context.js';
import { plain } from '../plain.js';
import { addRoute } from '../route.js';
import { freeObject } from '../schemas.js';

const cellModelId = { type: 'string', minLength: 1, maxLength: 200 } as const;

/**
 * Catalogue and arbiter routes (issue 7's functions): claim verdicts, maturity and the HTML report
 * of a cell model, and the programme ranking, all limited to the suppliers the user may see.
 */
export function catalogueRoutes(app: FastifyInstance, ctx: ServerContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/claims',
    access: 'viewer',
    schema: {
      summary: "Verdicts of a cell model's claims against the measurements, with their evidence",
      tags: ['catalogue'],
      querystring: {
        type: 'object',
        required: ['cell_model'],
        additionalProperties: false,
        properties: { cell_model: cellModelId },
      },
      response: { 200: { type: 'array', items: freeObject } },
    },
    handler: async (req, _reply, p) => {
      const m = await visibleCellModel(ctx.reader, p!, (req.query as { cell_model: string }).cell_model);
      return plain(await evaluateClaims(ctx.reader, m.name));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/maturity',
    access: 'viewer',
    schema: {
      summary: 'Maturity per visible cell model, then per chemistry (over the visible models only)',
      tags: ['catalogue'],
      response: { 200: { type: 'array', items: freeObject } },
    },
    handler: async (_req, _reply, p) => {
      const ids = (await overview(ctx.reader, p!)).cell_models.map((m) => m.id);
      return ids.length === 0 ? [] : plain(await maturity(ctx.reader, { cellModels: ids }));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/reports/:cell_model.html',
    access: 'viewer',
    schema: {
      summary: 'The HTML report of a cell model (claims, plots, consistency, maturity, passport)',
      tags: ['catalogue'],
      params: { type: 'object', required: ['cell_model'], properties: { cell_model: cellModelId } },
    },
    handler: async (req, reply, p) => {
      const m = await visibleCellModel(ctx.reader, p!, (req.params as { cell_model: string }).cell_model);
      const html = renderCellReport(await cellReportData(ctx.reader, m.name, new Date().toISOString()));
      return reply.type('text/html; charset=utf-8').send(html);
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/rank',
    access: 'viewer',
    schema: {
      summary:
        'Rank the visible candidate cells for a vehicle programme (the programme file as JSON; ' +
        'docs/methods/ranking.md): pack projection, WLTC range, 10-80 % time, score, Pareto front, weight sensitivity',
      tags: ['catalogue'],
      body: { type: 'object' },
      response: { 200: freeObject },
    },
    handler: async (req, _reply, p) => {
      // The programme schema (zod, with line numbers for files) is the one validation; JSON is YAML.
      const programme = parseProgramme(JSON.stringify(req.body, null, 1), 'request body');
      const visible = new Set((await overview(ctx.reader, p!)).cell_models.map((m) => m.id));
      const source = await candidatesFromOpenStore(ctx.reader, visible);
      return plain(rankCandidatesOf(programme, source, { file: 'request body' }));
    },
  });
}
