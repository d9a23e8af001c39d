import { createHash, randomBytes } from 'node:crypto';
import { DiscernError } from '../core/index.js';
import type { Store } from '../store/index.js';
import { principalOf, type Principal } from './users.js';

/** How long a login lasts, s (default 12 h; DISCERN_SESSION_TTL_S overrides). */
export function sessionTtlS(): number {
  const env = Number(process.env['DISCERN_SESSION_TTL_S']);
  return Number.isFinite(env) && env > 0 ? env : 12 * 3600;
}

/** SHA-256 hex of a secret: what the store keeps of session ids and tokens. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new random session id (32 bytes, base64url); the store keeps only its hash and expiry. */
export async function createSession(
  store: Store,
  username: string,
): Promise<{ id: string; expires_unix_s: number }> {
  const id = randomBytes(32).toString('base64url');
  const t = Date.now() / 1000;
  const expires = t + sessionTtlS();
  await store.query('DELETE FROM sessions WHERE expires_unix_s < $1', [t]);
  await store.query('INSERT INTO sessions VALUES ($1, $2, $3, $4)', [secretHash(id), username, t, expires]);
  return { id, expires_unix_s: expires };
}

/** The principal of a live session id, else undefined. */
export async function sessionPrincipal(store: Store, id: string): Promise<Principal | undefined> {
  const rows = await store.query(
    'SELECT username FROM sessions WHERE id_sha256 = $1 AND expires_unix_s > $2',
    [secretHash(id), Date.now() / 1000],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  try {
    return await principalOf(store, String(r['username']));
  } catch {
    return undefined;
  }
}

/** Ends a session (unknown ids are ignored). */
export async function deleteSession(store: Store, id: string): Promise<void> {
  await store.query('DELETE FROM sessions WHERE id_sha256 = $1', [secretHash(id)]);
}

/**
 * A new API token for a user: `dsn_` + 32 random bytes (base64url). Shown once; the store keeps
 * its SHA-256 only.
 * @throws DISCERN_NOT_FOUND when there is no such user
 */
export async function createApiToken(store: Store, username: string, label?: string): Promise<string> {
  await principalOf(store, username);
  const token = `dsn_${randomBytes(32).toString('base64url')}`;
  await store.query(
    'INSERT INTO api_tokens (token_sha256, username, label, created_unix_s) VALUES ($1, $2, $3, $4)',
    [secretHash(token), username, label ?? null, Date.now() / 1000],
  );
  return token;
}

/** The principal of an API token, else undefined. */
export async function tokenPrincipal(store: Store, token: string): Promise<Principal | undefined> {
  const rows = await store.query('SELECT username FROM api_tokens WHERE token_sha256 = $1', [
    secretHash(token),
  ]);
  const r = rows[0];
  if (r === undefined) return undefined;
  try {
    return await principalOf(store, String(r['username']));
  } catch {
    return undefined;
  }
}

/**
 * Deletes a user's tokens (all, or the one with this id).
 * @throws DISCERN_NOT_FOUND when none matched
 */
export async function revokeApiTokens(store: Store, username: string, tokenId?: number): Promise<number> {
  const rows = await store.query(
    `DELETE FROM api_tokens WHERE username = $1 ${tokenId !== undefined ? 'AND token_id = $2' : ''} RETURNING token_id`,
    tokenId !== undefined ? [username, tokenId] : [username],
  );
  if (rows.length === 0) throw new DiscernError('DISCERN_NOT_FOUND', `no such token of ${username}`);
  return rows.length;
}
