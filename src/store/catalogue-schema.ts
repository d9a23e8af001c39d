/**
 * DDL of the catalogue (issue 7), applied after SCHEMA_SQL (idempotent). It extends the
 * `suppliers`, `cell_models` and `samples` tables of the base schema with the catalogue's fields
 * (units in the column names) and adds claims, test protocols (one row per linked test), the
 * catalogue's test links (kept also while the file is not ingested yet) and per-sample
 * measurements (teardown, physico-chemical values). As in the base schema, references are kept by
 * the store's code (src/app/catalogue.ts, one transaction per import), not by FOREIGN KEY clauses.
 */
export const CATALOGUE_SCHEMA_SQL = `
ALTER TABLE suppliers ADD COLUMN IF NOT EXISTS slug VARCHAR;
ALTER TABLE suppliers ADD COLUMN IF NOT EXISTS country VARCHAR;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS format VARCHAR;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS voltage_min_V DOUBLE;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS voltage_max_V DOUBLE;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS mass_kg DOUBLE;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS length_mm DOUBLE;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS width_mm DOUBLE;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS height_mm DOUBLE;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS diameter_mm DOUBLE;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS cost_per_kWh_EUR DOUBLE;
ALTER TABLE cell_models ADD COLUMN IF NOT EXISTS source VARCHAR;
ALTER TABLE samples ADD COLUMN IF NOT EXISTS batch VARCHAR;
ALTER TABLE samples ADD COLUMN IF NOT EXISTS arrival_date DATE;
ALTER TABLE samples ADD COLUMN IF NOT EXISTS state VARCHAR;
CREATE SEQUENCE IF NOT EXISTS claim_ids START 1;
CREATE TABLE IF NOT EXISTS claims (
  claim_id INTEGER PRIMARY KEY DEFAULT nextval('claim_ids'),
  cell_model_id INTEGER NOT NULL,
  claim_key VARCHAR NOT NULL,
  ordinal INTEGER NOT NULL,
  kind VARCHAR NOT NULL,
  value DOUBLE NOT NULL,
  unit VARCHAR NOT NULL,
  tolerance_pct DOUBLE,
  conditions JSON NOT NULL,
  source VARCHAR,
  UNIQUE (cell_model_id, claim_key)
);
CREATE TABLE IF NOT EXISTS test_protocols (
  test_id INTEGER PRIMARY KEY,
  protocol VARCHAR NOT NULL,
  temperature_degC DOUBLE,
  c_rate DOUBLE,
  charge_c_rate DOUBLE,
  dod_pct DOUBLE
);
CREATE SEQUENCE IF NOT EXISTS test_link_ids START 1;
CREATE TABLE IF NOT EXISTS catalogue_test_links (
  link_id INTEGER PRIMARY KEY DEFAULT nextval('test_link_ids'),
  file VARCHAR NOT NULL,
  path VARCHAR NOT NULL UNIQUE,
  sample_id INTEGER NOT NULL,
  protocol VARCHAR NOT NULL,
  temperature_degC DOUBLE,
  c_rate DOUBLE,
  charge_c_rate DOUBLE,
  dod_pct DOUBLE,
  test_id INTEGER
);
CREATE SEQUENCE IF NOT EXISTS sample_measurement_ids START 1;
CREATE TABLE IF NOT EXISTS sample_measurements (
  measurement_id INTEGER PRIMARY KEY DEFAULT nextval('sample_measurement_ids'),
  sample_id INTEGER NOT NULL,
  quantity VARCHAR NOT NULL,
  value DOUBLE NOT NULL,
  unit VARCHAR NOT NULL,
  method VARCHAR,
  attachment VARCHAR
);
`;
