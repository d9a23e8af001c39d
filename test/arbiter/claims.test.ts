import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateClaims, exportCatalogue, importCatalogue } from '../../src/app/catalogue.js';
import type { ClaimVerdict } from '../../src/arbiter/claims.js';
import { Store } from '../../src/store/index.js';
import { capacityFrame, cycleLifeFrame, hppcFrame, storeFrame } from './lab.js';

// Four samples of M-50 with known capacities (Ah) and resistances (Ohm); two cycle to end of life
// (linear fade 0.1 %/cycle: retention 0.8 at cycle 201); M-SHORT's samples stop at cycle 100.
const CAPS = [50.2, 49.9, 50.1, 49.8];
const RES = [0.00101, 0.00099, 0.001, 0.00102];
const MASS_KG = 0.75;

const catalogue = `
suppliers:
  - { id: acme, name: ACME Cells, country: FR }
cell_models:
  - id: M-50
    supplier: acme
    chemistry: LFP
    format: prismatic
    nominal_capacity_Ah: 50
    nominal_voltage_V: 3.2
    voltage_min_V: 2.5
    voltage_max_V: 3.65
    mass_kg: ${MASS_KG}
    dimensions_mm: { length: 100, width: 30, height: 150 }
    claims:
      - { id: cap, kind: capacity, value: 50, unit: Ah, tolerance_pct: 3, conditions: { c_rate: 0.33, temperature_degC: 25 } }
      - { id: cap-inflated, kind: capacity, value: 53, unit: Ah, tolerance_pct: 2, conditions: { c_rate: 0.33 } }
      - { id: cap-45, kind: capacity, value: 50, unit: Ah, conditions: { c_rate: 0.33, temperature_degC: 45 } }
      - { id: fc, kind: fast_charge_10_80, value: 20, unit: min }
      - { id: r, kind: dc_resistance, value: 1.0, unit: mOhm, tolerance_pct: 5, conditions: { soc_pct: 50, pulse_s: 10 } }
      - { id: r-inflated, kind: dc_resistance, value: 0.8, unit: mOhm, tolerance_pct: 5 }
      - { id: wh-kg, kind: specific_energy, value: 205, unit: Wh/kg, tolerance_pct: 3 }
      - { id: life, kind: cycle_life, value: 200, unit: cycles, tolerance_pct: 5, conditions: { c_rate: 1, eol_pct: 80 } }
      - { id: life-inflated, kind: cycle_life, value: 3000, unit: cycles, conditions: { c_rate: 1 } }
      - { id: calendar, kind: calendar_life, value: 10, unit: years }
  - id: M-SHORT
    supplier: acme
    chemistry: LFP
    format: prismatic
    nominal_capacity_Ah: 50
    nominal_voltage_V: 3.2
    voltage_min_V: 2.5
    voltage_max_V: 3.65
    claims:
      - { id: life-150, kind: cycle_life, value: 150, unit: cycles }
      - { id: life-450, kind: cycle_life, value: 450, unit: cycles }
      - { id: life-3000, kind: cycle_life, value: 3000, unit: cycles }
samples:
${[1, 2, 3, 4].map((k) => `  - { serial: S${k}, cell_model: M-50, batch: B1, arrival_date: 2026-08-14, state: in-test }`).join('\n')}
  - { serial: T1, cell_model: M-SHORT }
  - { serial: T2, cell_model: M-SHORT }
tests:
${[1, 2, 3, 4]
  .map(
    (k) => `  - { file: files/S${k}_cap.csv, sample: S${k}, protocol: capacity_check, temperature_degC: 25 }
  - { file: files/S${k}_hppc.csv, sample: S${k}, protocol: hppc, temperature_degC: 25 }`,
  )
  .join('\n')}
  - { file: files/S1_life.csv, sample: S1, protocol: cycle_life, temperature_degC: 25, c_rate: 1, charge_c_rate: 1 }
  - { file: files/S2_life.csv, sample: S2, protocol: cycle_life, temperature_degC: 25, c_rate: 1, charge_c_rate: 1 }
  - { file: files/T1_life.csv, sample: T1, protocol: cycle_life, temperature_degC: 25 }
  - { file: files/T2_life.csv, sample: T2, protocol: cycle_life, temperature_degC: 25 }
  - { file: files/not-yet.csv, sample: S4, protocol: other }
measurements:
  - { sample: S1, quantity: thickness, value: 30.1, unit: mm, method: caliper }
`;

