/**
 * Dispatch over HTTP: a volunteer's own page (`/me/…`, opened with a personal link), the
 * 吹哨报到 escalation of grid cases, and the measured response times. The coordinators'
 * commands travel over the socket (plugin.ts), where the collision guard is.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CaseIdParam,
  DutyChange,
  MyDuty,
  MyPosition,
  MyStep,
  ResponseTimes,
  ResponseTimesQuery,
  WhistleBlow,
  WhistleReport,
} from '../contract/dispatch.ts';
import { BatchAccepted, ErrorBody } from '../contract/ingest.ts';
import { actorOf } from '../domain/access.ts';
import { requestActor } from '../access/plugin.ts';
import { refuseUnstorableText } from '../ingest/routes.ts';
import { responseTimes } from '../store/indicators.ts';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const DAY_MS = 86_400_000;

const dispatchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', refuseUnstorableText);
  const me = { tags: ['volunteer page'] };

  app.get('/me/volunteer', { schema: { ...me, summary: 'The volunteer’s own duty, shifts and offer', response: { 200: MyDuty, ...errors } } }, (request) =>
    app.dispatch.myDuty(request.principal!.id),
  );

  app.post('/me/duty', { schema: { ...me, summary: 'Go on or off duty', body: DutyChange, response: { 200: MyDuty, ...errors } } }, async (request) => {
    const principal = request.principal!;
    await app.dispatch.setDuty(principal.id, request.body.onDuty, actorOf(principal));
    return app.dispatch.myDuty(principal.id);
  });

  app.post(
    '/me/position',
    { schema: { ...me, summary: 'Share the phone’s position (kept only on duty)', body: MyPosition, response: { 200: BatchAccepted, ...errors } } },
    (request) => app.ingest.positions([{ volunteerId: request.principal!.id, ...request.body }], Date.now()),
  );

  app.post(
    '/me/assignment',
    { schema: { ...me, summary: 'Accept or decline an offer, report en route or on scene', body: MyStep, response: { 200: MyDuty, ...errors } } },
    async (request) => {
      const principal = request.principal!;
      await app.dispatch.step(principal.id, request.body.assignment, request.body.step);
      return app.dispatch.myDuty(principal.id);
    },
  );

  const whistle = { tags: ['cases'] };
  app.post(
    '/cases/:id/whistle',
    { schema: { ...whistle, summary: 'Blow the whistle (吹哨报到): summon departments to report on site', params: CaseIdParam, body: WhistleBlow, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await app.dispatch.whistle(request.principal!, request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/cases/:id/whistle/report',
    { schema: { ...whistle, summary: 'A summoned department reports on site', params: CaseIdParam, body: WhistleReport, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await app.dispatch.whistleReport(request.principal, requestActor(request), request.params.id, request.body.department);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/indicators/response-times',
    { schema: { tags: ['indicators'], summary: 'Measured response times per incident kind and subdistrict', querystring: ResponseTimesQuery, response: { 200: ResponseTimes, ...errors } } },
    async (request) => {
      const to = new Date();
      const from = new Date(to.getTime() - Number(request.query.days ?? 30) * DAY_MS);
      return { from: from.toISOString(), to: to.toISOString(), rows: await responseTimes(app.store.pool, from, to) };
    },
  );
};

export default dispatchRoutes;
