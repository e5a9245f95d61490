/**
 * Optional basemaps under the wall's layers (inserted before BASEMAP_SLOT), from /config.json:
 * - a MapLibre style URL: its sources and layers are copied in, ids prefixed, relative URLs
 *   resolved against the style; its own background is dropped so the wall keeps its ground;
 * - a PMTiles archive: raster tiles become one dimmed raster layer, vector tiles one dim fill
 *   and one dim line layer per vector layer listed in the archive's metadata.
 * Each `add…` returns the ids it added so the caller can remove them again.
 */
import * as maplibregl from 'maplibre-gl';
import type {
  AddLayerObject,
  LayerSpecification,
  Map as MapLibreMap,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { PMTiles, Protocol, TileType } from 'pmtiles';
import { absoluteUrl } from '../config.ts';
import { BASEMAP_SLOT } from './style.ts';

export interface AddedBasemap {
  sources: string[];
  layers: string[];
}

export const BASEMAP_PREFIX = 'basemap:';
const PMTILES_SOURCE = `${BASEMAP_PREFIX}pmtiles`;
const RASTER_TYPES = new Set([TileType.Png, TileType.Jpeg, TileType.Webp, TileType.Avif]);

let pmtilesProtocol: Protocol | undefined;

/** MapLibre protocols are global: register `pmtiles://` once for the page. */
function usePmtilesProtocol(): Protocol {
  if (!pmtilesProtocol) {
    pmtilesProtocol = new Protocol();
    maplibregl.addProtocol('pmtiles', pmtilesProtocol.tile);
  }
  return pmtilesProtocol;
}

function resolve(url: string, base: string): string {
  return url.includes('://') ? url : new URL(url, base).href;
}

function resolveSource(source: SourceSpecification, base: string): SourceSpecification {
  const resolved = { ...source } as SourceSpecification & { url?: string; tiles?: string[]; data?: unknown };
  if (typeof resolved.url === 'string') resolved.url = resolve(resolved.url, base);
  if (Array.isArray(resolved.tiles)) resolved.tiles = resolved.tiles.map((tile) => resolve(tile, base));
  if (typeof resolved.data === 'string') resolved.data = resolve(resolved.data, base);
  return resolved;
}

function prefixLayer(layer: LayerSpecification): AddLayerObject {
  const prefixed = { ...layer, id: BASEMAP_PREFIX + layer.id } as LayerSpecification & { source?: unknown };
  if (typeof prefixed.source === 'string') prefixed.source = BASEMAP_PREFIX + prefixed.source;
  return prefixed as AddLayerObject;
}

export async function addStyleBasemap(map: MapLibreMap, styleUrl: string): Promise<AddedBasemap> {
  const base = absoluteUrl(styleUrl);
  usePmtilesProtocol(); // a style may itself point at pmtiles:// sources
  const response = await fetch(base);
  if (!response.ok) throw new Error(`basemap style: HTTP ${response.status}`);
  const style = (await response.json()) as StyleSpecification;
  const added: AddedBasemap = { sources: [], layers: [] };
  if (typeof style.sprite === 'string') map.setSprite(resolve(style.sprite, base));
  else for (const sprite of style.sprite ?? []) map.addSprite(sprite.id, resolve(sprite.url, base));
  for (const [id, source] of Object.entries(style.sources)) {
    map.addSource(BASEMAP_PREFIX + id, resolveSource(source, base));
    added.sources.push(BASEMAP_PREFIX + id);
  }
  for (const layer of style.layers) {
    if (layer.type === 'background') continue;
    map.addLayer(prefixLayer(layer), BASEMAP_SLOT);
    added.layers.push(BASEMAP_PREFIX + layer.id);
  }
  return added;
}

export async function addPmtilesBasemap(map: MapLibreMap, path: string): Promise<AddedBasemap> {
  const url = absoluteUrl(path);
  const archive = new PMTiles(url);
  usePmtilesProtocol().add(archive);
  const header = await archive.getHeader();
  if (RASTER_TYPES.has(header.tileType)) return addRaster(map, url);
  if (header.tileType === TileType.Mvt || header.tileType === TileType.Mlt) {
    const encoding = header.tileType === TileType.Mlt ? 'mlt' : 'mvt';
    return addVector(map, url, encoding, vectorLayerIds(await archive.getMetadata()));
  }
  throw new Error(`basemap.pmtiles: unsupported tile type ${header.tileType}`);
}

export function removeBasemap(map: MapLibreMap, added: AddedBasemap): void {
  for (const id of added.layers) if (map.getLayer(id)) map.removeLayer(id);
  for (const id of added.sources) if (map.getSource(id)) map.removeSource(id);
}

function addRaster(map: MapLibreMap, url: string): AddedBasemap {
  map.addSource(PMTILES_SOURCE, { type: 'raster', url: `pmtiles://${url}`, tileSize: 256 });
  const id = `${BASEMAP_PREFIX}raster`;
  map.addLayer(
    {
      id,
      type: 'raster',
      source: PMTILES_SOURCE,
      // Dimmed and desaturated so the live colours stay the brightest thing on the wall.
      paint: { 'raster-opacity': 0.55, 'raster-saturation': -0.7, 'raster-brightness-max': 0.6 },
    },
    BASEMAP_SLOT,
  );
  return { sources: [PMTILES_SOURCE], layers: [id] };
}

function addVector(map: MapLibreMap, url: string, encoding: 'mvt' | 'mlt', vectorLayers: string[]): AddedBasemap {
  map.addSource(PMTILES_SOURCE, { type: 'vector', url: `pmtiles://${url}`, encoding });
  const layers: string[] = [];
  for (const sourceLayer of vectorLayers) {
    const fill = `${BASEMAP_PREFIX}${sourceLayer}-fill`;
    const line = `${BASEMAP_PREFIX}${sourceLayer}-line`;
    map.addLayer(
      {
        id: fill,
        type: 'fill',
        source: PMTILES_SOURCE,
        'source-layer': sourceLayer,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': '#15223b', 'fill-opacity': 0.6 },
      },
      BASEMAP_SLOT,
    );
    map.addLayer(
      {
        id: line,
        type: 'line',
        source: PMTILES_SOURCE,
        'source-layer': sourceLayer,
        filter: ['==', ['geometry-type'], 'LineString'],
        paint: { 'line-color': '#2c4068', 'line-width': 0.8, 'line-opacity': 0.7 },
      },
      BASEMAP_SLOT,
    );
    layers.push(fill, line);
  }
  return { sources: [PMTILES_SOURCE], layers };
}

function vectorLayerIds(metadata: unknown): string[] {
  const listed = (metadata as { vector_layers?: Array<{ id?: unknown }> } | null)?.vector_layers ?? [];
  return listed.flatMap((layer) => (typeof layer.id === 'string' ? [layer.id] : []));
}
