/**
 * Phone GPS apps as feeds, unchanged: Traccar Client and OsmAnd (`/osmand`, GET or POST: query,
 * form or Traccar Client's JSON) and OwnTracks in HTTP mode (`POST /owntracks`), plus the list
 * of devices nobody registered (`GET /unknown-devices`). Same feed keys, per-key rate limits and
 * GCJ-02 conversion as the /api/v1 batches (feed-route.ts).
 *
 * Each request is one position of one device. The device id is looked up among the volunteers
 * (VolunteerRecord.deviceId), and the position goes through the same `app.ingest.positions` as
 * POST /positions: lifecycle, stale and duplicate rules, sequence numbers and the live stream
 * all apply, and the answer comes after the commit. A device nobody registered is refused (422
 * UNKNOWN_DEVICE), counted in unknown_devices and never attached to anyone. Phones are real
 * devices: unlike /api/v1, these routes never raise the 模拟数据 badge.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { BatchAccepted } from '../contract/ingest.ts';
import { OsmAndQuery, OwnTracksMessage, OwnTracksQuery, OwnTracksReply, UnknownDevices, type PhoneProtocol } from '../contract/phones.ts';
import { AppError } from '../errors.ts';
import { countUnknownDevice, listUnknownDevices } from '../store/devices.ts';
import { feedRoute, inWgs84 } from './feed-route.ts';
import { isRecord, type PhoneFix } from './fix-reader.ts';
import { osmAndQueryFix, traccarJsonFix } from './osmand.ts';
import { ownTracksFix, ownTracksIdentity } from './owntracks.ts';
import type { IngestResult } from './service.ts';

const tags = ['phones'];

/** Traccar tells its JSON from the OsmAnd fields by the content type; so do we. */
function isJson(request: FastifyRequest): boolean {
  // Media types are case-insensitive (RFC 9110).
  return request.headers['content-type']?.toLowerCase().startsWith('application/json') ?? false;
}

/** The OsmAnd fields of a request: the query, and a form body's fields over it. */
function osmAndParams(request: FastifyRequest): Record<string, unknown> {
  return { ...(request.query as Record<string, unknown>), ...(isRecord(request.body) ? request.body : {}) };
}

const phoneRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Traccar's OsmAnd decoder reads the fields from a form body too; Fastify has no form parser.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  /** One fix through the ingest path, or a 422 (counted) when no volunteer has the device. */
  async function ingestFix(request: FastifyRequest, fix: PhoneFix, protocol: PhoneProtocol, receivedAt: number): Promise<IngestResult> {
    const volunteerId = await app.ingest.volunteerOfDevice(fix.deviceId);
    if (volunteerId === null) {
      await countUnknownDevice(app.store.pool, { deviceId: fix.deviceId, protocol, feedKey: request.feed!.id });
      const message = `device "${fix.deviceId}" is not registered to any volunteer`;
      throw new AppError('UNKNOWN_DEVICE', [{ path: fix.deviceIdPath, message }], message);
    }
    return app.ingest.positions(inWgs84([{ ...fix.report, volunteerId }], request.feed), receivedAt);
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/osmand',
    // The protocol writes on GET; a HEAD (which Fastify would add) must not.
    exposeHeadRoute: false,
    ...feedRoute({
      querystring: OsmAndQuery,
      response: { 200: BatchAccepted },
      summary: 'One position from Traccar Client or OsmAnd (OsmAnd fields, or Traccar Client JSON)',
      tags,
    }),
    handler: (request) => {
      const receivedAt = Date.now();
      return isJson(request)
        ? ingestFix(request, traccarJsonFix(request.body, receivedAt), 'traccar-json', receivedAt)
        : ingestFix(request, osmAndQueryFix(osmAndParams(request), receivedAt), 'osmand', receivedAt);
    },
  });

  app.post(
    '/owntracks',
    feedRoute({
      querystring: OwnTracksQuery,
      body: OwnTracksMessage,
      response: { 200: OwnTracksReply },
      summary: 'One OwnTracks message (HTTP mode); only locations are kept',
      tags,
    }),
    async (request) => {
      const receivedAt = Date.now();
      const fix = ownTracksFix(request.body, ownTracksIdentity(request), receivedAt);
      if (fix) await ingestFix(request, fix, 'owntracks', receivedAt);
      return [];
    },
  );

  app.get(
    '/unknown-devices',
    { schema: { response: { 200: UnknownDevices }, summary: 'Devices that reported but no volunteer has (admins)', tags } },
    async () => ({ devices: await listUnknownDevices(app.store.pool) }),
  );
};

export default phoneRoutes;
