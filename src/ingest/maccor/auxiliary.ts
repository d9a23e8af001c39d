import type { ColumnInput, DataWarning } from '../../core/index.js';
import type { MaccorColumn } from './columns.js';
import type { MaccorTable } from './table.js';

/** Lowest physically possible temperature; Maccor writes about -2500 degC for an absent sensor. */
const ABSOLUTE_ZERO_DEGC = -273.15;

function auxUnit(text: string): {
  suffix: string;
  unit: string;
  factor: number;
  offset: number;
  kind: string;
} {
  const u = text.trim();
  if (/^(C|degC|°C)$/i.test(u))
    return { suffix: '_degC', unit: 'degC', factor: 1, offset: 0, kind: 'temperature' };
  if (/^K$/.test(u))
    return { suffix: '_degC', unit: 'degC', factor: 1, offset: -273.15, kind: 'temperature' };
  if (/^V$/i.test(u)) return { suffix: '_V', unit: 'V', factor: 1, offset: 0, kind: 'voltage' };
  if (/^mV$/i.test(u)) return { suffix: '_V', unit: 'V', factor: 1e-3, offset: 0, kind: 'voltage' };
  return { suffix: '', unit: u, factor: 1, offset: 0, kind: 'value' };
}

/**
 * Adds the auxiliary Maccor columns to `out`: `Rec#` (aux_record), `Cycle C` (aux_cycle_count),
 * `ES` (aux_end_status), `Range` (aux_current_range), `Loop1-4` (aux_loop_n), `VARn` that are not
 * all zero (aux_var_n), `Aux #n` with their `Units` (aux_temperature_n_degC, aux_voltage_n_V, or
 * aux_n) and unknown numeric columns (with DISCERN_COLUMN_IGNORED). Temperatures below absolute
 * zero (Maccor's about -2501 degC for an absent sensor) become NaN with DISCERN_SENTINEL_VALUE.
 */
export function addMaccorAuxiliary(
  columns: readonly MaccorColumn[],
  table: MaccorTable,
  out: Record<string, ColumnInput>,
  warnings: DataWarning[],
): void {
  const sentinel: string[] = [];
  let sentinelCount = 0;
  const ignored: string[] = [];
  for (const c of columns) {
    const raw = table.numeric.get(c.index);
    if (raw === undefined) continue;
    const s = c.spec;
    if (s.role === 'record') out['aux_record'] = { values: raw, unit: '', source: c.label };
    else if (s.role === 'cycle_count') out['aux_cycle_count'] = { values: raw, unit: '', source: c.label };
    else if (s.role === 'end_status') out['aux_end_status'] = { values: raw, unit: '', source: c.label };
    else if (s.role === 'range') out['aux_current_range'] = { values: raw, unit: '', source: c.label };
    else if (s.role === 'loop') out[`aux_loop_${s.n}`] = { values: raw, unit: '', source: c.label };
    else if (s.role === 'var') {
      if (raw.some((v) => v !== 0 && !Number.isNaN(v)))
        out[`aux_var_${s.n}`] = { values: raw, unit: '', source: c.label };
    } else if (s.role === 'other') {
      const name = `aux_${s.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')}`;
      if (name !== 'aux_' && out[name] === undefined) {
        out[name] = { values: raw, unit: '', source: c.label };
        ignored.push(c.label);
      }
    } else if (s.role === 'aux') {
      const unitCol = columns.find((u) => u.spec.role === 'aux_unit' && u.spec.n === s.n);
      const units = unitCol !== undefined ? table.categories.get(unitCol.index) : undefined;
      const u = auxUnit(units?.levels[units.codes[0] ?? -1] ?? '');
      const v = new Float64Array(raw.length);
      let bad = 0;
      for (let i = 0; i < raw.length; i++) {
        const x = raw[i]! * u.factor + u.offset;
        if (u.kind === 'temperature' && x < ABSOLUTE_ZERO_DEGC) {
          v[i] = NaN;
          bad++;
        } else v[i] = x;
      }
      const name = u.kind === 'value' ? `aux_${s.n}` : `aux_${u.kind}_${s.n}${u.suffix}`;
      if (bad > 0) {
        sentinel.push(name);
        sentinelCount += bad;
      }
      out[name] = { values: v, unit: u.unit, source: c.label };
    }
  }
  if (sentinel.length > 0) {
    warnings.push({
      code: 'DISCERN_SENTINEL_VALUE',
      message: `${sentinelCount} temperature(s) below absolute zero (Maccor writes about -2501 degC for an absent sensor) replaced by NaN in ${sentinel.join(', ')}`,
      channel: sentinel[0]!,
      count: sentinelCount,
    });
  }
  if (ignored.length > 0) {
    warnings.push({
      code: 'DISCERN_COLUMN_IGNORED',
      message: `column(s) ${ignored.join(', ')} are not Maccor columns discern knows; kept as auxiliary`,
    });
  }
  for (const index of table.textColumns) {
    warnings.push({
      code: 'DISCERN_COLUMN_IGNORED',
      message: `column ${columns[index]?.label ?? index} holds text, not numbers; dropped`,
    });
  }
}
