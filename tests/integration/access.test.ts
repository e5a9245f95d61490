/**
 * Every route and every socket command against every kind of caller, driven by the one rule
 * table (server/access/rules.ts) and the routes the real server registered: a route added
 * without a rule stops the server at start, and each rule is checked here by real requests —
 * anonymous and feed-key callers get 401 where they may not come, signed-in roles get 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES, SOCKET_RULES, routeRule } from '../../server/access/rules.ts';
import { ROLES, USER_ROLES, judge, type Principal, type Role } from '../../server/domain/access.ts';
import { buildApp } from '../../server/app.ts';
import { configFrom } from '../../server/config.ts';
import { createTestStore, startServer, type TestServer } from '../support/server.ts';
import type { ClientToServerEvents } from '../../server/contract/live.ts';
import { teams, volunteers } from '../support/fixtures.ts';
import { post } from '../support/server.ts';
import { call, openVolunteerPage, openWall, signIn, type Session } from '../support/sessions.ts';
import { connectClient } from '../support/socket.ts';

type Caller = 'anonymous' | 'feed' | Role;
const CALLERS: Caller[] = ['anonymous', 'feed', ...ROLES];

/** A concrete path for a route pattern. */
function pathOf(pattern: string): string {
  if (pattern === '/geo/*') return '/geo/xicheng_subdistricts_osm_wgs84.geojson';
  if (pattern === '/docs/static/*') return '/docs/static/index.html';
  if (pattern === '/*') return '/index.html';
  return pattern.replace(/:\w+/g, '0');
}

function expectedDenial(rule: NonNullable<ReturnType<typeof routeRule>>, caller: Caller): 401 | 403 | null {
  if ('public' in rule) return null;
  if (caller === 'anonymous') return 401;
  if (caller === 'feed') return rule.feed ? null : 401;
  const principal = { role: caller, mustChangePassword: false } as Principal;
  return judge(rule, principal) === 'allow' ? null : 403;
}

describe('access: every route and command, every caller', () => {
  let server: TestServer;
  const sessions = new Map<Role, Session>();

  beforeAll(async () => {
    server = await startServer(await createTestStore('postgresql'));
    for (const role of USER_ROLES) sessions.set(role, await signIn(server, role));
    sessions.set('wall', await openWall(server));
    await post(server, '/api/v1/teams', { items: teams() });
    await post(server, '/api/v1/volunteers', { items: volunteers() });
    sessions.set('volunteer', await openVolunteerPage(server, volunteers()[0]!.id));
  });
  afterAll(async () => server?.dispose());

  async function requestAs(caller: Caller, method: string, path: string) {
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
    if (caller === 'anonymous') return call(server, method, path, { body });
    if (caller === 'feed') return call(server, method, path, { body, headers: { authorization: `Bearer ${server.token}` } });
    // Signing out ends the session: use a fresh one for that route.
    const session = method === 'DELETE' && path === '/api/v1/session' ? await freshSession(caller) : sessions.get(caller)!;
    return call(server, method, path, { body, cookie: session.cookie, csrf: session.csrf });
  }

  async function freshSession(role: Role): Promise<Session> {
    if (role === 'wall') return openWall(server);
    // A new personal link revokes the volunteer's previous one: fresh pages are another volunteer's.
    if (role === 'volunteer') return openVolunteerPage(server, volunteers()[1]!.id);
    return signIn(server, role);
  }

  it('has a rule for every registered route', () => {
    const routes = server.app.routeList;
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((route) => !routeRule(...(route.split(' ') as [string, string])))).toEqual([]);
  });

  it('refuses to start with a route that has no rule', async () => {
    const store = await createTestStore('postgresql');
    const app = await buildApp(configFrom({ PORT: '0', SIMULATE: '0', ...store.env }));
    try {
      await expect(app.register(async (scope) => void scope.get('/api/v1/secret', async () => 'open'))).rejects.toThrow(
        /no access rule for GET \/api\/v1\/secret/,
      );
    } finally {
      await app.close().catch(() => undefined);
      await store.dispose();
    }
  });

  it('answers each route for each caller as the table says', async () => {
    const wrong: string[] = [];
    for (const route of server.app.routeList.filter((r) => !r.startsWith('HEAD '))) {
      const [method, pattern] = route.split(' ') as [string, string];
      const rule = routeRule(method, pattern)!;
      for (const caller of CALLERS) {
        const { status, body } = await requestAs(caller, method, pathOf(pattern));
        const denial = expectedDenial(rule, caller);
        const ok = denial === null ? status !== 401 && status !== 403 : status === denial;
        if (!ok) wrong.push(`${caller} ${route}: expected ${denial ?? 'access'}, got ${status} ${JSON.stringify(body).slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets only rules that name a route stand in the table, besides the optional basemap and the not-built line', () => {
    // HEAD routes follow their GET's rule (Fastify adds `HEAD /docs/` beside `GET /docs`).
    const registered = new Set(server.app.routeList.map((route) => route.replace(/^HEAD /, 'GET ')));
    const unused = Object.keys(ROUTE_RULES).filter((key) => !registered.has(key) && key !== 'GET /basemap/*' && key !== 'GET /');
    expect(unused).toEqual([]);
  });

  it('accepts a socket only with a session, and each command by role', async () => {
    const anonymous = connectClient(server.url, '');
    await expect(anonymous).rejects.toThrow('UNAUTHORIZED');
    for (const role of ROLES) {
      const client = await connectClient(server.url, (await freshSession(role)).cookie);
      try {
        for (const [event, roles] of Object.entries(SOCKET_RULES) as Array<[keyof ClientToServerEvents, readonly Role[]]>) {
          // A well-formed command about nothing: allowed roles get past the rule (to NOT_FOUND or an answer).
          const request = { since: null, incident: 'none', team: 'none', assignment: '0', version: 0 };
          const result = (await client.socket.timeout(10_000).emitWithAck(event as 'live:sync', request)) as { ok: boolean; error?: { code: string } };
          const passedTheRule = result.ok || result.error?.code !== 'FORBIDDEN';
          expect(passedTheRule, `${role} ${event}`).toBe(roles.includes(role));
        }
      } finally {
        client.close();
      }
    }
  });
});
