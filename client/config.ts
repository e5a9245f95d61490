/**
 * The wall's runtime configuration from the server's `GET /config.json`, and the same-origin
 * paths of the geography files. If the config cannot be read the wall still stands: no
 * basemap, the default attribution and freshness thresholds. The page's address may override
 * the freshness thresholds for this screen (`?stale=…&lost=…`, see map/freshness.ts).
 */
import { DEFAULT_FRESHNESS, thresholdsFromSearch, type FreshnessThresholds } from './map/freshness.ts';

export interface BasemapConfig {
  /** URL of a MapLibre style whose sources and layers go under ours */
  style: string | null;
  /** URL path of a PMTiles archive served with range requests */
  pmtiles: string | null;
}

export interface WallConfig {
  basemap: BasemapConfig;
  attribution: string;
  /** when a unit's position counts as stale (faded) and lost (grey) */
  freshness: FreshnessThresholds;
}

export const DEFAULT_CONFIG: WallConfig = {
  basemap: { style: null, pmtiles: null },
  attribution: '© OpenStreetMap contributors',
  freshness: DEFAULT_FRESHNESS,
};

export const GEO_FILES = {
  outline: '/geo/xicheng_district_outline_osm_wgs84.geojson',
  subdistricts: '/geo/xicheng_subdistricts_osm_wgs84.geojson',
  labels: '/geo/xicheng_subdistrict_labels_osm_wgs84.geojson',
  grid: '/geo/xicheng_grid_generated.geojson',
} as const;

/** MapLibre fetches from its workers, so every URL it gets is made absolute here. */
export function absoluteUrl(path: string): string {
  return new URL(path, window.location.href).href;
}

export async function loadConfig(): Promise<WallConfig> {
  const served = await fetchConfig();
  return { ...served, freshness: thresholdsFromSearch(window.location.search, served.freshness) };
}

async function fetchConfig(): Promise<WallConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
    const body = (await response.json()) as Partial<WallConfig>;
    return {
      basemap: { ...DEFAULT_CONFIG.basemap, ...body.basemap },
      attribution: body.attribution ?? DEFAULT_CONFIG.attribution,
      freshness: body.freshness ?? DEFAULT_CONFIG.freshness,
    };
  } catch (error) {
    console.warn('Wall runs without /config.json:', error);
    return DEFAULT_CONFIG;
  }
}
