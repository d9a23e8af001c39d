/**
 * DDL of the abuse test records (issue 9), applied after SCHEMA_SQL (idempotent). One row per
 * destructive test of one sample; units are in the column names, times in seconds. Observations
 * are tri-state (NULL = not recorded). `eucar_level` is the level to report (`eucar_source` says
 * whether it was given or derived from the observations); `verdicts` holds the pass/fail per
 * standard as JSON, `attachments` the photo/video paths or URLs. `sample_id` and `test_id` refer to
 * `samples` and `tests` when the sample or the linked run is stored (kept by src/app/abuse.ts).
 */
export const ABUSE_SCHEMA_SQL = `
CREATE SEQUENCE IF NOT EXISTS abuse_test_ids START 1;
CREATE TABLE IF NOT EXISTS abuse_tests (
  abuse_id INTEGER PRIMARY KEY DEFAULT nextval('abuse_test_ids'),
  sample_serial VARCHAR NOT NULL,
  sample_id INTEGER,
  cell_model VARCHAR,
  test_type VARCHAR NOT NULL,
  level VARCHAR NOT NULL,
  test_date DATE,
  lab VARCHAR,
  soc_pct DOUBLE,
  temperature_degC DOUBLE,
  c_rate DOUBLE,
  current_A DOUBLE,
  force_kN DOUBLE,
  deformation_pct DOUBLE,
  nail_diameter_mm DOUBLE,
  nail_speed_mm_per_s DOUBLE,
  short_resistance_mOhm DOUBLE,
  heating_rate_degC_per_min DOUBLE,
  hold_temperature_degC DOUBLE,
  hold_s DOUBLE,
  charge_limit_V DOUBLE,
  protection_activated BOOLEAN,
  damage BOOLEAN,
  leakage BOOLEAN,
  venting BOOLEAN,
  smoke BOOLEAN,
  fire BOOLEAN,
  rupture BOOLEAN,
  explosion BOOLEAN,
  max_temperature_degC DOUBLE,
  ocv_before_V DOUBLE,
  ocv_after_V DOUBLE,
  voltage_drop_V DOUBLE,
  mass_before_g DOUBLE,
  mass_after_g DOUBLE,
  electrolyte_mass_g DOUBLE,
  mass_loss_pct DOUBLE,
  electrolyte_mass_loss_pct DOUBLE,
  observation_s DOUBLE,
  warning_delay_s DOUBLE,
  eucar_level INTEGER NOT NULL,
  eucar_source VARCHAR NOT NULL,
  eucar_derived INTEGER NOT NULL,
  verdicts JSON NOT NULL,
  attachments JSON NOT NULL,
  test_id INTEGER,
  notes VARCHAR,
  warnings JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
`;
