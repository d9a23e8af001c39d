import { DiscernError } from '../../core/index.js';
import { increasingPairs, interpLinear } from '../numeric/interpolate.js';

/** A slow charge or discharge on an SOC axis. */
export interface SocCurve {
  soc: ArrayLike<number>;
  voltageV: ArrayLike<number>;
  /** The (constant) current of the curve, A, positive on charge. */
  currentA: number;
}

/**
 * Pseudo-OCV from a slow charge and a slow discharge at the same SOC, weighted by their currents so
 * that the IR drops cancel: OCV = (I_ch·V_dis − I_dis·V_ch)/(I_ch − I_dis) (equal magnitudes give
 * the plain mean). Evaluated at the charge curve's SOC points (the discharge interpolated there),
 * as PyProBE's average_OCV_curves.
 * @throws DISCERN_BAD_ARGUMENT when the charge current is not positive or the discharge current not negative
 * @example averageOcvCurves(charge, discharge)
 */
export function averageOcvCurves(
  charge: SocCurve,
  discharge: SocCurve,
): { soc: Float64Array; ocvV: Float64Array } {
  const ic = charge.currentA;
  const id = discharge.currentA;
  if (!(ic > 0) || !(id < 0))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      'pseudo-OCV needs a positive charge and a negative discharge current',
    );
  const d = increasingPairs(discharge.soc, discharge.voltageV);
  const soc = Float64Array.from(charge.soc);
  const ocv = new Float64Array(soc.length);
  for (let k = 0; k < soc.length; k++) {
    const vd = interpLinear(d.x, d.y, soc[k]!);
    ocv[k] = (ic * vd - id * charge.voltageV[k]!) / (ic - id);
  }
  return { soc, ocvV: ocv };
}

/** Result of `pseudoOcv`. */
export interface PseudoOcvResult {
  /** SOC points (0..1) and the averaged OCV there. */
  soc: Float64Array;
  ocvV: Float64Array;
  /** Capacity on the SOC axis (Ah): SOC × cell capacity. */
  capacityAh: Float64Array;
  /** Cell capacity used for the SOC axis: the mean of the charge and discharge capacities. */
  cellCapacityAh: number;
  chargeCurrentA: number;
  dischargeCurrentA: number;
}

/**
 * Pseudo-OCV from the constant-current charge and discharge of slow cycles (C/20…C/10), given as
 * (capacity from the start of each half cycle, voltage, mean current). The charge runs 0 → 1 in SOC
 * (q/Q_ch), the discharge 1 → 0 (1 − q/Q_dis); `averageOcvCurves` combines them on `points`
 * evenly spaced SOC values (default 201).
 * @throws DISCERN_INSUFFICIENT_DATA when either half cycle passed no charge
 */
export function pseudoOcv(
  charge: { capacityAh: ArrayLike<number>; voltageV: ArrayLike<number>; currentA: number },
  discharge: { capacityAh: ArrayLike<number>; voltageV: ArrayLike<number>; currentA: number },
  points = 201,
): PseudoOcvResult {
  const qc = Math.max(...Array.from(charge.capacityAh));
  const qd = Math.max(...Array.from(discharge.capacityAh));
  if (!(qc > 0) || !(qd > 0))
    throw new DiscernError('DISCERN_INSUFFICIENT_DATA', 'pseudo-OCV needs a charge and a discharge');
  const c = increasingPairs(
    Array.from(charge.capacityAh, (q) => q / qc),
    charge.voltageV,
  );
  const soc = new Float64Array(points);
  const vc = new Float64Array(points);
  for (let k = 0; k < points; k++) {
    soc[k] = k / (points - 1);
    vc[k] = interpLinear(c.x, c.y, soc[k]!);
  }
  const r = averageOcvCurves(
    { soc, voltageV: vc, currentA: charge.currentA },
    {
      soc: Array.from(discharge.capacityAh, (q) => 1 - q / qd),
      voltageV: discharge.voltageV,
      currentA: discharge.currentA,
    },
  );
  const cell = 0.5 * (qc + qd);
  return {
    soc: r.soc,
    ocvV: r.ocvV,
    capacityAh: r.soc.map((s) => s * cell),
    cellCapacityAh: cell,
    chargeCurrentA: charge.currentA,
    dischargeCurrentA: discharge.currentA,
  };
}
