import { describe, expect, it } from 'vitest';
import {
  acOutputPowerW,
  conductionCoefficients,
  dcLinkCapacitorRmsA,
  halfWaveSinePowerMean,
  maxModulationIndex,
  svpwmResistiveCorrection,
} from '../../src/powertrain/index.js';

// Independent reference: brute-force period averages from the three phase references, the
// min-max zero sequence (SVPWM) and the duty cycle d = (1 + m_a + m0)/2 of the upper switch of phase a.
const N = 200_000;
function reference(
  m: number,
  phi: number,
  svpwm: boolean,
): { vT: number; rT: number; vD: number; rD: number } {
  let vT = 0;
  let rT = 0;
  let vD = 0;
  let rD = 0;
  for (let k = 0; k < N; k++) {
    const th = (2 * Math.PI * (k + 0.5)) / N;
    const a = m * Math.cos(th);
    const b = m * Math.cos(th - (2 * Math.PI) / 3);
    const c = m * Math.cos(th + (2 * Math.PI) / 3);
    const m0 = svpwm ? -(Math.max(a, b, c) + Math.min(a, b, c)) / 2 : 0;
    const d = (1 + a + m0) / 2;
    const i = Math.cos(th - phi); // per unit of the peak current
    if (i > 0) {
      vT += d * i;
      rT += d * i * i;
      vD += (1 - d) * i;
      rD += (1 - d) * i * i;
    }
  }
  return { vT: vT / N, rT: rT / N, vD: vD / N, rD: rD / N };
}

describe('conduction-loss coefficients of the modulation', () => {
  it('SPWM gives the Graovac/IPOSIM closed form', () => {
    const k = conductionCoefficients(0.9, 0.85, 'spwm');
    expect(k.vT).toBeCloseTo(1 / (2 * Math.PI) + (0.9 * 0.85) / 8, 14);
    expect(k.rT).toBeCloseTo(1 / 8 + (0.9 * 0.85) / (3 * Math.PI), 14);
    expect(k.vD).toBeCloseTo(1 / (2 * Math.PI) - (0.9 * 0.85) / 8, 14);
    expect(k.rD).toBeCloseTo(1 / 8 - (0.9 * 0.85) / (3 * Math.PI), 14);
  });

  for (const svpwm of [false, true]) {
    for (const [m, pf] of [
      [0.3, 0.9],
      [0.9, 0.85],
      [1.1, 0.5],
      [0.7, -0.8],
      [1.0, 0.0],
      [1.15, 1],
    ] as const) {
      if (!svpwm && m > 1) continue;
      it(`${svpwm ? 'SVPWM' : 'SPWM'} M=${m} cos φ=${pf} matches the brute-force average (1e-6)`, () => {
        const ref = reference(m, Math.acos(pf), svpwm);
        const k = conductionCoefficients(m, pf, svpwm ? 'svpwm' : 'spwm');
        expect(Math.abs(k.vT - ref.vT)).toBeLessThan(1e-6);
        expect(Math.abs(k.rT - ref.rT)).toBeLessThan(1e-6);
        expect(Math.abs(k.vD - ref.vD)).toBeLessThan(1e-6);
        expect(Math.abs(k.rD - ref.rD)).toBeLessThan(1e-6);
      });
    }
  }

  it('the exact G(φ) and the tabulated one used in the loss model agree to 1e-7', () => {
    for (let deg = 0; deg <= 180; deg += 0.37) {
      const phi = (deg * Math.PI) / 180;
      const k = conductionCoefficients(1, Math.cos(phi), 'svpwm');
      const exact = 1 / 8 + Math.cos(phi) / (3 * Math.PI) + svpwmResistiveCorrection(phi) / (4 * Math.PI);
      expect(Math.abs(k.rT - exact)).toBeLessThan(1e-7);
    }
  });

  it('the zero sequence only moves conduction between transistor and diode', () => {
    for (const pf of [1, 0.6, -0.3]) {
      const s = conductionCoefficients(0.95, pf, 'spwm');
      const v = conductionCoefficients(0.95, pf, 'svpwm');
      expect(v.vT).toBeCloseTo(s.vT, 14); // odd triplens integrate out against the half-wave
      expect(v.rT + v.rD).toBeCloseTo(0.25, 14);
      expect(v.vT + v.vD).toBeCloseTo(1 / Math.PI, 14);
    }
  });

  it('rejects overmodulation and impossible power factors', () => {
    expect(maxModulationIndex('svpwm')).toBeCloseTo(2 / Math.sqrt(3), 14);
    expect(() => conductionCoefficients(1.01, 0.9, 'spwm')).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
    expect(() => conductionCoefficients(1.16, 0.9, 'svpwm')).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
    expect(() => conductionCoefficients(0.5, 1.2, 'svpwm')).toThrowError(
      expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }),
    );
  });
});

