import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATA_FILES, dataPath, loadGeo } from './index.ts';

describe('loadGeo', () => {
  it('loads the 15 subdistricts, the outline, the labels and the grid', () => {
    const geo = loadGeo();
    expect(geo.subdistricts.features).toHaveLength(15);
    expect(geo.outline.features).toHaveLength(1);
    expect(geo.labels.features).toHaveLength(15);
    expect(geo.grid.features.length).toBeGreaterThan(2_000);
    const [west, south, east, north] = geo.bbox;
    expect([west, south, east, north].map((v) => Number(v.toFixed(5)))).toEqual([116.31492, 39.86754, 116.39301, 39.97162]);
  });

  it('puts each label point in its own subdistrict', () => {
    const { labels, locator } = loadGeo();
    for (const label of labels.features) {
      const [lon, lat] = label.geometry.coordinates;
      expect(locator.locate(lon!, lat!).subdistrict).toBe(label.properties?.adcode);
    }
  });

  it('is memoized and deep-frozen, so callers share one copy nobody can change', () => {
    const geo = loadGeo();
    expect(loadGeo()).toBe(geo);
    expect(Object.isFrozen(geo.subdistricts.features[0]!.geometry.coordinates[0]![0])).toBe(true);
    expect(() => (geo.grid.features as unknown[]).push({})).toThrow(TypeError);
  });

  it('keeps the subdistrict file byte-for-byte as recorded in SOURCES.md', () => {
    const bytes = readFileSync(dataPath(DATA_FILES.subdistricts));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      'a4b40dc6a4b829c8262f355a85de40f6200f925863f6e1a72357cb3a63d473a1',
    );
  });
});
