/**
 * Privacy and scope on a real server, on both stores: positions are kept only on duty and
 * only for the retention period; identities reach coordinators, never walls; a scoped account
 * or screen receives its own subdistrict only; every operational change is in the audit log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Change, PositionFrame, SyncResult } from '../../server/contract/live.ts';
import { prunedThrough, sweep } from '../../server/store/retention.ts';
import { NIUJIE, SHICHAHAI, hotlineCase, teams, volunteers } from '../support/fixtures.ts';
import { STORE_KINDS, createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { openWall, signIn } from '../support/sessions.ts';
import { connectClient, waitFor, type RecordingClient } from '../support/socket.ts';

function snapshotOf(result: SyncResult) {
  if (!result.ok || result.mode !== 'snapshot') throw new Error(`expected a snapshot, got ${JSON.stringify(result).slice(0, 200)}`);
  return result.snapshot;
}

describe.each(STORE_KINDS)('privacy and scope on %s', (kind) => {
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

  const count = async (sql: string) => (await server.app.store.pool.query(sql)).rows[0].n as number;

  it('keeps a position only while its volunteer is on duty', async () => {
    await start();
    const at = (minutes: number) => new Date(Date.now() - 60 * 60_000 + minutes * 60_000).toISOString();
    const fix = (minutes: number, status?: string) => ({ volunteerId: 'V012-1-1', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, at: at(minutes), ...(status ? { status } : {}) });
    expect((await post(server, '/api/v1/positions', { items: [fix(0)] })).body).toMatchObject({ accepted: 1, changed: 0, ignored: 1 });
    await post(server, '/api/v1/positions', { items: [fix(1, 'available'), fix(2)] });
    await post(server, '/api/v1/positions', { items: [fix(3, 'off_duty')] });
    await post(server, '/api/v1/positions', { items: [fix(4)] });
    expect(await count("SELECT count(*)::int AS n FROM positions WHERE volunteer_id = 'V012-1-1'")).toBe(2);
    const row = (await server.app.store.pool.query("SELECT status, lon, lat, subdistrict FROM volunteers WHERE id = 'V012-1-1'")).rows[0];
    expect(row).toEqual({ status: 'off_duty', lon: null, lat: null, subdistrict: null });
  });

  it('deletes tracks and streamed unit views older than the retention, keeps case views as history, and resyncs a wall from before with a snapshot', async () => {
    await start();
    await post(server, '/api/v1/positions', { items: [{ volunteerId: 'V012-1-1', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, status: 'available' }] });
    await post(server, '/api/v1/cases', { items: [hotlineCase(1)] });
    const before = server.app.store.head;
    await post(server, '/api/v1/cases', { items: [hotlineCase(2)] });
    await server.app.store.pool.query("UPDATE positions SET at = now() - interval '8 days'");
    await server.app.store.pool.query(`UPDATE changes SET at = now() - interval '8 days' WHERE seq <= ${before}`);
    const swept = await sweep(server.app.store.pool, 7);
    expect(swept.positions).toBe(1);
    expect(swept.changes).toBeGreaterThan(0);
    expect(await count('SELECT count(*)::int AS n FROM positions')).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM changes WHERE seq <= ${before} AND kind = 'unit'`)).toBe(0);
    // The views of cases carry no personal data: they stay, the time machine's history.
    expect(await count(`SELECT count(*)::int AS n FROM changes WHERE seq <= ${before} AND kind = 'case'`)).toBe(1);

    const wall = await connectClient(server.url, (await openWall(server)).cookie);
    clients.push(wall);
    // A wall from before the pruned unit views cannot be told what it missed: it gets a snapshot.
    const pruned = await prunedThrough(server.app.store.pool);
    expect(pruned).toBeGreaterThan(0);
    const resync = await wall.sync(pruned - 1);
    expect(snapshotOf(resync).cases.map((c) => c.id).sort()).toEqual(['hotline:H-1', 'hotline:H-2']);
  });

  it('shows volunteer identities to coordinators, within their scope, and never to a wall or leader', async () => {
    await start();
    const coordinator = await signIn(server, 'coordinator');
    const all = await coordinator.request('GET', '/api/v1/volunteers');
    expect(all.body.volunteers.map((v: { name: string }) => v.name).sort()).toEqual(['测试丙', '测试乙', '测试甲']);
    expect(all.body.volunteers[0]).toMatchObject({ phone: expect.stringMatching(/^138/), teamName: expect.any(String) });
    const scoped = await signIn(server, 'coordinator', { subdistrict: NIUJIE.adcode });
    expect((await scoped.request('GET', '/api/v1/volunteers')).body.volunteers.map((v: { id: string }) => v.id)).toEqual(['V018-1-1']);
    expect((await (await openWall(server)).request('GET', '/api/v1/volunteers')).status).toBe(403);
    expect((await (await signIn(server, 'leader')).request('GET', '/api/v1/volunteers')).status).toBe(403);
  });

  it('streams a scoped screen its own subdistrict only, without gaps, with units walking in and out', async () => {
    await start();
    await post(server, '/api/v1/positions', {
      items: [
        { volunteerId: 'V012-1-1', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, status: 'available' },
        { volunteerId: 'V018-1-1', lon: NIUJIE.lon, lat: NIUJIE.lat, status: 'available' },
      ],
    });
    await post(server, '/api/v1/cases', { items: [hotlineCase(1), hotlineCase(2, { lon: NIUJIE.lon, lat: NIUJIE.lat })] });
    const wall = await connectClient(server.url, (await openWall(server, { subdistrict: SHICHAHAI.adcode })).cookie);
    clients.push(wall);
    const snapshot = snapshotOf(await wall.sync(null));
    expect(snapshot.cases.map((c) => c.id)).toEqual(['hotline:H-1']);
    expect(snapshot.units.map((u) => u.id)).toEqual(['V012-1-1']);

    await post(server, '/api/v1/cases', { items: [hotlineCase(3, { lon: NIUJIE.lon, lat: NIUJIE.lat })] });
    await post(server, '/api/v1/cases', { items: [hotlineCase(4)] });
    await post(server, '/api/v1/positions', {
      items: [
        { volunteerId: 'V012-1-1', lon: NIUJIE.lon, lat: NIUJIE.lat },
        { volunteerId: 'V018-1-1', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat },
      ],
    });
    await waitFor(() => wall.received.some((r) => (r.payload as PositionFrame).gone !== undefined));
    const cases = wall.received.filter((r) => r.event === 'case:changed').map((r) => (r.payload as Change).value.id);
    expect(cases).toEqual(['hotline:H-4']);
    // Every seq from the snapshot on is covered exactly once, in order.
    let seq = snapshot.seq;
    for (const message of wall.received) {
      expect(message.from).toBeLessThanOrEqual(seq + 1);
      seq = Math.max(seq, message.to);
    }
    expect(seq).toBe(server.app.store.head);
    const frame = wall.received.map((r) => r.payload as PositionFrame).find((p) => p.gone)!;
    expect(frame.gone).toEqual([{ kind: 'unit', id: 'V012-1-1' }]);
    expect(frame.arrived?.map((u) => [u.id, u.subdistrict])).toEqual([['V018-1-1', SHICHAHAI.adcode]]);
    expect(JSON.stringify(wall.received)).not.toContain(String(NIUJIE.lon));
  });

  it('keeps a scoped operator to their subdistrict and audits every batch with who sent it', async () => {
    await start();
    const operator = await signIn(server, 'operator', { subdistrict: SHICHAHAI.adcode, username: 'op-shichahai' });
    const outside = await operator.request('POST', '/api/v1/cases', { items: [hotlineCase(1, { lon: NIUJIE.lon, lat: NIUJIE.lat })] });
    expect(outside).toMatchObject({ status: 403, body: { code: 'OUT_OF_SCOPE', details: [{ path: '/items/0' }] } });
    expect(await count('SELECT count(*)::int AS n FROM cases')).toBe(0);
    expect((await operator.request('POST', '/api/v1/cases', { items: [hotlineCase(2)] })).status).toBe(200);

    const admin = await signIn(server, 'admin');
    const entries = (await admin.request('GET', '/api/v1/audit?limit=50')).body.entries as Array<{ actor: string; action: string; details: Record<string, unknown> }>;
    const batches = entries.filter((e) => e.action.endsWith('.reported') || e.action.endsWith('.registered')).reverse();
    expect(batches.map((e) => [e.actor.replace(/^feed:\w+ /, 'feed:'), e.action])).toEqual([
      ['feed:test feed', 'teams.registered'],
      ['feed:test feed', 'volunteers.registered'],
      ['user:op-shichahai', 'cases.reported'],
    ]);
    expect(batches[2]!.details).toEqual({ items: 1, changed: 1, ids: ['hotline:H-2'] });
  });
});
