/**
 * The wall's session against the server's answers, as server/routes/session.ts gives them:
 * a fake fetch answers each request from a script, and records what the page sent.
 */
import { describe, expect, it } from 'vitest';
import { Api, type Me } from './api.ts';
import {
  REFUSED_RETRY_MS,
  START_RETRY_MS,
  WallSession,
  linkToken,
  loginUrl,
  safeNext,
  sessionInfo,
  signOut,
  pathWithLang,
  type Place,
} from './session.ts';

const TOKEN = '0123456789ab.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const wallMe: Me = { kind: 'wall-link', name: 'Lobby screen', role: 'wall', subdistrict: '110102012', mustChangePassword: false, csrfToken: 'csrf-wall' };
const userMe: Me = { kind: 'user', name: 'duty1', role: 'operator', subdistrict: null, mustChangePassword: false, csrfToken: 'csrf-user' };

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status: number; body?: unknown } | 'network-down';

/** A fetch that answers `METHOD path` from a script, one answer per call, in order. */
function fakeServer(script: Record<string, Answer[]>) {
  const sent: Sent[] = [];
  const fetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const method = init.method ?? 'GET';
    sent.push({
      method,
      path,
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const answer = script[`${method} ${path}`]?.shift();
    if (answer === undefined) throw new Error(`the script has no answer for ${method} ${path}`);
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    if (answer.status === 204) return new Response(null, { status: 204 });
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return { api: new Api(fetch), sent };
}

function error(status: number, code: string, message = code) {
  return { status, body: { statusCode: status, code, error: code, message, details: [] } };
}

function place(pathname: string, search = '', hash = ''): Place {
  return { pathname, search, hash };
}

describe('wall start-up', () => {
  it('exchanges a #link= token for a wall-link session, and keeps it for later changes', async () => {
    const { api, sent } = fakeServer({ 'POST /api/v1/session/wall-link': [{ status: 200, body: wallMe }], 'DELETE /api/v1/session': [{ status: 204 }] });
    const session = new WallSession(api, place('/', '', `#link=${TOKEN}`));
    expect(await session.start()).toEqual({ kind: 'ready', me: wallMe });
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/v1/session/wall-link', body: { token: TOKEN } });
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(session.me).toEqual(wallMe);
    await signOut(api);
    expect(sent[1]?.headers['x-csrf-token']).toBe('csrf-wall');
  });

  it('shows the revoked message for a link the server refuses', async () => {
    const { api } = fakeServer({ 'POST /api/v1/session/wall-link': [error(401, 'WALL_LINK_INVALID')] });
    expect(await new WallSession(api, place('/', '', `#link=${TOKEN}`)).start()).toEqual({ kind: 'revoked' });
  });

  it('asks the cookie who is signed in when there is no link', async () => {
    const { api, sent } = fakeServer({ 'GET /api/v1/session': [{ status: 200, body: userMe }] });
    expect(await new WallSession(api, place('/')).start()).toEqual({ kind: 'ready', me: userMe });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/v1/session']);
    expect(sent[0]?.headers['content-type']).toBeUndefined();
  });

  it('sends someone not signed in to sign in, coming back to this page and language', async () => {
    const { api } = fakeServer({ 'GET /api/v1/session': [error(401, 'UNAUTHORIZED')] });
    const outcome = await new WallSession(api, place('/', '?lang=en')).start();
    expect(outcome).toEqual({ kind: 'go', to: `/login?next=${encodeURIComponent('/?lang=en')}&lang=en` });
  });

  it('sends an account on a one-time password to sign in, which asks for a new one', async () => {
    const { api } = fakeServer({ 'GET /api/v1/session': [{ status: 200, body: { ...userMe, mustChangePassword: true } }] });
    const session = new WallSession(api, place('/'));
    expect(await session.start()).toEqual({ kind: 'go', to: '/login?next=%2F' });
    expect(session.me).toBeNull();
  });

  it('tries again later when the server cannot be reached', async () => {
    const { api } = fakeServer({ 'GET /api/v1/session': ['network-down'], 'POST /api/v1/session/wall-link': [error(503, 'STORE_UNAVAILABLE')] });
    expect(await new WallSession(api, place('/')).start()).toEqual({ kind: 'retry', afterMs: START_RETRY_MS });
    expect(await new WallSession(api, place('/', '', `#link=${TOKEN}`)).start()).toEqual({ kind: 'retry', afterMs: START_RETRY_MS });
  });
});

describe('wall recovery when the socket is refused', () => {
  it('exchanges the link again once, and reconnects', async () => {
    const renewed = { ...wallMe, csrfToken: 'csrf-2' };
    const { api, sent } = fakeServer({
      'POST /api/v1/session/wall-link': [
        { status: 200, body: wallMe },
        { status: 200, body: renewed },
        { status: 200, body: renewed },
      ],
    });
    const session = new WallSession(api, place('/', '', `#link=${TOKEN}`));
    await session.start();
    expect(await session.recover('UNAUTHORIZED')).toEqual({ kind: 'ready', me: renewed });
    // Refused again before the socket was ever live: no loop of exchanges, a pause instead.
    expect(await session.recover('UNAUTHORIZED')).toEqual({ kind: 'retry', afterMs: REFUSED_RETRY_MS });
    expect(sent.length).toBe(2);
    // After the pause the link may be exchanged again.
    expect((await session.recover('UNAUTHORIZED')).kind).toBe('ready');
    expect(sent.length).toBe(3);
  });

  it('exchanges the link again after every live period', async () => {
    const { api, sent } = fakeServer({ 'POST /api/v1/session/wall-link': [{ status: 200, body: wallMe }, { status: 200, body: wallMe }, { status: 200, body: wallMe }] });
    const session = new WallSession(api, place('/', '', `#link=${TOKEN}`));
    await session.start();
    expect((await session.recover('UNAUTHORIZED')).kind).toBe('ready');
    session.connected();
    expect((await session.recover('UNAUTHORIZED')).kind).toBe('ready');
    expect(sent.length).toBe(3);
  });

  it('shows the revoked message when the link no longer opens a session', async () => {
    const { api } = fakeServer({ 'POST /api/v1/session/wall-link': [{ status: 200, body: wallMe }, error(401, 'WALL_LINK_INVALID')] });
    const session = new WallSession(api, place('/', '?lang=en', `#link=${TOKEN}`));
    await session.start();
    expect(await session.recover('UNAUTHORIZED')).toEqual({ kind: 'revoked' });
    expect(session.me).toBeNull();
  });

  it('sends a signed-in user whose session ended to sign in', async () => {
    const { api, sent } = fakeServer({ 'GET /api/v1/session': [{ status: 200, body: userMe }] });
    const session = new WallSession(api, place('/', '?lang=en'));
    await session.start();
    expect(await session.recover('UNAUTHORIZED')).toEqual({ kind: 'go', to: `/login?next=${encodeURIComponent('/?lang=en')}&lang=en` });
    expect(sent.length).toBe(1);
  });

  it('sends an account that must change its password to sign in, link or not', async () => {
    const { api } = fakeServer({});
    expect(await new WallSession(api, place('/')).recover('PASSWORD_CHANGE_REQUIRED')).toEqual({ kind: 'go', to: '/login?next=%2F' });
  });

  it('waits and reconnects after a refusal it cannot act on', async () => {
    const { api, sent } = fakeServer({});
    expect(await new WallSession(api, place('/', '', `#link=${TOKEN}`)).recover('SOMETHING_NEW')).toEqual({ kind: 'retry', afterMs: REFUSED_RETRY_MS });
    expect(sent).toEqual([]);
  });
});

describe('addresses', () => {
  it('reads the link token from the hash', () => {
    expect(linkToken(`#link=${TOKEN}`)).toBe(TOKEN);
    expect(linkToken(`#lang=en&link=${TOKEN}`)).toBe(TOKEN);
    expect(linkToken('#link=')).toBeNull();
    expect(linkToken('')).toBeNull();
  });

  it('lets only same-origin paths through as next', () => {
    expect(safeNext('/')).toBe('/');
    expect(safeNext('/admin')).toBe('/admin');
    expect(safeNext('/?lang=en')).toBe('/?lang=en');
    for (const bad of [null, '', 'https://evil.example/', '//evil.example/', '/\\evil.example', '\\/evil.example', '/\t/evil.example', 'javascript:alert(1)', 'admin', '/login', '/login?next=/admin']) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });

  it('keeps the language across pages', () => {
    expect(pathWithLang('/admin', 'en')).toBe('/admin?lang=en');
    expect(pathWithLang('/?lang=en', 'en')).toBe('/?lang=en');
    expect(pathWithLang('/?lang=en', 'zh')).toBe('/');
    expect(pathWithLang('/login?next=%2F', 'en')).toBe('/login?next=%2F&lang=en');
    expect(loginUrl({ pathname: '/admin', search: '' })).toBe('/login?next=%2Fadmin');
  });

  it('shows a session without its CSRF token', () => {
    expect(sessionInfo(userMe)).toEqual({ kind: 'user', name: 'duty1', role: 'operator', subdistrict: null, mustChangePassword: false });
  });
});
