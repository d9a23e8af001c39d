import { describe, expect, it } from 'vitest';
import {
  igbtSwitchLosses,
  inverterLosses,
  sicSwitchLosses,
  valueAt,
  type FosterNetwork,
  type IgbtModule,
  type SicMosfetModule,
} from '../../src/powertrain/index.js';
import { device } from './library-helper.js';

const net: FosterNetwork = { r: [0.1], tau: [1] };

/** Research notes §1.7 vector A: Si IGBT, constants (no temperature dependence), K_v = K_i = 1. */
const vectorA: IgbtModule = {
  kind: 'igbt',
  id: 'vector-a',
  name: 'notes §1.7 A',
  manufacturer: 'synthetic',
  blockingVoltageV: 750,
  nominalCurrentA: 820,
  maxJunctionDegC: 150,
  igbt: { vce0V: 0.75, rceOhm: 1.1e-3 },
  diode: { vf0V: 0.85, rfOhm: 0.9e-3 },
  switching: {
    refVoltageV: 400,
    refCurrentA: 450,
    eOnOffJ: 45e-3,
    eRecJ: 12e-3,
    kvIgbt: 1,
    kiIgbt: 1,
    kvDiode: 1,
    kiDiode: 1,
  },
  thermal: { igbt: net, diode: net },
};

/** Notes §1.7 vector B: SiC MOSFET with synchronous rectification. */
const vectorB = (deadTimeS: number): SicMosfetModule => ({
  kind: 'sic-mosfet',
  id: 'vector-b',
  name: 'notes §1.7 B',
  manufacturer: 'synthetic',
  blockingVoltageV: 1200,
  nominalCurrentA: 450,
  maxJunctionDegC: 175,
  mosfet: { rdsOnOhm: 4.6e-3, rdsOnCurrentCoeffPerA: 0 },
  bodyDiode: { vsd0V: 4.2, rsdOhm: 0 },
  deadTimeS,
  switching: {
    refVoltageV: 600,
    eOnOff: { a: 0, b: 32e-3 / 450, c: 0 },
    eRec: { a: 0, b: 1.1e-3 / 450, c: 0 },
    kv: 1,
    temperatureFactor: 1,
  },
  thermal: { mosfet: net },
});

const opA = {
  dcLinkVoltageV: 350,
  phaseCurrentRmsA: 300,
  modulationIndex: 0.9,
  powerFactor: 0.85,
  switchingFrequencyHz: 10e3,
  modulation: 'spwm' as const,
};
const opB = { ...opA, dcLinkVoltageV: 700, phaseCurrentRmsA: 150 };
const tj = { transistorDegC: 150, diodeDegC: 150 };

