/**
 * Signing in and the doors around it, on a real server: passwords, one-time passwords, brute
 * force (rate limit and account lock), CSRF and cross-origin changes, wall links (expired,
 * revoked, forged), sessions that end, security headers and errors without internals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStore, startServer, type TestServer } from '../support/server.ts';
import { TEST_PASSWORD, call, cookiesOf, createLink, openWall, signIn } from '../support/sessions.ts';
import { connectClient, waitFor } from '../support/socket.ts';
import { firstStart } from '../../server/access/first-start.ts';
import { LOCK_AFTER_FAILURES } from '../../server/store/users.ts';

describe('sessions', () => {
  let server: TestServer;
  afterEach(async () => server?.dispose());

  async function start(env: Record<string, string> = {}) {
    server = await startServer(await createTestStore('postgresql'), env);
    return server;
  }

  it('creates the first admin and a wall link once, and the one-time password must be replaced first', async () => {
    await start();
    const lines = await firstStart(server.app.store, server.url);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Admin: admin [A-Za-z0-9]{18}$/);
    expect(lines[1]).toMatch(new RegExp(`^Wall link: ${server.url}/#link=[0-9a-f]{12}\\.[\\w-]{43}$`));
    expect(await firstStart(server.app.store, server.url)).toEqual([]);

    const password = lines[0]!.split(' ')[2]!;
    const signedIn = await call(server, 'POST', '/api/v1/session', { body: { username: 'admin', password } });
    expect(signedIn.body).toMatchObject({ role: 'admin', mustChangePassword: true });
    const cookie = cookiesOf(signedIn.response);
    const csrf = signedIn.body.csrfToken;
    expect((await call(server, 'GET', '/api/v1/users', { cookie })).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    await expect(connectClient(server.url, cookie)).rejects.toThrow('PASSWORD_CHANGE_REQUIRED');

    const weak = await call(server, 'PUT', '/api/v1/session/password', { cookie, csrf, body: { current: password, next: 'short' } });
    expect(weak).toMatchObject({ status: 400, body: { code: 'WEAK_PASSWORD', details: [{ path: '/next' }] } });
    const wrong = await call(server, 'PUT', '/api/v1/session/password', { cookie, csrf, body: { current: 'nope', next: 'a much better phrase' } });
    expect(wrong.status).toBe(401);
    const changed = await call(server, 'PUT', '/api/v1/session/password', { cookie, csrf, body: { current: password, next: 'a much better phrase' } });
    expect(changed.body).toMatchObject({ mustChangePassword: false });
    expect((await call(server, 'GET', '/api/v1/users', { cookie })).status).toBe(200);

    const wallToken = lines[1]!.split('#link=')[1];
    expect((await call(server, 'POST', '/api/v1/session/wall-link', { body: { token: wallToken } })).body).toMatchObject({ role: 'wall' });
  });

  it('answers a wrong password and an unknown user alike, and signs out for good', async () => {
    await start();
    const session = await signIn(server, 'operator', { username: 'wang' });
    const unknown = await call(server, 'POST', '/api/v1/session', { body: { username: 'nobody', password: TEST_PASSWORD } });
    const wrong = await call(server, 'POST', '/api/v1/session', { body: { username: 'wang', password: 'guess' } });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong).toMatchObject({ status: 401, body: { code: 'LOGIN_FAILED' } });

    expect((await session.request('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await session.request('GET', '/api/v1/session')).status).toBe(401);
    const audit = await server.app.store.pool.query("SELECT actor, action FROM audit_log WHERE action LIKE 'session.%' ORDER BY id");
    expect(audit.rows).toEqual([
      { actor: 'user:wang', action: 'session.sign-in' },
      { actor: 'anonymous:127.0.0.1', action: 'session.sign-in-failed' },
      { actor: 'anonymous:127.0.0.1', action: 'session.sign-in-failed' },
      { actor: 'user:wang', action: 'session.sign-out' },
    ]);
  });

  it('slows password guessing per address and locks the account after repeated failures from anywhere', async () => {
    await start({ TRUST_PROXY: '1' });
    await signIn(server, 'coordinator', { username: 'zhao' });
    const attempt = (password: string, ip: string) =>
      call(server, 'POST', '/api/v1/session', { body: { username: 'zhao', password }, headers: { 'x-forwarded-for': ip } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(`guess ${i}`, '10.0.0.1')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Spread over addresses, the guesses still lock the account; then even the right password waits.
    for (let i = 5; i < LOCK_AFTER_FAILURES; i++) expect((await attempt(`guess ${i}`, `10.0.1.${i}`)).status).toBe(401);
    const locked = await attempt(TEST_PASSWORD, '10.0.2.1');
    expect(locked).toMatchObject({ status: 429, body: { code: 'TOO_MANY_ATTEMPTS' } });
  });

  it('refuses a change without the session CSRF token or from another origin', async () => {
    await start();
    const admin = await signIn(server, 'admin');
    const other = await signIn(server, 'admin');
    const body = { name: 'Hall screen' };
    expect((await call(server, 'POST', '/api/v1/wall-links', { cookie: admin.cookie, body })).body.code).toBe('CSRF_FAILED');
    expect((await call(server, 'POST', '/api/v1/wall-links', { cookie: admin.cookie, csrf: other.csrf, body })).body.code).toBe('CSRF_FAILED');
    const crossSite = await call(server, 'POST', '/api/v1/wall-links', { cookie: admin.cookie, csrf: admin.csrf, body, headers: { origin: 'http://evil.example' } });
    expect(crossSite).toMatchObject({ status: 403, body: { code: 'CROSS_ORIGIN' } });
    expect((await server.app.store.pool.query('SELECT count(*)::int AS n FROM wall_links')).rows[0].n).toBe(0);
    expect((await admin.request('POST', '/api/v1/wall-links', body)).status).toBe(200);
  });

  it('opens a wall from a link, and refuses an expired, revoked or forged one', async () => {
    await start();
    const expired = await createLink(server, { expiresAt: new Date(Date.now() - 1000) });
    const valid = await createLink(server);
    const forged = `${valid.id}.${'A'.repeat(43)}`;
    for (const token of [expired.token, forged, 'nonsense']) {
      expect((await call(server, 'POST', '/api/v1/session/wall-link', { body: { token } })).body.code).toBe('WALL_LINK_INVALID');
    }
    const opened = await call(server, 'POST', '/api/v1/session/wall-link', { body: { token: valid.token } });
    const cookie = cookiesOf(opened.response);
    expect(opened.response.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await call(server, 'GET', '/config.json', { cookie })).status).toBe(200);

    const wall = await connectClient(server.url, cookie);
    expect((await wall.sync(null)).ok).toBe(true);
    const admin = await signIn(server, 'admin');
    expect((await admin.request('DELETE', `/api/v1/wall-links/${valid.id}`)).status).toBe(204);
    await waitFor(() => !wall.socket.connected);
    expect((await call(server, 'GET', '/config.json', { cookie })).status).toBe(401);
    expect((await call(server, 'POST', '/api/v1/session/wall-link', { body: { token: valid.token } })).status).toBe(401);
  });

  it('ends the sessions of a disabled account and of an expired session', async () => {
    await start();
    const admin = await signIn(server, 'admin');
    const leader = await signIn(server, 'leader', { username: 'chen' });
    const id = (await admin.request('GET', '/api/v1/users')).body.users.find((u: { username: string }) => u.username === 'chen').id;
    expect((await admin.request('PATCH', `/api/v1/users/${id}`, { disabled: true })).body.disabledAt).not.toBeNull();
    expect((await leader.request('GET', '/config.json')).status).toBe(401);

    const wall = await openWall(server);
    await server.app.store.pool.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE wall_link_id IS NOT NULL");
    expect((await wall.request('GET', '/config.json')).status).toBe(401);
  });

  it('sends security headers, and errors without internals, writing nothing', async () => {
    await start();
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const admin = await signIn(server, 'admin');
    await server.app.store.pool.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    const failed = await admin.request('POST', '/api/v1/wall-links', { name: 'Hall' });
    expect(failed).toMatchObject({ status: 500, body: { code: 'INTERNAL', message: 'internal error', details: [] } });
    expect(JSON.stringify(failed.body)).not.toMatch(/audit_log|at \w+ \(|\.ts:/);
    await server.app.store.pool.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    expect((await admin.request('GET', '/api/v1/wall-links')).body.links).toEqual([]);
  });
});
