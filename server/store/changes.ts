/**
 * The change log: sequence numbers and the views streamed with them, so that a wall that was
 * away is served exactly what it missed.
 */
import type { Change } from '../contract/live.ts';
import type { Queryable } from './store.ts';

/** The writers' advisory lock: every write transaction holds it to its end (Store.transaction). */
export const WRITER_LOCK = 8_150_102;
/** Told the highest seq of each commit that took any (delivered at the commit, in commit order). */
export const HEAD_CHANNEL = 'live_head';

/**
 * Takes `count` consecutive-in-order sequence numbers, inside a write transaction: it holds
 * WRITER_LOCK, so on one database, however many servers write to it, sequence numbers commit in
 * the order they are taken (a rolled-back transaction leaves a hole, never a late seq). It
 * notifies HEAD_CHANNEL, which every server of a cluster listens on to stream what others committed.
 */
export async function takeSeqs(q: Queryable, count: number): Promise<number[]> {
  if (count === 0) return [];
  const { rows } = await q.query<{ seq: string }>(
    `WITH taken AS MATERIALIZED (SELECT nextval('live_seq') AS seq FROM generate_series(1, $1::int))
     SELECT seq, pg_notify('${HEAD_CHANNEL}', (SELECT max(seq) FROM taken)::text) FROM taken`,
    [count],
  );
  return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
}

export async function readHeadSeq(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ last_value: string; is_called: boolean }>(
    'SELECT last_value, is_called FROM live_seq',
  );
  const row = rows[0];
  return row && row.is_called ? Number(row.last_value) : 0;
}

export async function appendChanges(q: Queryable, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  await q.query(
    `INSERT INTO changes (seq, kind, entity_id, created, view)
     SELECT seq, kind, value->>'id', created, value
     FROM jsonb_to_recordset($1::jsonb) AS c(seq bigint, kind text, created boolean, value jsonb)`,
    [JSON.stringify(changes)],
  );
}

/** Changes after `since` in order, at most `limit` (ask for one more to learn there are more). */
export async function changesSince(q: Queryable, since: number, limit: number): Promise<Change[]> {
  const { rows } = await q.query<{ seq: string; kind: Change['kind']; created: boolean; view: Change['value'] }>(
    'SELECT seq, kind, created, view FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2',
    [since, limit],
  );
  return rows.map((r) => ({ kind: r.kind, seq: Number(r.seq), created: r.created, value: r.view }) as Change);
}
