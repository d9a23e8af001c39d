import { describe, expect, it } from 'vitest';
import { circuitImpedance, compileCircuit, parseCircuit } from '../../src/analysis/eis/circuit.js';

// impedance.py tests/test_circuit_elements.py::test_each_element: p = [0.1, 0.2, 0.3, 0.4][:n],
// f = [0.001, 1, 1000] Hz; the values were recomputed independently in research/algorithms.md §3(c).
const F = [0.001, 1.0, 1000];
const P = [0.1, 0.2, 0.3, 0.4];
const EXPECTED: Record<string, [number, number][]> = {
  R: [
    [0.1, 0],
    [0.1, 0],
    [0.1, 0],
  ],
  C: [
    [0, -1591.5494309189532],
    [0, -1.5915494309189535],
    [0, -0.0015915494309189533],
  ],
  L: [
    [0, 0.000628319],
    [0, 0.628319],
    [0, 628.319],
  ],
  W: [
    [1.26156626, -1.26156626],
    [0.03989423, -0.03989423],
    [0.00126157, -0.00126157],
  ],
  Wo: [
    [0.033333333, -79.5774743],
    [0.03300437, -0.08232867],
    [0.0019947114, -0.0019947114],
  ],
  Ws: [
    [0.09999998, -4.18878913e-5],
    [0.08327519, -0.0333838167],
    [0.00199471, -0.00199471],
  ],
  CPE: [
    [26.2162368, -8.5181717],
    [6.585221, -2.139668],
    [1.6541327, -0.5374603],
  ],
  La: [
    [0.21769191, 0.07073239],
    [0.86664712, 0.28159072],
    [3.45018434, 1.12103285],
  ],
  G: [
    [0.0999999408, -6.28317911e-5],
    [0.0710775502, -0.0342746521],
    [0.0019955046, -0.0019939173],
  ],
  Gs: [
    [0.3432733167, -0.000418952],
    [0.1391819315, -0.1624846679],
    [0.001995503, -0.0019939171],
  ],
  TLMQ: [
    [20.42237173, -10.38874276],
    [2.6000937, -1.30789949],
    [0.35594139, -0.16491599],
  ],
  T: [
    [1.00041, -0.00837309],
    [0.0156037, -0.114062],
    [0.00141056, -0.00141039],
  ],
  K: [
    [0.099999842, -0.000125664],
    [0.0387726637, -0.0487231661],
    [6.33257e-8, -7.9577421e-5],
  ],
  Zarc: [
    [0.08900974, -0.00486384],
    [0.04818879, -0.01198904],
    [0.00969182, -0.00436265],
  ],
};

describe('circuit elements reproduce impedance.py test_each_element', () => {
  for (const [type, expected] of Object.entries(EXPECTED)) {
    it(`${type}`, () => {
      const c = parseCircuit(`${type}1`);
      const z = circuitImpedance(c, P.slice(0, c.parameters.length), F);
      for (let k = 0; k < 3; k++) {
        const [er, ei] = expected[k]!;
        // The reference values carry 6 to 10 significant digits: half a unit in the 6th digit.
        const tol = (v: number): number => 5e-6 * Math.max(Math.abs(v), 1e-12);
        expect(Math.abs(z.re[k]! - er)).toBeLessThanOrEqual(tol(er));
        expect(Math.abs(z.im[k]! - ei)).toBeLessThanOrEqual(tol(ei));
      }
    });
  }
});

describe('series and parallel combination', () => {
  it('adds impedances in series and admittances in parallel', () => {
    // impedance.py: s([5+6j, 2+3j], same) = [10+12j, 4+6j]; p(same) = [2.5+3j, 1+1.5j]. With
    // resistors and inductors: R=5 + L giving 6j at f1 and R=2 + L giving 3j at f2 are not
    // expressible with one L, so check the rule on R-L at one frequency each.
    const f = [1 / (2 * Math.PI)];
    const s = circuitImpedance('R0-L0-R1-L1', [5, 6, 5, 6], f);
    expect(s.re[0]).toBeCloseTo(10, 12);
    expect(s.im[0]).toBeCloseTo(12, 12);
    const p = circuitImpedance('p(R0-L0,R1-L1)', [5, 6, 5, 6], f);
    expect(p.re[0]).toBeCloseTo(2.5, 12);
    expect(p.im[0]).toBeCloseTo(3, 12);
    const p2 = circuitImpedance('p(R0-L0,R1-L1)', [2, 3, 2, 3], f);
    expect(p2.re[0]).toBeCloseTo(1, 12);
    expect(p2.im[0]).toBeCloseTo(1.5, 12);
  });
});

