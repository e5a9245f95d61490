/**
 * Who is feeding: an ingestion request without a session names its feed key, as `Authorization: Bearer <key>`,
 * an `X-Api-Key` header, HTTP basic auth with the key as password (OwnTracks), or a `key` query
 * parameter (Traccar Client can only change its server URL). No key, a malformed, wrong or
 * revoked key: 401, before anything is read or written. A key marked as a simulator makes the
 * wall show 模拟数据 while it feeds.
 *
 * Verified keys are cached for KEY_CACHE_MS so a busy feed does not cost a query per request; a
 * key revoked from another process stops working within that time, one revoked here at once.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseToken, secretMatches } from '../domain/keys.ts';
import { AppError } from '../errors.ts';
import { findActiveKey, type FeedKey } from '../store/keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the verified feed key of a request that came in by one (see access/plugin.ts), else null */
    feed: FeedKey | null;
  }
  interface FastifyInstance {
    /** verifies the request's feed key (access/plugin.ts calls it where a rule lets feeds in) */
    authenticateFeed(request: FastifyRequest): Promise<void>;
    /** forget cached verifications of a key (after revoking it) */
    forgetFeedKey(id: string): void;
  }
}

export const KEY_CACHE_MS = 5_000;

/** HTTP basic auth's user and password (all of it the password when there is no colon). */
export function basicCredentials(authorization: string | undefined): { user: string; password: string } | null {
  if (!authorization?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { user: colon < 0 ? '' : decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function presentedToken(request: FastifyRequest): string | null {
  const { authorization } = request.headers;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7);
  const basic = basicCredentials(authorization);
  if (basic) return basic.password;
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.key === 'string' ? query.key : null;
}

async function auth(app: FastifyInstance): Promise<void> {
  const verified = new Map<string, { key: FeedKey; until: number }>();

  async function verify(token: string): Promise<FeedKey | null> {
    const cached = verified.get(token);
    if (cached && cached.until > Date.now()) return cached.key;
    const parsed = parseToken(token);
    if (!parsed) return null;
    const found = await findActiveKey(app.store.pool, parsed.id);
    if (!found || !secretMatches(parsed.secret, found.secretSha256)) return null;
    const { secretSha256: _hash, ...key } = found;
    verified.set(token, { key, until: Date.now() + KEY_CACHE_MS });
    return key;
  }

  app.decorateRequest('feed', null);
  app.decorate('authenticateFeed', async (request: FastifyRequest) => {
    const token = presentedToken(request);
    if (token === null) throw new AppError('UNAUTHORIZED', [], 'a feed key is required (Authorization: Bearer <key>)');
    const key = await verify(token);
    if (!key) throw new AppError('UNAUTHORIZED', [], 'the feed key is unknown or revoked');
    request.feed = key;
    // Whatever route a simulator's key feeds, the wall must say 模拟数据.
    if (key.simulated) app.live.noteSimulatedFeed();
  });
  app.decorate('forgetFeedKey', (id: string) => {
    for (const [token, entry] of verified) if (entry.key.id === id) verified.delete(token);
  });
}

export default fp(auth, { name: 'feed-auth', dependencies: ['services'] });
