import { DiscernError, createFrame, type DataWarning } from '../../core/index.js';
import { localDateToUnixS, zoneFor } from '../biologic/zone.js';
import { mapImpedanceColumns, parseNumericRows, type ImpedanceColumnMap } from '../impedance/columns.js';
import { decodeText, splitLines } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';

const SIGNATURE = /^(?:\xEF\xBB\xBF|\uFEFF)?EXPLAIN\r?\nTAG\t/;

/** ZCURVE columns with a canonical meaning. Zimag is Im(Z) itself (negative when capacitive). */
const ZCURVE: ImpedanceColumnMap = {
  Time: ['test_time_s', 's', 1],
  Freq: ['frequency_Hz', 'Hz', 1],
  Zreal: ['z_real_Ohm', 'Ohm', 1],
  Zimag: ['z_imag_Ohm', 'Ohm', 1],
  Zmod: ['z_mod_Ohm', 'Ohm', 1],
  Zphz: ['z_phase_deg', 'deg', 1],
  Vdc: ['voltage_V', 'V', 1],
  // The sign of Idc follows the instrument's CONVENTION setting, so it stays auxiliary.
  Idc: ['aux_idc_A', 'A', 1],
  Temp: ['temperature_degC', 'degC', 1],
};

interface Table {
  name: string;
  /** 0-based index of the column-name line. */
  at: number;
  names: string[];
  units: string[];
  /** Row lines: [from, to). */
  from: number;
  to: number;
}

/**
 * Gamry Framework data file (`.DTA`), impedance experiments: the tagged header ("EXPLAIN",
 * "TAG EISPOT", then `KEY<TAB>TYPE<TAB>VALUE...` lines) and the ZCURVE table
 * (`Pt Time Freq Zreal Zimag Zsig Zmod Zphz Idc Vdc IERange`) read into an impedance Frame.
 * Other tables (OCVCURVE, FRACURVE) are listed in the header but not read. An aborted run
 * (`EXPERIMENTABORTED T`) is read as far as it goes, with a note. The DATE and TIME labels
 * (naive local, month first) give `meta.startTime` in `options.timeZone` (UTC +
 * DISCERN_TZ_ASSUMED when absent); ZCURVE's `Time` is kept as `test_time_s`.
 * @throws DISCERN_PARSE_BAD_HEADER, DISCERN_UNSUPPORTED_FORMAT (a DTA without ZCURVE),
 *   DISCERN_NO_DATA, DISCERN_PARSE_TRUNCATED, DISCERN_PARSE_BAD_VALUE.
 * @example gamryDtaReader.read({ name: 'eis.DTA', bytes }, { timeZone: 'America/New_York' });
 */
