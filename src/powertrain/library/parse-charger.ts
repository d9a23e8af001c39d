import type { DcCharger, FastChargeCell } from '../charger/fast-charge.js';
import type { ConverterStage, OnBoardCharger } from '../charger/onboard-charger.js';
import { SourcedEntry } from './sourced.js';

function stage(e: SourcedEntry, prefix: string, name: string): ConverterStage {
  return {
    name,
    fixedW: e.num(`${prefix}.fixedW`),
    proportional: e.num(`${prefix}.proportional`),
    quadraticPerW: e.num(`${prefix}.quadraticPerW`),
  };
}

/**
 * An on-board charger (library/chargers/*.json, kind 'onboard-charger'): stages `pfc` and `dcdc`,
 * in the order grid → battery for `charge.*` and battery → grid for `discharge.*`.
 * @throws DISCERN_PARSE_BAD_HEADER, DISCERN_PARSE_BAD_VALUE, DISCERN_MISSING_COLUMN, DISCERN_UNKNOWN_COLUMN.
 */
export function parseOnBoardChargerEntry(json: unknown, file: string): OnBoardCharger {
  const e = new SourcedEntry(json, file, 'onboard-charger');
  const discharge = e.num('ratedDischargePowerW') > 0;
  const c: OnBoardCharger = {
    id: e.id,
    name: e.name,
    ratedChargePowerW: e.num('ratedChargePowerW'),
    ratedDischargePowerW: e.num('ratedDischargePowerW'),
    charge: [stage(e, 'charge.pfc', 'pfc'), stage(e, 'charge.dcdc', 'dcdc')],
    discharge: discharge ? [stage(e, 'discharge.dcdc', 'dcdc'), stage(e, 'discharge.pfc', 'pfc')] : [],
  };
  e.markUsed('info.');
  e.finish();
  return c;
}

/**
 * A DC charger (kind 'dc-charger'): current, power and voltage limits at the connector.
 * @throws DISCERN_PARSE_BAD_HEADER, DISCERN_PARSE_BAD_VALUE, DISCERN_MISSING_COLUMN, DISCERN_UNKNOWN_COLUMN.
 */
export function parseDcChargerEntry(json: unknown, file: string): DcCharger {
  const e = new SourcedEntry(json, file, 'dc-charger');
  const c: DcCharger = {
    id: e.id,
    maxCurrentA: e.num('maxCurrentA'),
    maxPowerW: e.num('maxPowerW'),
    maxVoltageV: e.num('maxVoltageV'),
    minVoltageV: e.num('minVoltageV'),
  };
  e.markUsed('info.');
  e.finish();
  return c;
}

/**
 * A cell for fast-charge planning (library/cells/*.json, kind 'cell'): capacity, voltages,
 * resistance, OCV curve and charge map (`chargeMap.cRate` rows per `chargeMap.temperatureDegC`).
 * @throws DISCERN_PARSE_BAD_HEADER, DISCERN_PARSE_BAD_VALUE, DISCERN_MISSING_COLUMN, DISCERN_UNKNOWN_COLUMN.
 */
export function parseCellEntry(json: unknown, file: string): FastChargeCell {
  const e = new SourcedEntry(json, file, 'cell');
  const c: FastChargeCell = {
    id: e.id,
    capacityAh: e.num('capacityAh'),
    nominalVoltageV: e.num('nominalVoltageV'),
    maxVoltageV: e.num('maxVoltageV'),
    resistanceOhm: e.num('resistanceOhm'),
    ocv: { x: e.nums('ocv.socPercent'), y: e.nums('ocv.voltageV') },
    chargeMap: {
      socPercent: e.nums('chargeMap.socPercent'),
      temperatureDegC: e.nums('chargeMap.temperatureDegC'),
      cRate: e.table('chargeMap.cRate'),
    },
    ...(e.has('massKg') ? { massKg: e.num('massKg') } : {}),
    ...(e.has('specificHeatJPerKgK') ? { specificHeatJPerKgK: e.num('specificHeatJPerKgK') } : {}),
  };
  e.markUsed('info.');
  e.finish();
  return c;
}
