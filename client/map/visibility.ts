/**
 * Which of the map's layers a screen has switched off from the legend, kept in the address
 * (`?hide=grid,cases`) so a kiosk that reloads comes back the same. Unknown names are ignored;
 * the names are written in one fixed order so the address does not churn.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';

const TOGGLE_LAYERS = ['cases', 'incidents', 'units', 'grid', 'basemap'] as const;

export type ToggleLayer = (typeof TOGGLE_LAYERS)[number];

const PARAM = 'hide';

function isToggleLayer(name: string): name is ToggleLayer {
  return (TOGGLE_LAYERS as readonly string[]).includes(name);
}

export function hiddenFromSearch(search: string): ReadonlySet<ToggleLayer> {
  const names = new URLSearchParams(search).get(PARAM)?.split(',') ?? [];
  return new Set(names.map((name) => name.trim()).filter(isToggleLayer));
}

export function toggled(hidden: ReadonlySet<ToggleLayer>, layer: ToggleLayer): ReadonlySet<ToggleLayer> {
  const next = new Set(hidden);
  if (!next.delete(layer)) next.add(layer);
  return next;
}

/** `search` with `hide` naming `hidden`, or without it when nothing is hidden; the rest kept. */
export function searchWithHidden(search: string, hidden: ReadonlySet<ToggleLayer>): string {
  const params = new URLSearchParams(search);
  const names = TOGGLE_LAYERS.filter((layer) => hidden.has(layer));
  if (names.length === 0) params.delete(PARAM);
  else params.set(PARAM, names.join(','));
  const text = params.toString().replaceAll('%2C', ',');
  return text === '' ? '' : `?${text}`;
}

/** Shows or hides MapLibre layers through their `visibility`; layers not in the style are skipped. */
export function setLayersVisible(map: MapLibreMap, layerIds: readonly string[], visible: boolean): void {
  for (const id of layerIds) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }
}

/** Keeps the choice in the page's address, so a reload comes back with the same layers. */
export function rememberHidden(hidden: ReadonlySet<ToggleLayer>): void {
  const url = new URL(window.location.href);
  url.search = searchWithHidden(url.search, hidden);
  window.history.replaceState(null, '', url);
}
