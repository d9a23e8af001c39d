import {
  cycleNumbers,
  cycleSummary,
  detectSteps,
  endOfLife,
  fastCharge,
  hppc,
  type StepRecord,
} from '../analysis/index.js';
import { linearFit, median } from '../analysis/numeric/stats.js';
import { floatColumn, isDiscernError, type Frame } from '../core/index.js';
import type { TestProtocol } from './catalogue-schema.js';

/** The datasheet values a digest needs. */
export interface DigestCell {
  nominalCapacityAh: number;
  voltageMinV: number;
  voltageMaxV: number;
}

/** How a stored test is linked to a sample (from the catalogue). */
export interface DigestLink {
  testId: number;
  testName: string;
  sample: string;
  protocol: TestProtocol;
  temperatureDegC: number | null;
  cRate: number | null;
  chargeCRate: number | null;
  dodPct: number | null;
}

/** A discharge that ran from a full charge (upper voltage reached) to the lower voltage limit. */
export interface FullDischarge {
  /** Order of the full discharge in the test (1-based). */
  ordinal: number;
  cycle: number;
  capacityAh: number;
  energyWh: number;
  /** Mean |I| / nominal capacity, 1/h. */
  cRate: number;
  /** C-rate of the constant-current part of the charge before it (NaN when none). */
  chargeCRate: number;
  /** Energy of the charge before it, Wh, and the round-trip energy efficiency (discharge/charge). */
  chargeEnergyWh: number;
  roundTripEfficiency: number;
  /** Temperature at the start of the discharge and its mean, degC (NaN without a temperature channel). */
  startTemperatureDegC: number;
  meanTemperatureDegC: number;
}

/** One current pulse of an HPPC test with its resistance at standard times. */
export interface PulseDigest {
  direction: 'discharge' | 'charge';
  socPct: number;
  durationS: number;
  currentA: number;
  ocvV: number;
  temperatureDegC: number;
  /** R(t) = |ΔV/ΔI| at each of `PULSE_TIMES_S` (NaN past the pulse's end), Ohm. */
  resistancesOhm: number[];
}

/** Ageing of a cycle-life test: the full cycles at the cycling rate. */
export interface FadeDigest {
  /** Ageing cycles counted 1, 2, ... (full cycles at the test's cycling rate). */
  cycles: number[];
  capacityAh: number[];
  /** Capacity over the first ageing cycle's. */
  retention: number[];
  roundTripEfficiency: number[];
  /** DC resistance the instrument reported per ageing cycle, Ohm (NaN when none). */
  dcResistanceOhm: number[];
  dischargeCRate: number;
  chargeCRate: number;
  /** Retention lost per cycle over the last third of the ageing cycles (at least 5). */
  recentFadePerCycle: number;
}

/** What the arbiter needs from one stored test, computed once with discern's analyses. */
export interface TestDigest extends DigestLink {
  /** The test temperature: the catalogue's, else the mean of the temperature channel, else null. */
  testTemperatureDegC: number | null;
  fullDischarges: FullDischarge[];
  pulses: PulseDigest[];
  /** 10-80 % charge times of the fast-charge cycles, s, with the charge C-rate (nominal). */
  fastCharges: { cycle: number; time10To80S: number; chargeCRate: number; startTemperatureDegC: number }[];
  fade: FadeDigest | null;
  /** Analyses that could not run on this test (code: message). */
  notes: string[];
}

/** Times after the pulse onset at which resistances are kept, s. */
export const PULSE_TIMES_S: readonly number[] = [0.1, 1, 2, 5, 10, 18, 20, 30];

function temperatureOf(frame: Frame): Float64Array | undefined {
  const t = floatColumn(frame, 'temperature_degC');
  if (t !== undefined) return t;
  const aux = frame.channels.find((c) => /^aux_temperature(_\d+)?_degC$/.test(c.name));
  return aux ? floatColumn(frame, aux.name) : undefined;
}

function meanOver(a: Float64Array | undefined, from: number, to: number): number {
  if (a === undefined) return NaN;
  let s = 0;
  let n = 0;
  for (let i = from; i < to; i++)
    if (Number.isFinite(a[i]!)) {
      s += a[i]!;
      n++;
    }
  return n > 0 ? s / n : NaN;
}

