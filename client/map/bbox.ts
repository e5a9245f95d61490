/** The [west, south, east, north] box around every coordinate of a GeoJSON object. */
import type { GeoJSON, Position } from 'geojson';

export type BBox = [number, number, number, number];

export function bboxOf(data: GeoJSON): BBox | null {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of positionsOf(data)) {
    if (lon === undefined || lat === undefined) continue;
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  }
  return box[0] <= box[2] ? box : null;
}

function* positionsOf(data: GeoJSON): Generator<Position> {
  switch (data.type) {
    case 'FeatureCollection':
      for (const feature of data.features) yield* positionsOf(feature);
      return;
    case 'Feature':
      if (data.geometry) yield* positionsOf(data.geometry);
      return;
    case 'GeometryCollection':
      for (const geometry of data.geometries) yield* positionsOf(geometry);
      return;
    case 'Point':
      yield data.coordinates;
      return;
    case 'MultiPoint':
    case 'LineString':
      yield* data.coordinates;
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const line of data.coordinates) yield* line;
      return;
    case 'MultiPolygon':
      for (const polygon of data.coordinates) for (const ring of polygon) yield* ring;
      return;
  }
}
