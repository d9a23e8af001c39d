import { DiscernError } from '../core/index.js';

/** How to turn a vendor unit into a canonical one: canonical = value * factor + offset. */
export interface UnitConversion {
  readonly canonical: string;
  readonly factor: number;
  readonly offset: number;
}

const TABLE: Record<string, UnitConversion> = {};
function def(names: string[], canonical: string, factor: number, offset = 0): void {
  for (const n of names) TABLE[n.toLowerCase()] = { canonical, factor, offset };
}
def(['s', 'sec', 'second', 'seconds'], 's', 1);
def(['ms', 'msec'], 's', 1e-3);
def(['us', 'µs', 'μs'], 's', 1e-6);
def(['min', 'minute', 'minutes'], 's', 60);
def(['h', 'hr', 'hour', 'hours'], 's', 3600);
def(['d', 'day', 'days'], 's', 86400);
def(['v', 'volt', 'volts'], 'V', 1);
def(['mv', 'millivolt'], 'V', 1e-3);
def(['uv', 'µv', 'μv'], 'V', 1e-6);
def(['kv'], 'V', 1e3);
def(['a', 'amp', 'amps', 'ampere'], 'A', 1);
def(['ma', 'mamp', 'mamps'], 'A', 1e-3);
def(['ua', 'µa', 'μa'], 'A', 1e-6);
def(['na'], 'A', 1e-9);
def(['ah', 'a.h', 'a·h', 'amp-hr'], 'Ah', 1);
def(['mah', 'ma.h', 'ma·h', 'mamp-hr'], 'Ah', 1e-3);
def(['uah', 'µah', 'μah', 'µa.h', 'µa·h', 'ua.h'], 'Ah', 1e-6);
def(['as', 'c', 'coulomb'], 'Ah', 1 / 3600);
def(['mas', 'mc'], 'Ah', 1e-3 / 3600);
def(['uas', 'µas'], 'Ah', 1e-6 / 3600);
def(['wh', 'w.h', 'w·h', 'watt-hr'], 'Wh', 1);
def(['mwh', 'mw.h', 'mw·h'], 'Wh', 1e-3);
def(['uwh', 'µwh', 'µw.h'], 'Wh', 1e-6);
def(['kwh'], 'Wh', 1e3);
def(['j', 'ws'], 'Wh', 1 / 3600);
def(['mj', 'mws'], 'Wh', 1e-3 / 3600);
def(['w', 'watt', 'watts'], 'W', 1);
def(['mw'], 'W', 1e-3);
def(['kw'], 'W', 1e3);
def(['degc', '°c', 'c°', 'celsius', 'deg c', '℃', 'ºc', '?c'], 'degC', 1);
def(['k', 'kelvin'], 'degC', 1, -273.15);
def(['degf', '°f'], 'degC', 5 / 9, -32 * (5 / 9));
def(['ohm', 'ω', 'Ω', 'ohms'], 'Ohm', 1);
def(['mohm', 'mω', 'mΩ'], 'Ohm', 1e-3);
def(['kohm', 'kω', 'kΩ'], 'Ohm', 1e3);
def(['uohm', 'µohm', 'µω', 'µΩ'], 'Ohm', 1e-6);
def(['hz'], 'Hz', 1);
def(['khz'], 'Hz', 1e3);
def(['mhz'], 'Hz', 1e-3);
def(['deg', '°', 'degree', 'degrees'], 'deg', 1);
def(['pa'], 'Pa', 1);
def(['kpa'], 'Pa', 1e3);
def(['bar'], 'Pa', 1e5);
def(['psi'], 'Pa', 6894.757293168);
def(['%'], '%', 1);
def(['degc/s', '°c/s', 'k/s', 'degc s-1', '°c s-1'], 'degC/s', 1);
def(['degc/min', '°c/min', 'k/min', 'degc min-1', '°c min-1', '°c min^-1'], 'degC/s', 1 / 60);

/** The conversion for a unit name (case-insensitive), or undefined when unknown. */
export function lookupUnit(unit: string): UnitConversion | undefined {
  return TABLE[unit.trim().toLowerCase()];
}

/**
 * The conversion from `unit` to `canonical`.
 * @throws DISCERN_BAD_MAPPING when the unit is unknown or measures something else.
 * @example unitConversion('mAh', 'Ah') // { canonical: 'Ah', factor: 0.001, offset: 0 }
 */
export function unitConversion(unit: string, canonical: string): UnitConversion {
  const c = lookupUnit(unit);
  if (c === undefined || c.canonical !== canonical) {
    throw new DiscernError('DISCERN_BAD_MAPPING', `cannot convert unit "${unit}" to ${canonical}`);
  }
  return c;
}

/** Applies a conversion to a column in place and returns it. */
export function convertInPlace(values: Float64Array, conv: UnitConversion): Float64Array {
  if (conv.factor === 1 && conv.offset === 0) return values;
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * conv.factor + conv.offset;
  return values;
}
