import { describe, expect, it } from 'vitest';
import {
  fosterImpedance,
  fosterResistance,
  fosterStep,
  inverterLosses,
  inverterSteadyState,
  inverterThermalProfile,
  type FosterNetwork,
  type SicMosfetModule,
} from '../../src/powertrain/index.js';
import { device } from './library-helper.js';

const net: FosterNetwork = { r: [0.01, 0.03, 0.05, 0.02], tau: [0.001, 0.01, 0.1, 1] };

/** A SiC module whose losses do not depend on temperature (constant R_DS(on), no switching). */
function constantLossModule(rds: unknown = 4e-3): SicMosfetModule {
  return {
    kind: 'sic-mosfet',
    id: 'const',
    name: 'constant',
    manufacturer: 'synthetic',
    blockingVoltageV: 1200,
    nominalCurrentA: 400,
    maxJunctionDegC: 175,
    mosfet: { rdsOnOhm: rds as number, rdsOnCurrentCoeffPerA: 0 },
    bodyDiode: { vsd0V: 4, rsdOhm: 0 },
    deadTimeS: 0,
    switching: {
      refVoltageV: 600,
      eOnOff: { a: 0, b: 0, c: 0 },
      eRec: { a: 0, b: 0, c: 0 },
      kv: 1,
      temperatureFactor: 1,
    },
    thermal: { mosfet: net },
  };
}
const op = {
  dcLinkVoltageV: 400,
  phaseCurrentRmsA: 200,
  modulationIndex: 0.8,
  powerFactor: 0.9,
  switchingFrequencyHz: 10e3,
};

describe('Foster network', () => {
  it('Z_th is the closed-form sum and tends to Σ r', () => {
    expect(fosterImpedance(net, 0)).toBe(0);
    expect(fosterImpedance(net, 0.05)).toBeCloseTo(
      0.01 * (1 - Math.exp(-50)) +
        0.03 * (1 - Math.exp(-5)) +
        0.05 * (1 - Math.exp(-0.5)) +
        0.02 * (1 - Math.exp(-0.05)),
      15,
    );
    expect(fosterImpedance(net, 100)).toBeCloseTo(fosterResistance(net), 12);
    expect(fosterResistance(net)).toBeCloseTo(0.11, 15);
  });

  it('the discrete update reproduces the step response P·Z_th(t) exactly, on uneven steps', () => {
    const theta = new Float64Array(4);
    let t = 0;
    for (const dt of [0.0003, 0.002, 0.05, 0.3, 1.7, 0.01]) {
      const rise = fosterStep(net, theta, 250, dt);
      t += dt;
      expect(rise).toBeCloseTo(250 * fosterImpedance(net, t), 12);
    }
  });

  it('cools down as the superposition of a step up and a step down', () => {
    const theta = new Float64Array(4);
    fosterStep(net, theta, 100, 0.5);
    const rise = fosterStep(net, theta, 0, 0.2);
    expect(rise).toBeCloseTo(100 * (fosterImpedance(net, 0.7) - fosterImpedance(net, 0.2)), 12);
  });
});

describe('junction temperature, steady state', () => {
  it('is T_coolant + R_th·P for temperature-independent losses', () => {
    const m = constantLossModule();
    const r = inverterSteadyState(m, op, { coolantDegC: 65 });
    const p = inverterLosses(m, op, 25).perSwitch.totalW;
    expect(r.converged).toBe(true);
    expect(r.junction.transistorDegC).toBeCloseTo(65 + 0.11 * p, 8);
  });

  it('finds the fixed point Tj = T_c + R_th·P(Tj) when R_DS(on) rises with temperature', () => {
    const m = constantLossModule({ degC: [25, 175], value: [2.6e-3, 4.6e-3] });
    const r = inverterSteadyState(m, op, { coolantDegC: 65, toleranceK: 1e-6 });
    expect(r.converged).toBe(true);
    const again = inverterLosses(m, op, r.junction.transistorDegC).perSwitch.totalW;
    expect(r.junction.transistorDegC).toBeCloseTo(65 + 0.11 * again, 5);
    expect(r.iterations).toBeGreaterThan(1);
  });

  it('reports a thermal runaway as not converged instead of throwing', () => {
    const hot: SicMosfetModule = {
      ...constantLossModule({ degC: [25, 125], value: [2e-3, 20e-3] }),
      thermal: { mosfet: { r: [2], tau: [1] } },
    };
    const r = inverterSteadyState(hot, op, { coolantDegC: 65 });
    expect(r.converged).toBe(false);
    expect(r.overTemperature).toBe(true);
  });

  it('gives IGBT and diode their own temperatures from the library module', () => {
    const r = inverterSteadyState(
      device('si-igbt-750v'),
      { ...op, modulation: 'svpwm' },
      { coolantDegC: 65 },
    );
    expect(r.converged).toBe(true);
    expect(r.junction.transistorDegC).toBeGreaterThan(r.junction.diodeDegC); // motoring: IGBT carries more
    expect(r.junction.diodeDegC).toBeGreaterThan(65);
  });
});

