import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chargeMapCell } from '../../src/arbiter/cell-charge-map.js';
import {
  CELL_TO_PACK,
  cellVolumeL,
  projectPack,
  type PackCell,
  type PackTarget,
} from '../../src/arbiter/pack.js';
import { isDiscernError } from '../../src/core/index.js';
import { parseSpeedTrace, vehicleEnergy, type DcCharger } from '../../src/powertrain/index.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import { vehicleEntry } from '../powertrain/library-helper.js';

// e-208-like NMC pouch cell (research/powertrain.md §4.1: 62 Ah, 3.7 V, 108s2p, ~0.95 kg)
const nmc: PackCell = {
  id: 'nmc62',
  format: 'pouch',
  capacityAh: 62,
  nominalVoltageV: 3.7,
  maxVoltageV: 4.2,
  minVoltageV: 2.5,
  massKg: 0.95,
  volumeL: cellVolumeL({ length: 350, width: 100, height: 12 }),
  costPerKWhEur: 80,
  resistanceOhm: 0.001,
};
// BYD Blade-like LFP cell (research/industry.md §4.3: 135 Ah, 2.7 kg, 965 x 90 x 14 mm)
const blade: PackCell = {
  id: 'blade',
  format: 'blade',
  capacityAh: 135,
  nominalVoltageV: 3.2,
  maxVoltageV: 3.65,
  minVoltageV: 2.5,
  massKg: 2.7,
  volumeL: cellVolumeL({ length: 965, width: 90, height: 14 }),
};
const target = (over: Partial<PackTarget> = {}): PackTarget => ({
  voltageClass: 400,
  usableEnergyKWh: 44,
  usableSocWindowPercent: [5, 95],
  packAdderEurPerKWh: 35,
  ...over,
});

