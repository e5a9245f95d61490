/**
 * Seeded uniform random points in a bounding box, for tests and benchmarks: the same seed
 * gives the same points on every machine. Pure.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** `count` points [lon, lat] in `bbox` ([west, south, east, north]) widened by `marginDeg` on every side. */
export function randomPointsIn(
  [west, south, east, north]: readonly [number, number, number, number],
  count: number,
  seed: number,
  marginDeg = 0,
): [number, number][] {
  const rng = xoroshiro128plus(seed);
  const between = (low: number, high: number) => low - marginDeg + uniformFloat64(rng) * (high - low + 2 * marginDeg);
  return Array.from({ length: count }, () => [between(west, east), between(south, north)]);
}
