// The ARC export reader (docs/formats/arc.md), the generic CSV mapping for ARC channels, the
// store round trip, and bad files.
import { describe, expect, it } from 'vitest';
import { categoryColumn, floatColumn, isDiscernError } from '../../src/core/index.js';
import { arcAnalysis } from '../../src/analysis/abuse/index.js';
import { arcCsvReader } from '../../src/ingest/arc/index.js';
import { detectFormat, readSource, sniffInput } from '../../src/ingest/index.js';
import { Store, loadFrame } from '../../src/store/index.js';
import { textFile } from '../helpers/fixtures.js';
import { DEFAULT_HWS, arcCsvText, modelThrough, rateRoot, simulateArc } from './arc-synthetic.js';

const THT = `Accelerating Rate Calorimeter export
Instrument,THT EV+ ARC
Software,ARCFlow 2.1
Sample,NMC811-21700-S017
Start time,2024-03-01 09:12:00

Time (min),Temperature (°C),Rate (°C/min),Pressure (bar),Top (°C),Side (°C),Mode
0.000,30.02,0.000,1.013,30.00,30.01,Heat
0.500,31.05,2.060,1.013,31.02,31.04,Heat
1.000,32.04,1.980,1.014,32.03,32.02,Wait
1.500,32.05,0.020,1.014,32.05,32.05,Seek
`;

function codeOf(fn: () => unknown): { code?: string; line?: number } {
  try {
    fn();
  } catch (e) {
    if (isDiscernError(e)) return { code: e.code, ...(e.line !== undefined ? { line: e.line } : {}) };
    return { code: `not a DiscernError: ${String(e)}` };
  }
  return {};
}

describe('ARC export reader', () => {
  it('detects and reads a THT-style export: units converted, phases kept, start time in the zone', () => {
    const file = textFile('run-017.csv', THT);
    expect(detectFormat(file).id).toBe('arc-csv');
    const f = readSource(file, { timeZone: 'Europe/Berlin' });
    expect(f.meta.kind).toBe('arc');
    expect(f.meta.vendor).toBe('THT');
    expect(f.meta.instrument).toBe('THT EV+ ARC');
    expect(f.meta.header['Sample']).toBe('NMC811-21700-S017');
    // 09:12 CET (UTC+1) on 2024-03-01 is 08:12 UTC.
    expect(f.meta.startTime?.unixS).toBe(Date.UTC(2024, 2, 1, 8, 12, 0) / 1000);
    expect(Array.from(floatColumn(f, 'test_time_s')!)).toEqual([0, 30, 60, 90]);
    expect(floatColumn(f, 'temperature_degC')![1]).toBeCloseTo(31.05, 12);
    // 2.060 degC/min = 0.034333 degC/s; 1.014 bar = 101400 Pa.
    expect(floatColumn(f, 'aux_heat_rate_degC_per_s')![1]).toBeCloseTo(2.06 / 60, 12);
    expect(floatColumn(f, 'aux_pressure_1_Pa')![2]).toBeCloseTo(101400, 6);
    expect(floatColumn(f, 'aux_temperature_2_degC')![3]).toBeCloseTo(32.05, 12);
    const phase = categoryColumn(f, 'step_type')!;
    expect(Array.from(phase.codes).map((c) => phase.levels[c])).toEqual(['Heat', 'Heat', 'Wait', 'Seek']);
    expect(f.channels.find((c) => c.name === 'aux_heat_rate_degC_per_s')?.unit).toBe('degC/s');
  });

  it('reads a NETZSCH-style export: semicolons, decimal commas, units after a slash', () => {
    const text = [
      'Instrument: NETZSCH ARC 254',
      'Time/min;Temp./°C;dT/dt/(K/min);Pressure/bar;Mode',
      '0,0;50,12;0,000;1,000;Wait',
      '10,0;50,31;0,019;1,002;Seek',
      '20,5;50,80;0,047;1,004;Exotherm',
    ].join('\r\n');
    const f = readSource(textFile('n.txt', text));
    expect(f.meta.vendor).toBe('NETZSCH');
    expect(Array.from(floatColumn(f, 'test_time_s')!)).toEqual([0, 600, 1230]);
    expect(floatColumn(f, 'temperature_degC')![2]).toBeCloseTo(50.8, 12);
    expect(floatColumn(f, 'aux_heat_rate_degC_per_s')![2]).toBeCloseTo(0.047 / 60, 12);
  });

  it('detects a windows-1252 export (° as one byte)', () => {
    const text = 'NETZSCH ARC 254\r\nTime/min;Temp./°C;Mode\r\n0,0;50,12;Wait\r\n1,0;50,13;Seek\r\n';
    const file = { name: 'cp.txt', bytes: new Uint8Array(Buffer.from(text, 'latin1')) };
    expect(file.bytes.includes(0xb0)).toBe(true);
    expect(detectFormat(file).id).toBe('arc-csv');
    expect(floatColumn(readSource(file), 'temperature_degC')![1]).toBeCloseTo(50.13, 12);
  });

  it('does not claim a cycler CSV with time and temperature columns', () => {
    const cycler = 'Time (s),Voltage (V),Current (A),Temperature (°C),Step\n0,3.6,1.0,25,1\n';
    expect(arcCsvReader.sniff(sniffInput(textFile('c.csv', cycler)))).toBe(0);
  });

  it('reads a whole synthetic run and finds T1/T2/T3 from the file', () => {
    const model = modelThrough(12027, 92.3, 0.02 / 60, 750);
    const run = simulateArc(model, { ...DEFAULT_HWS, seed: 11 });
    const f = readSource(textFile('syn.csv', arcCsvText(run)), { timeZone: 'UTC' });
    const r = arcAnalysis(f);
    expect(Math.abs(r.t1DegC! - run.truth.t1DegC!)).toBeLessThan(1);
    expect(Math.abs(r.t2DegC! - rateRoot(model, 1, 25, 750))).toBeLessThan(1.5);
    expect(Math.abs(r.t3DegC - run.truth.t3DegC)).toBeLessThan(0.1);
  });

  it('reads ARC channels through the generic CSV mapping (hours, kelvin, K/min)', () => {
    const text = 't [h],T_K,rate,mode\n0,303.15,0,W\n0.5,303.35,0.0066667,S\n1,303.55,0.0066667,E\n';
    const f = readSource(textFile('lab.csv', text), {
      mapping: {
        columns: [
          { source: 't [h]', channel: 'test_time_s', unit: 'h' },
          { source: 'T_K', channel: 'temperature_degC', unit: 'K' },
          { source: 'rate', channel: 'aux_heat_rate_degC_per_s', unit: 'K/min' },
          { source: 'mode', channel: 'step_type' },
        ],
      },
    });
    expect(Array.from(floatColumn(f, 'test_time_s')!)).toEqual([0, 1800, 3600]);
    expect(floatColumn(f, 'temperature_degC')![1]).toBeCloseTo(30.2, 9);
    expect(floatColumn(f, 'aux_heat_rate_degC_per_s')![1]).toBeCloseTo(0.0066667 / 60, 12);
    expect(f.channels.find((c) => c.name === 'aux_heat_rate_degC_per_s')?.unit).toBe('degC/s');
  });

  it('keeps kind, phases and the rate channel through the store', async () => {
    const store = await Store.open(':memory:');
    try {
      const f = readSource(textFile('run-017.csv', THT), { timeZone: 'UTC' });
      const { testId } = await store.insertTest(f, 'a'.repeat(64), [], 'run-017');
      const back = await loadFrame(store, await store.getTest(testId));
      expect(back.meta.kind).toBe('arc');
      expect(floatColumn(back, 'aux_heat_rate_degC_per_s')![1]).toBeCloseTo(2.06 / 60, 12);
      const phase = categoryColumn(back, 'step_type')!;
      expect(phase.levels[phase.codes[3]!]).toBe('Seek');
    } finally {
      store.close();
    }
  });
});