describe('Si IGBT + diode (research notes §1.7 vector A)', () => {
  it('matches the hand formulas and the published per-switch values', () => {
    const p = igbtSwitchLosses(vectorA, opA, tj);
    const I = 300 * Math.SQRT2;
    const mc = 0.9 * 0.85;
    // hand formulas of §1.2 and §1.4
    expect(p.transistorConductionW).toBeCloseTo(
      0.75 * I * (1 / (2 * Math.PI) + mc / 8) + 1.1e-3 * I * I * (1 / 8 + mc / (3 * Math.PI)),
      10,
    );
    expect(p.diodeConductionW).toBeCloseTo(
      0.85 * I * (1 / (2 * Math.PI) - mc / 8) + 0.9e-3 * I * I * (1 / 8 - mc / (3 * Math.PI)),
      10,
    );
    expect(p.transistorSwitchingW).toBeCloseTo((10e3 * 45e-3 * (I / 450) * (350 / 400)) / Math.PI, 10);
    expect(p.diodeSwitchingW).toBeCloseTo((10e3 * 12e-3 * (I / 450) * (350 / 400)) / Math.PI, 10);
    // the table of §1.7 (rounded to 0.1 W)
    expect(p.transistorConductionW).toBeCloseTo(121.9, 1);
    expect(p.diodeConductionW).toBeCloseTo(30.0, 1);
    expect(p.transistorSwitchingW).toBeCloseTo(118.2, 1);
    expect(p.diodeSwitchingW).toBeCloseTo(31.5, 1);
    const inv = inverterLosses(vectorA, opA, 150);
    expect(inv.totalLossW).toBeCloseTo(1809.5, 0);
    expect(inv.acPowerW / 1000).toBeCloseTo(85.2, 1);
    expect(inv.efficiency * 100).toBeCloseTo(97.92, 2);
  });

  it('matches the published low-load case (350 V, 30 A, M 0.3, cos φ 0.9)', () => {
    const op = { ...opA, phaseCurrentRmsA: 30, modulationIndex: 0.3, powerFactor: 0.9 };
    const p = igbtSwitchLosses(vectorA, op, tj);
    expect(p.transistorConductionW).toBeCloseTo(6.44, 2);
    expect(p.diodeConductionW).toBeCloseTo(4.68, 2);
    expect(p.transistorSwitchingW).toBeCloseTo(11.82, 2);
    expect(p.diodeSwitchingW).toBeCloseTo(3.15, 2);
    const inv = inverterLosses(vectorA, op, 150);
    expect(inv.totalLossW).toBeCloseTo(156.5, 1);
    expect(inv.acPowerW / 1000).toBeCloseTo(3.01, 2);
    expect(inv.efficiency * 100).toBeCloseTo(95.05, 2);
  });

  it('gives the peak-current result, not the RMS pitfall (121.9 W, not 77.7 W)', () => {
    const p = igbtSwitchLosses(vectorA, opA, tj);
    const wrong = igbtSwitchLosses(vectorA, { ...opA, phaseCurrentRmsA: 300 / Math.SQRT2 }, tj);
    expect(wrong.transistorConductionW).toBeCloseTo(77.7, 1);
    expect(p.transistorConductionW).toBeGreaterThan(wrong.transistorConductionW * 1.5);
  });

  it('scales switching energy with (Î/I_ref)^ki averaged over the half-wave', () => {
    const m: IgbtModule = {
      ...vectorA,
      switching: { ...vectorA.switching, kiIgbt: 1.4, kvIgbt: 1.3, kiDiode: 0.6, kvDiode: 0.6 },
    };
    const p = igbtSwitchLosses(m, opA, tj);
    const I = 300 * Math.SQRT2;
    let sT = 0;
    let sD = 0;
    const n = 100_000;
    for (let k = 0; k < n; k++) {
      const i = I * Math.sin((Math.PI * (k + 0.5)) / n);
      sT += 45e-3 * (i / 450) ** 1.4;
      sD += 12e-3 * (i / 450) ** 0.6;
    }
    expect(p.transistorSwitchingW).toBeCloseTo(
      (10e3 * (350 / 400) ** 1.3 * sT * (Math.PI / n)) / (2 * Math.PI),
      6,
    );
    expect(p.diodeSwitchingW).toBeCloseTo(
      (10e3 * (350 / 400) ** 0.6 * sD * (Math.PI / n)) / (2 * Math.PI),
      6,
    );
  });

  it('moves conduction from IGBT to diode when regenerating (cos φ < 0)', () => {
    const sym: IgbtModule = { ...vectorA, diode: { vf0V: 0.75, rfOhm: 1.1e-3 } };
    const motor = igbtSwitchLosses(sym, opA, tj);
    const regen = igbtSwitchLosses(sym, { ...opA, powerFactor: -0.85 }, tj);
    expect(regen.diodeConductionW).toBeCloseTo(motor.transistorConductionW, 10);
    expect(regen.transistorConductionW).toBeCloseTo(motor.diodeConductionW, 10);
    const inv = inverterLosses(vectorA, { ...opA, powerFactor: -0.85 }, 150);
    expect(inv.acPowerW).toBeLessThan(0);
    expect(inv.efficiency).toBeCloseTo(inv.dcPowerW / inv.acPowerW, 12);
    expect(inv.efficiency).toBeLessThan(1);
  });
});

describe('SiC MOSFET with synchronous rectification (research notes §1.7 vector B)', () => {
  it('conducts R I_rms²/2 per switch, 3 R I_rms² per inverter, independent of M and cos φ', () => {
    const p = sicSwitchLosses(vectorB(0), opB, tj);
    expect(p.transistorConductionW).toBeCloseTo(4.6e-3 * 150 * 150 * 0.5, 10); // 51.75 W
    expect(6 * p.transistorConductionW).toBeCloseTo(310.5, 8);
    const other = sicSwitchLosses(vectorB(0), { ...opB, modulationIndex: 0.2, powerFactor: -0.3 }, tj);
    expect(other.transistorConductionW).toBeCloseTo(p.transistorConductionW, 12);
  });

  it('moves the dead-time share of conduction to the body diode (hand formulas)', () => {
    const p = sicSwitchLosses(vectorB(200e-9), opB, tj);
    const I = 150 * Math.SQRT2;
    const share = 2 * 200e-9 * 10e3;
    expect(p.transistorConductionW).toBeCloseTo(4.6e-3 * (I * I) * 0.25 * (1 - share), 10);
    expect(p.diodeConductionW).toBeCloseTo((share * 4.2 * I) / Math.PI, 10); // 1.13 W in §1.7
    expect(p.diodeConductionW).toBeCloseTo(1.13, 2);
    expect(p.transistorSwitchingW).toBeCloseTo(56.02, 2);
    expect(p.diodeSwitchingW).toBeCloseTo(1.93, 2);
    // §1.7 gives 665.0 W without the channel's dead-time reduction (0.2 W per switch): within 0.3 %
    const inv = inverterLosses(vectorB(200e-9), opB, 150);
    expect(Math.abs(inv.totalLossW / 665.0 - 1)).toBeLessThan(0.003);
    expect(inv.efficiency * 100).toBeCloseTo(99.23, 1);
  });

  it('matches the published low-load case (700 V, 15 A, M 0.3, cos φ 0.9, dead time not counted)', () => {
    const op = { ...opB, phaseCurrentRmsA: 15, modulationIndex: 0.3, powerFactor: 0.9 };
    const p = sicSwitchLosses(vectorB(0), op, tj);
    expect(p.transistorConductionW).toBeCloseTo(0.52, 2);
    expect(p.diodeConductionW).toBe(0);
    expect(p.transistorSwitchingW).toBeCloseTo(5.6, 2);
    expect(p.diodeSwitchingW).toBeCloseTo(0.19, 2);
    const inv = inverterLosses(vectorB(0), op, 150);
    expect(inv.totalLossW).toBeCloseTo(37.9, 1);
    expect(inv.efficiency * 100).toBeCloseTo(98.76, 2);
  });

  it('averages a quadratic E(I) and a current-dependent R_DS(on) exactly over the half-wave', () => {
    const m: SicMosfetModule = {
      ...vectorB(0),
      mosfet: { rdsOnOhm: 3e-3, rdsOnCurrentCoeffPerA: 4e-4 },
      switching: {
        ...vectorB(0).switching,
        eOnOff: { a: 2e-3, b: 4e-5, c: 6e-8 },
        eRec: { a: 1e-4, b: 1e-6, c: 2e-9 },
        kv: 1.2,
      },
    };
    const p = sicSwitchLosses(m, opB, tj);
    const I = 150 * Math.SQRT2;
    let cond = 0;
    let eSw = 0;
    let eRec = 0;
    const n = 100_000;
    for (let k = 0; k < n; k++) {
      const i = I * Math.sin((Math.PI * (k + 0.5)) / n);
      cond += 3e-3 * (1 + 4e-4 * i) * i * i;
      eSw += 2e-3 + 4e-5 * i + 6e-8 * i * i;
      eRec += 1e-4 + 1e-6 * i + 2e-9 * i * i;
    }
    const avg = (s: number): number => (s * (Math.PI / n)) / (2 * Math.PI);
    expect(p.transistorConductionW).toBeCloseTo(avg(cond), 6);
    expect(p.transistorSwitchingW).toBeCloseTo(10e3 * (700 / 600) ** 1.2 * avg(eSw), 6);
    expect(p.diodeSwitchingW).toBeCloseTo(10e3 * (700 / 600) ** 1.2 * avg(eRec), 6);
  });
});

