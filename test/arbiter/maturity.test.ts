import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/arbiter/catalogue-schema.js';
import type { ClaimVerdict, Verdict } from '../../src/arbiter/claims.js';
import { processCapability, type Spread } from '../../src/arbiter/consistency.js';
import { chemistryMaturity, modelMaturity, type ModelMaturityInput } from '../../src/arbiter/maturity.js';
import { sampleStatistics } from '../../src/arbiter/statistics.js';
import { isDiscernError } from '../../src/core/index.js';

describe('processCapability', () => {
  it('gives Cpk = min(Cpu, Cpl) from the sample standard deviation', () => {
    // mean 10, s = 0.1 (n − 1): Cpu = (10.3 − 10)/0.3 = 1, Cpl = (10 − 9.8)/0.3 = 2/3.
    const c = processCapability([9.9, 10.0, 10.1], { lsl: 9.8, usl: 10.3 });
    expect(c.mean).toBeCloseTo(10, 12);
    expect(c.std).toBeCloseTo(0.1, 12);
    expect(c.cpu).toBeCloseTo(1, 12);
    expect(c.cpl).toBeCloseTo(2 / 3, 12);
    expect(c.cpk).toBeCloseTo(2 / 3, 12);
  });
  it('uses one limit alone, and gives null without spread or limits', () => {
    expect(processCapability([1, 2, 3], { lsl: 0 }).cpk).toBeCloseTo(2 / 3, 12);
    expect(processCapability([1, 1, 1], { lsl: 0 }).cpk).toBeNull();
    expect(processCapability([1, 2], {}).cpk).toBeNull();
  });
});

describe('sampleStatistics', () => {
  it('combines the t interval and the method floor in quadrature', () => {
    // n = 4, mean 50, s = sqrt(0.1/3); t(0.975, 3) = 3.1824.
    const s = sampleStatistics([50.2, 49.9, 50.1, 49.8], 0.005);
    const tPart = (3.182446 * Math.sqrt(0.1 / 3)) / 2;
    expect(s.halfWidth).toBeCloseTo(Math.hypot(tPart, 0.25), 5);
    expect(sampleStatistics([10], 0.01).halfWidth).toBeCloseTo(0.2, 12);
  });
});

function verdict(
  id: string,
  kind: ClaimVerdict['claim']['kind'],
  v: Verdict,
  value = 1,
  onTrack?: boolean,
): ClaimVerdict {
  return {
    cell_model: 'X',
    claim: { id, kind, value, unit: kind === 'cycle_life' ? 'cycles' : 'Ah' },
    verdict: v,
    measured: { mean: 1, std: null, n: 3, unit: 'Ah', low: 1, high: 1, confidence: 0.95, lower_bound: false },
    samples: [],
    evidence: [],
    rule: '',
    reason: '',
    assumed: [],
    ...(onTrack !== undefined ? { cycle_life: { eol_pct: 80, samples: [], on_track: onTrack } } : {}),
  };
}

function capacitySpread(cvPct: number, cpk: number | null): Spread {
  return {
    quantity: 'capacity',
    unit: 'Ah',
    n: 4,
    mean: 50,
    std: cvPct / 2,
    cpu: null,
    cpl: cpk,
    cpk,
    cvPct,
    min: 49,
    max: 51,
    lsl: 48.5,
    usl: null,
    limitsFrom: '',
    values: [],
  };
}

// A documented mature case: 4 samples, capacity and cycle life confirmed, CV 0.5 %, Cpk 2.
const MATURE: ModelMaturityInput = {
  cellModel: 'A',
  chemistry: 'LFP',
  supplier: 'acme',
  samplesTested: 4,
  verdicts: [verdict('cap', 'capacity', 'confirmed'), verdict('life', 'cycle_life', 'confirmed', 3000)],
  cyclesReached: 3100,
  consistency: [capacitySpread(0.5, 2)],
};

