import type { CellModelTruth } from './cell.js';

/** Instrument file formats the virtual lab writes (reader ids of src/ingest). */
export type LabFormat = 'arbin-csv' | 'maccor-ascii' | 'biologic-mpt' | 'neware-csv';

/** Claim kinds the virtual lab states and can measure (catalogue vocabulary). */
export type LabClaimKind =
  'capacity' | 'specific_energy' | 'dc_resistance' | 'cycle_life' | 'fast_charge_10_80' | 'low_temp_capacity';

/**
 * One datasheet claim of a virtual cell model. Without `inflate` the claim is honest: the
 * generator derives a conservative value from its truth (see claims.ts); with it the claim is the
 * true value × `inflate` (capacity: the truth is set below the nominal instead).
 */
export interface ClaimPlan {
  kind: LabClaimKind;
  /** Multiplier on the true value of an inflated claim (e.g. 2 for cycle life, 0.7 for DC resistance). */
  inflate?: number;
  /** The supplier's stated tolerance, %. */
  tolerancePct?: number;
}

/** A cell model of the virtual lab: datasheet, truth, test plan and claims. */
export interface LabModelSpec {
  id: string;
  supplier: string;
  /** Catalogue format vocabulary. */
  format: 'cylindrical-21700' | 'cylindrical-4680' | 'prismatic' | 'pouch' | 'blade';
  nominalCapacityAh: number;
  nominalVoltageV: number;
  massKg: number;
  dimensionsMm: { length: number; width: number; height: number } | { diameter: number; height: number };
  costPerKWhEur: number;
  truth: CellModelTruth;
  samples: number;
  /** Cycle-life test: C-rates, cycle cap (the test stops at 79 % retention before that). */
  cycling: { chargeCRate: number; dischargeCRate: number; maxCycles: number };
  /** C-rate of the fast-charge test (with a fast_charge_10_80 claim). */
  fastChargeCRate?: number;
  /** Chamber temperature of the low-temperature test (with a low_temp_capacity claim), degC. */
  coldDegC?: number;
  /** File format per test kind (the instrument the lab uses for it). */
  formats: { capacity: LabFormat; cycling: LabFormat; hppc: LabFormat; other: LabFormat };
  claims: ClaimPlan[];
}

/** A supplier of the virtual lab. */
export interface LabSupplierSpec {
  id: string;
  name: string;
  country: string;
}

/** The suppliers of the virtual lab (fictitious). */
export const LAB_SUPPLIERS: readonly LabSupplierSpec[] = [
  { id: 'volta-cells', name: 'Volta Cells Ltd', country: 'CN' },
  { id: 'nordkraft', name: 'Nordkraft Batterie GmbH', country: 'DE' },
  { id: 'sodion', name: 'Sodion Energy Co', country: 'CN' },
  { id: 'aurora-solid', name: 'Aurora Solid Power Inc', country: 'US' },
];

const spread = { capacitySdPct: 0.6, resistanceSdPct: 2, massSdPct: 0.4, ageingSdPct: 3 };

/**
 * The cell models of the virtual lab. Resistances, masses and capacities are typical of the
 * formats (assumptions, docs/methods/virtual-lab.md); OCV and ageing laws come from the
 * chemistries (chemistries.ts). About a third of the claims are inflated.
 */
