import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { DiscernError } from '../core/index.js';

/** Cell chemistries the catalogue knows. */
export const CHEMISTRIES = [
  'LFP',
  'LMFP',
  'NMC532',
  'NMC622',
  'NMC811',
  'NMC955',
  'NCA',
  'SIB',
  'semi-solid',
  'ASSB',
] as const;
/** Cell formats. */
export const CELL_FORMATS = ['cylindrical-21700', 'cylindrical-4680', 'prismatic', 'pouch', 'blade'] as const;
/** Kinds of datasheet claim. */
export const CLAIM_KINDS = [
  'capacity',
  'specific_energy',
  'energy_density',
  'dc_resistance',
  'cycle_life',
  'fast_charge_10_80',
  'low_temp_capacity',
  'power',
  'round_trip_efficiency',
  'calendar_life',
] as const;
/** Units a claim of each kind may be stated in (mOhm is an addition to the contract's Ohm). */
export const CLAIM_UNITS = {
  capacity: ['Ah'],
  specific_energy: ['Wh/kg'],
  energy_density: ['Wh/L'],
  dc_resistance: ['Ohm', 'mOhm'],
  cycle_life: ['cycles'],
  fast_charge_10_80: ['min'],
  low_temp_capacity: ['%', 'Ah'],
  power: ['W', 'W/kg'],
  round_trip_efficiency: ['%'],
  calendar_life: ['years'],
} as const satisfies Record<(typeof CLAIM_KINDS)[number], readonly string[]>;
/** Sample states. */
export const SAMPLE_STATES = ['received', 'in-test', 'finished', 'torn-down', 'scrapped'] as const;
/** Test protocols a catalogue links a stored test to. */
export const TEST_PROTOCOLS = [
  'capacity_check',
  'rate',
  'cycle_life',
  'hppc',
  'eis',
  'fast_charge',
  'low_temp',
  'gitt',
  'abuse',
  'other',
] as const;

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');
const positive = z.number().positive();
const date = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
  z.date().transform((d) => d.toISOString().slice(0, 10)),
]);

const conditionsSchema = z
  .object({
    c_rate: positive.optional(),
    charge_c_rate: positive.optional(),
    temperature_degC: z.number().optional(),
    dod_pct: z.number().gt(0).max(100).optional(),
    soc_pct: z.number().min(0).max(100).optional(),
    pulse_s: positive.optional(),
    eol_pct: z.number().gt(0).lt(100).optional(),
  })
  .strict();

const claimSchema = z
  .object({
    id,
    kind: z.enum(CLAIM_KINDS),
    value: z.number().finite(),
    unit: z.string(),
    tolerance_pct: z.number().min(0).max(100).optional(),
    conditions: conditionsSchema.optional(),
    source: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const units: readonly string[] = CLAIM_UNITS[c.kind];
    if (!units.includes(c.unit))
      ctx.addIssue({
        code: 'custom',
        path: ['unit'],
        message: `a ${c.kind} claim is stated in ${units.join(' or ')}, not "${c.unit}"`,
      });
  });

const dimensionsSchema = z.union([
  z.object({ length: positive, width: positive, height: positive }).strict(),
  z.object({ diameter: positive, height: positive }).strict(),
]);

const supplierSchema = z.object({ id, name: z.string().min(1), country: z.string().optional() }).strict();

const cellModelSchema = z
  .object({
    id,
    supplier: id,
    chemistry: z.enum(CHEMISTRIES),
    format: z.enum(CELL_FORMATS),
    nominal_capacity_Ah: positive,
    nominal_voltage_V: positive,
    voltage_min_V: positive,
    voltage_max_V: positive,
    mass_kg: positive.optional(),
    dimensions_mm: dimensionsSchema.optional(),
    cost_per_kWh_EUR: positive.optional(),
    claims: z.array(claimSchema).default([]),
    source: z.string().optional(),
  })
  .strict();

const sampleSchema = z
  .object({
    serial: id,
    cell_model: id,
    batch: z.string().optional(),
    arrival_date: date.optional(),
    state: z.enum(SAMPLE_STATES).default('received'),
  })
  .strict();

const testLinkSchema = z
  .object({
    file: z.string().min(1),
    sample: id,
    protocol: z.enum(TEST_PROTOCOLS),
    temperature_degC: z.number().optional(),
    c_rate: positive.optional(),
    charge_c_rate: positive.optional(),
    dod_pct: z.number().gt(0).max(100).optional(),
  })
  .strict();

const measurementSchema = z
  .object({
    sample: id,
    quantity: z.string().min(1),
    value: z.number().finite(),
    unit: z.string(),
    method: z.string().optional(),
    attachment: z.string().optional(),
  })
  .strict();

/** The zod schema of a catalogue file (see docs/catalogue.md). */
export const catalogueSchema = z
  .object({
    suppliers: z.array(supplierSchema).default([]),
    cell_models: z.array(cellModelSchema).default([]),
    samples: z.array(sampleSchema).default([]),
    tests: z.array(testLinkSchema).default([]),
    measurements: z.array(measurementSchema).default([]),
  })
  .strict();

