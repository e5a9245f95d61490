import { readFileSync } from 'node:fs';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { SUBDISTRICTS } from '../../geo/names.ts';
import { DISTRICT_BOUNDS } from '../map/style.ts';
import { subdistrictBounds } from './frame.ts';

const boundaries = JSON.parse(
  readFileSync(new URL('../../geo/data/xicheng_subdistricts_osm_wgs84.geojson', import.meta.url), 'utf8'),
) as FeatureCollection;

describe('subdistrictBounds', () => {
  it("frames each subdistrict inside the district's box, on a part of it", () => {
    const [west, south, east, north] = DISTRICT_BOUNDS;
    const slack = 1e-3;
    for (const { adcode } of SUBDISTRICTS) {
      const box = subdistrictBounds(boundaries, adcode);
      expect(box, adcode).not.toBeNull();
      const [w, s, e, n] = box!;
      expect(w).toBeGreaterThanOrEqual(west - slack);
      expect(s).toBeGreaterThanOrEqual(south - slack);
      expect(e).toBeLessThanOrEqual(east + slack);
      expect(n).toBeLessThanOrEqual(north + slack);
      expect((e - w) * (n - s)).toBeLessThan(0.5 * (east - west) * (north - south));
    }
  });

  it('holds 什刹海 (Shichahai), north of the centre', () => {
    const [w, s, e, n] = subdistrictBounds(boundaries, '110102012')!;
    expect(w < 116.385 && 116.385 < e && s < 39.94 && 39.94 < n).toBe(true);
  });

  it('is null for an adcode that is not in the file', () => {
    expect(subdistrictBounds(boundaries, '110102999')).toBeNull();
  });
});
