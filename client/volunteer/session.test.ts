/**
 * The volunteer page's session against the server's answers (POST /api/v1/session/volunteer-link
 * as server/routes/session.ts gives it): a fake fetch answers each request from a script.
 */
import { describe, expect, it } from 'vitest';
import { Api, type Me } from '../api.ts';
import { RELINK_PAUSE_MS, START_RETRY_MS, VOLUNTEER_LINK_PATH, VolunteerSession } from './session.ts';

const TOKEN = 'v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const HASH = `#link=${TOKEN}`;

const volunteerMe: Me = { kind: 'volunteer-link', name: '测试甲', role: 'volunteer', subdistrict: null, mustChangePassword: false, csrfToken: 'csrf-v' };
const coordinatorMe: Me = { kind: 'user', name: 'coord', role: 'coordinator', subdistrict: null, mustChangePassword: false, csrfToken: 'csrf-c' };

type Answer = { status: number; body?: unknown } | 'network-down';

function fakeServer(script: Record<string, Answer[]>) {
  const sent: Array<{ method: string; path: string; headers: Record<string, string>; body: unknown }> = [];
  const fetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    sent.push({ method, path, headers: { ...(init.headers as Record<string, string>) }, body });
    const answer = script[`${method} ${path}`]?.shift();
    if (answer === undefined) throw new Error(`the script has no answer for ${method} ${path}`);
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return { api: new Api(fetch), sent };
}

const refused = (status: number, code: string) => ({ status, body: { statusCode: status, code, error: code, message: code } });

describe('volunteer start-up', () => {
  it('exchanges the #link= token, and later changes carry the session CSRF token', async () => {
    const { api, sent } = fakeServer({
      [`POST ${VOLUNTEER_LINK_PATH}`]: [{ status: 200, body: volunteerMe }],
      'POST /api/v1/me/duty': [{ status: 200, body: {} }],
    });
    expect(await new VolunteerSession(api, HASH).start()).toEqual({ kind: 'ready', me: volunteerMe });
    expect(sent[0]).toMatchObject({ method: 'POST', path: VOLUNTEER_LINK_PATH, body: { token: TOKEN } });
    await api.post('/api/v1/me/duty', { onDuty: true });
    expect(sent[1]?.headers['x-csrf-token']).toBe('csrf-v');
  });

  it('says a refused or unreadable link no longer works', async () => {
    for (const answer of [refused(401, 'VOLUNTEER_LINK_INVALID'), refused(400, 'VALIDATION_FAILED')]) {
      const { api } = fakeServer({ [`POST ${VOLUNTEER_LINK_PATH}`]: [answer] });
      expect(await new VolunteerSession(api, HASH).start()).toEqual({ kind: 'revoked' });
    }
  });

  it('tries again later when the server cannot be reached or is busy', async () => {
    const down = fakeServer({ [`POST ${VOLUNTEER_LINK_PATH}`]: ['network-down'] });
    expect(await new VolunteerSession(down.api, HASH).start()).toEqual({ kind: 'retry', afterMs: START_RETRY_MS });
    const busy = fakeServer({ [`POST ${VOLUNTEER_LINK_PATH}`]: [refused(429, 'TOO_MANY_ATTEMPTS')] });
    expect(await new VolunteerSession(busy.api, HASH).start()).toEqual({ kind: 'retry', afterMs: RELINK_PAUSE_MS });
  });

  it('without a link, goes on with a volunteer session and asks anyone else for the link', async () => {
    const held = fakeServer({ 'GET /api/v1/session': [{ status: 200, body: volunteerMe }] });
    expect(await new VolunteerSession(held.api, '').start()).toEqual({ kind: 'ready', me: volunteerMe });
    const other = fakeServer({ 'GET /api/v1/session': [{ status: 200, body: coordinatorMe }] });
    expect(await new VolunteerSession(other.api, '').start()).toEqual({ kind: 'no-link' });
    const nobody = fakeServer({ 'GET /api/v1/session': [refused(401, 'UNAUTHORIZED')] });
    expect(await new VolunteerSession(nobody.api, '#other=1').start()).toEqual({ kind: 'no-link' });
  });
});

describe('volunteer recovery', () => {
  it('exchanges the link again when the session ended, but not twice in a row', async () => {
    let now = 0;
    const { api, sent } = fakeServer({ [`POST ${VOLUNTEER_LINK_PATH}`]: [{ status: 200, body: volunteerMe }, { status: 200, body: volunteerMe }] });
    const session = new VolunteerSession(api, HASH, () => now);
    await session.start();
    now += RELINK_PAUSE_MS - 1;
    expect(await session.recover()).toEqual({ kind: 'retry', afterMs: RELINK_PAUSE_MS });
    now += 1;
    expect(await session.recover()).toEqual({ kind: 'ready', me: volunteerMe });
    expect(sent).toHaveLength(2);
  });

  it('without a link has nothing to recover with', async () => {
    const { api } = fakeServer({});
    expect(await new VolunteerSession(api, '').recover()).toEqual({ kind: 'no-link' });
  });
});
