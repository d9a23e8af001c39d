import { CHANNELS, type CanonicalChannel } from '../core/index.js';
import { CATALOGUE_SCHEMA_SQL } from './catalogue-schema.js';
import { AUTH_SCHEMA_SQL } from './auth-schema.js';
import { ABUSE_SCHEMA_SQL } from './abuse-schema.js';
import { SERIES_SCHEMA_SQL } from './series-schema.js';

/** Canonical channels stored as columns of `measurements` (in this order). */
export const MEASUREMENT_CHANNELS: readonly CanonicalChannel[] = (
  Object.keys(CHANNELS) as CanonicalChannel[]
).filter((c) => CHANNELS[c].kind !== 'category');

function sqlType(c: CanonicalChannel): string {
  return CHANNELS[c].kind === 'int' ? 'INTEGER' : 'DOUBLE';
}

/**
 * Schema version written to `discern_meta`; bump it and add a migration when the schema changes.
 * Visibility rule (per-supplier confidentiality): tests.sample_id -> samples.cell_model_id ->
 * cell_models.supplier_id -> suppliers. A test with no sample belongs to no supplier.
 */
export const SCHEMA_VERSION = 2;

/**
 * Migrations from an older schema version, each run once in its own transaction by Store.open
 * (after the idempotent DDL), keyed by the version they leave.
 * 2: auxiliary channels are named once per test in `aux_channels`; `aux_measurements` rows carry a
 *    small channel id instead of the name and unit strings (ingest appends them 3x faster).
 */
export const MIGRATIONS: readonly { to: number; needed: string; sql: readonly string[] }[] = [
  {
    to: 2,
    needed: `SELECT count(*) AS n FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'aux_measurements' AND column_name = 'channel'`,
    sql: [
      `INSERT INTO aux_channels
         SELECT test_id, (row_number() OVER (PARTITION BY test_id ORDER BY channel) - 1)::SMALLINT, channel, unit
         FROM (SELECT test_id, channel, any_value(unit) AS unit FROM aux_measurements GROUP BY test_id, channel)`,
      `CREATE TABLE aux_measurements_v2 AS
         SELECT a.test_id, a.row_index, c.channel_id, a.value
         FROM aux_measurements a JOIN aux_channels c USING (test_id, channel)
         ORDER BY a.test_id, c.channel_id, a.row_index`,
      `DROP TABLE aux_measurements`,
      `ALTER TABLE aux_measurements_v2 RENAME TO aux_measurements`,
    ],
  },
];

/**
 * DDL of the store (idempotent). Units are in the column names; times are UTC seconds.
 * No FOREIGN KEY clauses: DuckDB refuses any UPDATE of a row that another table references, so
 * references are kept by the store's code (one transaction per change) instead.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS discern_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE SEQUENCE IF NOT EXISTS source_file_ids START 1;
CREATE SEQUENCE IF NOT EXISTS test_ids START 1;
CREATE SEQUENCE IF NOT EXISTS cell_ids START 1;
CREATE SEQUENCE IF NOT EXISTS sample_ids START 1;
CREATE TABLE IF NOT EXISTS source_files (
  file_id INTEGER PRIMARY KEY DEFAULT nextval('source_file_ids'),
  sha256 VARCHAR NOT NULL UNIQUE,
  name VARCHAR NOT NULL,
  path VARCHAR,
  size_bytes BIGINT NOT NULL,
  ingested_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
CREATE SEQUENCE IF NOT EXISTS supplier_ids START 1;
CREATE TABLE IF NOT EXISTS suppliers (
  supplier_id INTEGER PRIMARY KEY DEFAULT nextval('supplier_ids'),
  name VARCHAR NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS cell_models (
  cell_model_id INTEGER PRIMARY KEY DEFAULT nextval('cell_ids'),
  supplier_id INTEGER,
  name VARCHAR NOT NULL UNIQUE,
  chemistry VARCHAR,
  nominal_capacity_Ah DOUBLE,
  nominal_voltage_V DOUBLE
);
CREATE TABLE IF NOT EXISTS samples (
  sample_id INTEGER PRIMARY KEY DEFAULT nextval('sample_ids'),
  cell_model_id INTEGER,
  serial VARCHAR NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS tests (
  test_id INTEGER PRIMARY KEY DEFAULT nextval('test_ids'),
  name VARCHAR NOT NULL UNIQUE,
  sha256 VARCHAR NOT NULL UNIQUE,
  vendor VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  instrument VARCHAR,
  software_version VARCHAR,
  channel VARCHAR,
  technique VARCHAR,
  start_unix_s DOUBLE,
  time_zone VARCHAR,
  time_zone_assumed BOOLEAN,
  rows BIGINT NOT NULL,
  cycles INTEGER,
  channels JSON NOT NULL,
  header JSON NOT NULL,
  warnings JSON NOT NULL,
  sample_id INTEGER,
  ingested_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS test_sources (
  test_id INTEGER NOT NULL,
  file_id INTEGER NOT NULL,
  part INTEGER NOT NULL,
  PRIMARY KEY (test_id, part)
);
CREATE TABLE IF NOT EXISTS measurements (
  test_id INTEGER NOT NULL,
  row_index INTEGER NOT NULL,
  ${MEASUREMENT_CHANNELS.map((c) => `${c} ${sqlType(c)}`).join(',\n  ')},
  step_type VARCHAR
);
CREATE TABLE IF NOT EXISTS aux_channels (
  test_id INTEGER NOT NULL,
  channel_id SMALLINT NOT NULL,
  channel VARCHAR NOT NULL,
  unit VARCHAR NOT NULL,
  PRIMARY KEY (test_id, channel_id)
);
CREATE TABLE IF NOT EXISTS aux_measurements (
  test_id INTEGER NOT NULL,
  row_index INTEGER NOT NULL,
  channel_id SMALLINT NOT NULL,
  value DOUBLE
);
`;

/**
 * Every part of the schema, applied in order by Store.open (each part idempotent). Other modules
 * (catalogue, users, abuse records ...) add their DDL here with one import and one entry.
 */
export const SCHEMA_PARTS: readonly string[] = [
  SCHEMA_SQL,
  CATALOGUE_SCHEMA_SQL,
  AUTH_SCHEMA_SQL,
  ABUSE_SCHEMA_SQL,
  SERIES_SCHEMA_SQL,
];
