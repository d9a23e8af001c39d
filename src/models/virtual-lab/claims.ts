import type { ClaimPlan, LabClaimKind, LabModelSpec } from './lab-spec.js';

/** What the generator knows is true of a cell model (means over its samples; NaN if not tested). */
export interface ModelTruthValues {
  /** C/3 discharge capacity at 25 degC, Ah, and energy, Wh. */
  capacityAh: number;
  energyWh: number;
  /** DC resistance of a 10 s pulse at 50 % SOC and 25 degC, Ohm. */
  dcResistanceOhm: number;
  /** Cycles to 80 % of the first cycle's discharge capacity under the cycling conditions. */
  cycleLife: number;
  /** Minutes from 10 to 80 % SOC at the fast-charge C-rate. */
  fastChargeMin: number;
  /** C/3 capacity at the cold temperature over the one at 25 degC, %. */
  lowTempCapacityPct: number;
  /** Number of samples behind each value. */
  n: Partial<Record<LabClaimKind, number>>;
}

/** A claim as the catalogue file states it (contract: /docs/catalogue.md). */
export interface CatalogueClaim {
  id: string;
  kind: LabClaimKind;
  value: number;
  unit: string;
  tolerance_pct?: number;
  conditions: Record<string, number>;
  source: string;
}

/** The ground truth of one claim. */
export interface ClaimTruth {
  cell_model: string;
  claim_id: string;
  kind: LabClaimKind;
  unit: string;
  claimed: number;
  /** The generator's true value under the claim's conditions (mean over `n` samples). */
  true_value: number;
  n: number;
  honest: boolean;
  /** How the claim was inflated (e.g. "x2"), null when honest. */
  inflation: string | null;
  /** True when a larger value is the better one (capacity, cycles, ...), false for resistance and time. */
  higher_is_better: boolean;
}

const floorTo = (x: number, step: number): number => Math.floor(x / step) * step;
const roundTo = (x: number, step: number): number => Math.round(x / step) * step;
/** Rounds to `digits` significant digits, up (ceil) or to nearest. */
function sig(x: number, digits: number, mode: 'up' | 'nearest'): number {
  const e = Math.floor(Math.log10(Math.abs(x))) - digits + 1;
  const f = 10 ** e;
  const v = (mode === 'up' ? Math.ceil(x / f) : Math.round(x / f)) * f;
  return Number(v.toPrecision(digits));
}

const ID: Record<LabClaimKind, string> = {
  capacity: 'capacity-c3',
  specific_energy: 'specific-energy-c3',
  dc_resistance: 'dcr-10s-soc50',
  cycle_life: 'cycle-life-eol80',
  fast_charge_10_80: 'fast-charge-10-80',
  low_temp_capacity: 'capacity-cold',
};

/**
 * Builds one datasheet claim and its ground truth from the generator's truth. Honest claims are
 * conservative, as honest datasheets are: capacity = the nominal (the cells deliver about 2 %
 * more), specific energy 97 % of the truth, DC resistance 120 % (rounded up), cycle life 80 %
 * (to 50 cycles), fast charge 110 % of the minutes (rounded up), cold capacity 5 points below.
 * Inflated claims are the truth × `inflate` (capacity: the truth was set below the nominal).
 */
export function buildClaim(
  plan: ClaimPlan,
  model: LabModelSpec,
  truth: ModelTruthValues,
  coldDegC: number,
): { claim: CatalogueClaim; truth: ClaimTruth } {
  const honest = plan.inflate === undefined;
  const k = plan.inflate ?? 1;
  const base = { id: ID[plan.kind], kind: plan.kind, source: 'datasheet rev B 2026-01 (virtual lab)' };
  const tol = plan.tolerancePct !== undefined ? { tolerance_pct: plan.tolerancePct } : {};
  let claim: CatalogueClaim;
  let trueValue: number;
  let higher = true;
  switch (plan.kind) {
    case 'capacity':
      trueValue = truth.capacityAh;
      claim = {
        ...base,
        value: model.nominalCapacityAh,
        unit: 'Ah',
        ...tol,
        conditions: { c_rate: 0.33, charge_c_rate: 0.33, temperature_degC: 25, dod_pct: 100 },
      };
      break;
    case 'specific_energy':
      trueValue = truth.energyWh / model.massKg;
      claim = {
        ...base,
        value: honest ? Math.floor(0.97 * trueValue) : sig(trueValue * k, 3, 'nearest'),
        unit: 'Wh/kg',
        ...tol,
        conditions: { c_rate: 0.33, temperature_degC: 25 },
      };
      break;
    case 'dc_resistance':
      higher = false;
      trueValue = truth.dcResistanceOhm;
      claim = {
        ...base,
        value: honest ? sig(1.2 * trueValue, 2, 'up') : sig(trueValue * k, 3, 'nearest'),
        unit: 'Ohm',
        ...tol,
        conditions: { soc_pct: 50, pulse_s: 10, c_rate: 1, temperature_degC: 25 },
      };
      break;
    case 'cycle_life':
      trueValue = truth.cycleLife;
      claim = {
        ...base,
        value: honest ? floorTo(0.8 * trueValue, 50) : roundTo(trueValue * k, 50),
        unit: 'cycles',
        ...tol,
        conditions: {
          c_rate: model.cycling.dischargeCRate,
          charge_c_rate: model.cycling.chargeCRate,
          temperature_degC: 25,
          dod_pct: 100,
          eol_pct: 80,
        },
      };
      break;
    case 'fast_charge_10_80':
      higher = false;
      trueValue = truth.fastChargeMin;
      claim = {
        ...base,
        value: honest ? Math.ceil(1.1 * trueValue) : Math.round(trueValue * k),
        unit: 'min',
        ...tol,
        conditions: { charge_c_rate: model.fastChargeCRate ?? 1, temperature_degC: 25 },
      };
      break;
    case 'low_temp_capacity':
      trueValue = truth.lowTempCapacityPct;
      claim = {
        ...base,
        value: honest ? Math.floor(trueValue - 5) : Math.min(98, Math.round(trueValue * k)),
        unit: '%',
        ...tol,
        conditions: { temperature_degC: coldDegC, c_rate: 0.33 },
      };
      break;
  }
  return {
    claim,
    truth: {
      cell_model: model.id,
      claim_id: claim.id,
      kind: plan.kind,
      unit: claim.unit,
      claimed: claim.value,
      true_value: trueValue,
      n: truth.n[plan.kind] ?? 0,
      honest,
      inflation: honest ? null : `x${k}`,
      higher_is_better: higher,
    },
  };
}
