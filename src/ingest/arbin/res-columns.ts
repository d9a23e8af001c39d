import { arbinColumn } from './columns.js';

/**
 * How a column of Arbin's `Channel_Normal_Table` becomes a discern channel. The names are those of
 * Arbin's CSV exports, so the shared table in `columns.ts` decides; the database stores SI units
 * (s, A, V, Ah, Wh, V/s, Ohm), `DateTime` as OLE days and current positive on charge.
 */
export interface ArbinResColumnSpec {
  /** Canonical channel or `aux_*` name. */
  readonly channel: string;
  readonly unit: string;
  /** `int` for counters (Int32 storage), `time` for the OLE date, else `float`. */
  readonly kind: 'float' | 'int' | 'time';
  /** False when the column is in neither table (it is kept without a unit, with a warning). */
  readonly known: boolean;
}

/** Columns that only the `.res` tables have (MITS Pro 7 pulse columns, written in CamelCase). */
const RES_ONLY: Readonly<Record<string, ArbinResColumnSpec>> = {
  PulseStageIndex: { channel: 'aux_pulse_stage_index', unit: '', kind: 'float', known: true },
  PulseStageTime: { channel: 'aux_pulse_stage_time_s', unit: 's', kind: 'float', known: true },
};

/** Columns a `.res` data table must have. */
export const ARBIN_RES_REQUIRED: readonly string[] = [
  'Test_ID',
  'Data_Point',
  'Test_Time',
  'Current',
  'Voltage',
];

/**
 * The channel a `Channel_Normal_Table` column becomes.
 * @example arbinResColumnSpec('Voltage') // { channel: 'voltage_V', unit: 'V', kind: 'float', known: true }
 */
export function arbinResColumnSpec(name: string): ArbinResColumnSpec {
  const own = RES_ONLY[name];
  if (own !== undefined) return own;
  const c = arbinColumn(name);
  const kind = c.kind === 'counter' ? 'int' : c.kind === 'datetime' ? 'time' : 'float';
  return { channel: c.channel, unit: c.unit, kind, known: c.known };
}
