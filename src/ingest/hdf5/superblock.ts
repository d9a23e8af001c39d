import { DiscernError } from '../../core/index.js';

/** The 8-byte signature every HDF5 file starts with (when it has no user block). */
export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** True when `bytes` starts with the HDF5 signature. */
export function hasHdf5Signature(bytes: Uint8Array): boolean {
  if (bytes.length < HDF5_SIGNATURE.length) return false;
  for (let i = 0; i < HDF5_SIGNATURE.length; i++) if (bytes[i] !== HDF5_SIGNATURE[i]) return false;
  return true;
}

/** What the superblock says about the file as a whole. */
export interface Hdf5Superblock {
  /** Superblock version (0..3). */
  readonly version: number;
  /** Size of file addresses in bytes (jsfive reads only 8). */
  readonly offsetSize: number;
  /** The end-of-file address: how long the file must be, in bytes. */
  readonly endOfFile: number;
}

function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

/**
 * Reads the HDF5 superblock (versions 0-3, HDF5 File Format Specification section II.A) far
 * enough to check the version, the address size and the end-of-file address, so that a truncated
 * or foreign file fails here, with a byte offset, before the HDF5 library sees it.
 * @throws DISCERN_UNKNOWN_FORMAT without the signature; DISCERN_UNSUPPORTED_VERSION for an
 *   unknown superblock version or addresses that are not 8 bytes; DISCERN_PARSE_TRUNCATED when
 *   the file is shorter than its end-of-file address says.
 */
export function readSuperblock(bytes: Uint8Array, file: string): Hdf5Superblock {
  if (!hasHdf5Signature(bytes)) {
    throw new DiscernError('DISCERN_UNKNOWN_FORMAT', 'no HDF5 signature at byte 0', { file, offset: 0 });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the HDF5 superblock is cut short', {
      file,
      offset: bytes.length,
    });
  }
  const version = bytes[8]!;
  let offsetSize: number;
  let eofAt: number;
  if (version === 0 || version === 1) {
    offsetSize = bytes.length > 13 ? bytes[13]! : 0;
    // signature 8, 8 one-byte fields, 2+2 B-tree K, 4 flags, (v1: 2 + 2 reserved), base, free space
    eofAt = (version === 0 ? 24 : 28) + 2 * offsetSize;
  } else if (version === 2 || version === 3) {
    offsetSize = bytes[9]!;
    // signature 8, version, offset size, length size, flags, base address, extension address
    eofAt = 12 + 2 * offsetSize;
  } else {
    throw new DiscernError('DISCERN_UNSUPPORTED_VERSION', `HDF5 superblock version ${version}`, {
      file,
      offset: 8,
    });
  }
  if (offsetSize !== 8) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      `HDF5 file with ${offsetSize}-byte addresses (only 8-byte addresses are read)`,
      { file, offset: version <= 1 ? 13 : 9 },
    );
  }
  if (bytes.length < eofAt + 8) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the HDF5 superblock is cut short', {
      file,
      offset: bytes.length,
    });
  }
  const endOfFile = u64(view, eofAt);
  if (endOfFile > bytes.length) {
    throw new DiscernError(
      'DISCERN_PARSE_TRUNCATED',
      `the HDF5 superblock says the file is ${endOfFile} bytes long, but it has ${bytes.length}`,
      { file, offset: bytes.length },
    );
  }
  return { version, offsetSize, endOfFile };
}
