import type { Ocp } from './ocp.js';

/**
 * Stoichiometry limits of the two electrodes at the cell's 0 % and 100 % SOC (PyProBE's
 * x_pe_lo, x_pe_hi, x_ne_lo, x_ne_hi): z_pe = peLow + (peHigh − peLow)·SOC, and the same for ne.
 */
export interface StoichiometryLimits {
  peLow: number;
  peHigh: number;
  neLow: number;
  neHigh: number;
}

/**
 * Full-cell OCV at each SOC: U_pe(z_pe) − U_ne(z_ne).
 * @example fullCellOcv([0, 1], pe, ne, { peLow: 0.2, peHigh: 0.8, neLow: 0.1, neHigh: 0.9 })
 */
export function fullCellOcv(
  soc: ArrayLike<number>,
  pe: Ocp,
  ne: Ocp,
  limits: StoichiometryLimits,
): Float64Array {
  const out = new Float64Array(soc.length);
  for (let k = 0; k < soc.length; k++) {
    const s = soc[k]!;
    out[k] =
      pe.value(limits.peLow + (limits.peHigh - limits.peLow) * s) -
      ne.value(limits.neLow + (limits.neHigh - limits.neLow) * s);
  }
  return out;
}

/** dOCV/dSOC by the chain rule: U_pe′(z_pe)·(peHigh − peLow) − U_ne′(z_ne)·(neHigh − neLow). */
export function fullCellOcvGradient(
  soc: ArrayLike<number>,
  pe: Ocp,
  ne: Ocp,
  limits: StoichiometryLimits,
): Float64Array {
  const out = new Float64Array(soc.length);
  const dp = limits.peHigh - limits.peLow;
  const dn = limits.neHigh - limits.neLow;
  for (let k = 0; k < soc.length; k++) {
    const s = soc[k]!;
    out[k] = pe.gradient(limits.peLow + dp * s) * dp - ne.gradient(limits.neLow + dn * s) * dn;
  }
  return out;
}

/** Electrode capacities and lithium inventory (Ah). */
export interface ElectrodeCapacities {
  cellAh: number;
  positiveAh: number;
  negativeAh: number;
  lithiumInventoryAh: number;
}

/**
 * Electrode capacities from the stoichiometry limits and the cell capacity:
 * Q_pe = Q/(peLow − peHigh), Q_ne = Q/(neHigh − neLow), Li = Q_pe·peLow + Q_ne·neLow.
 * @example electrodeCapacities({ peLow: 0.9, peHigh: 0.1, neLow: 0.2, neHigh: 0.8 }, 100).positiveAh // 125
 */
export function electrodeCapacities(
  limits: StoichiometryLimits,
  cellCapacityAh: number,
): ElectrodeCapacities {
  const pe = cellCapacityAh / (limits.peLow - limits.peHigh);
  const ne = cellCapacityAh / (limits.neHigh - limits.neLow);
  return {
    cellAh: cellCapacityAh,
    positiveAh: pe,
    negativeAh: ne,
    lithiumInventoryAh: pe * limits.peLow + ne * limits.neLow,
  };
}

/** Degradation modes of one diagnostic relative to the first (fractions; positive = lost). */
export interface DegradationModes {
  soh: number;
  lamPe: number;
  lamNe: number;
  lli: number;
}

/**
 * SOH = Q/Q₀, LAM_PE = 1 − Q_pe/Q_pe,0, LAM_NE = 1 − Q_ne/Q_ne,0 and LLI = 1 − Li/Li₀, relative to
 * the first entry (the first reference test).
 * @example degradationModes([c0, c1])[1].lli
 */
export function degradationModes(series: readonly ElectrodeCapacities[]): DegradationModes[] {
  const first = series[0];
  if (first === undefined) return [];
  return series.map((c) => ({
    soh: c.cellAh / first.cellAh,
    lamPe: 1 - c.positiveAh / first.positiveAh,
    lamNe: 1 - c.negativeAh / first.negativeAh,
    lli: 1 - c.lithiumInventoryAh / first.lithiumInventoryAh,
  }));
}
