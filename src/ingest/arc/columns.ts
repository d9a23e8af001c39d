import { lookupUnit } from '../units.js';

/** What an ARC export column holds. */
export type ArcColumnRole =
  | 'time'
  | 'datetime'
  | 'temperature'
  | 'rate'
  | 'phase'
  | 'pressure'
  | 'voltage'
  | 'ambient'
  | 'heater'
  | 'other';

/** One column of an ARC export header, split into its name and unit. */
export interface ArcHeaderCell {
  /** The header text as written. */
  readonly text: string;
  /** The name without the unit. */
  readonly name: string;
  /** The unit as written ('' when none). */
  readonly unit: string;
  readonly role: ArcColumnRole;
}

/** Header names (lower case, letters and digits only) of each role. */
const ALIASES: Readonly<Record<Exclude<ArcColumnRole, 'other'>, readonly string[]>> = {
  time: ['time', 'elapsedtime', 'testtime', 'runtime', 'exptime', 'relativetime'],
  datetime: ['date', 'datetime', 'timestamp', 'dateandtime', 'clocktime'],
  temperature: [
    'temperature',
    'temp',
    'sampletemperature',
    'sampletemp',
    'celltemperature',
    'celltemp',
    'captemperature',
    'captemp',
    'tsample',
    'tcell',
  ],
  rate: [
    'rate',
    'heatrate',
    'heatingrate',
    'selfheatrate',
    'selfheatingrate',
    'temperaturerate',
    'temprate',
    'dtdt',
    'samplerate',
    'caprate',
  ],
  phase: ['mode', 'phase', 'state', 'status', 'hwsmode', 'hwsphase', 'hwsstate', 'arcmode'],
  pressure: ['pressure', 'samplepressure', 'bombpressure'],
  voltage: ['voltage', 'cellvoltage', 'ocv', 'samplevoltage'],
  ambient: ['ambient', 'ambienttemperature', 'chamber', 'chambertemperature'],
  heater: [
    'top',
    'side',
    'bottom',
    'jacket',
    'jackettemperature',
    'heater',
    'heatertemperature',
    'toptemperature',
    'sidetemperature',
    'bottomtemperature',
    'lid',
    'base',
  ],
};

function compact(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Splits a header cell into name and unit: `Time (min)`, `Temperature [°C]`, `Temp./°C`
 * (NETZSCH style) or `dT/dt/(K/min)`. A trailing `/x` counts as a unit only when `x` is a unit
 * discern knows, so `dT/dt` stays a name.
 */
export function splitHeaderUnit(text: string): { name: string; unit: string } {
  const t = text.trim();
  const bracket = /^(.*?)\s*[([]\s*([^)\]]*?)\s*[)\]]\s*$/.exec(t);
  if (bracket !== null && bracket[1] !== undefined && bracket[1] !== '') {
    return { name: bracket[1].replace(/\/\s*$/, '').trim(), unit: bracket[2] ?? '' };
  }
  const slash = t.lastIndexOf('/');
  if (slash > 0) {
    const unit = t.slice(slash + 1).trim();
    if (lookupUnit(unit) !== undefined) return { name: t.slice(0, slash).trim(), unit };
  }
  return { name: t, unit: '' };
}

/** The role of a header cell from its name (see the alias table in docs/formats/arc.md). */
export function classifyArcHeader(text: string): ArcHeaderCell {
  const { name, unit } = splitHeaderUnit(text);
  const key = compact(name);
  let role: ArcColumnRole = 'other';
  for (const [r, names] of Object.entries(ALIASES) as [Exclude<ArcColumnRole, 'other'>, string[]][]) {
    if (names.includes(key)) {
      role = r;
      break;
    }
  }
  // `dT/dt` written without a unit splits as name "dT" and unit "dt" nowhere; catch it by its text.
  if (role === 'other' && compact(text) === 'dtdt') role = 'rate';
  return { text: text.trim(), name, unit, role };
}

/** A channel name for a column discern does not know: `aux_<letters and digits>`. */
export function auxName(name: string, index: number): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug === '' ? `aux_column_${index + 1}` : `aux_${slug}`;
}
