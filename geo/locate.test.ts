import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateGrid } from './grid.ts';
import { loadGeo } from './index.ts';
import { SUB_SIDE, classifySquares, columnLon, latticeFor, rowLat } from './lattice.ts';
import { buildLocator, type Place } from './locate.ts';
import { randomPointsIn } from './random-points.ts';

/** Adcodes of the subdistricts holding the point by turf's rule, in feature order. */
function holdersByTurf(subdistricts: FeatureCollection<Polygon>, point: Position): string[] {
  return subdistricts.features.filter((f) => booleanPointInPolygon(point, f)).map((f) => String(f.properties?.adcode));
}

function expectAgreesWithTurf(place: Place, holders: string[]): void {
  if (holders.length === 0) {
    expect(place).toEqual({ subdistrict: null, cell: null, outside: true });
  } else {
    expect(holders).toContain(place.subdistrict);
    expect(place.outside).toBe(false);
  }
}

describe('locate on the real data', () => {
  it('agrees with turf on 20,000 seeded random points, and the cell contains the point', () => {
    const { subdistricts, grid, locator, bbox } = loadGeo();
    const cellById = new Map(grid.features.map((cell) => [cell.properties.id, cell]));
    let inside = 0;
    for (const point of randomPointsIn(bbox, 20_000, 7, 0.01)) {
      const place = locator.locate(point[0], point[1]);
      const holders = holdersByTurf(subdistricts, point);
      expectAgreesWithTurf(place, holders);
      if (holders.length === 0) continue;
      inside++;
      expect(place.subdistrict).toBe(holders[0]);
      const cell = cellById.get(place.cell ?? '');
      expect(cell, `cell of ${point}`).toBeDefined();
      expect(booleanPointInPolygon(point, cell!), `cell ${place.cell} holds ${point}`).toBe(true);
      expect(cell!.properties.subdistrict).toBe(place.subdistrict);
    }
    // The bbox holds the district with room around it: both branches must have been exercised.
    expect(inside).toBeGreaterThan(5_000);
    expect(inside).toBeLessThan(20_000);
  });

  it('agrees with turf on every vertex, edge midpoint and points a hair off each edge', () => {
    const { subdistricts, locator } = loadGeo();
    for (const point of pointsOnAndNearEdges(subdistricts)) {
      const place = locator.locate(point[0]!, point[1]!);
      expectAgreesWithTurf(place, holdersByTurf(subdistricts, point));
    }
  });

  it('answers points on lattice lines and corners with a cell that holds them', () => {
    const { subdistricts, grid, locator } = loadGeo();
    const lattice = latticeFor(subdistricts);
    const cellById = new Map(grid.features.map((cell) => [cell.properties.id, cell]));
    for (let col = 0; col <= lattice.cols; col += 3) {
      for (let row = 0; row <= lattice.rows; row += 3) {
        const corner = [columnLon(col), rowLat(row)];
        const place = locator.locate(corner[0]!, corner[1]!);
        const holders = holdersByTurf(subdistricts, corner);
        expectAgreesWithTurf(place, holders);
        if (holders.length > 0) expect(booleanPointInPolygon(corner, cellById.get(place.cell!)!)).toBe(true);
      }
    }
  });

  it('answers the corners and centres of boundary squares’ sub-squares as turf does, with a cell that holds them', () => {
    const { subdistricts, grid, locator } = loadGeo();
    const lattice = latticeFor(subdistricts);
    const cellById = new Map(grid.features.map((cell) => [cell.properties.id, cell]));
    const boundarySquares = classifySquares(subdistricts, lattice).flatMap((c, square) => (c.candidates.length > 0 ? [square] : []));
    let inside = 0;
    for (const square of boundarySquares.filter((_, i) => i % 5 === 0)) {
      const col = square % lattice.cols;
      const row = (square - col) / lattice.cols;
      const [west, south] = [columnLon(col), rowLat(row)];
      const [width, height] = [columnLon(col + 1) - west, rowLat(row + 1) - south];
      // Steps of half a sub-square: every sub-square's corners, edge midpoints and centre.
      for (let i = 0; i <= 2 * SUB_SIDE; i++) {
        for (let j = 0; j <= 2 * SUB_SIDE; j++) {
          const point = [west + (i * width) / (2 * SUB_SIDE), south + (j * height) / (2 * SUB_SIDE)];
          const place = locator.locate(point[0]!, point[1]!);
          const holders = holdersByTurf(subdistricts, point);
          expectAgreesWithTurf(place, holders);
          if (holders.length === 0 || place.cell === null) continue;
          inside++;
          expect(booleanPointInPolygon(point, cellById.get(place.cell)!), `cell ${place.cell} holds ${point}`).toBe(true);
        }
      }
    }
    expect(boundarySquares.length).toBeGreaterThan(100);
    expect(inside).toBeGreaterThan(1_000);
  });

  it('calls non-finite and far-away coordinates outside, without throwing', () => {
    const { locator } = loadGeo();
    const outside = { subdistrict: null, cell: null, outside: true };
    for (const [lon, lat] of [
      [NaN, 39.9],
      [116.36, NaN],
      [Infinity, 39.9],
      [116.36, -Infinity],
      [0, 0],
      [-116.36, -39.9],
      [116.36 + 360, 39.9],
    ] as const) {
      expect(locator.locate(lon, lat)).toEqual(outside);
    }
  });

  it('returns frozen places, so no caller can change another caller’s answer', () => {
    const { bbox, locator } = loadGeo();
    const place = locator.locate((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2);
    expect(place.outside).toBe(false);
    expect(Object.isFrozen(place)).toBe(true);
  });
});

describe('locate where a boundary runs along a lattice line', () => {
  /** A column whose western line floor()s into that column itself, not the one to its west. */
  function columnWhoseLineFloorsEast(): number {
    const lattice = latticeFor(rectangles([[columnLon(1), rowLat(1), columnLon(50), rowLat(50)]]));
    const col = Array.from({ length: 40 }, (_, k) => k + 3).find(
      (k) => Math.floor((columnLon(k) - lattice.lon0) / lattice.dlon) === k,
    );
    if (col === undefined) throw new Error('no lattice line floors east; pick another range');
    return col;
  }

  it('finds the cell across the square edge when the only holder just touches the square', () => {
    const k = columnWhoseLineFloorsEast();
    // West: a subdistrict whose east edge is lattice line k; nothing east of it.
    const subdistricts = rectangles([[columnLon(k - 2) + 2e-4, rowLat(5) + 3e-4, columnLon(k), rowLat(7) + 4e-4]]);
    const locator = buildLocator(subdistricts, generateGrid(subdistricts));
    const onEdge = [columnLon(k), rowLat(6) + 1e-4];
    expect(locator.locate(onEdge[0]!, onEdge[1]!)).toEqual({
      subdistrict: 'A',
      cell: `A-${String(k - 1).padStart(3, '0')}-006`,
      outside: false,
    });
    expect(locator.locate(onEdge[0]! + 1e-6, onEdge[1]!).outside).toBe(true);
  });

  it('prefers the holder with a cell in the square when two subdistricts share the line', () => {
    const k = columnWhoseLineFloorsEast();
    const subdistricts = rectangles([
      [columnLon(k - 2) + 2e-4, rowLat(5) + 3e-4, columnLon(k), rowLat(7) + 4e-4],
      [columnLon(k), rowLat(5) + 3e-4, columnLon(k + 2) - 2e-4, rowLat(7) + 4e-4],
    ]);
    const grid = generateGrid(subdistricts);
    const locator = buildLocator(subdistricts, grid);
    const onEdge = [columnLon(k), rowLat(6) + 1e-4];
    const place = locator.locate(onEdge[0]!, onEdge[1]!);
    expect(place.subdistrict).toBe('B');
    const cell = grid.features.find((c) => c.properties.id === place.cell)!;
    expect(booleanPointInPolygon(onEdge, cell)).toBe(true);
  });
});

describe('buildLocator input checks', () => {
  it('rejects a grid whose cells claim the same square twice', () => {
    const subdistricts = rectangles([[columnLon(3) + 1e-4, rowLat(3) + 1e-4, columnLon(5) - 1e-4, rowLat(5) - 1e-4]]);
    const grid = generateGrid(subdistricts);
    const first = grid.features[0]!;
    const twice = { ...grid, features: [...grid.features, { ...first, properties: { ...first.properties, id: 'copy' } }] };
    expect(() => buildLocator(subdistricts, twice)).toThrow(/already belongs/);
  });

  it('rejects a grid cell of an unknown subdistrict', () => {
    const subdistricts = rectangles([[columnLon(3) + 1e-4, rowLat(3) + 1e-4, columnLon(5) - 1e-4, rowLat(5) - 1e-4]]);
    const grid = generateGrid(subdistricts);
    const stray = grid.features.map((c) => ({ ...c, properties: { ...c.properties, subdistrict: 'Z' } }));
    expect(() => buildLocator(subdistricts, { ...grid, features: stray })).toThrow(/unknown subdistrict/);
  });
});

/** Axis-aligned rectangle subdistricts named A, B, … from [west, south, east, north]. */
function rectangles(boxes: [number, number, number, number][]): FeatureCollection<Polygon> {
  const features = boxes.map(([w, s, e, n], i): Feature<Polygon> => ({
    type: 'Feature',
    properties: { adcode: String.fromCharCode(65 + i) },
    geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
  }));
  return { type: 'FeatureCollection', features };
}

function pointsOnAndNearEdges(subdistricts: FeatureCollection<Polygon>): Position[] {
  const points: Position[] = [];
  for (const feature of subdistricts.features) {
    const ring = feature.geometry.coordinates[0]!;
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i] as [number, number];
      const [bx, by] = ring[i + 1] as [number, number];
      const [mx, my] = [(ax + bx) / 2, (ay + by) / 2];
      const length = Math.hypot(bx - ax, by - ay);
      const [nx, ny] = [-(by - ay) / length, (bx - ax) / length];
      points.push([ax, ay], [mx, my]);
      for (const offset of [1e-12, 1e-9, 1e-7]) points.push([mx + nx * offset, my + ny * offset], [mx - nx * offset, my - ny * offset]);
    }
  }
  return points;
}
