import { checkFosterNetwork, fosterResistance } from './foster.js';
import { inverterLosses, type InverterLossesResult } from './inverter-losses.js';
import type { InverterOperatingPoint, PowerModule } from './types.js';

/** Options of {@link inverterSteadyState}. */
export interface InverterSteadyStateOptions {
  /** Reference temperature of the Foster networks (coolant), degC; default 65. */
  coolantDegC?: number;
  /** Largest number of loss/temperature iterations; default 50. */
  maxIterations?: number;
  /** Convergence when no junction temperature moves more than this, K; default 0.01. */
  toleranceK?: number;
  /** DC-link capacitor ESR, Ohm; default 0. */
  dcLinkEsrOhm?: number;
}

/** Losses at the junction temperatures they produce, and how the iteration went. */
export interface InverterSteadyStateResult extends InverterLossesResult {
  coolantDegC: number;
  iterations: number;
  converged: boolean;
  /** True when a junction temperature is above the module's maximum operating junction temperature. */
  overTemperature: boolean;
}

/**
 * Steady-state junction temperatures and losses of an inverter at a constant operating point:
 * losses depend on Tj and Tj = T_coolant + R_th P, so the two are iterated (fixed point) until they
 * agree. IGBT and diode have their own networks (no thermal coupling between dies); a SiC MOSFET
 * and its body diode heat one die. A run-away (no fixed point below 1000 degC) is reported as
 * `converged: false`, not thrown.
 * @throws DISCERN_BAD_ARGUMENT for an invalid operating point or thermal network.
 * @example inverterSteadyState(module, op, { coolantDegC: 65 }).junction.transistorDegC
 */
export function inverterSteadyState(
  module: PowerModule,
  op: InverterOperatingPoint,
  options: InverterSteadyStateOptions = {},
): InverterSteadyStateResult {
  const coolant = options.coolantDegC ?? 65;
  const maxIterations = options.maxIterations ?? 50;
  const tol = options.toleranceK ?? 0.01;
  const lossOptions = options.dcLinkEsrOhm !== undefined ? { dcLinkEsrOhm: options.dcLinkEsrOhm } : {};
  const rT =
    module.kind === 'igbt'
      ? thermalResistance(module.thermal.igbt, 'IGBT')
      : thermalResistance(module.thermal.mosfet, 'MOSFET');
  const rD = module.kind === 'igbt' ? thermalResistance(module.thermal.diode, 'diode') : rT;
  let tT = coolant;
  let tD = coolant;
  let result = inverterLosses(module, op, { transistorDegC: tT, diodeDegC: tD }, lossOptions);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const p = result.perSwitch;
    let nT: number;
    let nD: number;
    if (module.kind === 'igbt') {
      nT = coolant + rT * p.transistorW;
      nD = coolant + rD * p.diodeW;
    } else {
      nT = coolant + rT * p.totalW;
      nD = nT;
    }
    const moved = Math.max(Math.abs(nT - tT), Math.abs(nD - tD));
    tT = nT;
    tD = nD;
    if (!(tT < 1000 && tD < 1000)) break;
    result = inverterLosses(module, op, { transistorDegC: tT, diodeDegC: tD }, lossOptions);
    if (moved < tol) {
      converged = true;
      break;
    }
  }
  return {
    ...result,
    coolantDegC: coolant,
    iterations,
    converged,
    overTemperature: Math.max(tT, tD) > module.maxJunctionDegC,
  };
}

function thermalResistance(net: Parameters<typeof fosterResistance>[0], what: string): number {
  checkFosterNetwork(net, `${what} Foster network`);
  return fosterResistance(net);
}