describe('bad ARC files', () => {
  const header = 'Accelerating Rate Calorimeter export\nTime (min),Temperature (°C),Rate (°C/min),Mode\n';
  it('empty or blank file', () => {
    expect(codeOf(() => arcCsvReader.read(textFile('e.csv', ''), {})).code).toBe('DISCERN_EMPTY_FILE');
    expect(codeOf(() => arcCsvReader.read(textFile('b.csv', '\n \n'), {})).code).toBe('DISCERN_EMPTY_FILE');
  });
  it('header only', () => {
    expect(codeOf(() => arcCsvReader.read(textFile('h.csv', header), {}))).toEqual({
      code: 'DISCERN_NO_DATA',
      line: 2,
    });
  });
  it('missing temperature column', () => {
    const text = 'ARC export\nTime (min),Rate (°C/min),Mode\n0,0,Heat\n';
    expect(codeOf(() => arcCsvReader.read(textFile('m.csv', text), {})).code).toBe('DISCERN_MISSING_COLUMN');
  });
  it('non-numeric cell, with its line', () => {
    const text = `${header}0,30,0,Heat\n0.5,31,2,Heat\n1.0,n/a?,2,Heat\n`;
    expect(codeOf(() => arcCsvReader.read(textFile('n.csv', text), {}))).toEqual({
      code: 'DISCERN_PARSE_BAD_VALUE',
      line: 5,
    });
  });
  it('truncated row, with its line', () => {
    const text = `${header}0,30,0,Heat\n0.5,31\n`;
    expect(codeOf(() => arcCsvReader.read(textFile('t.csv', text), {}))).toEqual({
      code: 'DISCERN_PARSE_TRUNCATED',
      line: 4,
    });
  });
  it('a time column without a unit', () => {
    const text = 'ARC export\nTime,Temperature (°C),Rate (°C/min)\n0,30,0\n';
    expect(codeOf(() => arcCsvReader.read(textFile('u.csv', text), {}))).toEqual({
      code: 'DISCERN_PARSE_BAD_HEADER',
      line: 2,
    });
  });
});
