// The key style of every --json answer and API response: snake case with the unit as a suffix.

const UNITS: [RegExp, string][] = [
  [/DegCS$/, 'degC_s'],
  [/DegC$/, 'degC'],
  [/VPerS$/, 'V_per_s'],
  [/WhPerKg$/, 'Wh_per_kg'],
  [/WPerKg$/, 'W_per_kg'],
  [/Ah$/, 'Ah'],
  [/Wh$/, 'Wh'],
  [/Ohm$/, 'Ohm'],
  [/V$/, 'V'],
  [/A$/, 'A'],
  [/W$/, 'W'],
  [/S$/, 's'],
];

/**
 * `chargeCapacityAh` → `charge_capacity_Ah`: snake case with the unit kept as a suffix (the CLI's
 * --json and the HTTP API use the same rule).
 */
export function snakeKey(key: string): string {
  let unit = '';
  let base = key;
  for (const [re, u] of UNITS) {
    if (re.test(key) && /[a-z0-9]/.test(key.replace(re, '').slice(-1))) {
      unit = u;
      base = key.replace(re, '');
      break;
    }
  }
  const snake = base
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z])([A-Z0-9])/g, '$1_$2')
    .replace(/([0-9])([A-Za-z])/g, '$1_$2')
    .toLowerCase();
  return unit ? `${snake}_${unit}` : snake;
}
