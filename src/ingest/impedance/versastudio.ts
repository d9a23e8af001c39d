import { DiscernError, createFrame, type ColumnInput, type DataWarning } from '../../core/index.js';
import { zoneFor } from '../biologic/zone.js';
import { naiveMsToUnixS } from '../../core/index.js';
import { decodeText, splitLines } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { mapImpedanceColumns, parseNumericRows, type ImpedanceColumnMap } from './columns.js';

/** VersaStudio segment columns; "Z Imag" is Im(Z) itself (negative when capacitive). */
const VERSA: ImpedanceColumnMap = {
  'Frequency(Hz)': ['frequency_Hz', 'Hz', 1],
  'Z Real': ['z_real_Ohm', 'Ohm', 1],
  'Z Imag': ['z_imag_Ohm', 'Ohm', 1],
  'Elapsed Time(s)': ['test_time_s', 's', 1],
  'E(V)': ['voltage_V', 'V', 1],
  // Princeton's current sign convention is not stated in the file: kept auxiliary.
  'I(A)': ['aux_i_A', 'A', 1],
};

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * Princeton Applied Research VersaStudio project file (`.par`), impedance segments: XML-like
 * sections (`<Application>`, `<Instrument>`, `<Experiment>`, `<ActionN>`, `<SegmentN>`) of
 * `key=value` lines; each segment's `Definition=` names the comma-separated columns of its rows.
 * All segments with rows are joined; `Frequency(Hz)`, `Z Real`, `Z Imag` make the impedance Frame.
 * `DateAcquired` + `TimeAcquired` (naive local) give `meta.startTime` in `options.timeZone` (UTC +
 * DISCERN_TZ_ASSUMED when absent).
 * @throws DISCERN_PARSE_BAD_HEADER (no segment), DISCERN_UNSUPPORTED_FORMAT (no frequency column:
 *   a DC technique), DISCERN_NO_DATA, DISCERN_PARSE_TRUNCATED, DISCERN_PARSE_BAD_VALUE.
 * @example versaStudioReader.read({ name: 'eis.par', bytes }, {});
 */
