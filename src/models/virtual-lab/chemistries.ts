import { gasperLfpLaw, kokamNmcLaw, powerLaw, type AgeingLaw } from './ageing.js';
import type { OcvModelId } from './ocv.js';

/** Electrochemical behaviour shared by every cell of one chemistry in the virtual lab. */
export interface VirtualChemistry {
  /** Catalogue chemistry label (src/arbiter catalogue vocabulary). */
  chemistry: string;
  ocv: OcvModelId;
  minVoltageV: number;
  maxVoltageV: number;
  /** Activation energy of the resistances (Arrhenius, reference 25 degC), J/mol. */
  activationEnergyJPerMol: number;
  /**
   * Share of the capacity the cell can deliver at low temperature (transport-limited part, on top
   * of the resistance rise), by temperature (degC, ascending; 1 at 25 degC and above).
   */
  coldAccess: { temperatureDegC: readonly number[]; fraction: readonly number[] };
  ageing: AgeingLaw;
  specificHeatJPerKgK: number;
}

/**
 * The chemistries of the virtual lab. OCV and ageing laws cite their sources (see ocv.ts, ageing.ts);
 * resistance activation energies and low-temperature access are typical values (assumptions,
 * docs/methods/virtual-lab.md).
 */
export const VIRTUAL_CHEMISTRIES = {
  lfp: {
    chemistry: 'LFP',
    ocv: 'lfp-graphite',
    minVoltageV: 2.5,
    maxVoltageV: 3.65,
    activationEnergyJPerMol: 35000,
    coldAccess: { temperatureDegC: [-30, -20, -10, 0, 25], fraction: [0.6, 0.74, 0.85, 0.93, 1] },
    ageing: gasperLfpLaw(),
    specificHeatJPerKgK: 1100,
  },
  lmfp: {
    chemistry: 'LMFP',
    ocv: 'lmfp-graphite',
    minVoltageV: 2.5,
    maxVoltageV: 4.25,
    activationEnergyJPerMol: 36000,
    coldAccess: { temperatureDegC: [-30, -20, -10, 0, 25], fraction: [0.62, 0.76, 0.86, 0.94, 1] },
    ageing: gasperLfpLaw(2),
    specificHeatJPerKgK: 1100,
  },
  nmc811: {
    chemistry: 'NMC811',
    ocv: 'nmc811-graphite',
    minVoltageV: 2.5,
    maxVoltageV: 4.2,
    activationEnergyJPerMol: 30000,
    coldAccess: { temperatureDegC: [-30, -20, -10, 0, 25], fraction: [0.78, 0.88, 0.94, 0.98, 1] },
    ageing: kokamNmcLaw(2, 2, { efc: 700, b: 4e-7 }),
    specificHeatJPerKgK: 1000,
  },
  sodium: {
    chemistry: 'SIB',
    ocv: 'nfm-hard-carbon',
    minVoltageV: 1.5,
    maxVoltageV: 3.95,
    activationEnergyJPerMol: 22000,
    coldAccess: { temperatureDegC: [-30, -20, -10, 0, 25], fraction: [0.9, 0.95, 0.98, 0.99, 1] },
    ageing: powerLaw(2e-3, 0.66, {
      label: 'sodium-ion layered oxide / hard carbon',
      activationEnergyJPerMol: 25000,
    }),
    specificHeatJPerKgK: 1050,
  },
  semiSolid: {
    chemistry: 'semi-solid',
    ocv: 'nmc811-graphite',
    minVoltageV: 2.75,
    maxVoltageV: 4.2,
    activationEnergyJPerMol: 34000,
    coldAccess: { temperatureDegC: [-30, -20, -10, 0, 25], fraction: [0.7, 0.82, 0.9, 0.96, 1] },
    ageing: kokamNmcLaw(1.3, 2.5, { efc: 450, b: 1.2e-6 }),
    specificHeatJPerKgK: 1000,
  },
  solidState: {
    chemistry: 'ASSB',
    ocv: 'nmc811-lithium',
    minVoltageV: 3.0,
    maxVoltageV: 4.25,
    activationEnergyJPerMol: 32000,
    coldAccess: { temperatureDegC: [-30, -20, -10, 0, 25], fraction: [0.35, 0.5, 0.68, 0.85, 1] },
    ageing: powerLaw(9e-3, 0.75, {
      label: 'oxide/sulfide solid-state prototype with lithium metal',
      activationEnergyJPerMol: 40000,
      cRateFactor: 1,
      resistanceGrowthPerLoss: 3,
    }),
    specificHeatJPerKgK: 950,
  },
} as const satisfies Record<string, VirtualChemistry>;

/** Keys of VIRTUAL_CHEMISTRIES. */
export type VirtualChemistryId = keyof typeof VIRTUAL_CHEMISTRIES;

/** Linear interpolation in a (temperature, fraction) table, clamped at its ends. */
export function coldAccessFraction(chem: VirtualChemistry, temperatureDegC: number): number {
  const { temperatureDegC: t, fraction: f } = chem.coldAccess;
  if (temperatureDegC <= t[0]!) return f[0]!;
  const n = t.length;
  if (temperatureDegC >= t[n - 1]!) return f[n - 1]!;
  let k = 0;
  while (t[k + 1]! < temperatureDegC) k++;
  return f[k]! + ((f[k + 1]! - f[k]!) * (temperatureDegC - t[k]!)) / (t[k + 1]! - t[k]!);
}
