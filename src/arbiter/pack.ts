import { DiscernError } from '../core/index.js';
import {
  fastChargeSession,
  vehicleEnergy,
  type ChargeLimit,
  type DcCharger,
  type DriveCycle,
  type Vehicle,
} from '../powertrain/index.js';
import { chargeMapCell } from './cell-charge-map.js';

/** Cell formats of the catalogue (docs/catalogue.md). */
export const CELL_FORMATS = ['cylindrical-21700', 'cylindrical-4680', 'prismatic', 'pouch', 'blade'] as const;
/** One cell format. */
export type CellFormat = (typeof CELL_FORMATS)[number];

/** Cell-to-pack ratios: cell mass / pack mass and cell volume / pack volume, with their source. */
export interface CellToPackRatio {
  gravimetric: number;
  volumetric: number;
  source: string;
}

/**
 * Default cell-to-pack ratios per format (docs/methods/ranking.md states the sources and the
 * research/powertrain.md §4.2 rows they come from). A programme can override them.
 */
export const CELL_TO_PACK: Readonly<Record<CellFormat, CellToPackRatio>> = {
  'cylindrical-21700': {
    gravimetric: 0.6,
    volumetric: 0.4,
    source:
      'module-based: Tesla Model 3 2170 pack 150-157 Wh/kg vs cell 265 Wh/kg (0.57-0.59), database average 0.62; traditional packs ~40 % volume',
  },
  'cylindrical-4680': {
    gravimetric: 0.7,
    volumetric: 0.5,
    source:
      'assumption: structural pack between module-based (0.60/0.40) and cell-to-pack (0.80/0.60); no published 4680 pack ratio found',
  },
  prismatic: {
    gravimetric: 0.8,
    volumetric: 0.55,
    source:
      'BMW i3 prismatic modules 84 % of pack mass; CTP 60-67 % and traditional ~40 % of pack volume: middle value',
  },
  pouch: {
    gravimetric: 0.62,
    volumetric: 0.4,
    source:
      'database average pack/cell Wh/kg 0.62; Peugeot e-208 pouch pack about 59 %; traditional packs ~40 % volume',
  },
  blade: {
    gravimetric: 0.9,
    volumetric: 0.62,
    source: 'BYD Han 2023 Blade: cells 515 of 575 kg (90 %); CTP 60-67 % of pack volume',
  },
};

/** Pack voltage windows of a voltage class, V. */
export interface VoltageClass {
  nominalV: number;
  maxV: number;
  minV: number;
}

/**
 * Voltage classes: 400 V (108 × 3.7 V NMC = 400 V nominal, 454 V full, as the Renault 5 / e-208
 * packs; 470 V ceiling) and 800 V (750 V nominal; 900 V ceiling below the 920 V of a 350 kW CCS
 * charger). `minV` is the lowest DC-link voltage assumed for the inverter (a warning only).
 */
export const VOLTAGE_CLASSES: Readonly<Record<400 | 800, VoltageClass>> = {
  400: { nominalV: 400, maxV: 470, minV: 250 },
  800: { nominalV: 750, maxV: 900, minV: 500 },
};

/** Cell dimensions, mm: a box or a cylinder. */
export type CellDimensions =
  { length: number; width: number; height: number } | { diameter: number; height: number };

/** Cell volume from its dimensions, litres (box L·W·H, cylinder π d²/4 · h). */
export function cellVolumeL(d: CellDimensions): number {
  const mm3 =
    'diameter' in d ? (Math.PI * d.diameter * d.diameter * d.height) / 4 : d.length * d.width * d.height;
  return mm3 / 1e6;
}

/** The cell data a pack projection needs. SI-ish units in the names. */
export interface PackCell {
  id: string;
  format: CellFormat;
  capacityAh: number;
  nominalVoltageV: number;
  maxVoltageV: number;
  minVoltageV: number;
  massKg: number;
  volumeL: number;
  costPerKWhEur?: number | undefined;
  /** DC resistance at 25 degC, Ohm. */
  resistanceOhm?: number | undefined;
  /** Cell-level 10-80 % fast-charge time, minutes. */
  fastCharge10to80Min?: number | undefined;
}

/** What the pack must deliver. */
export interface PackTarget {
  voltageClass: 400 | 800;
  usableEnergyKWh: number;
  /** Cell SOC window used (displayed 0-100 %), %. */
  usableSocWindowPercent: readonly [number, number];
  /** Pack-level cost on top of the cells (housing, BMS, thermal, assembly), EUR per nominal kWh. */
  packAdderEurPerKWh: number;
  cellToPack?: Partial<Record<CellFormat, CellToPackRatio>>;
  /** Replaces the class's voltage window. */
  voltage?: VoltageClass;
}

