import { DiscernError } from '../../core/index.js';

/** First 22 bytes of every .mpr file. */
export const MPR_MAGIC = 'BIO-LOGIC MODULAR FILE';
/** Length of the file header: the magic, 0x1A, spaces up to byte 48, then four zero bytes. */
export const MPR_FILE_HEADER_SIZE = 52;

const MODULE_TAG = 'MODULE';
/** "MODULE", short name (10 bytes), long name (25 bytes). */
const NAMES_SIZE = 6 + 10 + 25;
/** Classic header after the names: length u32, version u32, date (8 ASCII bytes). */
const CLASSIC_SIZE = NAMES_SIZE + 4 + 4 + 8;
/** EC-Lab >= 11.50 header: 0xFFFFFFFF, length u32, version u32, sub-version u32, date. */
const V1150_SIZE = NAMES_SIZE + 4 + 4 + 4 + 4 + 8;

/** One module of an .mpr file: its header fields and where its payload lies. */
export interface MprModule {
  /** Short name without padding, e.g. "VMP Set", "VMP data", "VMP LOG", "VMP loop". */
  readonly name: string;
  readonly longName: string;
  /** Header form: 'classic' (EC-Lab < 11.50) or 'v11.50' (with a 0xFFFFFFFF marker). */
  readonly header: 'classic' | 'v11.50';
  /** The header's version field. */
  readonly version: number;
  /** The second version field of the 11.50 header (10 for settings/log/loop, 11 for data); else 0. */
  readonly subVersion: number;
  /** Date as written, e.g. "01/10/24". */
  readonly date: string;
  /** Byte offset of "MODULE". */
  readonly start: number;
  /** Byte offset of the version field (for error messages). */
  readonly versionOffset: number;
  /** Byte offset of the payload. */
  readonly offset: number;
  /** Payload length in bytes. */
  readonly length: number;
}

function ascii(bytes: Uint8Array, from: number, length: number): string {
  let s = '';
  for (let i = from; i < from + length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/**
 * Splits an .mpr file into its modules. Checks the file header, the "MODULE" tag of every module
 * and that each declared payload lies inside the file; the payloads are not decoded here.
 * @throws DISCERN_EMPTY_FILE; DISCERN_UNKNOWN_FORMAT (no BioLogic magic); DISCERN_UNSUPPORTED_VERSION
 *   (a different file header); DISCERN_PARSE_TRUNCATED (a header or payload cut short, with the
 *   offset); DISCERN_CORRUPT (bytes between modules that are not a module tag).
 * @example readMprModules(bytes, 'cv.mpr').map((m) => m.name) // ['VMP Set', 'VMP data', 'VMP LOG']
 */
export function readMprModules(bytes: Uint8Array, file: string): MprModule[] {
  if (bytes.length === 0) throw new DiscernError('DISCERN_EMPTY_FILE', 'the file is empty', { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLength = Math.min(bytes.length, MPR_MAGIC.length);
  if (ascii(bytes, 0, magicLength) !== MPR_MAGIC.slice(0, magicLength)) {
    throw new DiscernError('DISCERN_UNKNOWN_FORMAT', `not a BioLogic .mpr file (no "${MPR_MAGIC}")`, {
      file,
      offset: 0,
    });
  }
  if (bytes.length < MPR_FILE_HEADER_SIZE) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the file ends inside its 52-byte header', {
      file,
      offset: bytes.length,
    });
  }
  const tail = ascii(bytes, MPR_MAGIC.length, MPR_FILE_HEADER_SIZE - MPR_MAGIC.length);
  if (tail !== `\x1a${' '.repeat(48 - MPR_MAGIC.length - 1)}\0\0\0\0`) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      'unknown .mpr file header (bytes 22-51 differ from the known layout)',
      { file, offset: MPR_MAGIC.length },
    );
  }
  const modules: MprModule[] = [];
  let pos = MPR_FILE_HEADER_SIZE;
  while (pos < bytes.length) {
    const tagLength = Math.min(MODULE_TAG.length, bytes.length - pos);
    if (ascii(bytes, pos, tagLength) !== MODULE_TAG.slice(0, tagLength)) {
      throw new DiscernError('DISCERN_CORRUPT', `expected "${MODULE_TAG}" at the start of a module`, {
        file,
        offset: pos,
      });
    }
    if (bytes.length - pos < NAMES_SIZE + 4) {
      throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the file ends inside a module header', {
        file,
        offset: pos,
      });
    }
    const name = ascii(bytes, pos + 6, 10).replace(/[\0 ]+$/, '');
    const longName = ascii(bytes, pos + 16, 25).replace(/[\0 ]+$/, '');
    const v1150 = view.getUint32(pos + NAMES_SIZE, true) === 0xffffffff;
    const size = v1150 ? V1150_SIZE : CLASSIC_SIZE;
    if (bytes.length - pos < size) {
      throw new DiscernError(
        'DISCERN_PARSE_TRUNCATED',
        `the file ends inside the header of module "${name}"`,
        {
          file,
          offset: pos,
        },
      );
    }
    const f = pos + NAMES_SIZE + (v1150 ? 4 : 0);
    const length = view.getUint32(f, true);
    const versionOffset = f + 4;
    const version = view.getUint32(versionOffset, true);
    const subVersion = v1150 ? view.getUint32(f + 8, true) : 0;
    const date = ascii(bytes, pos + size - 8, 8);
    const offset = pos + size;
    if (offset + length > bytes.length) {
      throw new DiscernError(
        'DISCERN_PARSE_TRUNCATED',
        `module "${name}" declares ${length} bytes but the file ends ${bytes.length - offset} bytes into it`,
        { file, offset: pos },
      );
    }
    modules.push({
      name,
      longName,
      header: v1150 ? 'v11.50' : 'classic',
      version,
      subVersion,
      date,
      start: pos,
      versionOffset,
      offset,
      length,
    });
    pos = offset + length;
  }
  return modules;
}
