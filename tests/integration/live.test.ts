/**
 * The live stream with real socket.io clients on a real port: snapshot, ordered deltas,
 * coalesced position frames, and a gap-free resync after a forced disconnect in a burst.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SYNC_CHANGES, type Change, type PositionFrame, type SyncResult } from '../../server/contract/live.ts';
import { changesSince } from '../../server/store/changes.ts';
import { SHICHAHAI, fireIncident, goOnDuty, hotlineCase, teams, volunteers } from '../support/fixtures.ts';
import { STORE_KINDS, createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { connectClient, waitFor, type RecordingClient } from '../support/socket.ts';
import { openWall } from '../support/sessions.ts';

function expectSnapshot(result: SyncResult) {
  if (!result.ok || result.mode !== 'snapshot') throw new Error(`expected a snapshot, got ${JSON.stringify(result).slice(0, 200)}`);
  return result.snapshot;
}

function expectChanges(result: SyncResult) {
  if (!result.ok || result.mode !== 'changes') throw new Error(`expected changes, got ${JSON.stringify(result).slice(0, 200)}`);
  return result;
}

describe.each(STORE_KINDS)('live stream on %s', (kind) => {
  let server: TestServer;
  const clients: RecordingClient[] = [];
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await server?.dispose();
  });

  async function start(): Promise<TestServer> {
    server = await startServer(await createTestStore(kind));
    await post(server, '/api/v1/teams', { items: teams() });
    await post(server, '/api/v1/volunteers', { items: volunteers() });
    return server;
  }

  async function client(): Promise<RecordingClient> {
    const c = await connectClient(server.url, (await openWall(server)).cookie);
    clients.push(c);
    return c;
  }

  it('sends a snapshot tagged with the head seq, then each change in order', async () => {
    await start();
    await post(server, '/api/v1/cases', { items: [hotlineCase(1)] });
    const wall = await client();
    const snapshot = expectSnapshot(await wall.sync(null));
    expect(snapshot.seq).toBe(server.app.store.head);
    expect(snapshot.cases.map((c) => c.id)).toEqual(['hotline:H-1']);
    expect(snapshot.units).toHaveLength(3);
    expect(snapshot.status).toEqual({ simulated: false, store: kind, storeAvailable: true });

    await post(server, '/api/v1/incidents', { items: [fireIncident(1)] });
    await post(server, '/api/v1/cases', { items: [hotlineCase(1, { state: 'dispatched' })] });
    await waitFor(() => wall.received.length === 2);
    expect(wall.received.map((r) => [r.event, r.from])).toEqual([
      ['incident:changed', snapshot.seq + 1],
      ['case:changed', snapshot.seq + 2],
    ]);
    expect(wall.received[1]!.payload).toMatchObject({ kind: 'case', created: false, value: { state: 'dispatched' } });
  });

  it('coalesces positions into frames and sends a status change at once, in seq order', async () => {
    await start();
    // Positions are kept only on duty: the moving volunteer is on duty before the snapshot.
    await goOnDuty(server, ['V012-1-2']);
    const wall = await client();
    const { seq } = expectSnapshot(await wall.sync(null));
    const base = Date.now() - 60_000;
    const at = (s: number) => new Date(base + s * 1000).toISOString();
    for (let step = 0; step < 5; step++) {
      await post(server, '/api/v1/positions', {
        items: [{ volunteerId: 'V012-1-2', lon: SHICHAHAI.lon + step * 1e-4, lat: SHICHAHAI.lat, at: at(step) }],
      });
    }
    await post(server, '/api/v1/positions', {
      items: [{ volunteerId: 'V012-1-1', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, status: 'available', at: at(9) }],
    });
    await waitFor(() => wall.received.some((r) => r.event === 'unit:changed'));
    const frames = wall.received.filter((r) => r.event === 'position:frame');
    const last = frames.at(-1)!.payload as PositionFrame;
    expect(last.units).toEqual([['V012-1-2', SHICHAHAI.lon + 4e-4, SHICHAHAI.lat, Date.parse(at(4)), SHICHAHAI.adcode]]);
    expect(frames.length).toBeLessThan(5);
    expect(wall.received.at(-1)).toMatchObject({ event: 'unit:changed', from: seq + 6 });
    const order = wall.received.map((r) => r.from);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(frames[0]!.from).toBe(seq + 1);
  });

  it('resyncs after a forced disconnect during a burst with no change missed', async () => {
    await start();
    await goOnDuty(server, ['V018-1-1']);
    const wall = await client();
    const snapshot = expectSnapshot(await wall.sync(null));
    const applied = new Map<number, Change>();
    const take = (c: Change) => applied.set(c.seq, c);

    const burst = (async () => {
      for (let batch = 0; batch < 30; batch++) {
        const items = Array.from({ length: 5 }, (_, i) => hotlineCase(batch * 5 + i));
        await post(server, '/api/v1/cases', { items });
        await post(server, '/api/v1/positions', {
          items: [{ volunteerId: 'V018-1-1', lon: 116.3466 + batch * 1e-5, lat: 39.885 }],
        });
      }
    })();
    await waitFor(() => wall.received.length >= 20);
    (await serverSocketOf(wall)).disconnect(true);
    await waitFor(() => wall.socket.disconnected);
    const beforeCut = wall.received.filter((r) => r.event === 'case:changed').map((r) => r.payload as Change);
    beforeCut.forEach(take);
    const lastSeq = Math.max(snapshot.seq, ...wall.received.map((r) => r.to));

    const again = await client();
    const resync = expectChanges(await again.sync(lastSeq));
    resync.changes.forEach(take);
    await burst;
    await waitFor(() => again.received.filter((r) => r.event === 'case:changed').length + resync.changes.length + beforeCut.length >= 150);
    again.received.filter((r) => r.event === 'case:changed').forEach((r) => take(r.payload as Change));

    const stored = await changesSince(server.app.store.pool, snapshot.seq, 10_000);
    expect([...applied.keys()].sort((a, b) => a - b)).toEqual(stored.map((c) => c.seq));
    expect(resync.units.find((u) => u.id === 'V018-1-1')).toBeDefined();
  });

  it('answers with a fresh snapshot when too much was missed or the seq is unknown', async () => {
    await start();
    const items = Array.from({ length: MAX_SYNC_CHANGES + 1 }, (_, i) => hotlineCase(i));
    await post(server, '/api/v1/cases', { items: items.slice(0, MAX_SYNC_CHANGES) });
    await post(server, '/api/v1/cases', { items: items.slice(MAX_SYNC_CHANGES) });
    const wall = await client();
    expect(expectSnapshot(await wall.sync(0)).cases).toHaveLength(MAX_SYNC_CHANGES + 1);
    expect(expectSnapshot(await wall.sync(server.app.store.head + 100)).seq).toBe(server.app.store.head);
    expect(expectChanges(await wall.sync(server.app.store.head - 1)).changes).toHaveLength(1);
  });

  it('answers a malformed sync with an error instead of failing', async () => {
    await start();
    const wall = await client();
    const bad = await wall.socket.timeout(5000).emitWithAck('live:sync', { since: -3 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(wall.socket.connected).toBe(true);
  });

  async function serverSocketOf(c: RecordingClient) {
    const sockets = await server.app.live.io.fetchSockets();
    const found = sockets.find((s) => s.id === c.socket.id);
    if (!found) throw new Error('server socket not found');
    return found;
  }
});
