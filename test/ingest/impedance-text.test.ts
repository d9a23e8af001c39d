import { describe, expect, it } from 'vitest';
import { DiscernError, floatColumn, type Frame } from '../../src/core/index.js';
import { gamryDtaReader } from '../../src/ingest/gamry/index.js';
import { impedanceCsvReader, versaStudioReader, zplotReader } from '../../src/ingest/impedance/index.js';
import { detectFormat, rankReaders, readSource, sniffInput } from '../../src/ingest/index.js';
import { fixtureFile, haveFixtures, textFile } from '../helpers/fixtures.js';

const MINE = [gamryDtaReader, impedanceCsvReader, versaStudioReader, zplotReader];

function f64(frame: Frame, name: string): Float64Array {
  const c = floatColumn(frame, name);
  if (c === undefined) throw new Error(`no float channel ${name}`);
  return c;
}

function errorOf(fn: () => unknown): DiscernError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DiscernError) return e;
    throw e;
  }
  throw new Error('expected a DiscernError');
}

/** A log sweep from `f0` down by `perDecade` points per decade, with an RC-like impedance. */
function sweep(n: number, f0 = 1e5, perDecade = 10): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const f = f0 * 10 ** (-i / perDecade);
    const w = 2 * Math.PI * f;
    // R0 = 10 Ohm in series with R1 = 100 Ohm || C = 1e-4 F: Z = R0 + R1 / (1 + j w R1 C)
    const d = 1 + (w * 100 * 1e-4) ** 2;
    rows.push([f, 10 + 100 / d, (-100 * w * 100 * 1e-4) / d]);
  }
  return rows;
}

const GAMRY_HEAD = [
  'EXPLAIN',
  'TAG\tEISPOT',
  'TITLE\tLABEL\tPotentiostatic EIS\tTest &Identifier',
  'DATE\tLABEL\t4/23/2018\tDate',
  'TIME\tLABEL\t16:43:15\tTime',
  'NOTES\tNOTES\t1\t&Notes...',
  '\ta note',
  'PSTAT\tPSTAT\tREF3000-1\tPotentiostat',
];
const ZHEAD = ['ZCURVE\tTABLE', '\tPt\tTime\tFreq\tZreal\tZimag\tZmod', '\t#\ts\tHz\tohm\tohm\tohm'];

function gamry(rows: number[][], extra: string[] = []): string {
  const body = rows.map((r, i) => `\t${i}\t${i + 1}\t${r[0]}\t${r[1]}\t${r[2]}\t${Math.hypot(r[1]!, r[2]!)}`);
  return [...GAMRY_HEAD, ...ZHEAD, ...body, ...extra].join('\r\n') + '\r\n';
}