describe('junction temperature along a time profile', () => {
  const n = 400;
  const timeS = Float64Array.from({ length: n }, (_, k) => k * 0.05);
  const flat = (v: number): Float64Array => new Float64Array(n).fill(v);
  const profile = {
    timeS,
    phaseCurrentRmsA: flat(200),
    modulationIndex: flat(0.8),
    powerFactor: flat(0.9),
    dcLinkVoltageV: 400,
    switchingFrequencyHz: 10e3,
  };

  it('follows T_c + P·Z_th(t) for a constant, temperature-independent loss', () => {
    const m = constantLossModule();
    const p = 6 * inverterLosses(m, op, 25).perSwitch.totalW;
    const r = inverterThermalProfile(m, profile, { coolantDegC: 40 });
    for (const k of [0, 1, 10, 100, n - 1])
      expect(r.transistorDegC[k]).toBeCloseTo(40 + (p / 6) * fosterImpedance(net, timeS[k]!), 9);
    expect(r.lossEnergyJ).toBeCloseTo(p * timeS[n - 1]!, 6);
    expect(r.converged).toBe(true);
  });

  it('settles at the steady-state temperature with temperature-dependent losses', () => {
    const m = constantLossModule({ degC: [25, 175], value: [2.6e-3, 4.6e-3] });
    const long = { ...profile, timeS: Float64Array.from({ length: n }, (_, k) => k * 0.1) };
    const r = inverterThermalProfile(m, long, { coolantDegC: 65, toleranceK: 1e-6, maxIterations: 20 });
    const ss = inverterSteadyState(m, op, { coolantDegC: 65, toleranceK: 1e-6 });
    expect(r.transistorDegC[n - 1]).toBeCloseTo(ss.junction.transistorDegC, 3);
    expect(r.converged).toBe(true);
    let e = 0;
    for (let k = 0; k < n - 1; k++) e += r.lossW[k]! * 0.1;
    expect(r.lossEnergyJ).toBeCloseTo(e, 8);
  });

  it('has no loss where the inverter is not switching', () => {
    const active = new Uint8Array(n).fill(1);
    active.fill(0, 100, 200);
    const r = inverterThermalProfile(
      device('infineon-fs03mr12a6ma1b'),
      { ...profile, active },
      { coolantDegC: 65 },
    );
    expect(r.lossW[150]).toBe(0);
    expect(r.transistorDegC[199]!).toBeLessThan(r.transistorDegC[100]!);
    expect(r.diodeDegC[150]).toBe(r.transistorDegC[150]); // one die
  });

  it('rejects unequal arrays, time that does not increase and invalid points', () => {
    const m = constantLossModule();
    const code = { code: 'DISCERN_BAD_ARGUMENT' };
    expect(() => inverterThermalProfile(m, { ...profile, powerFactor: flat(0.9).subarray(1) })).toThrowError(
      expect.objectContaining(code),
    );
    const t = Float64Array.from(timeS);
    t[5] = t[4]!;
    expect(() => inverterThermalProfile(m, { ...profile, timeS: t })).toThrowError(
      expect.objectContaining(code),
    );
    const mm = flat(0.8);
    mm[7] = 1.3;
    expect(() => inverterThermalProfile(m, { ...profile, modulationIndex: mm })).toThrowError(
      expect.objectContaining(code),
    );
  });
});