function isCharge(s: StepRecord): boolean {
  return s.kind === 'cc_charge' || s.kind === 'cv_charge' || s.kind === 'charge';
}
function isDischarge(s: StepRecord): boolean {
  return s.kind === 'cc_discharge' || s.kind === 'cv_discharge' || s.kind === 'discharge';
}

/** Full discharges: after a charge that reached the upper voltage, down to the lower voltage limit. */
function fullDischarges(
  frame: Frame,
  steps: readonly StepRecord[],
  cycleOfRow: Int32Array,
  cell: DigestCell,
): FullDischarge[] {
  const temp = temperatureOf(frame);
  const out: FullDischarge[] = [];
  let charged = false;
  let chargeWh = 0;
  let chargeCRate = NaN;
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k]!;
    if (isCharge(s)) {
      chargeWh += s.chargeEnergyWh;
      if (s.kind === 'cc_charge' || s.kind === 'charge')
        chargeCRate = Math.abs(s.meanCurrentA) / cell.nominalCapacityAh;
      if (s.maxVoltageV >= cell.voltageMaxV - 0.05) charged = true;
      continue;
    }
    if (!isDischarge(s)) continue;
    // A discharge split in several steps (CC then CV) ends in the last of them.
    let last = k;
    while (last + 1 < steps.length && isDischarge(steps[last + 1]!)) last++;
    const group = steps.slice(k, last + 1);
    const capacityAh = group.reduce((q, g) => q + g.dischargeCapacityAh, 0);
    const energyWh = group.reduce((q, g) => q + g.dischargeEnergyWh, 0);
    const end = steps[last]!;
    if (charged && end.minVoltageV <= cell.voltageMinV + 0.1 && capacityAh > 0) {
      out.push({
        ordinal: out.length + 1,
        cycle: cycleOfRow[s.startRow] ?? 0,
        capacityAh,
        energyWh,
        cRate: Math.abs(s.meanCurrentA) / cell.nominalCapacityAh,
        chargeCRate,
        chargeEnergyWh: chargeWh,
        roundTripEfficiency: chargeWh > 0 ? energyWh / chargeWh : NaN,
        startTemperatureDegC: temp ? temp[s.startRow]! : NaN,
        meanTemperatureDegC: meanOver(temp, s.startRow, end.endRow),
      });
    }
    charged = false;
    chargeWh = 0;
    chargeCRate = NaN;
    k = last;
  }
  return out;
}

function fadeOf(full: readonly FullDischarge[], dcir: Map<number, number>): FadeDigest | null {
  if (full.length < 2) return null;
  const rate = median(full.map((f) => f.cRate));
  const ageing = full.filter((f) => Math.abs(f.cRate - rate) <= 0.25 * rate);
  if (ageing.length < 2) return null;
  const q0 = ageing[0]!.capacityAh;
  const cycles = ageing.map((_, k) => k + 1);
  const retention = ageing.map((f) => f.capacityAh / q0);
  const tail = Math.max(5, Math.ceil(ageing.length / 3));
  const from = Math.max(0, ageing.length - tail);
  const fit = linearFit(cycles.slice(from), retention.slice(from));
  return {
    cycles,
    capacityAh: ageing.map((f) => f.capacityAh),
    retention,
    roundTripEfficiency: ageing.map((f) => f.roundTripEfficiency),
    dcResistanceOhm: ageing.map((f) => dcir.get(f.cycle) ?? NaN),
    dischargeCRate: rate,
    chargeCRate: median(ageing.map((f) => f.chargeCRate).filter(Number.isFinite)),
    recentFadePerCycle: -fit.slope,
  };
}

/**
 * Digests one stored test for the arbiter: full discharges (capacity, energy, C-rates, round-trip
 * efficiency, temperatures), HPPC pulses (resistance at standard times), fast-charge times and,
 * for cycle-life tests, the fade of the full cycles at the cycling rate. Each analysis runs only
 * for the protocols that need it; an analysis that fails on the data leaves a note, not an error.
 * @param frame the stored test's frame (SI units, current positive on charge)
 * @param link how the catalogue links the test (sample, protocol, conditions)
 * @param cell datasheet capacity (for C-rates) and voltage window (for "full")
 */
