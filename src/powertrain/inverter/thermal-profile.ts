import { DiscernError } from '../../core/index.js';
import { checkFosterNetwork } from './foster.js';
import { checkOperatingPoint, SWITCH_POSITIONS, switchPositionLosses } from './inverter-losses.js';
import { maxModulationIndex } from './modulation.js';
import type { FosterNetwork, Modulation, PowerModule } from './types.js';

/**
 * A time profile of inverter operating points (one per sample; the point holds until the next sample).
 * Arrays of equal length; `dcLinkVoltageV` may be one number for the whole profile.
 */
export interface InverterProfile {
  timeS: Float64Array;
  phaseCurrentRmsA: Float64Array;
  modulationIndex: Float64Array;
  powerFactor: Float64Array;
  dcLinkVoltageV: Float64Array | number;
  switchingFrequencyHz: number;
  /** Default 'svpwm'. */
  modulation?: Modulation;
  /**
   * Optional mask: 0 where the inverter does not switch (e.g. standstill without torque), so it has
   * no loss; default: always switching.
   */
  active?: Uint8Array;
}

/** Options of {@link inverterThermalProfile}. */
export interface InverterThermalProfileOptions {
  /** Reference (coolant) temperature, degC; default 65. */
  coolantDegC?: number;
  /** Largest number of loss/temperature iterations per step; default 6. */
  maxIterations?: number;
  /** Per-step agreement between the temperature used for the losses and the one they give, K; default 0.01. */
  toleranceK?: number;
}

/** Junction temperatures and losses along the profile. */
export interface InverterThermalProfileResult {
  /** Transistor junction temperature at each sample, degC. */
  transistorDegC: Float64Array;
  /** Diode junction temperature at each sample (= transistor for a SiC MOSFET), degC. */
  diodeDegC: Float64Array;
  /** Inverter loss (6 switch positions) held from each sample to the next, W. */
  lossW: Float64Array;
  /** ∫ loss dt over the profile, J. */
  lossEnergyJ: number;
  peakTransistorDegC: number;
  peakDiodeDegC: number;
  /** Most iterations any step needed. */
  maxIterationsUsed: number;
  /** Mean iterations per switching step. */
  meanIterations: number;
  /** False when some step did not reach the tolerance within maxIterations. */
  converged: boolean;
}

/**
 * Junction temperatures along a time profile. Each step holds its operating point over
 * [t_k, t_{k+1}]; the Foster networks (referenced to the coolant) are advanced exactly for a
 * constant loss, and the loss is evaluated at the mean junction temperature of the step, iterating
 * loss and temperature until they agree. Starts at the coolant temperature.
 * @throws DISCERN_BAD_ARGUMENT for arrays of unequal length, time not increasing, or an invalid point.
 * @example inverterThermalProfile(module, profile, { coolantDegC: 65 }).peakTransistorDegC
 */
export function inverterThermalProfile(
  module: PowerModule,
  profile: InverterProfile,
  options: InverterThermalProfileOptions = {},
): InverterThermalProfileResult {
  const n = profile.timeS.length;
  const coolant = options.coolantDegC ?? 65;
  const maxIterations = options.maxIterations ?? 6;
  const tol = options.toleranceK ?? 0.01;
  checkProfile(profile);
  const netT: FosterNetwork = module.kind === 'igbt' ? module.thermal.igbt : module.thermal.mosfet;
  const netD: FosterNetwork | undefined = module.kind === 'igbt' ? module.thermal.diode : undefined;
  checkFosterNetwork(netT);
  if (netD) checkFosterNetwork(netD);
  const stT = new FosterStepper(netT);
  const stD = netD ? new FosterStepper(netD) : undefined;
  const tjT = new Float64Array(n);
  const tjD = new Float64Array(n);
  const lossW = new Float64Array(n);
  const vdc = profile.dcLinkVoltageV;
  const op = {
    dcLinkVoltageV: 0,
    phaseCurrentRmsA: 0,
    modulationIndex: 0,
    powerFactor: 0,
    switchingFrequencyHz: profile.switchingFrequencyHz,
    modulation: profile.modulation ?? ('svpwm' as Modulation),
  };
  const tj = { transistorDegC: coolant, diodeDegC: coolant };
  let energy = 0;
  let pT = 0;
  let pD = 0;
  let maxUsed = 0;
  let totalUsed = 0;
  let activeSteps = 0;
  let converged = true;
  for (let k = 0; k < n; k++) {
    const dt = k + 1 < n ? profile.timeS[k + 1]! - profile.timeS[k]! : 0;
    stT.prepare(dt);
    stD?.prepare(dt);
    tjT[k] = coolant + stT.rise;
    tjD[k] = stD ? coolant + stD.rise : tjT[k]!;
    const active = profile.active === undefined || profile.active[k] !== 0;
    op.dcLinkVoltageV = typeof vdc === 'number' ? vdc : vdc[k]!;
    op.phaseCurrentRmsA = profile.phaseCurrentRmsA[k]!;
    op.modulationIndex = profile.modulationIndex[k]!;
    op.powerFactor = profile.powerFactor[k]!;
    // first guess: the mean temperature over this step if the previous step's losses held
    let evalT = dt > 0 ? coolant + 0.5 * (stT.rise + stT.endRise(pT)) : tjT[k]!;
    let evalD = stD && dt > 0 ? coolant + 0.5 * (stD.rise + stD.endRise(pD)) : stD ? tjD[k]! : evalT;
    let used = 0;
    let ok = !active;
    if (!active) {
      pT = 0;
      pD = 0;
    }
    for (let it = 0; active && it < maxIterations; it++) {
      used = it + 1;
      tj.transistorDegC = evalT;
      tj.diodeDegC = evalD;
      const p = switchPositionLosses(module, op, tj);
      pT = stD ? p.transistorW : p.totalW;
      pD = stD ? p.diodeW : 0;
      if (dt === 0) {
        ok = true;
        break;
      }
      // mean junction temperature over the step for these losses
      const nextT = coolant + 0.5 * (stT.rise + stT.endRise(pT));
      const nextD = stD ? coolant + 0.5 * (stD.rise + stD.endRise(pD)) : nextT;
      const moved = Math.max(Math.abs(nextT - evalT), Math.abs(nextD - evalD));
      evalT = nextT;
      evalD = nextD;
      if (moved < tol) {
        ok = true;
        break;
      }
    }
    if (!ok) converged = false;
    if (used > maxUsed) maxUsed = used;
    if (used > 0) {
      totalUsed += used;
      activeSteps++;
    }
    lossW[k] = SWITCH_POSITIONS * (pT + pD);
    energy += lossW[k]! * dt;
    if (dt > 0) {
      stT.advance(pT);
      stD?.advance(pD);
    }
  }
  let peakT = -Infinity;
  let peakD = -Infinity;
  for (let k = 0; k < n; k++) {
    if (tjT[k]! > peakT) peakT = tjT[k]!;
    if (tjD[k]! > peakD) peakD = tjD[k]!;
  }
  return {
    transistorDegC: tjT,
    diodeDegC: tjD,
    lossW,
    lossEnergyJ: energy,
    peakTransistorDegC: peakT,
    peakDiodeDegC: peakD,
    maxIterationsUsed: maxUsed,
    meanIterations: activeSteps > 0 ? totalUsed / activeSteps : 0,
    converged,
  };
}

