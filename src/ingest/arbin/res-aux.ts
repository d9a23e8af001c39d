import { DiscernError, type ColumnInput, type DataWarning } from '../../core/index.js';
import { arbinAuxChannel } from './columns.js';
import { readNumericColumns, readRows, tableColumns, type ResDatabase } from './res-db.js';

/** Finds the frame row of an Arbin `Data_Point` (-1 when the data table has no such point). */
export type RowOfDataPoint = (dataPoint: number) => number;

interface Quantity {
  /** The quantity, as `arbinAuxChannel` names it. */
  readonly name: 'voltage' | 'temperature';
  readonly unit: string;
  /** Channel of the rate for input N, as the CSV exports name `Aux_dV/dt_N`, `Aux_dT/dt_N`. */
  readonly rateChannel: (n: number) => string;
  readonly rateUnit: string;
  /** canonical = value * factor + offset, by the unit `Aux_Global_Data_Table` records. */
  readonly units: Readonly<Record<string, readonly [factor: number, offset: number]>>;
}

/**
 * Arbin's auxiliary `Data_Type` codes with a known meaning. 0 and 1 are confirmed by the fixtures
 * and by other readers (their recorded units are `V` and `C`); other codes (pressure, pH, flow,
 * ...) are kept unconverted as `aux_type<T>_<N>` with a warning.
 */
const QUANTITIES: Readonly<Record<number, Quantity>> = {
  0: {
    name: 'voltage',
    unit: 'V',
    rateChannel: (n) => `aux_dvdt_${n}_V_per_s`,
    rateUnit: 'V/s',
    units: { '': [1, 0], v: [1, 0], mv: [1e-3, 0] },
  },
  1: {
    name: 'temperature',
    unit: 'degC',
    rateChannel: (n) => `aux_dtdt_${n}_degC_per_s`,
    rateUnit: 'degC/s',
    units: {
      '': [1, 0],
      c: [1, 0],
      '°c': [1, 0],
      degc: [1, 0],
      k: [1, -273.15],
      f: [5 / 9, (-32 * 5) / 9],
      '°f': [5 / 9, (-32 * 5) / 9],
    },
  },
};

/** Auxiliary channels of one test and the warnings they raised. */
export interface ArbinResAux {
  readonly columns: Record<string, ColumnInput>;
  readonly warnings: DataWarning[];
}

/**
 * Reads `Auxiliary_Table` (one row per data point and input: `Data_Type`, `Auxiliary_Index`, `X`,
 * `dX_dt`) into one column per input, aligned on `Data_Point` with the data table: `Data_Type` 0 ->
 * `aux_voltage_<N>_V`, 1 -> `aux_temperature_<N>_degC` with N = `Auxiliary_Index` + 1, and their
 * rates `aux_dvdt_<N>_V_per_s`, `aux_dtdt_<N>_degC_per_s` (the names of Arbin's CSV exports). The units come from
 * `Aux_Global_Data_Table`. Points without a value are NaN.
 * @throws DISCERN_UNKNOWN_COLUMN when a known input type has a unit discern cannot convert.
 */
