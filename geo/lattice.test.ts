import { describe, expect, it } from 'vitest';
import { columnLon, rowLat, segmentMeetsRect, squarePolygon } from './lattice.ts';

const rect = { west: 0, south: 0, east: 1, north: 1 };

describe('segmentMeetsRect', () => {
  it('sees segments inside, crossing, touching an edge and touching a corner', () => {
    expect(segmentMeetsRect(0.2, 0.2, 0.8, 0.8, rect)).toBe(true);
    expect(segmentMeetsRect(-1, 0.5, 2, 0.5, rect)).toBe(true);
    expect(segmentMeetsRect(1, -1, 1, 2, rect)).toBe(true);
    expect(segmentMeetsRect(2, 0, 1, 1, rect)).toBe(true);
    expect(segmentMeetsRect(0, 2, 2, 0, rect)).toBe(true);
  });

  it('rejects segments that pass by, even when their bounding boxes overlap the rectangle', () => {
    expect(segmentMeetsRect(1.5, -1, 1.5, 2, rect)).toBe(false);
    expect(segmentMeetsRect(0.5, 2.1, 2.1, 0.5, rect)).toBe(false);
    expect(segmentMeetsRect(-0.5, 0.6, 0.4, 1.5, rect)).toBe(false);
    expect(segmentMeetsRect(2, 2, 3, 3, rect)).toBe(false);
  });
});

describe('lattice lines', () => {
  it('are exact 7-decimal values, so rounding the grid file leaves them unchanged', () => {
    for (let k = 0; k < 100; k++) {
      for (const value of [columnLon(k), rowLat(k)]) {
        expect(Math.round(value * 1e7) / 1e7).toBe(value);
        expect(Number(value.toFixed(7))).toBe(value);
      }
    }
  });

  it('make counter-clockwise closed squares', () => {
    const [ring] = squarePolygon(3, 4).coordinates;
    expect(ring![0]).toEqual(ring![4]);
    const signedArea = ring!.slice(0, 4).reduce((sum, [x1, y1], i) => {
      const [x2, y2] = ring![i + 1]!;
      return sum + x1! * y2! - x2! * y1!;
    }, 0);
    expect(signedArea).toBeGreaterThan(0);
  });
});