describe('circuit strings', () => {
  it('names parameters in impedance.py order (Randles)', () => {
    const c = parseCircuit('R0-p(R1-Wo1,C1)');
    expect(c.parameters.map((p) => p.name)).toEqual(['R0', 'R1', 'Wo1_0', 'Wo1_1', 'C1']);
    expect(c.parameters.map((p) => p.unit)).toEqual(['Ohm', 'Ohm', 'Ohm', 'sec', 'F']);
  });
  it('parses nesting, underscores and spaces', () => {
    const c = parseCircuit(' R_0 - p( p(R1, C1)-R2 , C2) ');
    expect(c.parameters.map((p) => p.name)).toEqual(['R_0', 'R1', 'C1', 'R2', 'C2']);
    expect(c.parameters[0]!.lower).toBe(0);
  });
  it('bounds CPE alpha to [0, 1]', () => {
    const c = parseCircuit('CPE1');
    expect([c.parameters[1]!.lower, c.parameters[1]!.upper]).toEqual([0, 1]);
  });
  for (const bad of ['', 'R0-', 'p(R1,C1', 'X1', 'R0-R0', 'R0)', 'p()', 'R1-pR2']) {
    it(`rejects "${bad}" with DISCERN_BAD_ARGUMENT`, () => {
      expect(() => parseCircuit(bad)).toThrow(expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }));
    });
  }
  it('rejects a wrong number of parameters', () => {
    expect(() => circuitImpedance('R0-C1', [1], [1])).toThrow(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
});

describe('circuit Jacobian (element derivatives carried through series and parallel nodes)', () => {
  it('matches central differences of the whole circuit for every element type', () => {
    const text = 'L0-R0-p(R1,CPE1)-p(R2-Wo1,C2)-p(Ws1,La1)-G1-p(K1,Zarc1)-p(TLMQ1,Gs1)-T1-W1';
    const c = parseCircuit(text);
    const p = [
      1e-6, 0.02, 0.03, 0.5, 0.8, 0.05, 0.04, 20, 2, 0.03, 5, 1e-3, 0.9, 0.05, 0.01, 0.02, 0.3, 0.04, 0.01,
      0.7, 0.1, 2, 0.8, 0.05, 0.5, 2, 0.03, 0.06, 1, 0.5, 0.01,
    ];
    expect(p.length).toBe(c.parameters.length);
    const f = Array.from({ length: 25 }, (_, k) => 1e5 * Math.pow(1e-7, k / 24));
    const ev = compileCircuit(c, f);
    const jr = new Float64Array(p.length * f.length);
    const ji = new Float64Array(p.length * f.length);
    ev.jacobian(p, jr, ji);
    for (let j = 0; j < p.length; j++) {
      const h = 1e-6 * Math.abs(p[j]!);
      const up = circuitImpedance(
        c,
        p.map((v, q) => (q === j ? v + h : v)),
        f,
      );
      const dn = circuitImpedance(
        c,
        p.map((v, q) => (q === j ? v - h : v)),
        f,
      );
      const cr = f.map((_, k) => (up.re[k]! - dn.re[k]!) / (2 * h));
      const ci = f.map((_, k) => (up.im[k]! - dn.im[k]!) / (2 * h));
      const rowMax = Math.max(...cr.map((v, k) => Math.hypot(v, ci[k]!)));
      // Relative to each value, with a floor of 1e-6 of the largest in the row (rounding).
      for (let k = 0; k < f.length; k++) {
        const err = Math.hypot(jr[j * f.length + k]! - cr[k]!, ji[j * f.length + k]! - ci[k]!);
        expect(err).toBeLessThan(1e-4 * Math.hypot(cr[k]!, ci[k]!) + 1e-6 * rowMax);
      }
    }
  });
});
