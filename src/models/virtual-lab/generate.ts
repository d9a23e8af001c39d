import { VIRTUAL_CHEMISTRIES } from './chemistries.js';
import { drawCell } from './cell.js';
import { buildClaim, type CatalogueClaim, type ClaimTruth, type ModelTruthValues } from './claims.js';
import { LAB_MODELS, LAB_SUPPLIERS, type LabFormat, type LabModelSpec } from './lab-spec.js';
import { cycleTotals, cyclesToThreshold, minutes10To80 } from './measure.js';
import {
  capacityCheckSteps,
  coldCapacitySteps,
  cycleLifeSteps,
  fastChargeSteps,
  hppcSteps,
  rateTestSteps,
  type ScheduleCell,
} from './protocols.js';
import { labRandom } from './rng.js';
import {
  pulseResistance,
  runProtocol,
  type ProtocolStep,
  type RecordTable,
  type RunOptions,
} from './simulate.js';
import { writeArbinCsv } from './writers/arbin-csv.js';
import { writeBiologicMpt } from './writers/biologic-mpt.js';
import { pad, type WriteContext } from './writers/clock.js';
import { writeMaccorAscii } from './writers/maccor-ascii.js';
import { writeNewareCsv } from './writers/neware-csv.js';

/** Test protocols of the virtual lab (catalogue vocabulary). */
export type LabProtocol = 'capacity_check' | 'rate' | 'cycle_life' | 'hppc' | 'fast_charge' | 'low_temp';

/** One instrument file of the virtual lab. */
export interface LabFile {
  /** Path relative to the lab folder, with '/' separators (supplier/serial_protocol.ext). */
  path: string;
  bytes: Uint8Array;
  format: LabFormat;
  cellModel: string;
  sample: string;
  protocol: LabProtocol;
  /** Chamber temperature of the test's main part, degC. */
  temperatureDegC: number;
  cRate?: number;
  chargeCRate?: number;
  dodPct?: number;
  /** The simulated record (what the file holds, before formatting). */
  record: RecordTable;
}

/** The catalogue file of the lab (contract of issue 7, docs/catalogue.md), snake_case as written. */
export interface LabCatalogue {
  suppliers: { id: string; name: string; country: string }[];
  cell_models: {
    id: string;
    supplier: string;
    chemistry: string;
    format: string;
    nominal_capacity_Ah: number;
    nominal_voltage_V: number;
    voltage_min_V: number;
    voltage_max_V: number;
    mass_kg: number;
    dimensions_mm: LabModelSpec['dimensionsMm'];
    cost_per_kWh_EUR: number;
    claims: CatalogueClaim[];
  }[];
  samples: { serial: string; cell_model: string; batch: string; arrival_date: string; state: string }[];
  tests: {
    file: string;
    sample: string;
    protocol: LabProtocol;
    temperature_degC: number;
    c_rate?: number;
    charge_c_rate?: number;
    dod_pct?: number;
  }[];
  measurements: { sample: string; quantity: string; value: number; unit: string; method: string }[];
}

/** What the generator knows: per model its true values, per claim whether it is honest. */
export interface LabGroundTruth {
  seed: number;
  generator: string;
  cell_models: { id: string; chemistry: string; samples: string[]; truth: ModelTruthValues }[];
  claims: ClaimTruth[];
}

/** A generated virtual lab. */
export interface VirtualLab {
  seed: number;
  files: LabFile[];
  catalogue: LabCatalogue;
  groundTruth: LabGroundTruth;
}

/** Options of generateLab. */
export interface GenerateLabOptions {
  /** Seed of every random draw (default 1). The same seed gives the same bytes. */
  seed?: number;
  /** The models to build (default LAB_MODELS). */
  models?: readonly LabModelSpec[];
  /** Samples per model (default: each model's `samples`). */
  samples?: number;
  /** IANA zone of the instruments' clocks (default Europe/Berlin). */
  timeZone?: string;
}

const DAY_S = 86400;
/** 2026-03-02 07:00 UTC (08:00 in Berlin): the first sample's arrival. */
const LAB_EPOCH_UNIX_S = Date.UTC(2026, 2, 2, 7, 0, 0) / 1000;

function isoDate(unixS: number): string {
  return new Date(unixS * 1000).toISOString().slice(0, 10);
}

function extension(format: LabFormat, channel: number): string {
  if (format === 'maccor-ascii') return pad(channel, 3);
  return format === 'biologic-mpt' ? 'mpt' : 'csv';
}

