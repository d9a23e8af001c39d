import type { AbuseRecord, AbuseTestType } from './abuse-record.js';
import type { AbuseObservations } from './eucar.js';

/** The outcome of one criterion: 'unknown' when the record lacks what it needs. */
export type CriterionResult = 'pass' | 'fail' | 'unknown';

/** One pass criterion of a standard's test, as data: its text and how a record is checked. */
export interface AbuseCriterion {
  readonly id: string;
  readonly text: string;
  readonly check: (r: AbuseRecord) => CriterionResult;
}

/** A standard's test clause that applies to one test type. */
export interface AbuseClause {
  readonly clause: string;
  readonly title: string;
  readonly criteria: readonly AbuseCriterion[];
}

/** A standard: which of our test types it covers, and with which criteria. */
export interface AbuseStandard {
  readonly id: 'UN 38.3' | 'IEC 62660-2' | 'IEC 62660-3' | 'GB 38031-2025';
  readonly title: string;
  /** True when the standard only describes results and sets no pass/fail. */
  readonly reportOnly: boolean;
  readonly clauses: Readonly<Partial<Record<AbuseTestType, AbuseClause>>>;
}

const no = (key: keyof AbuseObservations, text: string): AbuseCriterion => ({
  id: `no_${key}`,
  text,
  check: (r) => (r.observations[key] === undefined ? 'unknown' : r.observations[key] ? 'fail' : 'pass'),
});
/** UN 38.3 "disassembly" is solid matter thrown out: our rupture (flying parts) or explosion. */
const noDisassembly: AbuseCriterion = {
  id: 'no_disassembly',
  text: 'no disassembly (no rupture with flying parts, no explosion)',
  check: (r) => {
    const { rupture, explosion } = r.observations;
    if (rupture === true || explosion === true) return 'fail';
    return rupture === false && explosion === false ? 'pass' : 'unknown';
  },
};
const noFire = no('fire', 'no fire');
const noExplosion = no('explosion', 'no explosion');
const observedFor = (s: number, text: string): AbuseCriterion => ({
  id: `observed_${s}_s`,
  text,
  check: (r) =>
    r.results.observation_s === undefined ? 'unknown' : r.results.observation_s >= s ? 'pass' : 'unknown',
});
const caseAtMost = (degC: number): AbuseCriterion => ({
  id: `case_max_${degC}_degC`,
  text: `external case temperature does not exceed ${degC} degC`,
  check: (r) =>
    r.results.max_temperature_degC === undefined
      ? 'unknown'
      : r.results.max_temperature_degC <= degC
        ? 'pass'
        : 'fail',
});
/** UN 38.3 mass loss limits (Table 38.3.1): 0.5 % below 1 g, 0.2 % up to 75 g, 0.1 % above. */
export function unMassLossLimitPct(massG: number): number {
  return massG < 1 ? 0.5 : massG <= 75 ? 0.2 : 0.1;
}
const unMassLoss: AbuseCriterion = {
  id: 'mass_loss_within_limit',
  text: 'no mass loss beyond the limit of Table 38.3.1 (0.5 % < 1 g, 0.2 % 1-75 g, 0.1 % > 75 g)',
  check: (r) => {
    const { mass_before_g: before, mass_after_g: after, mass_loss_pct: given } = r.results;
    if (before === undefined) return 'unknown';
    const loss = after !== undefined ? ((before - after) / before) * 100 : given;
    if (loss === undefined) return 'unknown';
    return loss <= unMassLossLimitPct(before) ? 'pass' : 'fail';
  },
};
const ocvRetained: AbuseCriterion = {
  id: 'ocv_at_least_90_pct',
  text: 'open-circuit voltage after the test at least 90 % of the voltage before',
  check: (r) => {
    const { ocv_before_V: before, ocv_after_V: after } = r.results;
    if (before === undefined || after === undefined) return 'unknown';
    return after >= 0.9 * before ? 'pass' : 'fail';
  },
};
const warningWithin = (s: number): AbuseCriterion => ({
  id: `warning_within_${s}_s`,
  text: `thermal-event warning signal within ${s / 60} min of the thermal runaway`,
  check: (r) =>
    r.results.warning_delay_s === undefined ? 'unknown' : r.results.warning_delay_s <= s ? 'pass' : 'fail',
});

const unT1toT4 = (clause: string, title: string): AbuseClause => ({
  clause,
  title,
  criteria: [
    no('leakage', 'no leakage'),
    no('venting', 'no venting'),
    noDisassembly,
    no('rupture', 'no rupture'),
    noFire,
    unMassLoss,
    ocvRetained,
  ],
});
const SIX_H = 6 * 3600;
const SEVEN_D = 7 * 86400;

/** UN Manual of Tests and Criteria, section 38.3 (transport of lithium and sodium ion cells). */
export const UN_38_3: AbuseStandard = {
  id: 'UN 38.3',
  title: 'UN Manual of Tests and Criteria, 38.3 (transport)',
  reportOnly: false,
  clauses: {
    altitude: unT1toT4('T.1', 'Altitude simulation'),
    thermal_cycling: unT1toT4('T.2', 'Thermal test'),
    vibration: unT1toT4('T.3', 'Vibration'),
    shock: unT1toT4('T.4', 'Shock'),
    external_short: {
      clause: 'T.5',
      title: 'External short circuit',
      criteria: [
        caseAtMost(170),
        noDisassembly,
        no('rupture', 'no rupture'),
        noFire,
        observedFor(SIX_H, 'observed for 6 h'),
      ],
    },
    crush: {
      clause: 'T.6',
      title: 'Impact / crush',
      criteria: [caseAtMost(170), noDisassembly, noFire, observedFor(SIX_H, 'observed for 6 h')],
    },
    impact: {
      clause: 'T.6',
      title: 'Impact / crush',
      criteria: [caseAtMost(170), noDisassembly, noFire, observedFor(SIX_H, 'observed for 6 h')],
    },
    overcharge: {
      clause: 'T.7',
      title: 'Overcharge (batteries)',
      criteria: [noDisassembly, noFire, observedFor(SEVEN_D, 'observed for 7 days')],
    },
    forced_discharge: {
      clause: 'T.8',
      title: 'Forced discharge',
      criteria: [noDisassembly, noFire, observedFor(SEVEN_D, 'observed for 7 days')],
    },
  },
};

