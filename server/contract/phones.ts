/**
 * The phone-app endpoints' wire shapes, as far as a schema can say them: the apps send loose
 * text and their own JSON, which server/ingest/osmand.ts and owntracks.ts read field by field
 * (400 naming each bad field). What is here validates what it can and documents the API.
 */
import { Type, type Static } from 'typebox';

/** How an app reached us: the OsmAnd query or form, Traccar Client's JSON, or OwnTracks. */
export const PHONE_PROTOCOLS = ['osmand', 'traccar-json', 'owntracks'] as const;
export type PhoneProtocol = (typeof PHONE_PROTOCOLS)[number];

const text = (description: string) => Type.Optional(Type.String({ description }));

/** Every field is text; a POST may carry them in a form body instead. Other fields are ignored. */
export const OsmAndQuery = Type.Object({
  id: text('device id, as registered with the volunteer (Traccar Client: "Device identifier")'),
  lat: text('latitude, WGS-84 unless the feed key says gcj02'),
  lon: text('longitude'),
  timestamp: text('Unix seconds (milliseconds from 2^31 on) or ISO 8601 with a zone; default now'),
  speed: text('knots'),
  bearing: text('degrees'),
  altitude: text('metres'),
  accuracy: text('metres'),
  batt: text('battery, percent'),
  key: text('the feed key, for apps that can only set a URL'),
});

export const OwnTracksQuery = Type.Object({
  u: text('OwnTracks user, when neither X-Limit-U nor basic auth gives it'),
  d: text('OwnTracks device, when there is no X-Limit-D header'),
  key: text('the feed key, when it is not the basic-auth password'),
});

/** Any OwnTracks message; only `_type: "location"` is read. */
export const OwnTracksMessage = Type.Object({ _type: Type.String() });

/** OwnTracks expects messages for the app in return: we have none. */
export const OwnTracksReply = Type.Array(Type.Object({}), { maxItems: 0 });

export const UnknownDevice = Type.Object({
  deviceId: Type.String(),
  protocol: Type.Enum(PHONE_PROTOCOLS),
  feedKey: Type.Union([Type.String(), Type.Null()], { description: 'id of the feed key of the last report' }),
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  reports: Type.Integer({ description: 'reports refused so far' }),
});
export type UnknownDevice = Static<typeof UnknownDevice>;

export const UnknownDevices = Type.Object({ devices: Type.Array(UnknownDevice) });
