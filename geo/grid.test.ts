import { readFileSync } from 'node:fs';
import { area, bbox, difference, featureCollection, intersect } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateGrid, serializeGrid } from './grid.ts';
import { DATA_FILES, dataPath, loadGeo, readDataJson } from './index.ts';

/** Rounding to 7 decimals moves vertices by up to ~1 cm: overlaps and leaks below this are noise. */
const TOLERANCE_M2 = 5;

type Shape = Feature<Polygon | MultiPolygon>;

function overlapM2(a: Shape, b: Shape): number {
  const shared = intersect(featureCollection([a, b]));
  return shared ? area(shared) : 0;
}

function boxesOverlap(a: number[], b: number[]): boolean {
  // Strictly: cells that merely share an edge have zero-width overlapping boxes and zero overlap.
  return a[0]! < b[2]! && b[0]! < a[2]! && a[1]! < b[3]! && b[1]! < a[3]!;
}

describe('the generated grid', () => {
  it('is deterministic and the committed file is a fresh generation', () => {
    const subdistricts = readDataJson<FeatureCollection<Polygon>>(DATA_FILES.subdistricts);
    const first = serializeGrid(generateGrid(subdistricts));
    const second = serializeGrid(generateGrid(subdistricts));
    expect(second).toBe(first);
    // If this fails, regenerate: npx tsx geo/build-grid.ts
    expect(readFileSync(dataPath(DATA_FILES.grid), 'utf8')).toBe(first);
  });

  it('has between 2,000 and 3,000 cells with unique ids, all marked generated', () => {
    const { grid } = loadGeo();
    const ids = grid.features.map((cell) => cell.properties.id);
    expect(ids.length).toBeGreaterThanOrEqual(2_000);
    expect(ids.length).toBeLessThanOrEqual(3_000);
    expect(new Set(ids).size).toBe(ids.length);
    expect(grid.properties.generated).toBe(true);
    expect(grid.properties.cellCount).toBe(ids.length);
    expect(grid.features.every((cell) => cell.properties.generated === true)).toBe(true);
  });

  it('puts every cell inside its own subdistrict and outside every other', () => {
    const { grid, subdistricts } = loadGeo();
    const subdistrictBoxes = subdistricts.features.map((s) => bbox(s));
    for (const cell of grid.features) {
      const own = subdistricts.features.find((s) => s.properties?.adcode === cell.properties.subdistrict);
      expect(own, cell.properties.id).toBeDefined();
      const leak = difference(featureCollection<Polygon | MultiPolygon>([cell, own!]));
      expect(leak ? area(leak) : 0, `${cell.properties.id} outside its subdistrict`).toBeLessThan(TOLERANCE_M2);
      const cellBox = bbox(cell);
      subdistricts.features.forEach((other, i) => {
        if (other === own || !boxesOverlap(cellBox, subdistrictBoxes[i]!)) return;
        expect(overlapM2(cell, other), `${cell.properties.id} in ${other.properties?.adcode}`).toBeLessThan(TOLERANCE_M2);
      });
    }
  });

  it('has no two cells overlapping', () => {
    const { grid } = loadGeo();
    const boxes = grid.features.map((cell) => bbox(cell));
    let pairsChecked = 0;
    for (let i = 0; i < grid.features.length; i++) {
      for (let j = i + 1; j < grid.features.length; j++) {
        if (!boxesOverlap(boxes[i]!, boxes[j]!)) continue;
        pairsChecked++;
        const [a, b] = [grid.features[i]!, grid.features[j]!];
        expect(overlapM2(a, b), `${a.properties.id} × ${b.properties.id}`).toBeLessThan(TOLERANCE_M2);
      }
    }
    expect(pairsChecked).toBeGreaterThan(100);
  });

  it('covers the district: total cell area within 0.5 % of the district area', () => {
    const { grid, outline } = loadGeo();
    const cellsM2 = grid.features.reduce((sum, cell) => sum + area(cell), 0);
    const districtM2 = area(outline);
    expect(Math.abs(cellsM2 - districtM2) / districtM2).toBeLessThan(0.005);
  });

  it('records each cell’s own square first among the squares it holds', () => {
    const { grid } = loadGeo();
    for (const { properties } of grid.features) {
      expect(properties.squares[0]).toEqual([properties.col, properties.row]);
      expect(properties.id.endsWith(`-${String(properties.col).padStart(3, '0')}-${String(properties.row).padStart(3, '0')}`)).toBe(true);
    }
  });
});
