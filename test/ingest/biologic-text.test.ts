import { describe, expect, it } from 'vitest';
import { DiscernError, floatColumn, intColumn, type Frame } from '../../src/core/index.js';
import { biologicMptReader, btlabCsvReader, biologicMplReader } from '../../src/ingest/biologic/index.js';
import { assembleBiologicColumns } from '../../src/ingest/biologic/assemble.js';
import { detectFormat, rankReaders, readSource } from '../../src/ingest/index.js';
import type { FormatReader, ReadOptions, SourceFile } from '../../src/ingest/types.js';
import { fixtureFile, haveFixtures, textFile } from '../helpers/fixtures.js';

const MINE = [biologicMptReader, btlabCsvReader, biologicMplReader];

function f64(frame: Frame, name: string): Float64Array {
  const c = floatColumn(frame, name);
  if (c === undefined) throw new Error(`no float channel ${name}`);
  return c;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DiscernError) return e.code;
    throw e;
  }
  return undefined;
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

function read(reader: FormatReader, file: SourceFile, options: ReadOptions = {}): Frame {
  return reader.read(file, options);
}

/** A small EC-Lab ASCII file: `header` lines after the "Nb header lines" line, then columns and rows. */
function mpt(header: string[], columns: string[], rows: string[][], nb?: number): string {
  const lines = ['EC-Lab ASCII FILE', `Nb header lines : ${nb ?? header.length + 3}`, ...header];
  lines.push(`${columns.join('\t')}\t`, ...rows.map((r) => r.join('\t')));
  return `${lines.join('\r\n')}\r\n`;
}

const HEADER = [
  '',
  'Galvanostatic Cycling with Potential Limitation',
  '',
  'Run on channel : 3 (SN 1234)',
  'Acquisition started on : 07/01/2024 10:00:00.500',
  'Device : VMP3 (SN 0001)',
  'EC-Lab for windows v11.50 (software)',
  'Electrode surface area : 113.100 mm²',
  'Cycle Definition : Charge/Discharge alternance',
  'Ns                  0                   1                   ',
  'ctrl_type           CC                  Rest                ',
  '',
];

