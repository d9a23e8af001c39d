import type { FastifyInstance } from 'fastify';
import { audit } from '../../app/audit.js';
import { overview, visibleTest } from '../../app/visibility.js';
import { forgetTestSeries } from '../../app/series-pyramid.js';
import type { ServerContext } from '../context.js';
import { addRoute } from '../route.js';
import { idParams, overview as overviewSchema, testDetail } from '../schemas.js';

/** GET /api/overview, GET /api/tests/:id, DELETE /api/tests/:id. */
export function labRoutes(app: FastifyInstance, ctx: ServerContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/overview',
    access: 'viewer',
    schema: {
      summary: 'Suppliers, cell models, samples and tests the user may see',
      tags: ['lab'],
      response: { 200: overviewSchema },
    },
    handler: async (_req, _reply, p) => overview(ctx.reader, p!),
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/tests/:id',
    access: 'viewer',
    schema: {
      summary: 'Metadata of a test',
      tags: ['tests'],
      params: idParams,
      response: { 200: testDetail },
    },
    handler: async (req, _reply, p) => {
      const { summary, record } = await visibleTest(ctx.reader, p!, (req.params as { id: number }).id);
      return {
        ...summary,
        channels: record.channels.map((c) => ({ name: c.name, unit: c.unit })),
        instrument: record.instrument,
        technique: record.technique,
        time_zone: record.timeZone,
        time_zone_assumed: record.timeZoneAssumed,
      };
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/api/tests/:id',
    access: 'engineer',
    schema: {
      summary: 'Delete a test and its measurements (audited)',
      tags: ['tests'],
      params: idParams,
      response: {
        200: {
          type: 'object',
          properties: {
            deleted: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
          },
        },
      },
    },
    handler: async (req, _reply, p) => {
      const id = (req.params as { id: number }).id;
      const { summary } = await visibleTest(ctx.reader, p!, id);
      await ctx.writeLock.run(() => ctx.store.deleteTest(id));
      ctx.frames.delete(id);
      forgetTestSeries(ctx.reader, id);
      await ctx.auxLock.run(() =>
        audit(ctx.aux, p!.username, 'test.delete', String(id), { name: summary.name }),
      );
      return { deleted: { id, name: summary.name } };
    },
  });
}
