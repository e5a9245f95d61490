/**
 * What every feed route shares, whatever its wire format (routes.ts: the /api/v1 batches;
 * phones.ts: the phone apps): the feed key in the OpenAPI document, the error responses, a rate
 * limit per feed key, and points from a GCJ-02 feed converted to WGS-84 at the edge. The key
 * itself is checked by the access hook (access/plugin.ts calls `app.authenticateFeed`) before
 * anything is read; the rate limit counts requests per verified key or per session.
 */
import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { ErrorBody } from '../contract/ingest.ts';
import { toWgs84 } from '../domain/coordinates.ts';
import { AppError } from '../errors.ts';
import type { FeedKey } from '../store/keys.ts';

const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody };

/** A person posting from a session (an operator's case) has this budget. */
const SESSION_RATE_PER_MINUTE = 600;

/** Each feed key has its own budget of requests a minute (a batch is one request). */
const rateLimit = {
  hook: 'preParsing' as const,
  timeWindow: 60_000,
  keyGenerator: (request: FastifyRequest) => request.feed?.id ?? `session:${request.principal?.sessionId}`,
  max: (request: FastifyRequest) => request.feed?.ratePerMinute ?? SESSION_RATE_PER_MINUTE,
  errorResponseBuilder: () => new AppError('RATE_LIMITED'),
};

/** Route options of a feed route: its own schema (with its 2xx responses) and what all share. */
export function feedRoute<S extends { response: Record<number, TSchema> }>(schema: S) {
  return {
    // The security schemes come from the access rules (routes/docs.ts).
    schema: { ...schema, response: { ...schema.response, ...errorResponses } },
    config: { rateLimit },
  };
}

/** People post WGS-84; a feed says what it sends. */
export function inWgs84<T extends { lon: number; lat: number }>(items: T[], feed: FeedKey | null): T[] {
  if (feed === null || feed.coordinates === 'wgs84') return items;
  return items.map((item) => ({ ...item, ...toWgs84(item.lon, item.lat, feed.coordinates) }));
}
