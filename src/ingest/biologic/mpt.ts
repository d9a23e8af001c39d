import { DiscernError, createFrame, type DataWarning, type FrameMeta } from '../../core/index.js';
import { decodeText } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { absoluteTime, assembleBiologicColumns } from './assemble.js';
import { parseEclabHeader } from './mpt-header.js';
import { detectDecimal, parseBiologicTable } from './table.js';
import { localDateToUnixS, zoneFor } from './zone.js';

const MAGIC = /^(?:\uFEFF|\xEF\xBB\xBF)?(EC-Lab|BT-Lab) ASCII FILE/i;
const IMPEDANCE_TECHNIQUE = /impedance spectroscopy|\b(?:S?P|S?G)EIS\b|\(PEIS\)|\(GEIS\)/i;

/**
 * BioLogic EC-Lab / BT-Lab ASCII export (`.mpt`): the "EC-Lab ASCII FILE" signature, "Nb header
 * lines : N", a header block (technique, settings, parameter table; absent when N = 3) and a
 * tab-separated column table. Reads en_US / en_GB and de_DE (decimal comma) exports, UTF-8 or
 * windows-1252 text. Columns are mapped by the shared BioLogic table (`columns.ts`): SI units,
 * current positive on charge (BioLogic's own sign), `-Im(Z)` negated into `z_imag_Ohm`.
 *
 * Time: `test_time_s` is EC-Lab's `time/s` (seconds since the acquisition start, as written).
 * `unix_time_s` is `uts/s` when present, else the "Acquisition started on" time (naive local, read
 * in `options.timeZone`, UTC + DISCERN_TZ_ASSUMED when absent) plus `time/s`. A file exported with
 * an absolute time format has date-times in `time/s`; they are read the same way.
 *
 * PEIS / GEIS (and other impedance techniques with a `freq/Hz` column) give `kind: 'impedance'`.
 * A file with the header and no rows is a 0-row Frame only when its parameter table says the
 * technique records nothing (`record` = 0, EC-Lab's Wait); otherwise it is DISCERN_NO_DATA.
 * @throws DISCERN_EMPTY_FILE, DISCERN_PARSE_BAD_HEADER (bad signature or "Nb header lines"),
 *   DISCERN_PARSE_TRUNCATED (fewer lines than the header says, a short row),
 *   DISCERN_PARSE_BAD_VALUE, DISCERN_MISSING_COLUMN (no `time/s` and no `freq/Hz`), DISCERN_NO_DATA.
 * @example const frame = biologicMptReader.read({ name: 'cv.mpt', bytes }, { timeZone: 'Europe/Paris' });
 */
