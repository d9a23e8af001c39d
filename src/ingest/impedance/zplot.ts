import { DiscernError, createFrame, type DataWarning } from '../../core/index.js';
import { localDateToUnixS, zoneFor } from '../biologic/zone.js';
import { decodeText, splitLines } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { mapImpedanceColumns, parseNumericRows, type ImpedanceColumnMap } from './columns.js';

/** ZPlot columns; Z''(b) is Im(Z) itself (negative when capacitive). */
const ZPLOT: ImpedanceColumnMap = {
  'Freq(Hz)': ['frequency_Hz', 'Hz', 1],
  "Z'(a)": ['z_real_Ohm', 'Ohm', 1],
  "Z''(b)": ['z_imag_Ohm', 'Ohm', 1],
  'Time(Sec)': ['test_time_s', 's', 1],
  Bias: ['aux_bias_V', 'V', 1],
};

/**
 * Scribner ZPlot ASCII file (`.z`): a "ZPLOT2 ASCII" header of `Key: value` lines, the column-name
 * line (`Freq(Hz) Ampl Bias Time(Sec) Z'(a) Z''(b) GD Err Range`), "End Comments", then
 * tab-separated rows, read into an impedance Frame. When the header's "Data Points" exceeds the
 * rows present (an interrupted sweep) a note says so. "Date" and "Time" (naive local, month first)
 * give `meta.startTime` in `options.timeZone` (UTC + DISCERN_TZ_ASSUMED when absent).
 * @throws DISCERN_PARSE_BAD_HEADER, DISCERN_MISSING_COLUMN, DISCERN_NO_DATA,
 *   DISCERN_PARSE_TRUNCATED, DISCERN_PARSE_BAD_VALUE.
 * @example zplotReader.read({ name: 'cell.z', bytes }, {});
 */
export const zplotReader: FormatReader = {
  id: 'zplot-z',
  vendor: 'Scribner',
  description: 'Scribner ZPlot impedance file (.z)',
  binary: false,
  sniff(input: SniffInput): number {
    return /^ZPLOT2? ASCII/.test(input.headText) ? 1 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const name = file.name;
    const decoded = decodeText(file.bytes, name);
    const warnings: DataWarning[] = decoded.warnings.filter((w) => w.code !== 'DISCERN_ENCODING_FALLBACK');
    const lines = splitLines(decoded.text);
    const end = lines.findIndex((l) => l.trim().startsWith('End Comments'));
    let columnLine = -1;
    for (let i = end < 0 ? lines.length - 1 : end - 1; i >= 0; i--) {
      if (lines[i]!.includes('Freq(Hz)')) {
        columnLine = i;
        break;
      }
    }
    if (columnLine < 0) {
      throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'no column-name line with Freq(Hz)', {
        file: name,
        line: end < 0 ? 1 : end + 1,
      });
    }
    const header: Record<string, string> = {};
    for (const line of lines.slice(1, columnLine)) {
      const colon = line.indexOf(':');
      if (colon > 0) header[line.slice(0, colon).trim()] ??= line.slice(colon + 1).trim();
    }
    const names = lines[columnLine]!.split('\t').map((s) => s.trim());
    while (names.length > 0 && names[names.length - 1] === '') names.pop();
    const first = Math.max(end, columnLine) + 1;
    const data = parseNumericRows(
      lines,
      first,
      lines.length,
      names.length,
      (l) => l.split('\t'),
      name,
      names,
    );
    if (data.rows === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
        file: name,
        line: first + 1,
      });
    }
    const columns = mapImpedanceColumns(names, [], data.columns, ZPLOT);
    for (const need of ['frequency_Hz', 'z_real_Ohm', 'z_imag_Ohm']) {
      if (columns[need] === undefined) {
        throw new DiscernError('DISCERN_MISSING_COLUMN', `no column for ${need}`, {
          file: name,
          line: columnLine + 1,
          column: need,
        });
      }
    }
    const planned = Number(header['Data Points']);
    if (Number.isFinite(planned) && planned > data.rows) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `the header says ${planned} data points but the file holds ${data.rows} (an interrupted sweep?)`,
      });
    }
    let startTime: { unixS: number; timeZone: string; assumed: boolean } | undefined;
    if (header['Date'] !== undefined && header['Time'] !== undefined) {
      const zone = zoneFor(options, name);
      const unixS = localDateToUnixS(`${header['Date']} ${header['Time']}`, zone.timeZone);
      if (Number.isFinite(unixS)) {
        startTime = { unixS, timeZone: zone.timeZone, assumed: zone.assumed };
        warnings.push(...zone.warnings);
      }
    }
    const version = /ZPlot:\s*(\S+)/.exec(lines.slice(0, 5).join('\n'));
    return createFrame({
      columns,
      meta: {
        vendor: 'Scribner',
        format: 'zplot-z',
        kind: 'impedance',
        header,
        warnings,
        ...(header['Experiment Type'] ? { technique: header['Experiment Type'] } : {}),
        ...(version !== null ? { softwareVersion: `ZPlot ${version[1]}` } : {}),
        ...(startTime !== undefined ? { startTime } : {}),
      },
    });
  },
};