describe('BioLogic .mpt: synthetic files', () => {
  const columns = [
    'time/s',
    'Ecell/V',
    'Ewe/V',
    'I/mA',
    '<I>/mA',
    'Q discharge/mA.h',
    '-Im(Z)/Ohm',
    'cycle number',
    'Ns',
  ];
  const rows = [
    ['0.000', '3.7000', '3.6000', '1000.0', '990.0', '0.0', '1.5', '1.000000000000000E+000', '0'],
    ['10.000', '3.8000', '3.6500', '-500.0', '-495.0', '-2.5', '-0.5', '1.000000000000000E+000', '1'],
  ];

  it('maps columns to channels with units and signs', () => {
    const frame = read(biologicMptReader, textFile('s.mpt', mpt(HEADER, columns, rows)), { timeZone: 'UTC' });
    expect(frame.length).toBe(2);
    // voltage_V is Ecell when present; Ewe is kept as ewe_V.
    expect(Array.from(f64(frame, 'voltage_V'))).toEqual([3.7, 3.8]);
    expect(Array.from(f64(frame, 'ewe_V'))).toEqual([3.6, 3.65]);
    // I/mA wins over <I>/mA; mA -> A; BioLogic's sign is kept (positive = charge).
    expect(f64(frame, 'current_A')[0]).toBeCloseTo(1.0, 12);
    expect(f64(frame, 'current_A')[1]).toBeCloseTo(-0.5, 12);
    expect(f64(frame, 'aux_avg_current_A')[1]).toBeCloseTo(-0.495, 12);
    // capacities are magnitudes in Ah; -Im(Z) is negated.
    expect(f64(frame, 'discharge_capacity_Ah')[1]).toBeCloseTo(0.0025, 12);
    expect(Array.from(f64(frame, 'z_imag_Ohm'))).toEqual([-1.5, 0.5]);
    expect(Array.from(intColumn(frame, 'cycle_index')!)).toEqual([1, 1]);
    expect(Array.from(intColumn(frame, 'step_index')!)).toEqual([0, 1]);
    // header facts
    expect(frame.meta.technique).toBe('Galvanostatic Cycling with Potential Limitation');
    expect(frame.meta.channel).toBe('3');
    expect(frame.meta.header['Channel serial number']).toBe('1234');
    expect(frame.meta.header['Electrode surface area (cm2)']).toBe('1.131');
    expect(frame.meta.header['param ctrl_type']).toBe('CC; Rest');
    // unix time = acquisition start (naive, read in the given zone) + time/s
    const start = Date.UTC(2024, 6, 1, 10, 0, 0, 500) / 1000;
    expect(frame.meta.startTime).toEqual({ unixS: start, timeZone: 'UTC', assumed: false });
    expect(Array.from(f64(frame, 'unix_time_s'))).toEqual([start, start + 10]);
  });

  it('reads the acquisition start in the given zone, or UTC with DISCERN_TZ_ASSUMED', () => {
    const file = textFile('s.mpt', mpt(HEADER, columns, rows));
    const berlin = read(biologicMptReader, file, { timeZone: 'Europe/Berlin' });
    // 1 July is summer time in Berlin: UTC+2.
    expect(berlin.meta.startTime?.unixS).toBe(Date.UTC(2024, 6, 1, 8, 0, 0, 500) / 1000);
    const assumed = read(biologicMptReader, file);
    expect(assumed.meta.startTime?.assumed).toBe(true);
    expect(assumed.meta.warnings.map((w) => w.code)).toContain('DISCERN_TZ_ASSUMED');
  });

  it('reads decimal commas (de_DE) to the same numbers as decimal points', () => {
    const de = rows.map((r) => r.map((v) => v.replace('.', ',')));
    const a = read(biologicMptReader, textFile('en.mpt', mpt(HEADER, columns, rows)), { timeZone: 'UTC' });
    const b = read(biologicMptReader, textFile('de.mpt', mpt(HEADER, columns, de)), { timeZone: 'UTC' });
    for (const ch of a.channels) expect(b.columns[ch.name]).toEqual(a.columns[ch.name]);
  });

  it('reads an absolute time format (date-times in time/s)', () => {
    const header = [...HEADER.slice(0, -1), 'Text export', '   Time format : Absolute MMDDYYYY', ''];
    const file = textFile(
      'abs.mpt',
      mpt(
        header,
        ['time/s', 'Ewe/V'],
        [
          ['07/01/2024 10:00:01.500', '3.1'],
          ['07/01/2024 10:00:03.000', '3.2'],
        ],
      ),
    );
    const frame = read(biologicMptReader, file, { timeZone: 'UTC' });
    const start = Date.UTC(2024, 6, 1, 10, 0, 0, 500) / 1000;
    expect(Array.from(f64(frame, 'unix_time_s'))).toEqual([start + 1, start + 2.5]);
    expect(Array.from(f64(frame, 'test_time_s'))).toEqual([1, 2.5]);
  });

  it('rejects damaged files with stable codes and lines', () => {
    const ok = mpt(HEADER, columns, rows);
    expect(codeOf(() => read(biologicMptReader, { name: 'e.mpt', bytes: new Uint8Array(0) }))).toBe(
      'DISCERN_EMPTY_FILE',
    );
    const sig = errorOf(() => read(biologicMptReader, textFile('s.mpt', 'EC-Lab ASCII FILE\n')));
    expect([sig.code, sig.line]).toEqual(['DISCERN_PARSE_BAD_HEADER', 2]);
    expect(codeOf(() => read(biologicMptReader, textFile('s.mpt', 'hello\nworld\n')))).toBe(
      'DISCERN_PARSE_BAD_HEADER',
    );
    expect(
      codeOf(() => read(biologicMptReader, textFile('s.mpt', 'EC-Lab ASCII FILE\nNb header lines : 2\n'))),
    ).toBe('DISCERN_PARSE_BAD_HEADER');
    // "Nb header lines" larger than the file
    const big = errorOf(() => read(biologicMptReader, textFile('s.mpt', mpt(HEADER, columns, rows, 60))));
    expect(big.code).toBe('DISCERN_PARSE_TRUNCATED');
    expect(big.line).toBe(ok.split('\r\n').length - 1);
    // "Nb header lines" pointing at a blank line instead of the column names
    expect(codeOf(() => read(biologicMptReader, textFile('s.mpt', mpt(HEADER, columns, rows, 14))))).toBe(
      'DISCERN_PARSE_BAD_HEADER',
    );
    // header only
    const empty = errorOf(() => read(biologicMptReader, textFile('s.mpt', mpt(HEADER, columns, []))));
    expect([empty.code, empty.line]).toEqual(['DISCERN_NO_DATA', HEADER.length + 4]);
    // truncated last row
    const cut = ok.slice(0, ok.lastIndexOf('\t')) + '\r\n';
    const trunc = errorOf(() => read(biologicMptReader, textFile('s.mpt', cut)));
    expect([trunc.code, trunc.line]).toEqual(['DISCERN_PARSE_TRUNCATED', HEADER.length + 5]);
    // a value that is not a number
    const bad = rows.map((r, i) => (i === 1 ? ['10.000', 'x3.8', ...r.slice(2)] : r));
    const badErr = errorOf(() => read(biologicMptReader, textFile('s.mpt', mpt(HEADER, columns, bad))));
    expect([badErr.code, badErr.line]).toEqual(['DISCERN_PARSE_BAD_VALUE', HEADER.length + 5]);
    // neither time/s nor freq/Hz
    expect(
      codeOf(() => read(biologicMptReader, textFile('s.mpt', mpt(HEADER, ['Ewe/V', 'I/mA'], [['1', '2']])))),
    ).toBe('DISCERN_MISSING_COLUMN');
  });

  it('claims only its own signature, never binary garbage', () => {
    expect(detectFormat(textFile('x.mpt', mpt(HEADER, columns, rows))).id).toBe('biologic-mpt');
    let seed = 7;
    const garbage = new Uint8Array(4096).map(() => (seed = (seed * 1103515245 + 12345) % 2147483648) & 255);
    expect(rankReaders({ name: 'x.mpt', bytes: garbage }, MINE)).toEqual([]);
    expect(rankReaders(textFile('x.mpt', 'time/s\tEwe/V\n1\t2\n'), [biologicMptReader])).toEqual([]);
  });
});

