import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseCellEntry,
  parseDcChargerEntry,
  parseDeviceEntry,
  parseOnBoardChargerEntry,
  parseVehicleEntry,
  type DcCharger,
  type FastChargeCell,
  type OnBoardCharger,
  type PowerModule,
  type VehicleEntry,
} from '../../src/powertrain/index.js';

/** The JSON library shipped in src/powertrain/library. */
export const LIBRARY = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/powertrain/library');

export function libraryJson(rel: string): unknown {
  return JSON.parse(readFileSync(join(LIBRARY, rel), 'utf8')) as unknown;
}
export const device = (id: string): PowerModule =>
  parseDeviceEntry(libraryJson(`devices/${id}.json`), `${id}.json`);
export const vehicleEntry = (id: string): VehicleEntry =>
  parseVehicleEntry(libraryJson(`vehicles/${id}.json`), `${id}.json`, libraryJson('calibration.json'));
export const cell = (id: string): FastChargeCell =>
  parseCellEntry(libraryJson(`cells/${id}.json`), `${id}.json`);
export const dcCharger = (id: string): DcCharger =>
  parseDcChargerEntry(libraryJson(`chargers/${id}.json`), `${id}.json`);
export const obc = (id: string): OnBoardCharger =>
  parseOnBoardChargerEntry(libraryJson(`chargers/${id}.json`), `${id}.json`);
