import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DiscernError, unitOf, type ChannelInfo, type Column, type FrameMeta } from '../core/index.js';
import type { ReadOptions, StreamPlan } from '../ingest/index.js';
import type { InsertResult, Store } from '../store/index.js';
import { absolute, testNameFor } from './files.js';
import { parseStream, streamOutputChannels, type ParsedBatch, type ParseSummary } from './stream-parse.js';

/** Files at least this large are streamed when their reader offers a stream plan (default 64 MiB). */
export function streamThresholdBytes(): number {
  const env = Number(process.env['DISCERN_STREAM_MIN_BYTES']);
  return Number.isFinite(env) && env > 0 ? env : 64 * 1024 * 1024;
}

export interface StreamIngestResult extends InsertResult {
  rows: number;
  cycles: number;
  warnings: FrameMeta['warnings'];
  format: string;
}

/**
 * Ingests a large delimited file in one pass with bounded memory: a worker thread reads the file
 * in 4 MiB chunks, hashes, parses and completes it (derived capacities, checks) while this thread
 * appends the finished batches to DuckDB inside one transaction, so parsing and storing overlap on
 * two cores. `DISCERN_INGEST_WORKER=0` parses on this thread instead. A duplicate (same sha256) is
 * rolled back.
 * @throws DiscernError from the parser (with the line) or the store; nothing is left stored.
 */
export async function ingestStreaming(
  store: Store,
  path: string,
  plan: StreamPlan,
  options: ReadOptions & { onProgress?: (bytes: number) => void } = {},
): Promise<StreamIngestResult> {
  const sources = new Map(plan.channels.map((c) => [c.name, c] as const));
  const channels: ChannelInfo[] = streamOutputChannels(plan).map(
    (name) => sources.get(name) ?? { name, unit: unitOf(name) },
  );
  const meta: FrameMeta = {
    kind: 'timeseries',
    header: {},
    warnings: [],
    ...plan.meta,
    sourceFile: path,
  };
  let summary: ParseSummary | undefined;
  const result = await store.insertStreamingTest(
    { frameMeta: meta, channels },
    testNameFor(path),
    async (append) => {
      const onBatch = (b: ParsedBatch): void => {
        append(b.firstRow, b.rows, b.columns as Record<string, Column>, b.blocks);
        options.onProgress?.(b.bytesRead);
      };
      summary =
        process.env['DISCERN_INGEST_WORKER'] === '0'
          ? await parseStream(path, plan, onBatch)
          : await parseInWorker(path, plan, onBatch);
      options.onProgress?.(summary.bytes);
    },
    () => {
      const s = summary!;
      return {
        rows: s.rows,
        cycles: s.cycles,
        warnings: s.warnings,
        sha256: s.sha256,
        sources: [{ name: testNameFor(path), path: absolute(path), sha256: s.sha256, sizeBytes: s.bytes }],
      };
    },
  );
  const s = summary!;
  return { ...result, rows: s.rows, cycles: s.cycles ?? 0, warnings: s.warnings, format: plan.meta.format };
}

/**
 * A worker running `stream-worker`: the compiled JavaScript next to this module, or under tsx (a
 * development dependency) when this module is itself TypeScript (tests, benchmarks).
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./stream-worker.js', import.meta.url), { workerData });
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./stream-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

type WorkerMessage =
  | { type: 'batch'; batch: ParsedBatch }
  | { type: 'end'; summary: ParseSummary }
  | {
      type: 'error';
      error: {
        discern: boolean;
        code?: string;
        message: string;
        file?: string;
        line?: number;
        offset?: number;
        column?: string;
      };
    };

/**
 * Runs `parseStream` in a worker thread; `onBatch` gets the batches here, in order, and each one is
 * acknowledged after it returns (the worker keeps at most a few batches ahead). A failure of
 * `onBatch` stops the worker and is rethrown.
 */
function parseInWorker(
  path: string,
  plan: StreamPlan,
  onBatch: (batch: ParsedBatch) => void,
): Promise<ParseSummary> {
  const worker = startWorker({ path, plan });
  return new Promise<ParseSummary>((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(e);
    };
    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      if (m.type === 'batch') {
        try {
          onBatch(m.batch);
        } catch (e) {
          fail(e);
          return;
        }
        worker.postMessage({ type: 'ack' });
      } else if (m.type === 'end') {
        settled = true;
        resolve(m.summary);
      } else fail(workerError(m.error));
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!settled) fail(new Error(`the ingest worker for ${path} stopped (exit code ${code})`));
    });
  });
}

/** A DiscernError (same code, message and location) or Error from the worker's plain copy. */
function workerError(e: Extract<WorkerMessage, { type: 'error' }>['error']): Error {
  if (!e.discern || e.code === undefined) return new Error(e.message);
  const err = new DiscernError(e.code as DiscernError['code'], e.message, {
    ...(e.file !== undefined ? { file: e.file } : {}),
    ...(e.line !== undefined ? { line: e.line } : {}),
    ...(e.offset !== undefined ? { offset: e.offset } : {}),
    ...(e.column !== undefined ? { column: e.column } : {}),
  });
  Object.defineProperty(err, 'message', { value: e.message });
  return err;
}
