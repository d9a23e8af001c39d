/**
 * Open-circuit-voltage curves of the virtual lab's chemistries, V against SOC (0..1). Where a
 * literature electrode model exists it is used: Chen et al. 2020 (J. Electrochem. Soc. 167 080534,
 * PyBaMM's Chen2020 set) for graphite and NMC811, and Prada et al. 2013 (Afshar 2017 form) for LFP;
 * the other chemistries use tables with typical shapes (assumptions, see docs/methods/virtual-lab.md).
 */

/** Chen 2020 graphite open-circuit potential vs Li, V, at lithium stoichiometry x. */
export function chen2020Graphite(x: number): number {
  return (
    1.9793 * Math.exp(-39.3631 * x) +
    0.2482 -
    0.0909 * Math.tanh(29.8538 * (x - 0.1234)) -
    0.04478 * Math.tanh(14.9159 * (x - 0.2769)) -
    0.0205 * Math.tanh(30.4444 * (x - 0.6103))
  );
}

/** Chen 2020 NMC811 open-circuit potential vs Li, V, at lithium stoichiometry y. */
export function chen2020Nmc811(y: number): number {
  return (
    -0.809 * y +
    4.4875 -
    0.0428 * Math.tanh(18.5138 * (y - 0.5542)) -
    17.7326 * Math.tanh(15.789 * (y - 0.3117)) +
    17.5842 * Math.tanh(15.9308 * (y - 0.312))
  );
}

/** Prada 2013 LFP open-circuit potential vs Li (Afshar 2017 form), V, at lithium stoichiometry y. */
export function prada2013Lfp(y: number): number {
  return 3.4077 - 0.020269 * y + 0.5 * Math.exp(-150 * y) - 0.9 * Math.exp(-30 * (1 - y));
}

function table(soc: readonly number[], volts: readonly number[]): (s: number) => number {
  return (s) => {
    if (s <= soc[0]!) return volts[0]! + (s - soc[0]!) * ((volts[1]! - volts[0]!) / (soc[1]! - soc[0]!));
    const n = soc.length;
    if (s >= soc[n - 1]!) return volts[n - 1]!;
    let k = 0;
    while (soc[k + 1]! < s) k++;
    return volts[k]! + ((volts[k + 1]! - volts[k]!) * (s - soc[k]!)) / (soc[k + 1]! - soc[k]!);
  };
}

/** Which OCV model a virtual chemistry uses. */
export type OcvModelId =
  'nmc811-graphite' | 'lfp-graphite' | 'nmc811-lithium' | 'lmfp-graphite' | 'nfm-hard-carbon';

/**
 * The full-cell OCV, V, at SOC s (0..1; slightly beyond is extrapolated, not clamped, so a
 * simulator can see the voltage run away past the window).
 * - nmc811-graphite: Chen 2020 electrodes, windows x 0.0279→0.9014, y 0.9084→0.2661 (PyBaMM's);
 *   gives 2.4977 V at 0 and 4.1929 V at 1.
 * - lfp-graphite: Prada 2013 LFP with Chen 2020 graphite, windows x 0.08→0.85, y 0.97→0.005 (chosen
 *   by discern so that the cell spans about 2.55–3.55 V).
 * - nmc811-lithium: Chen 2020 NMC811 against lithium metal (0 V), y 0.9084→0.2661, with an
 *   end-of-discharge drop −0.6·e^(−SOC/0.025) V (assumption).
 * - lmfp-graphite, nfm-hard-carbon: tables of typical shape (assumptions).
 * @example ocvModel('nmc811-graphite')(0.5) // ≈ 3.7078 V
 */
export function ocvModel(id: OcvModelId): (soc: number) => number {
  switch (id) {
    case 'nmc811-graphite':
      return (s) =>
        chen2020Nmc811(0.9084 - s * (0.9084 - 0.2661)) - chen2020Graphite(0.0279 + s * (0.9014 - 0.0279));
    case 'lfp-graphite':
      return (s) => prada2013Lfp(0.97 - s * (0.97 - 0.005)) - chen2020Graphite(0.08 + s * (0.85 - 0.08));
    case 'nmc811-lithium':
      // Chen's fit is flat at high lithiation; the end-of-discharge drop (cathode saturation) is
      // added as −0.6·e^(−SOC/0.025) V (assumption).
      return (s) => chen2020Nmc811(0.9084 - s * (0.9084 - 0.2661)) - 0.6 * Math.exp(-s / 0.025);
    case 'lmfp-graphite':
      // Two plateaus: Fe2+/Fe3+ (about 3.3 V against graphite) and Mn2+/Mn3+ (about 3.9 V), LMFP with Mn:Fe 6:4.
      return table(
        [0, 0.03, 0.08, 0.2, 0.35, 0.4, 0.45, 0.6, 0.8, 0.95, 1],
        [2.6, 3.05, 3.2, 3.26, 3.32, 3.55, 3.82, 3.88, 3.93, 4.02, 4.25],
      );
    case 'nfm-hard-carbon':
      // Layered Na-oxide cathode against hard carbon: sloping, 1.5–4.0 V.
      return table(
        [0, 0.03, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97, 1],
        [1.9, 2.4, 2.75, 2.9, 3.05, 3.2, 3.4, 3.55, 3.75, 3.95],
      );
  }
}
