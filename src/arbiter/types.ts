import type { CatalogueClaim } from './catalogue-schema.js';
import type { TestDigest } from './test-digest.js';

/** A cell model as the arbiter sees it (datasheet values, SI units in the names). */
export interface CellModelInfo {
  id: string;
  supplier: string;
  supplierName: string;
  chemistry: string;
  format: string;
  nominalCapacityAh: number;
  nominalVoltageV: number;
  voltageMinV: number;
  voltageMaxV: number;
  massKg: number | null;
  /** Volume from the datasheet dimensions (box or cylinder), L. */
  volumeL: number | null;
  costPerKWhEur: number | null;
}

/** A datasheet claim of a cell model (as in the catalogue file). */
export type ClaimRecord = CatalogueClaim;

/** A sample of a cell model, with its measured mass when the catalogue has one. */
export interface SampleInfo {
  serial: string;
  batch: string | null;
  state: string;
  /** Measured mass (sample_measurements quantity "mass"), kg. */
  massKg: number | null;
}

/** Everything the arbiter knows about one cell model. */
export interface ModelEvidence {
  model: CellModelInfo;
  claims: ClaimRecord[];
  samples: SampleInfo[];
  /** Digests of the stored tests linked to the model's samples. */
  tests: TestDigest[];
}
