import { describe, expect, it } from 'vitest';
import { validationProblems } from '../../tests/support/problems.ts';
import { ownTracksFix, ownTracksIdentity, type OwnTracksRequest } from './owntracks.ts';

const T0 = Date.UTC(2026, 10, 26, 8, 0, 0);
const TST = T0 / 1000 - 60;

/** A location as the OwnTracks app sends it. */
function location(overrides: Record<string, unknown> = {}) {
  return { _type: 'location', tid: 'ZL', lat: 39.93, lon: 116.37, tst: TST, acc: 8, alt: 51, vel: 18, cog: 120, batt: 64, bs: 1, conn: 'm', ...overrides };
}

function identity(headers: OwnTracksRequest['headers'] = { 'x-limit-u': 'zhang', 'x-limit-d': 'pixel' }, query: OwnTracksRequest['query'] = {}) {
  return ownTracksIdentity({ headers, query });
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}


describe('ownTracksIdentity', () => {
  it('takes the X-Limit headers first', () => {
    const found = identity({ 'x-limit-u': 'zhang', 'x-limit-d': 'pixel', authorization: basic('li', 'key') }, { u: 'wang', d: 'ipad' });
    expect(found).toEqual({ user: ['/headers/x-limit-u', 'zhang'], device: ['/headers/x-limit-d', 'pixel'] });
  });

  it('falls back on the basic-auth username, then on ?u= and ?d=', () => {
    expect(identity({ authorization: basic('li@example.org', 'key') }, { u: 'wang', d: 'ipad' })).toEqual({
      user: ['/headers/authorization', 'li@example.org'],
      device: ['/querystring/d', 'ipad'],
    });
    expect(identity({}, { u: 'wang', d: 'ipad' }).user).toEqual(['/querystring/u', 'wang']);
  });
});

describe('ownTracksFix', () => {
  it('reads a location as user/device, km/h to m/s', () => {
    expect(ownTracksFix(location(), identity(), T0)).toEqual({
      deviceId: 'zhang/pixel',
      deviceIdPath: '/headers/x-limit-d',
      report: { lat: 39.93, lon: 116.37, at: new Date(T0 - 60_000).toISOString(), accuracy: 8, speed: 5, bearing: 120, altitude: 51, battery: 64 },
    });
  });

  it('ignores every other message type', () => {
    for (const _type of ['lwt', 'transition', 'waypoint', 'card', 'encrypted', 'cmd']) {
      expect(ownTracksFix({ _type, lat: 'junk' }, identity({}), T0)).toBeNull();
    }
  });

  it('keeps only what the app knows', () => {
    const fix = ownTracksFix({ _type: 'location', lat: 39.93, lon: 116.37, vel: -1, cog: -1, batt: -1 }, identity(), T0);
    expect(fix!.report).toEqual({ lat: 39.93, lon: 116.37 });
  });

  it('names what is missing or wrong, identity included', () => {
    expect(validationProblems(() => ownTracksFix(location({ lat: 91, tst: 'now', cog: 400 }), identity({}), T0))).toEqual([
      { path: '/headers/x-limit-u', message: 'is required: an X-Limit-U header, a basic-auth username or ?u=' },
      { path: '/headers/x-limit-d', message: 'is required: an X-Limit-D header or ?d=' },
      { path: '/lat', message: 'must be <= 90' },
      { path: '/tst', message: 'must be Unix seconds or an ISO 8601 time with a zone' },
      { path: '/cog', message: 'must be <= 360' },
    ]);
    expect(validationProblems(() => ownTracksFix(location(), identity({ 'x-limit-u': 'a/b', 'x-limit-d': 'pixel' }), T0))[0]).toMatchObject({
      path: '/headers/x-limit-u',
      message: /pattern/,
    });
    expect(validationProblems(() => ownTracksFix(location({ tst: TST + 3600 }), identity(), T0))).toEqual([
      { path: '/tst', message: 'lies more than 5 minutes in the future' },
    ]);
  });
});
