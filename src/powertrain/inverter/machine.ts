import { DiscernError } from '../../core/index.js';
import { maxModulationIndex } from './modulation.js';
import type { Modulation } from './types.js';

/**
 * Non-salient permanent-magnet synchronous machine in the rotor (dq) frame, amplitude-invariant
 * (peak) quantities: T = 1.5 p ψ i_q, v_d = R i_d − ω_e L i_q, v_q = R i_q + ω_e (L i_d + ψ).
 * Iron loss P_fe = k_h ω_e + k_e ω_e² (ω_e electrical rad/s). A deliberately small model: it turns
 * a torque-speed point into the phase current, voltage, power factor and modulation index the
 * inverter sees (docs/methods/inverter.md); it is not a machine design tool.
 */
export interface SynchronousMachine {
  polePairs: number;
  /** Permanent-magnet flux linkage, Vs (peak, per phase). */
  fluxLinkageVs: number;
  /** Phase resistance, Ohm. */
  phaseResistanceOhm: number;
  /** Synchronous inductance L_d = L_q, H. */
  inductanceH: number;
  /** Largest phase current, A rms. */
  maxCurrentRmsA: number;
  /** Largest shaft speed, rpm. */
  maxSpeedRpm: number;
  /** Largest shaft power (motoring and generating), W. */
  maxPowerW: number;
  /** Iron loss per electrical rad/s, W·s/rad. */
  ironLossHysteresis: number;
  /** Iron loss per (electrical rad/s)², W·s²/rad². */
  ironLossEddy: number;
}

/** The electrical state of the machine at one torque-speed point. Currents/voltages peak (dq) unless named rms. */
export interface MachineOperatingPoint {
  /** False when the point needs more current, voltage or power than available. */
  feasible: boolean;
  /** Why it is not feasible ('current', 'voltage', 'power', 'speed'), or ''. */
  limit: string;
  torqueNm: number;
  speedRadS: number;
  idA: number;
  iqA: number;
  vdV: number;
  vqV: number;
  phaseCurrentRmsA: number;
  phaseVoltageRmsV: number;
  /** cos φ of the fundamental, negative when generating. */
  powerFactor: number;
  modulationIndex: number;
  electricalFrequencyHz: number;
  /** Shaft power T·ω, W (negative when generating). */
  mechanicalPowerW: number;
  copperLossW: number;
  ironLossW: number;
  /** Electrical power at the machine terminals, W (= mechanical + losses). */
  acPowerW: number;
}

/**
 * The machine's electrical operating point at a shaft torque (Nm, negative = braking/generating) and
 * speed (rad/s, >= 0) on a DC link of `dcLinkVoltageV`: i_d = 0 while the voltage allows it, field
 * weakening (i_d < 0 on the voltage limit M_max·V_dc/2) above base speed.
 * @throws DISCERN_BAD_ARGUMENT for a negative speed or non-positive DC-link voltage.
 * @example machineOperatingPoint(m, 120, 600, 400).modulationIndex
 */
export function machineOperatingPoint(
  machine: SynchronousMachine,
  torqueNm: number,
  speedRadS: number,
  dcLinkVoltageV: number,
  modulation: Modulation = 'svpwm',
): MachineOperatingPoint {
  if (!(speedRadS >= 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `machine speed must be >= 0 rad/s (got ${speedRadS})`);
  if (!(dcLinkVoltageV > 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `DC-link voltage must be > 0 V (got ${dcLinkVoltageV})`);
  const m = machine;
  const we = m.polePairs * speedRadS;
  const ironLossW = m.ironLossHysteresis * we + m.ironLossEddy * we * we;
  const torqueEm = speedRadS > 0 ? torqueNm + ironLossW / speedRadS : torqueNm;
  const iq = torqueEm / (1.5 * m.polePairs * m.fluxLinkageVs);
  const R = m.phaseResistanceOhm;
  const L = m.inductanceH;
  const vMax = (maxModulationIndex(modulation) * dcLinkVoltageV) / 2;
  let id = 0;
  let limit = '';
  let vd = -we * L * iq;
  let vq = R * iq + we * m.fluxLinkageVs;
  if (vd * vd + vq * vq > vMax * vMax) {
    const A = R * R + we * we * L * L;
    const B = 2 * we * we * L * m.fluxLinkageVs;
    const C = we * we * L * L * iq * iq + (R * iq + we * m.fluxLinkageVs) ** 2 - vMax * vMax;
    const disc = B * B - 4 * A * C;
    if (disc < 0) {
      limit = 'voltage';
      id = -B / (2 * A);
    } else {
      id = (-B + Math.sqrt(disc)) / (2 * A);
    }
    vd = R * id - we * L * iq;
    vq = R * iq + we * (L * id + m.fluxLinkageVs);
  }
  const iPeak = Math.sqrt(id * id + iq * iq);
  const vPeak = Math.sqrt(vd * vd + vq * vq);
  const acPowerW = 1.5 * (vd * id + vq * iq);
  const mechanicalPowerW = torqueNm * speedRadS;
  if (limit === '' && iPeak > Math.SQRT2 * m.maxCurrentRmsA * (1 + 1e-9)) limit = 'current';
  if (limit === '' && Math.abs(mechanicalPowerW) > m.maxPowerW * (1 + 1e-9)) limit = 'power';
  if (limit === '' && speedRadS > (m.maxSpeedRpm * Math.PI) / 30 + 1e-9) limit = 'speed';
  return {
    feasible: limit === '',
    limit,
    torqueNm,
    speedRadS,
    idA: id,
    iqA: iq,
    vdV: vd,
    vqV: vq,
    phaseCurrentRmsA: iPeak / Math.SQRT2,
    phaseVoltageRmsV: vPeak / Math.SQRT2,
    powerFactor: iPeak > 0 && vPeak > 0 ? acPowerW / (1.5 * vPeak * iPeak) : 1,
    modulationIndex: Math.min(vPeak, vMax) / (dcLinkVoltageV / 2),
    electricalFrequencyHz: we / (2 * Math.PI),
    mechanicalPowerW,
    copperLossW: 1.5 * R * iPeak * iPeak,
    ironLossW,
    acPowerW,
  };
}

/**
 * The same machine rewound with `turnsRatio` times the turns per phase (e.g. 2 to move from a 400 V
 * to an 800 V DC link): ψ × n, L × n², R × n², current ÷ n; torque, speed, power and losses at
 * equal ampere-turns stay the same.
 */
export function rewindMachine(machine: SynchronousMachine, turnsRatio: number): SynchronousMachine {
  const n = turnsRatio;
  return {
    ...machine,
    fluxLinkageVs: machine.fluxLinkageVs * n,
    inductanceH: machine.inductanceH * n * n,
    phaseResistanceOhm: machine.phaseResistanceOhm * n * n,
    maxCurrentRmsA: machine.maxCurrentRmsA / n,
  };
}
