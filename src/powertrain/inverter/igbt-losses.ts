import { conductionCoefficients, halfWaveSinePowerMean } from './modulation.js';
import { valueAt } from './temperature-curve.js';
import type {
  IgbtModule,
  InverterOperatingPoint,
  JunctionTemperatures,
  SwitchPositionLosses,
} from './types.js';

/**
 * Period-averaged losses of one IGBT + diode switch position with a sinusoidal phase current
 * (Graovac & Pürschel / IPOSIM family of formulas, docs/methods/inverter.md):
 *   P_cond,T = V_CE0 Î vT + r_CE Î² rT,  P_cond,D = V_F0 Î vD + r_F Î² rD   (coefficients from the modulation)
 *   P_sw,T = f_sw E_on+off(Tj) (V_dc/V_ref)^kv · (Î/I_ref)^ki · S(ki)
 *   P_sw,D = f_sw E_rec(Tj)    (V_dc/V_ref)^kv,D · (Î/I_ref)^ki,D · S(ki,D)
 * with S(k) = (1/2π)∫₀^π sin^k (= 1/π for k = 1). On-state parameters and energies are taken at the
 * given junction temperatures. The operating point must have been checked (see inverterLosses).
 * @example igbtSwitchLosses(module, { dcLinkVoltageV: 350, phaseCurrentRmsA: 300, modulationIndex: 0.9, powerFactor: 0.85, switchingFrequencyHz: 10e3, modulation: 'spwm' }, { transistorDegC: 150, diodeDegC: 150 })
 */
export function igbtSwitchLosses(
  module: IgbtModule,
  op: InverterOperatingPoint,
  tj: JunctionTemperatures,
): SwitchPositionLosses {
  const peak = Math.SQRT2 * op.phaseCurrentRmsA;
  const k = conductionCoefficients(op.modulationIndex, op.powerFactor, op.modulation ?? 'svpwm');
  const tT = tj.transistorDegC;
  const tD = tj.diodeDegC;
  const transistorConductionW =
    valueAt(module.igbt.vce0V, tT) * peak * k.vT + valueAt(module.igbt.rceOhm, tT) * peak * peak * k.rT;
  const diodeConductionW =
    valueAt(module.diode.vf0V, tD) * peak * k.vD + valueAt(module.diode.rfOhm, tD) * peak * peak * k.rD;
  const s = module.switching;
  const vRatio = op.dcLinkVoltageV / s.refVoltageV;
  const iRatio = peak / s.refCurrentA;
  const transistorSwitchingW =
    op.switchingFrequencyHz *
    valueAt(s.eOnOffJ, tT) *
    Math.pow(vRatio, s.kvIgbt) *
    Math.pow(iRatio, s.kiIgbt) *
    halfWaveSinePowerMean(s.kiIgbt);
  const diodeSwitchingW =
    op.switchingFrequencyHz *
    valueAt(s.eRecJ, tD) *
    Math.pow(vRatio, s.kvDiode) *
    Math.pow(iRatio, s.kiDiode) *
    halfWaveSinePowerMean(s.kiDiode);
  const transistorW = transistorConductionW + transistorSwitchingW;
  const diodeW = diodeConductionW + diodeSwitchingW;
  return {
    transistorConductionW,
    diodeConductionW,
    transistorSwitchingW,
    diodeSwitchingW,
    transistorW,
    diodeW,
    totalW: transistorW + diodeW,
  };
}
