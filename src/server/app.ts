import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { DiscernError, httpStatusFor, toDiscernError } from '../core/index.js';
import { LoginLimiter } from './auth.js';
import type { ServerContext } from './context.js';
import { openApiDocument, type RouteDoc } from './openapi.js';
import { adminRoutes } from './routes/admin.js';
import { analysisRoutes } from './routes/analysis.js';
import { authRoutes } from './routes/auth.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { labRoutes } from './routes/lab.js';
import { uploadRoutes } from './routes/upload.js';

export interface AppOptions {
  /** Folder of the dashboard's build (default: dist/web when it holds index.html). */
  webRoot?: string;
  /** Fastify's logger (default off). */
  logger?: boolean;
}

/** The dashboard build: DISCERN_WEB_ROOT, else dist/web next to the compiled or source tree. */
export function defaultWebRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env['DISCERN_WEB_ROOT'],
    resolve(here, '../web'),
    resolve(here, '../../dist/web'),
  ];
  return candidates.find((c): c is string => c !== undefined && existsSync(join(c, 'index.html')));
}

function errorBody(e: DiscernError): { error: ReturnType<DiscernError['toJSON']> } {
  return { error: e.toJSON() };
}

/**
 * The Fastify app of `discern serve`: the JSON API under /api (schemas on every route, the OpenAPI
 * document at /api/openapi.json) and the dashboard's static files, with errors as
 * `{error: {code, message, ...}}` and the HTTP status of the code.
 */
export async function buildApp(ctx: ServerContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 });
  const routes: RouteDoc[] = [];
  app.addHook('onRoute', (r) => {
    routes.push({
      method: r.method,
      url: r.url,
      schema: r.schema as RouteDoc['schema'],
      access: (r.config as { access?: string } | undefined)?.access,
    } as RouteDoc);
  });

  app.setErrorHandler((err: FastifyError | DiscernError, req, reply) => {
    let e: DiscernError;
    if (err instanceof DiscernError) e = err;
    else if ((err as FastifyError).validation) e = new DiscernError('DISCERN_BAD_ARGUMENT', err.message);
    else if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      e = new DiscernError('DISCERN_TOO_LARGE', err.message);
    else if ((err as FastifyError).statusCode !== undefined && (err as FastifyError).statusCode! < 500)
      e = new DiscernError('DISCERN_BAD_ARGUMENT', err.message);
    else {
      req.log.error(err);
      e = toDiscernError(err);
    }
    void reply.code(httpStatusFor(e.code)).type('application/json').send(errorBody(e));
  });

  authRoutes(app, ctx, new LoginLimiter());
  adminRoutes(app, ctx);
  labRoutes(app, ctx);
  analysisRoutes(app, ctx);
  catalogueRoutes(app, ctx);
  uploadRoutes(app, ctx);

  app.get('/api/openapi.json', { schema: { hide: true } as Record<string, unknown> }, async () =>
    openApiDocument(routes, { title: 'discern', version: '0.1.0' }),
  );

  const web = options.webRoot ?? defaultWebRoot();
  if (web !== undefined) await app.register(fastifyStatic, { root: web, prefix: '/', index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    if (web !== undefined && req.method === 'GET' && !path.startsWith('/api/'))
      return reply.type('text/html').sendFile('index.html');
    return reply
      .code(404)
      .type('application/json')
      .send(errorBody(new DiscernError('DISCERN_NOT_FOUND', `no route ${req.method} ${path}`)));
  });
  return app;
}