const iecNoFireNoExplosion = (clause: string, title: string): AbuseClause => ({
  clause,
  title,
  criteria: [noFire, noExplosion],
});

/** IEC 62660-2: reliability and abuse tests; results are described, not judged. */
export const IEC_62660_2: AbuseStandard = {
  id: 'IEC 62660-2',
  title: 'IEC 62660-2:2018 reliability and abuse testing (results described, no pass/fail)',
  reportOnly: true,
  clauses: {
    vibration: { clause: '6.2.1', title: 'Vibration', criteria: [] },
    shock: { clause: '6.2.2', title: 'Mechanical shock', criteria: [] },
    crush: { clause: '6.2.3', title: 'Crush', criteria: [] },
    thermal_ramp: { clause: '6.3.1', title: 'High temperature endurance', criteria: [] },
    thermal_cycling: { clause: '6.3.2', title: 'Temperature cycling', criteria: [] },
    external_short: { clause: '6.4.1', title: 'External short circuit', criteria: [] },
    overcharge: { clause: '6.4.2', title: 'Overcharge', criteria: [] },
    forced_discharge: { clause: '6.4.3', title: 'Forced discharge', criteria: [] },
  },
};

/** IEC 62660-3: safety requirements (pass = no fire, no explosion) for the 62660-2 tests. */
export const IEC_62660_3: AbuseStandard = {
  id: 'IEC 62660-3',
  title: 'IEC 62660-3:2016 safety requirements',
  reportOnly: false,
  clauses: {
    crush: iecNoFireNoExplosion('6.2.3', 'Crush'),
    thermal_ramp: iecNoFireNoExplosion('6.3.1', 'High temperature endurance'),
    external_short: iecNoFireNoExplosion('6.4.1', 'External short circuit'),
    overcharge: iecNoFireNoExplosion('6.4.2', 'Overcharge'),
    forced_discharge: iecNoFireNoExplosion('6.4.3', 'Forced discharge'),
    internal_short: iecNoFireNoExplosion('6.4.4', 'Internal short circuit'),
  },
};

const ONE_H = 3600;
const gbCell = (clause: string, title: string): AbuseClause => ({
  clause,
  title,
  criteria: [noFire, noExplosion, observedFor(ONE_H, 'observed for 1 h')],
});

/** GB 38031-2025 (China, mandatory from 2026-07-01): cell tests and pack thermal propagation. */
export const GB_38031_2025: AbuseStandard = {
  id: 'GB 38031-2025',
  title: 'GB 38031-2025 safety requirements for EV traction batteries',
  reportOnly: false,
  clauses: {
    forced_discharge: gbCell('8.1.2', 'Over-discharge'),
    overcharge: gbCell('8.1.3', 'Overcharge'),
    external_short: gbCell('8.1.4', 'External short circuit'),
    thermal_ramp: gbCell('8.1.5', 'Heating'),
    thermal_cycling: gbCell('8.1.6', 'Temperature cycling'),
    crush: gbCell('8.1.7', 'Compression'),
    thermal_propagation: {
      clause: '8.2.7',
      title: 'Thermal propagation',
      criteria: [
        noFire,
        noExplosion,
        warningWithin(300),
        observedFor(2 * ONE_H, 'observed for at least 2 h'),
      ],
    },
  },
};

/** The standards discern judges abuse records against. */
export const ABUSE_STANDARDS: readonly AbuseStandard[] = [UN_38_3, IEC_62660_2, IEC_62660_3, GB_38031_2025];

/** One criterion's outcome. */
export interface CriterionVerdict {
  id: string;
  text: string;
  result: CriterionResult;
}

/** A record judged against one standard. */
export interface StandardVerdict {
  standard: AbuseStandard['id'];
  clause: string | null;
  title: string | null;
  /** 'fail' if any criterion fails, 'pass' if all pass, else 'incomplete'; 'reported' for IEC 62660-2. */
  verdict: 'pass' | 'fail' | 'incomplete' | 'reported' | 'not-applicable';
  criteria: CriterionVerdict[];
}

/**
 * Judges a record against every standard in {@link ABUSE_STANDARDS} that has a clause for its
 * test type (the others give 'not-applicable').
 * @example judgeStandards(record).find((v) => v.standard === 'UN 38.3')?.verdict // 'pass'
 */
export function judgeStandards(record: AbuseRecord): StandardVerdict[] {
  return ABUSE_STANDARDS.map((s) => {
    const clause = s.clauses[record.test_type];
    if (clause === undefined)
      return { standard: s.id, clause: null, title: null, verdict: 'not-applicable', criteria: [] };
    const criteria = clause.criteria.map((c) => ({ id: c.id, text: c.text, result: c.check(record) }));
    const verdict: StandardVerdict['verdict'] = s.reportOnly
      ? 'reported'
      : criteria.some((c) => c.result === 'fail')
        ? 'fail'
        : criteria.every((c) => c.result === 'pass')
          ? 'pass'
          : 'incomplete';
    return { standard: s.id, clause: clause.clause, title: clause.title, verdict, criteria };
  });
}
