import { describe, expect, it } from 'vitest';
import { toWgs84 } from './coordinates.ts';

describe('toWgs84', () => {
  it('leaves WGS-84 alone', () => {
    expect(toWgs84(116.378293, 39.9327918, 'wgs84')).toEqual({ lon: 116.378293, lat: 39.9327918 });
  });
  it('moves a GCJ-02 point in Xicheng back by the known offset (about +0.0062° lon, +0.0014° lat)', () => {
    const wgs = { lon: 116.378293, lat: 39.9327918 };
    const gcj = { lon: wgs.lon + 0.00624, lat: wgs.lat + 0.00138 };
    const back = toWgs84(gcj.lon, gcj.lat, 'gcj02');
    expect(Math.abs(back.lon - wgs.lon)).toBeLessThan(0.0002);
    expect(Math.abs(back.lat - wgs.lat)).toBeLessThan(0.0002);
  });
});