describe('impedance text readers: synthetic files', () => {
  it('Gamry DTA: the ZCURVE table, Zimag kept as Im(Z), DATE/TIME in the given zone', () => {
    const rows = sweep(21);
    const frame = gamryDtaReader.read(textFile('a.DTA', gamry(rows)), { timeZone: 'America/New_York' });
    expect(frame.meta.kind).toBe('impedance');
    expect(frame.length).toBe(21);
    expect(Array.from(f64(frame, 'frequency_Hz'))).toEqual(rows.map((r) => r[0]));
    expect(Array.from(f64(frame, 'z_imag_Ohm'))).toEqual(rows.map((r) => r[2]));
    expect(frame.meta.header['NOTES']).toBe('a note');
    // 23 April 2018 16:43:15 EDT (UTC-4)
    expect(frame.meta.startTime?.unixS).toBe(Date.UTC(2018, 3, 23, 20, 43, 15) / 1000);
  });

  it('Gamry DTA: guards', () => {
    expect(errorOf(() => gamryDtaReader.read(textFile('a.DTA', gamry([])), {})).code).toBe('DISCERN_NO_DATA');
    const noZ = [...GAMRY_HEAD, 'OCVCURVE\tTABLE\t1', '\tPt\tT\tVf', '\t#\ts\tV', '\t0\t0.1\t0.5'].join('\n');
    expect(errorOf(() => gamryDtaReader.read(textFile('a.DTA', noZ), {})).code).toBe(
      'DISCERN_UNSUPPORTED_FORMAT',
    );
    expect(errorOf(() => gamryDtaReader.read(textFile('a.DTA', 'TAG\tEISPOT\n'), {})).code).toBe(
      'DISCERN_PARSE_BAD_HEADER',
    );
    const text = gamry(sweep(5));
    const cut = text.slice(0, text.trimEnd().lastIndexOf('\t'));
    const e = errorOf(() => gamryDtaReader.read(textFile('a.DTA', cut), {}));
    expect([e.code, e.line]).toEqual(['DISCERN_PARSE_TRUNCATED', GAMRY_HEAD.length + ZHEAD.length + 5]);
    const bad = gamry(sweep(5)).replace('\t2\t3\t', '\t2\tabc\t');
    expect(errorOf(() => gamryDtaReader.read(textFile('a.DTA', bad), {})).code).toBe(
      'DISCERN_PARSE_BAD_VALUE',
    );
  });

  it('impedance CSV: with the canonical header and without a header', () => {
    const rows = sweep(31);
    const csv = rows.map((r) => r.join(',')).join('\n');
    const withHeader = textFile('h.csv', `frequency_Hz,z_real_Ohm,z_imag_Ohm\n${csv}\n`);
    const bare = textFile('b.csv', `${csv}\n`);
    expect(impedanceCsvReader.sniff(sniffInput(withHeader))).toBe(0.9);
    expect(impedanceCsvReader.sniff(sniffInput(bare))).toBe(0.5);
    for (const file of [withHeader, bare]) {
      const frame = impedanceCsvReader.read(file, {});
      expect(frame.length).toBe(31);
      expect(Array.from(f64(frame, 'z_real_Ohm'))).toEqual(rows.map((r) => r[1]));
      expect(Array.from(f64(frame, 'z_imag_Ohm'))).toEqual(rows.map((r) => r[2]));
    }
    // stored -Im(Z): the reader keeps the values but says so
    const flipped = impedanceCsvReader.read(
      textFile('f.csv', rows.map((r) => `${r[0]},${r[1]},${-r[2]!}`).join('\n')),
      {},
    );
    expect(flipped.meta.warnings.some((w) => w.channel === 'z_imag_Ohm')).toBe(true);
  });

  it('impedance CSV: sniffs no time series, no 4-column table, no short table', () => {
    const linear = Array.from({ length: 100 }, (_, i) => `${i + 1},${3.6 + i * 0.001},1.5`).join('\n');
    expect(impedanceCsvReader.sniff(sniffInput(textFile('t.csv', linear)))).toBe(0);
    const four = sweep(20)
      .map((r) => [...r, 1].join(','))
      .join('\n');
    expect(impedanceCsvReader.sniff(sniffInput(textFile('t.csv', four)))).toBe(0);
    const zigzag = sweep(20)
      .map((r, i) => [i % 2 === 0 ? r[0] : r[0]! * 3, r[1], r[2]].join(','))
      .join('\n');
    expect(impedanceCsvReader.sniff(sniffInput(textFile('t.csv', zigzag)))).toBe(0);
    const short = sweep(3)
      .map((r) => r.join(','))
      .join('\n');
    expect(impedanceCsvReader.sniff(sniffInput(textFile('t.csv', short)))).toBe(0);
  });

  it('impedance CSV: guards', () => {
    const header = 'frequency_Hz,z_real_Ohm,z_imag_Ohm\n';
    expect(errorOf(() => impedanceCsvReader.read(textFile('h.csv', header), {})).code).toBe(
      'DISCERN_NO_DATA',
    );
    expect(errorOf(() => impedanceCsvReader.read({ name: 'e.csv', bytes: new Uint8Array(0) }, {})).code).toBe(
      'DISCERN_EMPTY_FILE',
    );
    const short = errorOf(() => impedanceCsvReader.read(textFile('h.csv', `${header}1,2,3\n4,5\n`), {}));
    expect([short.code, short.line]).toEqual(['DISCERN_PARSE_TRUNCATED', 3]);
    const bad = errorOf(() => impedanceCsvReader.read(textFile('h.csv', `${header}1,2,x\n`), {}));
    expect([bad.code, bad.line, bad.column]).toEqual(['DISCERN_PARSE_BAD_VALUE', 2, 'z_imag_Ohm']);
  });

  it('ZPlot and VersaStudio: guards', () => {
    expect(
      errorOf(() => zplotReader.read(textFile('a.z', 'ZPLOT2 ASCII\n  Date: 1-1-2020\n'), {})).code,
    ).toBe('DISCERN_PARSE_BAD_HEADER');
    const onlyHeader = "ZPLOT2 ASCII\n  Freq(Hz)\tZ'(a)\tZ''(b)\nEnd Comments\n";
    expect(errorOf(() => zplotReader.read(textFile('a.z', onlyHeader), {})).code).toBe('DISCERN_NO_DATA');
    const par =
      '<Application>\nName=VersaStudio\n</Application>\n<Segment1>\nDefinition=Segment #, E(V), 0\n0,1\n</Segment1>\n';
    expect(errorOf(() => versaStudioReader.read(textFile('a.par', par), {})).code).toBe(
      'DISCERN_UNSUPPORTED_FORMAT',
    );
    expect(
      errorOf(() => versaStudioReader.read(textFile('a.par', '<Application>\n</Application>\n'), {})).code,
    ).toBe('DISCERN_PARSE_BAD_HEADER');
  });

  it('none of these readers claims binary garbage', () => {
    let seed = 11;
    const garbage = new Uint8Array(4096).map(() => (seed = (seed * 1103515245 + 12345) % 2147483648) & 255);
    expect(rankReaders({ name: 'x.csv', bytes: garbage }, MINE)).toEqual([]);
  });
});