describe('pack layout (hand-computed)', () => {
  it('lays out the e-208 pack: 108s2p, 49.55 kWh nominal, 44.6 kWh usable', () => {
    const p = projectPack(nmc, target());
    // N_s = round(400 / 3.7) = 108; 108 x 4.2 = 453.6 V <= 470 V
    expect(p.series).toBe(108);
    // string = 108 x 3.7 x 62 = 24 775.2 Wh; x 0.9 = 22 297.7 Wh; ceil(44 000 / 22 297.7) = 2
    expect(p.parallel).toBe(2);
    expect(p.cells).toBe(216);
    expect(p.nominalEnergyKWh).toBeCloseTo(49.5504, 4);
    expect(p.usableEnergyKWh).toBeCloseTo(44.59536, 4);
    expect(p.nominalVoltageV).toBeCloseTo(399.6, 6);
    expect(p.maxVoltageV).toBeCloseTo(453.6, 6);
    expect(p.capacityAh).toBe(124);
    // 216 x 0.95 kg = 205.2 kg of cells, / 0.62 = 330.97 kg (e-208 pack about 350 kg)
    expect(p.cellsMassKg).toBeCloseTo(205.2, 6);
    expect(p.massKg).toBeCloseTo(205.2 / 0.62, 6);
    // 0.42 L per cell x 216 = 90.72 L, / 0.40
    expect(p.cellsVolumeL).toBeCloseTo(90.72, 6);
    expect(p.volumeL).toBeCloseTo(226.8, 6);
    expect(p.specificEnergyWhPerKg).toBeCloseTo(49550.4 / (205.2 / 0.62), 6);
    // cost: 49.5504 kWh x (80 + 35) EUR/kWh
    expect(p.cellCostEur).toBeCloseTo(3964.032, 6);
    expect(p.costEur).toBeCloseTo(5698.296, 6);
    // R_pack = 1 mOhm x 108 / 2
    expect(p.resistanceOhm).toBeCloseTo(0.054, 9);
    expect(p.warnings).toEqual([]);
  });

  it('rounds the parallel count up: one Blade string at 400 V is short of 52 kWh usable', () => {
    const p = projectPack(blade, target({ usableEnergyKWh: 52, usableSocWindowPercent: [3, 97] }));
    // N_s = round(400 / 3.2) = 125; 125 x 3.65 = 456.25 V; string 54 kWh x 0.94 = 50.76 < 52
    expect([p.series, p.parallel]).toEqual([125, 2]);
    expect(p.nominalEnergyKWh).toBeCloseTo(108, 9);
    expect(p.massKg).toBeCloseTo((250 * 2.7) / 0.9, 6);
    expect(p.costEur).toBeNull();
    expect(p.resistanceOhm).toBeNull();
  });

  it('uses the 800 V class: 234 Blade cells in series, one string', () => {
    const p = projectPack(
      blade,
      target({ voltageClass: 800, usableEnergyKWh: 90, usableSocWindowPercent: [3, 97] }),
    );
    // round(750 / 3.2) = 234; 234 x 3.65 = 854.1 V <= 900 V; 101.088 kWh x 0.94 = 95.02 kWh >= 90
    expect([p.series, p.parallel]).toEqual([234, 1]);
    expect(p.nominalEnergyKWh).toBeCloseTo(101.088, 9);
  });

  it('lowers the series count until the full pack voltage fits the class ceiling', () => {
    const sib: PackCell = { ...nmc, id: 'sib', nominalVoltageV: 3.1, maxVoltageV: 4.0, minVoltageV: 1.5 };
    const p = projectPack(sib, target());
    // round(400 / 3.1) = 129 -> 516 V > 470 V; floor(470 / 4.0) = 117 -> 468 V
    expect(p.series).toBe(117);
    expect(p.maxVoltageV).toBeCloseTo(468, 9);
    // 117 x 1.5 V = 175.5 V, below the 250 V assumed inverter minimum
    expect(p.warnings.some((w) => w.includes('176 V'))).toBe(true);
  });

  it('applies a programme override of the cell-to-pack ratio', () => {
    const p = projectPack(
      nmc,
      target({ cellToPack: { pouch: { gravimetric: 0.8, volumetric: 0.5, source: 't' } } }),
    );
    expect(p.massKg).toBeCloseTo(205.2 / 0.8, 6);
    expect(p.ratio.source).toBe('t');
    expect(CELL_TO_PACK.pouch.gravimetric).toBe(0.62);
  });

  it('computes cylinder volumes', () => {
    // 4680: pi x 23^2 x 80 mm^3
    expect(cellVolumeL({ diameter: 46, height: 80 })).toBeCloseTo((Math.PI * 529 * 80) / 1e6, 12);
  });

  it('rejects impossible cells and targets', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isDiscernError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => projectPack({ ...nmc, maxVoltageV: 500 }, target()))).toBe('DISCERN_BAD_ARGUMENT');
    expect(code(() => projectPack({ ...nmc, massKg: 0 }, target()))).toBe('DISCERN_BAD_ARGUMENT');
    expect(code(() => projectPack(nmc, target({ usableSocWindowPercent: [90, 10] })))).toBe(
      'DISCERN_BAD_ARGUMENT',
    );
    expect(code(() => chargeMapCell({ ...nmc, resistanceOhm: 0, fastCharge10to80Min: 0 }))).toBe(
      'DISCERN_BAD_ARGUMENT',
    );
  });
});

describe('derived charge map', () => {
  it('holds 0.7 x 60 / t as the plateau C-rate', () => {
    const c = chargeMapCell({ ...nmc, resistanceOhm: 0, fastCharge10to80Min: 21 });
    expect(c.chargeMap.cRate[0]![0]).toBeCloseTo(2, 12);
    expect(c.chargeMap.cRate[0]![1]).toBeCloseTo(2, 12);
    expect(c.ocv.y[2]).toBeCloseTo(3.7, 12); // OCV(50 %) = V_nom
    expect(c.ocv.y[3]).toBeLessThan(4.2);
  });
});

const unlimited: DcCharger = {
  id: 'unlimited',
  maxCurrentA: 1e6,
  maxPowerW: 1e9,
  maxVoltageV: 1000,
  minVoltageV: 0,
};

