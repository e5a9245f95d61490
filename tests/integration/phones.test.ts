/**
 * Phone apps as they are, over real HTTP on both stores: Traccar Client and OsmAnd (query,
 * form, JSON), OwnTracks (headers, basic auth), devices nobody registered, GCJ-02 feed keys,
 * bad input, retries, and a phone's position reaching a wall as a position frame. A position is
 * kept only while its volunteer is on duty, so each registry here goes on duty first; the rows
 * a test reads are those written after that.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { PositionFrame } from '../../server/contract/live.ts';
import { toWgs84 } from '../../server/domain/coordinates.ts';
import { METRES_PER_SECOND_PER_KNOT } from '../../server/ingest/osmand.ts';
import { createFeedKey } from '../../server/store/keys.ts';
import { unitViewsSince } from '../../server/store/volunteers.ts';
import { NIUJIE, SHICHAHAI, goOnDuty, teams, volunteers } from '../support/fixtures.ts';
import { STORE_KINDS, createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { connectClient, waitFor } from '../support/socket.ts';
import { openWall, signIn } from '../support/sessions.ts';

/** Volunteer → phone app: a Traccar Client id, another, and an OwnTracks user/device. */
const TRACCAR = { volunteer: 'V012-1-1', device: '40417322' };
const TRACCAR_2 = { volunteer: 'V012-1-2', device: 'traccar-77' };
const OWNTRACKS = { volunteer: 'V018-1-1', user: 'zhang.wei@example.org', device: 'pixel7' };

function registry() {
  const devices = [TRACCAR.device, TRACCAR_2.device, `${OWNTRACKS.user}/${OWNTRACKS.device}`];
  return volunteers().map((v, i) => ({ ...v, deviceId: devices[i] }));
}

/** Registers the three volunteers with their phones and puts them on duty; returns the head seq after. */
async function register(server: TestServer): Promise<number> {
  await post(server, '/api/v1/teams', { items: teams() });
  expect((await post(server, '/api/v1/volunteers', { items: registry() })).status).toBe(200);
  return goOnDuty(server, registry().map((v) => v.id));
}

const minuteAgo = () => Math.floor(Date.now() / 1000) - 60;

/** What Traccar Client (Android) puts in its URL. */
function osmAndParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    id: TRACCAR.device,
    timestamp: String(minuteAgo()),
    lat: String(SHICHAHAI.lat),
    lon: String(SHICHAHAI.lon),
    speed: '3.887688',
    bearing: '271.5',
    altitude: '48.2',
    accuracy: '12.0',
    batt: '87.0',
    ...overrides,
  };
}

async function answer(response: Response): Promise<{ status: number; body: any }> {
  return { status: response.status, body: await response.json() };
}

/** GET /osmand as Traccar Client sends it, with the feed key in the URL. */
async function osmAndGet(server: TestServer, params: Record<string, string>, token = server.token) {
  return answer(await fetch(`${server.url}/api/v1/osmand?${new URLSearchParams({ ...params, key: token })}`));
}