export const LAB_MODELS: readonly LabModelSpec[] = [
  {
    id: 'VC-LFP-280',
    supplier: 'volta-cells',
    format: 'prismatic',
    nominalCapacityAh: 280,
    nominalVoltageV: 3.2,
    massKg: 5.4,
    dimensionsMm: { length: 174, width: 72, height: 207 },
    costPerKWhEur: 62,
    truth: {
      chemistry: 'lfp',
      capacityAh: 287,
      r0Ohm: 1.8e-4,
      r1Ohm: 1.2e-4,
      tau1S: 25,
      thermalResistanceKPerW: 0.6,
      massKg: 5.38,
      ...spread,
    },
    samples: 3,
    cycling: { chargeCRate: 1, dischargeCRate: 1, maxCycles: 3000 },
    fastChargeCRate: 2,
    coldDegC: -20,
    formats: { capacity: 'arbin-csv', cycling: 'maccor-ascii', hppc: 'biologic-mpt', other: 'neware-csv' },
    claims: [
      { kind: 'capacity', tolerancePct: 3 },
      { kind: 'dc_resistance', tolerancePct: 10 },
      { kind: 'cycle_life' },
      { kind: 'fast_charge_10_80', inflate: 0.6 },
      { kind: 'low_temp_capacity', inflate: 1.2 },
    ],
  },
  {
    id: 'VC-LMFP-B150',
    supplier: 'volta-cells',
    format: 'blade',
    nominalCapacityAh: 150,
    nominalVoltageV: 3.65,
    massKg: 3.05,
    dimensionsMm: { length: 960, width: 90, height: 14 },
    costPerKWhEur: 66,
    truth: {
      chemistry: 'lmfp',
      capacityAh: 150 / 1.08,
      r0Ohm: 3.5e-4,
      r1Ohm: 2.5e-4,
      tau1S: 25,
      thermalResistanceKPerW: 0.8,
      massKg: 3.04,
      ...spread,
    },
    samples: 3,
    cycling: { chargeCRate: 1, dischargeCRate: 1, maxCycles: 3000 },
    formats: { capacity: 'neware-csv', cycling: 'arbin-csv', hppc: 'maccor-ascii', other: 'neware-csv' },
    claims: [
      { kind: 'capacity', inflate: 1.08, tolerancePct: 3 },
      { kind: 'specific_energy' },
      { kind: 'cycle_life', inflate: 2 },
    ],
  },
  {
    id: 'NK-811-21700',
    supplier: 'nordkraft',
    format: 'cylindrical-21700',
    nominalCapacityAh: 5,
    nominalVoltageV: 3.63,
    massKg: 0.07,
    dimensionsMm: { diameter: 21, height: 70 },
    costPerKWhEur: 95,
    truth: {
      chemistry: 'nmc811',
      capacityAh: 5.12,
      r0Ohm: 0.011,
      r1Ohm: 0.008,
      tau1S: 18,
      thermalResistanceKPerW: 5,
      massKg: 0.0695,
      ...spread,
    },
    samples: 3,
    cycling: { chargeCRate: 1, dischargeCRate: 1, maxCycles: 2000 },
    fastChargeCRate: 2,
    coldDegC: -20,
    formats: { capacity: 'maccor-ascii', cycling: 'maccor-ascii', hppc: 'arbin-csv', other: 'biologic-mpt' },
    claims: [
      { kind: 'capacity', tolerancePct: 2 },
      { kind: 'specific_energy' },
      { kind: 'dc_resistance', inflate: 0.7, tolerancePct: 10 },
      { kind: 'cycle_life' },
      { kind: 'fast_charge_10_80' },
      { kind: 'low_temp_capacity' },
    ],
  },
  {
    id: 'SE-NA-160',
    supplier: 'sodion',
    format: 'prismatic',
    nominalCapacityAh: 160,
    nominalVoltageV: 3.1,
    massKg: 3.3,
    dimensionsMm: { length: 174, width: 54, height: 207 },
    costPerKWhEur: 58,
    truth: {
      chemistry: 'sodium',
      capacityAh: 163.5,
      r0Ohm: 3.2e-4,
      r1Ohm: 2.2e-4,
      tau1S: 20,
      thermalResistanceKPerW: 0.7,
      massKg: 3.29,
      ...spread,
    },
    samples: 3,
    cycling: { chargeCRate: 1, dischargeCRate: 1, maxCycles: 3000 },
    fastChargeCRate: 2,
    coldDegC: -20,
    formats: { capacity: 'neware-csv', cycling: 'neware-csv', hppc: 'biologic-mpt', other: 'neware-csv' },
    claims: [
      { kind: 'capacity', tolerancePct: 3 },
      { kind: 'dc_resistance', tolerancePct: 10 },
      { kind: 'cycle_life' },
      { kind: 'fast_charge_10_80' },
      { kind: 'low_temp_capacity' },
    ],
  },
  {
    id: 'AS-SS-60',
    supplier: 'aurora-solid',
    format: 'pouch',
    nominalCapacityAh: 60,
    nominalVoltageV: 3.65,
    massKg: 0.72,
    dimensionsMm: { length: 330, width: 100, height: 12 },
    costPerKWhEur: 140,
    truth: {
      chemistry: 'semiSolid',
      capacityAh: 62,
      r0Ohm: 1.1e-3,
      r1Ohm: 0.8e-3,
      tau1S: 30,
      thermalResistanceKPerW: 1.5,
      massKg: 0.716,
      ...spread,
    },
    samples: 3,
    cycling: { chargeCRate: 0.5, dischargeCRate: 1, maxCycles: 2000 },
    formats: { capacity: 'arbin-csv', cycling: 'arbin-csv', hppc: 'biologic-mpt', other: 'biologic-mpt' },
    claims: [
      { kind: 'capacity', tolerancePct: 3 },
      { kind: 'specific_energy', inflate: 1.15 },
      { kind: 'dc_resistance', tolerancePct: 10 },
      { kind: 'cycle_life', inflate: 2 },
    ],
  },
  {
    id: 'AS-SSB-20',
    supplier: 'aurora-solid',
    format: 'pouch',
    nominalCapacityAh: 20,
    nominalVoltageV: 3.8,
    massKg: 0.2,
    dimensionsMm: { length: 160, width: 90, height: 8 },
    costPerKWhEur: 260,
    truth: {
      chemistry: 'solidState',
      capacityAh: 21,
      r0Ohm: 4e-3,
      r1Ohm: 3e-3,
      tau1S: 40,
      thermalResistanceKPerW: 3,
      massKg: 0.199,
      ...spread,
      capacitySdPct: 1.2,
      ageingSdPct: 5,
    },
    samples: 3,
    cycling: { chargeCRate: 1 / 3, dischargeCRate: 1 / 3, maxCycles: 1500 },
    fastChargeCRate: 1,
    coldDegC: -20,
    formats: {
      capacity: 'biologic-mpt',
      cycling: 'biologic-mpt',
      hppc: 'biologic-mpt',
      other: 'maccor-ascii',
    },
    claims: [
      { kind: 'capacity', tolerancePct: 3 },
      { kind: 'specific_energy' },
      { kind: 'cycle_life', inflate: 3 },
      { kind: 'fast_charge_10_80', inflate: 0.6 },
      { kind: 'low_temp_capacity', inflate: 1.4 },
    ],
  },
];