/** The vehicle side of the projection (powertrain module). */
export interface PackDrive {
  vehicle: Vehicle;
  cycle: DriveCycle;
  charger: DcCharger;
  /** Mass of the pack the vehicle's test mass includes, kg (the candidate's pack replaces it). */
  referencePackMassKg: number;
  /** Vehicle-side DC power cap, W. */
  vehicleMaxPowerW?: number;
}

/** Result of {@link projectPack}. */
export interface PackProjection {
  cell: string;
  series: number;
  parallel: number;
  cells: number;
  nominalVoltageV: number;
  maxVoltageV: number;
  minVoltageV: number;
  capacityAh: number;
  nominalEnergyKWh: number;
  usableEnergyKWh: number;
  cellsMassKg: number;
  massKg: number;
  cellsVolumeL: number;
  volumeL: number;
  specificEnergyWhPerKg: number;
  energyDensityWhPerL: number;
  ratio: CellToPackRatio;
  cellCostEur: number | null;
  costEur: number | null;
  resistanceOhm: number | null;
  range: {
    rangeKm: number;
    consumptionDcWhPerKm: number;
    testMassKg: number;
    massDeltaKg: number;
    cycle: string;
  } | null;
  charge: {
    minutes: number;
    meanPowerKw: number;
    peakPowerKw: number;
    charger: string;
    limitShare: Partial<Record<ChargeLimit, number>>;
  } | null;
  warnings: string[];
}

/**
 * Pack projection of a cell (docs/methods/ranking.md). Series count N_s = round(V_class,nom /
 * V_cell,nom), lowered until N_s·V_cell,max ≤ the class ceiling; parallel count N_p =
 * ceil(E_usable / (N_s·V_nom·Q·window)); energy, mass and volume through the format's cell-to-pack
 * ratios; cost = nominal kWh × (cell EUR/kWh + pack adder); R_pack = R_cell·N_s/N_p. With `drive`:
 * the WLTC range of the vehicle with this pack's usable energy and mass (test mass + pack mass −
 * reference pack mass; rotating-mass allowance scaled with it) and the 10-80 % DC session from a
 * charge map derived from the cell's fast-charge time (null without one).
 * @throws DISCERN_BAD_ARGUMENT for non-positive cell data or target, an invalid SOC window, or a
 * cell whose full voltage exceeds the class ceiling on its own.
 * @example projectPack(cell, { voltageClass: 400, usableEnergyKWh: 52, usableSocWindowPercent: [3, 97], packAdderEurPerKWh: 35 }).series
 */
