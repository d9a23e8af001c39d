const kelvin = (c: number): number => c + 273.15;

/** Stress of a cycling test, as the ageing laws take it. */
export interface CyclingStress {
  /** Depth of discharge, 0..1. */
  dod: number;
  /** Mean of the charge and discharge C-rates, 1/h. */
  cRate: number;
  /** Cell temperature, degC. */
  temperatureDegC: number;
}

/**
 * A cycling-ageing law: capacity lost (fraction of the initial capacity) after `efc` equivalent full
 * cycles under constant stress, in the closed form y = k·EFC^p of NREL BLAST-Lite's models (the exact
 * limit of their incremental update under constant stress), optionally with a knee.
 */
export interface AgeingLaw {
  /** Where the law comes from (shown in docs and in the lab's ground truth). */
  source: string;
  /** Capacity lost after `efc` cycles, 0..1. `rateScale` multiplies k (sample-to-sample spread). */
  capacityLoss(efc: number, stress: CyclingStress, rateScale?: number): number;
  /**
   * Calendar loss after `days` at `temperatureDegC` (0..1): k·√days·e^(−Ea/R·(1/T − 1/298.15)).
   * `rateScale` multiplies k.
   */
  calendarLoss(days: number, temperatureDegC: number, rateScale?: number): number;
  /** Relative resistance increase per unit of capacity lost (e.g. 1.5: 20 % loss → +30 %). */
  resistanceGrowthPerLoss: number;
}

/** A √t calendar-ageing term: loss = k·√days at 25 degC, Arrhenius in temperature. */
export interface CalendarTerm {
  /** Loss per √day at 25 degC (e.g. 1.3e-3: 2.5 % after a year). */
  kPerSqrtDay: number;
  activationEnergyJPerMol: number;
}

/** Default calendar term: 2.5 % after 365 days at 25 degC, Ea 50 kJ/mol (typical, assumption). */
export const DEFAULT_CALENDAR: CalendarTerm = { kPerSqrtDay: 1.3e-3, activationEnergyJPerMol: 50000 };

/** The calendar loss of a CalendarTerm (see AgeingLaw.calendarLoss). */
export function calendarLoss(
  term: CalendarTerm,
  days: number,
  temperatureDegC: number,
  rateScale = 1,
): number {
  const arr = Math.exp((term.activationEnergyJPerMol / 8.314) * (1 / 298.15 - 1 / kelvin(temperatureDegC)));
  return rateScale * term.kPerSqrtDay * arr * Math.sqrt(Math.max(0, days));
}

/**
 * Gasper et al. 2023 (J. Energy Storage, large prismatic LFP/graphite 250 Ah), BLAST-Lite
 * `Lfp_Gr_250AhPrismatic` cycling term: k = (4.38e-8 + 1.55e-8·DOD + 1.68e-7·C)·(e^(2190/T) + e^(−1.55e5/T)),
 * loss = k·EFC^0.828. Reference: 25 degC, 0.5C, DOD 1 → 6.765 % after 1000 EFC. `scale` multiplies k.
 */
export function gasperLfpLaw(
  scale = 1,
  resistanceGrowthPerLoss = 1.2,
  calendar: CalendarTerm = DEFAULT_CALENDAR,
): AgeingLaw {
  return {
    calendarLoss: (days, t, r) => calendarLoss(calendar, days, t, r),
    source:
      scale === 1
        ? 'Gasper et al. 2023, BLAST-Lite Lfp_Gr_250AhPrismatic (cycling)'
        : `Gasper et al. 2023, BLAST-Lite Lfp_Gr_250AhPrismatic (cycling), k × ${scale} (assumption)`,
    resistanceGrowthPerLoss,
    capacityLoss(efc, s, rateScale = 1) {
      const t = kelvin(s.temperatureDegC);
      const k =
        (4.38e-8 + 1.55e-8 * s.dod + 1.68e-7 * s.cRate) * (Math.exp(2190 / t) + Math.exp(-1.55e5 / t));
      return scale * rateScale * k * Math.pow(Math.max(0, efc), 0.828);
    },
  };
}

