import type { SynchronousMachine } from '../inverter/machine.js';
import type { Modulation, PowerModule } from '../inverter/types.js';
import type { DriveCycle } from './drive-cycle.js';
import { electricDriveEnergy } from './electric-drive.js';
import type { Vehicle } from './types.js';

/** One inverter configuration to compare: a module on a DC link driving a machine wound for that voltage. */
export interface InverterVariant {
  label: string;
  module: PowerModule;
  dcLinkVoltageV: number;
  machine: SynchronousMachine;
}

/** One row of the comparison. Energies in Wh, consumption in Wh/km, range in km. */
export interface InverterComparisonRow {
  label: string;
  module: string;
  moduleKind: string;
  dcLinkVoltageV: number;
  inverterLossWh: number;
  /** 1 − loss / converted energy over the cycle. */
  inverterCycleEfficiency: number;
  machineLossWh: number;
  consumptionDcWhPerKm: number;
  rangeKm: number;
  peakJunctionDegC: number;
  /** Against the first row, %. */
  consumptionChangePercent: number;
  rangeChangePercent: number;
}

/** Options of {@link compareInverters}. */
export interface CompareInvertersOptions {
  switchingFrequencyHz?: number;
  modulation?: Modulation;
  coolantDegC?: number;
}

/**
 * Runs the component model (gear, machine, inverter with junction temperatures) over a cycle for each
 * variant — typically Si IGBT and SiC MOSFET at 400 V and 800 V — and reports the inverter energy
 * loss, DC consumption and range, with changes relative to the first variant.
 * @throws DISCERN_BAD_ARGUMENT from the component model (missing machine data, invalid points).
 * @example compareInverters(r5, wltc, [si400, sic400, si800, sic800]).rows[1].rangeChangePercent
 */
export function compareInverters(
  vehicle: Vehicle,
  cycle: DriveCycle,
  variants: readonly InverterVariant[],
  options: CompareInvertersOptions = {},
): { vehicle: string; cycle: string; distanceKm: number; rows: InverterComparisonRow[] } {
  const rows: InverterComparisonRow[] = [];
  let distance = 0;
  for (const v of variants) {
    const r = electricDriveEnergy(vehicle, cycle, v.module, {
      dcLinkVoltageV: v.dcLinkVoltageV,
      machine: v.machine,
      ...(options.switchingFrequencyHz !== undefined
        ? { switchingFrequencyHz: options.switchingFrequencyHz }
        : {}),
      ...(options.modulation !== undefined ? { modulation: options.modulation } : {}),
      ...(options.coolantDegC !== undefined ? { coolantDegC: options.coolantDegC } : {}),
    });
    distance = r.distanceM / 1000;
    const first = rows[0];
    rows.push({
      label: v.label,
      module: v.module.id,
      moduleKind: v.module.kind,
      dcLinkVoltageV: v.dcLinkVoltageV,
      inverterLossWh: r.inverterLossJ / 3600,
      inverterCycleEfficiency: r.inverterThroughputJ > 0 ? 1 - r.inverterLossJ / r.inverterThroughputJ : NaN,
      machineLossWh: r.machineLossJ / 3600,
      consumptionDcWhPerKm: r.consumptionDcWhPerKm,
      rangeKm: r.rangeKm,
      peakJunctionDegC: r.peakJunctionDegC,
      consumptionChangePercent: first
        ? (100 * (r.consumptionDcWhPerKm - first.consumptionDcWhPerKm)) / first.consumptionDcWhPerKm
        : 0,
      rangeChangePercent: first ? (100 * (r.rangeKm - first.rangeKm)) / first.rangeKm : 0,
    });
  }
  return { vehicle: vehicle.id, cycle: cycle.name, distanceKm: distance, rows };
}
