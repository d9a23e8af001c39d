import { dirname, join, resolve } from 'node:path';
import type { Store } from '../store/index.js';
import type { AnalysisContext } from '../app/analysis.js';
import type { Frame } from '../core/index.js';

/** Runs async tasks one at a time (DuckDB allows one open transaction per connection). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every task queued before it has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * What the routes share. The server holds the DuckDB file through three connections of one
 * instance: `store` for ingest and deletions (transactions, one at a time under `writeLock`),
 * `aux` for small writes (sessions, users, audit; autocommit, under `auxLock`) and `reader` for
 * reads, which see committed data only and never wait for an ingest.
 */
export interface ServerContext {
  dbPath: string;
  store: Store;
  aux: Store;
  reader: Store;
  writeLock: Mutex;
  auxLock: Mutex;
  /** Folder uploads are written to: `<db dir>/discern-data`. */
  dataDir: string;
  /** Upload size limit, bytes. */
  uploadMaxBytes: number;
  /** Token of the local CLI (in `<db>.server.json`); acts as the local admin. */
  cliToken?: string;
  /** Frames (and their steps and cycles) of recently used tests, reused by the analysis routes. */
  frames: Map<number, { frame: Promise<Frame>; analysis?: Promise<AnalysisContext> }>;
}

/** Upload limit from DISCERN_UPLOAD_MAX_BYTES (default 2 GiB). */
export function uploadMaxBytes(): number {
  const env = Number(process.env['DISCERN_UPLOAD_MAX_BYTES']);
  return Number.isFinite(env) && env > 0 ? Math.floor(env) : 2 * 1024 ** 3;
}

/** The data folder of a DuckDB file. */
export function dataDirFor(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'discern-data');
}
