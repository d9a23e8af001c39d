import { gatherObservations, type Observation } from './claim-measures.js';
import { fadeEndOfLife, type FadeDigest, type TestDigest } from './test-digest.js';
import type { ClaimRecord, ModelEvidence } from './types.js';

/** Where a passport value comes from. */
export interface PassportProvenance {
  method: string;
  tests: number[];
  samples: string[];
}

/**
 * Annex IV Part A values of a cell model (Regulation (EU) 2023/1542), with the attribute names of
 * the Battery Pass data model (DIN DKE SPEC 99100, io.BatteryPass.Performance). Null where the
 * measurements cannot give the value; `missing` says why.
 */
export interface Passport {
  schema: 'discern.passport.annex-iv/1';
  regulation: string;
  cellModel: string;
  supplier: string;
  chemistry: string;
  batteryComponent: 'cell';
  performance: {
    ratedCapacity: number | null;
    ratedEnergy: number | null;
    nominalVoltage: number;
    minimumVoltage: number;
    maximumVoltage: number;
    capacityFade: number | null;
    originalPowerCapability: { atSoC: number; powerCapabilityAt: number }[];
    powerFade: number | null;
    initialInternalResistance: { ohmicResistance: number; batteryComponent: 'cell' }[];
    internalResistanceIncrease: number | null;
    roundtripEfficiency: number | null;
    roundTripEfficiencyat50PerCentCycleLife: number | null;
    roundTripEfficiencyFade: number | null;
    expectedLifetime: number | null;
    expectedNumberOfCycles: number | null;
    lifetimeReferenceTest: string | null;
    cRateLifeCycleTest: { charge: number; discharge: number } | null;
    capacityThresholdForExhaustion: number;
  };
  units: Record<string, string>;
  /** How each value was obtained (tests, samples, method). */
  provenance: Record<string, PassportProvenance>;
  /** Values that are null, and why. */
  missing: Record<string, string>;
}

const UNITS: Record<string, string> = {
  ratedCapacity: 'Ah',
  ratedEnergy: 'kWh',
  nominalVoltage: 'V',
  minimumVoltage: 'V',
  maximumVoltage: 'V',
  capacityFade: '%',
  originalPowerCapability: 'W (atSoC in %)',
  powerFade: '%',
  initialInternalResistance: 'Ohm',
  internalResistanceIncrease: '%',
  roundtripEfficiency: '%',
  roundTripEfficiencyat50PerCentCycleLife: '%',
  roundTripEfficiencyFade: '%',
  expectedLifetime: 'years',
  expectedNumberOfCycles: 'cycles',
  cRateLifeCycleTest: 'C (1/h)',
  capacityThresholdForExhaustion: '%',
};

const mean = (v: readonly number[]): number | null =>
  v.length > 0 ? v.reduce((s, x) => s + x, 0) / v.length : null;

/** The mean of per-sample means of a set of observations, with its provenance. */
function sampleMean(
  obs: readonly Observation[],
  method: string,
): { value: number | null; prov: PassportProvenance } {
  const by = new Map<string, number[]>();
  for (const o of obs) by.set(o.sample, [...(by.get(o.sample) ?? []), o.value]);
  return {
    value: mean([...by.values()].map((v) => mean(v)!)),
    prov: { method, tests: obs.map((o) => o.testId), samples: [...by.keys()] },
  };
}

function firstLast(v: readonly number[]): [number, number] | null {
  const f = v.filter(Number.isFinite);
  return f.length >= 2 ? [f[0]!, f[f.length - 1]!] : null;
}

/**
 * Builds the Annex IV values of a cell model from its measurements: rated capacity and energy
 * (full C/3 discharges at 25 degC), capacity fade, resistance increase, power fade (from the
 * instrument's DC resistance, P ∝ 1/R) and round-trip efficiency fade over the cycle-life tests,
 * original power at 80 and 20 % SOC and initial resistance at 50 % SOC (10 s HPPC pulses at
 * 25 degC), expected cycles to 80 % (end of life reached, else the linear projection). Formulas of
 * the Battery Pass model: fade = (1 − X(x)/X_BOL)·100, increase = (R(x) − R_BOL)/R_BOL·100.
 * @example passport(evidence).performance.ratedCapacity
 */
