import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DiscernError, isDiscernError } from '../core/index.js';

/**
 * What a running `discern serve` writes beside its DuckDB file (`<db>.server.json`, mode 0600):
 * who holds the file and where its API is. `cli_token` lets the CLI on the same machine, which can
 * read the file (and so could read the database itself), use the API as the local admin.
 */
export interface ServerInfo {
  pid: number;
  port: number;
  host: string;
  started_unix_s: number;
  cli_token?: string;
}

/** Path of the server file of a DuckDB file. */
export function serverInfoPath(db: string): string {
  return `${resolve(db)}.server.json`;
}

/** Writes the server file (mode 0600). */
export function writeServerInfo(db: string, info: ServerInfo): void {
  writeFileSync(serverInfoPath(db), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the server file (when it is ours: same pid). */
export function removeServerInfo(db: string, pid = process.pid): void {
  const info = readServerInfoFile(db);
  if (info === undefined || info.pid === pid) rmSync(serverInfoPath(db), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readServerInfoFile(db: string): ServerInfo | undefined {
  const p = serverInfoPath(db);
  if (!existsSync(p)) return undefined;
  try {
    const j = JSON.parse(readFileSync(p, 'utf8')) as ServerInfo;
    return Number.isInteger(j.pid) && Number.isInteger(j.port) && typeof j.host === 'string' ? j : undefined;
  } catch {
    return undefined;
  }
}

/** The live server holding `db`, if its file exists and its process runs (a stale file is ignored). */
export function readServerInfo(db: string): ServerInfo | undefined {
  const info = readServerInfoFile(db);
  return info !== undefined && alive(info.pid) ? info : undefined;
}

/** Base URL of a server's API host (IPv6 hosts in brackets). */
export function serverUrl(info: ServerInfo): string {
  const host = info.host.includes(':') ? `[${info.host}]` : info.host;
  return `http://${host}:${info.port}`;
}

/**
 * Turns DISCERN_DB_LOCKED into a message that says what to do when a `discern serve` holds the
 * file; any other error is returned unchanged.
 */
export function explainLock(db: string, e: unknown): unknown {
  if (!isDiscernError(e, 'DISCERN_DB_LOCKED')) return e;
  const info = readServerInfo(db);
  if (info === undefined) return e;
  return new DiscernError(
    'DISCERN_DB_LOCKED',
    `discern serve (pid ${info.pid}) at ${serverUrl(info)} holds ${db}; stop it, or use the API ` +
      `(${serverUrl(info)}/api, see /api/openapi.json); discern tests and discern ingest use it by themselves`,
    { file: db },
  );
}