let dir: string;
let store: Store;
const byId = (vs: ClaimVerdict[], id: string): ClaimVerdict => vs.find((v) => v.claim.id === id)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'discern-claims-'));
  store = await Store.open(join(dir, 'lab.duckdb'));
  for (let k = 0; k < 4; k++) {
    await storeFrame(store, capacityFrame(CAPS[k]!), join(dir, `files/S${k + 1}_cap.csv`));
    await storeFrame(store, hppcFrame(RES[k]!), join(dir, `files/S${k + 1}_hppc.csv`));
  }
  const life = cycleLifeFrame(50, 230, 0.001);
  await storeFrame(store, life, join(dir, 'files/S1_life.csv'));
  await storeFrame(store, cycleLifeFrame(50.5, 230, 0.001), join(dir, 'files/S2_life.csv'));
  await storeFrame(store, cycleLifeFrame(50, 100, 0.001), join(dir, 'files/T1_life.csv'));
  await storeFrame(store, cycleLifeFrame(49.5, 100, 0.001), join(dir, 'files/T2_life.csv'));
  writeFileSync(join(dir, 'catalogue.yaml'), catalogue);
}, 60_000);

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importCatalogue', () => {
  it('imports, links tests by file name, reports files not ingested, and is idempotent', async () => {
    const r = await importCatalogue(store, join(dir, 'catalogue.yaml'));
    expect(r).toMatchObject({
      suppliers: 1,
      cellModels: 2,
      samples: 6,
      tests: 13,
      linkedTests: 12,
      measurements: 1,
    });
    expect(r.pendingFiles).toEqual(['files/not-yet.csv']);
    const before = await exportCatalogue(store);
    const again = await importCatalogue(store, join(dir, 'catalogue.yaml'));
    expect(again.linkedTests).toBe(12);
    expect(await exportCatalogue(store)).toEqual(before);
    const counts = await store.query(
      `SELECT (SELECT count(*) FROM suppliers) s, (SELECT count(*) FROM cell_models) m, (SELECT count(*) FROM claims) c,
              (SELECT count(*) FROM samples) n, (SELECT count(*) FROM test_protocols) p, (SELECT count(*) FROM sample_measurements) x`,
    );
    expect(counts[0]).toEqual({ s: 1, m: 2, c: 13, n: 6, p: 12, x: 1 });
    expect(before.samples[0]).toEqual({
      serial: 'S1',
      cell_model: 'M-50',
      batch: 'B1',
      arrival_date: '2026-08-14',
      state: 'in-test',
    });
  });
});