function checkProfile(p: InverterProfile): void {
  const n = p.timeS.length;
  if (n === 0) throw new DiscernError('DISCERN_BAD_ARGUMENT', 'the inverter profile is empty');
  const same = [
    p.phaseCurrentRmsA,
    p.modulationIndex,
    p.powerFactor,
    ...(typeof p.dcLinkVoltageV === 'number' ? [] : [p.dcLinkVoltageV]),
  ];
  if (same.some((a) => a.length !== n) || (p.active !== undefined && p.active.length !== n)) {
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'the inverter profile arrays have unequal lengths');
  }
  for (let k = 1; k < n; k++) {
    if (!(p.timeS[k]! > p.timeS[k - 1]!))
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `profile time is not increasing at sample ${k}`);
  }
  const vdc = p.dcLinkVoltageV;
  const first = typeof vdc === 'number' ? vdc : (vdc[0] ?? 0);
  // one full check (modulation, frequency), then the per-sample ranges without allocations
  checkOperatingPoint({
    dcLinkVoltageV: first,
    phaseCurrentRmsA: 0,
    modulationIndex: 0,
    powerFactor: 0,
    switchingFrequencyHz: p.switchingFrequencyHz,
    ...(p.modulation !== undefined ? { modulation: p.modulation } : {}),
  });
  const mMax = maxModulationIndex(p.modulation ?? 'svpwm') + 1e-12;
  for (let k = 0; k < n; k++) {
    if (p.active !== undefined && p.active[k] === 0) continue;
    const v = typeof vdc === 'number' ? vdc : vdc[k]!;
    const i = p.phaseCurrentRmsA[k]!;
    const m = p.modulationIndex[k]!;
    const c = p.powerFactor[k]!;
    if (!(v > 0 && i >= 0 && m >= 0 && m <= mMax && Math.abs(c) <= 1)) {
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `invalid operating point at sample ${k} (V_dc ${v}, I ${i}, M ${m}, cos φ ${c})`,
      );
    }
  }
}

/**
 * Exact stepping of a Foster network with a loss held constant over a step: the decay factors are
 * computed once per step length, and the end-of-step rise is A + P·B (A = Σ θ_i e_i,
 * B = Σ r_i (1 − e_i)), so the loss/temperature iteration costs no exponentials.
 */
class FosterStepper {
  readonly theta: Float64Array;
  readonly decay: Float64Array;
  rise = 0;
  private dt = NaN;
  private a = 0;
  private b = 0;
  constructor(private readonly net: FosterNetwork) {
    this.theta = new Float64Array(net.r.length);
    this.decay = new Float64Array(net.r.length);
  }
  prepare(dt: number): void {
    if (dt !== this.dt) {
      this.dt = dt;
      let b = 0;
      for (let i = 0; i < this.decay.length; i++) {
        const e = Math.exp(-dt / this.net.tau[i]!);
        this.decay[i] = e;
        b += this.net.r[i]! * (1 - e);
      }
      this.b = b;
    }
    let a = 0;
    for (let i = 0; i < this.theta.length; i++) a += this.theta[i]! * this.decay[i]!;
    this.a = a;
  }
  endRise(powerW: number): number {
    return this.a + powerW * this.b;
  }
  advance(powerW: number): void {
    let sum = 0;
    for (let i = 0; i < this.theta.length; i++) {
      const e = this.decay[i]!;
      const v = this.theta[i]! * e + this.net.r[i]! * powerW * (1 - e);
      this.theta[i] = v;
      sum += v;
    }
    this.rise = sum;
  }
}