function write(format: LabFormat, t: RecordTable, ctx: WriteContext): Uint8Array {
  switch (format) {
    case 'arbin-csv':
      return new TextEncoder().encode(writeArbinCsv(t, ctx));
    case 'maccor-ascii':
      return new TextEncoder().encode(writeMaccorAscii(t, ctx));
    case 'neware-csv':
      return new TextEncoder().encode(writeNewareCsv(t, ctx));
    case 'biologic-mpt':
      return writeBiologicMpt(t, ctx);
  }
}

const mean = (xs: readonly number[]): number => {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
};

interface PlannedTest {
  protocol: LabProtocol;
  steps: ProtocolStep[];
  run: RunOptions;
  format: LabFormat;
  temperatureDegC: number;
  cRate?: number;
  chargeCRate?: number;
  dodPct?: number;
}

function planTests(spec: LabModelSpec, sheet: ScheduleCell, sampleNo: number, last: boolean): PlannedTest[] {
  const f = spec.formats;
  const has = (kind: string): boolean => spec.claims.some((c) => c.kind === kind);
  const tests: PlannedTest[] = [
    {
      protocol: 'capacity_check',
      steps: capacityCheckSteps(sheet),
      run: {},
      format: f.capacity,
      temperatureDegC: 25,
      cRate: 0.33,
      chargeCRate: 0.33,
      dodPct: 100,
    },
    { protocol: 'hppc', steps: hppcSteps(sheet), run: {}, format: f.hppc, temperatureDegC: 25 },
  ];
  if (sampleNo === 1)
    tests.push({
      protocol: 'rate',
      steps: rateTestSteps(sheet),
      run: {},
      format: f.capacity,
      temperatureDegC: 25,
    });
  {
    const { chargeCRate, dischargeCRate, maxCycles } = spec.cycling;
    tests.push({
      protocol: 'cycle_life',
      steps: cycleLifeSteps(sheet, maxCycles, chargeCRate, dischargeCRate),
      run: {
        ageing: { dod: 1, cRate: (chargeCRate + dischargeCRate) / 2, temperatureDegC: 25 },
        // End of the test a little past end of life (79 % of the first cycle's capacity).
        stopBelowRetention: 0.79,
      },
      format: f.cycling,
      temperatureDegC: 25,
      cRate: dischargeCRate,
      chargeCRate,
      dodPct: 100,
    });
  }
  if (last && has('fast_charge_10_80') && spec.fastChargeCRate !== undefined)
    tests.push({
      protocol: 'fast_charge',
      steps: fastChargeSteps(sheet, spec.fastChargeCRate),
      run: {},
      format: f.other,
      temperatureDegC: 25,
      chargeCRate: spec.fastChargeCRate,
    });
  if (last && has('low_temp_capacity') && spec.coldDegC !== undefined)
    tests.push({
      protocol: 'low_temp',
      steps: coldCapacitySteps(sheet, spec.coldDegC),
      run: {},
      format: f.other,
      temperatureDegC: spec.coldDegC,
      cRate: 0.33,
    });
  return tests;
}

/**
 * Generates the virtual lab: for each cell model its samples (drawn around the model's truth),
 * their tests simulated and written as real instrument files (Arbin CSV, Maccor ASCII, BioLogic
 * .mpt, Neware CSV), the catalogue with datasheet claims (some inflated), and the ground truth.
 * Pure and deterministic: the same seed gives the same bytes.
 * @example const lab = generateLab({ seed: 7 }); lab.files.length // about 60
 */
