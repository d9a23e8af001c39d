import { DiscernError, assertTimeZone, createFrame, naiveMsToUnixS } from '../../core/index.js';
import type { ColumnInput, DataWarning } from '../../core/index.js';
import { FloatBuilder, decodeText, parseNumber, splitLines } from '../text.js';
import type { FormatReader, ReadOptions, SourceFile } from '../types.js';

const SIGNATURE = /^MACCOR, INC\.\s+AC Impedance Test/;

/** Column header -> channel (unit) of the FRA table. `Polar(V)` is 2*pi*f and is not kept. */
const KNOWN: Record<string, { channel: string; unit: string } | null> = {
  'freq(hz)': { channel: 'frequency_Hz', unit: 'Hz' },
  "z'(a)": { channel: 'z_real_Ohm', unit: 'Ohm' },
  "z''(b)": { channel: 'z_imag_Ohm', unit: 'Ohm' },
  phase_angle: { channel: 'z_phase_deg', unit: 'deg' },
  'z-mag': { channel: 'z_mod_Ohm', unit: 'Ohm' },
  'time(sec)': { channel: 'test_time_s', unit: 's' },
  'v-dc': { channel: 'voltage_V', unit: 'V' },
  'c(f)': { channel: 'aux_capacitance_F', unit: 'F' },
  'polar(v)': null,
};
const REQUIRED = ['frequency_Hz', 'z_real_Ohm', 'z_imag_Ohm'];

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

/** "Start Date:  Wednesday, November 2, 2016 Start Time:   15:58" -> naive ms (NaN when absent). */
function startNaiveMs(line: string): number {
  const d = /([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})/.exec(line.replace(/^.*Start Date:\s*(?:[A-Za-z]+,)?/, ''));
  const month = d !== null ? MONTHS.indexOf(d[1]!.toLowerCase()) : -1;
  if (d === null || month < 0) return NaN;
  const t = /Start Time:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(line);
  return Date.UTC(
    Number(d[3]),
    month,
    Number(d[2]),
    Number(t?.[1] ?? 0),
    Number(t?.[2] ?? 0),
    Number(t?.[3] ?? 0),
  );
}

/**
 * Maccor FRA / EIS export ("MACCOR, INC.  AC Impedance Test", files named `test.EDA0001.NNN`): a
 * frequency sweep with `Freq(Hz)`, `Z'(a)`, `Z''(b)` (the imaginary part itself, negative when
 * capacitive), `Phase_Angle`, `Z-Mag`, `time(sec)`, `V-DC`. Gives an impedance Frame.
 * @throws DISCERN_PARSE_BAD_HEADER, DISCERN_MISSING_COLUMN, DISCERN_NO_DATA, DISCERN_PARSE_TRUNCATED,
 *   DISCERN_PARSE_BAD_VALUE, DISCERN_BAD_TIMEZONE
 * @example maccorEisReader.read({ name: 'cell.EDA0001.041', bytes }, { timeZone: 'UTC' }).meta.kind // 'impedance'
 */
