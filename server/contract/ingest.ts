/**
 * The ingestion contract: TypeBox schemas for every item a feed may send to /api/v1. These
 * schemas are the single source of the request types, of request validation and of the
 * OpenAPI document. Rules that a schema cannot say (a timestamp not far in the future, a known
 * volunteer, a legal lifecycle move) are checked by the domain core.
 */
import { Type, type Static, type TSchema } from 'typebox';
import {
  CASE_CATEGORIES,
  CASE_SOURCES,
  CASE_STATES,
  CASE_URGENCIES,
  SATISFACTIONS,
  INCIDENT_KINDS,
  SKILLS,
  INCIDENT_STATES,
  SPECIALTIES,
  VOLUNTEER_STATUSES,
} from '../domain/vocabulary.ts';

/** Most items one request may carry. */
export const MAX_BATCH_ITEMS = 5000;

const SourceId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:\\-]+$' });
/**
 * The id a phone app reports itself by: the characters of the ids above plus `@` (OwnTracks
 * users are often e-mail addresses), and one `/` for OwnTracks' `user/device`.
 */
export const DeviceId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9_.:@\\-]+(/[A-Za-z0-9_.:@\\-]+)?$',
  description: "the id of a volunteer's phone app (Traccar Client id, OwnTracks `user/device`); one volunteer per device",
});
export const Lon = Type.Number({ minimum: -180, maximum: 180, description: 'WGS-84 longitude' });
export const Lat = Type.Number({ minimum: -90, maximum: 90, description: 'WGS-84 latitude' });
const At = Type.String({ format: 'date-time', description: 'ISO 8601; defaults to the time of receipt' });
const Adcode = Type.String({ pattern: '^110102\\d{3}$', description: '9-digit subdistrict code' });

export const CaseReport = Type.Object(
  {
    sourceId: SourceId,
    source: Type.Enum(CASE_SOURCES),
    category: Type.Enum(CASE_CATEGORIES),
    state: Type.Optional(Type.Enum(CASE_STATES)),
    urgency: Type.Optional(Type.Enum(CASE_URGENCIES, { description: 'sets the deadline; default normal' })),
    lon: Lon,
    lat: Lat,
    at: Type.Optional(At),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    reporter: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[A-Za-z0-9_.:\\-]+$',
        description: 'a pseudonymous id of the resident who reported (an app account hash), for online participation; kept on the first report, never streamed',
      }),
    ),
    callback: Type.Optional(
      Type.Object(
        {
          solved: Type.Boolean({ description: 'the caller says the problem is solved' }),
          satisfaction: Type.Enum(SATISFACTIONS),
        },
        { additionalProperties: false, description: 'the call-back (回访) result; with state resolved or closed' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CaseReport = Static<typeof CaseReport>;

export const IncidentReport = Type.Object(
  {
    sourceId: SourceId,
    kind: Type.Enum(INCIDENT_KINDS),
    severity: Type.Integer({ minimum: 1, maximum: 4, description: '1 = I 特别重大 … 4 = IV 一般' }),
    state: Type.Optional(Type.Enum(INCIDENT_STATES)),
    milestone: Type.Optional(
      Type.Enum(['dispatched', 'on_scene'], {
        description: 'for incidents another system dispatches (120, 119): a team was dispatched, or is on scene, at this report’s time',
      }),
    ),
    lon: Lon,
    lat: Lat,
    at: Type.Optional(At),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type IncidentReport = Static<typeof IncidentReport>;

/** What a phone knows about a fix besides where and when: kept in the history, never streamed. */
export const Accuracy = Type.Number({ minimum: 0, description: 'horizontal accuracy, metres' });
export const Speed = Type.Number({ minimum: 0, description: 'metres per second' });
export const Bearing = Type.Number({ minimum: 0, maximum: 360, description: 'degrees clockwise from north' });
export const Altitude = Type.Number({ description: 'metres above sea level' });
export const Battery = Type.Number({ minimum: 0, maximum: 100, description: "the phone's battery, percent" });

export const PositionReport = Type.Object(
  {
    volunteerId: SourceId,
    lon: Lon,
    lat: Lat,
    at: Type.Optional(At),
    status: Type.Optional(Type.Enum(VOLUNTEER_STATUSES)),
    accuracy: Type.Optional(Accuracy),
    speed: Type.Optional(Speed),
    bearing: Type.Optional(Bearing),
    altitude: Type.Optional(Altitude),
    battery: Type.Optional(Battery),
  },
  { additionalProperties: false },
);
export type PositionReport = Static<typeof PositionReport>;

export const TeamRecord = Type.Object(
  {
    id: SourceId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    subdistrict: Adcode,
    specialty: Type.Enum(SPECIALTIES),
    community: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'home community (社区)' })),
  },
  { additionalProperties: false },
);
export type TeamRecord = Static<typeof TeamRecord>;

export const VolunteerRecord = Type.Object(
  {
    id: SourceId,
    teamId: SourceId,
    name: Type.String({ minLength: 1, maxLength: 100, description: 'personal information: never sent to a wall' }),
    phone: Type.Optional(Type.String({ maxLength: 32, description: 'personal information: never sent to a wall' })),
    deviceId: Type.Optional(DeviceId),
    skills: Type.Optional(Type.Array(Type.Enum(SKILLS), { maxItems: SKILLS.length, uniqueItems: true })),
    community: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'home community (社区)' })),
  },
  { additionalProperties: false },
);
export type VolunteerRecord = Static<typeof VolunteerRecord>;

/** `{ items: [...] }`, 1 to MAX_BATCH_ITEMS of one kind. */
export function Batch<T extends TSchema>(item: T) {
  return Type.Object(
    { items: Type.Array(item, { minItems: 1, maxItems: MAX_BATCH_ITEMS }) },
    { additionalProperties: false },
  );
}

export const BatchAccepted = Type.Object({
  accepted: Type.Integer({ description: 'items acknowledged: all of them are committed' }),
  changed: Type.Integer({ description: 'items that changed the state held' }),
  ignored: Type.Integer({ description: 'duplicates, and late items older than the state held' }),
  seq: Type.Integer({ description: 'server sequence number after the commit' }),
});
export type BatchAccepted = Static<typeof BatchAccepted>;

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
});
