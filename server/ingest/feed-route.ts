/**
 * What every feed route shares, whatever its wire format (routes.ts: the /api/v1 batches;
 * phones.ts: the phone apps): the feed key in the OpenAPI document, the error responses, a rate
 * limit per feed key, and points from a GCJ-02 feed converted to WGS-84 at the edge. The key
 * itself is checked by each plugin's onRequest hook, `app.authenticateFeed` (auth.ts), before
 * anything is read; the rate limit counts requests per verified key.
 */
import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { ErrorBody } from '../contract/ingest.ts';
import { toWgs84 } from '../domain/coordinates.ts';
import { AppError } from '../errors.ts';
import type { FeedKey } from '../store/keys.ts';

/** Either way of presenting a feed key (see auth.ts and the schemes in routes/docs.ts). */
const security: Array<Record<string, string[]>> = [{ feedKey: [] }, { feedKeyHeader: [] }];

const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody };

/** Each feed key has its own budget of requests a minute (a batch is one request). */
const rateLimit = {
  hook: 'preParsing' as const,
  timeWindow: 60_000,
  keyGenerator: (request: FastifyRequest) => request.feed.id,
  max: (request: FastifyRequest) => request.feed.ratePerMinute,
  errorResponseBuilder: () => new AppError('RATE_LIMITED'),
};

/** Route options of a feed route: its own schema (with its 2xx responses) and what all share. */
export function feedRoute<S extends { response: Record<number, TSchema> }>(schema: S) {
  return {
    schema: { ...schema, response: { ...schema.response, ...errorResponses }, security },
    config: { rateLimit },
  };
}

export function inWgs84<T extends { lon: number; lat: number }>(items: T[], feed: FeedKey): T[] {
  if (feed.coordinates === 'wgs84') return items;
  return items.map((item) => ({ ...item, ...toWgs84(item.lon, item.lat, feed.coordinates) }));
}