/** A parsed, validated catalogue. */
export type Catalogue = z.infer<typeof catalogueSchema>;
export type CatalogueSupplier = Catalogue['suppliers'][number];
export type CatalogueCellModel = Catalogue['cell_models'][number];
export type CatalogueClaim = CatalogueCellModel['claims'][number];
export type ClaimConditions = NonNullable<CatalogueClaim['conditions']>;
export type CatalogueSample = Catalogue['samples'][number];
export type CatalogueTestLink = Catalogue['tests'][number];
export type CatalogueMeasurement = Catalogue['measurements'][number];
export type ClaimKind = (typeof CLAIM_KINDS)[number];
export type TestProtocol = (typeof TEST_PROTOCOLS)[number];

type Path = readonly (string | number)[];

/**
 * Parses and validates a catalogue from YAML or JSON text (JSON is YAML). Checks the schema, the
 * claim units, unique ids (suppliers, cell models, serials, claim ids within a model) and that
 * every reference (supplier, cell model, sample) is defined in the file or in `known`.
 * @param text the file's text
 * @param file the file name, for error locations
 * @param known ids defined elsewhere (e.g. already in the store) that the file may refer to
 * @throws DISCERN_BAD_INPUT with the file and (when known) the 1-based line of the fault
 * @example const cat = parseCatalogue(readFileSync('lab.yaml', 'utf8'), 'lab.yaml');
 */
export function parseCatalogue(text: string, file = 'catalogue', known: KnownReferences = {}): Catalogue {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new DiscernError('DISCERN_BAD_INPUT', `not valid YAML/JSON: ${first.message.split('\n')[0]}`, {
      file,
      line,
    });
  }
  const lineOf = (path: Path): number | undefined => {
    // The deepest node along the path that exists (a missing key points at its parent).
    for (let k = path.length; k >= 0; k--) {
      const node = (k === 0 ? doc.contents : doc.getIn(path.slice(0, k), true)) as
        YamlNode | null | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const fail = (path: Path, message: string): never => {
    const line = lineOf(path);
    const where = path.length > 0 ? `${path.join('.')}: ` : '';
    throw new DiscernError(
      'DISCERN_BAD_INPUT',
      `${where}${message}`,
      line !== undefined ? { file, line } : { file },
    );
  };
  const raw: unknown = doc.toJS() ?? {};
  const parsed = catalogueSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(issue.path as Path, issue.message);
  }
  const cat = (parsed as { data: Catalogue }).data;
  checkReferences(cat, known, fail);
  return cat;
}

/** Ids a catalogue file may refer to without defining them. */
export interface KnownReferences {
  suppliers?: Iterable<string>;
  cellModels?: Iterable<string>;
  samples?: Iterable<string>;
}

function checkReferences(
  cat: Catalogue,
  known: KnownReferences,
  fail: (path: Path, message: string) => never,
): void {
  const unique = <T>(
    list: readonly T[],
    key: (t: T) => string,
    section: string,
    field: string,
  ): Set<string> => {
    const seen = new Set<string>();
    list.forEach((item, k) => {
      const v = key(item);
      if (seen.has(v)) fail([section, k, field], `duplicate ${field} "${v}"`);
      seen.add(v);
    });
    return seen;
  };
  const suppliers = unique(cat.suppliers, (s) => s.id, 'suppliers', 'id');
  unique(cat.suppliers, (s) => s.name, 'suppliers', 'name');
  const models = unique(cat.cell_models, (m) => m.id, 'cell_models', 'id');
  const serials = unique(cat.samples, (s) => s.serial, 'samples', 'serial');
  unique(cat.tests, (t) => t.file, 'tests', 'file');
  for (const s of known.suppliers ?? []) suppliers.add(s);
  for (const m of known.cellModels ?? []) models.add(m);
  for (const s of known.samples ?? []) serials.add(s);
  cat.cell_models.forEach((m, k) => {
    if (!suppliers.has(m.supplier)) fail(['cell_models', k, 'supplier'], `unknown supplier "${m.supplier}"`);
    if (!(m.voltage_min_V < m.voltage_max_V))
      fail(['cell_models', k, 'voltage_max_V'], 'voltage_max_V must be above voltage_min_V');
    const claimIds = new Set<string>();
    m.claims.forEach((c, j) => {
      if (claimIds.has(c.id)) fail(['cell_models', k, 'claims', j, 'id'], `duplicate claim id "${c.id}"`);
      claimIds.add(c.id);
    });
  });
  cat.samples.forEach((s, k) => {
    if (!models.has(s.cell_model)) fail(['samples', k, 'cell_model'], `unknown cell model "${s.cell_model}"`);
  });
  cat.tests.forEach((t, k) => {
    if (!serials.has(t.sample)) fail(['tests', k, 'sample'], `unknown sample "${t.sample}"`);
  });
  cat.measurements.forEach((m, k) => {
    if (!serials.has(m.sample)) fail(['measurements', k, 'sample'], `unknown sample "${m.sample}"`);
  });
}
