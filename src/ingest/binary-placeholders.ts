import { DiscernError } from '../core/index.js';
import type { FormatReader, SniffInput } from './types.js';

function startsWith(head: Uint8Array, ascii: string, at = 0): boolean {
  if (head.length < at + ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (head[at + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

function unsupported(
  id: string,
  vendor: string,
  description: string,
  sniff: (s: SniffInput) => number,
): FormatReader {
  return {
    id,
    vendor,
    description,
    binary: true,
    sniff,
    read(file) {
      throw new DiscernError(
        'DISCERN_UNSUPPORTED_FORMAT',
        `${description} files are recognised but not read yet`,
        {
          file: file.name,
        },
      );
    },
  };
}

const isZip = (h: Uint8Array): boolean => startsWith(h, 'PK\x03\x04') || startsWith(h, 'PK\x05\x06');

/**
 * Binary formats that are recognised by their magic bytes but not read yet. Each is replaced by a
 * real reader as it lands; until then they fail with DISCERN_UNSUPPORTED_FORMAT instead of being
 * mistaken for text.
 */
export const BINARY_PLACEHOLDERS: readonly FormatReader[] = [
  unsupported('biologic-mpr', 'BioLogic', 'BioLogic .mpr', (s) =>
    startsWith(s.head, 'BIO-LOGIC MODULAR FILE') ? 1 : 0,
  ),
  unsupported('biologic-mps', 'BioLogic', 'BioLogic .mps settings', (s) =>
    s.ext === 'mps' && s.headText.startsWith('EC-LAB SETTING FILE') ? 1 : 0,
  ),
  unsupported('neware-nda', 'Neware', 'Neware .nda', (s) =>
    startsWith(s.head, 'NEWARE') || (isZip(s.head) && s.name.toLowerCase().endsWith('.nda.zip')) ? 1 : 0,
  ),
  unsupported('neware-ndax', 'Neware', 'Neware .ndax', (s) => (isZip(s.head) && s.ext === 'ndax' ? 1 : 0)),
  unsupported('arbin-res', 'Arbin', 'Arbin .res (MS Access)', (s) =>
    startsWith(s.head, 'Standard Jet DB', 4) || startsWith(s.head, 'Standard ACE DB', 4) ? 1 : 0,
  ),
  unsupported('arbin-res-gz', 'Arbin', 'gzipped Arbin .res', (s) =>
    s.head[0] === 0x1f && s.head[1] === 0x8b && /\.res\.gz$/i.test(s.name) ? 1 : 0,
  ),
  unsupported('hdf5', 'HDF5', 'HDF5 (Indigo, battdat)', (s) =>
    startsWith(s.head, '\x89HDF\r\n\x1a\n') ? 1 : 0,
  ),
];
