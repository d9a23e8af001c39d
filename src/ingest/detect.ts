import { DiscernError } from '../core/index.js';
import { READERS } from './registry.js';
import type { FormatReader, SniffInput, SourceFile } from './types.js';

const HEAD_BYTES = 1 << 16;
const latin1 = new TextDecoder('latin1');

/** What the sniffers see of a file. */
export function sniffInput(file: SourceFile): SniffInput {
  const head = file.bytes.subarray(0, HEAD_BYTES);
  const base = file.name.split(/[\\/]/).pop() ?? file.name;
  const dot = base.lastIndexOf('.');
  return {
    name: base,
    ext: dot > 0 ? base.slice(dot + 1).toLowerCase() : '',
    head,
    headText: latin1.decode(head),
    size: file.bytes.length,
  };
}

export interface Detection {
  reader: FormatReader;
  score: number;
}

/** All readers that claim the file, best first. */
export function rankReaders(file: SourceFile, readers: readonly FormatReader[] = READERS): Detection[] {
  const input = sniffInput(file);
  const out: Detection[] = [];
  for (const reader of readers) {
    const score = reader.sniff(input);
    if (score > 0) out.push({ reader, score });
  }
  return out.sort((a, b) => b.score - a.score);
}

/**
 * Finds the reader for a file from its content (and, as a hint, its name).
 * @throws DISCERN_EMPTY_FILE for an empty file; DISCERN_UNKNOWN_FORMAT when no reader claims it.
 * @example detectFormat({ name: 'run.mpt', bytes }).id // 'biologic-mpt'
 */
export function detectFormat(file: SourceFile, readers: readonly FormatReader[] = READERS): FormatReader {
  if (file.bytes.length === 0)
    throw new DiscernError('DISCERN_EMPTY_FILE', 'the file is empty', { file: file.name });
  const best = rankReaders(file, readers)[0];
  if (best === undefined) {
    throw new DiscernError('DISCERN_UNKNOWN_FORMAT', 'no reader recognises this file', { file: file.name });
  }
  return best.reader;
}

/** The reader with the given id. @throws DISCERN_BAD_ARGUMENT for an unknown id. */
export function readerById(id: string, readers: readonly FormatReader[] = READERS): FormatReader {
  const r = readers.find((x) => x.id === id);
  if (r === undefined) throw new DiscernError('DISCERN_BAD_ARGUMENT', `unknown format "${id}"`);
  return r;
}