export function readArbinResAux(
  db: ResDatabase,
  length: number,
  testId: number | undefined,
  rowOf: RowOfDataPoint,
): ArbinResAux {
  const columns: Record<string, ColumnInput> = {};
  const warnings: DataWarning[] = [];
  if (!db.tables.has('Auxiliary_Table')) return { columns, warnings };
  const have = new Set(tableColumns(db, 'Auxiliary_Table').map((c) => c.name));
  for (const need of ['Data_Point', 'Auxiliary_Index', 'Data_Type', 'X']) {
    if (!have.has(need)) {
      throw new DiscernError('DISCERN_MISSING_COLUMN', `Auxiliary_Table has no ${need} column`, {
        file: db.file,
        column: need,
      });
    }
  }
  const names = ['Data_Point', 'Auxiliary_Index', 'Data_Type', 'X'];
  if (have.has('Test_ID')) names.push('Test_ID');
  if (have.has('dX_dt')) names.push('dX_dt');
  const cols = readNumericColumns(db, 'Auxiliary_Table', names);
  const get = (name: string): Float64Array | undefined => cols[names.indexOf(name)];
  const [point, index, type, x] = [get('Data_Point')!, get('Auxiliary_Index')!, get('Data_Type')!, get('X')!];
  const test = get('Test_ID');
  const rate = get('dX_dt');
  if (point.length === 0) return { columns, warnings };

  const meta = auxGlobal(db);
  const inputs = new Map<
    string,
    { value: Float64Array; rate: Float64Array | undefined; f: number; o: number }
  >();
  let unmatched = 0;
  for (let i = 0; i < point.length; i++) {
    if (test !== undefined && testId !== undefined && test[i] !== testId) continue;
    const row = rowOf(point[i]!);
    if (row < 0) {
      unmatched++;
      continue;
    }
    const t = type[i]!;
    const k = index[i]!;
    const key = `${t}|${k}`;
    let input = inputs.get(key);
    if (input === undefined) {
      input = newInput(db, columns, warnings, meta, t, k, length, rate !== undefined);
      inputs.set(key, input);
    }
    input.value[row] = x[i]! * input.f + input.o;
    if (input.rate !== undefined) input.rate[row] = rate![i]! * input.f;
  }
  if (unmatched > 0) {
    warnings.push({
      code: 'DISCERN_ROWS_SKIPPED',
      message: `${unmatched} Auxiliary_Table row(s) refer to data points that are not in Channel_Normal_Table`,
      count: unmatched,
    });
  }
  return { columns, warnings };
}

function newInput(
  db: ResDatabase,
  columns: Record<string, ColumnInput>,
  warnings: DataWarning[],
  meta: Map<string, { unit: string; nickname: string }>,
  type: number,
  index: number,
  length: number,
  withRate: boolean,
): { value: Float64Array; rate: Float64Array | undefined; f: number; o: number } {
  const n = index + 1;
  const m = meta.get(`${type}|${index}`);
  const unit = (m?.unit ?? '').trim();
  const q = QUANTITIES[type];
  const source = `Auxiliary_Table X (Data_Type ${type}, Auxiliary_Index ${index}${m?.nickname ? `, "${m.nickname}"` : ''})`;
  const value = new Float64Array(length).fill(NaN);
  const rate = withRate ? new Float64Array(length).fill(NaN) : undefined;
  if (q === undefined) {
    const name = `aux_type${type}_${n}`;
    columns[name] = { values: value, unit, source };
    if (rate !== undefined) columns[`${name}_rate`] = { values: rate, unit: unit ? `${unit}/s` : '', source };
    warnings.push({
      code: 'DISCERN_COLUMN_IGNORED',
      message: `auxiliary input of unknown Data_Type ${type} (unit "${unit}") kept unconverted as ${name}`,
      channel: name,
    });
    return { value, rate, f: 1, o: 0 };
  }
  const conv = q.units[unit.toLowerCase()];
  if (conv === undefined) {
    throw new DiscernError(
      'DISCERN_UNKNOWN_COLUMN',
      `auxiliary ${q.name} input ${n} has the unit "${unit}", which discern cannot convert to ${q.unit}`,
      { file: db.file, column: `Auxiliary_Table Data_Type ${type} Auxiliary_Index ${index}` },
    );
  }
  columns[arbinAuxChannel(q.name, n)] = { values: value, unit: q.unit, source };
  if (rate !== undefined) {
    columns[q.rateChannel(n)] = { values: rate, unit: q.rateUnit, source: source.replace(' X ', ' dX_dt ') };
  }
  return { value, rate, f: conv[0], o: conv[1] };
}

/** `Aux_Global_Data_Table`: unit and nickname per (Data_Type, Auxiliary_Index). */
function auxGlobal(db: ResDatabase): Map<string, { unit: string; nickname: string }> {
  const out = new Map<string, { unit: string; nickname: string }>();
  if (!db.tables.has('Aux_Global_Data_Table')) return out;
  for (const r of readRows(db, 'Aux_Global_Data_Table')) {
    const unit = r['Unit'];
    const nick = r['Nickname'];
    out.set(`${String(r['Data_Type'])}|${String(r['Auxiliary_Index'])}`, {
      unit: typeof unit === 'string' ? unit : '',
      nickname: typeof nick === 'string' ? nick.trim() : '',
    });
  }
  return out;
}