describe('modelMaturity', () => {
  it('calls the documented mature case mature (M1-M6)', () => {
    const r = modelMaturity(MATURE);
    expect(r.level).toBe('mature');
    expect(r.decided_by).toMatch(/^M1-M6/);
  });
  it('names the rule part that decided each case', () => {
    const cases: [Partial<ModelMaturityInput>, string, string][] = [
      [{ eucarLevels: [2, 6] }, 'unproven', 'U1'],
      [{ samplesTested: 1 }, 'unproven', 'U2'],
      [{ verdicts: [verdict('cap', 'capacity', 'not_measured')] }, 'unproven', 'U3'],
      [
        {
          verdicts: [
            verdict('cap', 'capacity', 'confirmed'),
            verdict('e', 'specific_energy', 'contradicted'),
          ],
        },
        'unproven',
        'U4',
      ],
      [{ samplesTested: 2 }, 'promising', 'M1'],
      [
        {
          verdicts: [
            verdict('cap', 'capacity', 'confirmed'),
            verdict('r', 'dc_resistance', 'confirmed'),
            verdict('e', 'specific_energy', 'contradicted'),
          ],
        },
        'promising',
        'M2',
      ],
      [
        {
          verdicts: [
            verdict('cap', 'capacity', 'not_confirmed'),
            verdict('l', 'cycle_life', 'confirmed', 3000),
          ],
        },
        'promising',
        'M3',
      ],
      // 300 of 4000 cycles on track: 7.5 % < 25 %.
      [
        {
          verdicts: [
            verdict('cap', 'capacity', 'confirmed'),
            verdict('l', 'cycle_life', 'not_confirmed', 4000, true),
          ],
          cyclesReached: 300,
        },
        'promising',
        'M4',
      ],
      [{ consistency: [capacitySpread(3, 2)] }, 'promising', 'M5'],
      [{ consistency: [capacitySpread(1, 0.8)] }, 'promising', 'M5'],
      [{ eucarLevels: [5] }, 'promising', 'M6'],
    ];
    for (const [change, level, rule] of cases) {
      const r = modelMaturity({ ...MATURE, ...change });
      expect([r.level, r.decided_by.slice(0, rule.length)], JSON.stringify(change)).toEqual([level, rule]);
    }
  });
  it('accepts 1000 of 4000 cycles on track as shown (M4: 25 %)', () => {
    const r = modelMaturity({
      ...MATURE,
      verdicts: [
        verdict('cap', 'capacity', 'confirmed'),
        verdict('l', 'cycle_life', 'not_confirmed', 4000, true),
      ],
      cyclesReached: 1000,
    });
    expect(r.level).toBe('mature');
  });
});

describe('chemistryMaturity', () => {
  it('needs mature models from two suppliers for a mature chemistry', () => {
    const a = modelMaturity(MATURE);
    const b = modelMaturity({ ...MATURE, cellModel: 'B', supplier: 'other' });
    const c = modelMaturity({ ...MATURE, cellModel: 'C', chemistry: 'SIB', samplesTested: 1 });
    const rows = chemistryMaturity([a, b, c]);
    expect(rows.find((r) => r.chemistry === 'LFP')).toMatchObject({ level: 'mature', cell_model: null });
    expect(rows.find((r) => r.chemistry === 'SIB')!.decided_by).toMatch(/^C3/);
    expect(chemistryMaturity([a])[0]!.decided_by).toMatch(/^C2/);
  });
});

describe('parseCatalogue', () => {
  const ok = `suppliers:\n  - { id: a, name: A }\ncell_models:\n  - id: M\n    supplier: a\n    chemistry: LFP\n    format: pouch\n    nominal_capacity_Ah: 10\n    nominal_voltage_V: 3.2\n    voltage_min_V: 2.5\n    voltage_max_V: 3.65\n    claims:\n      - { id: c, kind: capacity, value: 10, unit: Ah }\n`;
  const code = (text: string): [string, number | undefined] => {
    try {
      parseCatalogue(text, 'cat.yaml');
      return ['ok', undefined];
    } catch (e) {
      if (!isDiscernError(e)) throw e;
      return [e.code, e.line];
    }
  };
  it('accepts a valid file and JSON', () => {
    expect(parseCatalogue(ok, 'cat.yaml').cell_models[0]!.claims).toHaveLength(1);
    expect(parseCatalogue(JSON.stringify({ suppliers: [{ id: 'a', name: 'A' }] })).suppliers).toHaveLength(1);
  });
  it('reports schema faults with the line', () => {
    expect(code(ok.replace('unit: Ah', 'unit: Wh'))).toEqual(['DISCERN_BAD_INPUT', 13]);
    expect(code(ok.replace('chemistry: LFP', 'chemistry: LiFePO'))).toEqual(['DISCERN_BAD_INPUT', 6]);
    expect(code(ok.replace('supplier: a', 'supplier: b'))).toEqual(['DISCERN_BAD_INPUT', 5]);
    expect(code(ok.replace('voltage_max_V: 3.65', 'voltage_max_V: 2.0'))).toEqual(['DISCERN_BAD_INPUT', 11]);
    expect(code(`${ok}samples:\n  - { serial: S1, cell_model: M, colour: red }\n`)).toEqual([
      'DISCERN_BAD_INPUT',
      15,
    ]);
    expect(code('suppliers: [ { id: a\n')[0]).toBe('DISCERN_BAD_INPUT');
  });
});
