import type { LabRandom } from './rng.js';
import { ocvModel } from './ocv.js';
import { VIRTUAL_CHEMISTRIES, type VirtualChemistry, type VirtualChemistryId } from './chemistries.js';

/** The true properties of a cell model (its population) in the virtual lab. SI units. */
export interface CellModelTruth {
  chemistry: VirtualChemistryId;
  /** Mean capacity at C/3 and 25 degC, Ah, and its sample-to-sample standard deviation, %. */
  capacityAh: number;
  capacitySdPct: number;
  /** Thevenin parameters at 25 degC and 50 % SOC: series resistance, RC resistance (Ohm), RC time constant (s). */
  r0Ohm: number;
  r1Ohm: number;
  tau1S: number;
  resistanceSdPct: number;
  massKg: number;
  massSdPct: number;
  /** Spread of the ageing rate between samples, % of k. */
  ageingSdPct: number;
  /** Thermal resistance cell → chamber air, K/W. */
  thermalResistanceKPerW: number;
}

/** One virtual sample: a draw from its model's population. */
export interface VirtualCell {
  serial: string;
  chem: VirtualChemistry;
  ocv: (soc: number) => number;
  capacityAh: number;
  r0Ohm: number;
  r1Ohm: number;
  tau1S: number;
  massKg: number;
  /** Multiplies the ageing law's rate. */
  ageingScale: number;
  thermalResistanceKPerW: number;
  /** Heat capacity, J/K. */
  heatCapacityJPerK: number;
  /** Relative gain error of the channel's current measurement (calibration), applied to capacities. */
  currentGainError: number;
}

/**
 * Draws a sample of a cell model: capacity, resistances and mass are normal around the model's
 * means with the model's spreads; the ageing rate scale is log-normal.
 * @example const cell = drawCell(truth, 'KP105-0001', rng.fork('KP105-0001'));
 */
export function drawCell(truth: CellModelTruth, serial: string, rng: LabRandom): VirtualCell {
  const chem = VIRTUAL_CHEMISTRIES[truth.chemistry];
  const rScale = Math.max(0.5, 1 + rng.normal(0, truth.resistanceSdPct / 100));
  const massKg = truth.massKg * (1 + rng.normal(0, truth.massSdPct / 100));
  return {
    serial,
    chem,
    ocv: ocvModel(chem.ocv),
    capacityAh: truth.capacityAh * (1 + rng.normal(0, truth.capacitySdPct / 100)),
    r0Ohm: truth.r0Ohm * rScale,
    r1Ohm: truth.r1Ohm * rScale,
    tau1S: truth.tau1S,
    massKg,
    ageingScale: Math.exp(rng.normal(0, truth.ageingSdPct / 100)),
    thermalResistanceKPerW: truth.thermalResistanceKPerW,
    heatCapacityJPerK: massKg * chem.specificHeatJPerKgK,
    currentGainError: rng.normal(0, 2e-4),
  };
}