export const maccorEisReader: FormatReader = {
  id: 'maccor-eis',
  vendor: 'Maccor',
  description: 'Maccor FRA / EIS export (AC Impedance Test)',
  binary: false,
  sniff: (input) => (SIGNATURE.test(input.headText) ? 1 : 0),
  read(file: SourceFile, options: ReadOptions) {
    const decoded = decodeText(file.bytes, file.name);
    const lines = splitLines(decoded.text);
    if (!SIGNATURE.test(lines[0] ?? '')) {
      throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'not a Maccor "AC Impedance Test" export', {
        file: file.name,
        line: 1,
      });
    }
    const headerLine = lines.findIndex((l, i) => i < 40 && /^Freq\(Hz\)\t/i.test(l));
    if (headerLine < 0) {
      throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'no Freq(Hz) column header line', {
        file: file.name,
        line: 1,
      });
    }
    const header: Record<string, string> = {
      'Frequency Sweep': (lines[1] ?? '').replace(/^Frequency Sweep:\s*/, '').trim(),
      Procedure: (lines[2] ?? '').trim(),
      Filename: (lines[3] ?? '').trim(),
    };
    const startLine = lines.slice(0, headerLine).find((l) => l.includes('Start Date:')) ?? '';
    if (startLine !== '') header['Start'] = startLine.trim().replace(/\s+/g, ' ');
    const params = lines.slice(0, headerLine).find((l) => /^[\d.\-\s]+$/.test(l) && l.trim() !== '');
    if (params !== undefined) header['Parameters'] = params.trim().replace(/\s+/g, ' ');

    const labels = lines[headerLine]!.split('\t').map((h) => h.trim());
    const plan: { index: number; channel: string; unit: string; label: string }[] = [];
    labels.forEach((label, index) => {
      if (label === '') return;
      const known = KNOWN[label.toLowerCase()];
      if (known === null) return;
      if (known !== undefined) plan.push({ index, label, ...known });
      else {
        const name = `aux_${label
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '_')
          .replace(/^_+|_+$/g, '')}`;
        plan.push({ index, label, channel: name, unit: '' });
      }
    });
    for (const ch of REQUIRED) {
      if (!plan.some((p) => p.channel === ch)) {
        throw new DiscernError('DISCERN_MISSING_COLUMN', `the FRA table has no column for ${ch}`, {
          file: file.name,
          line: headerLine + 1,
          column: ch,
        });
      }
    }
    const needed = Math.max(...plan.filter((p) => REQUIRED.includes(p.channel)).map((p) => p.index)) + 1;
    const builders = plan.map(() => new FloatBuilder(lines.length));
    for (let li = headerLine + 1; li < lines.length; li++) {
      const line = lines[li]!;
      if (line.trim() === '') continue;
      const cells = line.split('\t');
      if (cells.length < needed) {
        throw new DiscernError('DISCERN_PARSE_TRUNCATED', `line has ${cells.length} of ${needed} fields`, {
          file: file.name,
          line: li + 1,
        });
      }
      plan.forEach((p, k) => {
        const cell = cells[p.index] ?? '';
        const v = parseNumber(cell);
        if (v === undefined) {
          throw new DiscernError(
            'DISCERN_PARSE_BAD_VALUE',
            `"${cell}" in column ${p.label} is not a number`,
            {
              file: file.name,
              line: li + 1,
              column: p.label,
            },
          );
        }
        builders[k]!.push(v);
      });
    }
    if (builders[0]!.length === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the FRA file has a header but no data rows', {
        file: file.name,
        line: headerLine + 1,
      });
    }
    const columns: Record<string, ColumnInput> = {};
    plan.forEach((p, k) => {
      const values = builders[k]!.finish();
      if (p.channel.startsWith('aux_') && values.every((v) => Number.isNaN(v))) return;
      columns[p.channel] = { values, unit: p.unit, source: p.label };
    });

    const warnings: DataWarning[] = [...decoded.warnings];
    if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
    const zone = options.timeZone ?? 'UTC';
    const startMs = startNaiveMs(startLine);
    if (Number.isFinite(startMs) && options.timeZone === undefined) {
      warnings.push({
        code: 'DISCERN_TZ_ASSUMED',
        message: 'the FRA start time has no time zone; read as UTC',
      });
    }
    const channel = /\.(\d{3})$/.exec(header['Filename']!) ?? /\.(\d{3})$/.exec(file.name);
    return createFrame({
      columns,
      meta: {
        vendor: 'Maccor',
        format: 'maccor-eis',
        kind: 'impedance',
        technique: 'EIS',
        ...(channel !== null ? { channel: String(Number(channel[1])) } : {}),
        ...(Number.isFinite(startMs)
          ? {
              startTime: {
                unixS: naiveMsToUnixS(startMs, zone),
                timeZone: zone,
                assumed: options.timeZone === undefined,
              },
            }
          : {}),
        header,
        warnings,
      },
    });
  },
};
