import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './harness.js';

describe('server: login, roles, tokens, audit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates the first admin, logs in with an HttpOnly SameSite=Strict cookie, and logs out', async () => {
    expect((await t.req('/api/me')).status).toBe(401);
    expect((await t.req('/api/me')).json.error.code).toBe('DISCERN_UNAUTHENTICATED');
    const r = await t.req('/api/login', {
      method: 'POST',
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ username: 'admin', role: 'admin' });
    const setCookie = r.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^discern_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0]!;
    expect((await t.req('/api/me', { cookie })).json).toEqual({
      username: 'admin',
      role: 'admin',
      suppliers: '*',
    });
    // The store keeps the session id hashed, never the id itself.
    const id = cookie.split('=')[1]!;
    const rows = await t.server.ctx.reader.query('SELECT id_sha256 FROM sessions');
    expect(rows.some((x) => x['id_sha256'] === id)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
    expect((await t.req('/api/logout', { method: 'POST', cookie })).status).toBe(200);
    expect((await t.req('/api/me', { cookie })).status).toBe(401);
  });

  it('rejects a wrong password and a malformed body', async () => {
    const r = await t.req('/api/login', { method: 'POST', body: { username: 'admin', password: 'nope' } });
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('DISCERN_UNAUTHENTICATED');
    const bad = await t.req('/api/login', { method: 'POST', body: { username: 'admin' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('DISCERN_BAD_ARGUMENT');
  });

  it('stores passwords as salted scrypt hashes', async () => {
    const rows = await t.server.ctx.reader.query("SELECT password_hash FROM users WHERE username = 'admin'");
    const hash = String(rows[0]!['password_hash']);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain(ADMIN_PASSWORD);
  });

  it('enforces roles: 403 for a role without the right, admin routes for admins only', async () => {
    const viewer = await t.user('vera', 'viewer');
    const engineer = await t.user('eric', 'engineer');
    const admin = await t.login('admin', ADMIN_PASSWORD);
    expect((await t.req('/api/users', { cookie: viewer })).status).toBe(403);
    expect((await t.req('/api/users', { cookie: engineer })).json.error.code).toBe('DISCERN_FORBIDDEN');
    const users = await t.req('/api/users', { cookie: admin });
    expect(users.json.map((u: { username: string }) => u.username)).toEqual(['admin', 'eric', 'vera']);
    const up = await t.req('/api/upload', {
      method: 'POST',
      cookie: viewer,
      headers: { 'x-filename': 'a.csv' },
      body: new TextEncoder().encode('x,y\n1,2\n'),
    });
    expect(up.status).toBe(403);
    expect(up.json.error.code).toBe('DISCERN_FORBIDDEN');
    expect((await t.req('/api/tests/1', { method: 'DELETE', cookie: viewer })).status).toBe(403);
    // Admins create users through the API; a bad role is refused at the boundary.
    const made = await t.req('/api/users', {
      method: 'POST',
      cookie: admin,
      body: { username: 'nina', role: 'viewer' },
    });
    expect(made.status).toBe(200);
    expect(made.json.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await t.login('nina', made.json.password as string);
    const badRole = await t.req('/api/users', {
      method: 'POST',
      cookie: admin,
      body: { username: 'x', role: 'root' },
    });
    expect(badRole.status).toBe(400);
    const dup = await t.req('/api/users', {
      method: 'POST',
      cookie: admin,
      body: { username: 'nina', role: 'viewer' },
    });
    expect(dup.json.error.code).toBe('DISCERN_CONFLICT');
  });

  it('API tokens work as Bearer tokens, are stored hashed, and a wrong token is 401', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const r = await t.req('/api/tokens', {
      method: 'POST',
      cookie: admin,
      body: { username: 'vera', label: 'script' },
    });
    expect(r.status).toBe(200);
    const token = r.json.token as string;
    expect(token).toMatch(/^dsn_[A-Za-z0-9_-]{43}$/);
    expect((await t.req('/api/me', { token })).json).toEqual({
      username: 'vera',
      role: 'viewer',
      suppliers: [],
    });
    expect((await t.req('/api/me', { token: `${token}x` })).status).toBe(401);
    expect((await t.req('/api/users', { token })).status).toBe(403);
    const stored = await t.server.ctx.reader.query('SELECT token_sha256 FROM api_tokens');
    expect(stored.some((x) => x['token_sha256'] === token)).toBe(false);
  });

  it.skipIf(!haveFixtures)(
    'writes audit rows for logins, failed logins, uploads, grants, deletions and tokens',
    async () => {
      const admin = await t.login('admin', ADMIN_PASSWORD);
      const up = await t.req('/api/upload', {
        method: 'POST',
        cookie: admin,
        headers: { 'x-filename': 'neware_uio.csv' },
        body: new Uint8Array(readFileSync(fixture('cellpy/neware_uio.csv'))),
      });
      expect(up.json.status).toBe('ingested');
      await t.req('/api/users/vera/grants', { method: 'POST', cookie: admin, body: { supplier: 'volta' } });
      await t.req('/api/users/vera/grants/volta', { method: 'DELETE', cookie: admin });
      expect((await t.req(`/api/tests/${up.json.test.id}`, { method: 'DELETE', cookie: admin })).status).toBe(
        200,
      );
      expect((await t.req(`/api/tests/${up.json.test.id}`, { cookie: admin })).status).toBe(404);
      const audit = await t.req('/api/audit?limit=1000', { cookie: admin });
      const actions = (
        audit.json as { action: string; username: string | null; object: string | null }[]
      ).map((a) => `${a.action}:${a.username ?? '-'}:${a.object ?? '-'}`);
      for (const expected of [
        'login:admin:admin',
        'login.failed:-:admin',
        `test.upload:admin:${up.json.test.id}`,
        'grant.add:admin:vera',
        'grant.remove:admin:vera',
        `test.delete:admin:${up.json.test.id}`,
        'token.create:admin:vera',
        'user.add:admin:nina',
      ])
        expect(actions).toContain(expected);
      // Newest first.
      const at = (audit.json as { at_unix_s: number }[]).map((a) => a.at_unix_s);
      expect([...at].sort((a, b) => b - a)).toEqual(at);
      expect((await t.req('/api/audit?limit=0', { cookie: admin })).status).toBe(400);
    },
  );

  it('refuses logins after 5 failures for a user, even with the right password', async () => {
    await t.user('rita', 'viewer');
    for (let k = 0; k < 5; k++)
      expect(
        (
          await t.req('/api/login', {
            method: 'POST',
            body: { username: 'rita', password: 'wrong-password' },
          })
        ).status,
      ).toBe(401);
    const r = await t.req('/api/login', {
      method: 'POST',
      body: { username: 'rita', password: 'rita-password' },
    });
    expect(r.status).toBe(429);
    expect(r.json.error.code).toBe('DISCERN_RATE_LIMITED');
  });
});
