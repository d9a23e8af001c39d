import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { DiscernError, isDiscernError, type ErrorCode } from '../core/index.js';
import type { Store } from '../store/index.js';
import { collectFiles } from './files.js';
import type { IngestFileResult } from './ingest.js';
import { explainLock, readServerInfo, serverUrl } from './server-info.js';
import { withStore } from './tests.js';

/** A client of a running `discern serve` (the API of docs/api.md). */
export interface ApiClient {
  url: string;
  /** Calls a JSON route; resolves the body, or rejects with the server's DiscernError code. */
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  /** Sends a raw request and returns status and parsed JSON body. */
  raw: (method: string, path: string, init: RequestInit) => Promise<{ status: number; body: unknown }>;
}

function client(url: string, token: string): ApiClient {
  const raw = async (
    method: string,
    path: string,
    init: RequestInit,
  ): Promise<{ status: number; body: unknown }> => {
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, {
        ...init,
        method,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
      });
    } catch (e) {
      throw new DiscernError(
        'DISCERN_IO',
        `cannot reach discern serve at ${url}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body };
  };
  return {
    url,
    raw,
    call: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const r = await raw(
        method,
        path,
        body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      );
      if (r.status >= 400) {
        const err = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new DiscernError(
          (err?.code ?? 'DISCERN_INTERNAL') as ErrorCode,
          `${err?.message ?? `HTTP ${r.status}`} (via ${url})`,
        );
      }
      return r.body as T;
    },
  };
}

/**
 * Runs `local` on the store; when a running `discern serve` holds the file, runs `remote` against
 * its API instead (with DISCERN_TOKEN, else the server's local CLI token from `<db>.server.json`).
 * @throws DISCERN_DB_LOCKED (explained) when the file is held and no server API can be used
 */
export async function withStoreOrServer<T>(
  db: string,
  local: (store: Store) => Promise<T>,
  remote: (api: ApiClient) => Promise<T>,
): Promise<T> {
  try {
    return await withStore(db, local);
  } catch (e) {
    if (!isDiscernError(e, 'DISCERN_DB_LOCKED')) throw e;
    const info = readServerInfo(db);
    const token = process.env['DISCERN_TOKEN'] ?? info?.cli_token;
    if (info === undefined || token === undefined) throw explainLock(db, e);
    return remote(client(serverUrl(info), token));
  }
}

/**
 * Ingests files and folders through a server's POST /api/upload, one file at a time; the results
 * are those of `discern ingest --json` with `file` the local path. (Multi-part Maccor exports are
 * uploaded as separate files, not joined.)
 */
export async function remoteIngest(
  api: ApiClient,
  paths: readonly string[],
  options: {
    timeZone?: string;
    format?: string;
    onFile?: (r: IngestFileResult, done: number, total: number) => void;
  } = {},
): Promise<IngestFileResult[]> {
  const files = collectFiles(paths);
  const q = new URLSearchParams();
  if (options.timeZone !== undefined) q.set('tz', options.timeZone);
  if (options.format !== undefined) q.set('format', options.format);
  const qs = q.toString() === '' ? '' : `?${q.toString()}`;
  const out: IngestFileResult[] = [];
  for (const f of files) {
    let r: IngestFileResult;
    if (f.skipped) r = { file: f.path, status: 'skipped', warnings: [] };
    else {
      const res = await api.raw('POST', `/api/upload${qs}`, {
        headers: {
          'content-type': 'application/octet-stream',
          'x-filename': encodeURIComponent(basename(f.path)),
        },
        body: Readable.toWeb(createReadStream(f.path)) as unknown as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      const body = res.body as Partial<IngestFileResult> & { error?: IngestFileResult['error'] };
      r =
        typeof body?.status === 'string'
          ? ({ ...body, file: f.path } as IngestFileResult)
          : {
              file: f.path,
              status: 'failed',
              warnings: [],
              error: body?.error ?? { code: 'DISCERN_INTERNAL', message: `HTTP ${res.status}` },
            };
    }
    out.push(r);
    options.onFile?.(r, out.length, files.length);
  }
  return out;
}
