/**
 * Coordinates at the edge: the product stores and draws WGS-84; a feed that sends GCJ-02
 * ("Mars coordinates" of Chinese phone SDKs and AMap, ~550 m off in Xicheng) is converted on
 * the way in with gcoord, a maintained library.
 */
import gcoord from 'gcoord';

export type CoordinateSystem = 'wgs84' | 'gcj02';

export function toWgs84(lon: number, lat: number, from: CoordinateSystem): { lon: number; lat: number } {
  if (from === 'wgs84') return { lon, lat };
  const [wgsLon, wgsLat] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return { lon: round7(wgsLon), lat: round7(wgsLat) };
}

/** 7 decimals, about 1 cm: what OSM keeps, and what makes retries compare equal. */
function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}
