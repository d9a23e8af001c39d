import { DiscernError } from '../../core/index.js';
import { ELEMENTS, ELEMENT_TYPES } from './elements.js';

/** A node of a parsed circuit. */
export type CircuitNode =
  | { readonly kind: 'element'; readonly name: string; readonly type: string; readonly offset: number }
  | { readonly kind: 'series' | 'parallel'; readonly children: readonly CircuitNode[] };

/** One parameter of a circuit, in impedance.py's order and naming. */
export interface CircuitParameter {
  /** `R0` for single-parameter elements, `Wo1_0`, `Wo1_1` for the others. */
  readonly name: string;
  readonly element: string;
  readonly unit: string;
  readonly lower: number;
  readonly upper: number;
}

/** A parsed circuit string. */
export interface Circuit {
  /** The string as given (whitespace removed). */
  readonly text: string;
  readonly root: CircuitNode;
  /** Parameters in order of appearance, left to right. */
  readonly parameters: readonly CircuitParameter[];
}

/**
 * Parses a circuit string in impedance.py's syntax: `-` joins elements in series, `p(a,b,...)`
 * puts them in parallel, nesting is allowed (`R0-p(p(R1,C1)-R2,C2)`); an element name is its type
 * (R, C, L, W, Wo, Ws, CPE, La, G, Gs, K, Zarc, TLMQ, T) followed by a unique suffix of digits or
 * underscores.
 * @throws DISCERN_BAD_ARGUMENT for a syntax error, an unknown element type or a repeated name.
 * @example parseCircuit('R0-p(R1,CPE1)-Wo1').parameters.map((p) => p.name) // ['R0','R1','CPE1_0','CPE1_1','Wo1_0','Wo1_1']
 */
export function parseCircuit(text: string): Circuit {
  const s = text.replace(/\s+/g, '');
  if (s.length === 0) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'the circuit string is empty');
  let pos = 0;
  const names = new Set<string>();
  const parameters: CircuitParameter[] = [];
  const fail = (msg: string): never => {
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `circuit "${s}": ${msg} at character ${pos + 1}`);
  };
  const parseSeries = (): CircuitNode => {
    const children = [parseTerm()];
    while (s[pos] === '-') {
      pos++;
      children.push(parseTerm());
    }
    return children.length === 1 ? children[0]! : { kind: 'series', children };
  };
  const parseTerm = (): CircuitNode => {
    if (s[pos] === 'p' && s[pos + 1] === '(') {
      pos += 2;
      const children = [parseSeries()];
      while (s[pos] === ',') {
        pos++;
        children.push(parseSeries());
      }
      if (s[pos] !== ')') fail(`expected ')'`);
      pos++;
      return children.length === 1 ? children[0]! : { kind: 'parallel', children };
    }
    const m = /^([A-Za-z]+)([0-9_]*)/.exec(s.slice(pos));
    if (m === null) fail(`expected an element or p(...)`);
    const letters = m![1]!;
    const type = ELEMENT_TYPES.find((t) => t === letters);
    if (type === undefined)
      fail(`unknown element type "${letters}" (known: ${Object.keys(ELEMENTS).join(', ')})`);
    const name = m![0];
    if (names.has(name)) fail(`element name ${name} is used twice`);
    names.add(name);
    pos += name.length;
    const spec = ELEMENTS[type!]!;
    const offset = parameters.length;
    spec.parameters.forEach((p, k) =>
      parameters.push({
        name: spec.parameters.length === 1 ? name : `${name}_${k}`,
        element: name,
        unit: p.unit,
        lower: p.lower,
        upper: p.upper,
      }),
    );
    return { kind: 'element', name, type: type!, offset };
  };
  const root = parseSeries();
  if (pos !== s.length) fail(`unexpected "${s[pos]}"`);
  return { text: s, root, parameters };
}

