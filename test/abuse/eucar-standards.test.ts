// EUCAR hazard levels on documented cases (one per level definition) and pass/fail per standard
// on constructed records. Expected values come from the level table (EUCAR / SAND2005-3123) and
// the criteria in docs/methods/abuse.md, not from our output.
import { describe, expect, it } from 'vitest';
import {
  EUCAR_LEVELS,
  evaluateAbuseRecord,
  eucarLevel,
  judgeStandards,
  parseAbuseRecords,
  unMassLossLimitPct,
  validateAbuseRecord,
  type AbuseRecordInput,
} from '../../src/arbiter/abuse.js';
import { isDiscernError } from '../../src/core/index.js';

const NONE = {
  protection_activated: false,
  damage: false,
  leakage: false,
  venting: false,
  smoke: false,
  fire: false,
  rupture: false,
  explosion: false,
};

function record(r: Partial<AbuseRecordInput>) {
  return validateAbuseRecord({ sample: 'S-1', cell_model: 'M-1', test_type: 'crush', ...r });
}

function verdict(r: ReturnType<typeof record>, standard: string): string | undefined {
  return judgeStandards(r).find((v) => v.standard === standard)?.verdict;
}

describe('EUCAR hazard levels', () => {
  it('has the eight levels 0-7 with their names', () => {
    expect(EUCAR_LEVELS.map((l) => l.level)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(EUCAR_LEVELS.map((l) => l.name)).toEqual([
      'No effect',
      'Passive protection activated',
      'Defect / damage',
      'Leakage, mass loss < 50 %',
      'Venting, mass loss >= 50 %',
      'Fire or flame',
      'Rupture',
      'Explosion',
    ]);
  });

  it.each([
    ['0: no effect', {}, undefined, 0],
    ['1: a CID opened, nothing else', { protection_activated: true }, undefined, 1],
    ['2: irreversible damage, no leakage', { protection_activated: true, damage: true }, undefined, 2],
    ['3: leakage, 20 % of the electrolyte lost', { damage: true, leakage: true }, 20, 3],
    ['4: venting', { leakage: true, venting: true }, 10, 4],
    ['4: leakage with 60 % of the electrolyte lost', { leakage: true }, 60, 4],
    ['4: smoke counts as venting', { smoke: true }, undefined, 4],
    ['5: fire with venting', { venting: true, smoke: true, fire: true }, 80, 5],
    ['6: rupture with fire', { venting: true, fire: true, rupture: true }, undefined, 6],
    ['7: explosion', { fire: true, rupture: true, explosion: true }, undefined, 7],
  ] as const)('%s', (_name, seen, lossPct, level) => {
    const d = eucarLevel({ ...NONE, ...seen }, lossPct);
    expect(d.level).toBe(level);
    expect(d.name).toBe(EUCAR_LEVELS[level]!.name);
    expect(d.complete).toBe(true);
  });

  it('marks a derivation from incomplete observations', () => {
    expect(eucarLevel({ venting: false }).complete).toBe(false);
    const e = evaluateAbuseRecord(record({ observations: { venting: false } }));
    expect(e.eucarLevel).toBe(0);
    expect(e.warnings.some((w) => /not recorded/.test(w))).toBe(true);
  });

  it('derives the electrolyte mass loss from the masses (70 g -> 64 g, 10 g electrolyte = 60 %)', () => {
    const e = evaluateAbuseRecord(
      record({
        observations: { ...NONE, leakage: true },
        results: {
          mass_before_g: 70,
          mass_after_g: 64,
          electrolyte_mass_g: 10,
          ocv_before_V: 4.1,
          ocv_after_V: 0.2,
        },
      }),
    );
    expect(e.electrolyteMassLossPct).toBeCloseTo(60, 12);
    expect(e.massLossPct).toBeCloseTo((6 / 70) * 100, 12);
    expect(e.voltageDropV).toBeCloseTo(3.9, 12);
    expect(e.eucarLevel).toBe(4);
    expect(e.eucarSource).toBe('derived');
  });

  it('keeps a given level but warns when it is below the observations', () => {
    const e = evaluateAbuseRecord(record({ observations: { ...NONE, fire: true }, eucar_level: 3 }));
    expect(e.eucarLevel).toBe(3);
    expect(e.eucarSource).toBe('given');
    expect(e.eucarDerived.level).toBe(5);
    expect(e.warnings).toHaveLength(1);
  });
});

describe('pass/fail per standard', () => {
  const short = (results: Record<string, number>, seen: Record<string, boolean> = {}) =>
    record({ test_type: 'external_short', observations: { ...NONE, ...seen }, results });

  it('UN 38.3 T.5: case <= 170 degC, no disassembly, rupture or fire, observed 6 h', () => {
    expect(verdict(short({ max_temperature_degC: 120, observation_s: 6 * 3600 }), 'UN 38.3')).toBe('pass');
    expect(verdict(short({ max_temperature_degC: 175, observation_s: 6 * 3600 }), 'UN 38.3')).toBe('fail');
    expect(verdict(short({ max_temperature_degC: 120, observation_s: 3600 }), 'UN 38.3')).toBe('incomplete');
    expect(
      verdict(short({ max_temperature_degC: 120, observation_s: 6 * 3600 }, { fire: true }), 'UN 38.3'),
    ).toBe('fail');
    expect(verdict(short({ observation_s: 6 * 3600 }), 'UN 38.3')).toBe('incomplete');
    expect(judgeStandards(short({})).find((v) => v.standard === 'UN 38.3')?.clause).toBe('T.5');
  });

  it('UN 38.3 T.1: mass loss within Table 38.3.1 and OCV >= 90 %', () => {
    expect([0.9, 1, 75, 75.1].map(unMassLossLimitPct)).toEqual([0.5, 0.2, 0.2, 0.1]);
    const alt = (after: number, ocvAfter: number) =>
      record({
        test_type: 'altitude',
        observations: NONE,
        results: { mass_before_g: 45, mass_after_g: after, ocv_before_V: 3.6, ocv_after_V: ocvAfter },
      });
    expect(verdict(alt(44.95, 3.3), 'UN 38.3')).toBe('pass'); // 0.111 % loss, 91.7 % OCV
    expect(verdict(alt(44.9, 3.3), 'UN 38.3')).toBe('fail'); // 0.222 % > 0.2 %
    expect(verdict(alt(44.95, 3.2), 'UN 38.3')).toBe('fail'); // 88.9 % < 90 %
  });

  it('nail penetration is in none of the four standards (EUCAR level only)', () => {
    const r = record({ test_type: 'nail_penetration', observations: { ...NONE, venting: true } });
    expect(judgeStandards(r).map((v) => v.verdict)).toEqual([
      'not-applicable',
      'not-applicable',
      'not-applicable',
      'not-applicable',
    ]);
    expect(evaluateAbuseRecord(r).eucarLevel).toBe(4);
  });

  it('IEC 62660-2 describes, IEC 62660-3 judges: no fire, no explosion', () => {
    const ok = record({ test_type: 'crush', observations: { ...NONE, venting: true } });
    expect(verdict(ok, 'IEC 62660-2')).toBe('reported');
    expect(verdict(ok, 'IEC 62660-3')).toBe('pass');
    expect(
      verdict(record({ test_type: 'crush', observations: { ...NONE, fire: true } }), 'IEC 62660-3'),
    ).toBe('fail');
    expect(verdict(record({ test_type: 'crush', observations: {} }), 'IEC 62660-3')).toBe('incomplete');
  });

  it('GB 38031-2025: cells no fire or explosion in 1 h; propagation warns within 5 min, observed 2 h', () => {
    const oc = (fire: boolean, s: number) =>
      record({ test_type: 'overcharge', observations: { ...NONE, fire }, results: { observation_s: s } });
    expect(verdict(oc(false, 3600), 'GB 38031-2025')).toBe('pass');
    expect(verdict(oc(true, 3600), 'GB 38031-2025')).toBe('fail');
    expect(verdict(oc(false, 1800), 'GB 38031-2025')).toBe('incomplete');
    const tp = (warning: number | undefined, seen: Record<string, boolean> = {}) =>
      record({
        test_type: 'thermal_propagation',
        level: 'pack',
        observations: { ...NONE, venting: true, smoke: true, ...seen },
        results: { observation_s: 9000, ...(warning !== undefined ? { warning_delay_s: warning } : {}) },
      });
    expect(verdict(tp(240), 'GB 38031-2025')).toBe('pass');
    expect(verdict(tp(400), 'GB 38031-2025')).toBe('fail');
    expect(verdict(tp(undefined), 'GB 38031-2025')).toBe('incomplete');
    expect(verdict(tp(240, { fire: true }), 'GB 38031-2025')).toBe('fail');
    expect(verdict(tp(240), 'UN 38.3')).toBe('not-applicable');
  });
});

describe('abuse record files', () => {
  const code = (fn: () => unknown): { code?: string; line?: number } => {
    try {
      fn();
    } catch (e) {
      if (isDiscernError(e)) return { code: e.code, ...(e.line !== undefined ? { line: e.line } : {}) };
    }
    return {};
  };

  it('reads one record, a list, or {records: [...]}', () => {
    const one = 'sample: S-1\ncell_model: M-1\ntest_type: nail_penetration\nconditions:\n  soc_pct: 100\n';
    expect(parseAbuseRecords(one)[0]!.conditions.soc_pct).toBe(100);
    const list =
      '- {sample: S-1, cell_model: M-1, test_type: crush}\n- {sample: S-2, cell_model: M-1, test_type: overcharge}\n';
    expect(parseAbuseRecords(list).map((r) => r.test_type)).toEqual(['crush', 'overcharge']);
    const wrapped = JSON.stringify({
      records: [{ sample: 'S-3', cell_model: 'M-2', test_type: 'external_short' }],
    });
    expect(parseAbuseRecords(wrapped)[0]!.level).toBe('cell');
  });

  it('points at the line of a bad field', () => {
    const text = 'sample: S-1\ncell_model: M-1\ntest_type: crush\nconditions:\n  force_kN: -3\n';
    expect(code(() => parseAbuseRecords(text, 'r.yaml'))).toEqual({ code: 'DISCERN_BAD_INPUT', line: 5 });
    const type = 'sample: S-1\ntest_type: drop\n';
    expect(code(() => parseAbuseRecords(type, 'r.yaml'))).toEqual({ code: 'DISCERN_BAD_INPUT', line: 2 });
    const masses =
      'sample: S-1\ntest_type: crush\nresults:\n  mass_before_g: 70\n  mass_after_g: 63\n  mass_loss_pct: 5\n';
    expect(code(() => parseAbuseRecords(masses, 'r.yaml')).code).toBe('DISCERN_BAD_INPUT');
    expect(code(() => parseAbuseRecords('a: [', 'r.yaml')).code).toBe('DISCERN_BAD_INPUT');
  });
});
