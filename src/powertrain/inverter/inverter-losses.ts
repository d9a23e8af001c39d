import { DiscernError } from '../../core/index.js';
import { igbtSwitchLosses } from './igbt-losses.js';
import { acOutputPowerW, dcLinkCapacitorRmsA, maxModulationIndex } from './modulation.js';
import { sicSwitchLosses } from './sic-losses.js';
import type {
  InverterOperatingPoint,
  JunctionTemperatures,
  Modulation,
  PowerModule,
  SwitchPositionLosses,
} from './types.js';

/** Number of switch positions of a two-level three-phase inverter. */
export const SWITCH_POSITIONS = 6;

/**
 * Checks an operating point and fills the default modulation (SVPWM).
 * @throws DISCERN_BAD_ARGUMENT for a non-positive DC-link voltage or switching frequency, a negative
 * current, |cos φ| > 1 or a modulation index outside the linear range (no overmodulation model).
 */
export function checkOperatingPoint(
  op: InverterOperatingPoint,
): InverterOperatingPoint & { modulation: Modulation } {
  const modulation = op.modulation ?? 'svpwm';
  if (modulation !== 'spwm' && modulation !== 'svpwm') {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `unknown modulation '${String(modulation)}' (spwm or svpwm)`,
    );
  }
  const bad = (what: string): never => {
    throw new DiscernError('DISCERN_BAD_ARGUMENT', what);
  };
  if (!(op.dcLinkVoltageV > 0)) bad(`DC-link voltage must be > 0 V (got ${op.dcLinkVoltageV})`);
  if (!(op.switchingFrequencyHz > 0))
    bad(`switching frequency must be > 0 Hz (got ${op.switchingFrequencyHz})`);
  if (!(op.phaseCurrentRmsA >= 0)) bad(`phase current must be >= 0 A rms (got ${op.phaseCurrentRmsA})`);
  if (!(Math.abs(op.powerFactor) <= 1)) bad(`power factor must be within -1..1 (got ${op.powerFactor})`);
  const mMax = maxModulationIndex(modulation);
  if (!(op.modulationIndex >= 0 && op.modulationIndex <= mMax + 1e-12)) {
    bad(`modulation index ${op.modulationIndex} is outside 0..${mMax.toFixed(4)} for ${modulation}`);
  }
  return { ...op, modulation };
}

/** Losses of one switch position of either module kind at the given junction temperatures. */
export function switchPositionLosses(
  module: PowerModule,
  op: InverterOperatingPoint,
  tj: JunctionTemperatures,
): SwitchPositionLosses {
  return module.kind === 'igbt' ? igbtSwitchLosses(module, op, tj) : sicSwitchLosses(module, op, tj);
}

/** Options of {@link inverterLosses}. */
export interface InverterLossesOptions {
  /** ESR of the DC-link capacitor, Ohm (adds ESR·I_C,rms²); default 0. */
  dcLinkEsrOhm?: number;
}

/** Losses and efficiency of the whole inverter at one operating point. Powers in W. */
export interface InverterLossesResult {
  module: string;
  modulation: Modulation;
  junction: JunctionTemperatures;
  perSwitch: SwitchPositionLosses;
  /** 6 × the per-switch total, W. */
  semiconductorLossW: number;
  dcLinkCapacitorRmsA: number;
  dcLinkCapacitorLossW: number;
  totalLossW: number;
  /** Fundamental AC power, positive when motoring, W. */
  acPowerW: number;
  /** DC-link power = AC power + losses, W. */
  dcPowerW: number;
  /** Output over input power in either direction; NaN at zero power. */
  efficiency: number;
}

/**
 * Losses of a two-level three-phase inverter at one operating point and given junction temperatures
 * (a number = the same Tj for transistor and diode).
 * @throws DISCERN_BAD_ARGUMENT for an invalid operating point (see checkOperatingPoint).
 * @example inverterLosses(sic, { dcLinkVoltageV: 700, phaseCurrentRmsA: 150, modulationIndex: 0.45, powerFactor: 0.85, switchingFrequencyHz: 10e3 }, 150).totalLossW
 */
export function inverterLosses(
  module: PowerModule,
  op: InverterOperatingPoint,
  junction: JunctionTemperatures | number,
  options: InverterLossesOptions = {},
): InverterLossesResult {
  const o = checkOperatingPoint(op);
  const tj = typeof junction === 'number' ? { transistorDegC: junction, diodeDegC: junction } : junction;
  const perSwitch = switchPositionLosses(module, o, tj);
  const semiconductorLossW = SWITCH_POSITIONS * perSwitch.totalW;
  const icRms = dcLinkCapacitorRmsA(o.phaseCurrentRmsA, o.modulationIndex, o.powerFactor);
  const dcLinkCapacitorLossW = (options.dcLinkEsrOhm ?? 0) * icRms * icRms;
  const totalLossW = semiconductorLossW + dcLinkCapacitorLossW;
  const acPowerW = acOutputPowerW(o.dcLinkVoltageV, o.modulationIndex, o.phaseCurrentRmsA, o.powerFactor);
  const dcPowerW = acPowerW + totalLossW;
  return {
    module: module.id,
    modulation: o.modulation,
    junction: tj,
    perSwitch,
    semiconductorLossW,
    dcLinkCapacitorRmsA: icRms,
    dcLinkCapacitorLossW,
    totalLossW,
    acPowerW,
    dcPowerW,
    efficiency: conversionEfficiency(acPowerW, dcPowerW),
  };
}

/** Output over input power for a converter whose loss is `dc - ac`: motoring ac/dc, regenerating dc/ac. NaN at zero. */
export function conversionEfficiency(acPowerW: number, dcPowerW: number): number {
  if (acPowerW > 0) return acPowerW / dcPowerW;
  if (acPowerW < 0) return dcPowerW / acPowerW;
  return NaN;
}
