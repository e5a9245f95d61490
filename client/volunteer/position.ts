/**
 * When a volunteer's phone sends its position, pure: a fix goes in with what was sent before,
 * a yes or no comes out.
 *
 * Contract (`shouldPost`):
 * - Never more often than every POST_EVERY_MS (counted from the last try, sent or failed): a
 *   phone in a pocket must not drain its battery or the feed's budget.
 * - The first fix is sent; after that a fix is sent when it moved at least MOVED_M from the last
 *   position sent (a volunteer on the way), or when HEARTBEAT_MS passed since it (one standing
 *   still stays fresh for the recommendations, which ignore positions older than ten minutes).
 */

/** A position the phone measured; `at` is when it was measured, epoch ms. */
export interface Fix {
  lon: number;
  lat: number;
  accuracy: number | null;
  at: number;
}

/** The last position the server acknowledged, and when it was sent. */
export interface Sent {
  lon: number;
  lat: number;
  at: number;
}

export const POST_EVERY_MS = 15_000;
export const MOVED_M = 50;
export const HEARTBEAT_MS = 60_000;

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle metres between two WGS-84 points (haversine). */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function shouldPost(lastSent: Sent | null, lastTryAt: number | null, fix: Fix, now: number): boolean {
  if (lastTryAt !== null && now - lastTryAt < POST_EVERY_MS) return false;
  if (lastSent === null) return true;
  return distanceM(lastSent, fix) >= MOVED_M || now - lastSent.at >= HEARTBEAT_MS;
}
