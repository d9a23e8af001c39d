import { Dataset, File, Group } from 'jsfive';
import { DiscernError, type ErrorCode } from '../../core/index.js';
import { readSuperblock } from './superblock.js';

/** One numeric or string dataset read out of an HDF5 file. */
export interface Hdf5Array {
  readonly path: string;
  readonly shape: readonly number[];
  /** numpy-style dtype, e.g. "<f4", "<i8", "S20". */
  readonly dtype: string;
  readonly values: readonly (number | string | bigint)[];
}

/** An opened HDF5 file: the group tree by path, with errors mapped to DiscernError. */
export interface Hdf5Tree {
  readonly file: string;
  /** Member names of the group at `path` ("/" for the root). */
  keys(path: string): string[];
  /** True when `path` names a group. */
  isGroup(path: string): boolean;
  /** Attributes of the group at `path`, with bytes decoded and values that jsfive cannot read left out. */
  groupAttrs(path: string): Record<string, string | number>;
  /** The dataset at `path`. */
  dataset(path: string): Hdf5Array;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Unsupported features of the HDF5 library (not damage) are named as such. */
function codeFor(e: unknown): ErrorCode {
  const m = message(e);
  if (/not ?implemented|not supported|unsupported/i.test(m)) return 'DISCERN_UNSUPPORTED_VERSION';
  return 'DISCERN_CORRUPT';
}

/** Byte offset of a jsfive object's header (jsfive keeps it on its internal data-objects record). */
function headerOffset(obj: unknown): number | undefined {
  const d = (obj as { _dataobjects?: { offset?: unknown } })._dataobjects;
  return typeof d?.offset === 'number' ? d.offset : undefined;
}

function attrValue(v: unknown): string | number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return v.replace(/\0+$/, '');
  return undefined;
}

/**
 * Opens an HDF5 file with jsfive after checking its superblock. Every failure inside the library
 * (it throws strings, TypeErrors and RangeErrors on damaged files) becomes a DiscernError with
 * the byte offset of the object involved where known.
 * @throws DISCERN_PARSE_TRUNCATED, DISCERN_UNSUPPORTED_VERSION, DISCERN_CORRUPT.
 */
export function openHdf5(bytes: Uint8Array, file: string): Hdf5Tree {
  readSuperblock(bytes, file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let root: File;
  try {
    root = new File(buffer, file);
  } catch (e) {
    throw new DiscernError(codeFor(e), `HDF5 root group cannot be read: ${message(e)}`, { file, offset: 0 });
  }
  const cache = new Map<string, Group | Dataset>();
  const get = (path: string): Group | Dataset => {
    const hit = cache.get(path);
    if (hit !== undefined) return hit;
    let obj: Group | Dataset | null;
    try {
      obj = path === '/' ? root : root.get(path);
    } catch (e) {
      throw new DiscernError(codeFor(e), `HDF5 object ${path} cannot be read: ${message(e)}`, { file });
    }
    if (obj === null) throw new DiscernError('DISCERN_CORRUPT', `HDF5 link ${path} is dangling`, { file });
    cache.set(path, obj);
    return obj;
  };
  const group = (path: string): Group => {
    const g = get(path);
    if (!(g instanceof Group)) throw new DiscernError('DISCERN_CORRUPT', `${path} is not a group`, { file });
    return g;
  };
  const guarded = <T>(path: string, obj: unknown, what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof DiscernError) throw e;
      const offset = headerOffset(obj);
      throw new DiscernError(codeFor(e), `HDF5 ${what} of ${path} cannot be read: ${message(e)}`, {
        file,
        ...(offset !== undefined ? { offset } : {}),
      });
    }
  };
  return {
    file,
    keys: (path) => {
      const g = group(path);
      return guarded(path, g, 'member list', () => g.keys);
    },
    isGroup: (path) => get(path) instanceof Group,
    groupAttrs: (path) => {
      const g = group(path);
      return guarded(path, g, 'attributes', () => {
        const out: Record<string, string | number> = {};
        for (const [k, v] of Object.entries(g.attrs)) {
          const a = attrValue(v);
          if (a !== undefined) out[k] = a;
        }
        return out;
      });
    },
    dataset: (path) => {
      const d = get(path);
      if (!(d instanceof Dataset))
        throw new DiscernError('DISCERN_CORRUPT', `${path} is not a dataset`, { file });
      return guarded(path, d, 'data', () => {
        const dtype = d.dtype;
        if (typeof dtype !== 'string') {
          throw new DiscernError(
            'DISCERN_UNSUPPORTED_VERSION',
            `HDF5 dataset ${path} has a compound or reference type`,
            {
              file,
              ...(headerOffset(d) !== undefined ? { offset: headerOffset(d)! } : {}),
            },
          );
        }
        const shape = [...d.shape];
        const count = shape.reduce((a, b) => a * b, 1);
        // A damaged dataspace must not make the library allocate far more than the file can hold
        // (deflate expands at most ~1032:1).
        if (!(count >= 0) || count > bytes.length * 1100) {
          throw new DiscernError('DISCERN_CORRUPT', `HDF5 dataset ${path} claims ${count} elements`, {
            file,
            ...(headerOffset(d) !== undefined ? { offset: headerOffset(d)! } : {}),
          });
        }
        const values = d.value;
        if (values.length !== count) {
          throw new DiscernError(
            'DISCERN_CORRUPT',
            `HDF5 dataset ${path} has ${values.length} of ${count} elements`,
            { file },
          );
        }
        return { path, shape, dtype, values };
      });
    },
  };
}
