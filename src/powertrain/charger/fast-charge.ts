import { DiscernError } from '../../core/index.js';

/** Piecewise-linear curve y(x) with strictly increasing x. */
export interface Curve {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/**
 * A cell for fast-charge planning. `chargeMap.cRate[iT][iSoc]` is the largest charging C-rate the
 * cell (its BMS) allows at cell SOC `socPercent[iSoc]` and temperature `temperatureDegC[iT]`
 * (bilinear interpolation, clamped at the table edges). OCV against cell SOC (%), V.
 */
export interface FastChargeCell {
  id: string;
  capacityAh: number;
  nominalVoltageV: number;
  maxVoltageV: number;
  /** DC internal resistance, Ohm. */
  resistanceOhm: number;
  ocv: Curve;
  chargeMap: {
    readonly socPercent: readonly number[];
    readonly temperatureDegC: readonly number[];
    readonly cRate: readonly (readonly number[])[];
  };
  /** Cell mass, kg, and specific heat, J/(kg·K): only for the thermal model. */
  massKg?: number;
  specificHeatJPerKgK?: number;
}

/** Pack layout: series and parallel cell counts and the cell-SOC window shown to the driver as 0-100 %. */
export interface PackLayout {
  series: number;
  parallel: number;
  /** Cell SOC (%) at displayed 0 % and 100 %; default [0, 100]. */
  socWindowPercent?: readonly [number, number];
}

/** DC charger (EVSE) limits at the connector. */
export interface DcCharger {
  id: string;
  maxCurrentA: number;
  maxPowerW: number;
  maxVoltageV: number;
  minVoltageV: number;
}

/** Options of {@link fastChargeSession}. */
export interface FastChargeOptions {
  /** Displayed SOC at the start and end, %; default 10 and 80. */
  fromPercent?: number;
  toPercent?: number;
  /** Vehicle-side DC power limit (the car's own cap, e.g. 100 kW), W; default none. */
  vehicleMaxPowerW?: number;
  /** Pack temperature at the start, degC; default 25. */
  startTemperatureDegC?: number;
  /** Lumped pack thermal model; without it the temperature stays at the start value. */
  thermal?: { coolantDegC: number; conductanceWPerK: number };
  /** Coulombic efficiency of charging; default 1. */
  coulombicEfficiency?: number;
  /** SOC integration step in displayed %, default 0.1. */
  stepPercent?: number;
}

/** What limited the current in a step. */
export type ChargeLimit =
  'cell' | 'cell-voltage' | 'charger-current' | 'charger-power' | 'charger-voltage' | 'vehicle-power';

/** A DC fast-charge session. Times in s, energies in Wh, powers in W, all at the battery terminals. */
export interface FastChargeResult {
  cell: string;
  charger: string;
  series: number;
  parallel: number;
  packCapacityAh: number;
  /** Pack energy at nominal voltage, Wh. */
  packNominalEnergyWh: number;
  nominalVoltageV: number;
  fromPercent: number;
  toPercent: number;
  durationS: number;
  energyWh: number;
  peakPowerW: number;
  meanPowerW: number;
  peakCurrentA: number;
  maxVoltageV: number;
  finalTemperatureDegC: number;
  /** Share of the session time each limit was active. */
  limitShare: Partial<Record<ChargeLimit, number>>;
  /** Per-step trace at step mid-points. */
  trace: {
    socPercent: Float64Array;
    timeS: Float64Array;
    powerW: Float64Array;
    currentA: Float64Array;
    voltageV: Float64Array;
    temperatureDegC: Float64Array;
    limit: ChargeLimit[];
  };
}

/** Linear interpolation in a curve, clamped at its ends. */
export function interpolate(c: Curve | { x: readonly number[]; y: readonly number[] }, x: number): number {
  const n = c.x.length;
  if (x <= c.x[0]!) return c.y[0]!;
  if (x >= c.x[n - 1]!) return c.y[n - 1]!;
  let k = 0;
  while (c.x[k + 1]! < x) k++;
  const x0 = c.x[k]!;
  const x1 = c.x[k + 1]!;
  return c.y[k]! + ((c.y[k + 1]! - c.y[k]!) * (x - x0)) / (x1 - x0);
}

/** Largest C-rate from the charge map at cell SOC (%) and temperature (degC), bilinear, clamped. */
export function chargeMapCRate(cell: FastChargeCell, socPercent: number, temperatureDegC: number): number {
  const m = cell.chargeMap;
  const rows = m.cRate.map((row) => interpolate({ x: m.socPercent, y: row }, socPercent));
  if (rows.length === 1) return rows[0]!;
  return interpolate({ x: m.temperatureDegC, y: rows }, temperatureDegC);
}

/**
 * A DC fast-charge session from a cell's charge map, the pack layout and the charger and vehicle
 * limits (docs/methods/fast-charge.md). Integrated in displayed-SOC steps; per step
 *   I = min(N_p·C(SOC, T)·Q, I_EVSE, current at P_EVSE, current at P_vehicle, current at V_cell,max / V_EVSE,max)
 * with V_pack = N_s (OCV + I R / N_p); dt = ΔQ / (η_c I). With `thermal`, the pack heats by
 * I² R_pack and cools to the coolant through `conductanceWPerK` (cell mass × specific heat).
 * @throws DISCERN_BAD_ARGUMENT for an invalid layout, window or map, or a pack whose voltage is
 * outside the charger's range (e.g. an 800 V pack on a 500 V charger without a boost stage).
 * @example fastChargeSession(cell, { series: 108, parallel: 2 }, ccs, { vehicleMaxPowerW: 100e3 }).durationS
 */
export function fastChargeSession(
  cell: FastChargeCell,
  layout: PackLayout,
  charger: DcCharger,
  options: FastChargeOptions = {},
): FastChargeResult {
  const bad = (m: string): never => {
    throw new DiscernError('DISCERN_BAD_ARGUMENT', m);
  };
  const from = options.fromPercent ?? 10;
  const to = options.toPercent ?? 80;
  if (!(from >= 0 && to <= 100 && to > from)) bad(`SOC range ${from}..${to} % is invalid`);
  if (!(
    Number.isInteger(layout.series) &&
    layout.series > 0 &&
    Number.isInteger(layout.parallel) &&
    layout.parallel > 0
  )) {
    bad('series and parallel counts must be positive integers');
  }
  const [w0, w1] = layout.socWindowPercent ?? [0, 100];
  if (!(w0 >= 0 && w1 <= 100 && w1 > w0)) bad(`SOC window ${w0}..${w1} % is invalid`);
  if (!(cell.capacityAh > 0 && cell.resistanceOhm >= 0))
    bad(`cell ${cell.id}: capacity must be > 0 and resistance >= 0`);
  const m = cell.chargeMap;
  if (m.cRate.length !== m.temperatureDegC.length || m.cRate.some((r) => r.length !== m.socPercent.length)) {
    bad(`cell ${cell.id}: charge map rows must match its temperature and SOC axes`);
  }
  const thermal = options.thermal;
  const heatCapacity = (cell.massKg ?? 0) * (cell.specificHeatJPerKgK ?? 0) * layout.series * layout.parallel;
  if (thermal && !(heatCapacity > 0))
    bad(`cell ${cell.id} needs massKg and specificHeatJPerKgK for the thermal model`);
  const ns = layout.series;
  const np = layout.parallel;
  const R = cell.resistanceOhm;
  const etaC = options.coulombicEfficiency ?? 1;
  const stepPct = options.stepPercent ?? 0.1;
  const steps = Math.max(1, Math.round((to - from) / stepPct));
  const dDisp = (to - from) / steps;
  const dQ = (cell.capacityAh * np * 3600 * (w1 - w0) * dDisp) / 1e4; // C per step
  const vMaxPack = Math.min(ns * cell.maxVoltageV, charger.maxVoltageV);
  const t = {
    socPercent: new Float64Array(steps),
    timeS: new Float64Array(steps),
    powerW: new Float64Array(steps),
    currentA: new Float64Array(steps),
    voltageV: new Float64Array(steps),
    temperatureDegC: new Float64Array(steps),
    limit: new Array<ChargeLimit>(steps),
  };
  const share: Partial<Record<ChargeLimit, number>> = {};
  let time = 0;
  let energy = 0;
  let temp = options.startTemperatureDegC ?? 25;
  let peakP = 0;
  let peakI = 0;
  let maxV = 0;
  for (let k = 0; k < steps; k++) {
    const disp = from + (k + 0.5) * dDisp;
    const soc = w0 + ((w1 - w0) * disp) / 100;
    const ocv = ns * interpolate(cell.ocv, soc);
    const rPack = (ns * R) / np;
    if (ocv < charger.minVoltageV || ocv > charger.maxVoltageV) {
      bad(
        `pack voltage ${ocv.toFixed(0)} V is outside the ${charger.id} range ${charger.minVoltageV}-${charger.maxVoltageV} V`,
      );
    }
    const candidates: [number, ChargeLimit][] = [
      [np * chargeMapCRate(cell, soc, temp) * cell.capacityAh, 'cell'],
      [charger.maxCurrentA, 'charger-current'],
      [currentAtPower(charger.maxPowerW, ocv, rPack), 'charger-power'],
    ];
    if (options.vehicleMaxPowerW !== undefined)
      candidates.push([currentAtPower(options.vehicleMaxPowerW, ocv, rPack), 'vehicle-power']);
    if (rPack > 0) {
      candidates.push([
        (vMaxPack - ocv) / rPack,
        vMaxPack < ns * cell.maxVoltageV ? 'charger-voltage' : 'cell-voltage',
      ]);
    }
    let current = Infinity;
    let limit: ChargeLimit = 'cell';
    for (const [i, why] of candidates) {
      if (i < current) {
        current = i;
        limit = why;
      }
    }
    if (!(current > 0))
      bad(`no charging current possible at displayed SOC ${disp.toFixed(1)} % (limit: ${limit})`);
    const v = ocv + current * rPack;
    const p = v * current;
    const dt = dQ / (etaC * current);
    if (thermal) {
      temp +=
        ((current * current * rPack - thermal.conductanceWPerK * (temp - thermal.coolantDegC)) * dt) /
        heatCapacity;
    }
    t.socPercent[k] = disp;
    t.timeS[k] = time + dt / 2;
    t.powerW[k] = p;
    t.currentA[k] = current;
    t.voltageV[k] = v;
    t.temperatureDegC[k] = temp;
    t.limit[k] = limit;
    share[limit] = (share[limit] ?? 0) + dt;
    time += dt;
    energy += (p * dt) / 3600;
    if (p > peakP) peakP = p;
    if (current > peakI) peakI = current;
    if (v > maxV) maxV = v;
  }
  for (const key of Object.keys(share) as ChargeLimit[]) share[key] = share[key]! / time;
  return {
    cell: cell.id,
    charger: charger.id,
    series: ns,
    parallel: np,
    packCapacityAh: cell.capacityAh * np,
    packNominalEnergyWh: ns * np * cell.nominalVoltageV * cell.capacityAh,
    nominalVoltageV: ns * cell.nominalVoltageV,
    fromPercent: from,
    toPercent: to,
    durationS: time,
    energyWh: energy,
    peakPowerW: peakP,
    meanPowerW: (energy * 3600) / time,
    peakCurrentA: peakI,
    maxVoltageV: maxV,
    finalTemperatureDegC: temp,
    limitShare: share,
    trace: t,
  };
}

/** Current at which (OCV + I R) I = P: the positive root of R I² + OCV I − P = 0. */
function currentAtPower(powerW: number, ocv: number, r: number): number {
  if (r <= 0) return powerW / ocv;
  return (-ocv + Math.sqrt(ocv * ocv + 4 * r * powerW)) / (2 * r);
}
