/**
 * The leaders' view over HTTP (leaders and admins, access/rules.ts):
 * - `GET /leaders/areas`: subdistricts (or a subdistrict's grid cells) with every measure, for
 *   the choropleth and the league table; `GET /leaders/areas.csv` the same table as a file;
 * - `GET /leaders/indicators`: the plan's indicators, measured and entered, with trend and
 *   subdistrict breakdown; `PUT /leaders/survey` enters survey figures;
 * - `GET /leaders/heat`: cases or incidents of a window, binned for the heat map;
 * - `GET|PUT /reference/areas…`, `POST /reference/areas/import`: populations and the like;
 * - `GET /history/snapshot`, `GET /history/changes`: the time machine.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AreaReferences,
  Areas,
  AreasQuery,
  ChangesQuery,
  Heat,
  HeatQuery,
  Indicators,
  IndicatorsQuery,
  PastChanges,
  PastSnapshot,
  ReferenceEntry,
  SnapshotQuery,
  SurveyEntry,
} from '../contract/leaders.ts';
import { ErrorBody } from '../contract/ingest.ts';
import { actorOf } from '../domain/access.ts';
import { AppError } from '../errors.ts';
import { refuseUnstorableText } from '../ingest/routes.ts';
import { acceptCsvBodies } from '../registry/csv-body.ts';
import { areasCsv } from './table-csv.ts';
import { parseReferenceCsv, REFERENCE_AREAS } from './population-csv.ts';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const CSV_BODY_LIMIT = 256 * 1024;

const leaderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', refuseUnstorableText);
  acceptCsvBodies(app, CSV_BODY_LIMIT);
  const tags = ['leaders'];
  const { leaders } = app;

  const areas = (query: AreasQuery) =>
    leaders.areas(
      leaders.window(query.from, query.to),
      query.level ?? 'subdistrict',
      query.within ?? null,
      query.measure ?? 'cases',
      query.perCapita === '1',
    );

  app.get('/leaders/areas', { schema: { tags, summary: 'Areas by a measure, with the league table’s counts', querystring: AreasQuery, response: { 200: Areas, ...errors } } }, (request) =>
    areas(request.query),
  );

  app.get(
    '/leaders/areas.csv',
    { schema: { tags, summary: 'The league table as a CSV file (UTF-8 with a byte order mark, for Excel)', querystring: AreasQuery, produces: ['text/csv'] } },
    async (request, reply) => {
      const table = await areas(request.query);
      const name = `xicheng-${table.level}-${new Date(table.to).toISOString().slice(0, 10)}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(areasCsv(table));
    },
  );

  app.get('/leaders/indicators', { schema: { tags, summary: 'The plan’s indicators: measured and entered, with trend and breakdown', querystring: IndicatorsQuery, response: { 200: Indicators, ...errors } } }, (request) =>
    leaders.indicators(leaders.window(request.query.from, request.query.to), Number(request.query.buckets ?? 12)),
  );

  app.put('/leaders/survey', { schema: { tags, summary: 'Enter survey figures of the plan’s indicators', body: SurveyEntry, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await leaders.saveSurvey(request.body.items, actorOf(request.principal!));
    return reply.code(204).send(null);
  });

  app.get('/leaders/heat', { schema: { tags, summary: 'Cases or incidents of a window, binned for a heat map', querystring: HeatQuery, response: { 200: Heat, ...errors } } }, async (request) => {
    const window = leaders.window(request.query.from, request.query.to);
    const layer = request.query.layer ?? 'cases';
    return { from: window.from.getTime(), to: window.to.getTime(), layer, bins: await leaders.heat(window, layer) };
  });

  app.get('/reference/areas', { schema: { tags, summary: 'Reference figures (population …) of the district and its subdistricts', response: { 200: AreaReferences, ...errors } } }, async () => ({
    areas: await leaders.references(),
  }));

  app.put(
    '/reference/areas/:adcode',
    { schema: { tags, summary: 'Set an area’s reference figures (null: not known)', params: Type.Object({ adcode: Type.String() }), body: ReferenceEntry, response: { 200: AreaReferences, ...errors } } },
    async (request) => {
      const { adcode } = request.params;
      if (!REFERENCE_AREAS.has(adcode)) throw new AppError('NOT_FOUND', [{ path: '/adcode', message: `"${adcode}" is not the district or one of its subdistricts` }]);
      await leaders.saveReferences([{ adcode, ...request.body }], actorOf(request.principal!));
      return { areas: await leaders.references() };
    },
  );

  app.post(
    '/reference/areas/import',
    {
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Import reference figures from CSV (adcode,population,households,communities,source_note; the census file as it is), all or nothing',
        consumes: ['text/csv'],
        body: Type.String({ description: 'the CSV file' }),
        response: { 200: AreaReferences, ...errors },
      },
    },
    async (request) => {
      const rows = parseReferenceCsv(request.body, REFERENCE_AREAS);
      await leaders.saveReferences(rows, actorOf(request.principal!));
      return { areas: await leaders.references() };
    },
  );

  app.get('/history/snapshot', { schema: { tags: ['time machine'], summary: 'The district as it stood at a moment', querystring: SnapshotQuery, response: { 200: PastSnapshot, ...errors } } }, (request) =>
    leaders.snapshot(new Date(Date.parse(request.query.at))),
  );

  app.get('/history/changes', { schema: { tags: ['time machine'], summary: 'What happened in a span (at most an hour), in time order', querystring: ChangesQuery, response: { 200: PastChanges, ...errors } } }, (request) =>
    leaders.changes(request.query.from, request.query.to),
  );
};

export default leaderRoutes;
