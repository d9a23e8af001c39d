import { describe, expect, it } from 'vitest';
import {
  chargeMapCRate,
  fastChargeSession,
  onBoardChargerCurve,
  onBoardChargerPoint,
  type DcCharger,
  type FastChargeCell,
} from '../../src/powertrain/index.js';
import { cell, dcCharger, obc, vehicleEntry } from './library-helper.js';

describe('on-board charger', () => {
  const c = obc('obc-11kw-bidirectional');

  it('chains the stage loss polynomials (hand-computed at 5 kW to the battery)', () => {
    const p = onBoardChargerPoint(c, 'charge', 5000);
    const dcdcIn = 5000 + 40 + 0.01 * 5000 + 1e-6 * 5000 ** 2;
    const pfcIn = dcdcIn + 30 + 0.008 * dcdcIn + 8.4e-7 * dcdcIn ** 2;
    expect(p.inputW).toBeCloseTo(pfcIn, 9);
    expect(p.efficiency).toBeCloseTo(5000 / pfcIn, 12);
    expect(p.stageEfficiency[0]).toBeCloseTo(dcdcIn / pfcIn, 12); // PFC first when charging
    expect(p.stageEfficiency[1]).toBeCloseTo(5000 / dcdcIn, 12);
  });

  it('works in both directions (V2G/V2L) and peaks near half load', () => {
    const ch = onBoardChargerCurve(c, 'charge', 20);
    const dis = onBoardChargerCurve(c, 'discharge', 20);
    const best = (a: typeof ch): { p: number; e: number } =>
      a.reduce((b, x) => (x.efficiency > b.e ? { p: x.outputW, e: x.efficiency } : b), { p: 0, e: 0 });
    expect(best(ch).e).toBeGreaterThan(0.955);
    expect(best(ch).e).toBeLessThan(0.965); // below the 6.6 kW SiC reference
    expect(best(ch).p).toBeGreaterThan(3000);
    expect(best(ch).p).toBeLessThan(9000);
    expect(dis[0]!.efficiency).toBeLessThan(best(dis).e); // light load is worst
    expect(dis[5]!.direction).toBe('discharge');
  });

  it('the Wolfspeed-class 6.6 kW reference peaks above 96.5 % (notes §6)', () => {
    const curve = onBoardChargerCurve(obc('obc-6.6kw-sic-reference'), 'charge', 40);
    expect(Math.max(...curve.map((p) => p.efficiency))).toBeGreaterThan(0.965);
  });

  it('rejects powers above the rating and negative powers', () => {
    expect(() => onBoardChargerPoint(c, 'charge', 20_000)).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
    expect(() => onBoardChargerPoint(c, 'discharge', -1)).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
});

/** A cell with a flat C-rate map and a linear OCV 3.0 → 4.2 V: every session has a closed form. */
function flatCell(cRate: number, resistanceOhm = 0): FastChargeCell {
  return {
    id: 'flat',
    capacityAh: 50,
    nominalVoltageV: 3.6,
    maxVoltageV: 4.3,
    resistanceOhm,
    ocv: { x: [0, 100], y: [3.0, 4.2] },
    chargeMap: { socPercent: [0, 100], temperatureDegC: [25], cRate: [[cRate, cRate]] },
    massKg: 1,
    specificHeatJPerKgK: 1000,
  };
}
const unlimited: DcCharger = {
  id: 'unlimited',
  maxCurrentA: 1e9,
  maxPowerW: 1e12,
  maxVoltageV: 2000,
  minVoltageV: 0,
};
const layout = { series: 100, parallel: 2 };
// ∫ OCV dQ from 10 to 80 %: mean OCV 3.54 V, 70 Ah per parallel string → 100 · 2 · 50 · 0.7 · 3.54 Wh
const ocvEnergyWh = 100 * 2 * 50 * 0.7 * 3.54;

describe('DC fast-charge session, analytic cases', () => {
  it('cell-limited at 1C: 10→80 % takes 0.7 h and stores ∫OCV dQ', () => {
    const s = fastChargeSession(flatCell(1), layout, unlimited);
    expect(s.durationS).toBeCloseTo(2520, 6);
    expect(s.energyWh).toBeCloseTo(ocvEnergyWh, 6);
    expect(s.peakCurrentA).toBeCloseTo(100, 9);
    expect(s.limitShare).toEqual({ cell: 1 });
  });

  it('charger-current-limited: t = ΔQ / I_max', () => {
    const s = fastChargeSession(flatCell(1), layout, { ...unlimited, maxCurrentA: 50 });
    expect(s.durationS).toBeCloseTo((0.7 * 100 * 3600) / 50, 6);
    expect(s.limitShare['charger-current']).toBe(1);
  });

  it('power-limited without resistance: t = E / P', () => {
    const s = fastChargeSession(flatCell(5), layout, { ...unlimited, maxPowerW: 20_000 });
    expect(s.durationS).toBeCloseTo((ocvEnergyWh / 20_000) * 3600, 3);
    expect(s.meanPowerW).toBeCloseTo(20_000, 6);
    expect(s.peakPowerW).toBeCloseTo(20_000, 6);
  });

  it('with resistance: energy = ∫OCV dQ + ∫I²R dt, and the adiabatic temperature rise is I²R t / (m c)', () => {
    const s = fastChargeSession(flatCell(1, 1e-3), layout, unlimited, {
      thermal: { coolantDegC: 25, conductanceWPerK: 0 },
    });
    const rPack = (100 * 1e-3) / 2;
    expect(s.energyWh).toBeCloseTo(ocvEnergyWh + (100 * 100 * rPack * 2520) / 3600, 6);
    expect(s.finalTemperatureDegC - 25).toBeCloseTo((100 * 100 * rPack * 2520) / (200 * 1 * 1000), 6);
  });

  it('the same cells at 800 V (2·N_s, N_p/2) beat the CCS 500 A cap that limits the 400 V pack', () => {
    const c = {
      ...cell('nmc-62ah-e208-derived'),
      chargeMap: { socPercent: [0, 100], temperatureDegC: [25], cRate: [[3, 3]] },
    };
    const ccs = dcCharger('ccs-350kw');
    const s400 = fastChargeSession(c, { series: 108, parallel: 4 }, ccs, { toPercent: 70 });
    const s800 = fastChargeSession(c, { series: 216, parallel: 2 }, ccs, { toPercent: 70 });
    expect(s400.limitShare['charger-current']).toBeGreaterThan(0.99);
    expect(s400.durationS).toBeCloseTo((0.6 * 4 * 62 * 3600) / 500, 3);
    expect(s800.durationS).toBeCloseTo((0.6 / 3) * 3600, 3);
    expect(s800.packNominalEnergyWh).toBeCloseTo(s400.packNominalEnergyWh, 6); // same cells, same energy
  });

  it('when the cells limit, 400 V and 800 V charge in the same time (notes §5.2)', () => {
    const c = cell('nmc-62ah-e208-derived');
    const ccs = dcCharger('ccs-350kw');
    const a = fastChargeSession(c, { series: 108, parallel: 2 }, ccs);
    const b = fastChargeSession(c, { series: 216, parallel: 1 }, ccs);
    expect(b.durationS).toBeCloseTo(a.durationS, 6);
    expect(b.peakCurrentA).toBeCloseTo(a.peakCurrentA / 2, 6);
  });

  it('rejects an 800 V pack on a 500 V charger and bad inputs', () => {
    const c = cell('nmc-62ah-e208-derived');
    const code = { code: 'DISCERN_BAD_ARGUMENT' };
    expect(() => fastChargeSession(c, { series: 216, parallel: 1 }, dcCharger('ccs-50kw-500v'))).toThrowError(
      expect.objectContaining(code),
    );
    expect(() => fastChargeSession(c, { series: 108, parallel: 0 }, unlimited)).toThrowError(
      expect.objectContaining(code),
    );
    expect(() => fastChargeSession(c, layout, unlimited, { fromPercent: 80, toPercent: 10 })).toThrowError(
      expect.objectContaining(code),
    );
    expect(() =>
      fastChargeSession(flatCell(1), layout, unlimited, {
        thermal: { coolantDegC: 25, conductanceWPerK: 1 },
      }),
    ).not.toThrow();
    expect(() =>
      fastChargeSession({ ...flatCell(1), massKg: undefined as unknown as number }, layout, unlimited, {
        thermal: { coolantDegC: 25, conductanceWPerK: 1 },
      }),
    ).toThrowError(expect.objectContaining(code));
  });

  it('interpolates the charge map bilinearly and derates when cold', () => {
    const c = cell('nmc-62ah-e208-derived');
    expect(chargeMapCRate(c, 20, 25)).toBeCloseTo(2.0, 12);
    expect(chargeMapCRate(c, 20, 17.5)).toBeCloseTo(1.5, 12); // halfway between 0.5 (10 degC) and 1 (25 degC)
    const warm = fastChargeSession(c, { series: 108, parallel: 2 }, dcCharger('ccs-350kw'));
    const cold = fastChargeSession(c, { series: 108, parallel: 2 }, dcCharger('ccs-350kw'), {
      startTemperatureDegC: 5,
    });
    expect(cold.durationS).toBeGreaterThan(warm.durationS * 2);
  });
});

describe('DC fast-charge sessions against published figures (research notes §3.4, §5.1)', () => {
  it('Peugeot e-208 (108s2p, 62 Ah, 45/50 kWh usable, 100 kW cap): 10→80 % in 27 min (±15 %), 100 kW peak', () => {
    const s = fastChargeSession(
      cell('nmc-62ah-e208-derived'),
      { series: 108, parallel: 2, socWindowPercent: [5, 95] },
      dcCharger('ccs-350kw'),
      {
        vehicleMaxPowerW: 100_000,
      },
    );
    expect(Math.abs(s.durationS / 60 / 27 - 1)).toBeLessThan(0.15);
    expect(s.peakPowerW / 1000).toBeCloseTo(100, 3);
  });

  it('Renault 5 52 kWh (assumed pack, 100 kW cap): 10→80 % in about 30 min (±15 %), 100 kW peak, same at 800 V', () => {
    const e = vehicleEntry('renault-5-52kwh');
    const p = e.pack!;
    const c = { ...cell(p.cell), capacityAh: p.cellCapacityAh! };
    const opts = { vehicleMaxPowerW: p.maxDcChargePowerW };
    const s = fastChargeSession(c, p.layout, dcCharger('ccs-350kw'), opts);
    expect(Math.abs(s.durationS / 60 / e.published['dcCharge10to80Min']! - 1)).toBeLessThan(0.15);
    expect(s.peakPowerW / 1000).toBeCloseTo(e.published['peakDcChargeKw']!, 3);
    // battery-side energy of 70 % of 52 kWh usable, within the OCV-vs-nominal difference
    expect(Math.abs(s.energyWh / (0.7 * 52_000) - 1)).toBeLessThan(0.06);
    const s800 = fastChargeSession(
      c,
      { ...p.layout, series: p.layout.series * 2, parallel: p.layout.parallel / 2 },
      dcCharger('ccs-350kw'),
      opts,
    );
    expect(s800.durationS).toBeCloseTo(s.durationS, 6);
  });
});
