/**
 * Types of the traction-inverter model: power-semiconductor modules (Si IGBT + diode, SiC MOSFET),
 * thermal networks and operating points. All values in SI units (V, A, Ohm, J, W, s, K/W), temperatures
 * in degC. A switch position is one transistor with its anti-parallel diode; a two-level three-phase
 * inverter (B6) has six of them.
 */

/** A value that depends on junction temperature: a constant, or a table interpolated linearly in degC. */
export type TemperatureCurve =
  number | { readonly degC: readonly number[]; readonly value: readonly number[] };

/**
 * Foster network (junction to a fixed reference temperature, usually the coolant):
 * Z_th(t) = sum r_i (1 - exp(-t / tau_i)). `r` in K/W, `tau` in s.
 */
export interface FosterNetwork {
  readonly r: readonly number[];
  readonly tau: readonly number[];
}

/** Switching energy as a quadratic in current at the reference voltage: E(I) = a + b I + c I^2 (J, A). */
export interface QuadraticEnergy {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/** Fields every module in the device library has. */
interface ModuleBase {
  readonly id: string;
  readonly name: string;
  readonly manufacturer: string;
  /** Rated blocking voltage, V. */
  readonly blockingVoltageV: number;
  /** Nominal (datasheet) current, A. */
  readonly nominalCurrentA: number;
  /** Highest allowed operating junction temperature, degC. */
  readonly maxJunctionDegC: number;
}

/**
 * Si IGBT with anti-parallel diode. Conduction from the linearised on-state characteristics
 * v = V0 + r i at the junction temperature; switching energies at a reference point, scaled with
 * (V / V_ref)^kv and (i / I_ref)^ki.
 */
export interface IgbtModule extends ModuleBase {
  readonly kind: 'igbt';
  readonly igbt: { readonly vce0V: TemperatureCurve; readonly rceOhm: TemperatureCurve };
  readonly diode: { readonly vf0V: TemperatureCurve; readonly rfOhm: TemperatureCurve };
  readonly switching: {
    readonly refVoltageV: number;
    readonly refCurrentA: number;
    /** E_on + E_off of the IGBT at the reference point, J. */
    readonly eOnOffJ: TemperatureCurve;
    /** Reverse-recovery energy of the diode at the reference point, J. */
    readonly eRecJ: TemperatureCurve;
    readonly kvIgbt: number;
    readonly kiIgbt: number;
    readonly kvDiode: number;
    readonly kiDiode: number;
  };
  readonly thermal: { readonly igbt: FosterNetwork; readonly diode: FosterNetwork };
}

/**
 * SiC MOSFET module used with synchronous rectification: the channel conducts both directions,
 * the body diode only during the dead time. R_DS(on)(Tj) (1 + k_i i); switching energies quadratic
 * in current, scaled with (V / V_ref)^kv and a temperature factor.
 */
export interface SicMosfetModule extends ModuleBase {
  readonly kind: 'sic-mosfet';
  readonly mosfet: {
    readonly rdsOnOhm: TemperatureCurve;
    /** Relative rise of R_DS(on) per ampere of drain current, 1/A (0 = independent of current). */
    readonly rdsOnCurrentCoeffPerA: number;
  };
  readonly bodyDiode: { readonly vsd0V: TemperatureCurve; readonly rsdOhm: TemperatureCurve };
  /** Dead time per switching transition, s (two per switching period). */
  readonly deadTimeS: number;
  readonly switching: {
    readonly refVoltageV: number;
    /** E_on + E_off of the MOSFET at the reference voltage and reference temperature. */
    readonly eOnOff: QuadraticEnergy;
    /** Body-diode reverse-recovery energy at the reference voltage and reference temperature. */
    readonly eRec: QuadraticEnergy;
    readonly kv: number;
    /** Multiplier on both energies against Tj (1 at the reference temperature). */
    readonly temperatureFactor: TemperatureCurve;
  };
  /** MOSFET and body diode share the die, so one network carries both losses. */
  readonly thermal: { readonly mosfet: FosterNetwork };
}

/** Any module of the device library. */
export type PowerModule = IgbtModule | SicMosfetModule;

/** Pulse-width modulation: sine-triangle (SPWM) or space vector (SVPWM, min-max zero sequence). */
export type Modulation = 'spwm' | 'svpwm';

/**
 * One steady operating point of the inverter (period-averaged over the fundamental).
 * `modulationIndex` M = V̂_phase / (V_dc / 2): at most 1 with SPWM, 2/√3 with SVPWM.
 * `powerFactor` = cos φ of the fundamental, negative when power flows back to the DC link.
 */
export interface InverterOperatingPoint {
  readonly dcLinkVoltageV: number;
  readonly phaseCurrentRmsA: number;
  readonly modulationIndex: number;
  readonly powerFactor: number;
  readonly switchingFrequencyHz: number;
  /** Default 'svpwm'. */
  readonly modulation?: Modulation;
}

/** Junction temperatures used for the losses, degC. For a SiC MOSFET the diode value is ignored. */
export interface JunctionTemperatures {
  readonly transistorDegC: number;
  readonly diodeDegC: number;
}

/** Average losses of ONE switch position (transistor + diode), W. */
export interface SwitchPositionLosses {
  transistorConductionW: number;
  diodeConductionW: number;
  transistorSwitchingW: number;
  diodeSwitchingW: number;
  /** Loss heating the transistor die, W. */
  transistorW: number;
  /** Loss heating the diode die (for a SiC MOSFET: the body diode on the same die), W. */
  diodeW: number;
  totalW: number;
}
