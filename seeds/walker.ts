/**
 * One simulated volunteer in the field: their shifts, their status and where they are. An
 * available volunteer strolls between random waypoints near home inside their own subdistrict
 * (resting a few minutes at each); an assigned one stands by; one en route follows the route
 * it was given at a hurried pace; one on scene stays put. Position is computed lazily: the
 * simulation calls `walkTo(t)` whenever it needs the volunteer at time t, always with
 * non-decreasing t, so the walk depends only on the times the simulation asks at.
 */
import type { VolunteerRecord } from '../server/contract/ingest.ts';
import type { Specialty, VolunteerStatus } from '../server/domain/vocabulary.ts';
import { DAY_MS, localMidnight, localMinuteOfDay, MINUTE_MS, VOLUNTEER_TIMING } from './catalog.ts';
import { interpolate, type Area, type LonLat } from './geometry.ts';
import type { Random } from './random.ts';

/** A daily shift in local minutes since midnight, from ≤ minute < to. */
export interface ShiftWindow {
  from: number;
  to: number;
}

export interface Duty {
  /** sorted, non-overlapping */
  windows: readonly ShiftWindow[];
  /** chance of turning up for a given window */
  attendance: number;
}

/**
 * Neighbourhood patrols (西城大妈) walk a morning and an afternoon round; professional
 * volunteers mostly take a day shift, some an evening one, some keep the night watch
 * (夜间值守, so the district is never without responders), a few are a rarely-called reserve.
 */
export function drawDuty(specialty: Specialty, random: Random): Duty {
  if (specialty === 'patrol') {
    const morning = random.int(-30, 30);
    const afternoon = random.int(-30, 30);
    return {
      windows: [
        { from: 8 * 60 + morning, to: 11 * 60 + 30 + morning },
        { from: 14 * 60 + afternoon, to: 17 * 60 + 30 + afternoon },
      ],
      attendance: 0.85,
    };
  }
  const pattern = random.weighted([
    ['day', 60],
    ['evening', 18],
    ['night', 12],
    ['reserve', 10],
  ] as const);
  if (pattern === 'night') {
    // A night watch crosses midnight: two windows, from its start to midnight and from midnight on.
    return { windows: [{ from: 0, to: random.int(7 * 60, 8 * 60) }, { from: random.int(21 * 60, 22 * 60), to: 24 * 60 }], attendance: 0.85 };
  }
  if (pattern === 'evening') {
    return { windows: [{ from: random.int(16 * 60 + 30, 18 * 60 + 30), to: random.int(22 * 60, 23 * 60) }], attendance: 0.8 };
  }
  const from = random.int(7 * 60 + 30, 9 * 60 + 30);
  const window = { from, to: from + random.int(6 * 60, 10 * 60) };
  return { windows: [window], attendance: pattern === 'day' ? 0.85 : 0.3 };
}

export class Walker {
  status: VolunteerStatus = 'off_duty';
  /** the incident this volunteer was sent to, while assigned, en route or on scene */
  incidentId: string | null = null;
  /** bumped whenever the pending periodic position fix must lapse */
  fixChain = 0;
  /** bumped whenever pending set-off and arrival events of an assignment must lapse */
  assignment = 0;
  private position: LonLat;
  private clock = -Infinity;
  private route: LonLat[] = [];
  private restUntil = -Infinity;

  constructor(
    readonly record: VolunteerRecord,
    readonly area: Area,
    readonly home: LonLat,
    readonly speedMps: number,
    readonly duty: Duty,
  ) {
    this.position = home;
  }

  get where(): LonLat {
    return this.position;
  }

  isOnShift(t: number): boolean {
    const minute = localMinuteOfDay(t);
    return this.duty.windows.some((w) => w.from <= minute && minute < w.to);
  }

  /** The first shift start or end strictly after t. */
  nextShiftChange(t: number): number {
    const midnight = localMidnight(t);
    for (const day of [0, 1]) {
      for (const window of this.duty.windows) {
        for (const minute of [window.from, window.to]) {
          const at = midnight + day * DAY_MS + minute * MINUTE_MS;
          if (at > t) return at;
        }
      }
    }
    return Infinity;
  }

  /** Moves along the route up to time t; an available volunteer picks new waypoints as needed. */
  walkTo(t: number, random: Random): void {
    while (this.clock < t) {
      if (this.restUntil > this.clock) {
        this.clock = Math.min(t, this.restUntil);
        continue;
      }
      if (this.route.length > 0) this.step(t, random);
      else if (this.status === 'available') this.planStroll(random);
      else this.clock = t;
    }
  }

  beginShift(t: number): void {
    this.status = 'available';
    this.position = this.home;
    this.clock = t;
    this.route = [];
    this.restUntil = t;
    this.fixChain++;
  }

  endShift(): void {
    this.status = 'off_duty';
    this.route = [];
    this.fixChain++;
  }

  /** Stop strolling and wait for the order to go. */
  assign(incidentId: string, t: number): void {
    this.status = 'assigned';
    this.incidentId = incidentId;
    this.route = [];
    this.restUntil = t;
    this.assignment++;
  }

  setOff(route: readonly LonLat[]): void {
    this.status = 'en_route';
    this.route = [...route];
  }

  arrive(scene: LonLat): void {
    this.status = 'on_scene';
    this.position = scene;
    this.route = [];
  }

  /** Back to strolling where the incident was; the caller sends off-shift volunteers home. */
  release(): void {
    this.status = 'available';
    this.incidentId = null;
    this.route = [];
    this.assignment++;
  }

  private planStroll(random: Random): void {
    const target = this.area.randomPointNear(random, this.home, VOLUNTEER_TIMING.patrolRadiusM);
    this.route = this.area.route(this.position, target) ?? [];
    // No route happens only in degenerate slivers; waiting a minute and drawing again is enough.
    if (this.route.length === 0) this.restUntil = this.clock + MINUTE_MS;
  }

  private step(t: number, random: Random): void {
    const next = this.route[0] as LonLat;
    const speed = this.status === 'en_route' ? this.speedMps * VOLUNTEER_TIMING.hurryFactor : this.speedMps;
    const distance = this.area.frame.distance(this.position, next);
    const reachedAt = this.clock + (distance / speed) * 1000;
    if (reachedAt > t) {
      this.position = interpolate(this.position, next, ((t - this.clock) * speed) / 1000 / distance);
      this.clock = t;
      return;
    }
    this.position = next;
    this.clock = reachedAt;
    this.route.shift();
    if (this.route.length === 0 && this.status === 'available') {
      const { mean, max } = VOLUNTEER_TIMING.dwellMinutes;
      this.restUntil = reachedAt + Math.min(max, random.exponential(mean)) * MINUTE_MS;
    }
  }
}
