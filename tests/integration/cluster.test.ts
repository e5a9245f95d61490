/**
 * Two servers on one PostgreSQL, broadcasting through the Redis at 127.0.0.1:6379 (each test a
 * cluster name of its own): feeds write to both at once, and a wall on either gets every
 * commit, whichever server made it, in seq order, with no gap and nothing twice; a broadcast
 * made on one server (live:status) reaches a wall on the other; one server leads the clocks,
 * and when it goes the other takes over; a wall whose server went resyncs on the other with
 * nothing missed, also when that server is a process killed with SIGKILL while it led.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Change, PositionFrame } from '../../server/contract/live.ts';
import { committedHead } from '../../server/store/stream.ts';
import { SHICHAHAI } from '../support/fixtures.ts';
import { createTestStore, post, startServer, type TestServer, type TestStore } from '../support/server.ts';
import { openWall } from '../support/sessions.ts';
import { connectClient, waitFor, type RecordingClient } from '../support/socket.ts';
import { killServerProcesses, serverProcess } from '../support/process.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = 20;
const VOLUNTEERS = ['C-1', 'C-2', 'C-3'];

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  killServerProcesses();
  for (const item of open.splice(0).reverse()) await item.close();
});

let clusters = 0;
async function cluster(): Promise<{ store: TestStore; a: TestServer; b: TestServer }> {
  const store = await createTestStore('postgresql');
  open.push({ close: () => store.dispose() });
  const env = { REDIS_URL, CLUSTER_NAME: `wall-test-${process.pid}-${Date.now()}-${clusters++}` };
  const a = await startServer(store, env);
  open.push({ close: () => a.close() });
  const b = await startServer(store, env);
  open.push({ close: () => b.close() });
  return { store, a, b };
}

async function wallOn(server: TestServer): Promise<RecordingClient> {
  const client = await connectClient(server.url, (await openWall(server)).cookie);
  open.push(client);
  return client;
}

const hotlineCase = (id: string) => ({ sourceId: id, source: 'hotline', category: 'parking', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat });
const lastSeq = (client: RecordingClient) => Math.max(0, ...client.received.map((r) => r.to));
const caseIds = (client: RecordingClient) => client.received.filter((r) => r.event === 'case:changed').map((r) => (r.payload as Change).value.id);

/** Every seq after `from` covered once, up to `to`, in order of arrival. */
function expectContiguous(client: RecordingClient, from: number, to: number): void {
  let covered = from;
  for (const message of client.received) {
    expect(message.from, `${message.event} after seq ${covered}`).toBeLessThanOrEqual(covered + 1);
    expect(message.to, `${message.event} repeats seq ${message.to}`).toBeGreaterThan(covered);
    covered = message.to;
  }
  expect(covered).toBe(to);
}

