/**
 * OwnTracks in HTTP mode, into one PhoneFix. Pure.
 *
 * The app POSTs each message as its JSON and expects a JSON array of messages back. Only
 * `_type: "location"` is a position: `lat`, `lon`, `tst` (Unix seconds), `acc` (m), `alt` (m),
 * `vel` (km/h), `cog` (degrees), `batt` (%); other fields (tid, t, conn, bs …) are ignored, and
 * so are all other types (lwt, transition, waypoint, card, encrypted …).
 *
 * Who is reporting: the user is the X-Limit-U header, else the basic-auth username, else `?u=`;
 * the device is the X-Limit-D header, else `?d=`. The device id a volunteer is registered with
 * is `user/device`, as OwnTracks names its MQTT topics (`owntracks/user/device`).
 */
import { Type } from 'typebox';
import { Accuracy, Altitude, Battery, Bearing, Lat, Lon, Speed } from '../contract/ingest.ts';
import { basicCredentials } from './auth.ts';
import { FixReader, fieldsOf, isRecord, scaled, type Field, type PhoneFix } from './fix-reader.ts';

const METRES_PER_SECOND_PER_KMH = 1 / 3.6;

/** One half of `user/device`: the characters of a device id, no `/`; two fit in 128. */
const Name = Type.String({ maxLength: 63, pattern: '^[A-Za-z0-9_.:@\\-]+$' });

export interface OwnTracksIdentity {
  user: Field;
  device: Field;
}

export interface OwnTracksRequest {
  headers: Record<string, string | string[] | undefined>;
  query: { u?: string; d?: string };
}

/** Where the user and device names come from, each with the path it was found at. */
export function ownTracksIdentity({ headers, query }: OwnTracksRequest): OwnTracksIdentity {
  return {
    user: firstGiven([
      ['/headers/x-limit-u', headers['x-limit-u']],
      ['/headers/authorization', basicCredentials(stringOf(headers.authorization))?.user],
      ['/querystring/u', query.u],
    ]),
    device: firstGiven([
      ['/headers/x-limit-d', headers['x-limit-d']],
      ['/querystring/d', query.d],
    ]),
  };
}

/** The position in a location message; null for every other message type. */
export function ownTracksFix(message: unknown, identity: OwnTracksIdentity, receivedAt: number): PhoneFix | null {
  if (!isRecord(message) || message._type !== 'location') return null;
  const read = new FixReader('json', receivedAt);
  const user = read.string(identity.user, Name, 'is required: an X-Limit-U header, a basic-auth username or ?u=');
  const device = read.string(identity.device, Name, 'is required: an X-Limit-D header or ?d=');
  const field = fieldsOf('', message);
  return read.done({
    deviceId: `${user}/${device}`,
    deviceIdPath: identity.device[0],
    report: {
      lat: read.required(field('lat'), Lat),
      lon: read.required(field('lon'), Lon),
      at: read.time(field('tst')),
      accuracy: read.reading(field('acc'), Accuracy),
      speed: scaled(read.reading(field('vel'), Speed), METRES_PER_SECOND_PER_KMH),
      bearing: read.reading(field('cog'), Bearing),
      altitude: read.optional(field('alt'), Altitude),
      battery: read.reading(field('batt'), Battery),
    },
  });
}

/** The first field with a value, or the first (absent) one, whose path names where to give it. */
function firstGiven(fields: Field[]): Field {
  return fields.find(([, raw]) => raw !== undefined && raw !== '') ?? fields[0]!;
}

function stringOf(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? header : undefined;
}
