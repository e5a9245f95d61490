/**
 * The pulse around new incidents: a ring layer under the incident dots, filtered to incidents
 * reported less than PULSE_MS ago, whose radius and opacity follow one shared animation phase.
 *
 * Why it is cheap: the animated paint values are constants, so changing them only repaints;
 * a data-driven value (feature-state, `get`) would make MapLibre re-tile the source on every
 * step. The filter, which does re-tile, changes only when a pulse ends. The loop runs only while
 * some incident is new, so a quiet wall goes idle.
 */
import type { FilterSpecification, Map as MapLibreMap } from 'maplibre-gl';

/** How long after it was reported an incident keeps pulsing. */
export const PULSE_MS = 5 * 60_000;
const PERIOD_MS = 1_600;
/** ~30 steps a second is smooth for a ring and half the work of every frame. */
const STEP_MS = 33;
const EXPIRY_CHECK_MS = 1_000;
export const PULSE_BASE_RADIUS = 10;
const GROWTH_PX = 26;

/** Incidents reported at or after `cutoff` (server epoch ms). */
export function reportedSince(cutoff: number): FilterSpecification {
  return ['>=', ['get', 'reportedAt'], cutoff];
}

export class IncidentPulse {
  /** incident id → server time when its pulse ends */
  private readonly endsAt = new Map<string, number>();
  private frame: number | undefined;
  private lastStep = 0;
  private lastExpiryCheck = 0;

  constructor(
    private readonly map: MapLibreMap,
    private readonly layerId: string,
    /** server time now, as incidents are stamped with server time */
    private readonly serverNow: () => number,
  ) {}

  /** The layer's filter right now: what was reported within the last PULSE_MS. */
  currentFilter(): FilterSpecification {
    return reportedSince(this.serverNow() - PULSE_MS);
  }

  /** Starts the animation if the incident was reported less than PULSE_MS ago. */
  consider(id: string, reportedAt: number): void {
    const end = reportedAt + PULSE_MS;
    if (end <= this.serverNow()) return;
    // The first pulse after a quiet spell re-cuts the filter, which may date from before the
    // server clock was known.
    if (this.endsAt.size === 0) this.refreshFilter();
    this.endsAt.set(id, end);
    this.frame ??= requestAnimationFrame(this.step);
  }

  forget(id: string): void {
    this.endsAt.delete(id);
  }

  destroy(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.endsAt.clear();
  }

  private readonly step = (now: number): void => {
    this.frame = undefined;
    if (now - this.lastExpiryCheck >= EXPIRY_CHECK_MS) {
      this.lastExpiryCheck = now;
      this.expire();
    }
    if (this.endsAt.size === 0) return this.draw(0, 0);
    if (now - this.lastStep >= STEP_MS) {
      this.lastStep = now;
      const phase = (now % PERIOD_MS) / PERIOD_MS;
      this.draw(phase * GROWTH_PX, 0.9 * (1 - phase));
    }
    this.frame = requestAnimationFrame(this.step);
  };

  private expire(): void {
    const serverNow = this.serverNow();
    let expired = false;
    for (const [id, end] of this.endsAt) {
      if (end > serverNow) continue;
      this.endsAt.delete(id);
      expired = true;
    }
    if (expired) this.refreshFilter();
  }

  private refreshFilter(): void {
    if (this.map.getLayer(this.layerId)) this.map.setFilter(this.layerId, this.currentFilter());
  }

  private draw(growth: number, opacity: number): void {
    if (!this.map.getLayer(this.layerId)) return;
    this.map.setPaintProperty(this.layerId, 'circle-radius', PULSE_BASE_RADIUS + growth);
    this.map.setPaintProperty(this.layerId, 'circle-stroke-opacity', opacity);
  }
}
