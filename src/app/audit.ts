import type { Store } from '../store/index.js';

/** One audit entry: who did what to which object, when (UTC seconds). */
export interface AuditEntry {
  at_unix_s: number;
  username: string | null;
  action: string;
  object: string | null;
  detail: string | null;
}

/**
 * Appends an audit entry (uploads, edits, deletions, logins, grants, users, tokens). `action` is
 * a dotted verb such as `test.upload`, `login.failed`, `grant.add`.
 */
export async function audit(
  store: Store,
  username: string | null,
  action: string,
  object?: string | null,
  detail?: unknown,
): Promise<void> {
  await store.query(
    'INSERT INTO audit_log (at_unix_s, username, action, object, detail) VALUES ($1, $2, $3, $4, $5)',
    [
      Date.now() / 1000,
      username,
      action,
      object ?? null,
      detail === undefined ? null : typeof detail === 'string' ? detail : JSON.stringify(detail),
    ],
  );
}

/** The latest audit entries, newest first (limit 1..10000, default 100). */
export async function listAudit(store: Store, limit = 100): Promise<AuditEntry[]> {
  const n = Math.max(1, Math.min(10_000, Math.floor(limit)));
  const rows = await store.query(
    `SELECT at_unix_s, username, action, object, detail FROM audit_log ORDER BY audit_id DESC LIMIT ${n}`,
  );
  return rows.map((r) => ({
    at_unix_s: Number(r['at_unix_s']),
    username: r['username'] === null ? null : String(r['username']),
    action: String(r['action']),
    object: r['object'] === null ? null : String(r['object']),
    detail: r['detail'] === null ? null : String(r['detail']),
  }));
}
