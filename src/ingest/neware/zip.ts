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
 * @throws DISCERN_PARSE_TRUNCATED when the archive ends early (no end-of-central-directory record);
 *   DISCERN_CORRUPT when it is not a valid zip archive (bad directory, implausible entry sizes, bad
 *   compressed data).
 */
export function unzipEntries(
  bytes: Uint8Array,
  file: string,
  keep?: (name: string) => boolean,
): Record<string, Uint8Array> {
  if (!hasEndRecord(bytes)) {
    throw new DiscernError(
      'DISCERN_PARSE_TRUNCATED',
      'the zip archive has no end-of-central-directory record (the file is cut short)',
      { file, offset: bytes.length },
    );
  }
  // Deflate cannot expand more than about 1032:1; a damaged directory can claim gigabytes. Sizes of
  // 0xFFFFFFFF are ZIP64 markers (the real size is in an extra field), checked after inflating.
  const limit = bytes.length * 1100 + 65536;
  const implausible = (name: string, size: number): DiscernError =>
    new DiscernError(
      'DISCERN_CORRUPT',
      `the zip entry ${name} claims ${size} bytes from a ${bytes.length}-byte archive (damaged directory)`,
      { file, offset: 0 },
    );
  let out: Record<string, Uint8Array>;
  try {
    out = unzipSync(bytes, {
      filter: (f) => {
        if (f.originalSize !== 0xffffffff && f.originalSize > limit)
          throw implausible(f.name, f.originalSize);
        return keep === undefined || keep(f.name);
      },
    });
  } catch (e) {
    if (e instanceof DiscernError) throw e;
    const code = (e as { code?: unknown }).code;
    const why = e instanceof Error ? e.message : String(e);
    // fflate error codes: 0 = unexpected end of data, 13 = invalid zip, others = bad deflate data.
    throw new DiscernError(
      code === 0 ? 'DISCERN_PARSE_TRUNCATED' : 'DISCERN_CORRUPT',
      `the zip archive cannot be read (${why})`,
      { file, offset: code === 0 ? bytes.length : 0 },
    );
  }
  for (const [name, b] of Object.entries(out)) if (b.length > limit) throw implausible(name, b.length);
  return out;
}

/** True when the end-of-central-directory signature is in the last 64 KiB + 22 bytes. */
function hasEndRecord(b: Uint8Array): boolean {
  for (let i = b.length - 22; i >= 0 && i >= b.length - 65557; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) return true;
  }
  return false;
}
