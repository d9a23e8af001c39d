import type { FastifyReply, FastifyRequest } from 'fastify';
import { DiscernError } from '../core/index.js';
import { secretHash, sessionPrincipal, tokenPrincipal } from '../app/sessions.js';
import type { Principal, Role } from '../app/users.js';
import type { ServerContext } from './context.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'discern_session';

/** Who may call a route: anyone, or a logged-in user of at least this role. */
export type Access = 'public' | Role;

const RANK: Record<Role, number> = { viewer: 1, engineer: 2, admin: 3 };

/** The value of a cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie value of a session (HttpOnly, SameSite=Strict, Path=/). */
export function sessionCookie(id: string, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeS))}`;
}

/** The principal of a request: the Bearer token (API token or the local CLI's) or the session cookie. */
export async function principalOfRequest(
  ctx: ServerContext,
  req: FastifyRequest,
): Promise<Principal | undefined> {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (m === null) return undefined;
    const token = m[1]!;
    if (ctx.cliToken !== undefined && secretHash(token) === secretHash(ctx.cliToken))
      return { username: 'local-cli', role: 'admin', suppliers: '*' };
    return tokenPrincipal(ctx.reader, token);
  }
  const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
  return id === undefined || id === '' ? undefined : sessionPrincipal(ctx.reader, id);
}

/**
 * Checks access to a route and returns the principal.
 * @throws DISCERN_UNAUTHENTICATED (401) without a valid session or token; DISCERN_FORBIDDEN
 *   (403) when the role is below `access`
 */
export async function authorize(ctx: ServerContext, req: FastifyRequest, access: Role): Promise<Principal> {
  const p = await principalOfRequest(ctx, req);
  if (p === undefined)
    throw new DiscernError('DISCERN_UNAUTHENTICATED', 'log in first (or send a Bearer token)');
  if (RANK[p.role] < RANK[access])
    throw new DiscernError('DISCERN_FORBIDDEN', `this needs the ${access} role; ${p.username} is ${p.role}`);
  return p;
}

/**
 * Failed logins per user name and per client address: after `max` failures for a name (4 x `max`
 * for an address, which a lab may share) within `windowS` seconds, further attempts are refused
 * (429) until the oldest failure leaves the window.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly max = Number(process.env['DISCERN_LOGIN_MAX_FAILURES']) || 5,
    readonly windowS = 15 * 60,
  ) {}

  private recent(key: string, t: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((x) => t - x < this.windowS);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** @throws DISCERN_RATE_LIMITED when the user name or the address has too many recent failures */
  check(username: string, ip: string): void {
    const t = Date.now() / 1000;
    for (const key of [`u:${username}`, `ip:${ip}`]) {
      const list = this.recent(key, t);
      if (list.length >= (key.startsWith('ip:') ? 4 * this.max : this.max))
        throw new DiscernError(
          'DISCERN_RATE_LIMITED',
          `too many failed logins; try again in ${Math.ceil(this.windowS - (t - list[0]!))} s`,
        );
    }
  }

  fail(username: string, ip: string): void {
    const t = Date.now() / 1000;
    for (const key of [`u:${username}`, `ip:${ip}`]) this.failures.set(key, [...this.recent(key, t), t]);
  }

  succeed(username: string): void {
    this.failures.delete(`u:${username}`);
  }
}

/** Sends a DiscernError as `{error: {...}}` with its HTTP status. */
export function sendError(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json').send(body);
}
