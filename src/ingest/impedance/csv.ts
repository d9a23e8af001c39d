import { DiscernError, createFrame, type DataWarning } from '../../core/index.js';
import { decodeText, detectDelimiter, parseNumber, splitDelimited, splitLines } from '../text.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { parseNumericRows } from './columns.js';

const CANONICAL_HEADER = ['frequency_hz', 'z_real_ohm', 'z_imag_ohm'];

function isCanonicalHeader(fields: readonly string[]): boolean {
  return (
    fields.length === 3 &&
    fields.every((f, i) => f.trim().replace(/^"|"$/g, '').toLowerCase() === CANONICAL_HEADER[i])
  );
}

/**
 * True when `rows` look like an impedance sweep: at least 5 rows of exactly 3 numbers whose first
 * column is positive, strictly monotonic (either direction), log-spaced (neighbour ratios within a
 * factor of 4 of each other in log terms) and spans at least one decade.
 */
export function looksLikeSweep(rows: readonly (readonly string[])[]): boolean {
  if (rows.length < 5) return false;
  let prev = NaN;
  let dir = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    if (r.length !== 3) return false;
    const v = r.map((x) => parseNumber(x));
    if (v.some((x) => x === undefined || Number.isNaN(x))) return false;
    const f = v[0]!;
    if (!(f > 0)) return false;
    if (!Number.isNaN(prev)) {
      const d = Math.sign(f - prev);
      if (d === 0 || (dir !== 0 && d !== dir)) return false;
      dir = d;
    }
    prev = f;
    min = Math.min(min, f);
    max = Math.max(max, f);
  }
  if (max / min < 10) return false;
  // A frequency sweep is log-spaced: the ratio between neighbours barely changes (a linear time
  // axis, whose ratios shrink from 2 towards 1, is not a sweep).
  let lo = Infinity;
  let hi = 0;
  for (let i = 1; i < rows.length; i++) {
    const step = Math.abs(Math.log(Number(rows[i]![0]) / Number(rows[i - 1]![0])));
    lo = Math.min(lo, step);
    hi = Math.max(hi, step);
  }
  return hi <= 4 * lo;
}

/**
 * A plain impedance table: three columns, frequency (Hz), Re(Z) (Ohm) and Im(Z) (Ohm, the
 * imaginary part itself, negative when capacitive, as impedance.py writes it), either with the
 * header `frequency_Hz,z_real_Ohm,z_imag_Ohm` or with no header at all. Without a header the file
 * is only claimed when its first column is a positive, monotonic sweep over at least a decade.
 * When most Im(Z) values are positive a note warns that the column may hold -Im(Z).
 * @throws DISCERN_EMPTY_FILE, DISCERN_NO_DATA, DISCERN_PARSE_TRUNCATED, DISCERN_PARSE_BAD_VALUE.
 * @example impedanceCsvReader.read({ name: 'eis.csv', bytes }, {});
 */
export const impedanceCsvReader: FormatReader = {
  id: 'impedance-csv',
  vendor: 'generic',
  description: 'Impedance table: frequency, Re(Z), Im(Z) (CSV, with or without header)',
  binary: false,
  sniff(input: SniffInput): number {
    const lines = splitLines(input.headText.slice(0, 16384)).filter((l) => l.trim() !== '');
    const first = lines[0];
    if (first === undefined) return 0;
    const delimiter = detectDelimiter(first);
    const split = (l: string): string[] => splitDelimited(l, delimiter);
    if (isCanonicalHeader(split(first))) return 0.9;
    // Drop a last line that may be cut by the 64 KiB sniff window.
    const sample = lines.slice(0, Math.min(lines.length - (input.size > input.head.length ? 1 : 0), 200));
    return looksLikeSweep(sample.map(split)) ? 0.5 : 0;
  },
  read(file: SourceFile, _options: ReadOptions) {
    const name = file.name;
    const decoded = decodeText(file.bytes, name);
    const warnings: DataWarning[] = [...decoded.warnings];
    const lines = splitLines(decoded.text);
    const firstIndex = lines.findIndex((l) => l.trim() !== '');
    if (firstIndex < 0)
      throw new DiscernError('DISCERN_NO_DATA', 'the file holds only blank lines', { file: name });
    const delimiter = detectDelimiter(lines[firstIndex]!);
    const split = (l: string): string[] => splitDelimited(l, delimiter);
    const hasHeader = isCanonicalHeader(split(lines[firstIndex]!));
    const from = hasHeader ? firstIndex + 1 : firstIndex;
    const names = ['frequency_Hz', 'z_real_Ohm', 'z_imag_Ohm'];
    const data = parseNumericRows(lines, from, lines.length, 3, split, name, names);
    if (data.rows === 0) {
      throw new DiscernError('DISCERN_NO_DATA', 'the file has a header but no data rows', {
        file: name,
        line: from + 1,
      });
    }
    const [freq, re, im] = data.columns as [Float64Array, Float64Array, Float64Array];
    let positive = 0;
    for (let i = 0; i < im.length; i++) if (im[i]! > 0) positive++;
    if (positive > 0.8 * im.length) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `${positive} of ${im.length} Im(Z) values are positive: the third column may hold -Im(Z)`,
        channel: 'z_imag_Ohm',
      });
    }
    const source = (i: number): string => (hasHeader ? names[i]! : `column ${i + 1}`);
    return createFrame({
      columns: {
        frequency_Hz: { values: freq, unit: 'Hz', source: source(0) },
        z_real_Ohm: { values: re, unit: 'Ohm', source: source(1) },
        z_imag_Ohm: { values: im, unit: 'Ohm', source: source(2) },
      },
      meta: {
        vendor: 'generic',
        format: 'impedance-csv',
        kind: 'impedance',
        header: { header: hasHeader ? 'frequency_Hz,z_real_Ohm,z_imag_Ohm' : 'none' },
        warnings,
      },
    });
  },
};
