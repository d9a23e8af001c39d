import type { FastifyInstance } from 'fastify';
import { audit, listAudit } from '../../app/audit.js';
import { createApiToken } from '../../app/sessions.js';
import { addUser, grantSupplier, listUsers, principalOf, revokeSupplier } from '../../app/users.js';
import { randomPassword } from '../../app/passwords.js';
import type { ServerContext } from '../context.js';
import { addRoute } from '../route.js';
import { me, nullableString, role, username } from '../schemas.js';

const userList = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      username: { type: 'string' },
      role,
      suppliers: { type: 'array', items: { type: 'string' } },
      created_unix_s: { type: 'number' },
    },
  },
} as const;

/** Users, grants, tokens and the audit log (admin only). */
export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const nameParams = { type: 'object', required: ['name'], properties: { name: username } } as const;

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/users',
    access: 'admin',
    schema: {
      summary: 'All users with their roles and grants',
      tags: ['admin'],
      response: { 200: userList },
    },
    handler: async () => listUsers(ctx.reader),
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/users',
    access: 'admin',
    schema: {
      summary: 'Create a user; without a password a random one is generated and returned once',
      tags: ['admin'],
      body: {
        type: 'object',
        required: ['username', 'role'],
        additionalProperties: false,
        properties: { username, role, password: { type: 'string', minLength: 8, maxLength: 1024 } },
      },
      response: {
        200: {
          type: 'object',
          properties: { username: { type: 'string' }, role, password: nullableString },
        },
      },
    },
    handler: async (req, _reply, p) => {
      const b = req.body as { username: string; role: string; password?: string };
      const password = b.password ?? randomPassword();
      await ctx.auxLock.run(async () => {
        await addUser(ctx.aux, b.username, b.role, password);
        await audit(ctx.aux, p!.username, 'user.add', b.username, { role: b.role });
      });
      return { username: b.username, role: b.role, password: b.password === undefined ? password : null };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/users/:name/grants',
    access: 'admin',
    schema: {
      summary: "Grant a user a supplier's data (supplier key: its slug, else its name)",
      tags: ['admin'],
      params: nameParams,
      body: {
        type: 'object',
        required: ['supplier'],
        additionalProperties: false,
        properties: { supplier: { type: 'string', minLength: 1, maxLength: 200 } },
      },
      response: { 200: me },
    },
    handler: async (req, _reply, p) => {
      const { name } = req.params as { name: string };
      const { supplier } = req.body as { supplier: string };
      await ctx.auxLock.run(async () => {
        await grantSupplier(ctx.aux, name, supplier);
        await audit(ctx.aux, p!.username, 'grant.add', name, { supplier });
      });
      return principalOf(ctx.reader, name);
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/api/users/:name/grants/:supplier',
    access: 'admin',
    schema: {
      summary: 'Withdraw a grant',
      tags: ['admin'],
      params: {
        type: 'object',
        required: ['name', 'supplier'],
        properties: { name: username, supplier: { type: 'string', minLength: 1, maxLength: 200 } },
      },
      response: { 200: me },
    },
    handler: async (req, _reply, p) => {
      const { name, supplier } = req.params as { name: string; supplier: string };
      await ctx.auxLock.run(async () => {
        await revokeSupplier(ctx.aux, name, supplier);
        await audit(ctx.aux, p!.username, 'grant.remove', name, { supplier });
      });
      return principalOf(ctx.reader, name);
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/tokens',
    access: 'admin',
    schema: {
      summary: 'Create an API token for a user (default: yourself); the token is shown once',
      tags: ['admin'],
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { username, label: { type: 'string', maxLength: 200 } },
      },
      response: {
        200: { type: 'object', properties: { token: { type: 'string' }, username: { type: 'string' } } },
      },
    },
    handler: async (req, _reply, p) => {
      const b = (req.body ?? {}) as { username?: string; label?: string };
      const user = b.username ?? p!.username;
      const token = await ctx.auxLock.run(async () => {
        const t = await createApiToken(ctx.aux, user, b.label);
        await audit(
          ctx.aux,
          p!.username,
          'token.create',
          user,
          b.label !== undefined ? { label: b.label } : undefined,
        );
        return t;
      });
      return { token, username: user };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/audit',
    access: 'admin',
    schema: {
      summary: 'The audit log, newest first',
      tags: ['admin'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { limit: { type: 'integer', minimum: 1, maximum: 10000, default: 100 } },
      },
      response: {
        200: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              at_unix_s: { type: 'number' },
              username: nullableString,
              action: { type: 'string' },
              object: nullableString,
              detail: nullableString,
            },
          },
        },
      },
    },
    handler: async (req) => listAudit(ctx.reader, (req.query as { limit: number }).limit),
  });
}
