import type { FastifyInstance } from 'fastify';
import { DiscernError } from '../../core/index.js';
import { audit } from '../../app/audit.js';
import { createSession, deleteSession, sessionTtlS } from '../../app/sessions.js';
import { checkPassword } from '../../app/users.js';
import { cookieValue, SESSION_COOKIE, sessionCookie, type LoginLimiter } from '../auth.js';
import type { ServerContext } from '../context.js';
import { addRoute } from '../route.js';
import { me, role } from '../schemas.js';

/** POST /api/login, POST /api/logout, GET /api/me. */
export function authRoutes(app: FastifyInstance, ctx: ServerContext, limiter: LoginLimiter): void {
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/login',
    access: 'public',
    schema: {
      summary: 'Log in; sets the HttpOnly, SameSite=Strict cookie discern_session',
      tags: ['auth'],
      body: {
        type: 'object',
        required: ['username', 'password'],
        additionalProperties: false,
        properties: {
          username: { type: 'string', minLength: 1, maxLength: 64 },
          password: { type: 'string', minLength: 1, maxLength: 1024 },
        },
      },
      response: {
        200: { type: 'object', properties: { username: { type: 'string' }, role } },
      },
    },
    handler: async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string };
      limiter.check(username, req.ip);
      const p = await checkPassword(ctx.reader, username, password);
      if (p === undefined) {
        limiter.fail(username, req.ip);
        await ctx.auxLock.run(() => audit(ctx.aux, null, 'login.failed', username, { ip: req.ip }));
        throw new DiscernError('DISCERN_UNAUTHENTICATED', 'wrong user name or password');
      }
      limiter.succeed(username);
      const s = await ctx.auxLock.run(async () => {
        const session = await createSession(ctx.aux, username);
        await audit(ctx.aux, username, 'login', username, { ip: req.ip });
        return session;
      });
      reply.header('set-cookie', sessionCookie(s.id, sessionTtlS()));
      return { username: p.username, role: p.role };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/logout',
    access: 'public',
    schema: {
      summary: 'Log out (ends the session and clears the cookie)',
      tags: ['auth'],
      response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    },
    handler: async (req, reply) => {
      const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
      if (id !== undefined && id !== '') await ctx.auxLock.run(() => deleteSession(ctx.aux, id));
      reply.header('set-cookie', sessionCookie('', 0));
      return { ok: true };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/me',
    access: 'viewer',
    schema: {
      summary: 'The logged-in user, role and granted suppliers',
      tags: ['auth'],
      response: { 200: me },
    },
    handler: async (_req, _reply, p) => p,
  });
}