describe('BioLogic BT-Lab / EC-Lab column exports: synthetic files', () => {
  const csv =
    'mode;time/s;Ecell/V;I/mA;Q charge/mA.h\n1;05/13/2021 15:00:00.000;3,5;1500,0;0,0\n1;05/13/2021 15:00:10.250;3,6;1500,0;4,2\n';

  it('reads ;-separated rows with decimal commas and local date-times', () => {
    const frame = read(btlabCsvReader, textFile('r.csv', csv), { timeZone: 'America/Los_Angeles' });
    expect(frame.meta.format).toBe('biologic-btlab-csv');
    expect(Array.from(f64(frame, 'voltage_V'))).toEqual([3.5, 3.6]);
    expect(f64(frame, 'current_A')[0]).toBeCloseTo(1.5, 12);
    expect(f64(frame, 'charge_capacity_Ah')[1]).toBeCloseTo(0.0042, 12);
    // 13 May is PDT, UTC-7
    expect(f64(frame, 'unix_time_s')[0]).toBe(Date.UTC(2021, 4, 13, 22, 0, 0) / 1000);
    expect(f64(frame, 'test_time_s')[1]).toBeCloseTo(10.25, 9);
  });

  it('rejects a header-only file, a missing time column and a short row', () => {
    expect(codeOf(() => read(btlabCsvReader, textFile('r.csv', 'time/s;Ecell/V;I/mA\n')))).toBe(
      'DISCERN_NO_DATA',
    );
    expect(codeOf(() => read(btlabCsvReader, textFile('r.csv', 'Ecell/V;I/mA\n1;2\n')))).toBe(
      'DISCERN_MISSING_COLUMN',
    );
    const short = errorOf(() => read(btlabCsvReader, textFile('r.csv', 'time/s;Ecell/V;I/mA\n1;2;3\n2;3\n')));
    expect([short.code, short.line]).toEqual(['DISCERN_PARSE_TRUNCATED', 3]);
  });
});

