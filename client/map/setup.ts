/**
 * Points MapLibre at its bundled worker (Vite serves it as an asset, so nothing is fetched from
 * a CDN) and loads MapLibre's styles. Imported for its effect by WallMap, so only the wall's
 * chunk carries the map.
 */
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

maplibregl.setWorkerUrl(workerUrl);
