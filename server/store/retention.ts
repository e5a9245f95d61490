/**
 * Retention: tracks (the positions history) and the streamed views of units older than the
 * configured number of days are deleted, and so are ended sessions. The views of cases,
 * incidents and alarms carry no personal data and stay: they are the time machine's history. The change log remembers
 * up to which seq it was pruned, so a wall asking for changes from before that gets a fresh
 * snapshot instead of an incomplete list.
 */
import { deleteExpiredSessions } from './sessions.ts';
import type { Queryable } from './store.ts';

export interface Swept {
  positions: number;
  changes: number;
  sessions: number;
}

export async function sweep(q: Queryable, retentionDays: number): Promise<Swept> {
  const cutoff = new Date(Date.now() - retentionDays * 86_400_000);
  const positions = await q.query('DELETE FROM positions WHERE at < $1', [cutoff]);
  const changes = await q.query<{ n: number; last: string | null }>(
    `WITH gone AS (DELETE FROM changes WHERE at < $1 AND kind = 'unit' RETURNING seq)
     SELECT count(*)::int AS n, max(seq)::text AS last FROM gone`,
    [cutoff],
  );
  const { n, last } = changes.rows[0]!;
  if (last !== null) {
    await q.query(
      `INSERT INTO settings (name, value) VALUES ('changes_pruned_through', $1)
       ON CONFLICT (name) DO UPDATE SET value = GREATEST(settings.value::bigint, EXCLUDED.value::bigint)::text`,
      [last],
    );
  }
  return { positions: positions.rowCount ?? 0, changes: n, sessions: await deleteExpiredSessions(q) };
}

/** The highest seq whose change may have been pruned (0: nothing pruned). */
export async function prunedThrough(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ value: string }>(`SELECT value FROM settings WHERE name = 'changes_pruned_through'`);
  return rows[0] ? Number(rows[0].value) : 0;
}
