import { describe, expect, it } from 'vitest';
import {
  dominates,
  normaliseCriteria,
  rankCandidates,
  type Criterion,
  type RankCandidate,
} from '../../src/arbiter/rank.js';
import { isDiscernError } from '../../src/core/index.js';

const cand = (
  id: string,
  v: Partial<Record<Criterion, number | null>>,
  failures: string[] = [],
): RankCandidate => ({
  id,
  values: Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, { value: x, basis: x === null ? null : 'measured' }]),
  ),
  failures,
});

describe('normalisation', () => {
  it('maps best to 1 and worst to 0, direction-aware; missing to 0; all-equal to 1', () => {
    const n = normaliseCriteria([
      cand('a', { energy_density: 200, cost: 10000, maturity: 2 }),
      cand('b', { energy_density: 100, cost: 8000, maturity: 2 }),
      cand('c', { energy_density: 175, cost: null, maturity: 2 }),
    ]);
    expect(n.get('a')!.energy_density).toBe(1);
    expect(n.get('b')!.energy_density).toBe(0);
    expect(n.get('c')!.energy_density).toBeCloseTo(0.75, 12);
    expect(n.get('a')!.cost).toBe(0); // most expensive
    expect(n.get('b')!.cost).toBe(1);
    expect(n.get('c')!.cost).toBe(0); // missing
    expect(n.get('c')!.maturity).toBe(1);
  });
});

describe('Pareto front', () => {
  // energy density (higher better) and cost (lower better)
  const set = [
    cand('A', { energy_density: 200, cost: 10000 }),
    cand('B', { energy_density: 150, cost: 8000 }),
    cand('C', { energy_density: 140, cost: 9000 }), // dominated by B
    cand('D', { energy_density: 200, cost: 12000 }), // dominated by A
    cand('E', { energy_density: 200, cost: 10000 }), // equal to A: neither dominates
    cand('F', { energy_density: 250, cost: null }), // missing cost counts as worst: dominated by nobody on ED
  ];
  it('keeps exactly the non-dominated candidates', () => {
    const r = rankCandidates(set, { energy_density: 1, cost: 1 });
    expect([...r.paretoFront].sort()).toEqual(['A', 'B', 'E', 'F']);
    const row = (id: string) => r.rows.find((x) => x.id === id)!;
    expect(row('C').dominatedBy).toEqual(['B']);
    expect(row('D').dominatedBy).toEqual(['A', 'E']);
    expect(row('F').missing).toEqual([
      'cost',
      'fast_charge',
      'cycle_life',
      'low_temp_capacity',
      'maturity',
      'resistance',
    ]);
  });
  it('only looks at criteria with a non-zero weight', () => {
    const r = rankCandidates(set, { energy_density: 1 });
    expect(r.paretoFront).toEqual(['F']);
  });
  it('dominance needs one strict improvement', () => {
    expect(dominates(set[0]!, set[4]!, ['energy_density', 'cost'])).toBe(false);
    expect(dominates(set[1]!, set[2]!, ['energy_density', 'cost'])).toBe(true);
  });
});