describe('evaluateClaims (M-50: four samples of known capacity and resistance)', () => {
  let v: ClaimVerdict[];
  beforeAll(async () => {
    v = await evaluateClaims(store, 'M-50');
  }, 60_000);

  it('confirms the honest capacity claim with the per-sample values', () => {
    const c = byId(v, 'cap');
    expect(c.verdict).toBe('confirmed');
    expect(c.measured.n).toBe(4);
    expect(c.measured.mean).toBeCloseTo(50.0, 6);
    const mean = CAPS.reduce((s, x) => s + x, 0) / 4;
    const std = Math.sqrt(CAPS.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
    expect(c.measured.std).toBeCloseTo(std, 6);
    expect(c.samples.map((s) => s.value)).toEqual(CAPS.map((x) => expect.closeTo(x, 6)));
    expect(c.evidence).toHaveLength(4);
  });

  it('contradicts the inflated capacity claim', () => {
    expect(byId(v, 'cap-inflated').verdict).toBe('contradicted');
  });

  it('calls a claim at another temperature not comparable and one without tests not measured', () => {
    expect(byId(v, 'cap-45').verdict).toBe('not_comparable');
    expect(byId(v, 'fc').verdict).toBe('not_measured');
    expect(byId(v, 'calendar').verdict).toBe('not_measured');
  });

  it('measures the pulse resistance at 50 % SOC and 10 s', () => {
    const r = byId(v, 'r');
    expect(r.measured.unit).toBe('Ohm');
    expect(r.measured.mean).toBeCloseTo(RES.reduce((s, x) => s + x, 0) / 4, 6);
    expect(r.verdict).toBe('confirmed');
    expect(byId(v, 'r-inflated').verdict).toBe('contradicted');
  });

  it('derives the specific energy from the discharge energy and the datasheet mass', () => {
    const e = byId(v, 'wh-kg');
    // Linear ramp 3.65 -> 2.5 V: energy = capacity × 3.075 V.
    expect(e.measured.mean).toBeCloseTo((50 * 3.075) / MASS_KG, 0);
    expect(e.verdict).toBe('confirmed');
  });

  it('finds end of life at cycle 201 and judges the cycle-life claims', () => {
    const life = byId(v, 'life');
    expect(life.cycle_life!.samples.map((s) => s.cycles)).toEqual([201, 201]);
    expect(life.verdict).toBe('confirmed');
    expect(life.measured.lower_bound).toBe(false);
    expect(byId(v, 'life-inflated').verdict).toBe('contradicted');
  });
});

describe('cycle life without end of life (M-SHORT: 100 cycles at 0.1 %/cycle)', () => {
  it('is at most not_confirmed while on track, and contradicted when far off track', async () => {
    const v = await evaluateClaims(store, 'M-SHORT');
    const l150 = byId(v, 'life-150');
    expect(l150.verdict).toBe('not_confirmed');
    expect(l150.cycle_life!.on_track).toBe(true);
    expect(l150.measured.lower_bound).toBe(true);
    expect(l150.cycle_life!.samples[0]!.projected_cycle).toBeCloseTo(201, 0);
    expect(byId(v, 'life-450').verdict).toBe('contradicted');
    const l3000 = byId(v, 'life-3000');
    expect(l3000.verdict).toBe('not_confirmed');
    expect(l3000.cycle_life!.on_track).toBe(false);
  });
});

describe('passport and consistency (M-50)', () => {
  it('gives the Annex IV values with Battery Pass names from the measurements', async () => {
    const { passport } = await import('../../src/app/catalogue.js');
    const p = await passport(store, 'M-50');
    const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
    expect(p.performance.ratedCapacity).toBeCloseTo(mean(CAPS), 6);
    // Linear ramps 3.65 -> 2.5 V: energy = capacity × 3.075 V.
    expect(p.performance.ratedEnergy).toBeCloseTo((mean(CAPS) * 3.075) / 1000, 6);
    // 10 s power at OCV = 3.0 + 0.5·SOC: V_min·(OCV − V_min)/R.
    const at = (soc: number): number =>
      p.performance.originalPowerCapability.find((x) => x.atSoC === soc)!.powerCapabilityAt;
    expect(at(80)).toBeCloseTo(mean(RES.map((r) => (2.5 * 0.9) / r)), 0);
    expect(at(20)).toBeCloseTo(mean(RES.map((r) => (2.5 * 0.6) / r)), 0);
    expect(p.performance.initialInternalResistance[0]!.ohmicResistance).toBeCloseTo(mean(RES), 7);
    // Identical charge and discharge ramps: round trip 100 %.
    expect(p.performance.roundtripEfficiency).toBeCloseTo(100, 6);
    // 230 cycles at 0.1 %/cycle: retention 1 − 0.229 at the last cycle; 80 % reached at cycle 201.
    expect(p.performance.capacityFade).toBeCloseTo(22.9, 6);
    expect(p.performance.expectedNumberOfCycles).toBe(201);
    expect(p.performance.cRateLifeCycleTest).toEqual({ charge: 1, discharge: 1 });
    expect(p.performance.internalResistanceIncrease).toBeNull();
    expect(p.missing['internalResistanceIncrease']).toMatch(/DC resistance/);
    expect(p.provenance['ratedCapacity']!.samples).toEqual(['S1', 'S2', 'S3', 'S4']);
  });

  it('computes the capacity spread and Cpk against the claim tolerance', async () => {
    const { modelConsistency } = await import('../../src/app/catalogue.js');
    const cap = (await modelConsistency(store, 'M-50')).find((s) => s.quantity === 'capacity')!;
    const mean = CAPS.reduce((s, x) => s + x, 0) / 4;
    const std = Math.sqrt(CAPS.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
    expect(cap.n).toBe(4);
    expect(cap.lsl).toBeCloseTo(48.5, 9);
    expect(cap.cpk).toBeCloseTo((mean - 48.5) / (3 * std), 6);
    expect(cap.cvPct).toBeCloseTo((100 * std) / mean, 6);
  });
});