/**
 * Kokam NMC/graphite 75 Ah (BLAST-Lite `Nmc111_Gr_Kokam75Ah`), cycling loss of lithium inventory:
 * q3 = 3.80e3·e^(−18.4/T_N)·e^(1.04·e^(DOD²)), T_N = T/308.15 K, loss = q3·EFC^0.778 (25 degC, DOD 1:
 * 7.630 % after 1000 EFC). `scale` multiplies q3; `knee` adds b·(EFC − knee)² beyond the knee
 * (an assumption for chemistries with an abrupt end of life).
 */
export function kokamNmcLaw(
  scale = 1,
  resistanceGrowthPerLoss = 2,
  knee?: { efc: number; b: number },
  calendar: CalendarTerm = DEFAULT_CALENDAR,
): AgeingLaw {
  return {
    calendarLoss: (days, t, r) => calendarLoss(calendar, days, t, r),
    source:
      `BLAST-Lite Nmc111_Gr_Kokam75Ah (cycling LLI)` +
      (scale !== 1 ? `, q3 × ${scale} (assumption)` : '') +
      (knee ? `, knee after ${knee.efc} EFC (assumption)` : ''),
    resistanceGrowthPerLoss,
    capacityLoss(efc, s, rateScale = 1) {
      const tn = kelvin(s.temperatureDegC) / 308.15;
      const q3 = 3.8e3 * Math.exp(-18.4 / tn) * Math.exp(1.04 * Math.exp(s.dod * s.dod));
      const x = Math.max(0, efc);
      let loss = scale * rateScale * q3 * Math.pow(x, 0.778);
      // A faster-ageing sample reaches its knee earlier.
      if (knee && x > knee.efc / rateScale) loss += knee.b * (x - knee.efc / rateScale) ** 2;
      return loss;
    },
  };
}

/**
 * A power law loss = k·EFC^p with an Arrhenius factor (activation energy, J/mol, reference 25 degC)
 * and a C-rate factor (1 + c·(C − 1)); for chemistries without a published law in our references
 * (assumption, stated in the source).
 */
export function powerLaw(
  k: number,
  p: number,
  options: {
    activationEnergyJPerMol?: number;
    cRateFactor?: number;
    resistanceGrowthPerLoss?: number;
    calendar?: CalendarTerm;
    label: string;
  },
): AgeingLaw {
  const calendar = options.calendar ?? DEFAULT_CALENDAR;
  const ea = options.activationEnergyJPerMol ?? 30000;
  const c = options.cRateFactor ?? 0.3;
  return {
    source: `power law k·EFC^p, k ${k}, p ${p} (${options.label}; assumption)`,
    resistanceGrowthPerLoss: options.resistanceGrowthPerLoss ?? 1.5,
    calendarLoss: (days, t, r) => calendarLoss(calendar, days, t, r),
    capacityLoss(efc, s, rateScale = 1) {
      const arr = Math.exp((ea / 8.314) * (1 / 298.15 - 1 / kelvin(s.temperatureDegC)));
      const rate = Math.max(0.2, 1 + c * (s.cRate - 1));
      return rateScale * k * arr * rate * Math.pow(Math.max(0, efc), p);
    },
  };
}

/** Equivalent full cycles at which the law reaches `loss` (bisection; Infinity beyond 1e6 EFC). */
export function cyclesToLoss(law: AgeingLaw, loss: number, stress: CyclingStress, rateScale = 1): number {
  let lo = 0;
  let hi = 1e6;
  if (law.capacityLoss(hi, stress, rateScale) < loss) return Infinity;
  for (let i = 0; i < 80; i++) {
    const mid = 0.5 * (lo + hi);
    if (law.capacityLoss(mid, stress, rateScale) < loss) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
