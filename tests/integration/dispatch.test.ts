/**
 * Dispatch end to end on a real server, on both stores: coordinators on real socket.io
 * clients, volunteers through their own page's routes, the wall's stream, the clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchAlert, DispatchResult, DispatchState } from '../../server/contract/dispatch.ts';
import type { Change } from '../../server/contract/live.ts';
import { SHICHAHAI } from '../support/fixtures.ts';
import { createTestStore, post, startServer, STORE_KINDS, type StoreKind, type TestServer } from '../support/server.ts';
import { call, openVolunteerPage, openWall, signIn, type Session } from '../support/sessions.ts';
import { connectClient, waitFor, type RecordingClient } from '../support/socket.ts';

const SCENE = { lon: SHICHAHAI.lon, lat: SHICHAHAI.lat };
/** Metres east of the scene, in degrees of longitude at Shichahai's latitude. */
const east = (metres: number) => ({ lon: SHICHAHAI.lon + metres / 85_300, lat: SHICHAHAI.lat });

const TEAMS = [
  { id: 'FIRE-NEAR', name: '什刹海消防志愿一队', subdistrict: SHICHAHAI.adcode, specialty: 'fire' },
  { id: 'FIRE-FAR', name: '什刹海消防志愿二队', subdistrict: SHICHAHAI.adcode, specialty: 'fire' },
  { id: 'PATROL', name: '什刹海群防群治队', subdistrict: SHICHAHAI.adcode, specialty: 'patrol' },
];
const MEMBERS = [
  { id: 'N1', teamId: 'FIRE-NEAR', name: '近一', at: 600 },
  { id: 'N2', teamId: 'FIRE-NEAR', name: '近二', at: 700 },
  { id: 'F1', teamId: 'FIRE-FAR', name: '远一', at: 2500 },
  { id: 'F2', teamId: 'FIRE-FAR', name: '远二', at: 2600 },
  { id: 'P1', teamId: 'PATROL', name: '巡一', at: 300 },
];

const running: Array<{ dispose(): Promise<void> }> = [];
const sockets: RecordingClient[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const item of running.splice(0)) await item.dispose();
});

async function start(kind: StoreKind, env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startServer(await createTestStore(kind), env);
  running.push(server);
  expect((await post(server, '/api/v1/teams', { items: TEAMS })).status).toBe(200);
  const volunteers = MEMBERS.map(({ at: _at, ...v }) => ({ ...v, phone: '138-0000-0000' }));
  expect((await post(server, '/api/v1/volunteers', { items: volunteers })).status).toBe(200);
  // On duty, then a fresh fix at each member's distance from the scene.
  const past = new Date(Date.now() - 60_000).toISOString();
  await post(server, '/api/v1/positions', { items: MEMBERS.map((m) => ({ volunteerId: m.id, ...east(m.at), at: past, status: 'available' })) });
  const fixes = await post(server, '/api/v1/positions', { items: MEMBERS.map((m) => ({ volunteerId: m.id, ...east(m.at) })) });
  expect(fixes.body.changed).toBe(MEMBERS.length);
  return server;
}

async function reportFire(server: TestServer, id = 'FIRE-1'): Promise<void> {
  const answer = await post(server, '/api/v1/incidents', { items: [{ sourceId: id, kind: 'fire', severity: 4, ...SCENE }] });
  expect(answer.status).toBe(200);
}

async function coordinator(server: TestServer, username: string): Promise<{ session: Session; socket: RecordingClient }> {
  const session = await signIn(server, 'coordinator', { username });
  const socket = await connectClient(server.url, session.cookie);
  sockets.push(socket);
  return { session, socket };
}

function open(socket: RecordingClient, incident: string): Promise<DispatchResult> {
  return socket.socket.timeout(10_000).emitWithAck('dispatch:open', { incident });
}

function assign(socket: RecordingClient, incident: string, team: string, version: number): Promise<DispatchResult> {
  return socket.socket.timeout(10_000).emitWithAck('dispatch:assign', { incident, team, version });
}

