/**
 * Alarms end to end on a real server, on both stores: raised by the clock when a condition
 * starts, acknowledged by one operator and seen so by every socket, cleared when the condition
 * ends, raised anew when it returns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlarmView, Change } from '../../server/contract/live.ts';
import { SHICHAHAI, teams, volunteers } from '../support/fixtures.ts';
import { createTestStore, post, startServer, STORE_KINDS, type StoreKind, type TestServer } from '../support/server.ts';
import { openWall, signIn } from '../support/sessions.ts';
import { connectClient, waitFor, type RecordingClient } from '../support/socket.ts';

const SCENE = { lon: SHICHAHAI.lon, lat: SHICHAHAI.lat };
const running: Array<{ dispose(): Promise<void> }> = [];
const sockets: RecordingClient[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const item of running.splice(0)) await item.dispose();
});

async function start(kind: StoreKind): Promise<TestServer> {
  const server = await startServer(await createTestStore(kind), { ALARM_TICK_MS: '100', ALARM_SILENT_SECONDS: '1' });
  running.push(server);
  return server;
}

async function connect(server: TestServer, cookie: string): Promise<RecordingClient> {
  const client = await connectClient(server.url, cookie);
  sockets.push(client);
  const synced = await client.sync(null);
  expect(synced.ok).toBe(true);
  return client;
}

/** The latest view of each alarm a client received. */
function alarmsSeen(client: RecordingClient): Map<string, AlarmView> {
  const seen = new Map<string, AlarmView>();
  for (const message of client.received) {
    const change = message.payload as Change;
    if (change.kind === 'alarm') seen.set(change.value.id, change.value);
  }
  return seen;
}

function recordAlarms(client: RecordingClient): void {
  client.socket.on('alarm:changed', (change) => client.received.push({ event: 'alarm:changed', from: change.seq, to: change.seq, payload: change }));
}

describe.each(STORE_KINDS)('alarms on %s', (kind) => {
  it('raises an alarm for a severe incident, clears it on every screen when one operator acknowledges', async () => {
    const server = await start(kind);
    const wall = await connect(server, (await openWall(server)).cookie);
    const operatorA = await connect(server, (await signIn(server, 'operator')).cookie);
    const operatorB = await connect(server, (await signIn(server, 'operator', { username: 'op-b' })).cookie);
    for (const client of [wall, operatorA, operatorB]) recordAlarms(client);

    expect((await post(server, '/api/v1/incidents', { items: [{ sourceId: 'BIG-1', kind: 'fire', severity: 1, ...SCENE }] })).status).toBe(200);
    await waitFor(() => [wall, operatorA, operatorB].every((c) => [...alarmsSeen(c).values()].some((a) => a.state === 'active')));
    const [raised] = [...alarmsSeen(wall).values()];
    expect(raised).toMatchObject({ kind: 'severe_incident', subject: 'BIG-1', priority: 1, subdistrict: SHICHAHAI.adcode, acknowledgedBy: null });

    const refused = await wall.socket.timeout(10_000).emitWithAck('alarm:ack', { alarm: raised!.id });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('FORBIDDEN');
    const acked = await operatorA.socket.timeout(10_000).emitWithAck('alarm:ack', { alarm: raised!.id });
    expect(acked.ok && acked.alarm.state).toBe('acknowledged');
    await waitFor(() => [wall, operatorA, operatorB].every((c) => alarmsSeen(c).get(raised!.id)?.state === 'acknowledged'));
    expect(alarmsSeen(operatorB).get(raised!.id)?.acknowledgedBy).toMatch(/^user:operator-/);
    const again = await operatorB.socket.timeout(10_000).emitWithAck('alarm:ack', { alarm: raised!.id });
    expect(again.ok && again.alarm.acknowledgedBy).toBe(acked.ok && acked.alarm.acknowledgedBy);

    // A screen that opens now finds the acknowledged alarm in its snapshot.
    const late = await connectClient(server.url, (await openWall(server)).cookie);
    sockets.push(late);
    const snapshot = await late.sync(null);
    expect(snapshot.ok && snapshot.mode === 'snapshot' && snapshot.snapshot.alarms.map((a) => a.state)).toEqual(['acknowledged']);

    await post(server, '/api/v1/incidents', { items: [{ sourceId: 'BIG-1', kind: 'fire', severity: 1, state: 'contained', ...SCENE }] });
    await waitFor(() => alarmsSeen(wall).get(raised!.id)?.state === 'cleared');
    const audit = await server.app.store.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'alarm.acknowledged'");
    expect(audit.rows[0].n).toBe(1);
  });

  it('raises an alarm for a volunteer silent on scene, clears it when a fix comes, and raises it anew', async () => {
    const server = await start(kind);
    await post(server, '/api/v1/teams', { items: teams() });
    await post(server, '/api/v1/volunteers', { items: volunteers() });
    const wall = await connect(server, (await openWall(server)).cookie);
    recordAlarms(wall);
    const id = volunteers()[0]!.id;
    const moves = ['available', 'assigned', 'en_route', 'on_scene'].map((status) => ({ volunteerId: id, ...SCENE, status }));
    expect((await post(server, '/api/v1/positions', { items: moves })).status).toBe(200);

    const silent = () => [...alarmsSeen(wall).values()].filter((a) => a.kind === 'silent_on_scene' && a.subject === id);
    await waitFor(() => silent().some((a) => a.state === 'active'), 10_000);
    await post(server, '/api/v1/positions', { items: [{ volunteerId: id, ...SCENE }] });
    await waitFor(() => silent().some((a) => a.state === 'cleared'), 10_000);
    await waitFor(() => silent().length === 2 && silent().some((a) => a.state === 'active'), 10_000);
    expect(new Set(silent().map((a) => a.id)).size).toBe(2);
  });

  it('raises an alarm when a whistle’s departments are late', async () => {
    const server = await start(kind);
    const wall = await connect(server, (await openWall(server)).cookie);
    recordAlarms(wall);
    // A case and a whistle blown 40 minutes ago, written as the dispatch service would have.
    await post(server, '/api/v1/cases', { items: [{ sourceId: 'W-1', source: 'hotline', category: 'noise', ...SCENE }] });
    const past = Date.now() - 40 * 60_000;
    const whistle = { blownAt: past, deadlineAt: past + 30 * 60_000, departments: [{ name: '城管执法队', reportedAt: null }] };
    await server.app.store.pool.query("UPDATE cases SET whistle = $1 WHERE id = 'hotline:W-1'", [JSON.stringify(whistle)]);
    await waitFor(() => [...alarmsSeen(wall).values()].some((a) => a.kind === 'whistle_overdue' && a.subject === 'hotline:W-1' && a.priority === 3));
  });
});
