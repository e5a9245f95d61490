/**
 * Walking geometry on small synthetic polygons: routes bend around concave corners instead of
 * cutting across the outside, random points fall inside, GPS errors fall just outside.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { District, interpolate, type LonLat, type SubdistrictProperties } from './geometry.ts';
import { Random } from './random.ts';

const ORIGIN: LonLat = [116.35, 39.9];
/** about 100 m */
const UNIT = 0.001;

function polygon(adcode: string, corners: readonly (readonly [number, number])[]): Feature<Polygon, SubdistrictProperties> {
  const ring = [...corners, corners[0] as readonly [number, number]].map(([x, y]) => [ORIGIN[0] + x * UNIT, ORIGIN[1] + y * UNIT]);
  return { type: 'Feature', properties: { adcode }, geometry: { type: 'Polygon', coordinates: [ring] } };
}

function at(x: number, y: number): LonLat {
  return [ORIGIN[0] + x * UNIT, ORIGIN[1] + y * UNIT];
}

/** A U open to the north: the direct line between the tops of its arms leaves it. */
const U_SHAPE = polygon('110102001', [
  [0, 0],
  [3, 0],
  [3, 3],
  [2, 3],
  [2, 1],
  [1, 1],
  [1, 3],
  [0, 3],
]);
const NEIGHBOUR = polygon('110102003', [
  [3, 0],
  [5, 0],
  [5, 3],
  [3, 3],
]);

describe('Area.route', () => {
  const district = new District({ type: 'FeatureCollection', features: [U_SHAPE, NEIGHBOUR] });
  const area = district.areas[0];
  if (!area) throw new Error('no area');

  it('goes straight when it can', () => {
    expect(area.route(at(0.5, 0.5), at(2.5, 0.5))).toEqual([at(2.5, 0.5)]);
  });

  it('bends around the concave corners and never leaves the polygon', () => {
    const from = at(0.5, 2.5);
    const to = at(2.5, 2.5);
    const route = area.route(from, to);
    expect(route).not.toBeNull();
    expect(route?.length).toBe(3);
    let previous = from;
    for (const waypoint of route ?? []) {
      for (let k = 0; k <= 50; k++) {
        expect(booleanPointInPolygon([...interpolate(previous, waypoint, k / 50)], U_SHAPE)).toBe(true);
      }
      previous = waypoint;
    }
    const length = district.frame.pathLength(from, route ?? []);
    expect(length).toBeGreaterThan(district.frame.distance(from, to) + 200);
    expect(length).toBeLessThan(700);
  });

  it('draws random points inside, and near a centre when asked', () => {
    const random = Random.fromSeed(3);
    for (let i = 0; i < 200; i++) {
      expect(area.contains(area.randomPoint(random))).toBe(true);
      const near = area.randomPointNear(random, at(0.5, 2.5), 50);
      expect(area.contains(near)).toBe(true);
    }
  });

  it('puts GPS errors just outside the district, near the point', () => {
    const random = Random.fromSeed(4);
    for (let i = 0; i < 50; i++) {
      const p = area.randomPoint(random);
      const error = district.gpsErrorNear(p, random);
      expect(district.contains(error)).toBe(false);
      expect(district.frame.distance(p, error)).toBeLessThan(300);
    }
  });
});
