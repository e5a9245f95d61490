/**
 * `window.__leaders`: a read-only window into the leaders' view for browser tests and for staff
 * with a console. Every field is a getter, so it always shows the current value.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Areas, Heat } from '../../server/contract/leaders.ts';
import type { Replay } from './replay.svelte.ts';

export interface LeadersDebug {
  readonly map: MapLibreMap | undefined;
  /** the map drew a frame with all of its core layers */
  readonly rendered: boolean;
  /** the moment shown, and the end of the window the areas and heat map count */
  readonly clock: number;
  readonly windowEnd: number;
  readonly playing: boolean;
  readonly loading: boolean;
  /** cases, incidents and units the replay holds at the moment shown */
  readonly counts: { cases: number; incidents: number; units: number };
  readonly areas: Areas | null;
  readonly heat: Heat['bins'];
  /** each area's fill colour on the choropleth */
  readonly colours: Record<string, string>;
}

export interface LeadersParts {
  map(): MapLibreMap | undefined;
  rendered(): boolean;
  replay(): Replay;
  areas(): Areas | null;
  heat(): Heat['bins'];
  colours(): ReadonlyMap<string, string>;
}

declare global {
  interface Window {
    __leaders?: LeadersDebug;
  }
}

export function exposeLeadersDebug(parts: LeadersParts): void {
  window.__leaders = {
    get map() {
      return parts.map();
    },
    get rendered() {
      return parts.rendered();
    },
    get clock() {
      return parts.replay().clock;
    },
    get windowEnd() {
      return parts.replay().windowEnd;
    },
    get playing() {
      return parts.replay().playing;
    },
    get loading() {
      return parts.replay().loading;
    },
    get counts() {
      const state = parts.replay().state;
      return { cases: state.cases.size, incidents: state.incidents.size, units: state.units.size };
    },
    get areas() {
      return parts.areas();
    },
    get heat() {
      return parts.heat();
    },
    get colours() {
      return Object.fromEntries(parts.colours());
    },
  };
}
