export { generateLab } from './generate.js';
export type {
  GenerateLabOptions,
  LabCatalogue,
  LabFile,
  LabGroundTruth,
  LabProtocol,
  VirtualLab,
} from './generate.js';
export { LAB_MODELS, LAB_SUPPLIERS } from './lab-spec.js';
export type { ClaimPlan, LabClaimKind, LabFormat, LabModelSpec, LabSupplierSpec } from './lab-spec.js';
export type { CatalogueClaim, ClaimTruth, ModelTruthValues } from './claims.js';
export { buildClaim } from './claims.js';
export { VIRTUAL_CHEMISTRIES, coldAccessFraction } from './chemistries.js';
export type { VirtualChemistry, VirtualChemistryId } from './chemistries.js';
export { drawCell } from './cell.js';
export type { CellModelTruth, VirtualCell } from './cell.js';
export { ocvModel, chen2020Graphite, chen2020Nmc811, prada2013Lfp } from './ocv.js';
export type { OcvModelId } from './ocv.js';
export {
  gasperLfpLaw,
  kokamNmcLaw,
  powerLaw,
  cyclesToLoss,
  calendarLoss,
  DEFAULT_CALENDAR,
} from './ageing.js';
export type { AgeingLaw, CalendarTerm, CyclingStress } from './ageing.js';
export { labRandom } from './rng.js';
export type { LabRandom } from './rng.js';
export { runProtocol, theveninResistances, pulseResistance } from './simulate.js';
export type { ProtocolStep, RunOptions } from './simulate.js';
export type { RecordTable } from './records.js';
export { cycleTotals, cyclesToThreshold, minutes10To80 } from './measure.js';
export type { CycleTotals } from './measure.js';
export * from './protocols.js';
export { writeArbinCsv } from './writers/arbin-csv.js';
export { writeMaccorAscii } from './writers/maccor-ascii.js';
export { writeNewareCsv } from './writers/neware-csv.js';
export { writeBiologicMpt } from './writers/biologic-mpt.js';
export type { WriteContext } from './writers/clock.js';