describe('scores and ranks', () => {
  it('computes the weighted mean of the normalised criteria', () => {
    const r = rankCandidates(
      [
        cand('x', { energy_density: 200, cost: 100 }),
        cand('y', { energy_density: 100, cost: 50 }),
        cand('z', { energy_density: 150, cost: 75 }),
      ],
      { energy_density: 3, cost: 1 },
    );
    // weights 0.75 / 0.25; x = 0.75, y = 0.25, z = 0.75 x 0.5 + 0.25 x 0.5 = 0.5
    expect(r.weights.energy_density).toBeCloseTo(0.75, 12);
    expect(r.rows.map((x) => [x.id, x.rank])).toEqual([
      ['x', 1],
      ['z', 2],
      ['y', 3],
    ]);
    expect(r.rows[1]!.score).toBeCloseTo(0.5, 12);
    expect(r.rows[0]!.contribution.energy_density).toBeCloseTo(0.75, 12);
  });

  it('breaks ties by id whatever the input order', () => {
    const a = cand('alpha', { cost: 5 });
    const b = cand('beta', { cost: 5 });
    for (const set of [
      [a, b],
      [b, a],
    ]) {
      const r = rankCandidates(set, { cost: 1 });
      expect(r.rows.map((x) => x.id)).toEqual(['alpha', 'beta']);
    }
  });

  it('flags failed and unknown constraints and ranks those candidates after the feasible ones', () => {
    const r = rankCandidates(
      [
        cand('fast-but-dear', { fast_charge: 15, cost: 9000 }),
        cand('slow', { fast_charge: 40, cost: 5000 }),
        cand('unknown', { fast_charge: null, cost: 5000 }),
        cand('ok', { fast_charge: 25, cost: 7000 }),
      ],
      { fast_charge: 1, cost: 1 },
      { constraints: [{ key: 'fast_charge', op: '<=', limit: 30, label: '10-80 % in 30 min or less' }] },
    );
    const row = (id: string) => r.rows.find((x) => x.id === id)!;
    expect(row('slow').feasible).toBe(false);
    expect(row('slow').flags).toEqual(['fails: 10-80 % in 30 min or less (40.0)']);
    expect(row('unknown').flags).toEqual(['unknown: 10-80 % in 30 min or less']);
    expect(
      r.rows
        .slice(0, 2)
        .map((x) => x.id)
        .sort(),
    ).toEqual(['fast-but-dear', 'ok']);
    expect(r.rows.slice(2).every((x) => !x.feasible)).toBe(true);
  });

  it('tests constraints on attributes that are not scored', () => {
    const c = { ...cand('c', { cost: 1 }), attributes: { cell_cost_EUR_per_kWh: 90 } };
    const r = rankCandidates(
      [c],
      { cost: 1 },
      { constraints: [{ key: 'cell_cost_EUR_per_kWh', op: '<=', limit: 75, label: 'cost' }] },
    );
    expect(r.rows[0]!.feasible).toBe(false);
  });

  it('rejects bad weights and duplicate ids', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isDiscernError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => rankCandidates([cand('a', {})], { cost: -1 }))).toBe('DISCERN_BAD_ARGUMENT');
    expect(code(() => rankCandidates([cand('a', {})], { cost: 0 }))).toBe('DISCERN_BAD_ARGUMENT');
    expect(code(() => rankCandidates([cand('a', {}), cand('a', {})], { cost: 1 }))).toBe(
      'DISCERN_BAD_ARGUMENT',
    );
    expect(code(() => rankCandidates([], { cost: 1 }))).toBe('DISCERN_BAD_ARGUMENT');
  });
});

describe('weight sensitivity', () => {
  // X is best on energy density, Y on cost, Z worst on both. Weights ED 1.2, cost 1:
  // X = 1.2/2.2 = 0.545, Y = 1/2.2 = 0.455. The order flips exactly when ED's weight falls below
  // cost's: ED x0.5 (0.6 vs 1) and cost x1.5 (1.2 vs 1.5); ED x1.5 and cost x0.5 keep it.
  const set = [
    cand('Z', { energy_density: 100, cost: 12000 }),
    cand('Y', { energy_density: 100, cost: 8000 }),
    cand('X', { energy_density: 180, cost: 12000 }),
  ];
  const r = rankCandidates(set, { energy_density: 1.2, cost: 1 });
  const find = (k: Criterion, f: number) =>
    r.sensitivity.cases.find((c) => c.criterion === k && c.factor === f)!;

  it('has one case per active weight and factor', () => {
    expect(r.sensitivity.cases.map((c) => `${c.criterion}x${c.factor}`)).toEqual([
      'energy_densityx0.5',
      'energy_densityx1.5',
      'costx0.5',
      'costx1.5',
    ]);
    expect(r.rows.map((x) => x.id)).toEqual(['X', 'Y', 'Z']);
  });
  it('finds the rank swaps where the weights cross', () => {
    expect(find('energy_density', 0.5).changes).toEqual({ X: 1, Y: -1, Z: 0 });
    expect(find('energy_density', 0.5).top).toBe('Y');
    expect(find('cost', 1.5).changes).toEqual({ X: 1, Y: -1, Z: 0 });
    expect(find('energy_density', 1.5).changes).toEqual({ X: 0, Y: 0, Z: 0 });
    expect(find('cost', 0.5).changes).toEqual({ X: 0, Y: 0, Z: 0 });
    expect(find('energy_density', 0.5).weights.energy_density).toBeCloseTo(0.6 / 1.6, 12);
  });
  it('summarises rank ranges per candidate', () => {
    expect(r.sensitivity.topStable).toBe(false);
    expect(r.sensitivity.summary).toEqual([
      { id: 'X', baseRank: 1, bestRank: 1, worstRank: 2, maxChange: 1 },
      { id: 'Y', baseRank: 2, bestRank: 1, worstRank: 2, maxChange: 1 },
      { id: 'Z', baseRank: 3, bestRank: 3, worstRank: 3, maxChange: 0 },
    ]);
  });
});
