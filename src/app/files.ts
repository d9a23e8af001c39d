import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DiscernError } from '../core/index.js';
import type { SourceFile } from '../ingest/index.js';

/** Extensions that are never instrument data; skipped when a folder is walked (named files are always tried). */
const NOT_DATA = new Set([
  'md',
  'json',
  'yaml',
  'yml',
  'ftr',
  'feather',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'pdf',
  'py',
  'ts',
  'js',
  'html',
  'gitignore',
  'tsv',
]);

export interface CollectedPath {
  path: string;
  /** True when found by walking a folder and skipped as not data. */
  skipped: boolean;
}

/** Files under the given paths (folders walked recursively, sorted, hidden entries ignored). */
export function collectFiles(paths: readonly string[]): CollectedPath[] {
  const out: CollectedPath[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const dot = e.name.lastIndexOf('.');
        const ext = dot > 0 ? e.name.slice(dot + 1).toLowerCase() : '';
        out.push({ path: p, skipped: NOT_DATA.has(ext) });
      }
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new DiscernError('DISCERN_NOT_FOUND', `no such file or folder: ${p}`, { file: p });
    }
    if (st.isDirectory()) walk(p);
    else out.push({ path: p, skipped: false });
  }
  return out;
}

/** Reads a file into a SourceFile named by its path. @throws DISCERN_IO */
export function loadSourceFile(path: string): SourceFile {
  try {
    return { name: path, bytes: new Uint8Array(readFileSync(path)) };
  } catch (e) {
    throw new DiscernError(
      'DISCERN_IO',
      `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      {
        file: path,
      },
    );
  }
}

/** SHA-256 of bytes, hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of a file, hex, read in 4 MiB chunks (memory stays small for any size). @throws DISCERN_IO */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }))
      hash.update(chunk as Buffer);
  } catch (e) {
    throw new DiscernError(
      'DISCERN_IO',
      `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      {
        file: path,
      },
    );
  }
  return hash.digest('hex');
}

/** Test name from a path: the file name without its final extension. */
export function testNameFor(path: string): string {
  const b = basename(path);
  const dot = b.lastIndexOf('.');
  return dot > 0 ? b.slice(0, dot) : b;
}

/** Absolute form of a path. */
export function absolute(path: string): string {
  return resolve(path);
}
