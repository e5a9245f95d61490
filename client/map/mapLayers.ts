/**
 * Adding and removing one component's share of the style: a source and the layers drawn from it.
 * Layers go under the labels (before LABEL_SLOT) unless another `beforeId`, or ON_TOP, is given.
 * Removal takes the layers first, as MapLibre refuses to remove a source still in use.
 */
import type { AddLayerObject, Map as MapLibreMap, SourceSpecification } from 'maplibre-gl';
import { LABEL_SLOT } from './style.ts';

export const ON_TOP = null;

export function addSourceWithLayers(
  map: MapLibreMap,
  sourceId: string,
  source: SourceSpecification,
  layers: AddLayerObject[],
  beforeId: string | typeof ON_TOP = LABEL_SLOT,
): void {
  map.addSource(sourceId, source);
  for (const layer of layers) map.addLayer(layer, beforeId ?? undefined);
}

export function removeSourceWithLayers(map: MapLibreMap, sourceId: string, layerIds: readonly string[]): void {
  for (const id of layerIds) {
    if (map.getLayer(id)) map.removeLayer(id);
  }
  if (map.getSource(sourceId)) map.removeSource(sourceId);
}
