import type { FosterNetwork, PowerModule } from '../inverter/types.js';
import { SourcedEntry } from './sourced.js';

function foster(e: SourcedEntry, prefix: string): FosterNetwork {
  return { r: e.nums(`${prefix}.rKPerW`), tau: e.nums(`${prefix}.tauS`) };
}

/**
 * A power module of the device library (src/powertrain/library/devices/*.json) as a typed module.
 * Keys: see docs/methods/inverter.md (`igbt.vce0V`, `switching.eOnOffJ`, `thermal.igbt.rKPerW`, ...).
 * @throws DISCERN_PARSE_BAD_HEADER, DISCERN_PARSE_BAD_VALUE, DISCERN_MISSING_COLUMN, DISCERN_UNKNOWN_COLUMN (with the file and key).
 * @example parseDeviceEntry(JSON.parse(text), 'si-igbt.json').id
 */
export function parseDeviceEntry(json: unknown, file: string): PowerModule {
  const e = new SourcedEntry(json, file, ['igbt', 'sic-mosfet']);
  const base = {
    id: e.id,
    name: e.name,
    manufacturer: e.str('manufacturer'),
    blockingVoltageV: e.num('blockingVoltageV'),
    nominalCurrentA: e.num('nominalCurrentA'),
    maxJunctionDegC: e.num('maxJunctionDegC'),
  };
  e.markUsed('info.');
  let module: PowerModule;
  if (e.kind === 'igbt') {
    module = {
      ...base,
      kind: 'igbt',
      igbt: { vce0V: e.curve('igbt.vce0V'), rceOhm: e.curve('igbt.rceOhm') },
      diode: { vf0V: e.curve('diode.vf0V'), rfOhm: e.curve('diode.rfOhm') },
      switching: {
        refVoltageV: e.num('switching.refVoltageV'),
        refCurrentA: e.num('switching.refCurrentA'),
        eOnOffJ: e.curve('switching.eOnOffJ'),
        eRecJ: e.curve('switching.eRecJ'),
        kvIgbt: e.num('switching.kvIgbt'),
        kiIgbt: e.num('switching.kiIgbt'),
        kvDiode: e.num('switching.kvDiode'),
        kiDiode: e.num('switching.kiDiode'),
      },
      thermal: { igbt: foster(e, 'thermal.igbt'), diode: foster(e, 'thermal.diode') },
    };
  } else {
    module = {
      ...base,
      kind: 'sic-mosfet',
      mosfet: {
        rdsOnOhm: e.curve('mosfet.rdsOnOhm'),
        rdsOnCurrentCoeffPerA: e.numOr('mosfet.rdsOnCurrentCoeffPerA', 0),
      },
      bodyDiode: { vsd0V: e.curve('bodyDiode.vsd0V'), rsdOhm: e.curve('bodyDiode.rsdOhm') },
      deadTimeS: e.num('deadTimeS'),
      switching: {
        refVoltageV: e.num('switching.refVoltageV'),
        eOnOff: {
          a: e.num('switching.eOnOff.aJ'),
          b: e.num('switching.eOnOff.bJPerA'),
          c: e.num('switching.eOnOff.cJPerA2'),
        },
        eRec: {
          a: e.num('switching.eRec.aJ'),
          b: e.num('switching.eRec.bJPerA'),
          c: e.num('switching.eRec.cJPerA2'),
        },
        kv: e.num('switching.kv'),
        temperatureFactor: e.curve('switching.temperatureFactor'),
      },
      thermal: { mosfet: foster(e, 'thermal.mosfet') },
    };
  }
  e.finish();
  return module;
}
