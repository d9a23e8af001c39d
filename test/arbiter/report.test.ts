import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCellReport, reportNumber, type CellReportData } from '../../src/arbiter/report-html.js';
import { niceTicks, svgPlot } from '../../src/arbiter/svg-plot.js';
import { importCatalogue } from '../../src/app/catalogue.js';
import { writeCellReport, writeReportFile } from '../../src/app/report.js';
import { withStore } from '../../src/app/tests.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// Three samples measured at 281.0, 279.5 and 283.1 Ah against a 280 Ah +-3 % claim.
const capacities = [281.0, 279.5, 283.1];
const mean = capacities.reduce((a, b) => a + b, 0) / 3; // 281.2
const std = Math.sqrt(capacities.reduce((a, b) => a + (b - mean) ** 2, 0) / 2); // 1.8083

const data: CellReportData = {
  generatedAt: '2026-09-01T10:00:00Z',
  model: {
    id: 'VC-LFP-280',
    supplier: 'Volta Cells Ltd',
    chemistry: 'LFP',
    format: 'prismatic',
    nominalCapacityAh: 280,
    nominalVoltageV: 3.2,
    voltageMinV: 2.5,
    voltageMaxV: 3.65,
    massKg: 5.4,
    volumeL: 2.593,
    costPerKWhEur: 75,
  },
  samples: capacities.map((_, i) => ({ serial: `VC280-000${i + 1}`, batch: 'B2026-07', state: 'in-test' })),
  claims: [
    {
      id: 'capacity-c3',
      kind: 'capacity',
      claimed: 280,
      unit: 'Ah',
      tolerancePct: 3,
      conditions: '0.33 C, 25 degC',
      verdict: 'confirmed',
      measured: { mean, std, n: 3, unit: 'Ah' },
      evidence: capacities.map((v, i) => ({ testId: 10 + i, sample: `VC280-000${i + 1}`, value: v })),
      reason: 'the 95 % interval lies within the tolerance',
    },
    {
      id: 'life-1c',
      kind: 'cycle_life',
      claimed: 6000,
      unit: 'cycles',
      tolerancePct: null,
      conditions: '1 C, 25 degC, to 80 %',
      verdict: 'not_measured',
      measured: null,
      evidence: [],
      reason: 'no cycle-life test <yet>',
    },
  ],
  fade: [{ label: 'VC280-0001 · test 10', cycles: [1, 2, 3, 4], retentionPct: [100, 99.8, 99.5, 99.1] }],
  consistency: [
    {
      quantity: 'capacity',
      unit: 'Ah',
      n: 3,
      mean,
      std,
      min: 279.5,
      max: 283.1,
      cpk: (mean - 280 * 0.97) / (3 * std),
      values: capacities.map((v, i) => ({ sample: `VC280-000${i + 1}`, value: v })),
    },
  ],
  maturity: { level: 'promising', decidedBy: 'cycles-reached-below-claim', evidence: ['3 samples tested'] },
  passport: { performance: { ratedCapacity: 280, capacityFade: 0.9 } },
  notes: [],
};

describe('report numbers and plots', () => {
  it('formats to 4 significant digits', () => {
    expect(reportNumber(281.2)).toBe('281.2');
    expect(reportNumber(std)).toBe('1.808');
    expect(reportNumber(6000)).toBe('6000');
    expect(reportNumber(null)).toBe('-');
  });
  it('makes nice ticks', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(98.7, 100.3, 4)).toEqual([99, 99.5, 100]);
  });
  it('draws one marker per finite point and skips NaN', () => {
    const svg = svgPlot([{ name: 's', x: [1, 2, 3], y: [1, Number.NaN, 3] }], {
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
    });
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });
});

describe('HTML report', () => {
  const html = renderCellReport(data);
  it('holds the claim, the measured mean, std, n and the evidence', () => {
    expect(html).toContain('280 Ah ± 3 %');
    expect(html).toContain(`${reportNumber(mean)} Ah`); // 281.2 Ah
    expect(reportNumber(mean)).toBe('281.2');
    expect(html).toContain('>1.808<');
    expect(html).toContain('test 11 / VC280-0002: 279.5');
    expect(html).toContain('class="v-confirmed"');
    expect(html).toContain('class="v-not_measured"');
  });
  it('shows consistency, maturity and passport values', () => {
    // CV = 1.8083 / 281.2 = 0.643 %; Cpk = (281.2 - 271.6) / (3 x 1.8083) = 1.770
    expect(html).toContain('>0.6431<');
    expect(html).toContain('>1.77<');
    expect(html).toContain('<strong>promising</strong>');
    expect(html).toContain('cycles-reached-below-claim');
    expect(html).toContain('performance.ratedCapacity');
    expect(html).toContain('>0.9<');
  });
  it('draws the fade, claims and consistency plots inline', () => {
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('Capacity retention');
    expect(html).toContain('Claims against measurements');
  });
  it('is self-contained and escapes text', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href=/);
    expect(html.replace(/xmlns="http:\/\/www.w3.org\/2000\/svg"/g, '')).not.toContain('http');
    expect(html).toContain('no cycle-life test &lt;yet&gt;');
  });
  it('rejects an output name that is neither .html nor .pdf', () => {
    expect(() => writeReportFile(html, '/tmp/x.txt')).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
});

describe('report from the store', () => {
  it('writes the HTML of a catalogue cell model with its claims not yet measured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'discern-report-'));
    const db = join(dir, 'lab.duckdb');
    await withStore(db, (s) => importCatalogue(s, join(root, 'examples/catalogues/candidate-cells.yaml')));
    const out = join(dir, 'blade.html');
    const r = await writeCellReport('LC-LFP-BLADE-135', out, { db, generatedAt: '2026-09-01T10:00:00Z' });
    expect(r.format).toBe('html');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('Cell model LC-LFP-BLADE-135');
    expect(text).toContain('5000 cycles'); // the cycle-life claim
    expect(text).toContain('0.3 mOhm');
    await expect(writeCellReport('NOPE', join(dir, 'x.html'), { db })).rejects.toMatchObject({
      code: 'DISCERN_NOT_FOUND',
    });
  });

  it.skipIf(!existsSync('/usr/bin/chromium'))(
    'prints a PDF through Chromium',
    () => {
      const out = join(mkdtempSync(join(tmpdir(), 'discern-pdf-')), 'r.pdf');
      const r = writeReportFile(renderCellReport(data), out);
      expect(r.format).toBe('pdf');
      expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    },
    120_000,
  );
});
