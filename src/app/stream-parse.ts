import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type DataWarning } from '../core/index.js';
import { DelimitedStreamParser, StreamCompleter, type StreamPlan } from '../ingest/index.js';
import { summariseBlocks, type BlockSummary } from '../store/series-blocks.js';

/** One completed batch of a streamed file: typed arrays of canonical channels, in row order. */
export interface ParsedBatch {
  readonly firstRow: number;
  readonly rows: number;
  readonly columns: Readonly<Record<string, Float64Array | Int32Array>>;
  /** Bytes of the file read when this batch was complete. */
  readonly bytesRead: number;
  /** Level 0 of the series pyramid over these rows. */
  readonly blocks: BlockSummary;
}

/** What the single pass over a streamed file found, known only at its end. */
export interface ParseSummary {
  readonly rows: number;
  /** Distinct cycle numbers (null when the file has no cycle column). */
  readonly cycles: number | null;
  readonly warnings: DataWarning[];
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Reads a delimited file in 4 MiB chunks, hashes it, parses it into batches of typed arrays and
 * completes them (derived capacities and energies, step counter, checks, level 0 of the series
 * pyramid). `onBatch` may return a
 * promise: reading waits for it, which is how a slow consumer holds the reader back.
 * @throws DiscernError from the parser, with the file and line.
 */
export async function parseStream(
  path: string,
  plan: StreamPlan,
  onBatch: (batch: ParsedBatch) => void | Promise<void>,
): Promise<ParseSummary> {
  const completer = new StreamCompleter(plan.channels.map((c) => c.name));
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  const cycles = new Set<number>();
  let lastCycle = Number.NaN;
  const pending: ParsedBatch[] = [];
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
      rows += done.rows;
      pending.push({
        ...done,
        bytesRead: bytes,
        blocks: summariseBlocks(done.firstRow, done.rows, done.columns),
      });
    },
  });
  const drain = async (): Promise<void> => {
    while (pending.length > 0) await onBatch(pending.shift()!);
  };
  const stream = createReadStream(path, { highWaterMark: 4 * 1024 * 1024 });
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    hash.update(b);
    bytes += b.length;
    parser.push(b);
    await drain();
  }
  parser.end();
  await drain();
  return {
    rows,
    cycles: plan.channels.some((c) => c.name === 'cycle_index') ? cycles.size : null,
    warnings: completer.warnings(),
    sha256: hash.digest('hex'),
    bytes,
  };
}

/** The names of the channels `parseStream` gives for a plan, in order. */
export function streamOutputChannels(plan: StreamPlan): string[] {
  return new StreamCompleter(plan.channels.map((c) => c.name)).outputChannels();
}
