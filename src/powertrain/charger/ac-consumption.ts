import { DiscernError } from '../../core/index.js';
import type { Vehicle } from '../vehicle/types.js';
import { onBoardChargerPoint, type OnBoardCharger } from './onboard-charger.js';

/** Grid-side view of a DC consumption. */
export interface AcConsumptionResult {
  /** AC power drawn from the grid while charging, W. */
  acChargePowerW: number;
  charger: string;
  chargerEfficiency: number;
  /** Battery terminal power while charging (after the charging auxiliaries), W. */
  batteryChargePowerW: number;
  /** Grid → stored-and-usable energy: charger × (1 − aux share) × battery round trip. */
  wallToBatteryEfficiency: number;
  consumptionAcWhPerKm: number;
}

/**
 * Energy per km from the grid (the WLTP label figure) for a DC consumption at the battery terminals:
 * recharging with `acChargePowerW` through the on-board charger, minus the loads that run while
 * charging, times the battery's round-trip efficiency (the terminal energy to recharge exceeds the
 * energy discharged).
 * @throws DISCERN_BAD_ARGUMENT when the charging auxiliaries eat the whole charger output.
 * @example acConsumption(r5, obc, 126.8, 11000).consumptionAcWhPerKm
 */
export function acConsumption(
  vehicle: Vehicle,
  charger: OnBoardCharger,
  consumptionDcWhPerKm: number,
  acChargePowerW = charger.ratedChargePowerW,
): AcConsumptionResult {
  // output of the charger for the requested AC input: solve by fixed point on the output power
  let out = acChargePowerW * 0.9;
  for (let i = 0; i < 50; i++) {
    const p = onBoardChargerPoint(charger, 'charge', Math.min(out, charger.ratedChargePowerW * 1.02));
    const next = out * (acChargePowerW / p.inputW);
    if (Math.abs(next - out) < 1e-6) break;
    out = next;
  }
  const point = onBoardChargerPoint(charger, 'charge', Math.min(out, charger.ratedChargePowerW * 1.02));
  const battery = point.outputW - vehicle.chargingAuxPowerW;
  if (!(battery > 0))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `charging at ${acChargePowerW} W does not cover the charging auxiliaries`,
    );
  const wallToBattery = (battery / point.inputW) * vehicle.batteryRoundTripEfficiency;
  return {
    acChargePowerW: point.inputW,
    charger: charger.id,
    chargerEfficiency: point.efficiency,
    batteryChargePowerW: battery,
    wallToBatteryEfficiency: wallToBattery,
    consumptionAcWhPerKm: consumptionDcWhPerKm / wallToBattery,
  };
}
