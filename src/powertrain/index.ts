// Power electronics and vehicle energy: inverter losses and junction temperature, on-board charger,
// drive-cycle energy and range, DC fast-charge sessions. Pure functions (no node:*), browser-safe.
export type {
  FosterNetwork,
  IgbtModule,
  InverterOperatingPoint,
  JunctionTemperatures,
  Modulation,
  PowerModule,
  QuadraticEnergy,
  SicMosfetModule,
  SwitchPositionLosses,
  TemperatureCurve,
} from './inverter/types.js';
export { valueAt } from './inverter/temperature-curve.js';
export {
  acOutputPowerW,
  conductionCoefficients,
  dcLinkCapacitorRmsA,
  halfWaveSinePowerMean,
  maxModulationIndex,
  svpwmResistiveCorrection,
} from './inverter/modulation.js';
export { igbtSwitchLosses } from './inverter/igbt-losses.js';
export { sicSwitchLosses } from './inverter/sic-losses.js';
export {
  checkOperatingPoint,
  conversionEfficiency,
  inverterLosses,
  SWITCH_POSITIONS,
  switchPositionLosses,
} from './inverter/inverter-losses.js';
export type { InverterLossesOptions, InverterLossesResult } from './inverter/inverter-losses.js';
export { checkFosterNetwork, fosterImpedance, fosterResistance, fosterStep } from './inverter/foster.js';
export { inverterSteadyState } from './inverter/junction-steady-state.js';
export type {
  InverterSteadyStateOptions,
  InverterSteadyStateResult,
} from './inverter/junction-steady-state.js';
export { inverterThermalProfile } from './inverter/thermal-profile.js';
export type {
  InverterProfile,
  InverterThermalProfileOptions,
  InverterThermalProfileResult,
} from './inverter/thermal-profile.js';
export { machineOperatingPoint, rewindMachine } from './inverter/machine.js';
export type { MachineOperatingPoint, SynchronousMachine } from './inverter/machine.js';
export { efficiencyMap } from './inverter/efficiency-map.js';
export type { EfficiencyMapOptions, EfficiencyMapResult } from './inverter/efficiency-map.js';

export { parseSpeedTrace, resampleCycle } from './vehicle/drive-cycle.js';
export type { DriveCycle, ParseSpeedTraceOptions } from './vehicle/drive-cycle.js';
export { cycleSlice, driveCycleStats, WLTC3_PHASES } from './vehicle/cycle-stats.js';
export type { CycleStats } from './vehicle/cycle-stats.js';
export { AIR_DENSITY_KG_M3, GRAVITY_M_S2 } from './vehicle/types.js';
export type { RegenBlending, Vehicle } from './vehicle/types.js';
export { regenFraction, roadLoad } from './vehicle/road-load.js';
export type { RoadLoadOptions, RoadLoadResult } from './vehicle/road-load.js';
export { vehicleEnergy } from './vehicle/vehicle-energy.js';
export type { VehicleEnergyResult } from './vehicle/vehicle-energy.js';
export { electricDriveEnergy } from './vehicle/electric-drive.js';
export type { ElectricDriveOptions, ElectricDriveResult } from './vehicle/electric-drive.js';
export { compareInverters } from './vehicle/compare-inverters.js';
export type {
  CompareInvertersOptions,
  InverterComparisonRow,
  InverterVariant,
} from './vehicle/compare-inverters.js';

export { onBoardChargerCurve, onBoardChargerPoint } from './charger/onboard-charger.js';
export type { ChargerOperatingPoint, ConverterStage, OnBoardCharger } from './charger/onboard-charger.js';
export { acConsumption } from './charger/ac-consumption.js';
export type { AcConsumptionResult } from './charger/ac-consumption.js';
export { chargeMapCRate, fastChargeSession, interpolate } from './charger/fast-charge.js';
export type {
  ChargeLimit,
  Curve,
  DcCharger,
  FastChargeCell,
  FastChargeOptions,
  FastChargeResult,
  PackLayout,
} from './charger/fast-charge.js';

export { mergeEntries, SourcedEntry } from './library/sourced.js';
export type { LibraryEntryJson, SourcedValue } from './library/sourced.js';
export { parseDeviceEntry } from './library/parse-device.js';
export { parseVehicleEntry } from './library/parse-vehicle.js';
export type { VehicleEntry } from './library/parse-vehicle.js';
export { parseCellEntry, parseDcChargerEntry, parseOnBoardChargerEntry } from './library/parse-charger.js';