describe.skipIf(!haveFixtures)('BioLogic .mpt fixtures', () => {
  it('cv.mpt: the header facts and first values listed in the manifest and the file', () => {
    const file = fixtureFile('biologic-converter/cv.mpt');
    expect(detectFormat(file).id).toBe('biologic-mpt');
    const raw = read(biologicMptReader, file, { timeZone: 'Europe/Paris' });
    expect(raw.length).toBe(5103);
    expect(raw.meta.header['Nb header lines']).toBe('55');
    // 12 data columns; voltage_V shares Ewe/V and unix_time_s is derived from time/s.
    const sources = new Set(
      raw.channels.map((c) => c.source).filter((s) => s !== undefined && !s.includes('+')),
    );
    expect(sources.size).toBe(12);
    expect(raw.channels.find((c) => c.name === 'test_time_s')?.source).toBe('time/s');
    expect(raw.meta.technique).toBe('Cyclic Voltammetry');
    expect(raw.meta.softwareVersion).toBe('EC-Lab v11.12');
    expect(raw.meta.channel).toBe('11');
    expect(raw.meta.header['Channel serial number']).toBe('9636');
    expect(raw.meta.header['Electrode surface area (cm2)']).toBe('0.001');
    // First row as written: time 4.320204396882385E+004 s, Ewe 2.4807117 V, <I> -1.235983972946997E-006 mA.
    expect(f64(raw, 'test_time_s')[0]).toBe(43202.04396882385);
    expect(f64(raw, 'voltage_V')[0]).toBe(2.4807117);
    expect(f64(raw, 'current_A')[0]).toBeCloseTo(-1.235983972946997e-9, 20);
    // Second row (Q-Qo) = -4.1855053E-008 C = -1.16264e-11 Ah.
    expect(f64(raw, 'net_capacity_Ah')[1]).toBeCloseTo(-4.1855053e-8 / 3600, 22);
    // Acquisition started on 01/10/2018 17:01:24 (month first), Paris = UTC+1 in January.
    const start = Date.UTC(2018, 0, 10, 16, 1, 24) / 1000;
    expect(raw.meta.startTime).toEqual({ unixS: start, timeZone: 'Europe/Paris', assumed: false });
    expect(f64(raw, 'unix_time_s')[0]).toBeCloseTo(start + 43202.04396882385, 6);
  });

  it.each([
    ['biologic-converter/ca.mpt', 721, 'timeseries'],
    ['biologic-converter/cp.mpt', 121, 'timeseries'],
    ['biologic-converter/ocv.mpt', 602, 'timeseries'],
    ['biologic-converter/zir.mpt', 1, 'impedance'],
    ['biologic-converter/peis.mpt', 32, 'impedance'],
    ['biologic-converter/geis.mpt', 2528, 'impedance'],
    ['biologic-converter/mb.mpt', 1588, 'timeseries'],
    ['impedance.py/exampleDataBioLogic.mpt', 43, 'impedance'],
  ])('%s has %i rows (%s)', (rel, rows, kind) => {
    const frame = readSource(fixtureFile(rel), { timeZone: 'Europe/Berlin' });
    expect(frame.length).toBe(rows);
    expect(frame.meta.kind).toBe(kind);
    expect(frame.meta.format).toBe('biologic-mpt');
  });

  it('cp.mpt is CP and ocv.mpt keeps its windows-1252 comment "25°C"', () => {
    expect(readSource(fixtureFile('biologic-converter/cp.mpt')).meta.technique).toBe('Chronopotentiometry');
    const ocv = readSource(fixtureFile('biologic-converter/ocv.mpt'));
    expect(ocv.meta.header['Comments']).toContain('25°C');
    expect(ocv.meta.warnings.map((w) => w.code)).not.toContain('DISCERN_ENCODING_FALLBACK');
  });

  it('wait.mpt: a Wait that records nothing is a 0-row Frame with a note', () => {
    const frame = readSource(fixtureFile('biologic-converter/wait.mpt'), { timeZone: 'UTC' });
    expect(frame.length).toBe(0);
    expect(frame.meta.technique).toBe('Wait');
    expect(frame.meta.warnings.some((w) => w.code === 'DISCERN_NOTE' && /record = 0/.test(w.message))).toBe(
      true,
    );
  });

  it('peis.mpt: -Im(Z) is negated into z_imag_Ohm', () => {
    const frame = readSource(fixtureFile('biologic-converter/peis.mpt'));
    // first row: freq 1.9999814E+005 Hz, Re(Z) 1.0512296E+001, -Im(Z) 7.3047662E-001
    expect(f64(frame, 'frequency_Hz')[0]).toBe(199998.14);
    expect(f64(frame, 'z_real_Ohm')[0]).toBe(10.512296);
    expect(f64(frame, 'z_imag_Ohm')[0]).toBe(-0.73047662);
  });

  it('mb.issue_95: en_US and de_DE exports give identical data', () => {
    const en = readSource(fixtureFile('yadg/mb.issue_95.mpt'), { timeZone: 'Europe/Berlin' });
    const de = readSource(fixtureFile('yadg/mb.issue_95.de.mpt'), { timeZone: 'Europe/Berlin' });
    expect(en.meta.header['Nb header lines']).toBe('93');
    expect(de.meta.header['Nb header lines']).toBe('94');
    expect(de.length).toBe(en.length);
    expect(de.channels.map((c) => c.name)).toEqual(en.channels.map((c) => c.name));
    for (const ch of en.channels) expect(de.columns[ch.name]).toEqual(en.columns[ch.name]);
    expect(de.meta.startTime).toEqual(en.meta.startTime);
  });

  it('gcpl.issue_149.mpt: German decimal commas', () => {
    const frame = readSource(fixtureFile('yadg/gcpl.issue_149.mpt'), { timeZone: 'Europe/Berlin' });
    expect(frame.length).toBe(132);
    // first row: time 3,015299923827115E+001 s, Ewe 3,4228721E+000 V
    expect(f64(frame, 'test_time_s')[0]).toBe(30.15299923827115);
    expect(f64(frame, 'voltage_V')[0]).toBe(3.4228721);
    expect(f64(frame, 'voltage_V').every((v) => Number.isFinite(v))).toBe(true);
    expect(frame.meta.softwareVersion).toBe('EC-Lab v11.50');
  });

  it('mb.issue_223.mpt (en_GB, EC-LAB v11.61) and the CxN file read', () => {
    const gb = readSource(fixtureFile('yadg/mb.issue_223.mpt'));
    expect(gb.meta.softwareVersion).toBe('EC-Lab v11.61');
    expect(gb.meta.instrument).toBe('MPG-2 (SN 0355)');
    const cxn = readSource(fixtureFile('yadg/gcpl.issue_226.CxN.mpt'));
    expect(cxn.columns['ece_V']).toBeDefined();
    expect(cxn.meta.header['Electrode surface area (cm2)']).toBe('1.131');
  });

  it('vsp_ocv_with.mpt: a 3-line header gives data without an absolute time', () => {
    const frame = readSource(fixtureFile('yadg/vsp_ocv_with.mpt'));
    expect(frame.length).toBe(13);
    expect(frame.columns['unix_time_s']).toBeUndefined();
    expect(f64(frame, 'aux_analog_in_1_V')[0]).toBe(162.97272);
    expect(f64(frame, 'test_time_s')[12]).toBe(53996.92079426046);
  });
});

