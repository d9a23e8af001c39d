import type { SynchronousMachine } from '../inverter/machine.js';
import type { PackLayout } from '../charger/fast-charge.js';
import type { Vehicle } from '../vehicle/types.js';
import { mergeEntries, SourcedEntry, type LibraryEntryJson } from './sourced.js';

/** A vehicle of the library with its pack (for fast charging) and the published figures it is checked against. */
export interface VehicleEntry {
  vehicle: Vehicle;
  /** Cell id, layout and the vehicle's DC power cap, when the entry describes its pack. */
  pack?: { cell: string; cellCapacityAh?: number; layout: PackLayout; maxDcChargePowerW: number };
  /** Published figures (`published.*` keys), e.g. wltpRangeKm, usableEnergyKWh. */
  published: Record<string, number>;
  /** Which values come from the shared calibration. */
  calibrated: string[];
}

/**
 * A vehicle of the library (src/powertrain/library/vehicles/*.json). Values the entry does not give
 * come from the calibration entry (library/calibration.json), the one place the calibrated
 * drivetrain parameters are stated (docs/methods/vehicle-calibration.md).
 * @throws DISCERN_PARSE_BAD_HEADER, DISCERN_PARSE_BAD_VALUE, DISCERN_MISSING_COLUMN, DISCERN_UNKNOWN_COLUMN.
 * @example parseVehicleEntry(vehicleJson, 'renault-5-52kwh.json', calibrationJson).vehicle.testMassKg
 */
export function parseVehicleEntry(json: unknown, file: string, calibration?: unknown): VehicleEntry {
  const own = new SourcedEntry(json, file, 'vehicle');
  let merged = json as LibraryEntryJson;
  let calibrated: string[] = [];
  if (calibration !== undefined) {
    checkEntry(calibration, 'calibration.json', 'calibration');
    const calJson = calibration as LibraryEntryJson;
    merged = mergeEntries(json as LibraryEntryJson, calJson);
    calibrated = Object.keys(calJson.values).filter((k) => !own.has(k));
  }
  const e = new SourcedEntry(merged, file, 'vehicle');
  // test mass: stated, or mass in running order + the calibration's WLTP additions
  const testMassKg = e.has('testMassKg')
    ? e.num('testMassKg')
    : e.num('massInRunningOrderKg') + e.num('testMassAddedKg');
  e.markUsed('testMassAddedKg');
  e.markUsed('massInRunningOrderKg');
  const rotating = e.has('rotatingMassKg')
    ? e.num('rotatingMassKg')
    : testMassKg * e.num('rotatingMassFraction');
  e.markUsed('rotatingMassFraction');
  const machine: SynchronousMachine | undefined = e.has('machine.polePairs')
    ? {
        polePairs: e.num('machine.polePairs'),
        fluxLinkageVs: e.num('machine.fluxLinkageVs'),
        phaseResistanceOhm: e.num('machine.phaseResistanceOhm'),
        inductanceH: e.num('machine.inductanceH'),
        maxCurrentRmsA: e.num('machine.maxCurrentRmsA'),
        maxSpeedRpm: e.num('machine.maxSpeedRpm'),
        maxPowerW: e.num('machine.maxPowerW'),
        ironLossHysteresis: e.num('machine.ironLossHysteresis'),
        ironLossEddy: e.num('machine.ironLossEddy'),
      }
    : undefined;
  const vehicle: Vehicle = {
    id: e.id,
    name: e.name,
    testMassKg,
    rotatingMassKg: rotating,
    dragAreaM2: e.has('dragAreaM2') ? e.num('dragAreaM2') : e.num('dragCoefficient') * e.num('frontalAreaM2'),
    rollingResistance: e.num('rollingResistance'),
    tractionEfficiency: e.num('drive.tractionEfficiency'),
    regenEfficiency: e.num('drive.regenEfficiency'),
    regen: { maxFraction: e.num('regen.maxFraction'), a: e.num('regen.a'), bPerMph: e.num('regen.bPerMph') },
    maxTractionPowerW: e.num('maxTractionPowerW'),
    maxRegenPowerW: e.num('maxRegenPowerW'),
    auxPowerW: e.num('auxPowerW'),
    usableEnergyWh: e.num('usableEnergyWh'),
    nominalVoltageV: e.num('nominalVoltageV'),
    batteryRoundTripEfficiency: e.num('batteryRoundTripEfficiency'),
    chargingAuxPowerW: e.num('chargingAuxPowerW'),
    ...(e.has('onBoardCharger') ? { onBoardChargerId: e.str('onBoardCharger') } : {}),
    wheelRadiusM: e.num('wheelRadiusM'),
    gearRatio: e.num('gearRatio'),
    gearEfficiency: e.num('gearEfficiency'),
    ...(machine ? { machine } : {}),
  };
  if (e.has('dragAreaM2')) {
    e.markUsed('dragCoefficient');
    e.markUsed('frontalAreaM2');
  }
  const pack = e.has('pack.cell')
    ? {
        cell: e.str('pack.cell'),
        ...(e.has('pack.cellCapacityAh') ? { cellCapacityAh: e.num('pack.cellCapacityAh') } : {}),
        layout: {
          series: e.num('pack.series'),
          parallel: e.num('pack.parallel'),
          ...(e.has('pack.socWindowPercent')
            ? { socWindowPercent: pair(e.nums('pack.socWindowPercent')) }
            : {}),
        },
        maxDcChargePowerW: e.num('pack.maxDcChargePowerW'),
      }
    : undefined;
  const published: Record<string, number> = {};
  for (const c of e.citations()) {
    if (c.key.startsWith('published.') && typeof c.value === 'number')
      published[c.key.slice('published.'.length)] = c.value;
  }
  e.markUsed('published.');
  e.markUsed('info.');
  e.finish();
  return { vehicle, ...(pack ? { pack } : {}), published, calibrated };
}

function checkEntry(json: unknown, file: string, kind: string): void {
  new SourcedEntry(json, file, kind);
}

function pair(a: number[]): readonly [number, number] {
  return [a[0] ?? 0, a[1] ?? 100];
}
