import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { DiscernError } from '../core/index.js';
import { OBSERVATION_KEYS } from './eucar.js';

/**
 * Abuse test types. `thermal_ramp` is the hot box / heating test, `forced_discharge` also covers
 * GB 38031's over-discharge, `crush` covers compression and UN 38.3 T.6 (impact/crush).
 */
export const ABUSE_TEST_TYPES = [
  'nail_penetration',
  'crush',
  'impact',
  'overcharge',
  'external_short',
  'forced_discharge',
  'internal_short',
  'thermal_ramp',
  'thermal_propagation',
  'thermal_cycling',
  'altitude',
  'vibration',
  'shock',
] as const;
export type AbuseTestType = (typeof ABUSE_TEST_TYPES)[number];

/** What was tested: one cell, a module or a pack/system. */
export const ABUSE_LEVELS = ['cell', 'module', 'pack'] as const;

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');
const positive = z.number().positive();
const nonNegative = z.number().min(0);
const date = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
  z.date().transform((d) => d.toISOString().slice(0, 10)),
]);

const conditionsSchema = z
  .object({
    soc_pct: z.number().min(0).max(200).optional(),
    temperature_degC: z.number().optional(),
    c_rate: positive.optional(),
    current_A: positive.optional(),
    force_kN: positive.optional(),
    deformation_pct: z.number().gt(0).max(100).optional(),
    nail_diameter_mm: positive.optional(),
    nail_speed_mm_per_s: positive.optional(),
    short_resistance_mOhm: positive.optional(),
    heating_rate_degC_per_min: positive.optional(),
    hold_temperature_degC: z.number().optional(),
    hold_s: positive.optional(),
    charge_limit_V: positive.optional(),
  })
  .strict();

const observationsSchema = z
  .object(
    Object.fromEntries(OBSERVATION_KEYS.map((k) => [k, z.boolean().optional()])) as Record<
      (typeof OBSERVATION_KEYS)[number],
      z.ZodOptional<z.ZodBoolean>
    >,
  )
  .strict();

const resultsSchema = z
  .object({
    max_temperature_degC: z.number().optional(),
    ocv_before_V: nonNegative.optional(),
    ocv_after_V: nonNegative.optional(),
    mass_before_g: positive.optional(),
    mass_after_g: nonNegative.optional(),
    electrolyte_mass_g: positive.optional(),
    mass_loss_pct: z.number().min(0).max(100).optional(),
    observation_s: positive.optional(),
    warning_delay_s: nonNegative.optional(),
  })
  .strict();

/** The zod schema of one abuse test record (docs/methods/abuse.md). */
export const abuseRecordSchema = z
  .object({
    sample: id,
    cell_model: id.optional(),
    test_type: z.enum(ABUSE_TEST_TYPES),
    level: z.enum(ABUSE_LEVELS).default('cell'),
    date: date.optional(),
    lab: z.string().optional(),
    conditions: conditionsSchema.default({}),
    observations: observationsSchema.default({}),
    results: resultsSchema.default({}),
    eucar_level: z.number().int().min(0).max(7).optional(),
    attachments: z.array(z.string().min(1)).default([]),
    test: z.union([z.string().min(1), z.number().int().positive()]).optional(),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const m = r.results;
    if (m.mass_before_g !== undefined && m.mass_after_g !== undefined && m.mass_after_g > m.mass_before_g)
      ctx.addIssue({
        code: 'custom',
        path: ['results', 'mass_after_g'],
        message: 'mass_after_g is above mass_before_g',
      });
    if (m.mass_before_g !== undefined && m.mass_after_g !== undefined && m.mass_loss_pct !== undefined) {
      const derived = ((m.mass_before_g - m.mass_after_g) / m.mass_before_g) * 100;
      if (Math.abs(derived - m.mass_loss_pct) > 0.1)
        ctx.addIssue({
          code: 'custom',
          path: ['results', 'mass_loss_pct'],
          message: `mass_loss_pct ${m.mass_loss_pct} does not match the masses (${derived.toFixed(2)} %)`,
        });
    }
  });

/** A validated abuse test record (snake_case, units in the names). */
export type AbuseRecord = z.output<typeof abuseRecordSchema>;
/** An abuse test record as written (defaults not yet applied). */
export type AbuseRecordInput = z.input<typeof abuseRecordSchema>;

/**
 * Validates one record given as an object (CLI flags, HTTP body).
 * @throws DISCERN_BAD_INPUT naming the field at fault
 * @example validateAbuseRecord({ sample: 'S1', cell_model: 'M1', test_type: 'nail_penetration' })
 */
export function validateAbuseRecord(value: unknown, file = 'record'): AbuseRecord {
  const parsed = abuseRecordSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new DiscernError('DISCERN_BAD_INPUT', `${where}${issue.message}`, { file });
}

/**
 * Parses abuse test records from YAML or JSON text: one record, a list of records, or
 * `{ records: [...] }`.
 * @throws DISCERN_BAD_INPUT with the file and the 1-based line of the fault
 * @example parseAbuseRecords(readFileSync('nail.yaml', 'utf8'), 'nail.yaml')
 */
export function parseAbuseRecords(text: string, file = 'records'): AbuseRecord[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    throw new DiscernError('DISCERN_BAD_INPUT', `not valid YAML/JSON: ${first.message.split('\n')[0]}`, {
      file,
      line: lineCounter.linePos(first.pos[0]).line,
    });
  }
  const raw: unknown = doc.toJS();
  const wrapped = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'records' in raw;
  const list: unknown[] = Array.isArray(raw)
    ? raw
    : wrapped
      ? ((raw as { records: unknown }).records as unknown[])
      : [raw];
  if (!Array.isArray(list) || list.length === 0)
    throw new DiscernError('DISCERN_BAD_INPUT', 'no abuse test record in the file', { file, line: 1 });
  const base: (string | number)[] = Array.isArray(raw) ? [] : wrapped ? ['records'] : [];
  return list.map((item, k) => {
    const parsed = abuseRecordSchema.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const path = [
      ...base,
      ...(Array.isArray(raw) || wrapped ? [k] : []),
      ...(issue.path as (string | number)[]),
    ];
    let line: number | undefined;
    for (let d = path.length; d >= 0 && line === undefined; d--) {
      const node = (d === 0 ? doc.contents : doc.getIn(path.slice(0, d), true)) as
        YamlNode | null | undefined;
      if (node?.range) line = lineCounter.linePos(node.range[0]).line;
    }
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new DiscernError(
      'DISCERN_BAD_INPUT',
      `${where}${issue.message}`,
      line !== undefined ? { file, line } : { file },
    );
  });
}