describe.skipIf(!haveFixtures)('BT-Lab CSV fixture', () => {
  const rel = 'beep/test_loopsnewoutput_MB_CE1_short10k.csv';

  it('reads 9999 rows with local dates in the given zone', () => {
    const file = fixtureFile(rel);
    expect(detectFormat(file).id).toBe('biologic-btlab-csv');
    const frame = readSource(file, { timeZone: 'America/Los_Angeles' });
    expect(frame.length).toBe(9999);
    // 72 columns: 71 named ones plus an unnamed row number that is dropped with a note.
    const sources = new Set(frame.channels.map((c) => c.source?.replace(/ \(date-time\).*/, '')));
    sources.delete(undefined);
    expect(sources.size).toBe(71);
    const u = f64(frame, 'unix_time_s');
    expect(new Date(Math.round(u[0]! * 1000)).toISOString()).toBe('2021-05-05T22:36:22.757Z');
    expect(new Date(Math.round(u[1]! * 1000)).toISOString()).toBe('2021-05-05T22:36:45.513Z');
    const t = f64(frame, 'test_time_s');
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBeCloseTo(102040.77, 6);
    // charging at the start of the file: I/mA 2493.26220703125 -> +2.49326 A
    expect(f64(frame, 'current_A')[1]).toBeCloseTo(2.49326220703125, 12);
    expect(frame.channels.find((c) => c.name === 'voltage_V')?.source).toBe('Ecell/V');
    expect(frame.channels.find((c) => c.name === 'aux_control_degC')?.source).toBe('control/°C');
  });

  it("matches beep's first-cycle capacities (1.4618750 Ah charge, 2.324598 Ah discharge)", () => {
    const frame = readSource(fixtureFile(rel), { timeZone: 'America/Los_Angeles' });
    const cycle = intColumn(frame, 'cycle_index')!;
    const qc = f64(frame, 'charge_capacity_Ah');
    const qd = f64(frame, 'discharge_capacity_Ah');
    let maxC = 0;
    let maxD = 0;
    for (let i = 0; i < frame.length; i++) {
      if (cycle[i] !== 0) continue;
      maxC = Math.max(maxC, qc[i]!);
      maxD = Math.max(maxD, qd[i]!);
    }
    expect(maxC).toBeCloseTo(1.461875, 6);
    expect(maxD).toBeCloseTo(2.324598, 6);
  });

  it('the .mpl log beside it is recognised and refused as holding no data', () => {
    const file = fixtureFile('beep/test_loopsnewoutput_MB_CE1_short10k.mpl');
    expect(detectFormat(file).id).toBe('biologic-mpl');
    expect(codeOf(() => readSource(file))).toBe('DISCERN_NOT_DATA');
  });
});

