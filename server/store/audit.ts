/**
 * The audit log: who did what, to what, and when. Written in the same transaction as the
 * change it records, so a logged change happened and a change that happened is logged.
 */
import type { Queryable } from './store.ts';

/** Who acted: `user:<name>`, `feed:<key id> <name>`, `wall-link:<id>`, `cli`, `system`. */
export type Actor = string;

export interface AuditEntry {
  id: string;
  at: string;
  actor: Actor;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export async function audit(
  q: Queryable,
  actor: Actor,
  action: string,
  target: string | null = null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await q.query('INSERT INTO audit_log (actor, action, target, details) VALUES ($1, $2, $3, $4)', [actor, action, target, details]);
}

/** Newest first; `before` pages back by id. */
export async function readAudit(q: Queryable, limit: number, before: string | null): Promise<AuditEntry[]> {
  const { rows } = await q.query<AuditRow>(
    'SELECT * FROM audit_log WHERE ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $1',
    [limit, before],
  );
  return rows.map((row) => ({ ...row, id: String(row.id), at: row.at.toISOString() }));
}
