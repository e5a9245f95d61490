/**
 * Signing in and out. `POST /api/v1/session` checks a username and password (rate-limited per
 * address and username; an account locks after repeated failures) and sets the session cookie;
 * `POST /api/v1/session/wall-link` does the same for a screen holding a signed wall link, and
 * `/session/volunteer-link` for a volunteer's phone holding a personal link.
 * `GET` says who is signed in and hands out the CSRF token; `DELETE` signs out; `PUT
 * /password` replaces a password (the first thing a new account must do).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody } from '../contract/ingest.ts';
import { Login, Me, PasswordChange, WallLinkOpen } from '../contract/access.ts';
import { actorOf, type Principal } from '../domain/access.ts';
import { DECOY_HASH, hashPassword, passwordProblem, verifyPassword } from '../domain/passwords.ts';
import { verifyWallLink } from '../domain/tokens.ts';
import { AppError } from '../errors.ts';
import { clearSessionCookie, requestActor, setSessionCookie } from '../access/plugin.ts';
import { audit } from '../store/audit.ts';
import { closeSession, closeUserSessions, openSession } from '../store/sessions.ts';
import { findCredentials, passwordHashOf, recordFailedLogin, recordSuccessfulLogin, setPassword } from '../store/users.ts';
import { findUsableVolunteerLink, volunteerPrincipal } from '../store/volunteer-links.ts';
import { findUsableWallLink } from '../store/wall-links.ts';

/** A screen's session lasts this long at most; it reopens itself from its link. */
const WALL_SESSION_DAYS = 30;
/** A volunteer's phone keeps its page open as long; the link opens it again. */
const VOLUNTEER_SESSION_DAYS = 30;
const tags = ['session'];
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** Guessing passwords: a few tries a minute per address and username. */
const signInLimit = {
  hook: 'preHandler' as const,
  max: 5,
  timeWindow: 60_000,
  keyGenerator: (request: FastifyRequest) => {
    const body = request.body as { username?: unknown } | undefined;
    return `${request.ip}|${String(body?.username ?? '').toLowerCase()}`;
  },
  errorResponseBuilder: () => new AppError('TOO_MANY_ATTEMPTS'),
};
const wallLinkLimit = { ...signInLimit, max: 30, keyGenerator: (request: FastifyRequest) => request.ip };

