import type { AbuseRecord } from './abuse-record.js';
import { judgeStandards, type StandardVerdict } from './abuse-standards.js';
import { EUCAR_LEVELS, eucarLevel, type EucarDerivation } from './eucar.js';

/** An abuse record with everything derived from it. */
export interface AbuseEvaluation {
  /** The EUCAR level to report: the given one, else the derived one. */
  eucarLevel: number;
  eucarName: string;
  /** The EUCAR criteria text of that level. */
  eucarCriteria: string;
  eucarSource: 'given' | 'derived';
  /** The level the observations imply, with its reason. */
  eucarDerived: EucarDerivation;
  /** OCV before minus OCV after, V (null when either is missing). */
  voltageDropV: number | null;
  /** Mass lost, % of the cell mass (from the masses, else as given). */
  massLossPct: number | null;
  /** Mass lost, % of the electrolyte mass (needs the masses and the electrolyte mass). */
  electrolyteMassLossPct: number | null;
  standards: StandardVerdict[];
  /** Inconsistencies worth a look (e.g. a given EUCAR level below the observed one). */
  warnings: string[];
}

/**
 * Derives what an abuse test record implies: the EUCAR hazard level (given, or derived from the
 * observations; a given level below the derived one is kept but warned about), voltage drop, mass
 * loss, and pass/fail per standard (UN 38.3, IEC 62660-2/-3, GB 38031-2025). Pure.
 * @example evaluateAbuseRecord(validateAbuseRecord({ sample: 'S1', test_type: 'crush',
 *   observations: { fire: false, explosion: false } })).standards
 */
export function evaluateAbuseRecord(record: AbuseRecord): AbuseEvaluation {
  const r = record.results;
  const massLossPct =
    r.mass_before_g !== undefined && r.mass_after_g !== undefined
      ? ((r.mass_before_g - r.mass_after_g) / r.mass_before_g) * 100
      : (r.mass_loss_pct ?? null);
  const lostG =
    r.mass_before_g !== undefined && r.mass_after_g !== undefined
      ? r.mass_before_g - r.mass_after_g
      : r.mass_before_g !== undefined && r.mass_loss_pct !== undefined
        ? (r.mass_before_g * r.mass_loss_pct) / 100
        : undefined;
  const electrolyteMassLossPct =
    lostG !== undefined && r.electrolyte_mass_g !== undefined ? (lostG / r.electrolyte_mass_g) * 100 : null;
  const derived = eucarLevel(record.observations, electrolyteMassLossPct ?? undefined);
  const warnings: string[] = [];
  const given = record.eucar_level;
  if (given !== undefined && given < derived.level)
    warnings.push(
      `the given EUCAR level ${given} is below the level the observations imply (${derived.level}: ${derived.reason})`,
    );
  if (given === undefined && !derived.complete)
    warnings.push('some observations were not recorded; the derived EUCAR level may be too low');
  const level = given ?? derived.level;
  const def = EUCAR_LEVELS[level]!;
  return {
    eucarLevel: level,
    eucarName: def.name,
    eucarCriteria: def.criteria,
    eucarSource: given !== undefined ? 'given' : 'derived',
    eucarDerived: derived,
    voltageDropV:
      r.ocv_before_V !== undefined && r.ocv_after_V !== undefined ? r.ocv_before_V - r.ocv_after_V : null,
    massLossPct,
    electrolyteMassLossPct,
    standards: judgeStandards(record),
    warnings,
  };
}

export {
  ABUSE_LEVELS,
  ABUSE_TEST_TYPES,
  abuseRecordSchema,
  parseAbuseRecords,
  validateAbuseRecord,
} from './abuse-record.js';
export type { AbuseRecord, AbuseRecordInput, AbuseTestType } from './abuse-record.js';
export {
  ABUSE_STANDARDS,
  GB_38031_2025,
  IEC_62660_2,
  IEC_62660_3,
  UN_38_3,
  judgeStandards,
  unMassLossLimitPct,
} from './abuse-standards.js';
export type {
  AbuseClause,
  AbuseCriterion,
  AbuseStandard,
  CriterionResult,
  CriterionVerdict,
  StandardVerdict,
} from './abuse-standards.js';
export { EUCAR_LEVELS, OBSERVATION_KEYS, eucarLevel } from './eucar.js';
export type { AbuseObservations, EucarDerivation, EucarLevelDefinition } from './eucar.js';
