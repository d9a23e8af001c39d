/**
 * The one family of errors discern throws. Every error has a stable `code`; tests and callers
 * match on the code, never on the message. Where the problem is in a file, `file` names it and
 * `line` (1-based) or `offset` (0-based byte offset) says where.
 */
export const ERROR_CODES = {
  DISCERN_UNKNOWN_FORMAT: {
    exit: 2,
    http: 415,
    summary: 'The file is not in any format discern recognises.',
  },
  DISCERN_UNSUPPORTED_FORMAT: { exit: 2, http: 415, summary: 'The format is recognised but not read (yet).' },
  DISCERN_NOT_DATA: {
    exit: 0,
    http: 422,
    summary: 'A metadata, settings or log file that goes with instrument data but holds none.',
  },
  DISCERN_UNSUPPORTED_VERSION: {
    exit: 2,
    http: 415,
    summary: 'A binary layout version discern does not know.',
  },
  DISCERN_UNKNOWN_COLUMN: { exit: 2, http: 422, summary: 'A column id or header discern cannot map safely.' },
  DISCERN_EMPTY_FILE: { exit: 2, http: 422, summary: 'The file has no bytes.' },
  DISCERN_NO_DATA: { exit: 2, http: 422, summary: 'The file has a header but no data rows.' },
  DISCERN_PARSE_TRUNCATED: { exit: 2, http: 422, summary: 'The file ends in the middle of a record.' },
  DISCERN_PARSE_BAD_VALUE: {
    exit: 2,
    http: 422,
    summary: 'A value cannot be parsed as the type its column needs.',
  },
  DISCERN_PARSE_BAD_HEADER: { exit: 2, http: 422, summary: 'The header is malformed.' },
  DISCERN_MISSING_COLUMN: { exit: 2, http: 422, summary: 'A column the format requires is missing.' },
  DISCERN_BAD_ENCODING: { exit: 2, http: 422, summary: 'The text encoding cannot be decoded.' },
  DISCERN_CORRUPT: {
    exit: 2,
    http: 422,
    summary: 'The file structure is inconsistent (corrupt or damaged).',
  },
  DISCERN_BAD_MAPPING: { exit: 2, http: 400, summary: 'A user column mapping is invalid.' },
  DISCERN_BAD_ARGUMENT: { exit: 2, http: 400, summary: 'A command-line or API argument is invalid.' },
  DISCERN_BAD_INPUT: {
    exit: 2,
    http: 422,
    summary: 'A structured input file (catalogue, programme ...) does not follow its schema.',
  },
  DISCERN_BAD_TIMEZONE: { exit: 2, http: 400, summary: 'An unknown IANA time zone name.' },
  DISCERN_NOT_FOUND: { exit: 3, http: 404, summary: 'The test, file or record does not exist.' },
  DISCERN_UNAUTHENTICATED: { exit: 5, http: 401, summary: 'No valid session, token or password.' },
  DISCERN_FORBIDDEN: { exit: 5, http: 403, summary: 'The role of the user does not allow this.' },
  DISCERN_RATE_LIMITED: { exit: 5, http: 429, summary: 'Too many failed attempts; wait and try again.' },
  DISCERN_TOO_LARGE: { exit: 2, http: 413, summary: 'An upload exceeds the size limit.' },
  DISCERN_CONFLICT: { exit: 2, http: 409, summary: 'The record already exists.' },
  DISCERN_DB_LOCKED: { exit: 4, http: 503, summary: 'The DuckDB file is held by another process.' },
  DISCERN_STORE: { exit: 4, http: 500, summary: 'The store failed.' },
  DISCERN_IO: { exit: 4, http: 500, summary: 'A file could not be read or written.' },
  DISCERN_FIT_FAILED: { exit: 2, http: 422, summary: 'A fit could not be set up for the given data.' },
  DISCERN_INSUFFICIENT_DATA: { exit: 2, http: 422, summary: 'The data has too few points for the analysis.' },
  DISCERN_INTERNAL: { exit: 70, http: 500, summary: 'A bug in discern.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorLocation {
  /** File name (as given to the reader). */
  file?: string;
  /** 1-based line number in a text file. */
  line?: number;
  /** 0-based byte offset in a binary file. */
  offset?: number;
  /** Column name, when a single column is at fault. */
  column?: string;
}

/**
 * A discern error with a stable code.
 * @example throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'record cut short', { file: 'a.mpr', offset: 1024 });
 */
export class DiscernError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly offset?: number;
  readonly column?: string;

  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}) {
    const loc = [
      where.file,
      where.line !== undefined ? `line ${where.line}` : undefined,
      where.offset !== undefined ? `byte ${where.offset}` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(', ');
    super(loc ? `${message} (${loc})` : message);
    this.name = 'DiscernError';
    this.code = code;
    if (where.file !== undefined) this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
    if (where.offset !== undefined) this.offset = where.offset;
    if (where.column !== undefined) this.column = where.column;
  }

  /** A plain object for JSON output: `{code, message, file?, line?, offset?}`. */
  toJSON(): {
    code: ErrorCode;
    message: string;
    file?: string;
    line?: number;
    offset?: number;
    column?: string;
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.file !== undefined ? { file: this.file } : {}),
      ...(this.line !== undefined ? { line: this.line } : {}),
      ...(this.offset !== undefined ? { offset: this.offset } : {}),
      ...(this.column !== undefined ? { column: this.column } : {}),
    };
  }
}

/** True when `e` is a DiscernError (optionally with the given code). */
export function isDiscernError(e: unknown, code?: ErrorCode): e is DiscernError {
  return e instanceof DiscernError && (code === undefined || e.code === code);
}

/** Wraps anything thrown into a DiscernError; unknown errors become DISCERN_INTERNAL. */
export function toDiscernError(e: unknown, where: ErrorLocation = {}): DiscernError {
  if (e instanceof DiscernError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new DiscernError('DISCERN_INTERNAL', message, where);
}

/** Process exit code for an error code (the one place that maps them). */
export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CODES[code].exit;
}

/** HTTP status for an error code (the one place that maps them). */
export function httpStatusFor(code: ErrorCode): number {
  return ERROR_CODES[code].http;
}
