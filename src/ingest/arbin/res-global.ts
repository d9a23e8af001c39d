import { DiscernError, oleDaysToNaiveMs } from '../../core/index.js';
import type { Value } from 'mdb-reader';
import { readRows, type ResDatabase } from './res-db.js';

/** What `Global_Table` (one row per test) and `Version_Table` say about the test. */
export interface ArbinResGlobal {
  /** The test's `Test_ID`; undefined when the file has no Global_Table row. */
  readonly testId: number | undefined;
  /** `Start_DateTime`: OLE days (since 1899-12-30) on the tester PC's local wall clock. */
  readonly startOleDays: number | undefined;
  /** `Channel_Index` as text. */
  readonly channel: string | undefined;
  readonly softwareVersion: string | undefined;
  /** Every Global_Table column as text, keyed by Arbin's column name, plus `Version_Schema_Field`. */
  readonly header: Readonly<Record<string, string>>;
}

/**
 * Reads `Global_Table` and `Version_Table`. A file that holds more than one test (several
 * Global_Table rows) is refused rather than read as one.
 * @throws DISCERN_UNSUPPORTED_FORMAT for a multi-test file; DISCERN_CORRUPT / DISCERN_PARSE_TRUNCATED
 *   when the tables cannot be read.
 */
export function readArbinResGlobal(db: ResDatabase): ArbinResGlobal {
  const header: Record<string, string> = {};
  if (db.tables.has('Version_Table')) {
    const v = readRows(db, 'Version_Table')[0];
    const schema = v?.['Version_Schema_Field'];
    if (typeof schema === 'string' && schema !== '') header['Version_Schema_Field'] = schema;
  }
  if (!db.tables.has('Global_Table')) {
    return {
      testId: undefined,
      startOleDays: undefined,
      channel: undefined,
      softwareVersion: undefined,
      header,
    };
  }
  const rows = readRows(db, 'Global_Table');
  if (rows.length > 1) {
    const ids = rows.map((r) => String(r['Test_ID'])).join(', ');
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_FORMAT',
      `the file holds ${rows.length} tests (Test_ID ${ids}); discern reads .res files with one test`,
      { file: db.file },
    );
  }
  const row = rows[0];
  if (row === undefined) {
    return {
      testId: undefined,
      startOleDays: undefined,
      channel: undefined,
      softwareVersion: undefined,
      header,
    };
  }
  for (const [key, value] of Object.entries(row)) {
    const text =
      key === 'Start_DateTime' && typeof value === 'number' ? oleDaysText(value) : valueText(value);
    if (text !== undefined) header[key] = text;
  }
  const testId = row['Test_ID'];
  const start = row['Start_DateTime'];
  const channel = row['Channel_Index'];
  const software = row['Software_Version'];
  return {
    testId: typeof testId === 'number' ? testId : undefined,
    startOleDays: typeof start === 'number' && Number.isFinite(start) && start > 0 ? start : undefined,
    channel: typeof channel === 'number' ? String(channel) : undefined,
    softwareVersion: typeof software === 'string' && software !== '' ? software : undefined,
    header,
  };
}

function valueText(v: Value): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return undefined;
}

/** An OLE date as naive local ISO text, e.g. "2016-08-05T16:16:23.000" (the tester's wall clock). */
function oleDaysText(days: number): string | undefined {
  const ms = Math.round(oleDaysToNaiveMs(days));
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms).toISOString().slice(0, 23);
}
