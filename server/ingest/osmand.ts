/**
 * The OsmAnd protocol as Traccar Client and OsmAnd send it, read as Traccar's own decoder
 * (OsmAndProtocolDecoder) reads it, into one PhoneFix. Pure.
 *
 * Query string or form fields: `id`, `lat`, `lon`, `timestamp`, `speed` (knots), `bearing`,
 * `altitude` (m), `accuracy` (m), `batt` (%). Other fields (hdop, charge, mock, alarm, key …)
 * are ignored.
 *
 * Traccar Client's JSON (its flutter_background_geolocation location template), POSTed to the
 * same path with `Content-Type: application/json`, one location per request:
 * `{ "device_id", "location": { "timestamp", "coords": { "latitude", "longitude", "accuracy",
 * "speed" (m/s), "heading", "altitude" }, "battery": { "level" (0..1), "is_charging" }, … } }`.
 *
 * Speed units: Traccar Client multiplies Android's m/s by 1.943844 before it puts `speed` in the
 * query, and Traccar's decoder takes that value as knots; we store m/s, so query speeds are
 * converted back. The JSON carries the platform's m/s, which Traccar converts to knots and we
 * keep as it is.
 */
import { Type } from 'typebox';
import { Accuracy, Altitude, Battery, Bearing, DeviceId, Lat, Lon, Speed } from '../contract/ingest.ts';
import { FixReader, fieldsOf, scaled, type PhoneFix } from './fix-reader.ts';

export const METRES_PER_SECOND_PER_KNOT = 1852 / 3600;

/** Traccar Client's battery level: a fraction, -1 when unknown. */
const BatteryLevel = Type.Number({ minimum: 0, maximum: 1 });

export function osmAndQueryFix(params: Record<string, unknown>, receivedAt: number): PhoneFix {
  const read = new FixReader('text', receivedAt);
  const param = fieldsOf('', params);
  return read.done({
    deviceId: read.string(param('id'), DeviceId),
    deviceIdPath: '/id',
    report: {
      lat: read.required(param('lat'), Lat),
      lon: read.required(param('lon'), Lon),
      at: read.time(param('timestamp')),
      accuracy: read.reading(param('accuracy'), Accuracy),
      speed: scaled(read.reading(param('speed'), Speed), METRES_PER_SECOND_PER_KNOT),
      bearing: read.reading(param('bearing'), Bearing),
      altitude: read.optional(param('altitude'), Altitude),
      battery: read.reading(param('batt'), Battery),
    },
  });
}

export function traccarJsonFix(body: unknown, receivedAt: number): PhoneFix {
  const read = new FixReader('json', receivedAt);
  const root = read.object(['', body]);
  const location = read.object(root('location'));
  const coords = read.object(location('coords'));
  const battery = read.optionalObject(location('battery'));
  return read.done({
    deviceId: read.string(root('device_id'), DeviceId),
    deviceIdPath: '/device_id',
    report: {
      lat: read.required(coords('latitude'), Lat),
      lon: read.required(coords('longitude'), Lon),
      at: read.time(location('timestamp')),
      accuracy: read.reading(coords('accuracy'), Accuracy),
      speed: read.reading(coords('speed'), Speed),
      bearing: read.reading(coords('heading'), Bearing),
      altitude: read.optional(coords('altitude'), Altitude),
      battery: percent(read.reading(battery('level'), BatteryLevel)),
    },
  });
}

/** A fraction as a percentage, to 0.1 % (0.57 × 100 is 56.99999999999999 in floating point). */
function percent(fraction: number | undefined): number | undefined {
  return fraction === undefined ? undefined : Math.round(fraction * 1000) / 10;
}
