/**
 * Where the map frames one subdistrict: the box around its boundary, taken from the same
 * subdistricts GeoJSON the boundaries layer draws. The file is fetched once per page and kept,
 * so a playlist rotating through subdistricts fetches it only the first time.
 */
import type { FeatureCollection } from 'geojson';
import { GEO_FILES } from '../config.ts';
import { bboxOf, type BBox } from '../map/bbox.ts';

export function subdistrictBounds(boundaries: FeatureCollection, adcode: string): BBox | null {
  const feature = boundaries.features.find((f) => f.properties?.adcode === adcode);
  return feature ? bboxOf(feature) : null;
}

let boundaries: Promise<FeatureCollection> | undefined;

async function fetchBoundaries(): Promise<FeatureCollection> {
  const response = await fetch(GEO_FILES.subdistricts);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as FeatureCollection;
}

/** The subdistrict's box, or null (and a warning) when the boundaries cannot be had: the map then stays on the district. */
export async function loadSubdistrictBounds(adcode: string): Promise<BBox | null> {
  boundaries ??= fetchBoundaries();
  try {
    return subdistrictBounds(await boundaries, adcode);
  } catch (error) {
    boundaries = undefined;
    console.warn('Subdistrict boundaries not loaded:', error);
    return null;
  }
}
