/**
 * Crash safety, on both stores: a real server process (`server/main.ts`) is killed with SIGKILL
 * in the middle of a heavy ingest (eight senders posting batches of cases back to back). After a
 * restart on the same store, every item the killed server acknowledged is stored once and is
 * on the wall (a wall's snapshot holds it), and sending every batch again, acknowledged or not,
 * as a feed retrying after an outage would, duplicates nothing.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { caseId } from '../../server/domain/reports.ts';
import { SHICHAHAI } from '../support/fixtures.ts';
import { createTestStore, post, startServer, STORE_KINDS, type StoreKind, type TestStore } from '../support/server.ts';
import { openWall } from '../support/sessions.ts';
import { connectClient } from '../support/socket.ts';
import { killServerProcesses, serverProcess } from '../support/process.ts';

const SENDERS = 8;
const BATCH = 100;
/** Kill once this many batches were acknowledged: well inside the ingest, not before it. */
const KILL_AFTER_ACKS = 12;

const stores: TestStore[] = [];
afterEach(async () => {
  killServerProcesses();
  for (const store of stores.splice(0)) await store.dispose();
});

function batchOf(sender: number, index: number) {
  return Array.from({ length: BATCH }, (_, i) => ({
    sourceId: `crash-${sender}-${index}-${i}`,
    source: 'hotline',
    category: 'parking',
    lon: SHICHAHAI.lon + (i % 10) * 0.0002,
    lat: SHICHAHAI.lat,
  }));
}

/** Senders post batches back to back until their server dies; answers the ids acknowledged and all ids sent. */
async function ingestUntilKilled(target: { url: string; token: string }, child: ChildProcess) {
  const acknowledged = new Set<string>();
  const sent: Array<ReturnType<typeof batchOf>> = [];
  let acks = 0;
  const sender = async (n: number) => {
    for (let index = 0; ; index++) {
      const items = batchOf(n, index);
      sent.push(items);
      const answer = await post(target, '/api/v1/cases', { items }).catch(() => null);
      if (answer === null) return; // the server is gone
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      for (const item of items) acknowledged.add(item.sourceId);
      if (++acks === KILL_AFTER_ACKS) child.kill('SIGKILL');
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, (_, n) => sender(n)));
  return { acknowledged, sent };
}

describe.each(STORE_KINDS)('a server killed with SIGKILL mid-ingest, on %s', (kind: StoreKind) => {
  it('keeps every acknowledged item, once, and shows it on the wall after a restart', async () => {
    const store = await createTestStore(kind);
    stores.push(store);
    // A first start on the store makes the feed key the senders use.
    const first = await startServer(store);
    const token = first.token;
    await first.close();

    const { url, child, exited } = await serverProcess(store.env);
    const { acknowledged, sent } = await ingestUntilKilled({ url, token }, child);
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS * BATCH);
    // Some batches were in flight when it died: the test is only worth something if so.
    expect(sent.length * BATCH).toBeGreaterThan(acknowledged.size);

    const restarted = await startServer(store);
    try {
      const { rows } = await restarted.app.store.pool.query<{ source_id: string; n: string }>(
        "SELECT source_id, count(*) AS n FROM cases WHERE source_id LIKE 'crash-%' GROUP BY source_id",
      );
      const stored = new Map(rows.map((r) => [r.source_id, Number(r.n)]));
      const lost = [...acknowledged].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      expect([...stored.values()].every((n) => n === 1)).toBe(true);

      const wall = await openWall(restarted);
      const client = await connectClient(restarted.url, wall.cookie);
      try {
        const result = await client.sync(null);
        if (!result.ok || result.mode !== 'snapshot') throw new Error(`no snapshot: ${JSON.stringify(result)}`);
        const onWall = new Set(result.snapshot.cases.map((c) => c.id));
        const missing = [...acknowledged].filter((id) => !onWall.has(caseId('hotline', id)));
        expect(missing).toEqual([]);
      } finally {
        client.close();
      }

      // A feed resends everything after the outage: nothing new is made of what was stored.
      let changed = 0;
      for (const items of sent) {
        const answer = await post(restarted, '/api/v1/cases', { items });
        expect(answer.status).toBe(200);
        changed += answer.body.changed;
      }
      expect(changed).toBe(sent.length * BATCH - stored.size);
      const { rows: after } = await restarted.app.store.pool.query<{ n: string; distinct: string }>(
        "SELECT count(*) AS n, count(DISTINCT source_id) AS distinct FROM cases WHERE source_id LIKE 'crash-%'",
      );
      expect(Number(after[0]!.n)).toBe(sent.length * BATCH);
      expect(Number(after[0]!.distinct)).toBe(sent.length * BATCH);
    } finally {
      await restarted.close();
    }
  }, 180_000);
});