export const gamryDtaReader: FormatReader = {
  id: 'gamry-dta',
  vendor: 'Gamry',
  description: 'Gamry Framework data file (.DTA), ZCURVE impedance table',
  binary: false,
  sniff(input: SniffInput): number {
    return SIGNATURE.test(input.headText) ? 1 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const name = file.name;
    const decoded = decodeText(file.bytes, name);
    const warnings: DataWarning[] = decoded.warnings.filter((w) => w.code !== 'DISCERN_ENCODING_FALLBACK');
    const lines = splitLines(decoded.text);
    if (lines[0]?.trim() !== 'EXPLAIN' || !lines[1]?.startsWith('TAG\t')) {
      throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'not a Gamry DTA file (no EXPLAIN / TAG lines)', {
        file: name,
        line: 1,
      });
    }
    const header: Record<string, string> = {};
    const tables: Table[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '' || /^\s/.test(line)) continue;
      const f = line.split('\t');
      const key = f[0]!.trim();
      const type = (f[1] ?? '').trim();
      if (type === 'TABLE') {
        const names = (lines[i + 1] ?? '').split('\t').slice(1);
        const units = (lines[i + 2] ?? '').split('\t').slice(1);
        if (names.length === 0 || names.every((n) => n.trim() === '')) {
          throw new DiscernError('DISCERN_PARSE_TRUNCATED', `table ${key} has no column names`, {
            file: name,
            line: i + 2,
          });
        }
        let to = i + 3;
        while (to < lines.length && /^\t/.test(lines[to]!)) to++;
        tables.push({ name: key, at: i + 1, names, units, from: i + 3, to });
        header[`table ${key}`] = `${to - i - 3} rows`;
        i = to - 1;
        continue;
      }
      if (type === 'NOTES') {
        const count = Number(f[2] ?? 0);
        const notes = lines.slice(i + 1, i + 1 + (Number.isFinite(count) ? count : 0)).map((l) => l.trim());
        header[key] = notes.filter((n) => n !== '').join('\n');
        i += Number.isFinite(count) ? count : 0;
        continue;
      }
      header[key] = type === 'TWOPARAM' ? f.slice(2, 5).join(' ') : (f[2] ?? '').trim();
    }
    const z = tables.find((t) => t.name === 'ZCURVE');
    if (z === undefined) {
      throw new DiscernError(
        'DISCERN_UNSUPPORTED_FORMAT',
        `Gamry ${header['TAG'] ?? ''} file without a ZCURVE table (tables: ${tables.map((t) => t.name).join(', ') || 'none'}); only impedance data is read`,
        { file: name },
      );
    }
    const width = z.names.length;
    const split = (l: string): string[] => l.split('\t').slice(1);
    const data = parseNumericRows(lines, z.from, z.to, width, split, name, z.names);
    if (data.rows === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the ZCURVE table has no rows', {
        file: name,
        line: z.from + 1,
      });
    }
    const keep = z.names.map((_, c) => c).filter((c) => z.names[c]!.trim() !== 'Pt');
    const columns = mapImpedanceColumns(
      keep.map((c) => z.names[c]!),
      keep.map((c) => z.units[c] ?? ''),
      keep.map((c) => data.columns[c]!),
      ZCURVE,
    );
    if (
      columns['frequency_Hz'] === undefined ||
      columns['z_real_Ohm'] === undefined ||
      columns['z_imag_Ohm'] === undefined
    ) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', 'ZCURVE needs the Freq, Zreal and Zimag columns', {
        file: name,
        line: z.at + 1,
      });
    }
    if (/^T/i.test(header['EXPERIMENTABORTED'] ?? '')) {
      const freq = columns['frequency_Hz'].values as Float64Array;
      const planned = plannedPoints(header);
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `the experiment was aborted: the sweep stops at ${freq[freq.length - 1]} Hz after ${data.rows} points${planned !== undefined ? ` of about ${planned} planned` : ''}`,
      });
    }
    let startTime: { unixS: number; timeZone: string; assumed: boolean } | undefined;
    if (header['DATE'] !== undefined && header['TIME'] !== undefined) {
      const zone = zoneFor(options, name);
      const unixS = localDateToUnixS(`${header['DATE']} ${header['TIME']}`, zone.timeZone);
      if (Number.isFinite(unixS)) {
        startTime = { unixS, timeZone: zone.timeZone, assumed: zone.assumed };
        warnings.push(...zone.warnings);
      }
    }
    const version = header['FRAMEWORKVERSION'];
    return createFrame({
      columns,
      meta: {
        vendor: 'Gamry',
        format: 'gamry-dta',
        kind: 'impedance',
        header,
        warnings,
        technique: [header['TAG'], header['TITLE']].filter((s) => s).join(': '),
        ...(header['PSTAT'] ? { instrument: header['PSTAT'] } : {}),
        ...(version ? { softwareVersion: `Gamry Framework ${version}` } : {}),
        ...(startTime !== undefined ? { startTime } : {}),
      },
    });
  },
};

/** Points a log sweep from FREQINIT to FREQFINAL at PTSPERDEC per decade should have. */
function plannedPoints(header: Record<string, string>): number | undefined {
  const fi = Number(header['FREQINIT']);
  const ff = Number(header['FREQFINAL']);
  const ppd = Number(header['PTSPERDEC']);
  if (!(fi > 0 && ff > 0 && ppd > 0)) return undefined;
  return Math.round(Math.abs(Math.log10(fi / ff)) * ppd) + 1;
}
