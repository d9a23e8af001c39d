/** Stable codes for recoverable oddities found in data. They are stored with the test and shown to users. */
export const WARNING_CODES = {
  DISCERN_TIME_NOT_MONOTONIC: 'Test time goes backwards (a reset or a converter bug).',
  DISCERN_TIME_PAUSE: 'A gap in test time much longer than the usual sampling interval (a pause).',
  DISCERN_TIME_UNIT_SUSPECT: 'The time column looks like it is in another unit (e.g. ms stored as s).',
  DISCERN_VOLTAGE_UNIT_SUSPECT: 'The voltage column looks like it is in mV, not V.',
  DISCERN_CURRENT_UNIT_SUSPECT: 'The current column looks like it is in another unit.',
  DISCERN_SENTINEL_VALUE: 'Sentinel values (e.g. -2501 degC, -9999) were replaced by NaN.',
  DISCERN_CYCLE_CONSTANT: 'The cycle counter is constant over the whole test.',
  DISCERN_CYCLE_EMPTY: 'The cycle counter is empty.',
  DISCERN_CYCLE_NOT_INTEGER: 'The cycle counter holds non-integer values.',
  DISCERN_CYCLE_NOT_MONOTONIC: 'The cycle counter decreases.',
  DISCERN_STEP_EMPTY: 'The step index is empty.',
  DISCERN_TZ_ASSUMED: 'The file has local (naive) times and no time zone was given; one was assumed.',
  DISCERN_ENCODING_FALLBACK: 'The text was not valid UTF-8; it was decoded as windows-1252.',
  DISCERN_UNIT_CONVERTED: 'A column was converted to canonical units.',
  DISCERN_COLUMN_IGNORED: 'A column was not mapped to a canonical channel and is kept as auxiliary.',
  DISCERN_ROWS_SKIPPED: 'Some rows could not be parsed and were skipped.',
  DISCERN_CURRENT_SIGN_INFERRED: 'The current sign was derived from a state or step-type column.',
  DISCERN_CORRUPT_PART: 'Part of the file is damaged; the readable part was kept.',
  DISCERN_NAN_VALUES: 'A required channel contains missing (NaN) values.',
  DISCERN_MULTIPART: 'Several part files were joined into one test.',
  DISCERN_NOTE: 'Informational note from the reader.',
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

/** A recoverable oddity, kept in the Frame's metadata. */
export interface DataWarning {
  code: WarningCode;
  message: string;
  /** Channel the warning is about, if any. */
  channel?: string;
  /** First 1-based line (text files) or 0-based row index where it was seen. */
  line?: number;
  row?: number;
  /** How many rows or values are affected. */
  count?: number;
}
