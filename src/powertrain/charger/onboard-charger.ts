import { DiscernError } from '../../core/index.js';

/**
 * One conversion stage with loss = fixedW + proportional·P + quadraticPerW·P², P = the stage's
 * output power (W): no-load (gate drive, magnetising, control), switching-like and conduction-like
 * losses.
 */
export interface ConverterStage {
  name: string;
  fixedW: number;
  proportional: number;
  /** 1/W. */
  quadraticPerW: number;
}

/**
 * A bidirectional on-board charger: PFC (AC ↔ DC link) and isolated DC/DC (DC link ↔ battery).
 * `charge` stages run grid → battery (PFC first); `discharge` stages run battery → grid/load for
 * V2G / V2L (DC/DC first). Powers in W.
 */
export interface OnBoardCharger {
  id: string;
  name: string;
  /** Largest AC power in charging, W. */
  ratedChargePowerW: number;
  /** Largest AC power in discharging (V2G/V2L), W; 0 when not bidirectional. */
  ratedDischargePowerW: number;
  charge: readonly ConverterStage[];
  discharge: readonly ConverterStage[];
}

/** Power flow through the charger at one operating point. */
export interface ChargerOperatingPoint {
  direction: 'charge' | 'discharge';
  /** Power delivered by the last stage (battery side when charging, AC side when discharging), W. */
  outputW: number;
  /** Power drawn by the first stage, W. */
  inputW: number;
  lossW: number;
  efficiency: number;
  /** Efficiency of each stage in order of the power flow. */
  stageEfficiency: number[];
}

/**
 * Efficiency of the on-board charger delivering `outputW` in the given direction (charge: battery
 * side power; discharge: AC power to the grid or load). Stages are solved from the output back to
 * the input, each with its own loss polynomial.
 * @throws DISCERN_BAD_ARGUMENT for a negative power, or above the rated power (with 2 % margin).
 * @example onBoardChargerPoint(obc, 'charge', 7000).efficiency
 */
export function onBoardChargerPoint(
  charger: OnBoardCharger,
  direction: 'charge' | 'discharge',
  outputW: number,
): ChargerOperatingPoint {
  const stages = direction === 'charge' ? charger.charge : charger.discharge;
  const rated = direction === 'charge' ? charger.ratedChargePowerW : charger.ratedDischargePowerW;
  if (stages.length === 0 || !(rated > 0)) {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `charger ${charger.id} cannot ${direction === 'charge' ? 'charge' : 'discharge (V2G/V2L)'}`,
    );
  }
  if (!(outputW >= 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `charger power must be >= 0 W (got ${outputW})`);
  if (outputW > rated * 1.02) {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `${outputW} W is above the ${direction} rating of ${charger.id} (${rated} W)`,
    );
  }
  const eff: number[] = new Array<number>(stages.length);
  let p = outputW;
  for (let i = stages.length - 1; i >= 0; i--) {
    const s = stages[i]!;
    const input = p + s.fixedW + s.proportional * p + s.quadraticPerW * p * p;
    eff[i] = input > 0 ? p / input : NaN;
    p = input;
  }
  return {
    direction,
    outputW,
    inputW: p,
    lossW: p - outputW,
    efficiency: p > 0 ? outputW / p : NaN,
    stageEfficiency: eff,
  };
}

/**
 * Efficiency curve in one direction over `points` output powers evenly spaced from rated/points to
 * the rated power.
 * @example onBoardChargerCurve(obc, 'discharge', 10)
 */
export function onBoardChargerCurve(
  charger: OnBoardCharger,
  direction: 'charge' | 'discharge',
  points = 20,
): ChargerOperatingPoint[] {
  const rated = direction === 'charge' ? charger.ratedChargePowerW : charger.ratedDischargePowerW;
  const out: ChargerOperatingPoint[] = [];
  for (let i = 1; i <= points; i++) out.push(onBoardChargerPoint(charger, direction, (rated * i) / points));
  return out;
}
