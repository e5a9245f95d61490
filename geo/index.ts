/**
 * Loads Xicheng's geography from geo/data once per process: the 15 subdistricts, the district
 * outline, the label points, the generated grid and a locator built over them. Node only (it
 * reads files); the pure modules (lattice, grid, locate) work anywhere.
 *
 * The result is shared by every caller, so it is deep-frozen: a caller that tries to change
 * the geometry fails loudly instead of changing everyone's map.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import type { Grid } from './grid.ts';
import { buildLocator, type Locator } from './locate.ts';

export { SUBDISTRICTS, subdistrictName, type SubdistrictName } from './names.ts';
export type { Place, Locator } from './locate.ts';
export type { Grid, GridCell, GridCellProperties } from './grid.ts';

export const DATA_FILES = {
  subdistricts: 'xicheng_subdistricts_osm_wgs84.geojson',
  outline: 'xicheng_district_outline_osm_wgs84.geojson',
  labels: 'xicheng_subdistrict_labels_osm_wgs84.geojson',
  grid: 'xicheng_grid_generated.geojson',
} as const;

/** Feature properties as they are in the files; data/SOURCES.md describes each. */
export interface SubdistrictProperties {
  name: string;
  /** 9-digit statistical code, e.g. "110102012" */
  adcode: string;
  osm_relation_id: number;
  admin_level: string;
  admin_type: string;
  source: string;
  license: string;
  downloaded_at: string;
  clean_note: string;
}

export interface OutlineProperties {
  name: string;
  adcode: string;
  admin_level: string;
  area_km2_geodesic: number;
  derivation: string;
  source: string;
  license: string;
  crs: string;
}

export interface LabelProperties {
  name: string;
  adcode: string;
  osm_relation_id: number;
  area_km2_geodesic: number;
  point_kind: string;
  source: string;
  license: string;
}

export interface Geo {
  subdistricts: FeatureCollection<Polygon, SubdistrictProperties>;
  outline: FeatureCollection<Polygon, OutlineProperties>;
  labels: FeatureCollection<Point, LabelProperties>;
  grid: Grid;
  locator: Locator;
  /** [west, south, east, north] of the subdistricts */
  bbox: [number, number, number, number];
}

let loaded: Geo | undefined;

export function loadGeo(): Geo {
  loaded ??= deepFreeze(readGeo());
  return loaded;
}

/** Absolute path of a file in geo/data, wherever the repository is checked out. */
export function dataPath(fileName: string): string {
  return fileURLToPath(new URL(`./data/${fileName}`, import.meta.url));
}

export function readDataJson<T>(fileName: string): T {
  return JSON.parse(readFileSync(dataPath(fileName), 'utf8')) as T;
}

function readGeo(): Geo {
  const subdistricts = readDataJson<Geo['subdistricts']>(DATA_FILES.subdistricts);
  const grid = readDataJson<Grid>(DATA_FILES.grid);
  return {
    subdistricts,
    outline: readDataJson<Geo['outline']>(DATA_FILES.outline),
    labels: readDataJson<Geo['labels']>(DATA_FILES.labels),
    grid,
    locator: buildLocator(subdistricts, grid),
    bbox: boundingBox(subdistricts),
  };
}

function boundingBox(subdistricts: FeatureCollection<Polygon>): [number, number, number, number] {
  const positions = subdistricts.features.flatMap((f) => f.geometry.coordinates.flat());
  const lons = positions.map((p) => p[0]!);
  const lats = positions.map((p) => p[1]!);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
