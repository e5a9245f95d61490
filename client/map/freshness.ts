/**
 * How fresh a unit's position is, so a phone that stopped reporting does not look alive on the
 * map. A unit's age is the server's time now minus the time of its last position (`at`):
 * - fresh, younger than `staleSeconds`: drawn in full colour;
 * - stale, from `staleSeconds`: faded;
 * - lost, from `lostSeconds`: grey.
 * The server serves the thresholds in /config.json; a screen may override them in its address
 * (`?stale=60&lost=300`, seconds), for a wall watching, say, a slow-reporting patrol team.
 */
import type { Dictionary } from '../i18n/dictionary.ts';
import { OKABE_ITO } from '../theme.ts';

export type Freshness = 'fresh' | 'stale' | 'lost';

export interface FreshnessThresholds {
  staleSeconds: number;
  lostSeconds: number;
}

/** How the map draws a stale unit (faded in its colour) and a lost one (grey, about as faded). */
export const STALE_OPACITY = 0.4;
export const LOST_OPACITY = 0.55;
export const LOST_COLOUR = OKABE_ITO.grey;

/** The server's defaults (STALE_AFTER_SECONDS, LOST_AFTER_SECONDS), if /config.json cannot say. */
export const DEFAULT_FRESHNESS: FreshnessThresholds = { staleSeconds: 120, lostSeconds: 600 };

/** A unit with no position at all is as good as lost (such units are not on the map anyway). */
export function freshnessOf(at: number | null, now: number, thresholds: FreshnessThresholds): Freshness {
  if (at === null) return 'lost';
  const ageSeconds = (now - at) / 1000;
  if (ageSeconds >= thresholds.lostSeconds) return 'lost';
  if (ageSeconds >= thresholds.staleSeconds) return 'stale';
  return 'fresh';
}

/**
 * The thresholds with the address's `stale` and `lost` (seconds) over `base`. A value that is
 * not a positive number is ignored, and so is a pair where lost would not come after stale:
 * a typo in a kiosk's address must not grey out the whole map.
 */
export function thresholdsFromSearch(search: string, base: FreshnessThresholds): FreshnessThresholds {
  const params = new URLSearchParams(search);
  const seconds = (name: string): number | null => {
    const raw = params.get(name);
    if (raw === null || raw.trim() === '') return null;
    const value = Number(raw);
    return Number.isFinite(value) && value > 0 ? value : null;
  };
  const chosen = {
    staleSeconds: seconds('stale') ?? base.staleSeconds,
    lostSeconds: seconds('lost') ?? base.lostSeconds,
  };
  return chosen.lostSeconds > chosen.staleSeconds ? chosen : base;
}

export type AgeUnit = 'seconds' | 'minutes' | 'hours';

/**
 * An age in the one unit a person reads at a glance: whole seconds under a minute, whole
 * minutes under an hour, whole hours beyond. Never negative: a phone whose clock runs a little
 * ahead of the server's reads as "0 s".
 */
export function ageParts(ms: number): { n: number; unit: AgeUnit } {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return { n: seconds, unit: 'seconds' };
  if (seconds < 3600) return { n: Math.floor(seconds / 60), unit: 'minutes' };
  return { n: Math.floor(seconds / 3600), unit: 'hours' };
}

/** A threshold as set: in the largest unit it is a whole number of (120 s is "2 min", 90 s stays "90 s"). */
export function thresholdParts(seconds: number): { n: number; unit: AgeUnit } {
  if (seconds % 3600 === 0) return { n: seconds / 3600, unit: 'hours' };
  if (seconds % 60 === 0) return { n: seconds / 60, unit: 'minutes' };
  return { n: seconds, unit: 'seconds' };
}

export function spanText({ n, unit }: { n: number; unit: AgeUnit }, dict: Dictionary): string {
  return dict.freshness.units[unit].replace('{n}', String(n));
}

/**
 * How a unit is drawn for its freshness: a stale or lost unit also carries the age of its last
 * position in one whole unit (`ageParts`), so a wall nobody touches still says how old each
 * faded mark is. A fresh unit shows no age. Past a minute, it changes once a minute at most.
 */
export interface UnitLook {
  freshness: Freshness;
  age: { n: number; unit: AgeUnit } | null;
}

export function unitLook(at: number | null, now: number, thresholds: FreshnessThresholds): UnitLook {
  const freshness = freshnessOf(at, now, thresholds);
  if (freshness === 'fresh' || at === null) return { freshness, age: null };
  // In seconds only under a stale threshold that short (a minute or less): changes each re-check then.
  return { freshness, age: ageParts(now - at) };
}

export function sameLook(a: UnitLook, b: UnitLook): boolean {
  return a.freshness === b.freshness && a.age?.n === b.age?.n && a.age?.unit === b.age?.unit;
}