describe('output power and DC-link current', () => {
  // mean over the fundamental of Σ v_x i_x with v_x the phase-to-neutral average voltage
  // ((d_x − ½) V_dc minus the common mode) and i_x the phase currents
  function powerFromDuties(vdc: number, m: number, irms: number, pf: number, svpwm: boolean): number {
    const phi = Math.acos(pf);
    const peak = Math.SQRT2 * irms;
    let p = 0;
    const n = 20_000;
    for (let k = 0; k < n; k++) {
      const th = (2 * Math.PI * k) / n;
      const refs = [0, -1, 1].map((j) => m * Math.cos(th + (j * 2 * Math.PI) / 3));
      const m0 = svpwm ? -(Math.max(...refs) + Math.min(...refs)) / 2 : 0;
      const pole = refs.map((r) => ((1 + r + m0) / 2 - 0.5) * vdc);
      const cm = (pole[0]! + pole[1]! + pole[2]!) / 3;
      for (let j = 0; j < 3; j++)
        p += (pole[j]! - cm) * peak * Math.cos(th + ([0, -1, 1][j]! * 2 * Math.PI) / 3 - phi);
    }
    return p / n;
  }

  it('P = 3 (M V_dc / 2√2) I_rms cos φ for SPWM and SVPWM (research notes §1.2)', () => {
    expect(acOutputPowerW(350, 0.9, 300, 0.85) / 1000).toBeCloseTo(85.2, 1); // §1.7 case A: 85.2 kW
    for (const svpwm of [false, true]) {
      expect(powerFromDuties(350, 0.9, 300, 0.85, svpwm)).toBeCloseTo(acOutputPowerW(350, 0.9, 300, 0.85), 3);
      expect(powerFromDuties(700, 0.3, 15, -0.9, svpwm)).toBeCloseTo(acOutputPowerW(700, 0.3, 15, -0.9), 4);
    }
  });

  // Capacitor RMS from centred (symmetric) PWM with a common carrier: within each switching period
  // the DC current is the sum of the currents of the phases whose upper switch is on.
  function capacitorRms(m: number, pf: number): number {
    const phi = Math.acos(pf);
    const n = 20_000;
    let meanSq = 0;
    let mean = 0;
    for (let k = 0; k < n; k++) {
      const th = (2 * Math.PI * k) / n;
      const ph = [0, -1, 1].map((j) => ({
        d: (1 + m * Math.cos(th + (j * 2 * Math.PI) / 3)) / 2,
        i: Math.SQRT2 * Math.cos(th + (j * 2 * Math.PI) / 3 - phi),
      }));
      ph.sort((a, b) => b.d - a.d);
      // nested on-times: all three on for d_min, the two largest for d_mid − d_min, the largest for d_max − d_mid
      const i1 = ph[0]!.i;
      const i2 = i1 + ph[1]!.i;
      const i3 = i2 + ph[2]!.i;
      const ms = ph[2]!.d * i3 * i3 + (ph[1]!.d - ph[2]!.d) * i2 * i2 + (ph[0]!.d - ph[1]!.d) * i1 * i1;
      const mu = ph[2]!.d * i3 + (ph[1]!.d - ph[2]!.d) * i2 + (ph[0]!.d - ph[1]!.d) * i1;
      meanSq += ms;
      mean += mu;
    }
    return Math.sqrt(meanSq / n - (mean / n) ** 2);
  }

  it('the Kolar-Round capacitor RMS matches a switching-period simulation of SPWM (0.5 %)', () => {
    for (const [m, pf] of [
      [0.6, 1],
      [0.9, 0.85],
      [0.3, 0.5],
    ] as const) {
      expect(dcLinkCapacitorRmsA(1, m, pf)).toBeCloseTo(capacitorRms(m, pf), 2);
      expect(Math.abs(dcLinkCapacitorRmsA(1, m, pf) / capacitorRms(m, pf) - 1)).toBeLessThan(0.005);
    }
    expect(dcLinkCapacitorRmsA(100, 0.6, 1)).toBeCloseTo(65, 0); // notes §1.6: max ≈ 0.65 I_rms
  });
});

describe('half-wave mean of sin^k', () => {
  it('is 1/π, 1/4, 1/2 for k = 1, 2, 0 and matches quadrature otherwise', () => {
    expect(halfWaveSinePowerMean(1)).toBe(1 / Math.PI);
    expect(halfWaveSinePowerMean(2)).toBe(0.25);
    expect(halfWaveSinePowerMean(0)).toBe(0.5);
    for (const k of [0.6, 1.3, 1.7, 3]) {
      let s = 0;
      const n = 100_000;
      for (let j = 0; j < n; j++) s += Math.sin((Math.PI * (j + 0.5)) / n) ** k;
      expect(halfWaveSinePowerMean(k)).toBeCloseTo((s * (Math.PI / n)) / (2 * Math.PI), 8);
    }
  });
});
