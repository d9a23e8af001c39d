import type { SynchronousMachine } from '../inverter/machine.js';

/**
 * How braking power at the wheel is recovered: the fraction of braking wheel power sent to the
 * motor is maxFraction / (1 + a·exp(−b·(v_mph + 1))) (FASTSim's regen blending curve; a = 0 gives a
 * constant fraction), then limited by the regen power limit; the rest goes to the friction brakes.
 */
export interface RegenBlending {
  maxFraction: number;
  a: number;
  /** Per mph. */
  bPerMph: number;
}

/**
 * A battery-electric vehicle for the longitudinal energy model. SI units. Efficiencies are
 * battery-terminal ↔ wheel path efficiencies of the constant-efficiency model; the component model
 * (machine + inverter device + gear) uses `machine`, `gearRatio`, `gearEfficiency` instead.
 */
export interface Vehicle {
  id: string;
  name: string;
  /** Test mass (WLTP TM: mass in running order + 25 kg + share of payload), kg. */
  testMassKg: number;
  /** Equivalent mass of rotating parts added to the inertia (not to rolling/grade), kg. */
  rotatingMassKg: number;
  /** Aerodynamic drag area C_d·A, m². */
  dragAreaM2: number;
  /** Rolling-resistance coefficient, -. */
  rollingResistance: number;
  /** Battery → wheel efficiency when driving (constant-efficiency model). */
  tractionEfficiency: number;
  /** Wheel → battery efficiency of recovered braking energy (constant-efficiency model). */
  regenEfficiency: number;
  regen: RegenBlending;
  /** Largest traction power at the wheel, W. */
  maxTractionPowerW: number;
  /** Largest regenerative braking power at the wheel, W. */
  maxRegenPowerW: number;
  /** Auxiliaries (12 V loads, pumps, HVAC off) drawn from the battery whenever the cycle runs, W. */
  auxPowerW: number;
  /** Usable battery energy (UBE) at the terminals, Wh. */
  usableEnergyWh: number;
  /** Nominal pack voltage (DC link), V. */
  nominalVoltageV: number;
  /** Terminal energy out / terminal energy in over a slow charge-discharge, -. */
  batteryRoundTripEfficiency: number;
  /** Loads running while the car charges on AC (BMS, pumps, 12 V converter), W. */
  chargingAuxPowerW: number;
  /** Id of the on-board charger in the charger library. */
  onBoardChargerId?: string;
  wheelRadiusM: number;
  gearRatio: number;
  gearEfficiency: number;
  machine?: SynchronousMachine;
}

/** Air density (FASTSim default), kg/m³. */
export const AIR_DENSITY_KG_M3 = 1.2;
/** Standard gravity (FASTSim default), m/s². */
export const GRAVITY_M_S2 = 9.81;
