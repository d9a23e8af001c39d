import type { RouteOptions } from 'fastify';
import { errorBody } from './schemas.js';

type Schema = Record<string, unknown>;

/** What the generator needs of a route (collected by the server's onRoute hook). */
export interface RouteDoc {
  method: string | string[];
  url: string;
  schema?: RouteOptions['schema'] & {
    summary?: string;
    description?: string;
    tags?: string[];
    consumes?: string[];
  };
  access?: string;
}

function parameters(where: 'path' | 'query' | 'header', schema: unknown): Schema[] {
  const s = schema as { properties?: Record<string, Schema>; required?: string[] } | undefined;
  if (s?.properties === undefined) return [];
  return Object.entries(s.properties).map(([name, prop]) => {
    const { description, ...rest } = prop as { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (s.required ?? []).includes(name),
      ...(description !== undefined ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * An OpenAPI 3.1 document built from the routes' JSON schemas (the same schemas that validate the
 * requests): paths with their parameters, request bodies and responses, the error body, and the
 * two ways to authenticate (session cookie, Bearer token).
 */
export function openApiDocument(
  routes: readonly RouteDoc[],
  info: { title: string; version: string },
): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const r of routes) {
    if (!r.url.startsWith('/api/') || (r.schema as { hide?: boolean } | undefined)?.hide === true) continue;
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const s = r.schema ?? {};
    for (const m of methods) {
      const responses: Record<string, Schema> = {};
      for (const [status, body] of Object.entries((s.response ?? {}) as Record<string, Schema>))
        responses[status] = {
          description: (body['description'] as string | undefined) ?? (status === '200' ? 'OK' : status),
          content: { 'application/json': { schema: body } },
        };
      responses['default'] = {
        description: 'error (HTTP status from the code, see src/core/errors.ts)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
      const op: Schema = {
        ...(s.summary !== undefined ? { summary: s.summary } : {}),
        ...(s.description !== undefined ? { description: s.description } : {}),
        ...(s.tags !== undefined ? { tags: s.tags } : {}),
        operationId: `${m.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_x, c: string | undefined) => (c ?? '').toUpperCase())}`,
        parameters: [
          ...parameters('path', s.params),
          ...parameters('query', s.querystring),
          ...parameters('header', s.headers),
        ],
        responses,
        ...(r.access === 'public' ? { security: [] } : {}),
        ...(r.access !== undefined && r.access !== 'public' ? { 'x-discern-role': r.access } : {}),
      };
      if (s.body !== undefined)
        op['requestBody'] = { required: true, content: { 'application/json': { schema: s.body } } };
      else if (s.consumes !== undefined)
        op['requestBody'] = {
          required: true,
          content: Object.fromEntries(
            s.consumes.map((c) => [c, { schema: { type: 'string', contentMediaType: c } }]),
          ),
        };
      (paths[path] ??= {})[m.toLowerCase()] = op;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description:
        'discern HTTP API. JSON, snake_case keys, SI units in the names. Errors are {error: {code, message, file?, line?, offset?}}.',
    },
    paths,
    components: {
      schemas: { Error: errorBody },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'discern_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { token: [] }],
  };
}