describe('SiC below Si at part load', () => {
  it('the notes vectors: 156.5 W (Si) against 37.9 W (SiC) at 3 kW', () => {
    const si = inverterLosses(
      vectorA,
      { ...opA, phaseCurrentRmsA: 30, modulationIndex: 0.3, powerFactor: 0.9 },
      150,
    );
    const sic = inverterLosses(
      vectorB(0),
      { ...opB, phaseCurrentRmsA: 15, modulationIndex: 0.3, powerFactor: 0.9 },
      150,
    );
    expect(sic.acPowerW).toBeCloseTo(si.acPowerW, 6);
    expect(sic.totalLossW).toBeLessThan(si.totalLossW / 3);
  });

  it('the library devices at WLTC-like part loads (2-10 kW, 400 V and 800 V)', () => {
    const si400 = device('si-igbt-750v');
    const si800 = device('si-igbt-1200v');
    for (const id of ['infineon-fs03mr12a6ma1b', 'wolfspeed-cab450m12xm3']) {
      const sic = device(id);
      for (const irms of [20, 40, 80]) {
        const op = {
          dcLinkVoltageV: 400,
          phaseCurrentRmsA: irms,
          modulationIndex: 0.4,
          powerFactor: 0.85,
          switchingFrequencyHz: 10e3,
        };
        expect(inverterLosses(sic, op, 80).totalLossW).toBeLessThan(inverterLosses(si400, op, 80).totalLossW);
        const op8 = { ...op, dcLinkVoltageV: 800, phaseCurrentRmsA: irms / 2 };
        expect(inverterLosses(sic, op8, 80).totalLossW).toBeLessThan(
          inverterLosses(si800, op8, 80).totalLossW,
        );
      }
    }
  });
});

describe('operating-point checks and temperature curves', () => {
  it('rejects invalid operating points with DISCERN_BAD_ARGUMENT', () => {
    const bad = [
      { ...opA, modulationIndex: 1.05 },
      { ...opA, powerFactor: 1.5 },
      { ...opA, phaseCurrentRmsA: -1 },
      { ...opA, dcLinkVoltageV: 0 },
      { ...opA, switchingFrequencyHz: 0 },
      { ...opA, modulation: 'dpwm' as unknown as 'spwm' },
    ];
    for (const op of bad)
      expect(() => inverterLosses(vectorA, op, 100)).toThrowError(
        expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
      );
  });

  it('interpolates and extrapolates temperature tables linearly', () => {
    const c = { degC: [25, 125, 150], value: [2.75, 4.0, 4.55] };
    expect(valueAt(c, 25)).toBe(2.75);
    expect(valueAt(c, 75)).toBeCloseTo(3.375, 12);
    expect(valueAt(c, 175)).toBeCloseTo(5.1, 12);
    expect(valueAt(c, 0)).toBeCloseTo(2.4375, 12);
    expect(valueAt(3, 99)).toBe(3);
    expect(() => valueAt({ degC: [25, 25], value: [1, 2] }, 30)).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
});
