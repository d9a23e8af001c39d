/**
 * DDL of users, roles, per-supplier grants, sessions, API tokens and the audit log (issue 8).
 * Secrets are never stored: passwords as scrypt hashes (`scrypt$N$r$p$salt$hash`, base64),
 * session ids and API tokens as SHA-256 hex of the random value. Times are UTC seconds.
 * `user_grants.supplier` holds the supplier's key as the API shows it (see src/app/visibility.ts).
 */
export const AUTH_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS users (
  username VARCHAR PRIMARY KEY,
  role VARCHAR NOT NULL,
  password_hash VARCHAR NOT NULL,
  created_unix_s DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS user_grants (
  username VARCHAR NOT NULL,
  supplier VARCHAR NOT NULL,
  granted_unix_s DOUBLE NOT NULL,
  PRIMARY KEY (username, supplier)
);
CREATE TABLE IF NOT EXISTS sessions (
  id_sha256 VARCHAR PRIMARY KEY,
  username VARCHAR NOT NULL,
  created_unix_s DOUBLE NOT NULL,
  expires_unix_s DOUBLE NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS api_token_ids START 1;
CREATE TABLE IF NOT EXISTS api_tokens (
  token_id INTEGER PRIMARY KEY DEFAULT nextval('api_token_ids'),
  token_sha256 VARCHAR NOT NULL UNIQUE,
  username VARCHAR NOT NULL,
  label VARCHAR,
  created_unix_s DOUBLE NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS audit_ids START 1;
CREATE TABLE IF NOT EXISTS audit_log (
  audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
  at_unix_s DOUBLE NOT NULL,
  username VARCHAR,
  action VARCHAR NOT NULL,
  object VARCHAR,
  detail VARCHAR
);
`;
