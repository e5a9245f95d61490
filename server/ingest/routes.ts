/**
 * /api/v1 ingestion routes, one per kind of item, each taking `{ items: [...] }`. Every route
 * needs a feed key (see auth.ts) or, where access/rules.ts allows, a signed-in role, and is
 * rate-limited per key or session. The TypeBox schemas from the
 * contract validate the body (400 with the failing paths) and document the API. Points from a
 * feed declared GCJ-02 are converted to WGS-84 here, at the edge. Text PostgreSQL cannot store
 * (U+0000, unpaired surrogates) is refused here too, by path.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Batch,
  BatchAccepted,
  CaseReport,
  IncidentReport,
  PositionReport,
  TeamRecord,
  VolunteerRecord,
} from '../contract/ingest.ts';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { requestActor } from '../access/plugin.ts';
import { feedRoute, inWgs84 } from './feed-route.ts';

/**
 * JSON can carry text that PostgreSQL cannot store: U+0000 (`\u0000`), and unpaired UTF-16
 * surrogates (`\ud800`), which are not Unicode at all. Either would fail the transaction deep in
 * the store (and, on PGlite, unsettle its one connection), so each is a validation failure,
 * named by path, found after the schema has bounded the body's shape and depth.
 */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  const paths = unstorablePaths(request.body, '');
  if (paths.length === 0) return;
  const details = paths.map((path) => ({ path, message: 'contains U+0000 or an unpaired surrogate, which cannot be stored' }));
  throw new AppError('VALIDATION_FAILED', details, `invalid body: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`);
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorablePaths(value: unknown, path: string): string[] {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => unstorablePaths(inner, `${path}/${key}`));
}

const ingestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', refuseUnstorableText);

  const schema = <T>(body: T, summary: string) =>
    feedRoute({ body, response: { 200: BatchAccepted }, summary, tags: ['ingest'] });

  /** A scoped operator reports only within their own subdistrict. */
  function withinScope<T extends { lon: number; lat: number }>(request: FastifyRequest, items: T[]): T[] {
    const scope = request.principal?.subdistrict ?? null;
    if (scope === null) return items;
    const details = items.flatMap((item, i) =>
      app.geo.locator.locate(item.lon, item.lat).subdistrict === scope ? [] : [{ path: `/items/${i}`, message: `lies outside subdistrict ${scope}` }],
    );
    if (details.length > 0) throw new AppError('OUT_OF_SCOPE', details);
    return items;
  }

  app.post('/cases', schema(Batch(CaseReport), 'Create or update grid cases (网格事件)'), (request) =>
    app.ingest.cases(withinScope(request, inWgs84(request.body.items, request.feed)), Date.now(), requestActor(request)),
  );
  app.post('/incidents', schema(Batch(IncidentReport), 'Create or update safety incidents (安全事件)'), (request) =>
    app.ingest.incidents(withinScope(request, inWgs84(request.body.items, request.feed)), Date.now(), requestActor(request)),
  );
  app.post('/positions', schema(Batch(PositionReport), 'Report volunteer positions and duty status'), (request) =>
    app.ingest.positions(inWgs84(request.body.items, request.feed), Date.now()),
  );
  app.post('/teams', schema(Batch(TeamRecord), 'Register or update volunteer teams'), (request) =>
    app.ingest.teams(request.body.items, requestActor(request)),
  );
  app.post('/volunteers', schema(Batch(VolunteerRecord), 'Register or update volunteers'), (request) =>
    app.ingest.volunteers(request.body.items, requestActor(request)),
  );
};

export default ingestRoutes;