describe('assembleBiologicColumns: unit conversion and ownership', () => {
  const raw = (): { header: string; values: Float64Array }[] => [
    { header: 'I/mA', values: Float64Array.from([1000, -500]) },
    { header: 'Q charge/mA.h', values: Float64Array.from([-2, 3]) },
    { header: 'Ewe/V', values: Float64Array.from([3.5, 3.6]) },
  ];

  it('converts mA to A and capacities to Ah magnitudes, leaving the input unchanged by default', () => {
    const input = raw();
    const { columns } = assembleBiologicColumns(input);
    expect(Array.from(columns['current_A']!.values as Float64Array)).toEqual([1, -0.5]);
    expect(Array.from(columns['charge_capacity_Ah']!.values as Float64Array)).toEqual([0.002, 0.003]);
    expect(Array.from(input[0]!.values)).toEqual([1000, -500]);
    expect(Array.from(input[1]!.values)).toEqual([-2, 3]);
  });

  it('with owned: true converts in the given arrays (no copies) and gives the same values', () => {
    const input = raw();
    const { columns } = assembleBiologicColumns(input, { owned: true });
    expect(columns['current_A']!.values).toBe(input[0]!.values);
    expect(Array.from(input[0]!.values)).toEqual([1, -0.5]);
    expect(Array.from(columns['charge_capacity_Ah']!.values as Float64Array)).toEqual([0.002, 0.003]);
    expect(columns['voltage_V']!.values).toBe(input[2]!.values);
  });
});
