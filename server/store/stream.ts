/**
 * What was committed in a range of sequence numbers, as the live hub publishes it: each seq's
 * changes, and each positions batch (one seq) as the frame it went out as (the latest fix of
 * each unit in it). For a server of a cluster that streams what another server committed.
 */
import type { Change, PackedPosition } from '../contract/live.ts';
import type { Committed } from '../ingest/service.ts';
import { changesSince } from './changes.ts';
import type { Queryable } from './store.ts';

/** Commits in (from, to], in seq order, at most about `limit` seqs' worth; and how far that reached. */
export async function committedBetween(q: Queryable, from: number, to: number, limit: number): Promise<{ commits: Committed[]; through: number }> {
  const changes = (await changesSince(q, from, limit)).filter((c) => c.seq <= to);
  const through = changes.length === limit ? changes.at(-1)!.seq : to;
  const { rows } = await q.query<{ seq: string; id: string; lon: number; lat: number; at: Date; subdistrict: string | null }>(
    `SELECT seq, volunteer_id AS id, lon, lat, at, subdistrict FROM positions
      WHERE seq > $1 AND seq <= $2 ORDER BY seq, at`,
    [from, through],
  );
  // A fix that changed its unit's status went out as that unit's change, with its seq: not in a frame.
  const changeSeqs = new Set(changes.map((c) => c.seq));
  const frames = new Map<number, Map<string, PackedPosition>>();
  for (const row of rows) {
    const seq = Number(row.seq);
    if (changeSeqs.has(seq)) continue;
    const frame = frames.get(seq) ?? new Map<string, PackedPosition>();
    frame.set(row.id, [row.id, row.lon, row.lat, row.at.getTime(), row.subdistrict]);
    frames.set(seq, frame);
  }
  const commits: Committed[] = [
    ...[...frames].map(([seq, units]) => ({ frame: { seq, units: [...units.values()] }, changes: [] })),
    ...changes.map((change: Change) => ({ frame: null, changes: [change] })),
  ];
  commits.sort((a, b) => seqOf(a) - seqOf(b));
  return { commits, through };
}

function seqOf(committed: Committed): number {
  return committed.frame?.seq ?? committed.changes[0]!.seq;
}

/** The highest seq committed: every lower one is final (commits take seqs in order: changes.ts, takeSeqs). */
export async function committedHead(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ head: string | null }>(
    'SELECT GREATEST((SELECT max(seq) FROM changes), (SELECT max(seq) FROM positions))::text AS head',
  );
  return Number(rows[0]?.head ?? 0);
}
