import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { addUser, grantSupplier } from '../../src/app/users.js';

export const ADMIN_PASSWORD = 'admin-pass-123';

/** A real server on an ephemeral port with a temp DuckDB file. */
export interface TestServer {
  server: RunningServer;
  dir: string;
  db: string;
  /** Logs in; returns the Cookie header value. */
  login: (username: string, password: string) => Promise<string>;
  /** A request with a cookie or Bearer token; JSON body when `body` is an object. */
  req: (
    path: string,
    init?: {
      method?: string;
      cookie?: string;
      token?: string;
      body?: unknown;
      headers?: Record<string, string>;
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  ) => Promise<{ status: number; json: any; headers: Headers }>;
  /** Creates a user (with grants) directly in the store. */
  user: (name: string, role: string, suppliers?: string[]) => Promise<string>;
  close: () => Promise<void>;
}

export async function startTestServer(options: { webRoot?: string } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'discern-server-'));
  const db = join(dir, 'lab.duckdb');
  const server = await startServer({
    db,
    port: 0,
    adminPassword: ADMIN_PASSWORD,
    writeInfo: false,
    ...options,
  });
  const req: TestServer['req'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.cookie !== undefined) headers['cookie'] = init.cookie;
    if (init.token !== undefined) headers['authorization'] = `Bearer ${init.token}`;
    let body: string | Uint8Array | undefined;
    if (init.body instanceof Uint8Array) {
      body = init.body;
      headers['content-type'] ??= 'application/octet-stream';
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    const json: unknown = (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    return { status: res.status, json, headers: res.headers };
  };
  const login = async (username: string, password: string): Promise<string> => {
    const r = await req('/api/login', { method: 'POST', body: { username, password } });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.json)}`);
    return r.headers.get('set-cookie')!.split(';')[0]!;
  };
  const user = async (name: string, role: string, suppliers: string[] = []): Promise<string> => {
    const password = `${name}-password`;
    await server.ctx.auxLock.run(async () => {
      await addUser(server.ctx.aux, name, role, password);
      for (const s of suppliers) await grantSupplier(server.ctx.aux, name, s);
    });
    return login(name, password);
  };
  return {
    server,
    dir,
    db,
    login,
    req,
    user,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Puts a test under a supplier (supplier -> cell model -> sample -> test), as the catalogue does,
 * with SQL on the server's own connection.
 */
export async function assignToSupplier(
  t: TestServer,
  testId: number,
  supplier: { slug: string; name: string },
  cellModel: string,
  serial: string,
): Promise<void> {
  const s = t.server.ctx.store;
  await t.server.ctx.writeLock.run(async () => {
    let sup = await s.query('SELECT supplier_id FROM suppliers WHERE slug = $1', [supplier.slug]);
    if (sup.length === 0)
      sup = await s.query('INSERT INTO suppliers (name, slug) VALUES ($1, $2) RETURNING supplier_id', [
        supplier.name,
        supplier.slug,
      ]);
    let cm = await s.query('SELECT cell_model_id FROM cell_models WHERE name = $1', [cellModel]);
    if (cm.length === 0)
      cm = await s.query(
        "INSERT INTO cell_models (supplier_id, name, chemistry, nominal_capacity_Ah) VALUES ($1, $2, 'NMC811', 5) RETURNING cell_model_id",
        [Number(sup[0]!['supplier_id']), cellModel],
      );
    const sample = await s.query(
      "INSERT INTO samples (cell_model_id, serial, state) VALUES ($1, $2, 'in-test') RETURNING sample_id",
      [Number(cm[0]!['cell_model_id']), serial],
    );
    await s.query('UPDATE tests SET sample_id = $1 WHERE test_id = $2', [
      Number(sample[0]!['sample_id']),
      testId,
    ]);
  });
}
