import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { DiscernError } from '../core/index.js';
import { CELL_FORMATS, type CellFormat, type CellToPackRatio } from './pack.js';
import { CRITERIA, type Criterion } from './rank.js';

const ratio = z
  .object({ gravimetric: z.number().gt(0).lte(1), volumetric: z.number().gt(0).lte(1) })
  .strict();

/**
 * The programme file schema (YAML or JSON; docs/methods/ranking.md). Keys carry their units.
 * Criterion weights are relative (any non-negative numbers; they are normalised to sum 1).
 */
export const programmeSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    vehicle: z.string().min(1),
    voltage_class: z.union([z.literal(400), z.literal(800)], { error: 'must be 400 or 800' }),
    usable_energy_kWh: z.number().gt(0),
    usable_soc_window_pct: z
      .tuple([z.number().gte(0).lte(100), z.number().gte(0).lte(100)])
      .refine(([a, b]) => b > a, 'the window must be [low, high] with high > low')
      .optional(),
    fast_charge_10_80_max_min: z.number().gt(0),
    cell_cost_target_EUR_per_kWh: z.number().gt(0),
    min_operating_temperature_degC: z.number().gte(-60).lte(60),
    min_low_temp_capacity_pct: z.number().gt(0).lte(100).optional(),
    charger: z.string().min(1).optional(),
    max_dc_charge_power_kW: z.number().gt(0).optional(),
    reference_pack_mass_kg: z.number().gt(0).optional(),
    pack_adder_EUR_per_kWh: z.number().gte(0).optional(),
    cell_to_pack: z.partialRecord(z.enum(CELL_FORMATS), ratio).optional(),
    weights: z
      .partialRecord(z.enum(CRITERIA), z.number().gte(0))
      .refine(
        (w) => Object.values(w).some((x) => x !== undefined && x > 0),
        'at least one weight must be > 0',
      ),
    candidates: z.array(z.string().min(1)).optional(),
  })
  .strict();

/** A vehicle programme: the targets a candidate cell is ranked against. */
export interface Programme {
  name: string;
  description?: string;
  /** Id of a vehicle of the powertrain library (`discern vehicle list`). */
  vehicleId: string;
  voltageClass: 400 | 800;
  usableEnergyKWh: number;
  /** Cell SOC window shown as 0-100 %, %. Default [3, 97] (94 % usable, as the 2023 e-208). */
  usableSocWindowPercent: readonly [number, number];
  fastCharge10to80MaxMin: number;
  cellCostTargetEurPerKWh: number;
  minOperatingTemperatureDegC: number;
  /** Capacity the cell must keep at the minimum temperature, % of nominal. Default 70. */
  minLowTempCapacityPercent: number;
  /** DC charger of the powertrain library. Default `ccs-350kw`. */
  chargerId: string;
  /** Vehicle-side DC power cap, W; none by default. */
  maxDcChargePowerW?: number;
  /** Mass of the vehicle's own pack, kg; default: projected from the library vehicle's pack. */
  referencePackMassKg?: number;
  /** Pack cost on top of the cells, EUR per nominal kWh. Default 35. */
  packAdderEurPerKWh: number;
  cellToPack: Partial<Record<CellFormat, CellToPackRatio>>;
  weights: Partial<Record<Criterion, number>>;
  /** Cell model ids to rank; all when absent. */
  candidates?: string[];
}

/** Defaults of the optional programme fields. */
export const PROGRAMME_DEFAULTS = {
  usableSocWindowPercent: [3, 97] as const,
  minLowTempCapacityPercent: 70,
  chargerId: 'ccs-350kw',
  packAdderEurPerKWh: 35,
};

/**
 * Parses a programme file (YAML, or JSON which is YAML too). Errors name the file and the line of
 * the offending value.
 * @throws DISCERN_PARSE_BAD_VALUE for YAML syntax errors or values that break the schema,
 * DISCERN_EMPTY_FILE for an empty file.
 * @example parseProgramme(readFileSync('examples/programmes/compact-city-ev.yaml', 'utf8'), 'compact-city-ev.yaml').usableEnergyKWh
 */
export function parseProgramme(text: string, file: string): Programme {
  if (text.trim() === '')
    throw new DiscernError('DISCERN_EMPTY_FILE', 'the programme file is empty', { file });
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `YAML: ${err.message.split('\n')[0]}`, {
      file,
      line: lines.linePos(err.pos[0]).line,
    });
  }
  const parsed = programmeSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const keys = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path;
    let line: number | undefined;
    for (let n = keys.length; n >= 0 && line === undefined; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
      if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
    }
    throw new DiscernError(
      'DISCERN_PARSE_BAD_VALUE',
      `${keys.length ? keys.join('.') : 'programme'}: ${issue.message}`,
      { file, ...(line !== undefined ? { line } : {}) },
    );
  }
  const p = parsed.data;
  const cellToPack: Partial<Record<CellFormat, CellToPackRatio>> = {};
  for (const [f, r] of Object.entries(p.cell_to_pack ?? {}) as [
    CellFormat,
    { gravimetric: number; volumetric: number },
  ][])
    cellToPack[f] = { ...r, source: `programme ${file}` };
  return {
    name: p.name,
    ...(p.description !== undefined ? { description: p.description } : {}),
    vehicleId: p.vehicle,
    voltageClass: p.voltage_class,
    usableEnergyKWh: p.usable_energy_kWh,
    usableSocWindowPercent: p.usable_soc_window_pct ?? PROGRAMME_DEFAULTS.usableSocWindowPercent,
    fastCharge10to80MaxMin: p.fast_charge_10_80_max_min,
    cellCostTargetEurPerKWh: p.cell_cost_target_EUR_per_kWh,
    minOperatingTemperatureDegC: p.min_operating_temperature_degC,
    minLowTempCapacityPercent: p.min_low_temp_capacity_pct ?? PROGRAMME_DEFAULTS.minLowTempCapacityPercent,
    chargerId: p.charger ?? PROGRAMME_DEFAULTS.chargerId,
    ...(p.max_dc_charge_power_kW !== undefined ? { maxDcChargePowerW: p.max_dc_charge_power_kW * 1000 } : {}),
    ...(p.reference_pack_mass_kg !== undefined ? { referencePackMassKg: p.reference_pack_mass_kg } : {}),
    packAdderEurPerKWh: p.pack_adder_EUR_per_kWh ?? PROGRAMME_DEFAULTS.packAdderEurPerKWh,
    cellToPack,
    weights: p.weights,
    ...(p.candidates !== undefined ? { candidates: p.candidates } : {}),
  };
}