/** A circuit bound to a set of frequencies: `evaluate(p)` fills `re` and `im` (Ohm). */
export interface CircuitEvaluator {
  readonly circuit: Circuit;
  /** Angular frequencies ω = 2πf (rad/s). */
  readonly omega: Float64Array;
  readonly re: Float64Array;
  readonly im: Float64Array;
  evaluate(parameters: ArrayLike<number>): void;
  /**
   * ∂Z/∂p_j at every frequency, row j of `outRe`/`outIm` (parameters × frequencies, row-major);
   * also leaves Z(p) in `re`/`im`. Each element is differentiated on its own (forward difference
   * of that element only, step √ε·max(|p|, 1e-10)) and carried to the circuit's terminals by the
   * chain rule: ∂Z/∂Z_child is 1 through a series node and (Z/Z_child)² through a parallel node.
   */
  jacobian(parameters: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void;
}

interface Compiled {
  readonly re: Float64Array;
  readonly im: Float64Array;
  /** ∂Z_total/∂Z_node (filled by the Jacobian pass). */
  readonly sr: Float64Array;
  readonly si: Float64Array;
  readonly kids: readonly Compiled[];
  readonly kind: CircuitNode['kind'];
  readonly node: CircuitNode;
  run(p: ArrayLike<number>): void;
}

/**
 * Compiles a circuit for fixed frequencies: every node gets its buffers once, so evaluations and
 * Jacobians allocate nothing (series impedances add, parallel admittances add).
 * @param frequencyHz frequencies in Hz
 * @example const ev = compileCircuit(parseCircuit('R0-p(R1,C1)'), [1, 10]); ev.evaluate([1, 2, 1e-3]); ev.re[0];
 */
export function compileCircuit(circuit: Circuit, frequencyHz: ArrayLike<number>): CircuitEvaluator {
  const n = frequencyHz.length;
  const omega = new Float64Array(n);
  for (let k = 0; k < n; k++) omega[k] = 2 * Math.PI * frequencyHz[k]!;
  const tmp = new Float64Array(2);
  const elements: Compiled[] = [];
  const build = (node: CircuitNode): Compiled => {
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const base = { re, im, sr: new Float64Array(n), si: new Float64Array(n), kind: node.kind, node };
    if (node.kind === 'element') {
      const spec = ELEMENTS[node.type]!;
      const c: Compiled = {
        ...base,
        kids: [],
        run: (p) => spec.evaluate(p, node.offset, omega, re, im, tmp),
      };
      elements.push(c);
      return c;
    }
    const kids = node.children.map(build);
    if (node.kind === 'series') {
      return {
        ...base,
        kids,
        run: (p) => {
          re.fill(0);
          im.fill(0);
          for (const c of kids) {
            c.run(p);
            for (let k = 0; k < n; k++) {
              re[k] = re[k]! + c.re[k]!;
              im[k] = im[k]! + c.im[k]!;
            }
          }
        },
      };
    }
    return {
      ...base,
      kids,
      run: (p) => {
        re.fill(0);
        im.fill(0);
        for (const c of kids) {
          c.run(p);
          for (let k = 0; k < n; k++) {
            const zr = c.re[k]!;
            const zi = c.im[k]!;
            const d = zr * zr + zi * zi;
            re[k] = re[k]! + zr / d;
            im[k] = im[k]! - zi / d;
          }
        }
        for (let k = 0; k < n; k++) {
          const yr = re[k]!;
          const yi = im[k]!;
          const d = yr * yr + yi * yi;
          re[k] = yr / d;
          im[k] = -yi / d;
        }
      },
    };
  };
  const top = build(circuit.root);
  // Sensitivities ∂Z_total/∂Z_node, from the top down.
  const propagate = (c: Compiled): void => {
    for (const kid of c.kids) {
      if (c.kind === 'series') {
        kid.sr.set(c.sr);
        kid.si.set(c.si);
      } else {
        for (let k = 0; k < n; k++) {
          // (Z_par / Z_kid)²
          const ar = c.re[k]!;
          const ai = c.im[k]!;
          const br = kid.re[k]!;
          const bi = kid.im[k]!;
          const d = br * br + bi * bi;
          const qr = (ar * br + ai * bi) / d;
          const qi = (ai * br - ar * bi) / d;
          const q2r = qr * qr - qi * qi;
          const q2i = 2 * qr * qi;
          const sr = c.sr[k]!;
          const si = c.si[k]!;
          kid.sr[k] = sr * q2r - si * q2i;
          kid.si[k] = sr * q2i + si * q2r;
        }
      }
      propagate(kid);
    }
  };
  const shifted = new Float64Array(circuit.parameters.length);
  const dRe = new Float64Array(n);
  const dIm = new Float64Array(n);
  const jacobian = (p: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void => {
    top.run(p);
    top.sr.fill(1);
    top.si.fill(0);
    propagate(top);
    for (let j = 0; j < shifted.length; j++) shifted[j] = p[j]!;
    for (const e of elements) {
      const node = e.node as Extract<CircuitNode, { kind: 'element' }>;
      const spec = ELEMENTS[node.type]!;
      for (let q = 0; q < spec.parameters.length; q++) {
        const j = node.offset + q;
        const x = p[j]!;
        let h = 1.4901161193847656e-8 * Math.max(Math.abs(x), 1e-10);
        if (x + h > spec.parameters[q]!.upper) h = -h;
        shifted[j] = x + h;
        spec.evaluate(shifted, node.offset, omega, dRe, dIm, tmp);
        shifted[j] = x;
        const row = j * n;
        for (let k = 0; k < n; k++) {
          const gr = (dRe[k]! - e.re[k]!) / h;
          const gi = (dIm[k]! - e.im[k]!) / h;
          outRe[row + k] = e.sr[k]! * gr - e.si[k]! * gi;
          outIm[row + k] = e.sr[k]! * gi + e.si[k]! * gr;
        }
      }
    }
  };
  return { circuit, omega, re: top.re, im: top.im, evaluate: (p) => top.run(p), jacobian };
}

/**
 * Impedance of a circuit at the given frequencies (a convenience over {@link compileCircuit}).
 * @throws DISCERN_BAD_ARGUMENT for a bad circuit string or a wrong number of parameters.
 * @example circuitImpedance('R0-p(R1,C1)', [0.01, 0.02, 1], [1, 10, 100])
 */
export function circuitImpedance(
  circuit: Circuit | string,
  parameters: ArrayLike<number>,
  frequencyHz: ArrayLike<number>,
): { re: Float64Array; im: Float64Array } {
  const c = typeof circuit === 'string' ? parseCircuit(circuit) : circuit;
  if (parameters.length !== c.parameters.length)
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `circuit ${c.text} has ${c.parameters.length} parameters, got ${parameters.length}`,
    );
  const ev = compileCircuit(c, frequencyHz);
  ev.evaluate(parameters);
  return { re: Float64Array.from(ev.re), im: Float64Array.from(ev.im) };
}
