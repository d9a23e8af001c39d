import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';

/** Starts the real `discern serve` in a child process and waits for its address. */
async function serve(db: string): Promise<{ child: ChildProcess; url: string; pid: number }> {
  const child = spawn(
    process.execPath,
    [resolve('bin/discern.js'), 'serve', '--port', '0', '--json', '--db', db],
    {
      env: { ...process.env, DISCERN_ADMIN_PASSWORD: 'admin-pass-123' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<{ url: string; pid: number }>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf('}\n');
      if (end >= 0) ok(JSON.parse(out.slice(0, end + 1)) as { url: string; pid: number });
    });
    child.on('exit', (code) => fail(new Error(`discern serve exited (${code}): ${err}`)));
  });
  return { child, ...info };
}

describe.skipIf(!haveFixtures)('CLI against a DuckDB file held by `discern serve`', () => {
  let dir: string;
  let db: string;
  let server: { child: ChildProcess; url: string; pid: number };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'discern-lock-'));
    db = join(dir, 'lab.duckdb');
    server = await serve(db);
  });
  afterAll(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes <db>.server.json (mode 0600) with pid, port and host', () => {
    const p = `${db}.server.json`;
    const info = JSON.parse(readFileSync(p, 'utf8')) as {
      pid: number;
      port: number;
      host: string;
      started_unix_s: number;
    };
    expect(info.pid).toBe(server.pid);
    expect(`http://${info.host}:${info.port}`).toBe(server.url);
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });

  it('`discern ingest` and `discern tests` go through the server API', () => {
    const ing = runCli(['ingest', '--db', db, '--json', fixture('cellpy/neware_uio.csv')]);
    expect(ing.status).toBe(0);
    const r = (ing.json() as { file: string; status: string; rows: number; cycles: number }[])[0]!;
    expect(r).toMatchObject({
      file: fixture('cellpy/neware_uio.csv'),
      status: 'ingested',
      rows: 9065,
      cycles: 4,
    });
    const list = runCli(['tests', '--db', db]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/neware_uio\s+neware-csv\s+9065\s+4/);
    // The upload went into the server's data folder.
    expect(existsSync(join(dir, 'discern-data', 'neware_uio.csv'))).toBe(true);
  });

  it('other commands say which server holds the file and what to do (exit 4)', () => {
    const r = runCli(['export', '1', '--out', join(dir, 'x.csv'), '--db', db]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('DISCERN_DB_LOCKED');
    expect(r.stderr).toContain(`discern serve (pid ${server.pid}) at ${server.url} holds ${db}; stop it`);
    const j = runCli(['cycles', '1', '--db', db, '--json']);
    expect(j.status).toBe(4);
    const e = (j.json() as { error: { code: string; message: string } }).error;
    expect(e.code).toBe('DISCERN_DB_LOCKED');
    expect(e.message).toContain(`discern serve (pid ${server.pid})`);
  });

  it('`discern user add` and `discern token create` work through the server too', async () => {
    const add = runCli(['user', 'add', 'lena', '--role', 'viewer', '--db', db, '--json'], {
      DISCERN_USER_PASSWORD: 'lena-password',
    });
    expect(add.status).toBe(0);
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lena', password: 'lena-password' }),
    });
    expect(login.status).toBe(200);
    const tok = runCli(['token', 'create', 'lena', '--db', db]);
    expect(tok.status).toBe(0);
    const me = await fetch(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${tok.stdout.trim()}` },
    });
    expect(await me.json()).toEqual({ username: 'lena', role: 'viewer', suppliers: [] });
  });

  it('SIGTERM shuts down gracefully: exit 0, server file removed, the store opens again', async () => {
    const exited = new Promise<number | null>((ok) => server.child.on('exit', (code) => ok(code)));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(`${db}.server.json`)).toBe(false);
    const store = await Store.open(db);
    try {
      const users = await store.query('SELECT username FROM users ORDER BY username');
      expect(users.map((u) => u['username'])).toEqual(['admin', 'lena']);
      expect((await store.listTests()).map((x) => x.name)).toEqual(['neware_uio']);
    } finally {
      store.close();
    }
    // With no server, the CLI works on the file directly again.
    expect(runCli(['tests', '--db', db, '--json']).status).toBe(0);
  });
});
