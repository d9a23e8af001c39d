import { unzipSync } from 'fflate';
import { DiscernError } from '../../core/index.js';

/** The local-file or end-of-central-directory signature every zip archive starts with. */
export function isZip(head: Uint8Array): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06))
  );
}

/**
 * The entries of a zip archive (`.ndax`, `.nda.zip`), keyed by their path inside the archive.
 * `keep` selects the entries to inflate (all when absent), so large unused entries cost nothing.
 * @throws DISCERN_PARSE_TRUNCATED when the archive ends early; DISCERN_CORRUPT when it is not a
 *   valid zip archive (bad header, bad compressed data).
 */
export function unzipEntries(
  bytes: Uint8Array,
  file: string,
  keep?: (name: string) => boolean,
): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, keep === undefined ? {} : { filter: (f) => keep(f.name) });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = e instanceof Error ? e.message : String(e);
    // fflate error codes: 0 = unexpected end of data, 13 = invalid zip, others = bad deflate data.
    throw new DiscernError(
      code === 0 ? 'DISCERN_PARSE_TRUNCATED' : 'DISCERN_CORRUPT',
      `the zip archive cannot be read (${why})`,
      { file, offset: code === 0 ? bytes.length : 0 },
    );
  }
}
