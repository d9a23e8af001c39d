import { DiscernError } from '../../core/index.js';
import type { SourceFile } from '../types.js';
import { slug } from './columns.js';
import { openResDatabase, readNumericColumns, resBytes, tableColumns, type ResDatabase } from './res-db.js';

const STATS = 'Channel_Statistic_Table';
const NORMAL = 'Channel_Normal_Table';
const NUMERIC_TYPES = new Set(['boolean', 'byte', 'integer', 'long', 'float', 'double', 'bigint']);

/** Known columns of Arbin's statistics table: name in discern and unit. */
const KNOWN: Readonly<Record<string, readonly [name: string, unit: string]>> = {
  Vmax_On_Cycle: ['vmax_on_cycle_V', 'V'],
  Charge_Time: ['charge_time_s', 's'],
  Discharge_Time: ['discharge_time_s', 's'],
};

/** One column of the statistics table. */
export interface ArbinResStatisticColumn {
  readonly values: Float64Array;
  /** Unit of `values` ('' when Arbin's column has no known unit). */
  readonly unit: string;
  /** Arbin's column name. */
  readonly source: string;
}

/** Arbin's own per-cycle statistics (`Channel_Statistic_Table`), one row per recorded cycle end. */
export interface ArbinResStatistics {
  readonly length: number;
  /** `Data_Point` of each row: the data point the statistics were taken at (a cycle's last point). */
  readonly dataPoint: Int32Array;
  /** `Cycle_Index` of that data point in `Channel_Normal_Table` (-1 when the point is not there). */
  readonly cycleIndex: Int32Array;
  /** `Test_Time` of that data point in seconds (NaN when the point is not there). */
  readonly testTimeS: Float64Array;
  /**
   * The other columns: `vmax_on_cycle_V` (V), `charge_time_s` and `discharge_time_s` (s, time spent
   * charging / discharging in the cycle), and any unknown column as its snake-case name without unit.
   */
  readonly columns: Readonly<Record<string, ArbinResStatisticColumn>>;
}

/**
 * Reads Arbin's statistics table of a `.res` or `.res.gz` file, ordered by data point, with the
 * cycle and test time of each row's data point looked up in the data table. A file without the
 * table gives an empty result.
 * @throws DISCERN_UNKNOWN_FORMAT, DISCERN_PARSE_TRUNCATED, DISCERN_CORRUPT as `readArbinRes`;
 *   DISCERN_MISSING_COLUMN when the statistics table has no `Data_Point`.
 * @example readArbinResStatistics({ name: 'cell.res', bytes }).columns['charge_time_s']?.values
 */
export function readArbinResStatistics(file: SourceFile): ArbinResStatistics {
  const db = openResDatabase(resBytes(file), file.name);
  if (!db.tables.has(STATS)) {
    if (!db.tables.has(NORMAL)) {
      throw new DiscernError('DISCERN_UNKNOWN_FORMAT', 'an MS Access database without Arbin tables', {
        file: file.name,
      });
    }
    return empty();
  }
  const cols = tableColumns(db, STATS).filter((c) => NUMERIC_TYPES.has(c.type) && c.name !== 'Test_ID');
  if (!cols.some((c) => c.name === 'Data_Point')) {
    throw new DiscernError('DISCERN_MISSING_COLUMN', `${STATS} has no Data_Point column`, {
      file: file.name,
      column: 'Data_Point',
    });
  }
  const names = cols.map((c) => c.name);
  const raw = readNumericColumns(db, STATS, names);
  const point = raw[names.indexOf('Data_Point')]!;
  const n = point.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => point[a]! - point[b]! || a - b);
  const dataPoint = Int32Array.from(order, (i) => point[i]!);
  const columns: Record<string, ArbinResStatisticColumn> = {};
  for (let k = 0; k < names.length; k++) {
    const source = names[k]!;
    if (source === 'Data_Point') continue;
    const [name, unit] = KNOWN[source] ?? [slug(source) || `column_${k}`, ''];
    columns[name] = { values: Float64Array.from(order, (i) => raw[k]![i]!), unit, source };
  }
  const { cycleIndex, testTimeS } = lookupPoints(db, dataPoint);
  return { length: n, dataPoint, cycleIndex, testTimeS, columns };
}

/** Cycle and test time of the given data points, from the data table. */
function lookupPoints(
  db: ResDatabase,
  points: Int32Array,
): { cycleIndex: Int32Array; testTimeS: Float64Array } {
  const cycleIndex = new Int32Array(points.length).fill(-1);
  const testTimeS = new Float64Array(points.length).fill(NaN);
  if (points.length === 0 || !db.tables.has(NORMAL)) return { cycleIndex, testTimeS };
  const have = new Set(tableColumns(db, NORMAL).map((c) => c.name));
  const names = ['Data_Point', 'Cycle_Index', 'Test_Time'].filter((c) => have.has(c));
  if (!names.includes('Data_Point')) return { cycleIndex, testTimeS };
  const raw = readNumericColumns(db, NORMAL, names);
  const want = new Map<number, number>();
  points.forEach((p, i) => want.set(p, i));
  const dp = raw[0]!;
  const cyc = raw[names.indexOf('Cycle_Index')];
  const time = raw[names.indexOf('Test_Time')];
  for (let r = 0; r < dp.length; r++) {
    const i = want.get(dp[r]!);
    if (i === undefined) continue;
    if (cyc !== undefined && Number.isFinite(cyc[r]!)) cycleIndex[i] = cyc[r]!;
    if (time !== undefined) testTimeS[i] = time[r]!;
  }
  return { cycleIndex, testTimeS };
}

function empty(): ArbinResStatistics {
  return {
    length: 0,
    dataPoint: new Int32Array(0),
    cycleIndex: new Int32Array(0),
    testTimeS: new Float64Array(0),
    columns: {},
  };
}
