/**
 * Sharing a location against a fake phone: what gets posted as fixes come in and time passes,
 * what the page is told, and that nothing moves after off duty.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_MS, POST_EVERY_MS, type Fix } from './position.ts';
import { LocationSharing, type Geo, type SharingStatus } from './sharing.ts';

const LON = 116.378293;
const LAT = 39.9327918;

/** A phone whose position the test moves, and whose refusals it chooses. */
function fakePhone() {
  let onFix: PositionCallback | null = null;
  let onError: PositionErrorCallback | null = null;
  const geo: Geo = {
    watchPosition: (success, error) => {
      onFix = success;
      onError = error ?? null;
      return 7;
    },
    clearWatch: vi.fn(),
  };
  return {
    geo,
    moveTo(lat: number) {
      onFix?.({ coords: { longitude: LON, latitude: lat, accuracy: 12 }, timestamp: Date.now() } as GeolocationPosition);
    },
    fail(code: number) {
      onError?.({ code } as GeolocationPositionError);
    },
  };
}

function setUp(post: (fix: Fix) => Promise<void> = async () => undefined) {
  const phone = fakePhone();
  const posted: Fix[] = [];
  const statuses: SharingStatus[] = [];
  const sharing = new LocationSharing(
    phone.geo,
    (fix) => {
      posted.push(fix);
      return post(fix);
    },
    (status) => statuses.push(status),
  );
  return { phone, posted, statuses, sharing, last: () => statuses.at(-1) };
}

describe('LocationSharing', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  it('sends the first fix, says it is sharing, then holds back jitter', async () => {
    const { phone, posted, sharing, last } = setUp();
    sharing.start();
    expect(last()).toEqual({ kind: 'waiting' });
    phone.moveTo(LAT);
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ lon: LON, lat: LAT, accuracy: 12 });
    expect(last()).toEqual({ kind: 'sharing', sentAt: 1_000_000, position: { lon: LON, lat: LAT } });
    await vi.advanceTimersByTimeAsync(POST_EVERY_MS);
    phone.moveTo(LAT + 0.00001);
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toHaveLength(1);
  });

  it('sends a real move once 15 s passed, and a still phone once a minute', async () => {
    const { phone, posted, sharing } = setUp();
    sharing.start();
    phone.moveTo(LAT);
    await vi.advanceTimersByTimeAsync(1_000);
    phone.moveTo(LAT + 0.01);
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toHaveLength(1);
    // No new fix from the phone: the timer weighs the latest one again.
    await vi.advanceTimersByTimeAsync(POST_EVERY_MS);
    expect(posted).toHaveLength(2);
    expect(posted[1]?.lat).toBeCloseTo(LAT + 0.01);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS - POST_EVERY_MS);
    expect(posted).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(POST_EVERY_MS);
    expect(posted).toHaveLength(3);
  });

  it('says when a post failed and tries again with a later fix', async () => {
    let fail = true;
    const { phone, posted, sharing, last } = setUp(async () => {
      if (fail) throw new Error('offline');
    });
    sharing.start();
    phone.moveTo(LAT);
    await vi.advanceTimersByTimeAsync(0);
    expect(last()).toEqual({ kind: 'failing' });
    fail = false;
    await vi.advanceTimersByTimeAsync(POST_EVERY_MS);
    expect(posted).toHaveLength(2);
    expect(last()?.kind).toBe('sharing');
  });

  it('tells a refusal apart from a phone without location, and keeps waiting on a timeout', () => {
    const denied = setUp();
    denied.sharing.start();
    denied.phone.fail(1);
    expect(denied.last()).toEqual({ kind: 'denied' });
    const lost = setUp();
    lost.sharing.start();
    lost.phone.fail(3);
    expect(lost.last()).toEqual({ kind: 'waiting' });
    lost.phone.fail(2);
    expect(lost.last()).toEqual({ kind: 'unavailable' });
    const statuses: SharingStatus[] = [];
    new LocationSharing(undefined, async () => undefined, (status) => statuses.push(status)).start();
    expect(statuses).toEqual([{ kind: 'unavailable' }]);
  });

  it('stops watching on stop, and an answer that comes after changes nothing', async () => {
    let answer: () => void = () => undefined;
    const { phone, posted, sharing, last } = setUp(() => new Promise<void>((resolve) => (answer = resolve)));
    sharing.start();
    phone.moveTo(LAT);
    sharing.stop();
    expect(phone.geo.clearWatch).toHaveBeenCalledWith(7);
    expect(last()).toEqual({ kind: 'off' });
    answer();
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS * 2);
    expect(last()).toEqual({ kind: 'off' });
    expect(posted).toHaveLength(1);
    expect(sharing.watching).toBe(false);
  });
});
