import type { Circuit, CircuitNode } from './circuit.js';
import type { ImpedanceSpectrum } from './spectrum.js';

/** Elements that make an arc or a diffusion tail and so get a characteristic frequency. */
const TIMED = new Set(['C', 'CPE', 'K', 'Zarc', 'G', 'Gs', 'TLMQ', 'T', 'Wo', 'Ws', 'W']);

/**
 * A starting point for a circuit fit read off the spectrum: a resistor in the top-level series
 * chain takes the high-frequency intercept, the other resistors share the arc width (low- minus
 * high-frequency real part), and capacitive or diffusive elements get characteristic
 * frequencies spread log-evenly from the highest to the lowest frequency in the order they
 * appear (left to right usually runs from fast to slow processes). Several starts around this
 * point (see fitCircuit) do the rest.
 * @example const p0 = initialCircuitGuess(parseCircuit('R0-p(R1,C1)'), spectrum);
 */
export function initialCircuitGuess(circuit: Circuit, s: ImpedanceSpectrum): number[] {
  const n = s.frequencyHz.length;
  let kMax = 0;
  let kMin = 0;
  let zMax = 0;
  for (let k = 0; k < n; k++) {
    if (s.frequencyHz[k]! > s.frequencyHz[kMax]!) kMax = k;
    if (s.frequencyHz[k]! < s.frequencyHz[kMin]!) kMin = k;
    zMax = Math.max(zMax, Math.hypot(s.zReal[k]!, s.zImag[k]!));
  }
  const fMax = s.frequencyHz[kMax]!;
  const fMin = s.frequencyHz[kMin]!;
  const rHf = Math.max(s.zReal[kMax]!, 1e-6 * zMax, 1e-12);
  const span = Math.max(s.zReal[kMin]! - rHf, 1e-2 * zMax, 1e-12);

  // Which elements sit directly in the top-level series chain?
  const top = new Set<string>();
  const root = circuit.root;
  const chain: readonly CircuitNode[] = root.kind === 'series' ? root.children : [root];
  for (const c of chain) if (c.kind === 'element') top.add(c.name);
  const elements: { name: string; type: string; offset: number }[] = [];
  const walk = (node: CircuitNode): void => {
    if (node.kind === 'element') elements.push(node);
    else node.children.forEach(walk);
  };
  walk(root);
  const innerR = elements.filter((e) => e.type === 'R' && !top.has(e.name)).length;
  const share = span / Math.max(1, innerR);
  const timed = elements.filter((e) => TIMED.has(e.type));
  const fOf = (name: string): number => {
    const i = timed.findIndex((e) => e.name === name);
    const u = (i + 0.5) / Math.max(1, timed.length);
    return Math.exp((1 - u) * Math.log(fMax) + u * Math.log(fMin));
  };
  const p = new Array<number>(circuit.parameters.length).fill(1);
  let firstTopR = true;
  for (const e of elements) {
    const o = e.offset;
    const w = 2 * Math.PI * fOf(e.name);
    switch (e.type) {
      case 'R':
        if (top.has(e.name)) {
          p[o] = firstTopR ? rHf : 0.1 * rHf;
          firstTopR = false;
        } else p[o] = share;
        break;
      case 'C':
        p[o] = 1 / (w * share);
        break;
      case 'CPE':
        p[o] = 1 / (share * Math.pow(w, 0.9));
        p[o + 1] = 0.9;
        break;
      case 'L': {
        const im = s.zImag[kMax]!;
        p[o] = im > 0 ? im / (2 * Math.PI * fMax) : (1e-3 * rHf) / (2 * Math.PI * fMax);
        break;
      }
      case 'La':
        p[o] = (1e-3 * rHf) / (2 * Math.PI * fMax);
        p[o + 1] = 0.9;
        break;
      case 'W':
        p[o] = 0.25 * span * Math.sqrt(2 * Math.PI * fMin);
        break;
      case 'Wo':
      case 'Ws':
        p[o] = 0.5 * share;
        p[o + 1] = 1 / w;
        break;
      case 'G':
        p[o] = share;
        p[o + 1] = 1 / w;
        break;
      case 'Gs':
        p[o] = share;
        p[o + 1] = 1 / w;
        p[o + 2] = 1;
        break;
      case 'K':
        p[o] = share;
        p[o + 1] = 1 / w;
        break;
      case 'Zarc':
        p[o] = share;
        p[o + 1] = 1 / w;
        p[o + 2] = 0.9;
        break;
      case 'TLMQ':
        p[o] = share;
        p[o + 1] = 1 / (share * Math.pow(w, 0.9));
        p[o + 2] = 0.9;
        break;
      case 'T':
        p[o] = 0.5 * share;
        p[o + 1] = 0.5 * share;
        p[o + 2] = 1;
        p[o + 3] = 1 / w;
        break;
    }
  }
  return p;
}
