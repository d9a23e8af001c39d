import { valueAt } from './temperature-curve.js';
import type {
  InverterOperatingPoint,
  JunctionTemperatures,
  QuadraticEnergy,
  SicMosfetModule,
  SwitchPositionLosses,
} from './types.js';

/** Period average over the active half-wave of E(Î|sin θ|) = a + b i + c i²: a/2 + b Î/π + c Î²/4. */
function quadraticMean(e: QuadraticEnergy, peak: number): number {
  return e.a / 2 + (e.b * peak) / Math.PI + (e.c * peak * peak) / 4;
}

/**
 * Period-averaged losses of one SiC MOSFET switch position with synchronous rectification
 * (docs/methods/inverter.md). The channel carries the phase current in both directions except during
 * the two dead times per switching period, when the body diode carries it:
 *   P_channel = R_DS(on)(Tj) (Î²/4 + 2 k_i Î³/(3π)) (1 − 2 t_dt f_sw)      (= R I_rms²/2 for k_i = 0, t_dt = 0)
 *   P_bodydiode = 2 t_dt f_sw (V_SD0 Î/π + r_SD Î²/4)
 *   P_sw = f_sw F(Tj) (V_dc/V_ref)^kv (a/2 + b Î/π + c Î²/4)             (E_on+off; E_rec likewise)
 * Conduction does not depend on M or cos φ. Only `tj.transistorDegC` is used (one die).
 * @example sicSwitchLosses(module, op, { transistorDegC: 150, diodeDegC: 150 }).totalW
 */
export function sicSwitchLosses(
  module: SicMosfetModule,
  op: InverterOperatingPoint,
  tj: JunctionTemperatures,
): SwitchPositionLosses {
  const t = tj.transistorDegC;
  const peak = Math.SQRT2 * op.phaseCurrentRmsA;
  const fsw = op.switchingFrequencyHz;
  const deadFraction = Math.min(1, 2 * module.deadTimeS * fsw);
  const rds = valueAt(module.mosfet.rdsOnOhm, t);
  const ki = module.mosfet.rdsOnCurrentCoeffPerA;
  const transistorConductionW =
    rds * ((peak * peak) / 4 + (2 * ki * peak * peak * peak) / (3 * Math.PI)) * (1 - deadFraction);
  const diodeConductionW =
    deadFraction *
    ((valueAt(module.bodyDiode.vsd0V, t) * peak) / Math.PI +
      (valueAt(module.bodyDiode.rsdOhm, t) * peak * peak) / 4);
  const s = module.switching;
  const scale = fsw * valueAt(s.temperatureFactor, t) * Math.pow(op.dcLinkVoltageV / s.refVoltageV, s.kv);
  const transistorSwitchingW = scale * quadraticMean(s.eOnOff, peak);
  const diodeSwitchingW = scale * quadraticMean(s.eRec, peak);
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
