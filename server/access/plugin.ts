/**
 * Access control for every HTTP route, in one onRequest hook: the route's rule (rules.ts) is
 * judged against the caller's session (a cookie) or, where the rule lets feeds in, a feed key.
 * Requests that change something under a cookie session must also come from this origin and
 * carry the session's CSRF token (@fastify/csrf-protection, bound to the session).
 *
 * Also here: the session cookie itself, and the server's signing secret for wall links.
 */
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, judge, type Principal } from '../domain/access.ts';
import { AppError } from '../errors.ts';
import { resolveSession } from '../store/sessions.ts';
import { signingSecret } from '../store/settings.ts';
import { routeRule } from './rules.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** who is signed in on this request's session, if anyone */
    principal: Principal | null;
    /** set when the request must pass the CSRF check */
    needsCsrf: boolean;
  }
  interface FastifyInstance {
    /** signs and checks wall links; the same for every server on this store */
    signingSecret: string;
    /** the principal behind a Cookie header, for socket handshakes */
    principalFromCookies(header: string | undefined): Promise<Principal | null>;
    /** every route registered after this plugin, as `METHOD /pattern` (the access test walks them) */
    routeList: string[];
  }
}

export const SESSION_COOKIE = 'xw_session';
const CSRF_COOKIE = 'xw_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: reply.request.protocol === 'https',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Who made a request, as the audit log names it: a signed-in principal or a feed key. */
export function requestActor(request: FastifyRequest): string {
  if (request.principal) return actorOf(request.principal);
  return request.feed ? `feed:${request.feed.id} ${request.feed.name}` : `anonymous:${request.ip}`;
}

/** A browser says where a request comes from; a change from another site is refused. */
function refuseCrossOrigin(request: FastifyRequest): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') throw new AppError('CROSS_ORIGIN');
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return;
  const host = URL.canParse(origin) ? new URL(origin).host : null;
  if (host !== request.host) throw new AppError('CROSS_ORIGIN');
}

async function access(app: FastifyInstance): Promise<void> {
  const secret = await signingSecret(app.store.pool);
  await app.register(cookie);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true },
    getUserInfo: (request: FastifyRequest) => request.principal?.sessionId ?? '',
    csrfOpts: { hmacKey: secret },
  });

  const principalOf = async (token: string | undefined) =>
    token ? resolveSession(app.store.pool, token).catch(() => null) : null;

  app.decorate('signingSecret', secret);
  app.decorate('principalFromCookies', (header: string | undefined) =>
    principalOf(header ? app.parseCookie(header)[SESSION_COOKIE] : undefined),
  );
  // A route without a rule would be refused to everyone at run time; refuse it at start instead.
  const routeList: string[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (!routeRule(method, route.url)) throw new Error(`no access rule for ${method} ${route.url} (add it to server/access/rules.ts)`);
      routeList.push(`${method} ${route.url}`);
    }
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('needsCsrf', false);

  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no route: the 404 handler answers
    const rule = routeRule(request.method, url);
    if (!rule) {
      request.log.error(`no access rule for ${request.method} ${url}`);
      throw new AppError('FORBIDDEN', [], `no access rule for ${request.method} ${url}`);
    }
    const unsafe = !SAFE_METHODS.has(request.method);
    if (unsafe) refuseCrossOrigin(request);
    if ('public' in rule) return;
    request.principal = await principalOf(request.cookies[SESSION_COOKIE]);
    const verdict = judge(rule, request.principal);
    if (verdict === 'feed') return app.authenticateFeed(request);
    if (verdict === 'unauthenticated') throw new AppError('UNAUTHORIZED');
    if (verdict === 'forbidden') throw new AppError('FORBIDDEN', [], `the ${request.principal!.role} role may not ${request.method} ${url}`);
    if (verdict === 'password-change-required') throw new AppError('PASSWORD_CHANGE_REQUIRED');
    request.needsCsrf = unsafe;
  });
  // Callback style: the plugin answers a failed check itself.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.needsCsrf) return done();
    app.csrfProtection(request, reply, done);
  });
}

export default fp(access, { name: 'access', dependencies: ['services', 'feed-auth'] });