const session: FastifyPluginAsyncTypebox = async (app) => {
  const pool = app.store.pool;

  function me(principal: Principal, reply: FastifyReply): Me {
    const { kind, name, role, subdistrict, mustChangePassword } = principal;
    return { kind, name, role, subdistrict, mustChangePassword, csrfToken: reply.generateCsrf({ userInfo: principal.sessionId }) };
  }

  app.post(
    '/session',
    { schema: { body: Login, response: { 200: Me, ...errors }, summary: 'Sign in', tags }, config: { rateLimit: signInLimit } },
    async (request, reply) => {
      const { username, password } = request.body;
      const found = await findCredentials(pool, username);
      // Always pay for one hash, so an unknown username answers as slowly as a wrong password.
      const matches = await verifyPassword(password, found?.passwordHash ?? DECOY_HASH);
      if (found && found.lockedUntil !== null && found.lockedUntil > new Date()) throw new AppError('TOO_MANY_ATTEMPTS');
      if (!found || !matches) {
        if (found) await recordFailedLogin(pool, found.user.id);
        await audit(pool, requestActor(request), 'session.sign-in-failed', username);
        throw new AppError('LOGIN_FAILED');
      }
      await recordSuccessfulLogin(pool, found.user.id);
      const expiresAt = new Date(Date.now() + app.config.sessionHours * 3_600_000);
      const opened = await openSession(pool, { userId: found.user.id }, expiresAt);
      await audit(pool, `user:${username}`, 'session.sign-in', null, { ip: request.ip });
      setSessionCookie(reply, opened.token, expiresAt);
      const { user } = found;
      return me({ kind: 'user', id: user.id, name: user.username, role: user.role, subdistrict: user.subdistrict, mustChangePassword: user.mustChangePassword, sessionId: opened.id }, reply);
    },
  );

  app.post(
    '/session/wall-link',
    { schema: { body: WallLinkOpen, response: { 200: Me, ...errors }, summary: 'Open a screen with a wall link', tags }, config: { rateLimit: wallLinkLimit } },
    async (request, reply) => {
      const id = verifyWallLink(request.body.token, app.signingSecret);
      const link = id === null ? null : await findUsableWallLink(pool, id);
      if (!link) throw new AppError('WALL_LINK_INVALID');
      const longest = Date.now() + WALL_SESSION_DAYS * 86_400_000;
      const expiresAt = new Date(link.expiresAt ? Math.min(Date.parse(link.expiresAt), longest) : longest);
      const opened = await openSession(pool, { wallLinkId: link.id }, expiresAt);
      await audit(pool, `wall-link:${link.id}`, 'session.wall-opened', link.name, { ip: request.ip });
      setSessionCookie(reply, opened.token, expiresAt);
      return me({ kind: 'wall-link', id: link.id, name: link.name, role: 'wall', subdistrict: link.subdistrict, mustChangePassword: false, sessionId: opened.id }, reply);
    },
  );

  app.post(
    '/session/volunteer-link',
    { schema: { body: WallLinkOpen, response: { 200: Me, ...errors }, summary: 'Open a volunteer’s own page with a personal link', tags }, config: { rateLimit: wallLinkLimit } },
    async (request, reply) => {
      const id = verifyWallLink(request.body.token, app.signingSecret, 'volunteer-link');
      const link = id === null ? null : await findUsableVolunteerLink(pool, id);
      const principal = link && (await volunteerPrincipal(pool, link.volunteerId));
      if (!link || !principal) throw new AppError('WALL_LINK_INVALID');
      const expiresAt = new Date(Date.now() + VOLUNTEER_SESSION_DAYS * 86_400_000);
      const opened = await openSession(pool, { volunteerLinkId: link.id }, expiresAt);
      await audit(pool, `volunteer:${link.volunteerId}`, 'session.volunteer-opened', null, { ip: request.ip });
      setSessionCookie(reply, opened.token, expiresAt);
      return me({ ...principal, sessionId: opened.id }, reply);
    },
  );

  app.get('/session', { schema: { response: { 200: Me, ...errors }, summary: 'Who is signed in, and the CSRF token', tags } }, async (request, reply) =>
    me(request.principal!, reply),
  );

  app.delete('/session', { schema: { response: { 204: Type.Null(), ...errors }, summary: 'Sign out', tags } }, async (request, reply) => {
    const principal = request.principal!;
    await closeSession(pool, principal.sessionId);
    await audit(pool, actorOf(principal), 'session.sign-out');
    app.live.disconnect((p) => p.sessionId === principal.sessionId);
    clearSessionCookie(reply);
    return reply.code(204).send(null);
  });

  app.put(
    '/session/password',
    { schema: { body: PasswordChange, response: { 200: Me, ...errors }, summary: 'Replace your password', tags } },
    async (request, reply) => {
      const principal = request.principal!;
      const stored = await passwordHashOf(pool, principal.id);
      if (stored === null || !(await verifyPassword(request.body.current, stored))) {
        throw new AppError('LOGIN_FAILED', [{ path: '/current', message: 'is not your current password' }]);
      }
      const problem = passwordProblem(request.body.next, principal.name) ?? (request.body.next === request.body.current ? 'the new password must differ from the current one' : null);
      if (problem) throw new AppError('WEAK_PASSWORD', [{ path: '/next', message: problem }]);
      await app.store.transaction(async (tx) => {
        await setPassword(tx, principal.id, await hashPassword(request.body.next), false);
        await closeUserSessions(tx, principal.id, principal.sessionId);
        await audit(tx, actorOf(principal), 'user.password-changed', principal.name);
      });
      app.live.disconnect((p) => p.kind === 'user' && p.id === principal.id && p.sessionId !== principal.sessionId);
      return me({ ...principal, mustChangePassword: false }, reply);
    },
  );
};

export default session;