describe.skipIf(!haveFixtures)('pack in the vehicle (powertrain module)', () => {
  const file = fixture('vehicle/wltc_3b_fastsim.csv');
  const wltc = parseSpeedTrace(readFileSync(file, 'utf8'), { file, name: 'wltc3b' });
  const r5 = vehicleEntry('renault-5-52kwh').vehicle;

  it('gives the library vehicle range scaled by usable energy when the pack mass is the reference', () => {
    const base = projectPack(nmc, target());
    const p = projectPack(nmc, target(), {
      vehicle: r5,
      cycle: wltc,
      charger: unlimited,
      referencePackMassKg: base.massKg,
    });
    const ref = vehicleEnergy(r5, wltc);
    expect(p.range!.massDeltaKg).toBeCloseTo(0, 9);
    expect(p.range!.consumptionDcWhPerKm).toBeCloseTo(ref.consumptionDcWhPerKm, 9);
    // range = UBE / consumption (WLTP), UBE = the projected 44.595 kWh
    expect(p.range!.rangeKm).toBeCloseTo(44595.36 / ref.consumptionDcWhPerKm, 6);
  });

  it('charges the extra mass to rolling and inertia: +100 kg costs 2.5-7.6 Wh/km', () => {
    const base = projectPack(nmc, target());
    const drive = { vehicle: r5, cycle: wltc, charger: unlimited, referencePackMassKg: base.massKg - 100 };
    const p = projectPack(nmc, target(), drive);
    const ref = vehicleEnergy(r5, wltc).consumptionDcWhPerKm;
    const d = p.range!.consumptionDcWhPerKm - ref;
    // rolling: C_rr g dm / eta = 0.008 x 9.81 x 100 / 0.8672 / 3.6 = 2.51 Wh/km (lower bound);
    // plus at most the positive inertial work 0.1538 J/(kg m) x 1.03 x 100 / 0.8672 / 3.6 = 5.07 Wh/km
    expect(d).toBeGreaterThan(2.51);
    expect(d).toBeLessThan(2.52 + 5.08);
    expect(p.range!.testMassKg).toBeCloseTo(r5.testMassKg + 100, 9);
  });

  it('charges 10-80 % in the cell time when only the cell limits (window 0-100 %)', () => {
    const cell = { ...nmc, resistanceOhm: 0, fastCharge10to80Min: 25 };
    const p = projectPack(cell, target({ usableSocWindowPercent: [0, 100] }), {
      vehicle: r5,
      cycle: wltc,
      charger: unlimited,
      referencePackMassKg: 300,
    });
    expect(p.charge!.minutes).toBeCloseTo(25, 6);
    expect(p.charge!.limitShare).toEqual({ cell: 1 });
    // a 94 % window moves 70 % of the displayed SOC with 0.94 x 70 % of the charge
    const q = projectPack(cell, target({ usableSocWindowPercent: [3, 97] }), {
      vehicle: r5,
      cycle: wltc,
      charger: unlimited,
      referencePackMassKg: 300,
    });
    expect(q.charge!.minutes).toBeCloseTo(25 * 0.94, 6);
  });

  it('is held to the vehicle DC cap: never faster than 70 % of the usable energy at 100 kW', () => {
    const cell = { ...nmc, fastCharge10to80Min: 10 };
    const p = projectPack(cell, target(), {
      vehicle: r5,
      cycle: wltc,
      charger: unlimited,
      referencePackMassKg: 300,
      vehicleMaxPowerW: 100e3,
    });
    expect(p.charge!.peakPowerKw).toBeLessThanOrEqual(100 + 1e-6);
    expect(p.charge!.minutes).toBeGreaterThanOrEqual(((0.7 * p.usableEnergyKWh) / 100) * 60);
    expect(p.charge!.limitShare['vehicle-power']).toBeGreaterThan(0.5);
  });

  it('reports a pack the charger cannot take instead of failing', () => {
    const small: DcCharger = {
      id: 'ccs-500v',
      maxCurrentA: 125,
      maxPowerW: 50e3,
      maxVoltageV: 500,
      minVoltageV: 150,
    };
    const p = projectPack({ ...nmc, fastCharge10to80Min: 30 }, target({ voltageClass: 800 }), {
      vehicle: r5,
      cycle: wltc,
      charger: small,
      referencePackMassKg: 300,
    });
    expect(p.charge).toBeNull();
    expect(p.warnings.some((w) => w.includes('ccs-500v'))).toBe(true);
  });
});
