import { existsSync, statSync } from 'node:fs';
import { DiscernError, type Frame } from '../core/index.js';
import { readSource } from '../ingest/index.js';
import { loadFrame } from '../store/index.js';
import { loadSourceFile } from './files.js';
import { resolveDbPath, withStore } from './tests.js';

/** Where a frame came from: a file read now, or a stored test. */
export type FrameSource = { kind: 'file'; path: string } | { kind: 'test'; id: number; name: string };

export interface FrameRefOptions {
  /** DuckDB file for stored tests (default: $DISCERN_DB or ./discern.duckdb). */
  db?: string;
  /** IANA zone of naive local times when reading a file. */
  timeZone?: string;
  /** Force a reader by id when reading a file. */
  format?: string;
}

/**
 * Loads the data a command names: an existing file path is read (format detected), anything
 * else is looked up as a stored test (id or name) in the DuckDB store.
 * @throws DISCERN_NOT_FOUND when it is neither a file nor a stored test (or there is no store);
 *   the readers' and the store's errors otherwise.
 * @example const { frame, source } = await loadFrameRef('cell.mpt');
 */
export async function loadFrameRef(
  ref: string,
  options: FrameRefOptions = {},
): Promise<{ frame: Frame; source: FrameSource }> {
  if (existsSync(ref) && statSync(ref).isFile()) {
    const file = loadSourceFile(ref);
    const frame = readSource(file, {
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
      ...(options.format !== undefined ? { format: options.format } : {}),
    });
    return {
      frame: { ...frame, meta: { ...frame.meta, sourceFile: frame.meta.sourceFile ?? ref } },
      source: { kind: 'file', path: ref },
    };
  }
  const db = resolveDbPath(options.db);
  if (!existsSync(db))
    throw new DiscernError(
      'DISCERN_NOT_FOUND',
      `${ref} is not a file, and there is no store at ${db} to look it up in`,
      {
        file: ref,
      },
    );
  return withStore(db, async (store) => {
    const test = await store.getTest(ref);
    const frame = await loadFrame(store, test);
    return { frame, source: { kind: 'test', id: test.testId, name: test.name } };
  });
}