export const biologicMptReader: FormatReader = {
  id: 'biologic-mpt',
  vendor: 'BioLogic',
  description: 'BioLogic EC-Lab / BT-Lab ASCII file (.mpt)',
  binary: false,
  sniff(input: SniffInput): number {
    return MAGIC.test(input.headText) ? 1 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const name = file.name;
    const decoded = decodeText(file.bytes, name);
    // EC-Lab writes windows-1252: falling back to it is the normal case, not worth a warning.
    const warnings: DataWarning[] = decoded.warnings.filter((w) => w.code !== 'DISCERN_ENCODING_FALLBACK');
    const text = decoded.text;
    const first = lineAt(text, 0);
    if (!MAGIC.test(first.line)) {
      throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'not an EC-Lab ASCII file (no signature)', {
        file: name,
        line: 1,
      });
    }
    const second = lineAt(text, first.next);
    const nb = /^Nb header lines\s*:\s*(\d+)\s*$/i.exec(second.line);
    if (nb === null || Number(nb[1]) < 3) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        `expected "Nb header lines : N" with N >= 3, got "${second.line.trim()}"`,
        { file: name, line: 2 },
      );
    }
    const nbLines = Number(nb[1]);
    const lines = [first.line, second.line];
    let pos = second.next;
    while (lines.length < nbLines && pos < text.length) {
      const l = lineAt(text, pos);
      lines.push(l.line);
      pos = l.next;
    }
    if (lines.length < nbLines) {
      throw new DiscernError(
        'DISCERN_PARSE_TRUNCATED',
        `the header says ${nbLines} header lines but the file has only ${lines.length} lines`,
        { file: name, line: lines.length },
      );
    }
    const columnLine = lines[nbLines - 1]!;
    const headers = columnLine.split('\t').map((h) => h.trim());
    while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
    if (headers.length === 0 || headers.some((h) => h === '') || !/[A-Za-z]/.test(columnLine)) {
      throw new DiscernError(
        'DISCERN_PARSE_BAD_HEADER',
        `line ${nbLines} should name the columns ("Nb header lines" is ${nbLines})`,
        { file: name, line: nbLines },
      );
    }
    const eclab = parseEclabHeader(lines.slice(2, nbLines - 1));
    const zone = zoneFor(options, name);
    const table = parseBiologicTable({
      text,
      start: pos,
      firstLine: nbLines + 1,
      headers,
      delimiter: '\t',
      decimal: detectDecimal(firstDataLine(text, pos), '\t'),
      file: name,
      timeZone: zone.timeZone,
      dateOrder: /DDMMYYYY/i.test(eclab.header['Text export.Time format'] ?? '') ? 'DMY' : 'auto',
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    });
    if (table.rows === 0) {
      const record = eclab.params['record'];
      if (record === undefined || record.length === 0 || record.some((r) => r.trim() !== '0')) {
        throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
          file: name,
          line: nbLines + 1,
        });
      }
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `the ${eclab.technique ?? 'technique'} records no points (record = 0): the file holds no data rows`,
      });
    }
    if (!headers.includes('time/s') && !headers.includes('freq/Hz')) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', 'the table has neither time/s nor freq/Hz', {
        file: name,
        line: nbLines,
        column: 'time/s',
      });
    }
    const startUnixS =
      eclab.acquisitionStarted !== undefined
        ? localDateToUnixS(eclab.acquisitionStarted, zone.timeZone)
        : undefined;
    const raw = absoluteTime(table.columns, table.dateHeaders, startUnixS);
    const usesZone =
      (startUnixS !== undefined && Number.isFinite(startUnixS)) || table.dateHeaders.length > 0;
    if (usesZone) warnings.push(...zone.warnings);
    else if (!headers.includes('uts/s')) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: 'the file has no acquisition start time (short header): unix_time_s is not available',
      });
    }
    const assembled = assembleBiologicColumns(
      raw,
      startUnixS !== undefined && Number.isFinite(startUnixS) ? { startUnixS } : {},
    );
    warnings.push(...assembled.warnings);
    const impedance =
      assembled.columns['frequency_Hz'] !== undefined &&
      (IMPEDANCE_TECHNIQUE.test(eclab.technique ?? '') || headers[0] === 'freq/Hz');
    const meta: Omit<FrameMeta, 'header' | 'warnings' | 'kind'> & Partial<FrameMeta> = {
      vendor: 'BioLogic',
      format: 'biologic-mpt',
      kind: impedance ? 'impedance' : 'timeseries',
      header: { ...eclab.header, 'Nb header lines': String(nbLines) },
      warnings,
      ...(eclab.technique !== undefined ? { technique: eclab.technique } : {}),
      ...(eclab.softwareVersion !== undefined ? { softwareVersion: eclab.softwareVersion } : {}),
      ...(eclab.instrument !== undefined ? { instrument: eclab.instrument } : {}),
      ...(eclab.channel !== undefined ? { channel: eclab.channel } : {}),
      ...(usesZone && startUnixS !== undefined && Number.isFinite(startUnixS)
        ? { startTime: { unixS: startUnixS, timeZone: zone.timeZone, assumed: zone.assumed } }
        : {}),
    };
    return createFrame({ columns: assembled.columns, meta });
  },
};

/** The line starting at `from` (without its end-of-line) and where the next one starts. */
function lineAt(text: string, from: number): { line: string; next: number } {
  let end = text.indexOf('\n', from);
  if (end < 0) end = text.length;
  const line = text.slice(from, end);
  return { line: line.endsWith('\r') ? line.slice(0, -1) : line, next: end + 1 };
}

function firstDataLine(text: string, from: number): string {
  let pos = from;
  for (let i = 0; i < 100 && pos < text.length; i++) {
    const l = lineAt(text, pos);
    if (l.line.trim() !== '') return l.line;
    pos = l.next;
  }
  return '';
}
