import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unitOf, type ChannelInfo, type Column, type FrameMeta } from '../core/index.js';
import {
  DelimitedStreamParser,
  StreamCompleter,
  type ReadOptions,
  type StreamPlan,
} from '../ingest/index.js';
import type { InsertResult, Store } from '../store/index.js';
import { absolute, testNameFor } from './files.js';

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
 * Ingests a large delimited file in one pass with bounded memory: the file is read in 4 MiB
 * chunks, hashed, parsed into batches of typed arrays, completed (derived capacities, checks) and
 * appended to DuckDB inside one transaction. A duplicate (same sha256) is rolled back.
 * @throws DiscernError from the parser (with the line) or the store; nothing is left stored.
 */
export async function ingestStreaming(
  store: Store,
  path: string,
  plan: StreamPlan,
  options: ReadOptions & { onProgress?: (bytes: number) => void } = {},
): Promise<StreamIngestResult> {
  const completer = new StreamCompleter(plan.channels.map((c) => c.name));
  const sources = new Map(plan.channels.map((c) => [c.name, c] as const));
  const channels: ChannelInfo[] = completer
    .outputChannels()
    .map((name) => sources.get(name) ?? { name, unit: unitOf(name) });
  const meta: FrameMeta = {
    kind: 'timeseries',
    header: {},
    warnings: [],
    ...plan.meta,
    sourceFile: path,
  };
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  const cycles = new Set<number>();
  let lastCycle = Number.NaN;
  const result = await store.insertStreamingTest(
    { frameMeta: meta, channels },
    testNameFor(path),
    async (append) => {
      const parser = new DelimitedStreamParser({
        delimiter: plan.delimiter,
        columns: plan.columns,
        skipLines: plan.skipLines,
        file: path,
        onBatch: (batch) => {
          const done = completer.process(batch);
          const cyc = done.columns['cycle_index'];
          if (cyc instanceof Int32Array) {
            for (let i = 0; i < cyc.length; i++) {
              const c = cyc[i]!;
              if (c !== lastCycle) {
                if (c >= 0) cycles.add(c);
                lastCycle = c;
              }
            }
          }
          append(done.firstRow, done.rows, done.columns as Record<string, Column>);
          rows += done.rows;
        },
      });
      const stream = createReadStream(path, { highWaterMark: 4 * 1024 * 1024 });
      for await (const chunk of stream) {
        const b = chunk as Buffer;
        hash.update(b);
        bytes += b.length;
        parser.push(b);
        options.onProgress?.(bytes);
      }
      parser.end();
    },
    () => {
      const sha256 = hash.digest('hex');
      return {
        rows,
        cycles: plan.channels.some((c) => c.name === 'cycle_index') ? cycles.size : null,
        warnings: completer.warnings(),
        sha256,
        sources: [{ name: testNameFor(path), path: absolute(path), sha256, sizeBytes: bytes }],
      };
    },
  );
  return { ...result, rows, cycles: cycles.size, warnings: completer.warnings(), format: plan.meta.format };
}
