import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Store } from '../store/index.js';
import { audit } from '../app/audit.js';
import { randomPassword } from '../app/passwords.js';
import { explainLock, removeServerInfo, writeServerInfo } from '../app/server-info.js';
import { addUser, countUsers } from '../app/users.js';
import { buildApp, type AppOptions } from './app.js';
import { dataDirFor, Mutex, uploadMaxBytes, type ServerContext } from './context.js';

export interface ServeOptions extends AppOptions {
  db: string;
  /** Port (0 = any free port). Default 8080. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Password of the first admin when the store has no user (default DISCERN_ADMIN_PASSWORD, else random). */
  adminPassword?: string;
  /** Called once with a generated admin password, to show it to the operator. */
  onAdminCreated?: (username: string, password: string | undefined) => void;
  /** Write `<db>.server.json` (default true). */
  writeInfo?: boolean;
}

/** A running server: its app, address, and `close()` (stops listening, closes the store, removes the server file). */
export interface RunningServer {
  app: FastifyInstance;
  ctx: ServerContext;
  url: string;
  port: number;
  close: () => Promise<void>;
}

/**
 * Opens the store, creates the first admin when there is no user, and listens. While it runs it
 * holds the DuckDB file; `<db>.server.json` ({pid, port, host, started_unix_s, cli_token}) tells
 * the CLI where it is.
 * @throws DISCERN_DB_LOCKED when another process holds the file
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  let store: Store;
  try {
    store = await Store.open(options.db);
  } catch (e) {
    throw explainLock(options.db, e);
  }
  const aux = await store.fork();
  const reader = await store.fork();
  const writeInfo = options.writeInfo ?? true;
  const ctx: ServerContext = {
    dbPath: options.db,
    store,
    aux,
    reader,
    writeLock: new Mutex(),
    auxLock: new Mutex(),
    dataDir: dataDirFor(options.db),
    uploadMaxBytes: uploadMaxBytes(),
    ...(writeInfo ? { cliToken: randomBytes(32).toString('base64url') } : {}),
    frames: new Map(),
  };
  const closeStore = (): void => {
    reader.close();
    aux.close();
    store.close();
  };
  let app: FastifyInstance;
  try {
    if ((await countUsers(aux)) === 0) {
      const given = options.adminPassword ?? process.env['DISCERN_ADMIN_PASSWORD'];
      const password = given ?? randomPassword();
      await addUser(aux, 'admin', 'admin', password);
      await audit(aux, null, 'user.add', 'admin', { role: 'admin', first_run: true });
      options.onAdminCreated?.('admin', given === undefined ? password : undefined);
    }
    app = await buildApp(ctx, options);
    await app.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
  } catch (e) {
    closeStore();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : (options.port ?? 8080);
  const host = options.host ?? '127.0.0.1';
  if (writeInfo)
    writeServerInfo(options.db, {
      pid: process.pid,
      port,
      host,
      started_unix_s: Date.now() / 1000,
      cli_token: ctx.cliToken!,
    });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      await app.close();
      // Let a running ingest finish before the store goes.
      await ctx.writeLock.run(async () => undefined);
      await ctx.auxLock.run(async () => undefined);
      closeStore();
      if (writeInfo) removeServerInfo(options.db);
    })());
  const displayHost = host.includes(':') ? `[${host}]` : host;
  return { app, ctx, url: `http://${displayHost}:${port}`, port, close };
}
