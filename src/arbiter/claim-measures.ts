import type { ClaimKind, TestProtocol } from './catalogue-schema.js';
import { fadeEndOfLife, PULSE_TIMES_S, type FullDischarge, type TestDigest } from './test-digest.js';
import type { ClaimRecord, ModelEvidence } from './types.js';

/** The conditions assumed when a claim does not state them (IEC 62660-1 style reference conditions). */
export const REFERENCE_CONDITIONS = {
  c_rate: 1 / 3,
  temperature_degC: 25,
  low_temp_degC: -20,
  soc_pct: 50,
  pulse_s: 10,
  eol_pct: 80,
  dod_pct: 100,
} as const;

/** How close conditions must be to count as comparable. */
export const COMPARABILITY = {
  /** |ΔT| ≤ 5 degC. */
  temperatureDegC: 5,
  /** |ΔC| ≤ max(0.05 C, 20 % of the claimed rate). */
  cRateAbsolute: 0.05,
  cRateRelative: 0.2,
  /** |ΔSOC| ≤ 7.5 % points. */
  socPct: 7.5,
  /** |ΔDoD| ≤ 10 % points. */
  dodPct: 10,
  /** The pulse time must be one of the kept times within 0.5 s. */
  pulseS: 0.5,
} as const;

/** One test's value for a claim, in the claim's unit (Ohm for resistance claims stated in mOhm). */
export interface Observation {
  testId: number;
  test: string;
  sample: string;
  value: number;
  /** The test's conditions that were compared. */
  conditions: Record<string, number | null>;
  /** Cycle life only: whether end of life was reached, the last ageing cycle and the projection. */
  endOfLife?: { reached: boolean; lastCycle: number; lastRetention: number; projectedCycle: number };
}

/** What the stored tests say about one claim. */
export interface Gathered {
  /** The protocols that measure this kind, and how many linked tests have one of them. */
  protocols: readonly TestProtocol[];
  protocolTests: number;
  observations: Observation[];
  /** Why tests of the right protocol were not comparable. */
  mismatches: string[];
  /** Conditions taken from REFERENCE_CONDITIONS because the claim does not state them. */
  assumed: string[];
  /** Set when the kind cannot be measured at all for this model (e.g. no mass for Wh/kg). */
  missing?: string;
}

const PROTOCOLS: Record<ClaimKind, readonly TestProtocol[]> = {
  capacity: ['capacity_check', 'rate', 'fast_charge', 'cycle_life', 'other'],
  specific_energy: ['capacity_check', 'rate', 'fast_charge', 'cycle_life', 'other'],
  energy_density: ['capacity_check', 'rate', 'fast_charge', 'cycle_life', 'other'],
  round_trip_efficiency: ['capacity_check', 'rate', 'fast_charge', 'cycle_life', 'other'],
  dc_resistance: ['hppc'],
  power: ['hppc'],
  cycle_life: ['cycle_life'],
  fast_charge_10_80: ['fast_charge'],
  low_temp_capacity: ['low_temp'],
  calendar_life: [],
};

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? String(Number(x.toPrecision(d))) : '?');
const rateOk = (measured: number, wanted: number): boolean =>
  Math.abs(measured - wanted) <= Math.max(COMPARABILITY.cRateAbsolute, COMPARABILITY.cRateRelative * wanted);
const tempOk = (measured: number | null, wanted: number): boolean =>
  measured !== null &&
  Number.isFinite(measured) &&
  Math.abs(measured - wanted) <= COMPARABILITY.temperatureDegC;
const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Collects, for one claim, the value of every linked test of a suitable protocol measured under
 * conditions comparable with the claim's (see docs/methods/claims.md for the rules per kind).
 */
