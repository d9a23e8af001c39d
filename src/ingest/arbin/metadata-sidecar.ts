import { DiscernError } from '../../core/index.js';
import { decodeText, splitDelimited, splitLines } from '../text.js';
import type { FormatReader, SniffInput, SourceFile } from '../types.js';

const SIGNATURE = /^\uFEFF?,test_id,device_id,iv_ch_id,/i;
const SIGNATURE_LATIN1 = /^(\xef\xbb\xbf)?,test_id,device_id,iv_ch_id,/i;

/**
 * Reads the `<name>_Metadata.csv` file that beep's Arbin exports carry beside the data file: one
 * header line (`,Test_ID,Device_ID,IV_Ch_ID,First_Start_DateTime,...,Schedule_File_Name,...`) and
 * one row. Returns the row as header -> value (the unnamed index column dropped). Dates in it
 * (`First_Start_DateTime`, `Last_End_DateTime`) are Unix seconds.
 * @throws DISCERN_EMPTY_FILE, DISCERN_NO_DATA (no value row), DISCERN_PARSE_BAD_HEADER (not a sidecar).
 * @example parseArbinMetadataSidecar(file)['Schedule_File_Name'] // "20170509-6C_1C_36CV.sdu"
 */
export function parseArbinMetadataSidecar(file: SourceFile): Record<string, string> {
  const lines = splitLines(decodeText(file.bytes, file.name).text);
  const head = lines[0] ?? '';
  if (!SIGNATURE.test(head)) {
    throw new DiscernError(
      'DISCERN_PARSE_BAD_HEADER',
      'not an Arbin metadata sidecar (,Test_ID,Device_ID,...)',
      {
        file: file.name,
        line: 1,
      },
    );
  }
  const row = lines.slice(1).find((l) => l.trim() !== '');
  if (row === undefined)
    throw new DiscernError('DISCERN_NO_DATA', 'the sidecar has no value row', { file: file.name });
  const keys = splitDelimited(head.replace(/^\uFEFF/, ''), ',');
  const values = splitDelimited(row, ',');
  const out: Record<string, string> = {};
  keys.forEach((k, i) => {
    if (i === 0 || k.trim() === '') return;
    out[k.trim()] = (values[i] ?? '').trim();
  });
  return out;
}

/**
 * Recognises the Arbin `_Metadata.csv` sidecar so that it is not mistaken for data. It describes a
 * test (ids, schedule, start and end times) but holds no records, so reading it as a test fails
 * with DISCERN_NOT_DATA and a message naming the data file to ingest instead; the app can
 * merge its values with `parseArbinMetadataSidecar`.
 * @throws DISCERN_NOT_DATA always.
 */
export const arbinMetadataSidecarReader: FormatReader = {
  id: 'arbin-metadata-csv',
  vendor: 'Arbin',
  description: 'Arbin test metadata sidecar (_Metadata.csv)',
  binary: false,
  sniff: (input: SniffInput) => (SIGNATURE_LATIN1.test(input.headText) ? 0.95 : 0),
  read(file: SourceFile) {
    let detail = '';
    try {
      const m = parseArbinMetadataSidecar(file);
      const get = (k: string): string | undefined =>
        Object.entries(m).find(([key]) => key.toLowerCase() === k)?.[1];
      detail = ` (test ${get('test_id') ?? '?'}, channel ${get('iv_ch_id') ?? '?'}, schedule ${get('schedule_file_name') ?? '?'})`;
    } catch {
      // The message below is enough without the details.
    }
    const data = file.name.replace(/_metadata(\.csv)$/i, '$1');
    throw new DiscernError(
      'DISCERN_NOT_DATA',
      `an Arbin metadata sidecar${detail} holds no data; ingest the data file${data !== file.name ? ` ${data}` : ''} instead`,
      { file: file.name },
    );
  },
};
