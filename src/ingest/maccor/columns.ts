import { DiscernError } from '../../core/index.js';

/**
 * What one column of a Maccor export holds. `factor` converts the file's unit to the canonical
 * one (e.g. 1e-3 for mAmps); `timeUnit` is undefined when the header does not say (a bare
 * `TestTime`), so the unit must be found from the data.
 */
export type MaccorRole =
  | { role: 'record' }
  | { role: 'cycle' }
  | { role: 'cycle_count' }
  | { role: 'step' }
  | { role: 'test_time'; timeUnit?: number }
  | { role: 'step_time'; timeUnit?: number }
  | { role: 'capacity'; factor: number }
  | { role: 'energy'; factor: number }
  | { role: 'current'; factor: number }
  | { role: 'voltage'; factor: number }
  | { role: 'state' }
  | { role: 'end_status' }
  | { role: 'datetime' }
  | { role: 'loop'; n: number }
  | { role: 'ac_impedance'; factor: number }
  | { role: 'dc_resistance'; factor: number }
  | { role: 'wf'; which: 'wf_charge_Ah' | 'wf_discharge_Ah' | 'wf_charge_Wh' | 'wf_discharge_Wh' }
  | { role: 'range' }
  | { role: 'var'; n: number }
  | { role: 'aux'; n: number }
  | { role: 'aux_unit'; n: number }
  | { role: 'empty' }
  | { role: 'other'; name: string };

export interface MaccorColumn {
  /** 0-based field index in a data row. */
  readonly index: number;
  /** The header text, trimmed. */
  readonly label: string;
  readonly spec: MaccorRole;
}

const TIME_UNITS: Record<string, number> = { sec: 1, s: 1, min: 60, hr: 3600, h: 3600 };

function prefix(p: string | undefined): number {
  return p === 'm' || p === 'M' ? 1e-3 : 1;
}

/** Classifies one header cell. */
function classify(label: string, previous: MaccorRole | undefined): MaccorRole {
  let m: RegExpExecArray | null;
  if (/^Rec#?$/i.test(label)) return { role: 'record' };
  if (/^(Cyc#|Cycle P|Cycle)$/i.test(label)) return { role: 'cycle' };
  if (/^Cycle C$/i.test(label)) return { role: 'cycle_count' };
  if (/^Step$/i.test(label)) return { role: 'step' };
  if ((m = /^Test ?Time(?: ?\((sec|min|hr)\))?$|^Test \((sec|min|hr)\)$/i.exec(label))) {
    const u = (m[1] ?? m[2])?.toLowerCase();
    return u === undefined ? { role: 'test_time' } : { role: 'test_time', timeUnit: TIME_UNITS[u]! };
  }
  if ((m = /^Step ?Time(?: ?\((sec|min|hr)\))?$|^Step \((sec|min|hr)\)$/i.exec(label))) {
    const u = (m[1] ?? m[2])?.toLowerCase();
    return u === undefined ? { role: 'step_time' } : { role: 'step_time', timeUnit: TIME_UNITS[u]! };
  }
  if ((m = /^(m?)Amp-hr$|^Cap\. \[(m?)Ah\]$/i.exec(label)))
    return { role: 'capacity', factor: prefix(m[1] ?? m[2]) };
  if ((m = /^(m?)Watt-hr$|^Ener\. \[(m?)Wh\]$/i.exec(label)))
    return { role: 'energy', factor: prefix(m[1] ?? m[2]) };
  if ((m = /^(m?)Amps$|^Current \[(m?)A\]$/i.exec(label)))
    return { role: 'current', factor: prefix(m[1] ?? m[2]) };
  if ((m = /^(m?)Volts$|^Voltage \[(m?)V\]$/i.exec(label)))
    return { role: 'voltage', factor: prefix(m[1] ?? m[2]) };
  if (/^(State|Md)$/i.test(label)) return { role: 'state' };
  if (/^ES$/i.test(label)) return { role: 'end_status' };
  if (/^DPt ?Time$/i.test(label)) return { role: 'datetime' };
  if ((m = /^Loop(\d+)$/i.exec(label))) return { role: 'loop', n: Number(m[1]) };
  if ((m = /^ACImp\/(m?)Ohms$/i.exec(label))) return { role: 'ac_impedance', factor: prefix(m[1]) };
  if ((m = /^DCIR\/(m?)Ohms$/i.exec(label))) return { role: 'dc_resistance', factor: prefix(m[1]) };
  if (/^WF Chg Cap$/i.test(label)) return { role: 'wf', which: 'wf_charge_Ah' };
  if (/^WF Dis Cap$/i.test(label)) return { role: 'wf', which: 'wf_discharge_Ah' };
  if (/^WF Chg E$/i.test(label)) return { role: 'wf', which: 'wf_charge_Wh' };
  if (/^WF Dis E$/i.test(label)) return { role: 'wf', which: 'wf_discharge_Wh' };
  if (/^Range$/i.test(label)) return { role: 'range' };
  if ((m = /^VAR(\d+)$/i.exec(label))) return { role: 'var', n: Number(m[1]) };
  if ((m = /^Aux #(\d+)$/i.exec(label))) return { role: 'aux', n: Number(m[1]) };
  if (/^Units$/i.test(label) && previous?.role === 'aux') return { role: 'aux_unit', n: previous.n };
  if (label === '' || /^Unnamed: \d+$/.test(label)) return { role: 'empty' };
  return { role: 'other', name: label };
}

/**
 * Maps the header cells of a Maccor data table (raw ASCII or text export) to column roles.
 * @throws DISCERN_MISSING_COLUMN when test time, voltage or current is missing;
 *   DISCERN_PARSE_BAD_HEADER when a role appears twice.
 */
export function planMaccorColumns(cells: readonly string[], file: string, line: number): MaccorColumn[] {
  const out: MaccorColumn[] = [];
  const seen = new Set<string>();
  let previous: MaccorRole | undefined;
  for (let i = 0; i < cells.length; i++) {
    const label = cells[i]!.trim();
    const spec = classify(label, previous);
    previous = spec;
    const key =
      spec.role === 'loop' || spec.role === 'var' || spec.role === 'aux' || spec.role === 'aux_unit'
        ? `${spec.role}${spec.n}`
        : spec.role === 'wf'
          ? spec.which
          : spec.role === 'other'
            ? `other:${spec.name}`
            : spec.role;
    if (spec.role !== 'empty') {
      if (seen.has(key)) {
        throw new DiscernError('DISCERN_PARSE_BAD_HEADER', `column "${label}" appears twice`, {
          file,
          line,
          column: label,
        });
      }
      seen.add(key);
    }
    out.push({ index: i, label, spec });
  }
  for (const [role, name] of [
    ['test_time', 'TestTime / Test (Sec)'],
    ['voltage', 'Volts'],
    ['current', 'Amps'],
  ] as const) {
    if (!seen.has(role)) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', `the Maccor table has no ${name} column`, {
        file,
        line,
        column: name,
      });
    }
  }
  return out;
}

/** True when a header line looks like the column header of a Maccor data table. */
export function isMaccorHeaderLine(line: string): boolean {
  return /^Rec#?[\t,;](Cyc#|Cycle P)[\t,;]/i.test(line);
}