describe('two servers on one PostgreSQL, through Redis', () => {
  it('streams every commit of either server to the walls of both, in order, nothing missed or twice', async () => {
    const { a, b } = await cluster();
    expect((await post(a, '/api/v1/teams', { items: [{ id: 'CT', name: '什刹海巡逻队', subdistrict: SHICHAHAI.adcode, specialty: 'patrol' }] })).status).toBe(200);
    expect((await post(b, '/api/v1/volunteers', { items: VOLUNTEERS.map((id) => ({ id, teamId: 'CT', name: `志愿者${id}` })) })).status).toBe(200);
    const wallA = await wallOn(a);
    const wallB = await wallOn(b);
    const [startA, startB] = await Promise.all([wallA.sync(null), wallB.sync(null)]);
    if (!startA.ok || startA.mode !== 'snapshot' || !startB.ok || startB.mode !== 'snapshot') throw new Error('no snapshot');

    // Each round both servers write at once: a case on one, positions (and a status) on the other.
    const sent: string[] = [];
    const answered = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const [caseServer, positionServer] = round % 2 === 0 ? [a, b] : [b, a];
      const fixes = VOLUNTEERS.map((volunteerId, i) => ({ volunteerId, lon: SHICHAHAI.lon + round * 1e-4, lat: SHICHAHAI.lat + i * 1e-4, ...(round === 0 ? { status: 'available' } : {}) }));
      const answers = await Promise.all([
        post(caseServer, '/api/v1/cases', { items: [hotlineCase(`CL-${round}`)] }),
        post(positionServer, '/api/v1/positions', { items: fixes }),
      ]);
      for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      sent.push(`hotline:CL-${round}`);
      answered.set(`hotline:CL-${round}`, answers[0]!.body.seq);
    }
    const head = await committedHead(a.app.store.pool);
    await waitFor(() => lastSeq(wallA) === head && lastSeq(wallB) === head, 20_000);

    for (const [wall, start] of [[wallA, startA], [wallB, startB]] as const) {
      expectContiguous(wall, start.snapshot.seq, head);
      expect(caseIds(wall).sort()).toEqual([...sent].sort());
      const frames = wall.received.filter((r) => r.event === 'position:frame').map((r) => r.payload as PositionFrame);
      const lastFix = new Map(frames.flatMap((f) => f.units).map(([id, lon]) => [id, lon]));
      expect(lastFix.get('C-1')).toBeCloseTo(SHICHAHAI.lon + (ROUNDS - 1) * 1e-4, 9);
    }
    // An answer names a seq its own commit reached, whichever server streams it.
    for (const message of wallA.received.filter((r) => r.event === 'case:changed')) {
      expect(message.to).toBeLessThanOrEqual(answered.get((message.payload as Change).value.id)!);
    }
    // Frames may coalesce differently on each server; every change goes out alike.
    const changesOf = (wall: RecordingClient) => wall.received.filter((r) => r.event !== 'position:frame').map((r) => [r.event, r.from]);
    expect(changesOf(wallA)).toEqual(changesOf(wallB));
  }, 60_000);

  it('carries a broadcast of one server to a wall on the other', async () => {
    const { a, b } = await cluster();
    const wallB = await wallOn(b);
    await wallB.sync(null);
    const statuses: boolean[] = [];
    wallB.socket.on('live:status', (status) => statuses.push(status.storeAvailable));
    a.app.live.setStoreAvailable(false);
    await waitFor(() => statuses.includes(false), 10_000);
  });

  it('lets one server lead the clocks, and the other take over when it goes', async () => {
    const { a, b } = await cluster();
    await waitFor(() => a.app.leads() !== b.app.leads(), 10_000);
    const [leader, other] = a.app.leads() ? [a, b] : [b, a];
    await leader.close();
    await waitFor(() => other.app.leads(), 10_000);
  });

  it('resyncs a wall whose server went on the other, with nothing missed', async () => {
    const { a, b } = await cluster();
    const wallA = await wallOn(a);
    await wallA.sync(null);
    expect((await post(a, '/api/v1/cases', { items: [hotlineCase('BEFORE')] })).status).toBe(200);
    await waitFor(() => caseIds(wallA).includes('hotline:BEFORE'));
    const held = lastSeq(wallA);
    await a.close();
    for (let i = 0; i < 3; i++) expect((await post(b, '/api/v1/cases', { items: [hotlineCase(`AFTER-${i}`)] })).status).toBe(200);

    const moved = await wallOn(b);
    const resync = await moved.sync(held);
    if (!resync.ok || resync.mode !== 'changes') throw new Error(`expected the changes since ${held}: ${JSON.stringify(resync)}`);
    expect(resync.changes.map((c) => c.value.id)).toEqual(['hotline:AFTER-0', 'hotline:AFTER-1', 'hotline:AFTER-2']);
    expect(resync.changes[0]!.seq).toBe(held + 1);
  });

  it('survives the leading server killed with SIGKILL: the other leads, and the wall resyncs there', async () => {
    const store = await createTestStore('postgresql');
    open.push({ close: () => store.dispose() });
    const env = { ...store.env, REDIS_URL, CLUSTER_NAME: `wall-test-${process.pid}-${Date.now()}-${clusters++}` };
    // A first start makes the feed key; then the process starts alone, so it leads.
    const keyMaker = await startServer(store, env);
    const token = keyMaker.token;
    await keyMaker.close();
    const killed = await serverProcess(env);
    const survivor = await startServer(store, env);
    open.push({ close: () => survivor.close() });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(survivor.app.leads()).toBe(false);

    const wall = await wallOn({ ...survivor, url: killed.url });
    await wall.sync(null);
    expect((await post({ url: killed.url, token }, '/api/v1/cases', { items: [hotlineCase('BEFORE')] })).status).toBe(200);
    await waitFor(() => caseIds(wall).includes('hotline:BEFORE'));
    const held = lastSeq(wall);

    killed.child.kill('SIGKILL');
    await killed.exited;
    await waitFor(() => survivor.app.leads(), 10_000);
    for (let i = 0; i < 3; i++) expect((await post(survivor, '/api/v1/cases', { items: [hotlineCase(`AFTER-${i}`)] })).status).toBe(200);
    const moved = await wallOn(survivor);
    const resync = await moved.sync(held);
    if (!resync.ok || resync.mode !== 'changes') throw new Error(`expected the changes since ${held}: ${JSON.stringify(resync)}`);
    expect(resync.changes.map((c) => c.value.id)).toEqual(['hotline:AFTER-0', 'hotline:AFTER-1', 'hotline:AFTER-2']);
    expect(resync.changes[0]!.seq).toBe(held + 1);
  }, 90_000);
});
