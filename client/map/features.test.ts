import { describe, expect, it } from 'vitest';
import { SentProperties, sourceDiff, type PointFeature } from './features.ts';

function unit(id: string, lon: number, status = 'available'): PointFeature {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 39.93] }, properties: { id, status, freshness: 'fresh', ageN: -1 } };
}

describe('sourceDiff', () => {
  it('sends a feature that only moved as its new geometry alone', () => {
    const sent = new SentProperties();
    const features = new Map([['u1', unit('u1', 116.36)]]);
    sourceDiff({ add: ['u1'], update: [], remove: [] }, (id) => features.get(id), sent);
    features.set('u1', unit('u1', 116.37));
    const moved = sourceDiff({ add: [], update: ['u1'], remove: [] }, (id) => features.get(id), sent);
    expect(moved.update).toEqual([{ id: 'u1', newGeometry: { type: 'Point', coordinates: [116.37, 39.93] } }]);
  });

  it('sends every property when any changed, and again after the feature was removed', () => {
    const sent = new SentProperties();
    const features = new Map([['u1', unit('u1', 116.36)]]);
    sourceDiff({ add: ['u1'], update: [], remove: [] }, (id) => features.get(id), sent);
    features.set('u1', unit('u1', 116.36, 'assigned'));
    const restyled = sourceDiff({ add: [], update: ['u1'], remove: [] }, (id) => features.get(id), sent);
    expect(restyled.update?.[0]?.addOrUpdateProperties).toContainEqual({ key: 'status', value: 'assigned' });

    sourceDiff({ add: [], update: [], remove: ['u1'] }, (id) => features.get(id), sent);
    const back = sourceDiff({ add: [], update: ['u1'], remove: [] }, (id) => features.get(id), sent);
    expect(back.update?.[0]?.addOrUpdateProperties).toHaveLength(4);
  });
});
