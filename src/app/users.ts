import { DiscernError } from '../core/index.js';
import type { Store } from '../store/index.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** Roles, from most to least powerful: admin (everything), engineer (upload, edit, delete, read granted), viewer (read granted). */
export const ROLES = ['admin', 'engineer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: the user, their role and the suppliers they may see ('*' = all, for admins). */
export interface Principal {
  username: string;
  role: Role;
  suppliers: string[] | '*';
}

/** A user as listed (never with the password hash). */
export interface UserInfo {
  username: string;
  role: Role;
  suppliers: string[];
  created_unix_s: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** @throws DISCERN_BAD_ARGUMENT unless `name` is 1-64 of letters, digits, `._@-` (not starting with a sign). */
export function assertUsername(name: string): void {
  if (!NAME.test(name))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `user names are 1-64 letters, digits, '.', '_', '@' or '-', got "${name}"`,
    );
}

/** @throws DISCERN_BAD_ARGUMENT unless `role` is admin, engineer or viewer. */
export function assertRole(role: string): asserts role is Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `role must be admin, engineer or viewer, got "${role}"`);
}

function now(): number {
  return Date.now() / 1000;
}

/**
 * Creates a local account with a scrypt-hashed password (at least 8 characters).
 * @throws DISCERN_BAD_ARGUMENT (name, role, short password), DISCERN_CONFLICT (the name is taken)
 */
export async function addUser(store: Store, username: string, role: string, password: string): Promise<void> {
  assertUsername(username);
  assertRole(role);
  if (password.length < 8)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'passwords need at least 8 characters');
  const hash = await hashPassword(password);
  const taken = await store.query('SELECT 1 FROM users WHERE username = $1', [username]);
  if (taken.length > 0) throw new DiscernError('DISCERN_CONFLICT', `the user ${username} exists already`);
  await store.query('INSERT INTO users VALUES ($1, $2, $3, $4)', [username, role, hash, now()]);
}

/** Number of accounts (the server creates the first admin when there is none). */
export async function countUsers(store: Store): Promise<number> {
  const r = await store.query('SELECT count(*) AS n FROM users');
  return Number(r[0]!['n']);
}

/** All accounts with their grants, by name. */
export async function listUsers(store: Store): Promise<UserInfo[]> {
  const rows = await store.query(
    `SELECT u.username, u.role, u.created_unix_s,
       coalesce((SELECT list(g.supplier ORDER BY g.supplier) FROM user_grants g WHERE g.username = u.username), []) AS suppliers
     FROM users u ORDER BY u.username`,
  );
  return rows.map((r) => ({
    username: String(r['username']),
    role: String(r['role']) as Role,
    suppliers: (r['suppliers'] as unknown[]).map(String),
    created_unix_s: Number(r['created_unix_s']),
  }));
}

/**
 * The principal of a user (role and grants).
 * @throws DISCERN_NOT_FOUND when there is no such user
 */
export async function principalOf(store: Store, username: string): Promise<Principal> {
  const rows = await store.query('SELECT role FROM users WHERE username = $1', [username]);
  const r = rows[0];
  if (r === undefined) throw new DiscernError('DISCERN_NOT_FOUND', `no user ${username}`);
  const role = String(r['role']) as Role;
  if (role === 'admin') return { username, role, suppliers: '*' };
  const g = await store.query('SELECT supplier FROM user_grants WHERE username = $1 ORDER BY supplier', [
    username,
  ]);
  return { username, role, suppliers: g.map((x) => String(x['supplier'])) };
}

/** The principal when `password` is right, else undefined (same work either way). */
export async function checkPassword(
  store: Store,
  username: string,
  password: string,
): Promise<Principal | undefined> {
  const rows = NAME.test(username)
    ? await store.query('SELECT password_hash FROM users WHERE username = $1', [username])
    : [];
  const hash = rows[0] === undefined ? undefined : String(rows[0]['password_hash']);
  const ok = await verifyPassword(password, hash);
  return ok ? principalOf(store, username) : undefined;
}

/**
 * Lets a user see a supplier's cell models, samples and tests (`supplier` is the supplier's key:
 * its slug, else its name). Granting twice is harmless.
 * @throws DISCERN_NOT_FOUND (no such user), DISCERN_BAD_ARGUMENT (empty supplier)
 */
export async function grantSupplier(store: Store, username: string, supplier: string): Promise<void> {
  await principalOf(store, username);
  if (supplier.trim() === '' || supplier.length > 200)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', 'a supplier key is 1-200 characters');
  await store.query('INSERT INTO user_grants VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    username,
    supplier,
    now(),
  ]);
}

/**
 * Withdraws a grant.
 * @throws DISCERN_NOT_FOUND when the user has no such grant
 */
export async function revokeSupplier(store: Store, username: string, supplier: string): Promise<void> {
  const had = await store.query(
    'DELETE FROM user_grants WHERE username = $1 AND supplier = $2 RETURNING supplier',
    [username, supplier],
  );
  if (had.length === 0)
    throw new DiscernError('DISCERN_NOT_FOUND', `${username} has no grant for supplier ${supplier}`);
}
