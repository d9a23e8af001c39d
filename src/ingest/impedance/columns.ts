import { DiscernError, type ColumnInput } from '../../core/index.js';
import { biologicSlug } from '../biologic/columns.js';
import { FloatBuilder, parseNumber } from '../text.js';
import { lookupUnit } from '../units.js';

/** Where one named column of an impedance table goes: channel, its unit, and the factor to it. */
export type ImpedanceColumnMap = Readonly<
  Record<string, readonly [channel: string, unit: string, factor: number]>
>;

export interface NumericRows {
  readonly columns: Float64Array[];
  readonly rows: number;
  /** 1-based line number of the last row read. */
  readonly lastLine: number;
}

/**
 * Parses numeric rows of a delimited table, `lines[from..to)`, each with at least `width` fields
 * (the first `width` are read). Blank lines are skipped.
 * @throws DISCERN_PARSE_TRUNCATED (a short row), DISCERN_PARSE_BAD_VALUE (a field that is no number).
 */
export function parseNumericRows(
  lines: readonly string[],
  from: number,
  to: number,
  width: number,
  split: (line: string) => string[],
  file: string,
  names: readonly string[] = [],
): NumericRows {
  const builders = Array.from({ length: width }, () => new FloatBuilder(Math.max(16, to - from)));
  let rows = 0;
  let lastLine = from;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const fields = split(line);
    if (fields.length < width) {
      throw new DiscernError(
        'DISCERN_PARSE_TRUNCATED',
        `row has ${fields.length} fields, expected ${width}`,
        {
          file,
          line: i + 1,
        },
      );
    }
    for (let c = 0; c < width; c++) {
      const v = parseNumber(fields[c]!);
      if (v === undefined) {
        const column = names[c] ?? `#${c + 1}`;
        throw new DiscernError(
          'DISCERN_PARSE_BAD_VALUE',
          `"${fields[c]}" in column ${column} is not a number`,
          {
            file,
            line: i + 1,
            column,
          },
        );
      }
      builders[c]!.push(v);
    }
    rows++;
    lastLine = i + 1;
  }
  return { columns: builders.map((b) => b.finish()), rows, lastLine };
}

/**
 * Names the columns of an impedance table: known names go to their channel through `map`
 * (converted by its factor); the rest become `aux_<slug>` (plus `_<unit>` when a unit is given).
 * Duplicate targets get `_2`, `_3`, ...
 */
export function mapImpedanceColumns(
  names: readonly string[],
  units: readonly string[],
  values: readonly Float64Array[],
  map: ImpedanceColumnMap,
): Record<string, ColumnInput> {
  const out: Record<string, ColumnInput> = {};
  names.forEach((name, c) => {
    const v = values[c]!;
    const known = map[name.trim()];
    let channel: string;
    let unit: string;
    let data = v;
    if (known !== undefined) {
      [channel, unit] = known;
      const factor = known[2];
      if (factor !== 1) data = v.map((x) => x * factor);
    } else {
      // The unit from the units row, or from a trailing "(unit)" in the name ("E Applied(V)").
      const paren = /^(.*?)\s*\(([^()]+)\)$/.exec(name.trim());
      const given = (units[c] ?? '').trim();
      const rawUnit = given !== '' ? given : (paren?.[2] ?? '');
      const base = given === '' && paren !== null && lookupUnit(paren[2]!) !== undefined ? paren[1]! : name;
      const conv = rawUnit === '' ? undefined : lookupUnit(rawUnit);
      if (conv !== undefined) {
        unit = conv.canonical;
        if (conv.factor !== 1 || conv.offset !== 0) data = v.map((x) => x * conv.factor + conv.offset);
      } else unit = rawUnit === '#' ? '' : rawUnit;
      const suffix =
        conv !== undefined ? (conv.canonical === '%' ? 'pct' : conv.canonical) : biologicSlug(unit);
      channel = `aux_${biologicSlug(base) || `column_${c + 1}`}${suffix ? `_${suffix}` : ''}`;
    }
    let key = channel;
    for (let k = 2; out[key] !== undefined; k++) key = `${channel}_${k}`;
    out[key] = { values: data, unit, source: name.trim() };
  });
  return out;
}