export function passport(ev: ModelEvidence): Passport {
  const m = ev.model;
  const provenance: Record<string, PassportProvenance> = {};
  const missing: Record<string, string> = {};
  const claim = (c: Omit<ClaimRecord, 'id' | 'value'>): ClaimRecord => ({ id: '_passport', value: 1, ...c });
  const ref = { c_rate: 1 / 3, temperature_degC: 25 };
  const cap = sampleMean(
    gatherObservations(claim({ kind: 'capacity', unit: 'Ah', conditions: ref }), ev).observations,
    'mean over samples of full C/3 discharges at 25 degC',
  );
  if (cap.value !== null) provenance['ratedCapacity'] = cap.prov;
  else missing['ratedCapacity'] = 'no full C/3 discharge at 25 degC';
  const energyObs = gatherObservations(
    claim({ kind: 'capacity', unit: 'Ah', conditions: ref }),
    ev,
  ).observations;
  // Energy of the same discharges: re-read them from the digests.
  const energies = energyObs.map((o) => {
    const t = ev.tests.find((d) => d.testId === o.testId)!;
    const full = (t.protocol === 'cycle_life' ? t.fullDischarges.slice(0, 3) : t.fullDischarges).filter(
      (f) => Math.abs(f.cRate - 1 / 3) <= 0.07,
    );
    return { ...o, value: mean(full.map((f) => f.energyWh))! / 1000 };
  });
  const energy = sampleMean(energies, 'mean over samples of the energy of full C/3 discharges at 25 degC');
  if (energy.value !== null) provenance['ratedEnergy'] = energy.prov;
  const rte = sampleMean(
    gatherObservations(claim({ kind: 'round_trip_efficiency', unit: '%', conditions: ref }), ev).observations,
    'discharge over charge energy of full C/3 cycles at 25 degC',
  );
  if (rte.value !== null) provenance['roundtripEfficiency'] = rte.prov;
  else missing['roundtripEfficiency'] = 'no full C/3 cycle at 25 degC';

  const pulse = (soc: number, kind: 'power' | 'dc_resistance'): ReturnType<typeof sampleMean> =>
    sampleMean(
      gatherObservations(
        claim({
          kind,
          unit: kind === 'power' ? 'W' : 'Ohm',
          conditions: { soc_pct: soc, pulse_s: 10, temperature_degC: 25 },
        }),
        ev,
      ).observations,
      kind === 'power'
        ? `V_min·(OCV − V_min)/R of 10 s discharge pulses at ${soc} % SOC, 25 degC`
        : `10 s discharge-pulse resistance at ${soc} % SOC, 25 degC`,
    );
  const power: Passport['performance']['originalPowerCapability'] = [];
  for (const soc of [80, 20]) {
    const p = pulse(soc, 'power');
    if (p.value === null)
      missing[`originalPowerCapability@${soc}`] = `no 10 s discharge pulse at ${soc} % SOC, 25 degC`;
    else {
      power.push({ atSoC: soc, powerCapabilityAt: p.value });
      provenance[`originalPowerCapability@${soc}`] = p.prov;
    }
  }
  const r50 = pulse(50, 'dc_resistance');
  if (r50.value !== null) provenance['initialInternalResistance'] = r50.prov;
  else missing['initialInternalResistance'] = 'no 10 s discharge pulse at 50 % SOC, 25 degC';

  // Ageing from the cycle-life tests.
  const life = ev.tests.filter(
    (t): t is TestDigest & { fade: FadeDigest } => t.protocol === 'cycle_life' && t.fade !== null,
  );
  const lifeProv = (method: string): PassportProvenance => ({
    method,
    tests: life.map((t) => t.testId),
    samples: [...new Set(life.map((t) => t.sample))],
  });
  const per = (f: (d: FadeDigest) => number | null): number | null =>
    mean(life.map((t) => f(t.fade)).filter((x): x is number => x !== null && Number.isFinite(x)));
  const capacityFade = per((d) => 100 * (1 - d.retention[d.retention.length - 1]!));
  const rIncrease = per((d) => {
    const fl = firstLast(d.dcResistanceOhm);
    return fl ? (100 * (fl[1] - fl[0])) / fl[0] : null;
  });
  const powerFade = per((d) => {
    const fl = firstLast(d.dcResistanceOhm);
    return fl ? 100 * (1 - fl[0] / fl[1]) : null;
  });
  const rteFade = per((d) => {
    const fl = firstLast(d.roundTripEfficiency);
    return fl ? 100 * (1 - fl[1] / fl[0]) : null;
  });
  const eols = life.map((t) => fadeEndOfLife(t.fade, 0.8));
  const allReached = eols.length > 0 && eols.every((e) => e.reached);
  const expected = mean(eols.map((e) => e.projectedCycle).filter(Number.isFinite));
  const rte50 =
    expected === null
      ? null
      : per((d) => {
          const k = d.cycles.findIndex((c) => c >= expected / 2);
          return k >= 0 ? 100 * d.roundTripEfficiency[k]! : null;
        });
  const lastCycles = life.map((t) => t.fade.cycles[t.fade.cycles.length - 1]!);
  const set = (key: string, value: number | null, method: string, why: string): void => {
    if (value === null) missing[key] = why;
    else provenance[key] = lifeProv(method);
  };
  const atCycles =
    lastCycles.length > 0 ? ` after ${Math.min(...lastCycles)}-${Math.max(...lastCycles)} cycles` : '';
  set(
    'capacityFade',
    capacityFade,
    `(1 − C(x)/C_BOL)·100 at the last ageing cycle${atCycles}`,
    'no cycle-life test',
  );
  set(
    'internalResistanceIncrease',
    rIncrease,
    `(R(x) − R_BOL)/R_BOL·100 of the instrument's DC resistance${atCycles}`,
    'no DC resistance recorded during cycle-life tests',
  );
  set(
    'powerFade',
    powerFade,
    `(1 − R_BOL/R(x))·100: power at fixed OCV and V_min scales as 1/R${atCycles}`,
    'no DC resistance recorded during cycle-life tests',
  );
  set('roundTripEfficiencyFade', rteFade, `(1 − RTE(x)/RTE_BOL)·100${atCycles}`, 'no cycle-life test');
  set(
    'expectedNumberOfCycles',
    expected,
    allReached
      ? 'cycles to 80 % retention (end of life reached)'
      : 'projection of the recent linear fade to 80 % retention (end of life not reached)',
    'no cycle-life test with a measurable fade',
  );
  set(
    'roundTripEfficiencyat50PerCentCycleLife',
    rte50,
    'round-trip efficiency of the ageing cycle at half the expected cycles',
    'the cycle-life tests have not reached half the expected cycles',
  );
  missing['expectedLifetime'] = 'calendar life needs storage (calendar-ageing) tests';
  const rates =
    life.length > 0
      ? {
          charge: mean(life.map((t) => t.chargeCRate ?? t.fade.chargeCRate))!,
          discharge: mean(life.map((t) => t.cRate ?? t.fade.dischargeCRate))!,
        }
      : null;
  return {
    schema: 'discern.passport.annex-iv/1',
    regulation:
      'Regulation (EU) 2023/1542 Annex IV Part A; attribute names of the Battery Pass data model (DIN DKE SPEC 99100, io.BatteryPass.Performance)',
    cellModel: m.id,
    supplier: m.supplierName || m.supplier,
    chemistry: m.chemistry,
    batteryComponent: 'cell',
    performance: {
      ratedCapacity: cap.value,
      ratedEnergy: energy.value,
      nominalVoltage: m.nominalVoltageV,
      minimumVoltage: m.voltageMinV,
      maximumVoltage: m.voltageMaxV,
      capacityFade,
      originalPowerCapability: power,
      powerFade,
      initialInternalResistance:
        r50.value !== null ? [{ ohmicResistance: r50.value, batteryComponent: 'cell' }] : [],
      internalResistanceIncrease: rIncrease,
      roundtripEfficiency: rte.value,
      roundTripEfficiencyat50PerCentCycleLife: rte50,
      roundTripEfficiencyFade: rteFade,
      expectedLifetime: null,
      expectedNumberOfCycles: expected,
      lifetimeReferenceTest: life.length > 0 ? life.map((t) => t.testName).join(', ') : null,
      cRateLifeCycleTest: rates,
      capacityThresholdForExhaustion: 80,
    },
    units: UNITS,
    provenance,
    missing,
  };
}
