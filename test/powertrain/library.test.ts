import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseCellEntry,
  parseDcChargerEntry,
  parseDeviceEntry,
  parseOnBoardChargerEntry,
  parseVehicleEntry,
  SourcedEntry,
  valueAt,
  type LibraryEntryJson,
} from '../../src/powertrain/index.js';
import { device, LIBRARY, libraryJson, vehicleEntry } from './library-helper.js';

const files = (dir: string): string[] =>
  readdirSync(join(LIBRARY, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${dir}/${f}`);

describe('powertrain library', () => {
  it('every entry parses and every value cites a non-empty source', () => {
    const cal = libraryJson('calibration.json');
    const all = [
      'calibration.json',
      ...files('devices'),
      ...files('vehicles'),
      ...files('chargers'),
      ...files('cells'),
    ];
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const f of all) {
      const json = libraryJson(f);
      const e = new SourcedEntry(json, f);
      expect(f.endsWith(`${e.id}.json`) || f === 'calibration.json').toBe(true);
      for (const c of e.citations()) expect(c.source.length).toBeGreaterThan(10);
      if (f.startsWith('devices/')) parseDeviceEntry(json, f);
      if (f.startsWith('vehicles/')) parseVehicleEntry(json, f, cal);
      if (f.startsWith('cells/')) parseCellEntry(json, f);
      if (f.startsWith('chargers/'))
        (e.kind === 'dc-charger' ? parseDcChargerEntry : parseOnBoardChargerEntry)(json, f);
    }
  });

  it('keeps the datasheet values of research notes §1.8', () => {
    const fs03 = device('infineon-fs03mr12a6ma1b');
    if (fs03.kind !== 'sic-mosfet') throw new Error('kind');
    expect(valueAt(fs03.mosfet.rdsOnOhm, 25)).toBe(2.75e-3);
    expect(valueAt(fs03.mosfet.rdsOnOhm, 150)).toBe(4.55e-3);
    const cab = device('wolfspeed-cab450m12xm3');
    if (cab.kind !== 'sic-mosfet') throw new Error('kind');
    expect(valueAt(cab.mosfet.rdsOnOhm, 175)).toBe(4.6e-3);
    expect(valueAt(cab.bodyDiode.vsd0V, 175)).toBe(4.2);
  });

  it('states the calibration once: vehicles take the calibrated values they do not give', () => {
    const r5 = vehicleEntry('renault-5-52kwh');
    const zoe = vehicleEntry('renault-zoe-ze50-r135');
    expect(r5.vehicle.tractionEfficiency).toBe(zoe.vehicle.tractionEfficiency);
    expect(r5.calibrated).toContain('rollingResistance');
    expect(zoe.calibrated).not.toContain('rollingResistance'); // the Zoe gives FASTSim's 0.009
    expect(zoe.vehicle.rollingResistance).toBe(0.009);
    expect(r5.vehicle.testMassKg).toBe(1450 + 125);
    expect(r5.vehicle.rotatingMassKg).toBeCloseTo(0.03 * 1575, 9);
  });

  it('rejects unknown keys, missing keys, unknown sources and wrong kinds with stable codes', () => {
    const base = libraryJson('devices/si-igbt-750v.json') as LibraryEntryJson;
    const withValues = (values: LibraryEntryJson['values']): LibraryEntryJson => ({ ...base, values });
    const code = (fn: () => unknown, c: string): void => {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({ code: c, file: 'x.json' });
      }
    };
    code(
      () =>
        parseDeviceEntry(
          withValues({ ...base.values, 'igbt.vceOV': { value: 1, source: 'vector-a' } }),
          'x.json',
        ),
      'DISCERN_UNKNOWN_COLUMN',
    );
    const { 'igbt.rceOhm': _drop, ...missing } = base.values;
    code(() => parseDeviceEntry(withValues(missing), 'x.json'), 'DISCERN_MISSING_COLUMN');
    code(
      () =>
        parseDeviceEntry(
          withValues({ ...base.values, blockingVoltageV: { value: 750, source: 'nowhere' } }),
          'x.json',
        ),
      'DISCERN_PARSE_BAD_VALUE',
    );
    code(
      () =>
        parseDeviceEntry(
          withValues({ ...base.values, blockingVoltageV: { value: '750', source: 'vector-a' } }),
          'x.json',
        ),
      'DISCERN_PARSE_BAD_VALUE',
    );
    code(
      () =>
        parseDeviceEntry(
          withValues({
            ...base.values,
            'igbt.vce0V': { value: { degC: [150, 25], value: [1, 2] }, source: 'vector-a' },
          }),
          'x.json',
        ),
      'DISCERN_PARSE_BAD_VALUE',
    );
    code(() => parseVehicleEntry(base, 'x.json'), 'DISCERN_PARSE_BAD_VALUE');
    code(() => parseDeviceEntry({ id: 'x' }, 'x.json'), 'DISCERN_PARSE_BAD_HEADER');
  });
});
