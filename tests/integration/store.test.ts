/**
 * The store behind the real HTTP API, on both the embedded PGlite and the real PostgreSQL:
 * lifecycles, idempotency, late reports, all-or-nothing batches, points outside the district,
 * and data surviving a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openCaseViews } from '../../server/store/cases.ts';
import { changesSince } from '../../server/store/changes.ts';
import { openIncidentViews } from '../../server/store/incidents.ts';
import { createFeedKey } from '../../server/store/keys.ts';
import { unitViewsSince } from '../../server/store/volunteers.ts';
import { OUTSIDE, SHICHAHAI, fireIncident, goOnDuty, hotlineCase, teams, volunteers } from '../support/fixtures.ts';
import { STORE_KINDS, createTestStore, post, startServer, type TestServer } from '../support/server.ts';

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let server: TestServer;
  afterEach(async () => server?.dispose());

  async function start(): Promise<TestServer> {
    server = await startServer(await createTestStore(kind));
    return server;
  }

  async function count(table: string): Promise<number> {
    const { rows } = await server.app.store.pool.query(`SELECT count(*)::int AS n FROM ${table}`);
    return rows[0].n;
  }

  it('reports its kind and sequence on /healthz', async () => {
    await start();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', store: kind, seq: 0, simulated: false });
  });

  it('stores a case, classifies it, and walks its lifecycle with one change per step', async () => {
    await start();
    expect((await post(server, '/api/v1/cases', { items: [hotlineCase(1)] })).body).toMatchObject({ accepted: 1, changed: 1, seq: 1 });
    await post(server, '/api/v1/cases', { items: [hotlineCase(1, { state: 'dispatched' }), hotlineCase(1, { state: 'in_progress' })] });
    const [open] = await openCaseViews(server.app.store.pool);
    expect(open).toMatchObject({ id: 'hotline:H-1', state: 'in_progress', subdistrict: SHICHAHAI.adcode, outside: false, seq: 3 });
    expect(open!.cell).toMatch(/^110102012-/);
    const changes = await changesSince(server.app.store.pool, 0, 10);
    expect(changes.map((c) => [c.seq, c.kind, c.created, (c.value as { state: string }).state])).toEqual([
      [1, 'case', true, 'reported'],
      [2, 'case', false, 'dispatched'],
      [3, 'case', false, 'in_progress'],
    ]);
  });

  it('never duplicates a retried item and never lets a late report overwrite a newer one', async () => {
    await start();
    const at = (minutes: number) => new Date(Date.now() - 60 * 60_000 + minutes * 60_000).toISOString();
    await post(server, '/api/v1/cases', { items: [hotlineCase(7, { at: at(0) }), hotlineCase(7, { state: 'resolved', at: at(30) })] });
    const retry = await post(server, '/api/v1/cases', { items: [hotlineCase(7, { state: 'resolved', at: at(30) })] });
    const late = await post(server, '/api/v1/cases', { items: [hotlineCase(7, { state: 'dispatched', at: at(10) })] });
    expect(retry.body).toMatchObject({ accepted: 1, changed: 0, ignored: 1 });
    expect(late.body).toMatchObject({ accepted: 1, changed: 0, ignored: 1 });
    expect(await count('cases')).toBe(1);
    expect((await openCaseViews(server.app.store.pool))[0]!.state).toBe('resolved');
    expect(await count('changes')).toBe(2);
  });

  it('refuses a batch with an illegal move whole, writing nothing', async () => {
    await start();
    await post(server, '/api/v1/cases', { items: [hotlineCase(1, { state: 'closed' })] });
    const response = await post(server, '/api/v1/cases', {
      items: [hotlineCase(2), hotlineCase(1, { state: 'reported' })],
    });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: [{ path: '/items/1/state' }] });
    expect(await count('cases')).toBe(1);
    expect(await count('changes')).toBe(1);
    expect(server.app.store.head).toBe(1);
  });

  it('converts the points of a GCJ-02 feed to WGS-84 before classifying them', async () => {
    await start();
    const { token } = await createFeedKey(server.app.store.pool, { name: 'amap app', coordinates: 'gcj02' });
    // Shichahai's label point as an AMap SDK would report it: about +0.0062° lon, +0.0014° lat.
    const gcj = { lon: SHICHAHAI.lon + 0.00624, lat: SHICHAHAI.lat + 0.00138 };
    expect((await post(server, '/api/v1/cases', { items: [hotlineCase(1, gcj)] }, token)).status).toBe(200);
    const [stored] = await openCaseViews(server.app.store.pool);
    expect(Math.abs(stored!.lon - SHICHAHAI.lon)).toBeLessThan(0.0002);
    expect(Math.abs(stored!.lat - SHICHAHAI.lat)).toBeLessThan(0.0002);
    expect(stored!.subdistrict).toBe(SHICHAHAI.adcode);
  });

  it('keeps and flags a point outside the district', async () => {
    await start();
    await post(server, '/api/v1/incidents', { items: [fireIncident(1, { ...OUTSIDE })] });
    const [incident] = await openIncidentViews(server.app.store.pool);
    expect(incident).toMatchObject({ id: 'I-1', outside: true, subdistrict: null, cell: null, lon: OUTSIDE.lon });
  });

  it('registers volunteers, refuses unknown teams and unknown volunteers, and tracks positions', async () => {
    await start();
    expect((await post(server, '/api/v1/teams', { items: teams() })).status).toBe(200);
    const strays = await post(server, '/api/v1/volunteers', { items: [{ id: 'V-X', teamId: 'T-NONE', name: '某人' }] });
    expect(strays).toMatchObject({ status: 422, body: { code: 'UNKNOWN_TEAM', details: [{ path: '/items/0/teamId' }] } });
    expect((await post(server, '/api/v1/volunteers', { items: volunteers() })).body).toMatchObject({ changed: 3 });
    // The known volunteer's item would be kept on its own (it goes on duty): the batch is refused whole.
    const unknown = await post(server, '/api/v1/positions', {
      items: [
        { volunteerId: 'V012-1-1', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, status: 'available' },
        { volunteerId: 'V-NOBODY', lon: 116.37, lat: 39.93 },
      ],
    });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'UNKNOWN_VOLUNTEER', details: [{ path: '/items/1/volunteerId' }] } });
    expect(await count('positions')).toBe(0);

    await post(server, '/api/v1/positions', {
      items: [
        { volunteerId: 'V012-1-1', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, status: 'available' },
        { volunteerId: 'V012-1-2', lon: SHICHAHAI.lon + 0.001, lat: SHICHAHAI.lat, status: 'available' },
      ],
    });
    expect(await count('positions')).toBe(2);
    const units = await unitViewsSince(server.app.store.pool, 0);
    expect(units.find((u) => u.id === 'V012-1-1')).toMatchObject({ status: 'available', subdistrict: SHICHAHAI.adcode, specialty: 'fire' });
    expect(units.find((u) => u.id === 'V012-1-2')).toMatchObject({ status: 'available', lon: SHICHAHAI.lon + 0.001, subdistrict: SHICHAHAI.adcode });
    expect(JSON.stringify(units)).not.toMatch(/测试|138-0000/);
  });

  it('keeps each position in the history with its place, seq and readings, missing readings as null, and none off duty', async () => {
    // PostgreSQL writes the history by COPY, PGlite by a JSON recordset: the rows must be the same.
    await start();
    await post(server, '/api/v1/teams', { items: teams() });
    await post(server, '/api/v1/volunteers', { items: volunteers() });
    const at = new Date(Date.now() - 60_000).toISOString();
    const answer = await post(server, '/api/v1/positions', {
      items: [
        { volunteerId: 'V012-1-1', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, at, status: 'available', accuracy: 4.5, speed: 1.25, bearing: 90, altitude: 48, battery: 80 },
        { volunteerId: 'V012-1-2', lon: OUTSIDE.lon, lat: OUTSIDE.lat, at, status: 'available' },
        { volunteerId: 'V012-1-2', lon: OUTSIDE.lon, lat: OUTSIDE.lat, at: new Date(Date.now() - 30_000).toISOString(), status: 'off_duty' },
      ],
    });
    expect(answer.status).toBe(200);
    const { rows } = await server.app.store.pool.query(
      `SELECT volunteer_id, at, lon, lat, subdistrict, cell, outside, seq::int AS seq, accuracy, speed, bearing, altitude, battery
       FROM positions ORDER BY volunteer_id`,
    );
    expect(rows).toEqual([
      {
        volunteer_id: 'V012-1-1',
        at: new Date(at),
        lon: SHICHAHAI.lon,
        lat: SHICHAHAI.lat,
        subdistrict: SHICHAHAI.adcode,
        cell: expect.stringMatching(/^110102012-/),
        outside: false,
        seq: expect.any(Number),
        accuracy: 4.5,
        speed: 1.25,
        bearing: 90,
        altitude: 48,
        battery: 80,
      },
      { volunteer_id: 'V012-1-2', at: new Date(at), lon: OUTSIDE.lon, lat: OUTSIDE.lat, subdistrict: null, cell: null, outside: true, seq: expect.any(Number), accuracy: null, speed: null, bearing: null, altitude: null, battery: null },
    ]);
  });

  it('judges each of many concurrent position requests on its own (group commit)', async () => {
    await start();
    await post(server, '/api/v1/teams', { items: teams() });
    await post(server, '/api/v1/volunteers', { items: volunteers() });
    // Positions are kept only on duty: the volunteer of the twelve fixes goes on duty first
    // (one history row, at an earlier time).
    await goOnDuty(server, ['V012-1-2']);
    expect(await count('positions')).toBe(1);
    // One report time for all: whatever order they arrive in, none is stale.
    const at = new Date(Date.now() - 60_000).toISOString();
    const fix = (volunteerId: string, n: number, status?: string) => ({
      items: [{ volunteerId, lon: SHICHAHAI.lon + n * 1e-5, lat: SHICHAHAI.lat, at, ...(status ? { status } : {}) }],
    });
    const bodies = [
      ...Array.from({ length: 12 }, (_, n) => fix('V012-1-2', n)),
      fix('V012-1-1', 50, 'on_scene'), // illegal: off duty straight to on scene
      fix('V-NOBODY', 51),
      fix('V018-1-1', 52, 'available'),
    ];
    const answers = await Promise.all(bodies.map((body) => post(server, '/api/v1/positions', body)));
    expect(answers.map((a) => a.status)).toEqual([...Array(12).fill(200), 409, 422, 200]);
    expect(await count('positions')).toBe(1 + 13);
    const units = await unitViewsSince(server.app.store.pool, 0);
    expect(units.find((u) => u.id === 'V012-1-1')?.status).toBe('off_duty');
    expect(units.find((u) => u.id === 'V018-1-1')?.status).toBe('available');
    const lon = units.find((u) => u.id === 'V012-1-2')!.lon!;
    expect(lon).toBeGreaterThanOrEqual(SHICHAHAI.lon);
    expect(lon).toBeLessThanOrEqual(SHICHAHAI.lon + 11e-5);
  });

  it('keeps everything across a restart on the same store', async () => {
    const store = await createTestStore(kind);
    server = await startServer(store);
    await post(server, '/api/v1/cases', { items: [hotlineCase(1), hotlineCase(2)] });
    await server.close();
    server = await startServer(store);
    expect(server.app.store.head).toBe(2);
    expect(await openCaseViews(server.app.store.pool)).toHaveLength(2);
    await post(server, '/api/v1/cases', { items: [hotlineCase(3)] });
    expect(server.app.store.head).toBe(3);
  });
});