export function digestTest(frame: Frame, link: DigestLink, cell: DigestCell): TestDigest {
  const notes: string[] = [];
  const steps = detectSteps(frame);
  const cycleOfRow = cycleNumbers(frame, steps, 'instrument');
  const full = fullDischarges(frame, steps, cycleOfRow, cell);
  const temp = temperatureOf(frame);
  const measuredT = meanOver(temp, 0, frame.length);
  const digest: TestDigest = {
    ...link,
    testTemperatureDegC: link.temperatureDegC ?? (Number.isFinite(measuredT) ? measuredT : null),
    fullDischarges: full,
    pulses: [],
    fastCharges: [],
    fade: null,
    notes,
  };
  const guard = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (!isDiscernError(e)) throw e;
      notes.push(`${what}: ${e.code}: ${e.message}`);
    }
  };
  if (link.protocol === 'hppc')
    guard('hppc', () => {
      const r = hppc(frame, {
        timesS: PULSE_TIMES_S,
        capacityAh: cell.nominalCapacityAh,
      });
      digest.pulses = r.pulses
        .filter((p) => !p.flags.includes('ocv-not-at-rest-end'))
        .map((p) => ({
          direction: p.direction,
          socPct: p.socPct,
          durationS: p.durationS,
          currentA: p.currentA,
          ocvV: p.ocvV,
          temperatureDegC: p.temperatureDegC,
          resistancesOhm: p.resistancesOhm.map((r, k) =>
            PULSE_TIMES_S[k]! <= p.durationS + 1e-6 ? Math.abs(r) : NaN,
          ),
        }));
    });
  const needSummary = link.protocol === 'fast_charge' || link.protocol === 'cycle_life';
  const summary = needSummary ? cycleSummary(frame, { steps, cycles: cycleOfRow }) : [];
  if (link.protocol === 'fast_charge')
    guard('fast charge', () => {
      const charges = new Map<number, number>();
      for (const s of steps)
        if (s.kind === 'cc_charge' && !charges.has(cycleOfRow[s.startRow]!))
          charges.set(cycleOfRow[s.startRow]!, Math.abs(s.meanCurrentA) / cell.nominalCapacityAh);
      digest.fastCharges = fastCharge(frame, steps, cycleOfRow, summary)
        .filter((c) => Number.isFinite(c.time10To80PercentS))
        .map((c) => ({
          cycle: c.cycle,
          time10To80S: c.time10To80PercentS,
          chargeCRate: charges.get(c.cycle) ?? c.maxCRate,
          startTemperatureDegC: c.startTemperatureDegC,
        }));
    });
  if (link.protocol === 'cycle_life') {
    const dcir = new Map<number, number>();
    for (const r of summary) if (r.dcResistanceOhm > 0) dcir.set(r.cycle, r.dcResistanceOhm);
    digest.fade = fadeOf(full, dcir);
    if (digest.fade === null) notes.push('cycle life: fewer than 2 full cycles at the cycling rate');
  }
  return digest;
}

/**
 * End of life of a fade digest at `eolFraction` (e.g. 0.8): the first of 5 consecutive ageing
 * cycles at or below it (discern's endOfLife), and, when not reached, the cycle where the recent
 * linear fade would reach it (Infinity when the capacity does not fade).
 */
export function fadeEndOfLife(
  fade: FadeDigest,
  eolFraction: number,
): { reached: boolean; cycle: number; lastCycle: number; lastRetention: number; projectedCycle: number } {
  const eol = endOfLife(fade.cycles, fade.retention, { threshold: eolFraction });
  const lastCycle = fade.cycles[fade.cycles.length - 1]!;
  const tail = Math.max(5, Math.ceil(fade.cycles.length / 3));
  const from = Math.max(0, fade.cycles.length - tail);
  const fit = linearFit(fade.cycles.slice(from), fade.retention.slice(from));
  const lastRetention = fit.intercept + fit.slope * lastCycle;
  const rate = fade.recentFadePerCycle;
  const projected =
    rate > 0 ? lastCycle + Math.max(0, lastRetention - eolFraction) / rate : Number.POSITIVE_INFINITY;
  if (eol.cycle !== null)
    return { reached: true, cycle: eol.cycle, lastCycle, lastRetention, projectedCycle: eol.cycle };
  return { reached: false, cycle: NaN, lastCycle, lastRetention, projectedCycle: projected };
}
