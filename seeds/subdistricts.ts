/**
 * Loads the 15 subdistrict polygons (WGS-84, properties `adcode` and `name`) that the simulator
 * walks in, from the repository's geo/data by default. The only file I/O of the simulator
 * besides the CLI; the simulation itself receives the polygons as a value.
 */
import { readFile } from 'node:fs/promises';
import type { SubdistrictCollection } from './geometry.ts';

export const SUBDISTRICTS_FILE = new URL('../geo/data/xicheng_subdistricts_osm_wgs84.geojson', import.meta.url);

export async function loadSubdistricts(file: URL | string = SUBDISTRICTS_FILE): Promise<SubdistrictCollection> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isSubdistrictCollection(parsed)) {
    throw new Error(`${String(file)} is not a FeatureCollection of Polygons with a 9-digit adcode each`);
  }
  return parsed;
}

function isSubdistrictCollection(value: unknown): value is SubdistrictCollection {
  if (!isRecord(value) || value.type !== 'FeatureCollection' || !Array.isArray(value.features)) return false;
  return value.features.every(
    (feature: unknown) =>
      isRecord(feature) &&
      isRecord(feature.geometry) &&
      feature.geometry.type === 'Polygon' &&
      isRecord(feature.properties) &&
      typeof feature.properties.adcode === 'string' &&
      /^110102\d{3}$/.test(feature.properties.adcode),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
