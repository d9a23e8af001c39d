// Worker thread of the streaming ingest: parses and completes a large delimited file while the
// main thread appends the previous batches to DuckDB, so both cores work. Protocol (messages):
//   main -> worker: workerData {path, plan}; {type: 'ack'} after each batch is stored.
//   worker -> main: {type: 'batch', batch} (buffers transferred), then {type: 'end', summary}
//   or {type: 'error', error}.
import { parentPort, workerData } from 'node:worker_threads';
import { DiscernError } from '../core/index.js';
import type { StreamPlan } from '../ingest/index.js';
import { parseStream } from './stream-parse.js';

/** Batches posted and not yet acknowledged at most: bounds the memory between the threads. */
const MAX_IN_FLIGHT = 3;

const port = parentPort!;
const { path, plan } = workerData as { path: string; plan: StreamPlan };
let inFlight = 0;
let wake: (() => void) | undefined;
port.on('message', (m: { type: string }) => {
  if (m.type !== 'ack') return;
  inFlight--;
  wake?.();
  wake = undefined;
});

try {
  const summary = await parseStream(path, plan, async (batch) => {
    const transfer = new Set<ArrayBuffer>();
    const { blocks } = batch;
    for (const a of [
      ...Object.values(batch.columns),
      blocks.n,
      ...Object.values(blocks.counts),
      ...Object.values(blocks.min),
      ...Object.values(blocks.max),
    ])
      transfer.add(a.buffer as ArrayBuffer);
    inFlight++;
    port.postMessage({ type: 'batch', batch }, [...transfer]);
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
  });
  port.postMessage({ type: 'end', summary });
} catch (e) {
  port.postMessage({
    type: 'error',
    error:
      e instanceof DiscernError
        ? {
            discern: true,
            code: e.code,
            message: e.message,
            file: e.file,
            line: e.line,
            offset: e.offset,
            column: e.column,
          }
        : { discern: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) },
  });
}
port.close();
