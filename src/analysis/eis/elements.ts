import { ccoth, ccsch, cdiv, csqrt, ctanh } from './complex.js';

/** One parameter of a circuit element. */
export interface ElementParameter {
  /** Unit, as impedance.py writes it ('Ohm', 'F', 'sec', 'Ohm^-1 sec^a', '' ...). */
  readonly unit: string;
  /** Default lower bound. */
  readonly lower: number;
  /** Default upper bound. */
  readonly upper: number;
}

/** A circuit element type: its parameters and its impedance Z(ω). */
export interface ElementSpec {
  readonly type: string;
  readonly description: string;
  readonly parameters: readonly ElementParameter[];
  /**
   * Writes Z at every angular frequency ω (rad/s) into `re`/`im`; the element's parameters are
   * p[offset], p[offset + 1], ... `tmp` is a scratch pair.
   */
  evaluate(
    p: ArrayLike<number>,
    offset: number,
    omega: Float64Array,
    re: Float64Array,
    im: Float64Array,
    tmp: Float64Array,
  ): void;
}

const POS = { lower: 0, upper: Infinity } as const;
const FRACTION = { lower: 0, upper: 1 } as const;

const tmp2 = new Float64Array(2);

/**
 * Z = Z0 * f(s) / s with s = sqrt(j w tau): the finite Warburg elements, f = coth (open, Wo) or
 * tanh (short, Ws). Parameters: Z0 (Ohm), tau (s).
 */
function finiteWarburg(f: (re: number, im: number, out: Float64Array) => void): ElementSpec['evaluate'] {
  return (p, o, w, re, im, t) => {
    const z0 = p[o]!;
    const tau = p[o + 1]!;
    for (let k = 0; k < w.length; k++) {
      csqrt(0, w[k]! * tau, t);
      const sr = t[0]!;
      const si = t[1]!;
      f(sr, si, tmp2);
      cdiv(z0 * tmp2[0]!, z0 * tmp2[1]!, sr, si, t);
      re[k] = t[0]!;
      im[k] = t[1]!;
    }
  };
}

/**
 * The circuit elements, with impedance.py's names, parameter order and formulas
 * (impedance/models/circuits/elements.py), ω = 2πf:
 * R: R · C: 1/(jωC) · L: jωL · W: A_W(1 − j)/√ω · Wo: Z0·coth(√(jωτ))/√(jωτ) ·
 * Ws: Z0·tanh(√(jωτ))/√(jωτ) · CPE: 1/(Q(jω)^α) · La: (L·jω)^α (as impedance.py computes it;
 * its docstring says L(jω)^α) · G: R_G/√(1 + jωt_G) · Gs: R_G/(√(1 + jωt_G)·tanh(φ√(1 + jωt_G))) ·
 * K: R/(1 + jωτ) · Zarc: R/(1 + (jωτ)^γ) · TLMQ: √(R_ion·Z_s)·coth(√(R_ion/Z_s)) with
 * Z_s = 1/(Q(jω)^γ) · T: A·coth(β)/β + B/(β·sinh β) with β = √(a + jωb).
 * Default bounds are [0, ∞) except exponents (α, γ) in [0, 1], as impedance.py sets for CPE and La.
 */
