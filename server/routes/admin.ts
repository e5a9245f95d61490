/**
 * Administration, for the admin role only (access/rules.ts): user accounts, wall links for
 * screens, feed keys, and the audit log. Every change is written to the audit log in the same
 * transaction. Passwords of new or reset accounts and tokens of new keys appear in the answer
 * once and are never readable again.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  AuditPage,
  AuditQuery,
  FeedKeyCreated,
  FeedKeys,
  IdParam,
  NewFeedKey,
  NewUser,
  NewWallLink,
  UserChange,
  Users,
  UserWithPassword,
  User,
  WallLink,
  WallLinks,
} from '../contract/access.ts';
import { ErrorBody } from '../contract/ingest.ts';
import { actorOf } from '../domain/access.ts';
import { wallLinkUrl } from '../domain/tokens.ts';
import { AppError } from '../errors.ts';
import { audit, readAudit } from '../store/audit.ts';
import { createFeedKey, listFeedKeys, revokeFeedKey } from '../store/keys.ts';
import { closeUserSessions } from '../store/sessions.ts';
import { findUser, listUsers, updateUser } from '../store/users.ts';
import { listWallLinks, type WallLink as StoredLink } from '../store/wall-links.ts';
import { createAccount, createLink, resetPassword, revokeLink } from '../access/accounts.ts';

const tags = ['admin'];
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const schema = <S extends object>(summary: string, parts: S) => ({ schema: { summary, tags, ...parts } });

/** Where this server is reached, as the admin's browser sees it (or PUBLIC_URL). */
function publicBase(request: FastifyRequest, configured: string | null): string {
  return configured ?? `${request.protocol}://${request.host}`;
}

const admin: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app;
  const actor = (request: FastifyRequest) => actorOf(request.principal!);
  const notFound = (what: string, id: string) => new AppError('NOT_FOUND', [{ path: '/id', message: `no ${what} "${id}"` }]);

  app.get('/users', schema('List user accounts', { response: { 200: Users, ...errors } }), async () => ({ users: await listUsers(store.pool) }));

  app.post('/users', schema('Create a user account with a one-time password', { body: NewUser, response: { 200: UserWithPassword, ...errors } }), async (request) => {
    return store.transaction(async (tx) => {
      const created = await createAccount(tx, { ...request.body, subdistrict: request.body.subdistrict ?? null }, actor(request));
      if (!created) throw new AppError('USERNAME_TAKEN', [{ path: '/username', message: `"${request.body.username}" is taken` }]);
      return created;
    });
  });

  app.patch('/users/:id', schema('Change a role, scope, or disable an account', { params: IdParam, body: UserChange, response: { 200: User, ...errors } }), async (request) => {
    const { id } = request.params;
    if (id === request.principal!.id && (request.body.disabled || (request.body.role && request.body.role !== 'admin'))) {
      throw new AppError('FORBIDDEN', [{ path: '/id', message: 'an admin may not disable or demote their own account' }]);
    }
    const user = await store.transaction(async (tx) => {
      const changed = await updateUser(tx, id, request.body);
      if (!changed) throw notFound('user', id);
      // New rights take effect at the next sign-in; the sessions with the old ones end now.
      await closeUserSessions(tx, id);
      await audit(tx, actor(request), 'user.changed', changed.username, request.body);
      return changed;
    });
    app.live.disconnect((p) => p.kind === 'user' && p.id === id);
    return user;
  });

  app.post('/users/:id/password', schema('Reset a password to a new one-time password', { params: IdParam, response: { 200: UserWithPassword, ...errors } }), async (request) => {
    const reset = await store.transaction(async (tx) => {
      const found = await findUser(tx, request.params.id);
      if (!found) throw notFound('user', request.params.id);
      return { user: { ...found, mustChangePassword: true }, password: await resetPassword(tx, found, actor(request)) };
    });
    app.live.disconnect((p) => p.kind === 'user' && p.id === reset.user.id);
    return reset;
  });

  const withUrl = (request: FastifyRequest, link: StoredLink) => ({
    ...link,
    url: wallLinkUrl(publicBase(request, app.config.publicUrl), link.id, app.signingSecret),
  });

  app.get('/wall-links', schema('List wall links', { response: { 200: WallLinks, ...errors } }), async (request) => ({
    links: (await listWallLinks(store.pool)).map((link) => withUrl(request, link)),
  }));

  app.post('/wall-links', schema('Create a read-only wall link for a screen', { body: NewWallLink, response: { 200: WallLink, ...errors } }), async (request) => {
    const { name, subdistrict = null, expiresInDays } = request.body;
    const expiresAt = expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
    const link = await store.transaction((tx) => createLink(tx, { name, subdistrict, expiresAt }, actor(request)));
    return withUrl(request, link);
  });

  app.delete('/wall-links/:id', schema('Revoke a wall link; its screens go dark at once', { params: IdParam, response: { 204: Type.Null(), ...errors } }), async (request, reply) => {
    const { id } = request.params;
    await store.transaction(async (tx) => {
      if (!(await revokeLink(tx, id, actor(request)))) throw notFound('active wall link', id);
    });
    app.live.disconnect((p) => p.kind === 'wall-link' && p.id === id);
    return reply.code(204).send(null);
  });

  app.get('/feed-keys', schema('List feed keys', { response: { 200: FeedKeys, ...errors } }), async () => ({ keys: await listFeedKeys(store.pool) }));

  app.post('/feed-keys', schema('Create a feed key', { body: NewFeedKey, response: { 200: FeedKeyCreated, ...errors } }), async (request) =>
    store.transaction(async (tx) => {
      const created = await createFeedKey(tx, request.body);
      await audit(tx, actor(request), 'feed-key.created', created.key.id, { name: created.key.name });
      return created;
    }),
  );

  app.delete('/feed-keys/:id', schema('Revoke a feed key', { params: IdParam, response: { 204: Type.Null(), ...errors } }), async (request, reply) => {
    const { id } = request.params;
    await store.transaction(async (tx) => {
      if (!(await revokeFeedKey(tx, id))) throw notFound('active feed key', id);
      await audit(tx, actor(request), 'feed-key.revoked', id);
    });
    app.forgetFeedKey(id);
    return reply.code(204).send(null);
  });

  app.get('/audit', schema('Read the audit log, newest first', { querystring: AuditQuery, response: { 200: AuditPage, ...errors } }), async (request) => ({
    entries: await readAudit(store.pool, Number(request.query.limit ?? 100), request.query.before ?? null),
  }));
};

export default admin;
