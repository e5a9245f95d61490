/**
 * `window.__wall`: a read-only window into the running wall for browser tests and for staff
 * with a console. Every field is a getter, so it always shows the current value.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Lang } from './i18n/index.ts';
import type { ConnectionState } from './live/connection.ts';
import type { LayerName } from './live/LiveState.ts';
import type { LiveStore } from './live/store.svelte.ts';
import type { SessionInfo } from './session.ts';
import type { WallGuard } from './wall/guard.ts';
import type { Playlist, PlaylistState } from './wall/playlist.ts';
import type { View } from './wall/screen.ts';
import type { ReloadReason } from './wall/watchdog.ts';

export interface WallDebug {
  /** highest server seq applied, null before the first sync */
  readonly seq: number | null;
  /** cases and incidents not closed, and all units, held by the wall */
  readonly counts: Record<LayerName, number>;
  /** features on each live map layer as of its last update */
  readonly features: Record<LayerName, number>;
  /** changes waiting for each map layer's next update (bounded even where no map drains them) */
  readonly pending: Record<LayerName, number>;
  readonly connection: ConnectionState;
  readonly simulated: boolean;
  readonly lang: Lang;
  /** who this wall is signed in as (a user or a wall link), without the CSRF token; null once it stopped */
  readonly session: SessionInfo | null;
  /** the map fired 'load' */
  readonly mapLoaded: boolean;
  /** the map drew a frame with all of our core layers and their tiles loaded */
  readonly rendered: boolean;
  /** what the map actually drew on these layers, as the browser tests check it */
  renderedFeatures(layerIds: string[]): RenderedFeature[];
  /** the style's layer ids, bottom first */
  layerIds(): string[];
  /** the MapLibre map itself, for tests that read a layer's layout, a drawn paint or a source's clusters */
  readonly map: MapLibreMap | undefined;
  /** the wall's screen (not the dispatch console's): what it shows now, its layout and the subdistrict it frames (null: the district) */
  readonly view?: View;
  /** the screen's rotation, held and released as the alarms do it */
  readonly playlist?: PlaylistState & { hold(reason: string): void; release(reason: string): void };
  readonly watchdog?: {
    /** WebGL contexts the map lost, and the remounts that followed */
    readonly contextLosses: number;
    readonly remounts: number;
    /** why the watchdog reloaded the page just before this one; null if it did not */
    readonly reloadedFor: ReloadReason | null;
  };
}

export interface RenderedFeature {
  layer: string;
  id: string | number | undefined;
  properties: Record<string, unknown>;
  coordinates: unknown;
}

export interface WallView {
  lang(): Lang;
  mapLoaded(): boolean;
  rendered(): boolean;
  map(): MapLibreMap | undefined;
  session(): SessionInfo | null;
}

/** What only the wall's own screen has: its view, its playlist and its watchdog. */
export interface ScreenParts {
  view(): View;
  playlist: Playlist;
  guard: WallGuard;
}

declare global {
  interface Window {
    __wall?: WallDebug;
  }
}

export function exposeWallDebug(store: LiveStore, view: WallView, screen?: ScreenParts): void {
  const state = store.state;
  window.__wall = {
    get seq() {
      return state.seq;
    },
    get counts() {
      return { cases: state.cases.size, incidents: state.incidents.size, units: state.units.size };
    },
    get features() {
      return {
        cases: state.shownCount('cases'),
        incidents: state.shownCount('incidents'),
        units: state.shownCount('units'),
      };
    },
    get pending() {
      return { cases: state.pendingCount('cases'), incidents: state.pendingCount('incidents'), units: state.pendingCount('units') };
    },
    get connection() {
      return store.connection;
    },
    get simulated() {
      return state.status?.simulated ?? false;
    },
    get lang() {
      return view.lang();
    },
    get session() {
      const session = view.session();
      return session ? { ...session } : null;
    },
    get mapLoaded() {
      return view.mapLoaded();
    },
    get rendered() {
      return view.rendered();
    },
    renderedFeatures(layerIds) {
      const map = view.map();
      if (!map) return [];
      return map.queryRenderedFeatures({ layers: layerIds }).map((f) => ({
        layer: f.layer.id,
        id: f.id,
        properties: f.properties,
        coordinates: 'coordinates' in f.geometry ? f.geometry.coordinates : null,
      }));
    },
    layerIds() {
      return view.map()?.getStyle().layers.map((layer) => layer.id) ?? [];
    },
    get map() {
      return view.map();
    },
  };
  if (screen) exposeScreen(window.__wall, screen);
}

function exposeScreen(debug: WallDebug, { view, playlist, guard }: ScreenParts): void {
  Object.defineProperties(debug, {
    view: { get: () => ({ ...view() }) },
    playlist: {
      get: () => ({ ...playlist.state, hold: (reason: string) => playlist.hold(reason), release: (reason: string) => playlist.release(reason) }),
    },
    watchdog: {
      get: () => ({ contextLosses: guard.contextLosses, remounts: guard.remounts, reloadedFor: guard.reloadedFor }),
    },
  });
}
