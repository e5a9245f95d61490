/**
 * When a phone sends its position: never more often than every 15 s, the first fix at once,
 * then on a real move or, standing still, once a minute.
 */
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_MS, MOVED_M, POST_EVERY_MS, distanceM, shouldPost, type Fix } from './position.ts';

const HERE = { lon: 116.378293, lat: 39.9327918 };
/** About 1 m of latitude in degrees. */
const METRE = 1 / 111_195;

function fix(metresNorth: number, at = 0): Fix {
  return { lon: HERE.lon, lat: HERE.lat + metresNorth * METRE, accuracy: 10, at };
}

describe('distanceM', () => {
  it('measures metres on the ground', () => {
    expect(distanceM(HERE, HERE)).toBe(0);
    expect(distanceM(HERE, fix(1000))).toBeCloseTo(1000, 0);
    // Shichahai to Niujie, about 6.5 km apart.
    expect(distanceM(HERE, { lon: 116.3466819, lat: 39.8850232 })).toBeGreaterThan(5_800);
    expect(distanceM(HERE, { lon: 116.3466819, lat: 39.8850232 })).toBeLessThan(6_200);
  });
});

describe('shouldPost', () => {
  const sent = { ...HERE, at: 100_000 };

  it('sends the first fix at once', () => {
    expect(shouldPost(null, null, fix(0), 0)).toBe(true);
  });

  it('never sends more often than every POST_EVERY_MS, whatever the move, even after a failure', () => {
    expect(shouldPost(sent, sent.at, fix(5_000), sent.at + POST_EVERY_MS - 1)).toBe(false);
    expect(shouldPost(null, 100_000, fix(0), 100_000 + POST_EVERY_MS - 1)).toBe(false);
    expect(shouldPost(null, 100_000, fix(0), 100_000 + POST_EVERY_MS)).toBe(true);
  });

  it('sends a significant move, not a jitter', () => {
    const later = sent.at + POST_EVERY_MS;
    expect(shouldPost(sent, sent.at, fix(MOVED_M + 1), later)).toBe(true);
    expect(shouldPost(sent, sent.at, fix(MOVED_M - 5), later)).toBe(false);
  });

  it('sends a volunteer standing still once a HEARTBEAT_MS', () => {
    expect(shouldPost(sent, sent.at, fix(0), sent.at + HEARTBEAT_MS - 1)).toBe(false);
    expect(shouldPost(sent, sent.at, fix(0), sent.at + HEARTBEAT_MS)).toBe(true);
  });
});
