/**
 * /api/v1 ingestion routes, one per kind of item, each taking `{ items: [...] }`. The TypeBox
 * schemas from the contract validate the body (400 with the failing paths) and document the
 * API. A request marked `x-feed-simulated: 1` comes from a simulator: the wall says so.
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

/** The simulated badge stays up this long after the last simulated request. */
const SIMULATED_HOLD_MS = 2 * 60_000;

const responses = { 200: BatchAccepted, '4xx': ErrorBody, '5xx': ErrorBody };

const ingestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let simulatedUntil = 0;
  const badgeTimer = setInterval(() => {
    if (Date.now() > simulatedUntil) app.live.setSimulated(false);
  }, 5_000);
  badgeTimer.unref();
  app.addHook('onClose', async () => clearInterval(badgeTimer));
  app.addHook('onRequest', async (request) => {
    if (request.headers['x-feed-simulated'] === '1') {
      simulatedUntil = Date.now() + SIMULATED_HOLD_MS;
      app.live.setSimulated(true);
    }
  });

  app.post('/cases', { schema: { body: Batch(CaseReport), response: responses } }, (request) =>
    app.ingest.cases(request.body.items, Date.now()),
  );
  app.post('/incidents', { schema: { body: Batch(IncidentReport), response: responses } }, (request) =>
    app.ingest.incidents(request.body.items, Date.now()),
  );
  app.post('/positions', { schema: { body: Batch(PositionReport), response: responses } }, (request) =>
    app.ingest.positions(request.body.items, Date.now()),
  );
  app.post('/teams', { schema: { body: Batch(TeamRecord), response: responses } }, (request) =>
    app.ingest.teams(request.body.items),
  );
  app.post('/volunteers', { schema: { body: Batch(VolunteerRecord), response: responses } }, (request) =>
    app.ingest.volunteers(request.body.items),
  );
};

export default ingestRoutes;
