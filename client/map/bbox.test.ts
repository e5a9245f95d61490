/** bboxOf against the real district outline shape: a polygon inside a feature collection. */
import { describe, expect, it } from 'vitest';
import { bboxOf } from './bbox.ts';

describe('bboxOf', () => {
  it('boxes every ring of every feature', () => {
    const square = [
      [116.3, 39.8],
      [116.4, 39.8],
      [116.4, 39.9],
      [116.3, 39.8],
    ];
    const data = {
      type: 'FeatureCollection' as const,
      features: [
        { type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [square] } },
        { type: 'Feature' as const, properties: {}, geometry: { type: 'Point' as const, coordinates: [116.5, 39.7] } },
      ],
    };
    expect(bboxOf(data)).toEqual([116.3, 39.7, 116.5, 39.9]);
  });

  it('has no box for nothing', () => {
    expect(bboxOf({ type: 'FeatureCollection', features: [] })).toBeNull();
  });
});