async function waitForAsync(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stateOf(result: DispatchResult): DispatchState {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.state;
}

async function statuses(server: TestServer, ids: string[]): Promise<Record<string, string>> {
  const { rows } = await server.app.store.pool.query<{ id: string; status: string }>('SELECT id, status FROM volunteers WHERE id = ANY($1)', [ids]);
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

describe.each(STORE_KINDS)('dispatch on %s', (kind) => {
  it('recommends with reasons, assigns in one command, and follows a volunteer to the scene', async () => {
    const server = await start(kind);
    await reportFire(server);
    const wall = await connectClient(server.url, (await openWall(server)).cookie);
    sockets.push(wall);
    expect((await wall.sync(null)).ok).toBe(true);
    const { socket } = await coordinator(server, 'coord-a');

    const before = stateOf(await open(socket, 'FIRE-1'));
    expect(before.version).toBe(0);
    expect(before.watchers).toEqual(['user:coord-a']);
    expect(before.recommendations.map((r) => r.team)).toEqual(['FIRE-NEAR', 'FIRE-FAR', 'PATROL']);
    expect(before.recommendations[0]!.reason).toMatchObject({ match: 'specialty', matched: 'fire', available: 2, needed: 2, recentAssignments: 0 });
    expect(before.recommendations[0]!.reason.distanceM).toBeGreaterThan(550);
    expect(before.recommendations[0]!.reason.distanceM).toBeLessThan(650);
    expect(before.recommendations[2]!.reason.match).toBe('none');

    const assigned = stateOf(await assign(socket, 'FIRE-1', 'FIRE-NEAR', 0));
    expect(assigned.version).toBe(1);
    expect(assigned.assignments).toHaveLength(1);
    const offer = assigned.assignments[0]!;
    expect(offer).toMatchObject({ team: 'FIRE-NEAR', state: 'offered', dispatchedBy: 'user:coord-a' });
    expect(offer.members.map((m) => [m.volunteer, m.status, m.answer])).toEqual([['N1', 'assigned', null], ['N2', 'assigned', null]]);
    expect(assigned.incident.dispatchedAt).toBe(offer.offeredAt);
    expect(assigned.incident.teams).toEqual([{ team: 'FIRE-NEAR', state: 'offered' }]);
    expect(assigned.recommendations.map((r) => r.team)).not.toContain('FIRE-NEAR');

    const n1 = await openVolunteerPage(server, 'N1');
    const mine = await n1.request('GET', '/api/v1/me/volunteer');
    expect(mine.body).toMatchObject({ id: 'N1', status: 'assigned', assignment: { id: offer.id, state: 'offered', myAnswer: null, incident: { id: 'FIRE-1', kind: 'fire' } } });

    const tooSoon = await n1.request('POST', '/api/v1/me/assignment', { assignment: offer.id, step: 'on_scene' });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.code).toBe('ILLEGAL_TRANSITION');
    for (const step of ['accept', 'en_route', 'on_scene']) {
      const answer = await n1.request('POST', '/api/v1/me/assignment', { assignment: offer.id, step });
      expect(answer.status, step).toBe(200);
    }
    const afterSteps = stateOf(await open(socket, 'FIRE-1'));
    const done = afterSteps.assignments[0]!;
    expect(done.state).toBe('on_scene');
    expect(done.acceptedAt).not.toBeNull();
    expect(done.onSceneAt).not.toBeNull();
    expect(afterSteps.incident.onSceneAt).toBe(done.onSceneAt);
    expect(await statuses(server, ['N1', 'N2'])).toEqual({ N1: 'on_scene', N2: 'assigned' });

    const history = await server.app.store.pool.query<{ from_status: string; to_status: string }>(
      "SELECT from_status, to_status FROM status_changes WHERE volunteer_id = 'N1' ORDER BY id",
    );
    expect(history.rows.map((r) => `${r.from_status}>${r.to_status}`)).toEqual([
      'off_duty>available',
      'available>assigned',
      'assigned>en_route',
      'en_route>on_scene',
    ]);

    // The wall saw the incident's clocks and teams, without any name.
    await waitFor(() => wall.received.some((m) => m.event === 'incident:changed' && (m.payload as Change).value.id === 'FIRE-1' && ((m.payload as any).value.onSceneAt !== null)));
    expect(JSON.stringify(wall.received)).not.toContain('近一');

    const measured = await n1.request('GET', '/api/v1/indicators/response-times');
    expect(measured.status).toBe(403); // a volunteer's page reads only its own duty
    const leader = await signIn(server, 'leader');
    const times = await leader.request('GET', '/api/v1/indicators/response-times?days=1');
    const district = times.body.rows.find((r: any) => r.kind === 'fire' && r.subdistrict === null);
    expect(district).toMatchObject({ incidents: 1, measured: 1, targetSeconds: 480 });
    expect(district.averageSeconds).toBeCloseTo((done.onSceneAt! - afterSteps.incident.reportedAt) / 1000, 0);

    const released = stateOf(await socket.socket.timeout(10_000).emitWithAck('dispatch:release', { assignment: offer.id, version: afterSteps.version }));
    expect(released.assignments[0]!.state).toBe('released');
    expect(released.incident.teams).toEqual([]);
    expect(await statuses(server, ['N1', 'N2'])).toEqual({ N1: 'available', N2: 'available' });
  });

  it('shows each coordinator who else has the incident open and refuses what was decided on stale state', async () => {
    const server = await start(kind);
    await reportFire(server);
    await reportFire(server, 'FIRE-2');
    const a = await coordinator(server, 'coord-a');
    const b = await coordinator(server, 'coord-b');
    const watchersSeenByA: string[][] = [];
    a.socket.socket.on('dispatch:watchers', (w) => watchersSeenByA.push(w.watchers));
    const changesSeenByB: number[] = [];
    b.socket.socket.on('dispatch:changed', (c) => changesSeenByB.push(c.version));

    stateOf(await open(a.socket, 'FIRE-1'));
    const seenByB = stateOf(await open(b.socket, 'FIRE-1'));
    expect(seenByB.watchers).toEqual(['user:coord-a', 'user:coord-b']);
    await waitFor(() => watchersSeenByA.some((w) => w.length === 2));

    stateOf(await assign(a.socket, 'FIRE-1', 'FIRE-NEAR', 0));
    await waitFor(() => changesSeenByB.includes(1));

    const stale = await assign(b.socket, 'FIRE-1', 'FIRE-FAR', seenByB.version);
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expect(stale.error.code).toBe('DISPATCH_CONFLICT');
    expect(stale.state?.assignments.map((x) => [x.team, x.dispatchedBy])).toEqual([['FIRE-NEAR', 'user:coord-a']]);
    expect(await statuses(server, ['F1', 'F2'])).toEqual({ F1: 'available', F2: 'available' });

    // A team works one incident at a time, whoever asks.
    const busy = await assign(b.socket, 'FIRE-2', 'FIRE-NEAR', 0);
    expect(busy.ok ? 'ok' : busy.error.code).toBe('TEAM_BUSY');

    // Two coordinators acting at the same instant on the same version: exactly one wins.
    const [first, second] = await Promise.all([assign(a.socket, 'FIRE-2', 'FIRE-FAR', 0), assign(b.socket, 'FIRE-2', 'PATROL', 0)]);
    expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1);
    const loser = first.ok ? second : first;
    expect(loser.ok ? null : loser.error.code).toBe('DISPATCH_CONFLICT');

    b.socket.close();
    await waitFor(() => watchersSeenByA.at(-1)?.join() === 'user:coord-a');

    // The incident closes (its feed says so): the clock sends its team home.
    const closed = await post(server, '/api/v1/incidents', { items: [{ sourceId: 'FIRE-1', kind: 'fire', severity: 4, state: 'closed', ...SCENE }] });
    expect(closed.status).toBe(200);
    await waitForAsync(async () => (await statuses(server, ['N1', 'N2'])).N1 === 'available');
    const after = stateOf(await open(a.socket, 'FIRE-1'));
    expect(after.assignments.map((x) => x.state)).toEqual(['released']);
    expect(after.incident.closedAt).not.toBeNull();
  });

  it('escalates an offer nobody accepts in time to the next team and alerts the coordinators', async () => {
    const server = await start(kind, { DISPATCH_ANSWER_SECONDS: '1', DISPATCH_TICK_MS: '100' });
    await reportFire(server);
    const { socket } = await coordinator(server, 'coord-a');
    const alerts: DispatchAlert[] = [];
    socket.socket.on('dispatch:alert', (alert) => alerts.push(alert));
    const scopedElsewhere = await signIn(server, 'coordinator', { subdistrict: '110102018' });
    const elsewhere = await connectClient(server.url, scopedElsewhere.cookie);
    sockets.push(elsewhere);
    const alertsElsewhere: DispatchAlert[] = [];
    elsewhere.socket.on('dispatch:alert', (alert) => alertsElsewhere.push(alert));

    stateOf(await assign(socket, 'FIRE-1', 'FIRE-NEAR', 0));
    await waitFor(() => alerts.length >= 1, 15_000);
    expect(alerts[0]).toMatchObject({ kind: 'timed_out', incident: 'FIRE-1', team: 'FIRE-NEAR', next: 'FIRE-FAR' });
    const escalated = stateOf(await open(socket, 'FIRE-1'));
    expect(escalated.assignments.map((x) => [x.team, x.state, x.dispatchedBy])).toEqual([
      ['FIRE-NEAR', 'timed_out', 'user:coord-a'],
      ['FIRE-FAR', 'offered', 'system:dispatch-clock'],
    ]);
    expect(escalated.assignments[0]!.members.map((m) => m.answer)).toEqual(['no_answer', 'no_answer']);
    expect(await statuses(server, ['N1', 'N2', 'F1', 'F2'])).toEqual({ N1: 'available', N2: 'available', F1: 'assigned', F2: 'assigned' });

    // The second team declines, every member: the next is the patrol team, outside its specialty.
    const offer = escalated.assignments[1]!.id;
    for (const id of ['F1', 'F2']) {
      const page = await openVolunteerPage(server, id);
      expect((await page.request('POST', '/api/v1/me/assignment', { assignment: offer, step: 'decline' })).status).toBe(200);
    }
    await waitFor(() => alerts.length >= 2);
    expect(alerts[1]).toMatchObject({ kind: 'declined', team: 'FIRE-FAR', next: 'PATROL' });

    // Nobody left: the patrol lets it lapse too, and the alert says so.
    await waitFor(() => alerts.length >= 3, 15_000);
    expect(alerts[2]).toMatchObject({ kind: 'timed_out', team: 'PATROL', next: null });
    expect(alertsElsewhere).toEqual([]); // a coordinator scoped to another subdistrict hears nothing
    const audit = await server.app.store.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'dispatch.escalated'");
    expect(audit.rows[0]!.n).toBe(3);
  });

  it('blows the whistle on a case and records each department reporting on site', async () => {
    const server = await start(kind);
    const reported = await post(server, '/api/v1/cases', { items: [{ sourceId: 'W-1', source: 'hotline', category: 'noise', urgency: 'urgent', ...SCENE }] });
    expect(reported.status).toBe(200);
    const wall = await connectClient(server.url, (await openWall(server)).cookie);
    sockets.push(wall);
    const snapshot = await wall.sync(null);
    if (!snapshot.ok || snapshot.mode !== 'snapshot') throw new Error('no snapshot');
    const held = snapshot.snapshot.cases[0]!;
    expect(held).toMatchObject({ urgency: 'urgent', resolvedAt: null, whistle: null });
    expect(held.deadlineAt - held.reportedAt).toBe(2 * 3_600_000);

    const operator = await signIn(server, 'operator');
    const empty = await operator.request('POST', '/api/v1/cases/hotline:W-1/whistle', { departments: [] });
    expect(empty.status).toBe(400);
    const blown = await operator.request('POST', '/api/v1/cases/hotline:W-1/whistle', { departments: ['城管执法队', '派出所'] });
    expect(blown.status).toBe(204);
    const unknown = await operator.request('POST', '/api/v1/cases/hotline:W-1/whistle/report', { department: '房管所' });
    expect(unknown.status).toBe(404);
    // A department reports through its own feed.
    const arrived = await call(server, 'POST', '/api/v1/cases/hotline:W-1/whistle/report', {
      body: { department: '派出所' },
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(arrived.status).toBe(204);

    await waitFor(() => wall.received.filter((m) => m.event === 'case:changed').length >= 2);
    const last = wall.received.filter((m) => m.event === 'case:changed').at(-1)!.payload as Extract<Change, { kind: 'case' }>;
    const whistle = last.value.whistle!;
    expect(whistle.deadlineAt - whistle.blownAt).toBe(30 * 60_000);
    expect(whistle.departments.map((d) => [d.name, d.reportedAt === null])).toEqual([['城管执法队', true], ['派出所', false]]);

    const missing = await operator.request('POST', '/api/v1/cases/hotline:NOPE/whistle', { departments: ['x'] });
    expect(missing.status).toBe(404);
  });

  it("tells a volunteer's open page of each offer, and keeps a feed from moving a dispatched volunteer's status", async () => {
    const server = await start(kind, { DISPATCH_ANSWER_SECONDS: '1', DISPATCH_TICK_MS: '100' });
    await reportFire(server);
    const notices = new Map<string, number>();
    for (const id of ['N1', 'F1']) {
      const page = await connectClient(server.url, (await openVolunteerPage(server, id)).cookie);
      sockets.push(page);
      page.socket.on('me:changed', () => notices.set(id, (notices.get(id) ?? 0) + 1));
    }
    const told = (id: string) => notices.get(id) ?? 0;
    const { socket } = await coordinator(server, 'coord-a');
    stateOf(await assign(socket, 'FIRE-1', 'FIRE-NEAR', 0));
    await waitFor(() => told('N1') >= 1);
    expect(told('F1')).toBe(0);

    // The offer is the dispatch's: a feed saying N1 is en route is refused whole, N2's fix with it.
    const heading = await post(server, '/api/v1/positions', {
      items: [{ volunteerId: 'N2', ...east(650) }, { volunteerId: 'N1', ...east(500), status: 'en_route' }],
    });
    expect(heading.status).toBe(409);
    expect(heading.body.code).toBe('ON_ASSIGNMENT');
    expect(heading.body.details).toEqual([{ path: '/items/1/status', message: expect.stringContaining('N1') }]);
    expect(await statuses(server, ['N1', 'N2'])).toEqual({ N1: 'assigned', N2: 'assigned' });
    const kept = await server.app.store.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM positions WHERE volunteer_id = 'N2'");
    // Where it is, a feed may still say.
    const where = await post(server, '/api/v1/positions', { items: [{ volunteerId: 'N1', ...east(500) }, { volunteerId: 'N2', ...east(650), status: 'assigned' }] });
    expect(where.status).toBe(200);
    const after = await server.app.store.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM positions WHERE volunteer_id = 'N2'");
    expect(after.rows[0]!.n).toBe(kept.rows[0]!.n + 1);

    // Nobody answers: the offer moves on to the next team, whose member's open page is told.
    await waitFor(() => told('F1') >= 1, 15_000);
    expect(await statuses(server, ['N1', 'F1'])).toEqual({ N1: 'available', F1: 'assigned' });
    // Freed, N1 is the feed's again.
    const off = await post(server, '/api/v1/positions', { items: [{ volunteerId: 'N1', ...east(500), status: 'off_duty' }] });
    expect(off.status).toBe(200);
    expect(await statuses(server, ['N1'])).toEqual({ N1: 'off_duty' });
  });

  it('lets a volunteer page set its own duty and nothing beyond its own', async () => {
    const server = await start(kind);
    const page = await openVolunteerPage(server, 'P1');
    const off = await page.request('POST', '/api/v1/me/duty', { onDuty: false });
    expect(off.body).toMatchObject({ status: 'off_duty', assignment: null });
    const { rows } = await server.app.store.pool.query("SELECT lon, lat FROM volunteers WHERE id = 'P1'");
    expect(rows[0]).toEqual({ lon: null, lat: null }); // off duty, no position is kept
    const on = await page.request('POST', '/api/v1/me/duty', { onDuty: true });
    expect(on.body.status).toBe('available');
    const fix = await page.request('POST', '/api/v1/me/position', { ...east(100), accuracy: 8 });
    expect(fix.body).toMatchObject({ accepted: 1, changed: 1 });

    expect((await page.request('GET', '/api/v1/volunteers')).status).toBe(403);
    expect((await page.request('POST', '/api/v1/me/duty', { onDuty: 'yes' })).status).toBe(400);
    const socket = await connectClient(server.url, page.cookie);
    sockets.push(socket);
    const sync = await socket.sync(null);
    expect(sync.ok ? 'ok' : sync.error.code).toBe('FORBIDDEN');
    const dispatch = await open(socket, 'anything');
    expect(dispatch.ok ? 'ok' : dispatch.error.code).toBe('FORBIDDEN');

    // Assigned, it cannot slip off duty before it is released.
    await reportFire(server);
    const { socket: coord } = await coordinator(server, 'coord-a');
    stateOf(await assign(coord, 'FIRE-1', 'PATROL', 0));
    const slip = await page.request('POST', '/api/v1/me/duty', { onDuty: false });
    expect(slip.status).toBe(409);
  });
});