describe.skipIf(!haveFixtures)('impedance fixtures', () => {
  it('Gamry: 72 ZCURVE points, 200 kHz to 15.9 mHz at 10 per decade (impedance.py reference)', () => {
    const file = fixtureFile('impedance.py/exampleDataGamry.DTA');
    expect(detectFormat(file).id).toBe('gamry-dta');
    const frame = readSource(file, { timeZone: 'UTC' });
    expect(frame.meta.kind).toBe('impedance');
    expect(frame.length).toBe(72);
    const f = f64(frame, 'frequency_Hz');
    // impedance.py test_preprocessing: f_gamry[0] = 2.000156e+05, f_gamry[-1] = 1.588980e-02
    expect(f[0]).toBeCloseTo(2.000156e5, 1);
    expect(f[71]).toBeCloseTo(1.58898e-2, 7);
    // Zr_gamry[0] = 825.8584, Zi_gamry[0] = -1367.239; Zr_gamry[-1] = 17007.49, Zi_gamry[-1] = -6635.557
    expect([f64(frame, 'z_real_Ohm')[0], f64(frame, 'z_imag_Ohm')[0]]).toEqual([825.8584, -1367.239]);
    expect([f64(frame, 'z_real_Ohm')[71], f64(frame, 'z_imag_Ohm')[71]]).toEqual([17007.49, -6635.557]);
    // 10 points per decade (PTSPERDEC): the median step is 0.1 decade
    const steps = Array.from({ length: 71 }, (_, i) => Math.log10(f[i]! / f[i + 1]!)).sort((a, b) => a - b);
    expect(steps[35]).toBeCloseTo(0.1, 2);
    // FREQINIT 2e5 to FREQFINAL 2e-2 is 7 decades: 71 planned points, the sweep adds one below 20 mHz
    expect(Math.round(Math.log10(2e5 / 2e-2) * 10) + 1).toBe(71);
    expect(frame.meta.instrument).toBe('REF3000-34128');
    expect(frame.meta.startTime?.unixS).toBe(Date.UTC(2018, 3, 23, 16, 43, 15) / 1000);
  });

  it('Gamry ABORT: reads what is there and notes the abort', () => {
    const frame = readSource(fixtureFile('impedance.py/exampleDataGamryABORT.DTA'));
    expect(frame.length).toBe(72);
    expect(frame.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && /aborted/.test(w.message))).toBe(
      true,
    );
  });

  it('exampleData.csv: frequency, Z′, Z″ without header (impedance.py reference)', () => {
    const file = fixtureFile('impedance.py/exampleData.csv');
    expect(detectFormat(file).id).toBe('impedance-csv');
    const frame = readSource(file);
    expect(frame.length).toBe(66);
    const f = f64(frame, 'frequency_Hz');
    expect([f[0], f[65]]).toEqual([0.0031623, 10000]);
    expect(f64(frame, 'z_real_Ohm')[0]).toBeCloseTo(0.0494998977640506, 15);
    expect(f64(frame, 'z_imag_Ohm')[0]).toBeCloseTo(-0.020438698544418925, 15);
    expect(f64(frame, 'z_imag_Ohm')[65]).toBeCloseTo(0.010157474564938236, 15);
  });

  it('ZPlot .z: 21 rows of an interrupted 56-point sweep', () => {
    const file = fixtureFile('impedance.py/exampleDataZPlot.z');
    expect(detectFormat(file).id).toBe('zplot-z');
    const frame = readSource(file);
    expect(frame.length).toBe(21);
    // first row: 3.000000E+05 Hz, Z' 1.4777E+02, Z'' -1.1335E+01, 2.67 s; last row 3.000000E+03 Hz
    expect(f64(frame, 'frequency_Hz')[0]).toBe(300000);
    expect(f64(frame, 'z_real_Ohm')[0]).toBe(147.77);
    expect(f64(frame, 'z_imag_Ohm')[0]).toBe(-11.335);
    expect(f64(frame, 'test_time_s')[0]).toBe(2.67);
    expect(f64(frame, 'frequency_Hz')[20]).toBe(3000);
    expect(frame.meta.warnings.some((w) => /56 data points/.test(w.message))).toBe(true);
  });

  it('VersaStudio .par: 61 points, 100 kHz to 21.5 mHz at 9 per decade', () => {
    const file = fixtureFile('impedance.py/exampleDataVersaStudio.par');
    expect(detectFormat(file).id).toBe('versastudio-par');
    const frame = readSource(file, { timeZone: 'Asia/Tokyo' });
    const f = f64(frame, 'frequency_Hz');
    // Points Per Decade=9 from 100000 Hz to the last point 0.02154435 Hz
    expect(frame.length).toBe(Math.round(Math.log10(100000 / 0.02154435) * 9) + 1);
    expect(frame.length).toBe(61);
    // first row: Z Real 55.31571, Z Imag 4.575431; last row: 1516.313, -122.8279
    expect([f[0], f64(frame, 'z_real_Ohm')[0], f64(frame, 'z_imag_Ohm')[0]]).toEqual([
      100000, 55.31571, 4.575431,
    ]);
    expect([f[60], f64(frame, 'z_real_Ohm')[60], f64(frame, 'z_imag_Ohm')[60]]).toEqual([
      0.02154435, 1516.313, -122.8279,
    ]);
    expect(frame.meta.technique).toBe('Potentiostatic EIS');
    // Thursday, July 19, 2018 9:40:30 AM in Tokyo (UTC+9)
    expect(frame.meta.startTime?.unixS).toBe(Date.UTC(2018, 6, 19, 0, 40, 30) / 1000);
  });
});
