/**
 * How layer components reach the map: WallMap sets this context once the map has loaded, so a
 * layer can add its source and layers on mount and remove them on destroy. `layerReady` tells
 * WallMap a layer is in the style, which is what `rendered` waits for.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { createContext } from 'svelte';

export interface WallMapContext {
  map: MapLibreMap;
  layerReady(name: string): void;
  /** Fit the camera to the district once its outline is known. */
  fitDistrict(bounds: [number, number, number, number]): void;
}

export const [getWallMap, setWallMap] = createContext<WallMapContext>();
