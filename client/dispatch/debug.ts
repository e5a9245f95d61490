/**
 * `window.__dispatch`: a read-only window into the dispatch console for browser tests and staff
 * with a console, beside the wall's `window.__wall`. `project` gives where a point lies on the
 * page, in CSS pixels, so a test can click an incident as a person would.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { DispatchDesk } from './desk.svelte.ts';

export interface DispatchDebug {
  /** the incident selected, null when none */
  readonly incident: string | null;
  /** the dispatch version shown, null before the first answer */
  readonly version: number | null;
  /** where a WGS-84 point lies on the page, null before the map loaded */
  project(lon: number, lat: number): { x: number; y: number } | null;
}

declare global {
  interface Window {
    __dispatch?: DispatchDebug;
  }
}

export function exposeDispatchDebug(desk: DispatchDesk, map: () => MapLibreMap | undefined): void {
  window.__dispatch = {
    get incident() {
      return desk.panel.incident;
    },
    get version() {
      return desk.panel.view?.version ?? null;
    },
    project(lon, lat) {
      const loaded = map();
      if (!loaded) return null;
      const point = loaded.project([lon, lat]);
      const box = loaded.getCanvas().getBoundingClientRect();
      return { x: box.left + point.x, y: box.top + point.y };
    },
  };
}