export function gatherObservations(claim: ClaimRecord, ev: ModelEvidence): Gathered {
  const protocols = PROTOCOLS[claim.kind];
  const tests = ev.tests.filter((t) => protocols.includes(t.protocol));
  const g: Gathered = {
    protocols,
    protocolTests: tests.length,
    observations: [],
    mismatches: [],
    assumed: [],
  };
  const c = claim.conditions ?? {};
  const want = <K extends keyof typeof REFERENCE_CONDITIONS>(
    key: K,
    stated: number | undefined,
    fallback: number = REFERENCE_CONDITIONS[key],
  ): number => {
    if (stated !== undefined) return stated;
    g.assumed.push(`${key === 'low_temp_degC' ? 'temperature_degC' : key} = ${fmt(fallback)}`);
    return fallback;
  };
  const push = (t: TestDigest, value: number, conditions: Observation['conditions'], extra = {}): void => {
    g.observations.push({
      testId: t.testId,
      test: t.testName,
      sample: t.sample,
      value,
      conditions,
      ...extra,
    });
  };
  const massOf = (serial: string): number | null =>
    ev.samples.find((s) => s.serial === serial)?.massKg ?? ev.model.massKg;

  switch (claim.kind) {
    case 'capacity':
    case 'specific_energy':
    case 'energy_density':
    case 'round_trip_efficiency': {
      const temperature = want('temperature_degC', c.temperature_degC);
      const rate = want('c_rate', c.c_rate);
      if (claim.kind === 'energy_density' && ev.model.volumeL === null)
        g.missing = 'the cell model has no dimensions';
      for (const t of tests) {
        if (!tempOk(t.testTemperatureDegC, temperature)) {
          g.mismatches.push(`${t.testName}: at ${fmt(t.testTemperatureDegC ?? NaN)} degC`);
          continue;
        }
        let full: FullDischarge[] =
          t.protocol === 'cycle_life' ? t.fullDischarges.slice(0, 3) : t.fullDischarges;
        full = full.filter((f) => rateOk(f.cRate, rate));
        if (c.charge_c_rate !== undefined) full = full.filter((f) => rateOk(f.chargeCRate, c.charge_c_rate!));
        if (claim.kind === 'round_trip_efficiency')
          full = full.filter((f) => Number.isFinite(f.roundTripEfficiency));
        if (full.length === 0) {
          const rates = [...new Set(t.fullDischarges.map((f) => fmt(f.cRate, 2)))].join(', ') || 'none';
          g.mismatches.push(
            `${t.testName}: no full discharge at ${fmt(rate, 2)}C (full discharges at ${rates})`,
          );
          continue;
        }
        const mass = massOf(t.sample);
        if (claim.kind === 'specific_energy' && mass === null) {
          g.missing = 'neither the sample nor the cell model has a mass';
          continue;
        }
        const value = median(
          full.map((f) =>
            claim.kind === 'capacity'
              ? f.capacityAh
              : claim.kind === 'specific_energy'
                ? f.energyWh / mass!
                : claim.kind === 'energy_density'
                  ? f.energyWh / ev.model.volumeL!
                  : 100 * f.roundTripEfficiency,
          ),
        );
        push(t, value, { temperature_degC: t.testTemperatureDegC, c_rate: median(full.map((f) => f.cRate)) });
      }
      return g;
    }
    case 'dc_resistance':
    case 'power': {
      const temperature = want('temperature_degC', c.temperature_degC);
      const soc = want('soc_pct', c.soc_pct);
      const pulseS = want('pulse_s', c.pulse_s);
      const k = PULSE_TIMES_S.findIndex((x) => Math.abs(x - pulseS) <= COMPARABILITY.pulseS);
      for (const t of tests) {
        if (!tempOk(t.testTemperatureDegC, temperature)) {
          g.mismatches.push(`${t.testName}: at ${fmt(t.testTemperatureDegC ?? NaN)} degC`);
          continue;
        }
        const pulses = t.pulses.filter(
          (p) =>
            p.direction === 'discharge' &&
            Math.abs(p.socPct - soc) <= COMPARABILITY.socPct &&
            k >= 0 &&
            Number.isFinite(p.resistancesOhm[k]!),
        );
        if (pulses.length === 0) {
          const socs = t.pulses.filter((p) => p.direction === 'discharge').map((p) => fmt(p.socPct, 2));
          g.mismatches.push(
            `${t.testName}: no discharge pulse of ${fmt(pulseS)} s at ${fmt(soc)} % SOC (pulses at ${socs.join(', ') || 'none'} %)`,
          );
          continue;
        }
        const mass = massOf(t.sample);
        const vMin = ev.model.voltageMinV;
        const values = pulses.map((p) => {
          const r = p.resistancesOhm[k]!;
          if (claim.kind === 'dc_resistance') return r;
          const w = (vMin * (p.ocvV - vMin)) / r;
          return claim.unit === 'W/kg' ? w / (mass ?? NaN) : w;
        });
        if (claim.kind === 'power' && claim.unit === 'W/kg' && mass === null) {
          g.missing = 'neither the sample nor the cell model has a mass';
          continue;
        }
        push(t, values.reduce((s, v) => s + v, 0) / values.length, {
          temperature_degC: t.testTemperatureDegC,
          soc_pct: pulses.reduce((s, p) => s + p.socPct, 0) / pulses.length,
          pulse_s: PULSE_TIMES_S[k]!,
        });
      }
      return g;
    }
    case 'cycle_life': {
      const temperature = want('temperature_degC', c.temperature_degC);
      const eol = want('eol_pct', c.eol_pct);
      const dod = want('dod_pct', c.dod_pct);
      if (c.c_rate === undefined) g.assumed.push('c_rate: not stated, any');
      for (const t of tests) {
        if (t.fade === null) {
          g.mismatches.push(`${t.testName}: fewer than 2 full cycles at the cycling rate`);
          continue;
        }
        const rate = t.cRate ?? t.fade.dischargeCRate;
        const chargeRate = t.chargeCRate ?? t.fade.chargeCRate;
        const testDod = t.dodPct ?? REFERENCE_CONDITIONS.dod_pct;
        const why: string[] = [];
        if (!tempOk(t.testTemperatureDegC, temperature))
          why.push(`at ${fmt(t.testTemperatureDegC ?? NaN)} degC`);
        if (c.c_rate !== undefined && !rateOk(rate, c.c_rate)) why.push(`discharge at ${fmt(rate, 2)}C`);
        if (c.charge_c_rate !== undefined && !rateOk(chargeRate, c.charge_c_rate))
          why.push(`charge at ${fmt(chargeRate, 2)}C`);
        if (Math.abs(testDod - dod) > COMPARABILITY.dodPct) why.push(`${fmt(testDod)} % DoD`);
        if (why.length > 0) {
          g.mismatches.push(`${t.testName}: ${why.join(', ')}`);
          continue;
        }
        const e = fadeEndOfLife(t.fade, eol / 100);
        push(
          t,
          e.reached ? e.cycle : e.lastCycle,
          {
            temperature_degC: t.testTemperatureDegC,
            c_rate: rate,
            charge_c_rate: chargeRate,
            dod_pct: testDod,
          },
          {
            endOfLife: {
              reached: e.reached,
              lastCycle: e.lastCycle,
              lastRetention: e.lastRetention,
              projectedCycle: e.projectedCycle,
            },
          },
        );
      }
      return g;
    }
    case 'fast_charge_10_80': {
      const temperature = want('temperature_degC', c.temperature_degC);
      for (const t of tests) {
        if (!tempOk(t.testTemperatureDegC, temperature)) {
          g.mismatches.push(`${t.testName}: at ${fmt(t.testTemperatureDegC ?? NaN)} degC`);
          continue;
        }
        let fc = t.fastCharges;
        if (c.charge_c_rate !== undefined) fc = fc.filter((f) => rateOk(f.chargeCRate, c.charge_c_rate!));
        if (fc.length === 0) {
          g.mismatches.push(
            `${t.testName}: no 10-80 % charge${c.charge_c_rate !== undefined ? ` at ${fmt(c.charge_c_rate)}C` : ''}`,
          );
          continue;
        }
        push(t, median(fc.map((f) => f.time10To80S / 60)), {
          temperature_degC: t.testTemperatureDegC,
          charge_c_rate: median(fc.map((f) => f.chargeCRate)),
        });
      }
      return g;
    }
    case 'low_temp_capacity': {
      const cold = want('low_temp_degC', c.temperature_degC, REFERENCE_CONDITIONS.low_temp_degC);
      for (const t of tests) {
        const full = t.fullDischarges.filter((f) => c.c_rate === undefined || rateOk(f.cRate, c.c_rate));
        const hasT = full.some((f) => Number.isFinite(f.startTemperatureDegC));
        // With a temperature channel: the discharge that starts near the claimed temperature and the
        // one that starts near 25 degC. Without: the catalogue's test temperature marks the first full
        // discharge as the cold one and the last as the reference.
        const coldD = hasT
          ? full.find((f) => tempOk(f.startTemperatureDegC, cold))
          : tempOk(t.temperatureDegC, cold)
            ? full[0]
            : undefined;
        const refD = hasT
          ? [...full]
              .reverse()
              .find((f) => tempOk(f.startTemperatureDegC, REFERENCE_CONDITIONS.temperature_degC))
          : full.length > 1
            ? full[full.length - 1]
            : undefined;
        if (coldD === undefined || (claim.unit === '%' && refD === undefined)) {
          g.mismatches.push(
            `${t.testName}: no full discharge ${coldD === undefined ? `starting at ${fmt(cold)} degC` : 'at 25 degC for reference'}`,
          );
          continue;
        }
        push(t, claim.unit === '%' ? (100 * coldD.capacityAh) / refD!.capacityAh : coldD.capacityAh, {
          temperature_degC: hasT ? coldD.startTemperatureDegC : t.temperatureDegC,
          c_rate: coldD.cRate,
        });
      }
      return g;
    }
    case 'calendar_life':
      return g;
  }
}
