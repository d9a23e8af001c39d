import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscernError } from '../core/index.js';
import {
  acConsumption,
  compareInverters,
  driveCycleStats,
  efficiencyMap,
  electricDriveEnergy,
  fastChargeSession,
  inverterLosses,
  inverterSteadyState,
  onBoardChargerCurve,
  parseCellEntry,
  parseDcChargerEntry,
  parseDeviceEntry,
  parseOnBoardChargerEntry,
  parseSpeedTrace,
  parseVehicleEntry,
  resampleCycle,
  rewindMachine,
  SourcedEntry,
  vehicleEnergy,
  type DcCharger,
  type DriveCycle,
  type FastChargeCell,
  type FastChargeResult,
  type InverterOperatingPoint,
  type Modulation,
  type OnBoardCharger,
  type PackLayout,
  type PowerModule,
  type VehicleEntry,
} from '../powertrain/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The powertrain library folder (JSON): DISCERN_POWERTRAIN_LIBRARY, else src/powertrain/library
 * beside this file (tsx) or in the package source (built dist/).
 */
export function powertrainLibraryDir(): string {
  const candidates = [
    process.env['DISCERN_POWERTRAIN_LIBRARY'],
    resolve(here, '../powertrain/library'),
    resolve(here, '../../src/powertrain/library'),
  ].filter((p): p is string => p !== undefined);
  for (const c of candidates) if (existsSync(join(c, 'calibration.json'))) return c;
  throw new DiscernError(
    'DISCERN_NOT_FOUND',
    `powertrain library not found (looked in ${candidates.join(', ')})`,
  );
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DiscernError(
      'DISCERN_IO',
      `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { file: path },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DiscernError(
      'DISCERN_PARSE_BAD_VALUE',
      `invalid JSON: ${e instanceof Error ? e.message : String(e)}`,
      { file: path },
    );
  }
}

/** Every JSON entry of one library sub-folder, by id. */
function entries(folder: string): Map<string, { json: unknown; file: string }> {
  const dir = join(powertrainLibraryDir(), folder);
  const out = new Map<string, { json: unknown; file: string }>();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    const json = readJson(file);
    const id = (json as { id?: unknown }).id;
    if (typeof id === 'string') out.set(id, { json, file });
  }
  return out;
}

function pick(folder: string, id: string, what: string, kind?: string): { json: unknown; file: string } {
  const all = entries(folder);
  const e = all.get(id);
  const ids = [...all.entries()]
    .filter(([, v]) => kind === undefined || (v.json as { kind?: string }).kind === kind)
    .map(([k]) => k);
  if (!e || (kind !== undefined && (e.json as { kind?: string }).kind !== kind)) {
    throw new DiscernError('DISCERN_NOT_FOUND', `no ${what} '${id}' (available: ${ids.join(', ')})`);
  }
  return e;
}

/** A power module of the device library. @throws DISCERN_NOT_FOUND, library parse errors */
export function loadDevice(id: string): PowerModule {
  const e = pick('devices', id, 'device');
  return parseDeviceEntry(e.json, e.file);
}

/** All power modules with their cited values. */
export function listDevices(): { module: PowerModule; citations: ReturnType<SourcedEntry['citations']> }[] {
  return [...entries('devices').values()].map((e) => ({
    module: parseDeviceEntry(e.json, e.file),
    citations: new SourcedEntry(e.json, e.file).citations(),
  }));
}

/** A vehicle of the library, with the shared calibration applied. @throws DISCERN_NOT_FOUND */
export function loadVehicle(id: string): VehicleEntry {
  const e = pick('vehicles', id, 'vehicle');
  return parseVehicleEntry(e.json, e.file, readJson(join(powertrainLibraryDir(), 'calibration.json')));
}

/** All vehicles of the library. */
export function listVehicles(): VehicleEntry[] {
  const cal = readJson(join(powertrainLibraryDir(), 'calibration.json'));
  return [...entries('vehicles').values()].map((e) => parseVehicleEntry(e.json, e.file, cal));
}

/** The shared calibration entry with its citations. */
export function loadCalibration(): ReturnType<SourcedEntry['citations']> {
  const file = join(powertrainLibraryDir(), 'calibration.json');
  return new SourcedEntry(readJson(file), file, 'calibration').citations();
}

/** A cell of the library. @throws DISCERN_NOT_FOUND */
export function loadCell(id: string): FastChargeCell {
  const e = pick('cells', id, 'cell');
  return parseCellEntry(e.json, e.file);
}

/** A DC charger of the library. @throws DISCERN_NOT_FOUND */
export function loadDcCharger(id: string): DcCharger {
  const e = pick('chargers', id, 'DC charger', 'dc-charger');
  return parseDcChargerEntry(e.json, e.file);
}

/** An on-board charger of the library. @throws DISCERN_NOT_FOUND */
export function loadOnBoardCharger(id: string): OnBoardCharger {
  const e = pick('chargers', id, 'on-board charger', 'onboard-charger');
  return parseOnBoardChargerEntry(e.json, e.file);
}

/** Ids of the DC and on-board chargers. */
export function listChargers(): { id: string; kind: string; name: string }[] {
  return [...entries('chargers').values()].map((e) => {
    const j = e.json as { id: string; kind: string; name: string };
    return { id: j.id, kind: j.kind, name: j.name };
  });
}

/** Where the shared fixtures are: DISCERN_FIXTURES, or ../shared/fixtures beside the repository. */
function fixturesDir(): string {
  return process.env['DISCERN_FIXTURES'] ?? resolve(here, '../../../shared/fixtures');
}

/** Built-in cycle names and the file each is read from. */
export const NAMED_CYCLES: Record<string, () => string> = {
  wltc3b: () => process.env['DISCERN_WLTC3B'] ?? join(fixturesDir(), 'vehicle/wltc_3b_fastsim.csv'),
};

/**
 * A drive cycle by name (`wltc3b`: the NREL FASTSim WLTC class 3b trace from the shared fixtures,
 * or DISCERN_WLTC3B) or from a CSV file (see parseSpeedTrace).
 * @throws DISCERN_NOT_FOUND when the file is missing; parse errors of parseSpeedTrace
 */
export function loadCycle(ref: string): DriveCycle {
  const named = NAMED_CYCLES[ref.toLowerCase()];
  const path = named ? named() : ref;
  if (!existsSync(path)) {
    throw new DiscernError(
      'DISCERN_NOT_FOUND',
      named
        ? `the ${ref} trace is read from ${path}, which does not exist (set DISCERN_FIXTURES or DISCERN_WLTC3B, or pass a CSV path)`
        : `no such cycle file: ${path}`,
      { file: path },
    );
  }
  return parseSpeedTrace(readFileSync(path, 'utf8'), {
    file: path,
    ...(named ? { name: ref.toLowerCase() } : {}),
  });
}

/** Inputs of {@link inverterLossesAt}. */
export interface InverterLossesRequest extends InverterOperatingPoint {
  device: string;
  /** Fixed junction temperature, degC; without it the steady state at `coolantDegC` is iterated. */
  junctionDegC?: number;
  coolantDegC?: number;
}

/** `discern inverter losses`: at a fixed Tj, or at the steady-state Tj with the loss/temperature iteration. */
export function inverterLossesAt(
  r: InverterLossesRequest,
): ReturnType<typeof inverterSteadyState> | ReturnType<typeof inverterLosses> {
  const module = loadDevice(r.device);
  const { device: _d, junctionDegC, coolantDegC, ...op } = r;
  if (junctionDegC !== undefined) return inverterLosses(module, op, junctionDegC);
  return inverterSteadyState(module, op, coolantDegC !== undefined ? { coolantDegC } : {});
}

/** `discern inverter map`: efficiency maps of a device driving a library vehicle's machine. */
export function inverterMap(r: {
  device: string;
  vehicle: string;
  dcLinkVoltageV?: number;
  switchingFrequencyHz: number;
  speedsRpm: number[];
  torquesNm: number[];
  modulation?: Modulation;
  coolantDegC?: number;
}): ReturnType<typeof efficiencyMap> {
  const module = loadDevice(r.device);
  const v = loadVehicle(r.vehicle).vehicle;
  if (!v.machine) throw new DiscernError('DISCERN_BAD_ARGUMENT', `vehicle ${v.id} has no machine data`);
  const vdc = r.dcLinkVoltageV ?? v.nominalVoltageV;
  const machine = rewindMachine(v.machine, vdc / v.nominalVoltageV);
  return efficiencyMap(module, machine, {
    dcLinkVoltageV: vdc,
    switchingFrequencyHz: r.switchingFrequencyHz,
    speedsRpm: r.speedsRpm,
    torquesNm: r.torquesNm,
    ...(r.modulation ? { modulation: r.modulation } : {}),
    ...(r.coolantDegC !== undefined ? { coolantDegC: r.coolantDegC } : {}),
  });
}

/**
 * `discern vehicle range`: consumption (DC and AC) and range over a cycle, with the calibrated
 * constant-efficiency model, or with `device` the component model at 10 Hz (`drive` holds its extras).
 * @throws DISCERN_NOT_FOUND for an unknown vehicle, device or cycle file
 */
export function vehicleRange(r: {
  vehicle: string;
  cycle: string;
  device?: string;
  dcLinkVoltageV?: number;
  acChargePowerW?: number;
}) {
  const entry = loadVehicle(r.vehicle);
  const v = entry.vehicle;
  const cycle = loadCycle(r.cycle);
  const stats = driveCycleStats(cycle);
  const drive =
    r.device === undefined
      ? undefined
      : electricDriveEnergy(v, resampleCycle(cycle, 0.1), loadDevice(r.device), {
          ...(r.dcLinkVoltageV !== undefined ? { dcLinkVoltageV: r.dcLinkVoltageV } : {}),
          ...(r.dcLinkVoltageV !== undefined && v.machine
            ? { machine: rewindMachine(v.machine, r.dcLinkVoltageV / v.nominalVoltageV) }
            : {}),
        });
  const energy = drive ?? vehicleEnergy(v, cycle);
  const ac = v.onBoardChargerId
    ? acConsumption(v, loadOnBoardCharger(v.onBoardChargerId), energy.consumptionDcWhPerKm, r.acChargePowerW)
    : undefined;
  return { entry, cycle, stats, energy, drive, ac };
}

/** `discern vehicle compare`: Si IGBT and SiC MOSFET at 400 V and 800 V on a cycle (10 Hz). */
export function compareSiSic(r: {
  vehicle: string;
  cycle: string;
  si400?: string;
  sic400?: string;
  si800?: string;
  sic800?: string;
  switchingFrequencyHz?: number;
}) {
  const v = loadVehicle(r.vehicle).vehicle;
  if (!v.machine) throw new DiscernError('DISCERN_BAD_ARGUMENT', `vehicle ${v.id} has no machine data`);
  const cycle = resampleCycle(loadCycle(r.cycle), 0.1);
  const at = (vdc: number) => rewindMachine(v.machine!, vdc / v.nominalVoltageV);
  const variants = [
    {
      label: 'Si IGBT 400 V',
      module: loadDevice(r.si400 ?? 'si-igbt-750v'),
      dcLinkVoltageV: 400,
      machine: at(400),
    },
    {
      label: 'SiC MOSFET 400 V',
      module: loadDevice(r.sic400 ?? 'infineon-fs03mr12a6ma1b'),
      dcLinkVoltageV: 400,
      machine: at(400),
    },
    {
      label: 'Si IGBT 800 V',
      module: loadDevice(r.si800 ?? 'si-igbt-1200v'),
      dcLinkVoltageV: 800,
      machine: at(800),
    },
    {
      label: 'SiC MOSFET 800 V',
      module: loadDevice(r.sic800 ?? 'infineon-fs03mr12a6ma1b'),
      dcLinkVoltageV: 800,
      machine: at(800),
    },
  ];
  return compareInverters(
    v,
    cycle,
    variants,
    r.switchingFrequencyHz !== undefined ? { switchingFrequencyHz: r.switchingFrequencyHz } : {},
  );
}

/** `discern charger efficiency`: an on-board charger's efficiency curves. */
export function chargerEfficiency(id: string, points = 10) {
  const c = loadOnBoardCharger(id);
  return {
    charger: c,
    charge: onBoardChargerCurve(c, 'charge', points),
    discharge: c.ratedDischargePowerW > 0 ? onBoardChargerCurve(c, 'discharge', points) : [],
  };
}

/** Inputs of {@link chargeSession}: a library vehicle's pack, or a cell and layout. */
export interface ChargeSessionRequest {
  vehicle?: string;
  cell?: string;
  cellCapacityAh?: number;
  series?: number;
  parallel?: number;
  socWindowPercent?: [number, number];
  charger: string;
  fromPercent?: number;
  toPercent?: number;
  vehicleMaxPowerW?: number;
  startTemperatureDegC?: number;
  /** '400' = the layout as given, '800' = twice the series cells and half the parallel strings, 'both'. */
  voltageClass?: '400' | '800' | 'both';
}

/**
 * `discern charge-session`: DC fast-charge sessions for the pack as given and/or its 800 V re-layout
 * (2·N_s, N_p/2: same cells, same energy).
 * @throws DISCERN_BAD_ARGUMENT when neither a vehicle nor a cell with a layout is given, or N_p is odd for '800'
 */
export function chargeSession(r: ChargeSessionRequest): { label: string; result: FastChargeResult }[] {
  let cellId = r.cell;
  let layout: PackLayout | undefined;
  let cap = r.cellCapacityAh;
  let maxPower = r.vehicleMaxPowerW;
  if (r.vehicle !== undefined) {
    const e = loadVehicle(r.vehicle);
    if (!e.pack)
      throw new DiscernError('DISCERN_BAD_ARGUMENT', `vehicle ${r.vehicle} has no pack description`);
    cellId ??= e.pack.cell;
    layout = e.pack.layout;
    cap ??= e.pack.cellCapacityAh;
    maxPower ??= e.pack.maxDcChargePowerW;
  }
  if (r.series !== undefined || r.parallel !== undefined) {
    if (r.series === undefined || r.parallel === undefined)
      throw new DiscernError('DISCERN_BAD_ARGUMENT', 'give both --series and --parallel');
    layout = {
      series: r.series,
      parallel: r.parallel,
      ...(layout?.socWindowPercent ? { socWindowPercent: layout.socWindowPercent } : {}),
    };
  }
  if (r.socWindowPercent && layout) layout = { ...layout, socWindowPercent: r.socWindowPercent };
  if (cellId === undefined || layout === undefined) {
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'give --vehicle, or --cell with --series and --parallel');
  }
  const base = loadCell(cellId);
  const cell =
    cap !== undefined
      ? {
          ...base,
          capacityAh: cap,
          ...(base.massKg ? { massKg: (base.massKg * cap) / base.capacityAh } : {}),
        }
      : base;
  const charger = loadDcCharger(r.charger);
  const options = {
    ...(r.fromPercent !== undefined ? { fromPercent: r.fromPercent } : {}),
    ...(r.toPercent !== undefined ? { toPercent: r.toPercent } : {}),
    ...(maxPower !== undefined ? { vehicleMaxPowerW: maxPower } : {}),
    ...(r.startTemperatureDegC !== undefined ? { startTemperatureDegC: r.startTemperatureDegC } : {}),
  };
  const cls = r.voltageClass ?? '400';
  const out: { label: string; result: FastChargeResult }[] = [];
  if (cls !== '800')
    out.push({
      label: `${layout.series}s${layout.parallel}p`,
      result: fastChargeSession(cell, layout, charger, options),
    });
  if (cls !== '400') {
    if (layout.parallel % 2 !== 0) {
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `cannot re-lay ${layout.series}s${layout.parallel}p for 800 V: the parallel count is odd`,
      );
    }
    const l800 = { ...layout, series: layout.series * 2, parallel: layout.parallel / 2 };
    out.push({
      label: `${l800.series}s${l800.parallel}p`,
      result: fastChargeSession(cell, l800, charger, options),
    });
  }
  return out;
}
