/**
 * `GET /api/v1/volunteers`: who the volunteers are (names, phones, devices), for coordinators
 * who call and dispatch them, and admins who import them. A scoped account sees the teams of
 * its subdistrict. Walls never reach this route (access/rules.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VolunteerIdentities } from '../contract/access.ts';
import { ErrorBody } from '../contract/ingest.ts';
import { volunteerIdentities } from '../store/volunteers.ts';

const volunteers: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/volunteers',
    {
      schema: {
        summary: 'Volunteer identities (coordinators and admins)',
        tags: ['volunteers'],
        response: { 200: VolunteerIdentities, '4xx': ErrorBody, '5xx': ErrorBody },
      },
    },
    async (request) => ({ volunteers: await volunteerIdentities(app.store.pool, request.principal!.subdistrict) }),
  );
};

export default volunteers;
