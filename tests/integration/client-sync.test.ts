/**
 * The wall's own live client (LiveState behind LiveConnection, the code the browser runs)
 * against a real server: after its connection is cut in the middle of a burst it reconnects,
 * resyncs from its last seq, and ends holding exactly what a fresh snapshot holds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LiveConnection, type ConnectionState } from '../../client/live/connection.ts';
import { LiveState } from '../../client/live/LiveState.ts';
import type { Snapshot } from '../../server/contract/live.ts';
import { SHICHAHAI, fireIncident, goOnDuty, hotlineCase, teams, volunteers } from '../support/fixtures.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { connectClient, waitFor } from '../support/socket.ts';
import { openWall } from '../support/sessions.ts';

describe('the wall client keeps in step through a cut connection', () => {
  let server: TestServer;
  let connection: LiveConnection | undefined;
  afterEach(async () => {
    connection?.stop();
    await server?.dispose();
  });

  it('resyncs after a cut during a burst and matches a fresh snapshot', async () => {
    server = await startServer(await createTestStore('postgresql'));
    await post(server, '/api/v1/teams', { items: teams() });
    await post(server, '/api/v1/volunteers', { items: volunteers() });
    // Positions are kept only on duty: the moving volunteer goes on duty first.
    await goOnDuty(server, ['V012-1-1']);
    const syncRequests: Array<number | null> = [];
    server.app.live.io.on('connection', (socket) =>
      socket.prependAny((event, request) => {
        if (event === 'live:sync') syncRequests.push((request as { since: number | null }).since);
      }),
    );
    const state = new LiveState();
    const states: ConnectionState[] = [];
    // Outside a page, the screen's session cookie goes along as a header.
    const { cookie } = await openWall(server);
    connection = new LiveConnection(state, { connectionChanged: (s) => states.push(s), stateChanged: () => undefined }, server.url, {
      extraHeaders: { cookie },
    });
    connection.start();
    await waitFor(() => states.at(-1) === 'live');

    const burst = (async () => {
      for (let batch = 0; batch < 40; batch++) {
        await post(server, '/api/v1/cases', { items: caseSteps(batch) });
        await post(server, '/api/v1/incidents', { items: [fireIncident(batch % 4, { severity: 1 + (batch % 4) })] });
        await post(server, '/api/v1/positions', {
          items: [{ volunteerId: 'V012-1-1', lon: SHICHAHAI.lon + batch * 1e-5, lat: SHICHAHAI.lat }],
        });
      }
    })();
    await waitFor(() => (state.seq ?? 0) > 30);
    for (const socket of server.app.live.io.sockets.sockets.values()) socket.conn.close();
    await waitFor(() => states.at(-1) === 'reconnecting');
    await burst;
    await waitFor(() => states.at(-1) === 'live' && state.seq === server.app.store.head, 20_000);

    const fresh = await connectClient(server.url, (await openWall(server)).cookie);
    const result = await fresh.sync(null);
    fresh.close();
    if (!result.ok || result.mode !== 'snapshot') throw new Error('expected a snapshot');
    const snapshot: Snapshot = result.snapshot;
    expect(state.seq).toBe(snapshot.seq);
    expect(new Map([...state.cases].sort())).toEqual(new Map(snapshot.cases.map((c) => [c.id, c] as const).sort()));
    expect(new Map([...state.incidents].sort())).toEqual(new Map(snapshot.incidents.map((i) => [i.id, i] as const).sort()));
    // A unit whose last position came in a frame holds it without the grid cell and under its
    // older view seq (frames carry neither); everything else must match the snapshot.
    const { cell: _cell, seq: _seq, ...fromSnapshot } = snapshot.units.find((u) => u.id === 'V012-1-1')!;
    expect(state.units.get('V012-1-1')).toMatchObject(fromSnapshot);
    expect(state.units.get('V012-1-1')).toMatchObject({ status: 'available', lon: SHICHAHAI.lon + 39 * 1e-5 });
    expect(states).toContain('reconnecting');
    // It came back by asking for what it missed, not by starting over.
    expect(syncRequests[0]).toBeNull();
    expect(syncRequests.slice(1).some((since) => since !== null && since > 30)).toBe(true);
  });
});

/** Batch n reports case n, dispatches case n-1 and closes case n-3. */
function caseSteps(n: number) {
  const steps = [hotlineCase(n)];
  if (n >= 1) steps.push(hotlineCase(n - 1, { state: 'dispatched' }));
  if (n >= 3) steps.push(hotlineCase(n - 3, { state: 'closed' }));
  return steps;
}