async function ownTracks(server: TestServer, message: unknown, headers: Record<string, string>, query = '') {
  const response = await fetch(`${server.url}/api/v1/owntracks${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(message),
  });
  return answer(response);
}

function ownTracksLocation(overrides: Record<string, unknown> = {}) {
  return { _type: 'location', tid: 'ZW', lat: NIUJIE.lat, lon: NIUJIE.lon, tst: minuteAgo(), acc: 8, alt: 51, vel: 18, cog: 120, batt: 64, ...overrides };
}

const limitHeaders = { 'x-limit-u': OWNTRACKS.user, 'x-limit-d': OWNTRACKS.device };

/** The position history written after seq `since` (by default: after the registry went on duty). */
async function positionRows(server: TestServer, since = onDutySeq.get(server) ?? 0) {
  const { rows } = await server.app.store.pool.query(
    'SELECT volunteer_id, at, lon, lat, accuracy, speed, bearing, altitude, battery FROM positions WHERE seq > $1 ORDER BY seq',
    [since],
  );
  return rows;
}

/** Each server's head seq once its registry was on duty. */
const onDutySeq = new WeakMap<TestServer, number>();

async function registered(server: TestServer): Promise<TestServer> {
  onDutySeq.set(server, await register(server));
  return server;
}

describe.each(STORE_KINDS)('phone apps on %s', (kind) => {
  let server: TestServer;
  afterEach(async () => server?.dispose());

  async function start(): Promise<TestServer> {
    server = await startServer(await createTestStore(kind));
    return registered(server);
  }

  it('takes the OsmAnd query with Unix seconds, and with an ISO time', async () => {
    await start();
    const seconds = minuteAgo();
    const first = await osmAndGet(server, osmAndParams({ timestamp: String(seconds) }));
    expect(first).toMatchObject({ status: 200, body: { accepted: 1, changed: 1, ignored: 0 } });
    const iso = new Date((seconds + 30) * 1000).toISOString();
    expect((await osmAndGet(server, osmAndParams({ timestamp: iso, lat: String(SHICHAHAI.lat + 1e-4) }))).status).toBe(200);

    const rows = await positionRows(server);
    expect(rows.map((r) => [r.volunteer_id, r.at.getTime()])).toEqual([
      [TRACCAR.volunteer, seconds * 1000],
      [TRACCAR.volunteer, seconds * 1000 + 30_000],
    ]);
    expect(rows[0]).toMatchObject({ lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, accuracy: 12, bearing: 271.5, altitude: 48.2, battery: 87 });
    expect(rows[0].speed).toBeCloseTo(3.887688 * METRES_PER_SECOND_PER_KNOT, 9);
    const unit = (await unitViewsSince(server.app.store.pool, 0)).find((u) => u.id === TRACCAR.volunteer);
    expect(unit).toMatchObject({ subdistrict: SHICHAHAI.adcode, at: seconds * 1000 + 30_000 });
    expect(Object.keys(unit!)).not.toContain('battery');
  });

  it('takes the OsmAnd fields as a form body, and Traccar Client JSON on the same path', async () => {
    await start();
    const form = await fetch(`${server.url}/api/v1/osmand?key=${server.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(osmAndParams()).toString(),
    });
    expect(await answer(form)).toMatchObject({ status: 200, body: { changed: 1 } });

    const at = new Date(Date.now() - 30_000).toISOString();
    const json = await fetch(`${server.url}/api/v1/osmand?key=${server.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        location: {
          timestamp: at,
          coords: { latitude: NIUJIE.lat, longitude: NIUJIE.lon, accuracy: 4.5, speed: 1.25, heading: -1, altitude: 44 },
          is_moving: true,
          odometer: 812,
          event: 'motionchange',
          battery: { level: 0.42, is_charging: true },
          activity: { type: 'on_foot' },
          extras: {},
        },
        device_id: TRACCAR_2.device,
      }),
    });
    expect(await answer(json)).toMatchObject({ status: 200, body: { changed: 1 } });

    const rows = await positionRows(server);
    expect(rows[0]).toMatchObject({ volunteer_id: TRACCAR.volunteer, battery: 87 });
    expect(rows[1]).toMatchObject({
      volunteer_id: TRACCAR_2.volunteer,
      at: new Date(at),
      lon: NIUJIE.lon,
      accuracy: 4.5,
      speed: 1.25,
      bearing: null,
      altitude: 44,
      battery: 42,
    });
  });

  it('takes OwnTracks locations by X-Limit headers and by basic auth, answering []', async () => {
    await start();
    const byHeaders = await ownTracks(server, ownTracksLocation(), { ...limitHeaders, authorization: `Bearer ${server.token}` });
    expect(byHeaders).toEqual({ status: 200, body: [] });
    const basic = `Basic ${Buffer.from(`${OWNTRACKS.user}:${server.token}`).toString('base64')}`;
    const byBasicAuth = await ownTracks(server, ownTracksLocation({ tst: minuteAgo() + 30, lat: NIUJIE.lat + 1e-4 }), { authorization: basic }, `?d=${OWNTRACKS.device}`);
    expect(byBasicAuth).toEqual({ status: 200, body: [] });

    const rows = await positionRows(server);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ volunteer_id: OWNTRACKS.volunteer, accuracy: 8, speed: 5, bearing: 120, altitude: 51, battery: 64 });
  });

  it('answers other OwnTracks messages with [] and writes nothing', async () => {
    await start();
    const head = server.app.store.head;
    const headers = { ...limitHeaders, authorization: `Bearer ${server.token}` };
    for (const message of [{ _type: 'lwt', tst: minuteAgo() }, { _type: 'transition', event: 'enter' }, { _type: 'encrypted', data: 'x' }]) {
      expect(await ownTracks(server, message, headers)).toEqual({ status: 200, body: [] });
    }
    expect(await positionRows(server)).toEqual([]);
    expect(server.app.store.head).toBe(head);
  });

  it('refuses an unknown device, counts and lists it, attaches it to no one, and forgets it once registered', async () => {
    await start();
    const head = server.app.store.head;
    for (let i = 0; i < 2; i++) {
      const refused = await osmAndGet(server, osmAndParams({ id: 'stranger-1' }));
      expect(refused).toMatchObject({ status: 422, body: { code: 'UNKNOWN_DEVICE', details: [{ path: '/id', message: /"stranger-1"/ }] } });
    }
    const owntracks = await ownTracks(server, ownTracksLocation(), { 'x-limit-u': 'li', 'x-limit-d': 'ipad', authorization: `Bearer ${server.token}` });
    expect(owntracks).toMatchObject({ status: 422, body: { code: 'UNKNOWN_DEVICE', message: /"li\/ipad"/ } });
    expect(await positionRows(server)).toEqual([]);
    expect(server.app.store.head).toBe(head);

    // Only a signed-in admin reads the list; a feed key cannot, nor can anyone anonymous.
    const admin = await signIn(server, 'admin');
    const listed = await admin.request('GET', '/api/v1/unknown-devices');
    expect(listed.status).toBe(200);
    const feedKey = server.token.split('_')[1];
    expect(listed.body.devices).toEqual([
      expect.objectContaining({ deviceId: 'li/ipad', protocol: 'owntracks', reports: 1, feedKey }),
      expect.objectContaining({ deviceId: 'stranger-1', protocol: 'osmand', reports: 2, feedKey }),
    ]);
    expect((await fetch(`${server.url}/api/v1/unknown-devices`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/unknown-devices`, { headers: { authorization: `Bearer ${server.token}` } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/unknown-devices?key=${server.token}`)).status).toBe(401);

    await post(server, '/api/v1/volunteers', { items: [{ id: 'V-NEW', teamId: 'T012-1', name: '新人', deviceId: 'stranger-1' }] });
    expect((await osmAndGet(server, osmAndParams({ id: 'stranger-1' }))).status).toBe(200);
    const after = await admin.request('GET', '/api/v1/unknown-devices');
    expect(after.body.devices.map((d: { deviceId: string }) => d.deviceId)).toEqual(['li/ipad']);
  });

  it('converts a GCJ-02 feed key to WGS-84 at the edge', async () => {
    await start();
    const { token } = await createFeedKey(server.app.store.pool, { name: 'amap phones', coordinates: 'gcj02' });
    const gcj = { lon: 116.384532, lat: 39.934081 };
    expect((await osmAndGet(server, osmAndParams({ lon: String(gcj.lon), lat: String(gcj.lat) }), token)).status).toBe(200);
    const [row] = await positionRows(server);
    expect(row).toMatchObject(toWgs84(gcj.lon, gcj.lat, 'gcj02'));
    expect(Math.abs(row.lon - gcj.lon)).toBeGreaterThan(0.004);
  });

  it('stores a retried request once', async () => {
    await start();
    const params = osmAndParams();
    expect((await osmAndGet(server, params)).body).toMatchObject({ changed: 1 });
    expect((await osmAndGet(server, params)).body).toMatchObject({ accepted: 1, changed: 0, ignored: 1 });
    const message = ownTracksLocation();
    const headers = { ...limitHeaders, authorization: `Bearer ${server.token}` };
    await ownTracks(server, message, headers);
    await ownTracks(server, message, headers);
    expect(await positionRows(server)).toHaveLength(2);
  });

  it("sends a phone's position to a wall as a position frame", async () => {
    await start();
    const wall = await connectClient(server.url, (await openWall(server)).cookie);
    try {
      await wall.sync(null);
      const seconds = minuteAgo();
      await osmAndGet(server, osmAndParams({ timestamp: String(seconds) }));
      await waitFor(() => wall.received.some((r) => r.event === 'position:frame'));
      const frame = wall.received.find((r) => r.event === 'position:frame')!.payload as PositionFrame;
      expect(frame.units).toEqual([[TRACCAR.volunteer, SHICHAHAI.lon, SHICHAHAI.lat, seconds * 1000, SHICHAHAI.adcode]]);
    } finally {
      wall.close();
    }
  });
});

describe('phone device ids in the registry', () => {
  let server: TestServer;
  afterEach(async () => server?.dispose());

  it('refuses a device another volunteer holds with a 409 naming the item, and lets two swap phones', async () => {
    server = await startServer(await createTestStore('pglite'));
    await registered(server);
    const taken = await post(server, '/api/v1/volunteers', {
      items: [{ id: 'V-NEW', teamId: 'T012-1', name: '新人', deviceId: TRACCAR.device }],
    });
    expect(taken).toMatchObject({
      status: 409,
      body: { code: 'DEVICE_IN_USE', details: [{ path: '/items/0/deviceId', message: `device "${TRACCAR.device}" is already registered to volunteer "${TRACCAR.volunteer}"` }] },
    });
    const twice = await post(server, '/api/v1/volunteers', {
      items: [
        { id: 'V-A', teamId: 'T012-1', name: '甲', deviceId: 'spare-1' },
        { id: 'V-B', teamId: 'T012-1', name: '乙', deviceId: 'spare-1' },
      ],
    });
    expect(twice).toMatchObject({ status: 409, body: { details: [{ path: '/items/1/deviceId' }] } });

    // A fix before the swap: the server now remembers whose phone this is.
    expect((await osmAndGet(server, osmAndParams({ timestamp: String(minuteAgo() - 60) }))).status).toBe(200);
    const [first, second] = registry();
    const swapped = await post(server, '/api/v1/volunteers', {
      items: [{ ...first!, deviceId: second!.deviceId }, { ...second!, deviceId: first!.deviceId }],
    });
    expect(swapped.status).toBe(200);
    expect((await osmAndGet(server, osmAndParams())).status).toBe(200);
    expect((await positionRows(server)).map((row) => row.volunteer_id)).toEqual([TRACCAR.volunteer, TRACCAR_2.volunteer]);
  });

  it('gives a registered volunteer a phone later, unlinks it, and keeps the last of a repeated item', async () => {
    server = await startServer(await createTestStore('pglite'));
    await post(server, '/api/v1/teams', { items: teams() });
    const [plain] = volunteers();
    await post(server, '/api/v1/volunteers', { items: [plain!] });
    const seq = server.app.store.head;
    expect((await osmAndGet(server, osmAndParams({ id: 'late-phone' }))).status).toBe(422);
    const linked = await post(server, '/api/v1/volunteers', { items: [plain!, { ...plain!, deviceId: 'late-phone' }] });
    expect(linked).toMatchObject({ status: 200, body: { changed: 0 } });
    expect(server.app.store.head).toBe(seq);
    // Known now; its volunteer is still off duty, so the fix is acknowledged and not kept.
    expect(await osmAndGet(server, osmAndParams({ id: 'late-phone' }))).toMatchObject({ status: 200, body: { accepted: 1, changed: 0, ignored: 1 } });
    expect(await positionRows(server, 0)).toEqual([]);
    await post(server, '/api/v1/volunteers', { items: [plain!] });
    expect((await osmAndGet(server, osmAndParams({ id: 'late-phone' }))).status).toBe(422);
  });
});

describe('phone endpoints refuse bad input clearly', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await createTestStore('pglite'));
    // On duty, so that a fix the server wrongly took would show as a row.
    await registered(server);
  });
  afterAll(async () => server.dispose());

  const osmAnd: Array<[string, Record<string, string>, RegExp]> = [
    ['a missing id', { id: '' }, /\/id/],
    ['a missing latitude', { lat: '' }, /\/lat/],
    ['NaN for a longitude', { lon: 'NaN' }, /\/lon/],
    ['a latitude out of range', { lat: '91' }, /\/lat/],
    ['a junk timestamp', { timestamp: 'yesterday' }, /\/timestamp/],
    ['a timestamp far in the future', { timestamp: String(Math.floor(Date.now() / 1000) + 3600) }, /\/timestamp.*future/],
    ['a bearing out of range', { bearing: '400' }, /\/bearing/],
  ];

  it.each(osmAnd)('OsmAnd: %s', async (_name, overrides, named) => {
    const response = await osmAndGet(server, osmAndParams(overrides));
    expect(response).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(response.body.details)).toMatch(named);
    expect(await positionRows(server)).toEqual([]);
  });

  it('OsmAnd: a field given twice', async () => {
    const response = await answer(await fetch(`${server.url}/api/v1/osmand?${new URLSearchParams(osmAndParams())}&lat=1&key=${server.token}`));
    expect(response).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', details: [{ path: '/querystring/lat' }] } });
  });

  it('Traccar JSON: broken JSON, wrong types and missing coordinates', async () => {
    const send = (body: string) =>
      fetch(`${server.url}/api/v1/osmand?key=${server.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(answer);
    expect(await send('{"location": {')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const wrong = await send(JSON.stringify({ device_id: TRACCAR.device, location: { coords: { latitude: '39.9', longitude: 116.3 } } }));
    expect(wrong).toMatchObject({ status: 400, body: { details: [{ path: '/location/coords/latitude', message: 'must be a number, not "39.9"' }] } });
    const missing = await send(JSON.stringify({ device_id: TRACCAR.device, location: { timestamp: new Date().toISOString() } }));
    expect(missing.body.details.map((d: { path: string }) => d.path)).toEqual(['/location/coords', '/location/coords/latitude', '/location/coords/longitude']);
  });

  it('OwnTracks: no identity, a bad location, no _type', async () => {
    const auth = { authorization: `Bearer ${server.token}` };
    const anonymous = await ownTracks(server, ownTracksLocation(), auth);
    expect(anonymous.body.details.map((d: { path: string }) => d.path)).toEqual(['/headers/x-limit-u', '/headers/x-limit-d']);
    const bad = await ownTracks(server, ownTracksLocation({ lon: 'east', tst: 'now' }), { ...limitHeaders, ...auth });
    expect(bad).toMatchObject({ status: 400, body: { details: [{ path: '/lon' }, { path: '/tst' }] } });
    expect(await ownTracks(server, { lat: 39.9 }, { ...limitHeaders, ...auth })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('refuses a request without a feed key before reading it, and limits each key', async () => {
    expect((await fetch(`${server.url}/api/v1/osmand?${new URLSearchParams(osmAndParams())}`)).status).toBe(401);
    const { token } = await createFeedKey(server.app.store.pool, { name: 'slow phones', ratePerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await osmAndGet(server, osmAndParams({ lat: '91' }), token)).status);
    expect(statuses).toEqual([400, 400, 429]);
  });

  it('writes nothing on a HEAD', async () => {
    const head = await fetch(`${server.url}/api/v1/osmand?${new URLSearchParams({ ...osmAndParams(), key: server.token })}`, { method: 'HEAD' });
    expect(head.status).toBe(404);
  });

  it('wrote nothing and still serves', async () => {
    expect(await positionRows(server)).toEqual([]);
    expect(await osmAndGet(server, osmAndParams())).toMatchObject({ status: 200, body: { changed: 1 } });
    expect(await positionRows(server)).toHaveLength(1);
  });
});