export function projectPack(cell: PackCell, target: PackTarget, drive?: PackDrive): PackProjection {
  const bad = (m: string): never => {
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `cell ${cell.id}: ${m}`);
  };
  for (const [k, v] of [
    ['capacityAh', cell.capacityAh],
    ['nominalVoltageV', cell.nominalVoltageV],
    ['maxVoltageV', cell.maxVoltageV],
    ['massKg', cell.massKg],
    ['volumeL', cell.volumeL],
  ] as const) {
    if (!(v > 0 && Number.isFinite(v))) bad(`${k} must be > 0 (got ${v})`);
  }
  if (!(target.usableEnergyKWh > 0)) bad('usable energy target must be > 0 kWh');
  const [w0, w1] = target.usableSocWindowPercent;
  if (!(w0 >= 0 && w1 <= 100 && w1 > w0)) bad(`usable SOC window ${w0}-${w1} % is invalid`);
  const vc = target.voltage ?? VOLTAGE_CLASSES[target.voltageClass];
  const warnings: string[] = [];

  let series = Math.round(vc.nominalV / cell.nominalVoltageV);
  while (series > 0 && series * cell.maxVoltageV > vc.maxV) series--;
  if (series < 1) bad(`full voltage ${cell.maxVoltageV} V exceeds the ${vc.maxV} V ceiling`);
  if (series * cell.minVoltageV < vc.minV)
    warnings.push(
      `empty pack voltage ${(series * cell.minVoltageV).toFixed(0)} V is below the ${vc.minV} V assumed inverter minimum`,
    );
  const window = (w1 - w0) / 100;
  const stringWh = series * cell.nominalVoltageV * cell.capacityAh;
  const parallel = Math.ceil((target.usableEnergyKWh * 1000) / (stringWh * window) - 1e-9);
  const cells = series * parallel;
  const nominalEnergyKWh = (stringWh * parallel) / 1000;
  const ratio = target.cellToPack?.[cell.format] ?? CELL_TO_PACK[cell.format];
  if (!ratio) bad(`unknown format ${cell.format}`);
  if (!(ratio.gravimetric > 0 && ratio.gravimetric <= 1 && ratio.volumetric > 0 && ratio.volumetric <= 1))
    bad(`cell-to-pack ratios for ${cell.format} must be in (0, 1]`);
  const cellsMassKg = cells * cell.massKg;
  const massKg = cellsMassKg / ratio.gravimetric;
  const cellsVolumeL = cells * cell.volumeL;
  const volumeL = cellsVolumeL / ratio.volumetric;
  const cellCostEur = cell.costPerKWhEur !== undefined ? nominalEnergyKWh * cell.costPerKWhEur : null;
  const costEur = cellCostEur !== null ? cellCostEur + nominalEnergyKWh * target.packAdderEurPerKWh : null;
  const resistanceOhm =
    cell.resistanceOhm !== undefined && cell.resistanceOhm > 0
      ? (cell.resistanceOhm * series) / parallel
      : null;

  const out: PackProjection = {
    cell: cell.id,
    series,
    parallel,
    cells,
    nominalVoltageV: series * cell.nominalVoltageV,
    maxVoltageV: series * cell.maxVoltageV,
    minVoltageV: series * cell.minVoltageV,
    capacityAh: parallel * cell.capacityAh,
    nominalEnergyKWh,
    usableEnergyKWh: nominalEnergyKWh * window,
    cellsMassKg,
    massKg,
    cellsVolumeL,
    volumeL,
    specificEnergyWhPerKg: (nominalEnergyKWh * 1000) / massKg,
    energyDensityWhPerL: (nominalEnergyKWh * 1000) / volumeL,
    ratio,
    cellCostEur,
    costEur,
    resistanceOhm,
    range: null,
    charge: null,
    warnings,
  };
  if (!drive) return out;

  const v = drive.vehicle;
  const delta = massKg - drive.referencePackMassKg;
  const testMassKg = v.testMassKg + delta;
  if (!(testMassKg > 0)) bad(`vehicle test mass would be ${testMassKg} kg`);
  const moved: Vehicle = {
    ...v,
    testMassKg,
    rotatingMassKg: (v.rotatingMassKg * testMassKg) / v.testMassKg,
    usableEnergyWh: out.usableEnergyKWh * 1000,
    nominalVoltageV: out.nominalVoltageV,
  };
  const e = vehicleEnergy(moved, drive.cycle);
  out.range = {
    rangeKm: e.rangeKm,
    consumptionDcWhPerKm: e.consumptionDcWhPerKm,
    testMassKg,
    massDeltaKg: delta,
    cycle: e.cycle,
  };

  if (cell.fastCharge10to80Min !== undefined) {
    const fc = chargeMapCell({
      id: cell.id,
      capacityAh: cell.capacityAh,
      nominalVoltageV: cell.nominalVoltageV,
      maxVoltageV: cell.maxVoltageV,
      minVoltageV: cell.minVoltageV,
      resistanceOhm: cell.resistanceOhm ?? 0,
      fastCharge10to80Min: cell.fastCharge10to80Min,
    });
    let s: ReturnType<typeof fastChargeSession>;
    try {
      s = fastChargeSession(
        fc,
        { series, parallel, socWindowPercent: [w0, w1] },
        drive.charger,
        drive.vehicleMaxPowerW !== undefined ? { vehicleMaxPowerW: drive.vehicleMaxPowerW } : {},
      );
    } catch (err) {
      if (!(err instanceof DiscernError) || err.code !== 'DISCERN_BAD_ARGUMENT') throw err;
      warnings.push(`no DC fast-charge session on ${drive.charger.id}: ${err.message}`);
      return out;
    }
    out.charge = {
      minutes: s.durationS / 60,
      meanPowerKw: s.meanPowerW / 1000,
      peakPowerKw: s.peakPowerW / 1000,
      charger: s.charger,
      limitShare: s.limitShare,
    };
  } else {
    warnings.push('no fast-charge capability (claimed or measured): 10-80 % time not projected');
  }
  return out;
}