export const ELEMENTS: Readonly<Record<string, ElementSpec>> = {
  R: {
    type: 'R',
    description: 'resistor',
    parameters: [{ unit: 'Ohm', ...POS }],
    evaluate(p, o, w, re, im) {
      const r = p[o]!;
      for (let k = 0; k < w.length; k++) {
        re[k] = r;
        im[k] = 0;
      }
    },
  },
  C: {
    type: 'C',
    description: 'capacitor',
    parameters: [{ unit: 'F', ...POS }],
    evaluate(p, o, w, re, im) {
      const c = p[o]!;
      for (let k = 0; k < w.length; k++) {
        re[k] = 0;
        im[k] = -1 / (w[k]! * c);
      }
    },
  },
  L: {
    type: 'L',
    description: 'inductor',
    parameters: [{ unit: 'H', ...POS }],
    evaluate(p, o, w, re, im) {
      const l = p[o]!;
      for (let k = 0; k < w.length; k++) {
        re[k] = 0;
        im[k] = w[k]! * l;
      }
    },
  },
  W: {
    type: 'W',
    description: 'semi-infinite Warburg',
    parameters: [{ unit: 'Ohm sec^-1/2', ...POS }],
    evaluate(p, o, w, re, im) {
      const a = p[o]!;
      for (let k = 0; k < w.length; k++) {
        const v = a / Math.sqrt(w[k]!);
        re[k] = v;
        im[k] = -v;
      }
    },
  },
  Wo: {
    type: 'Wo',
    description: 'finite-space (open, reflective) Warburg, coth form',
    parameters: [
      { unit: 'Ohm', ...POS },
      { unit: 'sec', ...POS },
    ],
    evaluate: finiteWarburg(ccoth),
  },
  Ws: {
    type: 'Ws',
    description: 'finite-length (short, transmissive) Warburg, tanh form',
    parameters: [
      { unit: 'Ohm', ...POS },
      { unit: 'sec', ...POS },
    ],
    evaluate: finiteWarburg(ctanh),
  },
  CPE: {
    type: 'CPE',
    description: 'constant phase element',
    parameters: [
      { unit: 'Ohm^-1 sec^a', ...POS },
      { unit: '', ...FRACTION },
    ],
    evaluate(p, o, w, re, im) {
      const q = p[o]!;
      const a = p[o + 1]!;
      const c = Math.cos((Math.PI / 2) * a);
      const s = Math.sin((Math.PI / 2) * a);
      for (let k = 0; k < w.length; k++) {
        // 1/(Q ω^α e^{jπα/2}) = ω^-α/Q · e^{-jπα/2}
        const m = 1 / (q * Math.pow(w[k]!, a));
        re[k] = m * c;
        im[k] = -m * s;
      }
    },
  },
  La: {
    type: 'La',
    description: 'modified inductance, (L·jω)^α as impedance.py computes it',
    parameters: [
      { unit: 'H sec', ...POS },
      { unit: '', ...FRACTION },
    ],
    evaluate(p, o, w, re, im) {
      const l = p[o]!;
      const a = p[o + 1]!;
      const c = Math.cos((Math.PI / 2) * a);
      const s = Math.sin((Math.PI / 2) * a);
      for (let k = 0; k < w.length; k++) {
        const m = Math.pow(l * w[k]!, a);
        re[k] = m * c;
        im[k] = m * s;
      }
    },
  },
  G: {
    type: 'G',
    description: 'Gerischer element',
    parameters: [
      { unit: 'Ohm', ...POS },
      { unit: 'sec', ...POS },
    ],
    evaluate(p, o, w, re, im, t) {
      const rg = p[o]!;
      const tg = p[o + 1]!;
      for (let k = 0; k < w.length; k++) {
        csqrt(1, w[k]! * tg, t);
        cdiv(rg, 0, t[0]!, t[1]!, t);
        re[k] = t[0]!;
        im[k] = t[1]!;
      }
    },
  },
  Gs: {
    type: 'Gs',
    description: 'finite-length Gerischer element',
    parameters: [
      { unit: 'Ohm', ...POS },
      { unit: 'sec', ...POS },
      { unit: '', ...POS },
    ],
    evaluate(p, o, w, re, im, t) {
      const rg = p[o]!;
      const tg = p[o + 1]!;
      const phi = p[o + 2]!;
      for (let k = 0; k < w.length; k++) {
        csqrt(1, w[k]! * tg, t);
        const sr = t[0]!;
        const si = t[1]!;
        ctanh(phi * sr, phi * si, tmp2);
        cdiv(rg, 0, sr * tmp2[0]! - si * tmp2[1]!, sr * tmp2[1]! + si * tmp2[0]!, t);
        re[k] = t[0]!;
        im[k] = t[1]!;
      }
    },
  },
  K: {
    type: 'K',
    description: 'RC element R/(1 + jωτ) (lin-KK)',
    parameters: [
      { unit: 'Ohm', ...POS },
      { unit: 'sec', ...POS },
    ],
    evaluate(p, o, w, re, im) {
      const r = p[o]!;
      const tau = p[o + 1]!;
      for (let k = 0; k < w.length; k++) {
        const x = w[k]! * tau;
        const d = 1 + x * x;
        re[k] = r / d;
        im[k] = (-r * x) / d;
      }
    },
  },
  Zarc: {
    type: 'Zarc',
    description: 'ZARC (R parallel to a CPE) in time-constant form',
    parameters: [
      { unit: 'Ohm', ...POS },
      { unit: 'sec', ...POS },
      { unit: '', ...FRACTION },
    ],
    evaluate(p, o, w, re, im, t) {
      const r = p[o]!;
      const tau = p[o + 1]!;
      const g = p[o + 2]!;
      const c = Math.cos((Math.PI / 2) * g);
      const s = Math.sin((Math.PI / 2) * g);
      for (let k = 0; k < w.length; k++) {
        const m = Math.pow(w[k]! * tau, g);
        cdiv(r, 0, 1 + m * c, m * s, t);
        re[k] = t[0]!;
        im[k] = t[1]!;
      }
    },
  },
  TLMQ: {
    type: 'TLMQ',
    description: 'simplified transmission line with a CPE interface (TLMQ)',
    parameters: [
      { unit: 'Ohm', ...POS },
      { unit: 'Ohm^-1 sec^a', ...POS },
      { unit: '', ...FRACTION },
    ],
    evaluate(p, o, w, re, im, t) {
      const rion = p[o]!;
      const q = p[o + 1]!;
      const g = p[o + 2]!;
      const c = Math.cos((Math.PI / 2) * g);
      const s = Math.sin((Math.PI / 2) * g);
      for (let k = 0; k < w.length; k++) {
        const m = 1 / (q * Math.pow(w[k]!, g));
        const zr = m * c;
        const zi = -m * s;
        csqrt(rion * zr, rion * zi, tmp2);
        const ar = tmp2[0]!;
        const ai = tmp2[1]!;
        cdiv(rion, 0, zr, zi, t);
        csqrt(t[0]!, t[1]!, t);
        ccoth(t[0]!, t[1]!, t);
        re[k] = ar * t[0]! - ai * t[1]!;
        im[k] = ar * t[1]! + ai * t[0]!;
      }
    },
  },
  T: {
    type: 'T',
    description: 'porous-electrode transmission line (Paasch)',
    parameters: [
      { unit: 'Ohm', ...POS },
      { unit: 'Ohm', ...POS },
      { unit: '', ...POS },
      { unit: 'sec', ...POS },
    ],
    evaluate(p, o, w, re, im, t) {
      const a1 = p[o]!;
      const b1 = p[o + 1]!;
      const a = p[o + 2]!;
      const b = p[o + 3]!;
      for (let k = 0; k < w.length; k++) {
        csqrt(a, w[k]! * b, t);
        const br = t[0]!;
        const bi = t[1]!;
        // A·coth(β)/β
        ccoth(br, bi, tmp2);
        cdiv(a1 * tmp2[0]!, a1 * tmp2[1]!, br, bi, t);
        const xr = t[0]!;
        const xi = t[1]!;
        // B/(β sinh β) = B·csch(β)/β
        ccsch(br, bi, tmp2);
        cdiv(b1 * tmp2[0]!, b1 * tmp2[1]!, br, bi, t);
        re[k] = xr + t[0]!;
        im[k] = xi + t[1]!;
      }
    },
  },
};

/** Element type names, longest first (so `CPE` is tried before `C`, `Wo` before `W`). */
export const ELEMENT_TYPES: readonly string[] = Object.keys(ELEMENTS).sort((a, b) => b.length - a.length);
