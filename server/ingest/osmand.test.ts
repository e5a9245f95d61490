import { describe, expect, it } from 'vitest';
import { validationProblems } from '../../tests/support/problems.ts';
import { METRES_PER_SECOND_PER_KNOT, osmAndQueryFix, traccarJsonFix } from './osmand.ts';

const T0 = Date.UTC(2026, 10, 26, 8, 0, 0);
const SECONDS = String(T0 / 1000 - 60);
const ISO = new Date(T0 - 60_000).toISOString();

/** What Traccar Client (Android) puts in the query. */
function query(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    id: '12345678',
    timestamp: SECONDS,
    lat: '39.9327918',
    lon: '116.378293',
    speed: '3.887688',
    bearing: '271.5',
    altitude: '48.2',
    accuracy: '12.0',
    batt: '87.0',
    ...overrides,
  };
}

/** What Traccar Client (flutter_background_geolocation's template) posts as JSON. */
function traccarJson(location: Record<string, unknown> = {}, coords: Record<string, unknown> = {}) {
  return {
    location: {
      timestamp: ISO,
      coords: { latitude: 39.93, longitude: 116.37, accuracy: 5, speed: 1.5, heading: 90, altitude: 50, ...coords },
      is_moving: true,
      odometer: 1234,
      event: '',
      battery: { level: 0.57, is_charging: false },
      activity: { type: 'walking' },
      extras: {},
      _: '&id=12345678&lat=39.93&lon=116.37&timestamp=…&',
      ...location,
    },
    device_id: '12345678',
  };
}


describe('osmAndQueryFix', () => {
  it('reads what Traccar Client sends, knots to m/s', () => {
    expect(osmAndQueryFix(query(), T0)).toEqual({
      deviceId: '12345678',
      deviceIdPath: '/id',
      report: {
        lat: 39.9327918,
        lon: 116.378293,
        at: new Date(T0 - 60_000).toISOString(),
        accuracy: 12,
        speed: 3.887688 * METRES_PER_SECOND_PER_KNOT,
        bearing: 271.5,
        altitude: 48.2,
        battery: 87,
      },
    });
    expect(osmAndQueryFix(query({ speed: '1.943844' }), T0).report.speed).toBeCloseTo(1, 5);
  });

  it('takes Unix seconds, milliseconds from 2^31 on (OsmAnd), and ISO 8601 with a zone', () => {
    expect(osmAndQueryFix(query({ timestamp: String(T0 - 60_000) }), T0).report.at).toBe(ISO);
    expect(osmAndQueryFix(query({ timestamp: '2026-11-26T15:59:00+08:00' }), T0).report.at).toBe(ISO);
  });

  it('leaves out what is empty or unknown, and ignores fields it does not know', () => {
    const fix = osmAndQueryFix({ id: 'phone-1', lat: '39.9', lon: '116.3', timestamp: '', speed: '-1.9', bearing: '-1', batt: '-100', hdop: 'x', mock: 'true' }, T0);
    expect(fix.report).toEqual({ lat: 39.9, lon: 116.3 });
  });

  it('names every bad field and the rule it breaks', () => {
    expect(validationProblems(() => osmAndQueryFix({ lat: 'NaN', lon: '181', bearing: '361', batt: '101', accuracy: '0x10' }, T0))).toEqual([
      { path: '/id', message: 'is required' },
      { path: '/lat', message: 'must be a number, not "NaN"' },
      { path: '/lon', message: 'must be <= 180' },
      { path: '/accuracy', message: 'must be a number, not "0x10"' },
      { path: '/bearing', message: 'must be <= 360' },
      { path: '/batt', message: 'must be <= 100' },
    ]);
    expect(validationProblems(() => osmAndQueryFix(query({ lat: 'Infinity', lon: '1e999' }), T0)).map((p) => p.path)).toEqual(['/lat', '/lon']);
  });

  it('refuses a junk time, a time without a zone and a time far in the future', () => {
    for (const timestamp of ['yesterday', '2026-11-26T08:00:00', '2026-13-45T99:99:00Z']) {
      expect(validationProblems(() => osmAndQueryFix(query({ timestamp }), T0))).toEqual([
        { path: '/timestamp', message: 'must be Unix seconds or an ISO 8601 time with a zone' },
      ]);
    }
    expect(validationProblems(() => osmAndQueryFix(query({ timestamp: String(T0 / 1000 + 301) }), T0))).toEqual([
      { path: '/timestamp', message: 'lies more than 5 minutes in the future' },
    ]);
    expect(validationProblems(() => osmAndQueryFix(query({ timestamp: '9'.repeat(30) }), T0))[0]!.path).toBe('/timestamp');
  });

  it('refuses a device id that could never be registered', () => {
    expect(validationProblems(() => osmAndQueryFix(query({ id: 'a phone' }), T0))[0]).toMatchObject({ path: '/id', message: /pattern/ });
    expect(validationProblems(() => osmAndQueryFix(query({ id: 'x'.repeat(129) }), T0))[0]).toMatchObject({ path: '/id' });
  });
});

describe('traccarJsonFix', () => {
  it('reads Traccar Client JSON: m/s as sent, battery level to percent', () => {
    expect(traccarJsonFix(traccarJson(), T0)).toEqual({
      deviceId: '12345678',
      deviceIdPath: '/device_id',
      report: { lat: 39.93, lon: 116.37, at: ISO, accuracy: 5, speed: 1.5, bearing: 90, altitude: 50, battery: 57 },
    });
  });

  it('leaves out -1 for an unknown speed, heading or battery, and a missing battery', () => {
    const unknown = traccarJson({ battery: { level: -1, is_charging: false } }, { speed: -1, heading: -1 });
    expect(traccarJsonFix(unknown, T0).report).toMatchObject({ speed: undefined, bearing: undefined, battery: undefined });
    expect(traccarJsonFix(traccarJson({ battery: undefined }), T0).report.battery).toBeUndefined();
  });

  it('names bad and missing fields by their JSON path', () => {
    expect(validationProblems(() => traccarJsonFix(traccarJson({}, { latitude: '39.9', longitude: 200 }), T0))).toEqual([
      { path: '/location/coords/latitude', message: 'must be a number, not "39.9"' },
      { path: '/location/coords/longitude', message: 'must be <= 180' },
    ]);
    expect(validationProblems(() => traccarJsonFix({ device_id: 7, location: { coords: 'here' } }, T0))).toEqual([
      { path: '/location/coords', message: 'must be an object' },
      { path: '/device_id', message: 'must be a string' },
      { path: '/location/coords/latitude', message: 'is required' },
      { path: '/location/coords/longitude', message: 'is required' },
    ]);
    expect(validationProblems(() => traccarJsonFix(traccarJson({ battery: { level: 57 } }), T0))).toEqual([
      { path: '/location/battery/level', message: 'must be <= 1' },
    ]);
    expect(validationProblems(() => traccarJsonFix([traccarJson()], T0))[0]).toEqual({ path: '/', message: 'must be an object' });
  });
});
