import { assertTimeZone, toDiscernError, type Frame } from '../core/index.js';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  completeFrame,
  detectFormat,
  genericCsvReader,
  joinMaccorParts,
  readSource,
  readerById,
  sniffInput,
  type ColumnMapping,
} from '../ingest/index.js';
import { areSequentialMaccorParts, partGroups } from './multipart.js';
import { ingestStreaming, streamThresholdBytes } from './stream-ingest.js';
import type { Store } from '../store/index.js';
import { absolute, collectFiles, loadSourceFile, sha256Hex, sha256OfFile, testNameFor } from './files.js';
import { cycleCount } from './inspect.js';

export interface IngestOptions {
  /** IANA zone for files with naive local times. */
  timeZone?: string;
  /** Force a reader by id. */
  format?: string;
  /** Column mapping for the generic CSV reader. */
  mapping?: ColumnMapping;
  /** Called after each file. */
  onFile?: (result: IngestFileResult, done: number, total: number) => void;
}

export interface IngestFileResult {
  file: string;
  status: 'ingested' | 'duplicate' | 'failed' | 'skipped';
  test?: { id: number; name: string };
  format?: string;
  rows?: number;
  cycles?: number | null;
  warnings: { code: string; message: string }[];
  error?: { code: string; message: string; line?: number; offset?: number };
}

/**
 * Ingests files and folders (recursively) into the store: each file is parsed, checked and stored
 * in one transaction; a file whose bytes are already stored is reported as a duplicate and not
 * stored again; a file that fails is reported with its error code and the others go on.
 * @throws DISCERN_BAD_TIMEZONE, DISCERN_NOT_FOUND (a path does not exist)
 */
export async function ingestPaths(
  store: Store,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestFileResult[]> {
  if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
  const files = collectFiles(paths);
  const results: IngestFileResult[] = [];
  let done = 0;
  const handled = new Set<string>();
  for (const group of partGroups(files.filter((f) => !f.skipped).map((f) => f.path))) {
    const joined = await ingestParts(store, group, options);
    if (joined === undefined) continue;
    for (const p of group) {
      handled.add(p);
      const r = { ...joined, file: p };
      results.push(r);
      options.onFile?.(r, ++done, files.length);
    }
  }
  for (const f of files) {
    if (handled.has(f.path)) continue;
    const r = f.skipped
      ? { file: f.path, status: 'skipped' as const, warnings: [] }
      : await ingestOne(store, f.path, options);
    results.push(r);
    options.onFile?.(r, ++done, files.length);
  }
  return results;
}

/**
 * Reads `stem.001, stem.002, ...` and, when they are the sequential parts of one Maccor test,
 * stores them as one test (one result per part file, all naming that test). Returns undefined
 * when they are not parts of one test (they are then ingested one by one).
 */
async function ingestParts(
  store: Store,
  group: readonly string[],
  options: IngestOptions,
): Promise<IngestFileResult | undefined> {
  let frames: Frame[];
  const files = group.map((p) => loadSourceFile(p));
  try {
    frames = files.map((f) =>
      readSource(f, options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    );
  } catch {
    return undefined;
  }
  if (!areSequentialMaccorParts(frames)) return undefined;
  const shas = files.map((f) => sha256Hex(f.bytes));
  const sha = sha256Hex(new TextEncoder().encode(shas.join('\n')));
  const joined = completeFrame(joinMaccorParts(frames));
  const name = testNameFor(group[0]!);
  const res = await store.insertTest(
    { ...joined, meta: { ...joined.meta, sourceFile: group[0]!, sourceSha256: sha } },
    sha,
    files.map((f, k) => ({
      name: basename(f.name),
      path: absolute(f.name),
      sha256: shas[k]!,
      sizeBytes: f.bytes.length,
    })),
    name,
  );
  return {
    file: group[0]!,
    status: res.status,
    test: { id: res.testId, name: res.name },
    format: joined.meta.format,
    rows: joined.length,
    cycles: cycleCount(joined),
    warnings: joined.meta.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

async function ingestOne(store: Store, path: string, options: IngestOptions): Promise<IngestFileResult> {
  try {
    const streamed = await tryStreaming(store, path, options);
    if (streamed !== undefined) return streamed;
    const file = loadSourceFile(path);
    const sha = sha256Hex(file.bytes);
    const dup = await store.findBySha(sha);
    if (dup) return await duplicateResult(store, path, dup.testId);
    const frame: Frame = readSource(file, {
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
      ...(options.format !== undefined ? { format: options.format } : {}),
      ...(options.mapping !== undefined ? { mapping: options.mapping } : {}),
    });
    const stamped: Frame = {
      ...frame,
      meta: { ...frame.meta, sourceFile: path, sourceSha256: sha, sourceSizeBytes: file.bytes.length },
    };
    const res = await store.insertTest(
      stamped,
      sha,
      [{ name: testNameFor(path), path: absolute(path), sha256: sha, sizeBytes: file.bytes.length }],
      testNameFor(path),
    );
    return {
      file: path,
      status: res.status,
      test: { id: res.testId, name: res.name },
      format: frame.meta.format,
      rows: frame.length,
      cycles: cycleCount(frame),
      warnings: frame.meta.warnings.map((w) => ({ code: w.code, message: w.message })),
    };
  } catch (e) {
    const err = toDiscernError(e, { file: path });
    const j = err.toJSON();
    return {
      file: path,
      // A sidecar, settings or log file belongs with instrument data but holds none: not a failure.
      status: err.code === 'DISCERN_NOT_DATA' ? 'skipped' : 'failed',
      warnings: [],
      error: {
        code: j.code,
        message: j.message,
        ...(j.line !== undefined ? { line: j.line } : {}),
        ...(j.offset !== undefined ? { offset: j.offset } : {}),
      },
    };
  }
}

/** Large files whose reader has a stream plan are ingested in one bounded-memory pass. */
async function tryStreaming(
  store: Store,
  path: string,
  options: IngestOptions,
): Promise<IngestFileResult | undefined> {
  const size = statSync(path).size;
  if (size < streamThresholdBytes()) return undefined;
  const head = readHead(path, 1 << 16);
  const probe = { name: path, bytes: head };
  const reader =
    options.mapping !== undefined
      ? genericCsvReader
      : options.format !== undefined
        ? readerById(options.format)
        : detectFormat(probe);
  const readOptions = {
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    ...(options.mapping !== undefined ? { mapping: options.mapping } : {}),
  };
  const plan = reader.streamPlan?.({ ...sniffInput(probe), size }, readOptions);
  if (plan === undefined) return undefined;
  // The same large file again is found before it is parsed: when a stored source file has this
  // size, hashing the file (about 1 s per GB) settles it. Otherwise the streaming pass computes the
  // hash itself and a duplicate is only known at its end.
  if (await store.hasSourceOfSize(size)) {
    const dup = await store.findBySha(await sha256OfFile(path));
    if (dup) return await duplicateResult(store, path, dup.testId);
  }
  const r = await ingestStreaming(store, path, plan, readOptions);
  return {
    file: path,
    status: r.status,
    test: { id: r.testId, name: r.name },
    format: r.format,
    rows: r.rows,
    cycles: r.cycles,
    warnings: r.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

/** The result for a file whose content is stored already (as test `testId`). */
async function duplicateResult(store: Store, path: string, testId: number): Promise<IngestFileResult> {
  const t = await store.getTest(testId);
  return {
    file: path,
    status: 'duplicate',
    test: { id: t.testId, name: t.name },
    format: t.format,
    rows: t.rows,
    cycles: t.cycles,
    warnings: t.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

function readHead(path: string, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
