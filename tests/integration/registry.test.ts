/**
 * The volunteer registry console on a real server, on both stores: CSV imports (all or nothing,
 * problems named by line and column), the registry read back with derived team status, whole-
 * record edits, shifts, duty, personal links, and a scoped coordinator kept to its subdistrict.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NIUJIE, SHICHAHAI, fireIncident, teams, volunteers } from '../support/fixtures.ts';
import { STORE_KINDS, createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { call, signIn, type Session } from '../support/sessions.ts';

const TEAMS_CSV = [
  '\uFEFFid,name,subdistrict,specialty,community',
  `T012-1,什刹海街道应急志愿消防队,${SHICHAHAI.adcode},fire,前海社区`,
  `T018-1,牛街街道群防群治巡逻队,${NIUJIE.adcode},patrol,`,
].join('\r\n');

const VOLUNTEERS_CSV = [
  'id,teamId,name,phone,skills,community',
  'V012-1-1,T012-1,测试甲,138-0000-0001,fire;first_aid,前海社区',
  'V012-1-2,T012-1,测试乙,,,',
  'V018-1-1,T018-1,测试丙,138-0000-0003,patrol|driving,',
].join('\n');

/** Posts a CSV file as the console does. */
async function importCsv(server: TestServer, session: Session, kind: string, text: string) {
  const response = await fetch(`${server.url}/api/v1/registry/import?kind=${kind}`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'text/csv; charset=utf-8' },
    body: text,
  });
  return { status: response.status, body: await response.json() };
}

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe.each(STORE_KINDS)('volunteer registry on %s', (kind) => {
  let server: TestServer;
  afterEach(async () => server?.dispose());

  const count = async (table: string) => (await server.app.store.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  /** A server with the fixtures' two teams and three volunteers, fed as a feed would. */
  async function startWithRegistry(): Promise<TestServer> {
    server = await startServer(await createTestStore(kind));
    await post(server, '/api/v1/teams', { items: teams() });
    await post(server, '/api/v1/volunteers', { items: volunteers() });
    return server;
  }

  async function volunteer(session: Session, id: string) {
    return (await session.request('GET', '/api/v1/registry')).body.volunteers.find((v: { id: string }) => v.id === id);
  }

  it('imports teams, then volunteers, from CSV and reads them back', async () => {
    server = await startServer(await createTestStore(kind));
    const coordinator = await signIn(server, 'coordinator', { username: 'zhou' });
    expect(await importCsv(server, coordinator, 'teams', TEAMS_CSV)).toMatchObject({ status: 200, body: { accepted: 2 } });
    expect(await importCsv(server, coordinator, 'volunteers', VOLUNTEERS_CSV)).toMatchObject({ status: 200, body: { accepted: 3 } });

    const { status, body } = await coordinator.request('GET', '/api/v1/registry');
    expect(status).toBe(200);
    expect(body.teams).toEqual([
      { id: 'T012-1', name: '什刹海街道应急志愿消防队', subdistrict: SHICHAHAI.adcode, community: '前海社区', specialty: 'fire', status: 'off_duty', members: 2, available: 0 },
      { id: 'T018-1', name: '牛街街道群防群治巡逻队', subdistrict: NIUJIE.adcode, community: null, specialty: 'patrol', status: 'off_duty', members: 1, available: 0 },
    ]);
    expect(body.volunteers.map((v: { id: string }) => v.id)).toEqual(['V012-1-1', 'V012-1-2', 'V018-1-1']);
    expect(body.volunteers[0]).toEqual({
      id: 'V012-1-1',
      teamId: 'T012-1',
      name: '测试甲',
      phone: '138-0000-0001',
      deviceId: null,
      community: '前海社区',
      skills: ['fire', 'first_aid'],
      status: 'off_duty',
      statusAt: expect.any(String),
      shifts: [],
      link: null,
    });
    expect(body.volunteers[1]).toMatchObject({ phone: null, skills: [], community: null });
    const audited = await server.app.store.pool.query("SELECT actor, action FROM audit_log WHERE action LIKE '%.registered' ORDER BY id");
    expect(audited.rows).toEqual([
      { actor: 'user:zhou', action: 'teams.registered' },
      { actor: 'user:zhou', action: 'volunteers.registered' },
    ]);
  });

  it('refuses a bad file whole, naming line and column, and writes nothing', async () => {
    server = await startServer(await createTestStore(kind));
    const admin = await signIn(server, 'admin');
    expect((await importCsv(server, admin, 'teams', TEAMS_CSV)).status).toBe(200);

    const badSkill = `${VOLUNTEERS_CSV}\nV012-1-3,T012-1,测试丁,,first_aid;cooking,`;
    const refused = await importCsv(server, admin, 'volunteers', badSkill);
    expect(refused).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', details: [{ path: '/rows/5/skills', message: expect.stringContaining('cooking') }] } });
    expect(refused.body.message).toContain('/rows/5/skills');

    const unclosed = await importCsv(server, admin, 'volunteers', `${VOLUNTEERS_CSV}\nV012-1-3,T012-1,"测试丁,,,\nV012-1-4,T012-1,测试戊,,,`);
    expect(unclosed).toMatchObject({ status: 400, body: { details: [{ path: '/rows/5' }] } });
    const unknownColumn = await importCsv(server, admin, 'volunteers', 'id,teamId,name,email\nV1,T012-1,a,b');
    expect(unknownColumn).toMatchObject({ status: 400, body: { details: [{ path: '/rows/1/email' }] } });
    // Refused by the ingest service (an unregistered team), still named by line.
    const unknownTeam = await importCsv(server, admin, 'volunteers', `${VOLUNTEERS_CSV}\nV9,T999,测试己,,,`);
    expect(unknownTeam).toMatchObject({ status: 422, body: { code: 'UNKNOWN_TEAM', details: [{ path: '/rows/5/teamId' }] } });
    expect((await importCsv(server, admin, 'people', VOLUNTEERS_CSV)).status).toBe(400);
    const huge = `${VOLUNTEERS_CSV}\n${'V1,T012-1,测试,,,\n'.repeat(120_000)}`;
    expect(await importCsv(server, admin, 'volunteers', huge)).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
    expect(await count('volunteers')).toBe(0);

    const json = await admin.request('POST', '/api/v1/registry/import?kind=volunteers', { items: volunteers() });
    expect(json).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await count('volunteers')).toBe(0);
  });

  it('changes a team and a volunteer with whole records', async () => {
    await startWithRegistry();
    const coordinator = await signIn(server, 'coordinator');
    const path = '/api/v1/registry/volunteers/V012-1-1';
    const record = { id: 'V012-1-1', teamId: 'T012-1', name: '测试甲', phone: '138-0000-0001', deviceId: 'phone-1' };

    const edited = await coordinator.request('PUT', path, { ...record, skills: ['first_aid', 'driving'], community: '后海社区' });
    expect(edited).toMatchObject({ status: 200, body: { id: 'V012-1-1', skills: ['first_aid', 'driving'], community: '后海社区', deviceId: 'phone-1' } });
    // The whole truth: what is left out is cleared.
    const cleared = await coordinator.request('PUT', path, { id: 'V012-1-1', teamId: 'T018-1', name: '测试甲' });
    expect(cleared.body).toMatchObject({ teamId: 'T018-1', phone: null, deviceId: null, skills: [], community: null });

    expect((await coordinator.request('PUT', path, { ...record, id: 'V012-1-2' })).body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/id' }] });
    expect((await coordinator.request('PUT', path, { ...record, skills: ['cooking'] })).body.details[0].path).toBe('/skills/0');
    expect((await coordinator.request('PUT', path, { ...record, name: 'a\u0000b' })).body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/name' }] });
    expect((await coordinator.request('PUT', path, { ...record, teamId: 'T999' })).body).toMatchObject({ code: 'UNKNOWN_TEAM', details: [{ path: '/teamId' }] });
    await coordinator.request('PUT', '/api/v1/registry/volunteers/V012-1-2', { id: 'V012-1-2', teamId: 'T012-1', name: '测试乙', deviceId: 'phone-2' });
    expect((await coordinator.request('PUT', path, { ...record, deviceId: 'phone-2' })).body).toMatchObject({ code: 'DEVICE_IN_USE', details: [{ path: '/deviceId' }] });
    const unknown = await coordinator.request('PUT', '/api/v1/registry/volunteers/V404', { ...record, id: 'V404' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });

    const team = { id: 'T012-1', name: '什刹海街道应急志愿消防队', subdistrict: SHICHAHAI.adcode, specialty: 'fire', community: '前海社区' };
    const teamEdited = await coordinator.request('PUT', '/api/v1/registry/teams/T012-1', team);
    expect(teamEdited).toMatchObject({ status: 200, body: { id: 'T012-1', community: '前海社区', members: 1 } });
    expect((await coordinator.request('PUT', '/api/v1/registry/teams/T404', { ...team, id: 'T404' })).status).toBe(404);
  });

  it("replaces a volunteer's current and upcoming shifts, keeping ended ones as history", async () => {
    await startWithRegistry();
    const coordinator = await signIn(server, 'coordinator');
    const path = '/api/v1/registry/volunteers/V012-1-1/shifts';
    await server.app.store.pool.query(
      "INSERT INTO shifts (volunteer_id, starts_at, ends_at) VALUES ('V012-1-1', now() - interval '2 days', now() - interval '1 day')",
    );
    const later = { startsAt: inHours(24), endsAt: inHours(32) };
    const now = { startsAt: inHours(-1), endsAt: inHours(7) };
    const replaced = await coordinator.request('PUT', path, { shifts: [later, now] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.shifts).toEqual([now, later]);
    expect((await coordinator.request('PUT', path, { shifts: [later] })).body.shifts).toEqual([later]);
    expect(await count('shifts')).toBe(2);

    const backwards = await coordinator.request('PUT', path, { shifts: [later, { startsAt: inHours(5), endsAt: inHours(4) }] });
    expect(backwards).toMatchObject({ status: 400, body: { details: [{ path: '/shifts/1/endsAt' }] } });
    const ended = await coordinator.request('PUT', path, { shifts: [{ startsAt: inHours(-5), endsAt: inHours(-4) }] });
    expect(ended).toMatchObject({ status: 400, body: { details: [{ path: '/shifts/0/endsAt' }] } });
    expect((await coordinator.request('PUT', path, { shifts: [{ startsAt: 'tomorrow', endsAt: inHours(4) }] })).status).toBe(400);
    expect((await volunteer(coordinator, 'V012-1-1')).shifts).toEqual([later]);
  });

  it('puts a volunteer on and off duty, and derives the team status from members and assignments', async () => {
    await startWithRegistry();
    const coordinator = await signIn(server, 'coordinator');
    const duty = (onDuty: boolean) => coordinator.request('POST', '/api/v1/registry/volunteers/V018-1-1/duty', { onDuty });
    const team = async () => (await coordinator.request('GET', '/api/v1/registry')).body.teams.find((t: { id: string }) => t.id === 'T018-1');

    expect((await duty(true)).body).toMatchObject({ id: 'V018-1-1', status: 'available' });
    expect(await team()).toMatchObject({ status: 'available', available: 1, members: 1 });
    await post(server, '/api/v1/incidents', { items: [fireIncident(1)] });
    await server.app.store.pool.query(
      `INSERT INTO assignments (incident_id, team_id, state, dispatched_by, offered_at, answer_by)
       VALUES ('I-1', 'T018-1', 'en_route', 'user:test', now(), now())`,
    );
    expect((await team()).status).toBe('en_route');
    await server.app.store.pool.query("UPDATE assignments SET state = 'offered'");
    expect((await team()).status).toBe('assigned');
    await server.app.store.pool.query("UPDATE assignments SET state = 'released'");
    expect((await duty(false)).body).toMatchObject({ status: 'off_duty' });
    expect(await team()).toMatchObject({ status: 'off_duty', available: 0 });
    expect((await coordinator.request('POST', '/api/v1/registry/volunteers/V404/duty', { onDuty: true })).status).toBe(404);
  });

  it('creates a personal link shown once, revoking the one before, and revokes it', async () => {
    await startWithRegistry();
    const coordinator = await signIn(server, 'coordinator');
    const path = '/api/v1/registry/volunteers/V012-1-1/link';
    const first = await coordinator.request('POST', path);
    expect(first.status).toBe(200);
    expect(first.body.url).toMatch(new RegExp(`^${server.url}/volunteer#link=${first.body.link.id}\\.[\\w-]{43}$`));
    expect((await volunteer(coordinator, 'V012-1-1')).link).toEqual(first.body.link);

    const second = await coordinator.request('POST', path);
    expect(second.body.link.id).not.toBe(first.body.link.id);
    expect(await count('volunteer_links WHERE revoked_at IS NULL')).toBe(1);
    expect((await coordinator.request('DELETE', path)).status).toBe(204);
    expect((await volunteer(coordinator, 'V012-1-1')).link).toBeNull();
    expect((await coordinator.request('DELETE', path)).status).toBe(404);
    const audited = await server.app.store.pool.query("SELECT action, target FROM audit_log WHERE action LIKE 'volunteer-link.%' ORDER BY id");
    expect(audited.rows).toEqual([
      { action: 'volunteer-link.created', target: 'V012-1-1' },
      { action: 'volunteer-link.created', target: 'V012-1-1' },
      { action: 'volunteer-link.revoked', target: 'V012-1-1' },
    ]);
  });

  it("opens the volunteer's own page with the link's token, and not once it is replaced", async () => {
    await startWithRegistry();
    const coordinator = await signIn(server, 'coordinator');
    const path = '/api/v1/registry/volunteers/V012-1-1/link';
    const tokenOf = (url: string) => url.split('#link=')[1];
    const first = tokenOf((await coordinator.request('POST', path)).body.url);
    const opened = await call(server, 'POST', '/api/v1/session/volunteer-link', { body: { token: first } });
    expect(opened).toMatchObject({ status: 200, body: { role: 'volunteer' } });
    const second = tokenOf((await coordinator.request('POST', path)).body.url);
    expect((await call(server, 'POST', '/api/v1/session/volunteer-link', { body: { token: first } })).status).toBe(401);
    expect((await call(server, 'POST', '/api/v1/session/volunteer-link', { body: { token: second } })).status).toBe(200);
  });

  it('keeps a scoped coordinator to the teams of its subdistrict and their volunteers', async () => {
    await startWithRegistry();
    const scoped = await signIn(server, 'coordinator', { subdistrict: NIUJIE.adcode });
    const registry = (await scoped.request('GET', '/api/v1/registry')).body;
    expect(registry.teams.map((t: { id: string }) => t.id)).toEqual(['T018-1']);
    expect(registry.volunteers.map((v: { id: string }) => v.id)).toEqual(['V018-1-1']);

    const outOfScope = { status: 403, body: { code: 'OUT_OF_SCOPE' } };
    const theirs = { id: 'V012-1-1', teamId: 'T012-1', name: '测试甲' };
    expect(await scoped.request('PUT', '/api/v1/registry/volunteers/V012-1-1', theirs)).toMatchObject(outOfScope);
    const moved = await scoped.request('PUT', '/api/v1/registry/volunteers/V018-1-1', { id: 'V018-1-1', teamId: 'T012-1', name: '测试丙' });
    expect(moved).toMatchObject({ ...outOfScope, body: { details: [{ path: '/teamId' }] } });
    const team = { id: 'T018-1', name: '牛街街道群防群治巡逻队', subdistrict: SHICHAHAI.adcode, specialty: 'patrol' };
    expect(await scoped.request('PUT', '/api/v1/registry/teams/T018-1', team)).toMatchObject({ ...outOfScope, body: { details: [{ path: '/subdistrict' }] } });
    for (const [method, path, body] of [
      ['PUT', '/api/v1/registry/volunteers/V012-1-1/shifts', { shifts: [] }],
      ['POST', '/api/v1/registry/volunteers/V012-1-1/duty', { onDuty: true }],
      ['POST', '/api/v1/registry/volunteers/V012-1-1/link', undefined],
      ['DELETE', '/api/v1/registry/volunteers/V012-1-1/link', undefined],
    ] as const) {
      expect(await scoped.request(method, path, body), `${method} ${path}`).toMatchObject(outOfScope);
    }
    const imported = await importCsv(server, scoped, 'volunteers', 'id,teamId,name\nV018-1-2,T018-1,新人\nV018-1-3,T012-1,别处');
    expect(imported).toMatchObject({ ...outOfScope, body: { details: [{ path: '/rows/3/teamId' }] } });
    const teamsImport = await importCsv(server, scoped, 'teams', TEAMS_CSV);
    expect(teamsImport.body.details.map((d: { path: string }) => d.path)).toEqual(['/rows/2/id', '/rows/2/subdistrict']);
    expect(await count('volunteers')).toBe(3);
    expect(await count('volunteer_links')).toBe(0);

    expect((await scoped.request('PUT', '/api/v1/registry/volunteers/V018-1-1', { id: 'V018-1-1', teamId: 'T018-1', name: '测试丙', skills: ['patrol'] })).status).toBe(200);
    expect((await (await signIn(server, 'leader')).request('GET', '/api/v1/registry')).status).toBe(403);
  });
});
