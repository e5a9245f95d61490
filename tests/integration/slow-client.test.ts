/**
 * A wall that stops reading (its TCP socket paused, as a frozen browser or a saturated link
 * would) during a burst of positions and cases, beside a wall that reads: the reading wall gets
 * every frame and every case, in order; the server holds the slow wall's backlog near SLOW_BYTES
 * by sparing it position frames (never cases), instead of letting it grow with the burst; once
 * the slow wall reads again it has every case, its frames show the gap where positions were
 * coalesced away, and its resync brings every unit's latest position.
 */
import type { Socket as NetSocket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change, PositionFrame, SyncResult } from '../../server/contract/live.ts';
import { encodeFrame } from '../../server/contract/position-codec.ts';
import { backlogBytes, SLOW_BYTES, STUCK_BYTES } from '../../server/live/backlog.ts';
import { SHICHAHAI } from '../support/fixtures.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { openWall } from '../support/sessions.ts';
import { connectClient, waitFor, type RecordingClient } from '../support/socket.ts';

const VOLUNTEERS = 2_000;
const ROUNDS = 120;
const CASE_EVERY = 10;

const running: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close();
});

/** The client's TCP socket under socket.io-client's WebSocket (the `ws` package's). */
function tcpOf(client: RecordingClient): NetSocket {
  const transport = client.socket.io.engine.transport as unknown as { ws: { _socket: NetSocket } };
  return transport.ws._socket;
}

// Long ids keep the burst's frames well above what the kernel's loopback buffers absorb (a few
// MB), so the backlog really builds up on the server.
const ids = Array.from({ length: VOLUNTEERS }, (_, i) => `V-${i}-`.padEnd(64, 'x'));
const positions = (round: number) => ids.map((volunteerId, i) => ({ volunteerId, lon: SHICHAHAI.lon + (i % 50) * 0.0001 + round * 0.00001, lat: SHICHAHAI.lat + Math.floor(i / 50) * 0.0001 }));

async function start(): Promise<TestServer> {
  const server = await startServer(await createTestStore('postgresql'));
  running.push({ close: () => server.dispose() });
  expect((await post(server, '/api/v1/teams', { items: [{ id: 'T', name: '什刹海巡逻队', subdistrict: SHICHAHAI.adcode, specialty: 'patrol' }] })).status).toBe(200);
  for (let i = 0; i < VOLUNTEERS; i += 1_000) {
    const items = ids.slice(i, i + 1_000).map((id) => ({ id, teamId: 'T', name: `志愿者${id}` }));
    expect((await post(server, '/api/v1/volunteers', { items })).status).toBe(200);
  }
  const onDuty = positions(0).map((p) => ({ ...p, status: 'available' }));
  expect((await post(server, '/api/v1/positions', { items: onDuty })).status).toBe(200);
  return server;
}

const casesOf = (client: RecordingClient) => client.received.filter((r) => r.event === 'case:changed').map((r) => (r.payload as Change).value.id);
/** A frame's bytes as sent: its JSON header and its binary attachment. */
function wireBytes(frame: PositionFrame): number {
  const { positions, ...header } = encodeFrame(frame);
  return JSON.stringify(header).length + positions.byteLength;
}

const framesOf = (client: RecordingClient) => client.received.filter((r) => r.event === 'position:frame').map((r) => r.payload as PositionFrame);

describe('a wall that stops reading during a burst', () => {
  it('is spared position frames, never cases, and catches up; the other wall is not held back', async () => {
    const server = await start();
    const wall = await openWall(server);
    const fast = await connectClient(server.url, wall.cookie);
    const slow = await connectClient(server.url, wall.cookie);
    running.push(fast, slow);
    const [fastStart, slowStart] = await Promise.all([fast.sync(null), slow.sync(null)]);
    expect(fastStart.ok && slowStart.ok).toBe(true);
    const serverSide = server.app.live.io.sockets.sockets.get(slow.socket.id!)!;
    expect(serverSide).toBeDefined();

    tcpOf(slow).pause();
    let largest = 0;
    const sample = setInterval(() => (largest = Math.max(largest, backlogBytes(serverSide))), 10);
    const sentCases: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      expect((await post(server, '/api/v1/positions', { items: positions(round) })).status).toBe(200);
      if (round % CASE_EVERY === 0) {
        const id = `SLOW-${round}`;
        expect((await post(server, '/api/v1/cases', { items: [{ sourceId: id, source: 'hotline', category: 'parking', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat }] })).status).toBe(200);
        sentCases.push(`hotline:${id}`);
      }
      largest = Math.max(largest, backlogBytes(serverSide));
    }
    clearInterval(sample);
    const head = server.app.store.head;

    // The reading wall: every case, and frames without a gap up to the head.
    await waitFor(() => casesOf(fast).length === sentCases.length && Math.max(...fast.received.map((r) => r.to)) === head, 20_000);
    expect(casesOf(fast)).toEqual(sentCases);
    const fastFrames = framesOf(fast);
    const seqs = fast.received.map((r) => [r.from, r.to] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]![0], `gap before seq ${seqs[i]![0]}`).toBeLessThanOrEqual(seqs[i - 1]![1] + 1);

    // The slow wall's backlog was held near the threshold, far below what the burst would have queued.
    const frameBytes = wireBytes(fastFrames.at(-1)!);
    expect(frameBytes * fastFrames.length).toBeGreaterThan(4 * SLOW_BYTES);
    expect(largest).toBeGreaterThan(SLOW_BYTES / 2);
    expect(largest).toBeLessThan(SLOW_BYTES + 3 * frameBytes);
    expect(largest).toBeLessThan(STUCK_BYTES);
    expect(serverSide.connected).toBe(true);

    tcpOf(slow).resume();
    await waitFor(() => casesOf(slow).length === sentCases.length, 20_000);
    expect(casesOf(slow)).toEqual(sentCases);
    const slowFrames = framesOf(slow);
    expect(slowFrames.length).toBeLessThan(fastFrames.length);

    // Its resync from the last seq it holds brings each unit's latest position.
    const held = Math.max(...slow.received.map((r) => r.to));
    const resync: SyncResult = await slow.sync(held);
    if (!resync.ok) throw new Error(JSON.stringify(resync));
    const latest = new Map(positions(ROUNDS).map((p) => [p.volunteerId, p.lon]));
    const units = resync.mode === 'changes' ? resync.units : resync.snapshot.units;
    const stale = units.filter((u) => u.lon !== latest.get(u.id));
    if (held < head) expect(units.length).toBe(VOLUNTEERS);
    expect(stale).toEqual([]);
  }, 120_000);
});
