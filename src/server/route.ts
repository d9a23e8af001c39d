import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Principal } from '../app/users.js';
import { authorize, type Access } from './auth.js';
import type { ServerContext } from './context.js';
import type { RouteDoc } from './openapi.js';

/** A route: its access rule, its JSON schemas (validation and documentation) and its handler. */
export interface RouteSpec {
  method: HTTPMethods;
  url: string;
  access: Access;
  schema: NonNullable<RouteDoc['schema']>;
  handler: (req: FastifyRequest, reply: FastifyReply, principal: Principal | undefined) => Promise<unknown>;
}

/**
 * Registers a route whose handler runs only for principals of at least `access` (401/403
 * otherwise), with its schemas validating the request.
 */
export function addRoute(app: FastifyInstance, ctx: ServerContext, spec: RouteSpec): void {
  app.route({
    method: spec.method,
    url: spec.url,
    schema: spec.schema as Record<string, unknown>,
    config: { access: spec.access },
    handler: async (req, reply) => {
      const p = spec.access === 'public' ? undefined : await authorize(ctx, req, spec.access);
      return spec.handler(req, reply, p);
    },
  });
}
