import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cycleSlice,
  driveCycleStats,
  parseSpeedTrace,
  resampleCycle,
  WLTC3_PHASES,
} from '../../src/powertrain/index.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';

const kmh = 1 / 3.6;

describe.skipIf(!haveFixtures)('WLTC class 3b trace (fixtures/vehicle, README check values)', () => {
  const file = fixture('vehicle/wltc_3b_fastsim.csv');
  const wltc = parseSpeedTrace(readFileSync(file, 'utf8'), { file });
  const s = driveCycleStats(wltc);

  it('has 1801 samples over 1800 s and 23.266 km', () => {
    expect(wltc.timeS.length).toBe(1801);
    expect(s.durationS).toBe(1800);
    expect(s.distanceM / 1000).toBeCloseTo(23.266, 3);
    expect(s.meanSpeedMps / kmh).toBeCloseTo(46.5, 1);
    expect(s.standstillSamples).toBe(235);
    expect(s.maxAccelerationMps2).toBeCloseTo(1.667, 3);
    expect(s.maxDecelerationMps2).toBeCloseTo(-1.5, 3);
    expect(wltc.grade).toBeUndefined(); // cycGrade is all zeros
  });

  it('gives ∫v³dt/D = 514.7 m²/s² and ∫max(a,0)v dt/D = 0.1538 J/(kg·m)', () => {
    expect(s.meanCubedSpeedM2s2).toBeCloseTo(514.7, 1);
    expect(s.positiveInertialJPerKgM).toBeCloseTo(0.1538, 4);
  });

  it('has the four phases of the README (distance in km, v_max in km/h)', () => {
    const expected = [
      [3.095, 56.5],
      [4.756, 76.6],
      [7.162, 97.4],
      [8.254, 131.3],
    ];
    WLTC3_PHASES.forEach((p, i) => {
      const ps = driveCycleStats(cycleSlice(wltc, p.startS, p.endS));
      expect(ps.distanceM / 1000).toBeCloseTo(expected[i]![0]!, 3);
      expect(ps.maxSpeedMps / kmh).toBeCloseTo(expected[i]![1]!, 1);
    });
  });

  it('reads the km/h twin of the file to the same trace', () => {
    const f2 = fixture('vehicle/wltc_3b_kmh.csv');
    const twin = parseSpeedTrace(readFileSync(f2, 'utf8'), { file: f2 });
    expect(twin.name).toBe('wltc_3b_kmh');
    for (let k = 0; k < wltc.speedMps.length; k++) expect(twin.speedMps[k]).toBeCloseTo(wltc.speedMps[k]!, 6);
  });

  it('keeps the distance exactly when resampled at 10 Hz (linear interpolation)', () => {
    const r = resampleCycle(wltc, 0.1);
    expect(r.timeS.length).toBe(18001);
    expect(r.timeS[18000]).toBe(1800);
    expect(driveCycleStats(r).distanceM).toBeCloseTo(s.distanceM, 6);
  });
});

describe('speed-trace parser', () => {
  it('reads BOM, CRLF, semicolons, m/s and km/h, and grade', () => {
    const c = parseSpeedTrace('\ufefftime_s;speed_mps;grade\r\n0;0;0\r\n1;2;0.01\r\n2;4;0.02\r\n', {
      name: 'x',
    });
    expect(Array.from(c.speedMps)).toEqual([0, 2, 4]);
    expect(Array.from(c.grade!)).toEqual([0, 0.01, 0.02]);
    const k = parseSpeedTrace('t,speed_kmh\n0,0\n10,36\n');
    expect(k.speedMps[1]).toBeCloseTo(10, 12);
  });

  it('rejects bad traces with stable codes and the line', () => {
    const err = (text: string, code: string, line?: number): void => {
      try {
        parseSpeedTrace(text, { file: 'c.csv' });
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({ code, file: 'c.csv', ...(line !== undefined ? { line } : {}) });
      }
    };
    err('', 'DISCERN_EMPTY_FILE');
    err('time_s,speed_kmh\n0,0\n', 'DISCERN_NO_DATA');
    err('time_s,speed\n0,0\n1,1\n', 'DISCERN_UNKNOWN_COLUMN', 1);
    err('clock,speed_kmh\n0,0\n1,1\n', 'DISCERN_MISSING_COLUMN', 1);
    err('time_s,speed_kmh\n0,0\n1,abc\n', 'DISCERN_PARSE_BAD_VALUE', 3);
    err('time_s,speed_kmh\n0,0\n1,5\n1,6\n', 'DISCERN_PARSE_BAD_VALUE', 4);
    err('time_s,speed_kmh\n0,0\n1,-5\n', 'DISCERN_PARSE_BAD_VALUE', 3);
  });

  it('rejects a non-positive resampling step', () => {
    const c = parseSpeedTrace('t,speed_kmh\n0,0\n10,36\n');
    expect(() => resampleCycle(c, 0)).toThrowError(expect.objectContaining({ code: 'DISCERN_BAD_ARGUMENT' }));
    expect(Array.from(resampleCycle(c, 3).timeS)).toEqual([0, 3, 6, 9, 10]);
  });
});