export function generateLab(options: GenerateLabOptions = {}): VirtualLab {
  const seed = options.seed ?? 1;
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const models = options.models ?? LAB_MODELS;
  const rng = labRandom(seed);
  const files: LabFile[] = [];
  const catalogue: LabCatalogue = {
    suppliers: LAB_SUPPLIERS.filter((s) => models.some((m) => m.supplier === s.id)).map((s) => ({ ...s })),
    cell_models: [],
    samples: [],
    tests: [],
    measurements: [],
  };
  const groundTruth: LabGroundTruth = {
    seed,
    generator: 'discern virtual lab 1',
    cell_models: [],
    claims: [],
  };
  let channel = 1;
  models.forEach((spec, m) => {
    const chem = VIRTUAL_CHEMISTRIES[spec.truth.chemistry];
    const sheet: ScheduleCell = {
      nominalCapacityAh: spec.nominalCapacityAh,
      minVoltageV: chem.minVoltageV,
      maxVoltageV: chem.maxVoltageV,
    };
    const per = { cap: [] as number[], wh: [] as number[], dcr: [] as number[], life: [] as number[] };
    const fc: number[] = [];
    const cold: number[] = [];
    const serials: string[] = [];
    const nSamples = options.samples ?? spec.samples;
    for (let k = 1; k <= nSamples; k++) {
      const serial = `${spec.id}-${pad(k, 4)}`;
      serials.push(serial);
      const cell = drawCell(spec.truth, serial, rng.fork(serial));
      const arrival = LAB_EPOCH_UNIX_S + (3 * m + k) * DAY_S;
      catalogue.samples.push({
        serial,
        cell_model: spec.id,
        batch: `B2026-${pad(1 + m, 2)}`,
        arrival_date: isoDate(arrival),
        state: k <= 2 ? 'in-test' : 'finished',
      });
      catalogue.measurements.push({
        sample: serial,
        quantity: 'mass',
        value: Number(cell.massKg.toFixed(spec.massKg < 1 ? 4 : 3)),
        unit: 'kg',
        method: 'check-in weighing',
      });
      per.dcr.push(pulseResistance(cell, 0.5, 25, 10));
      let start = arrival + 2 * DAY_S;
      for (const test of planTests(spec, sheet, k, k === nSamples)) {
        const record = runProtocol(cell, test.steps, rng.fork(`${serial}/${test.protocol}`), test.run);
        const ch = channel++;
        const name = `${serial}_${test.protocol}`;
        const path = `${spec.supplier}/${name}.${extension(test.format, ch)}`;
        const ctx: WriteContext = {
          startUnixS: start,
          timeZone,
          testName: name,
          serial,
          channel: ch,
          procedure: `VL_${test.protocol.toUpperCase()}`,
        };
        files.push({
          path,
          bytes: write(test.format, record, ctx),
          format: test.format,
          cellModel: spec.id,
          sample: serial,
          protocol: test.protocol,
          temperatureDegC: test.temperatureDegC,
          ...(test.cRate !== undefined ? { cRate: test.cRate } : {}),
          ...(test.chargeCRate !== undefined ? { chargeCRate: test.chargeCRate } : {}),
          ...(test.dodPct !== undefined ? { dodPct: test.dodPct } : {}),
          record,
        });
        catalogue.tests.push({
          file: path,
          sample: serial,
          protocol: test.protocol,
          temperature_degC: test.temperatureDegC,
          ...(test.cRate !== undefined ? { c_rate: test.cRate } : {}),
          ...(test.chargeCRate !== undefined ? { charge_c_rate: test.chargeCRate } : {}),
          ...(test.dodPct !== undefined ? { dod_pct: test.dodPct } : {}),
        });
        const totals = cycleTotals(record);
        if (test.protocol === 'capacity_check') {
          const last = totals.find((r) => r.cycle === 3)!;
          per.cap.push(last.dischargeAh);
          per.wh.push(last.dischargeWh);
        } else if (test.protocol === 'cycle_life') per.life.push(cyclesToThreshold(record, 0.8, 1));
        else if (test.protocol === 'fast_charge') fc.push(minutes10To80(record, 2));
        else if (test.protocol === 'low_temp') {
          const c = totals.find((r) => r.cycle === 2)!.dischargeAh;
          const w = totals.find((r) => r.cycle === 3)!.dischargeAh;
          cold.push((100 * c) / w);
        }
        start += Math.ceil(record.testTimeS[record.length - 1]! / DAY_S + 1) * DAY_S;
      }
    }
    const truth: ModelTruthValues = {
      capacityAh: mean(per.cap),
      energyWh: mean(per.wh),
      dcResistanceOhm: mean(per.dcr),
      cycleLife: mean(per.life),
      fastChargeMin: mean(fc),
      lowTempCapacityPct: mean(cold),
      n: {
        capacity: per.cap.length,
        specific_energy: per.wh.length,
        dc_resistance: per.dcr.length,
        cycle_life: per.life.length,
        fast_charge_10_80: fc.length,
        low_temp_capacity: cold.length,
      },
    };
    const claims = spec.claims.map((plan) => buildClaim(plan, spec, truth, spec.coldDegC ?? -20));
    catalogue.cell_models.push({
      id: spec.id,
      supplier: spec.supplier,
      chemistry: chem.chemistry,
      format: spec.format,
      nominal_capacity_Ah: spec.nominalCapacityAh,
      nominal_voltage_V: spec.nominalVoltageV,
      voltage_min_V: chem.minVoltageV,
      voltage_max_V: chem.maxVoltageV,
      mass_kg: spec.massKg,
      dimensions_mm: spec.dimensionsMm,
      cost_per_kWh_EUR: spec.costPerKWhEur,
      claims: claims.map((c) => c.claim),
    });
    groundTruth.cell_models.push({ id: spec.id, chemistry: chem.chemistry, samples: serials, truth });
    groundTruth.claims.push(...claims.map((c) => c.truth));
  });
  return { seed, files, catalogue, groundTruth };
}
