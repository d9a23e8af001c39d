import { DiscernError } from '../core/index.js';
import type { FormatReader, SniffInput } from './types.js';

function startsWith(head: Uint8Array, ascii: string, at = 0): boolean {
  if (head.length < at + ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (head[at + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

function recognisedOnly(
  id: string,
  vendor: string,
  description: string,
  sniff: (s: SniffInput) => number,
  code: 'DISCERN_UNSUPPORTED_FORMAT' | 'DISCERN_NOT_DATA',
): FormatReader {
  const why =
    code === 'DISCERN_NOT_DATA' ? 'hold settings, not measurements' : 'are recognised but not read yet';
  return {
    id,
    vendor,
    description,
    binary: true,
    sniff,
    read(file) {
      throw new DiscernError(code, `${description} files ${why}`, { file: file.name });
    },
  };
}

/**
 * Formats recognised by their signature but not read: BioLogic settings (.mps: no data, so
 * DISCERN_NOT_DATA) and HDF5 containers (Indigo, battdat: DISCERN_UNSUPPORTED_FORMAT until a pure
 * JavaScript HDF5 reader is chosen). They fail with a clear code instead of being taken for text.
 */
export const BINARY_PLACEHOLDERS: readonly FormatReader[] = [
  recognisedOnly(
    'biologic-mps',
    'BioLogic',
    'BioLogic .mps settings',
    (s) => (s.ext === 'mps' && s.headText.startsWith('EC-LAB SETTING FILE') ? 1 : 0),
    'DISCERN_NOT_DATA',
  ),
  recognisedOnly(
    'hdf5',
    'HDF5',
    'HDF5 (Indigo, battdat)',
    (s) => (startsWith(s.head, '\x89HDF\r\n\x1a\n') ? 1 : 0),
    'DISCERN_UNSUPPORTED_FORMAT',
  ),
];
