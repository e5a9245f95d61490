/**
 * /api/v1 ingestion routes, one per kind of item, each taking `{ items: [...] }`. Every route
 * needs a feed key (see auth.ts) and is rate-limited per key. The TypeBox schemas from the
 * contract validate the body (400 with the failing paths) and document the API. Points from a
 * feed declared GCJ-02 are converted to WGS-84 here, at the edge. Requests on a key marked as a
 * simulator make the wall show 模拟数据.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Batch,
  BatchAccepted,
  CaseReport,
  ErrorBody,
  IncidentReport,
  PositionReport,
  TeamRecord,
  VolunteerRecord,
} from '../contract/ingest.ts';
import { toWgs84 } from '../domain/coordinates.ts';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { FeedKey } from '../store/keys.ts';

/** The simulated badge stays up this long after the last simulated request. */
const SIMULATED_HOLD_MS = 2 * 60_000;

const responses = { 200: BatchAccepted, '4xx': ErrorBody, '5xx': ErrorBody };

function inWgs84<T extends { lon: number; lat: number }>(items: T[], feed: FeedKey): T[] {
  if (feed.coordinates === 'wgs84') return items;
  return items.map((item) => ({ ...item, ...toWgs84(item.lon, item.lat, feed.coordinates) }));
}

const ingestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let simulatedUntil = 0;
  const badgeTimer = setInterval(() => {
    if (Date.now() > simulatedUntil) app.live.setSimulated(false);
  }, 5_000);
  badgeTimer.unref();
  app.addHook('onClose', async () => clearInterval(badgeTimer));
  app.addHook('onRequest', app.authenticateFeed);
  app.addHook('onRequest', async (request) => {
    if (!request.feed.simulated) return;
    simulatedUntil = Date.now() + SIMULATED_HOLD_MS;
    app.live.setSimulated(true);
  });

  /** Each feed key has its own budget of requests a minute (a batch is one request). */
  const rateLimit = {
    hook: 'preParsing' as const,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => request.feed.id,
    max: (request: FastifyRequest) => request.feed.ratePerMinute,
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  };
  const schema = <T>(body: T, summary: string) => ({
    schema: { body, response: responses, summary, tags: ['ingest'], security: [{ feedKey: [] }] },
    config: { rateLimit },
  });

  app.post('/cases', schema(Batch(CaseReport), 'Create or update grid cases (网格事件)'), (request) =>
    app.ingest.cases(inWgs84(request.body.items, request.feed), Date.now()),
  );
  app.post('/incidents', schema(Batch(IncidentReport), 'Create or update safety incidents (安全事件)'), (request) =>
    app.ingest.incidents(inWgs84(request.body.items, request.feed), Date.now()),
  );
  app.post('/positions', schema(Batch(PositionReport), 'Report volunteer positions and duty status'), (request) =>
    app.ingest.positions(inWgs84(request.body.items, request.feed), Date.now()),
  );
  app.post('/teams', schema(Batch(TeamRecord), 'Register or update volunteer teams'), (request) =>
    app.ingest.teams(request.body.items),
  );
  app.post('/volunteers', schema(Batch(VolunteerRecord), 'Register or update volunteers'), (request) =>
    app.ingest.volunteers(request.body.items),
  );
};

export default ingestRoutes;
