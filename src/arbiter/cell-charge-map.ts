import { DiscernError } from '../core/index.js';
import type { FastChargeCell } from '../powertrain/index.js';

/** The cell data a fast-charge map is derived from. Volts, Ah, Ohm. */
export interface ChargeMapCellInput {
  id: string;
  capacityAh: number;
  nominalVoltageV: number;
  maxVoltageV: number;
  minVoltageV: number;
  /** DC resistance at 25 degC, Ohm; 0 when unknown (then the cell-voltage limit is not modelled). */
  resistanceOhm: number;
  /** Cell-level 10-80 % charge time, minutes (measured or claimed). */
  fastCharge10to80Min: number;
}

/** Cell SOC (%) up to which the derived map holds its plateau C-rate, and the taper after it. */
const PLATEAU_END_PERCENT = 80;
const TAPER = { socPercent: [90, 100], fraction: [0.5, 0.1] } as const;

/**
 * A simple charge map from a cell's 10-80 % fast-charge time (docs/methods/ranking.md): a constant
 * C-rate c = 0.7·60 / t_10-80 (the constant current that charges 70 % of the capacity in t minutes)
 * from 0 to 80 % cell SOC, tapering to c/2 at 90 % and c/10 at 100 %; one temperature row (25 degC,
 * no derating). The OCV is a generic straight line through the nominal voltage
 * (OCV(SOC) = V_nom + 0.9 (V_max − V_nom)(SOC − 50)/50 from 10 to 100 %, down to the mid-point
 * between V_min and OCV(10 %) at 0 %): it only sets the pack voltage for the charger's power and
 * voltage limits, not the charged charge.
 * @throws DISCERN_BAD_ARGUMENT for a non-positive time or capacity, or V_min < V_nom < V_max violated.
 * @example chargeMapCell({ id: 'x', capacityAh: 100, nominalVoltageV: 3.6, maxVoltageV: 4.2, minVoltageV: 2.5, resistanceOhm: 5e-4, fastCharge10to80Min: 21 }).chargeMap.cRate[0][0] // 2
 */
export function chargeMapCell(cell: ChargeMapCellInput): FastChargeCell {
  const t = cell.fastCharge10to80Min;
  if (!(t > 0 && Number.isFinite(t)))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `cell ${cell.id}: 10-80 % time must be > 0 min (got ${t})`,
    );
  if (!(cell.capacityAh > 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `cell ${cell.id}: capacity must be > 0 Ah`);
  const { minVoltageV: vmin, nominalVoltageV: vnom, maxVoltageV: vmax } = cell;
  if (!(vmin < vnom && vnom < vmax))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `cell ${cell.id}: needs V_min < V_nom < V_max (got ${vmin}, ${vnom}, ${vmax})`,
    );
  const c = (0.7 * 60) / t;
  const line = (soc: number): number => vnom + (0.9 * (vmax - vnom) * (soc - 50)) / 50;
  const ocvSoc = [0, 10, 50, 100];
  const ocvV = [Math.min((vmin + line(10)) / 2, line(10)), line(10), line(50), line(100)];
  return {
    id: cell.id,
    capacityAh: cell.capacityAh,
    nominalVoltageV: vnom,
    maxVoltageV: vmax,
    resistanceOhm: Math.max(0, cell.resistanceOhm),
    ocv: { x: ocvSoc, y: ocvV },
    chargeMap: {
      socPercent: [0, PLATEAU_END_PERCENT, ...TAPER.socPercent],
      temperatureDegC: [25],
      cRate: [[c, c, ...TAPER.fraction.map((f) => c * f)]],
    },
  };
}