export const versaStudioReader: FormatReader = {
  id: 'versastudio-par',
  vendor: 'Princeton Applied Research',
  description: 'VersaStudio project file (.par), impedance segments',
  binary: false,
  sniff(input: SniffInput): number {
    const head = input.headText.slice(0, 4096);
    if (/^(?:\xEF\xBB\xBF)?<Application>/.test(head) && /Name=VersaStudio/.test(head)) return 1;
    return input.ext === 'par' && /<Segment\d+>/.test(input.headText) ? 0.6 : 0;
  },
  read(file: SourceFile, options: ReadOptions) {
    const name = file.name;
    const decoded = decodeText(file.bytes, name);
    const warnings: DataWarning[] = [...decoded.warnings];
    const lines = splitLines(decoded.text);
    const sections: Record<string, Record<string, string>> = {};
    const segments: { names: string[]; from: number; to: number; line: number }[] = [];
    let current: string | undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      const open = /^<([A-Za-z]+\d*)>$/.exec(line);
      if (open !== null) {
        current = open[1]!;
        sections[current] ??= {};
        continue;
      }
      if (current !== undefined && line === `</${current}>`) {
        current = undefined;
        continue;
      }
      if (current === undefined) continue;
      if (/^Segment\d+$/.test(current) && line.startsWith('Definition=')) {
        const names = line
          .slice('Definition='.length)
          .split(',')
          .map((s) => s.trim());
        while (names.length > 0 && /^-?\d*\.?\d*$/.test(names[names.length - 1]!)) names.pop();
        let to = i + 1;
        while (to < lines.length && !lines[to]!.trim().startsWith('</')) to++;
        segments.push({ names, from: i + 1, to, line: i + 1 });
        i = to - 1;
        continue;
      }
      const eq = line.indexOf('=');
      if (eq > 0) sections[current]![line.slice(0, eq)] ??= line.slice(eq + 1);
    }
    if (segments.length === 0) {
      throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'no <Segment> with a Definition line', {
        file: name,
      });
    }
    const parts: Record<string, ColumnInput>[] = [];
    for (const s of segments) {
      if (!s.names.includes('Frequency(Hz)')) {
        throw new DiscernError(
          'DISCERN_UNSUPPORTED_FORMAT',
          'a VersaStudio segment without Frequency(Hz) (DC technique) is not read',
          {
            file: name,
            line: s.line,
          },
        );
      }
      const data = parseNumericRows(lines, s.from, s.to, s.names.length, (l) => l.split(','), name, s.names);
      if (data.rows > 0) parts.push(mapImpedanceColumns(s.names, [], data.columns, VERSA));
    }
    if (parts.length === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the segments hold no data rows', {
        file: name,
        line: segments[0]!.line + 1,
      });
    }
    const columns = joinParts(parts);
    const exp = sections['Experiment'] ?? {};
    const app = sections['Application'] ?? {};
    const inst = sections['Instrument'] ?? {};
    const action = Object.entries(sections).find(
      ([k, v]) => /^Action[1-9]\d*$/.test(k) && v['Name'] !== undefined,
    )?.[1];
    let startTime: { unixS: number; timeZone: string; assumed: boolean } | undefined;
    const naive = versaDateMs(exp['DateAcquired'] ?? '', exp['TimeAcquired'] ?? '');
    if (naive !== undefined) {
      const zone = zoneFor(options, name);
      startTime = {
        unixS: naiveMsToUnixS(naive, zone.timeZone),
        timeZone: zone.timeZone,
        assumed: zone.assumed,
      };
      warnings.push(...zone.warnings);
    }
    const header: Record<string, string> = {};
    for (const [sec, kv] of Object.entries(sections)) {
      if (/^(Application|Instrument|Experiment|Action\d+)$/.test(sec))
        for (const [k, v] of Object.entries(kv)) header[`${sec}.${k}`] = v;
    }
    return createFrame({
      columns,
      meta: {
        vendor: 'Princeton Applied Research',
        format: 'versastudio-par',
        kind: 'impedance',
        header,
        warnings,
        ...(action?.['Name'] !== undefined ? { technique: action['Name'] } : {}),
        ...(inst['Type'] !== undefined
          ? { instrument: `${inst['Type']}${inst['SN'] ? ` (SN ${inst['SN']})` : ''}` }
          : {}),
        ...(app['Version'] !== undefined
          ? { softwareVersion: `${app['Name'] ?? 'VersaStudio'} ${app['Version']}` }
          : {}),
        ...(startTime !== undefined ? { startTime } : {}),
      },
    });
  },
};

/** "Thursday, July 19, 2018" + "9:40:30 AM" -> naive milliseconds (the fields read as UTC). */
function versaDateMs(date: string, time: string): number | undefined {
  const d = /([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})/.exec(date);
  const t = /(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?/i.exec(time);
  if (d === null || t === null) return undefined;
  const month = MONTHS.indexOf(d[1]!.toLowerCase());
  if (month < 0) return undefined;
  let h = Number(t[1]);
  const ampm = t[4]?.toUpperCase();
  if (ampm === 'PM' && h < 12) h += 12;
  if (ampm === 'AM' && h === 12) h = 0;
  return Date.UTC(Number(d[3]), month, Number(d[2]), h, Number(t[2]), Number(t[3] ?? 0));
}

/** Joins segment tables row-wise (columns missing from a segment are NaN there). */
function joinParts(parts: Record<string, ColumnInput>[]): Record<string, ColumnInput> {
  if (parts.length === 1) return parts[0]!;
  const lengths = parts.map((p) => (Object.values(p)[0]!.values as Float64Array).length);
  const total = lengths.reduce((a, b) => a + b, 0);
  const out: Record<string, ColumnInput> = {};
  let at = 0;
  parts.forEach((p, k) => {
    for (const [ch, c] of Object.entries(p)) {
      const o = out[ch] ?? { ...c, values: new Float64Array(total).fill(NaN) };
      (o.values as Float64Array).set(c.values as Float64Array, at);
      out[ch] = o;
    }
    at += lengths[k]!;
  });
  return out;
}
