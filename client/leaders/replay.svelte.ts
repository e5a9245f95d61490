/**
 * The time machine for the Svelte components: a Timeline (timeline.ts) driven by a timer and
 * fed by the history API, as a LayerStore the map's cases, incidents and units layers draw.
 *
 * Contract:
 * - `seek(at)` shows the district at `at` (a new snapshot); a later seek wins over an earlier
 *   one still loading. Playing goes on from the new moment.
 * - `play()` moves the clock at `speed` × real time, reading the history ahead; it waits (and
 *   says so, `waiting`) rather than skip what is not read yet, and stops at the present.
 * - `windowEnd` is the clock as the aggregate layers (choropleth, heat map, league table) should
 *   use it: it follows the clock at most every WINDOW_REFRESH_MS while playing, and at once on a
 *   seek or a pause, so a replay at 3600× does not ask the server for a table ten times a second.
 * - `revision` bumps when the layers have something to drain.
 */
import { api } from '../api.ts';
import type { PastChanges, PastSnapshot } from '../../server/store/history.ts';
import type { LiveState } from '../live/LiveState.ts';
import type { LayerStore } from '../live/store.svelte.ts';
import { Timeline } from './timeline.ts';

const TICK_MS = 250;
const WINDOW_REFRESH_MS = 3_000;
/** Read this much real time of playing ahead of the clock, and at least a minute of history. */
const READ_AHEAD_REAL_MS = 8_000;
const MIN_READ_AHEAD_MS = 60_000;
/** The last seconds are not replayed: their reports may still be on their way to the store. */
const PRESENT_MARGIN_MS = 5_000;

export const SPEEDS = [1, 10, 60, 300, 1800, 3600] as const;
export type Speed = (typeof SPEEDS)[number];

export class Replay implements LayerStore {
  revision = $state(0);
  clock = $state(0);
  windowEnd = $state(0);
  playing = $state(false);
  speed = $state<Speed>(60);
  waiting = $state(false);
  loading = $state(false);
  unitsKept = $state(true);
  problem = $state<unknown>(null);

  private readonly timeline: Timeline;
  private seeking = 0;
  private reading: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTick = 0;
  private windowSetAt = 0;

  constructor(start: number) {
    this.timeline = new Timeline(start);
    this.clock = start;
    this.windowEnd = start;
  }

  get state(): LiveState {
    return this.timeline.state;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.seeking++;
  }

  async seek(at: number): Promise<void> {
    const seek = ++this.seeking;
    this.loading = true;
    try {
      const snapshot = await api.get<PastSnapshot>(`/api/v1/history/snapshot?${new URLSearchParams({ at: new Date(at).toISOString() })}`);
      if (seek !== this.seeking) return;
      this.timeline.begin(snapshot);
      this.reading = null;
      this.problem = null;
      this.publish(true);
    } catch (error) {
      if (seek === this.seeking) this.problem = error;
    } finally {
      if (seek === this.seeking) this.loading = false;
    }
  }

  play(): void {
    if (this.clock >= presentLimit()) return;
    this.lastTick = Date.now();
    this.playing = true;
  }

  pause(): void {
    this.playing = false;
    this.waiting = false;
    this.publish(true);
  }

  private tick(): void {
    const now = Date.now();
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    if (!this.playing || this.loading) return;
    const limit = presentLimit();
    const target = Math.min(this.timeline.clock + elapsed * this.speed, limit);
    const advanced = this.timeline.advance(target);
    this.waiting = advanced === 'waiting';
    if (this.timeline.clock >= limit) this.playing = false;
    this.readAhead(limit);
    this.publish(!this.playing);
  }

  private readAhead(limit: number): void {
    if (this.reading) return;
    const span = this.timeline.nextRead(Math.max(MIN_READ_AHEAD_MS, READ_AHEAD_REAL_MS * this.speed), limit);
    if (!span) return;
    const seek = this.seeking;
    const query = new URLSearchParams({ from: new Date(span.from).toISOString(), to: new Date(span.to).toISOString() });
    // A read that lands after a seek is dropped: the timeline only takes the span it waits for.
    this.reading = api
      .get<PastChanges>(`/api/v1/history/changes?${query}`)
      .then(
        (read) => void this.timeline.receive(read),
        (error: unknown) => {
          if (seek !== this.seeking) return;
          this.problem = error;
          this.playing = false;
        },
      )
      .finally(() => {
        if (seek === this.seeking) this.reading = null;
      });
  }

  private publish(settle: boolean): void {
    this.clock = this.timeline.clock;
    this.unitsKept = this.timeline.unitsKept;
    const now = Date.now();
    if (settle || now - this.windowSetAt >= WINDOW_REFRESH_MS) {
      this.windowEnd = this.clock;
      this.windowSetAt = now;
    }
    this.revision++;
  }
}

function presentLimit(): number {
  return Date.now() - PRESENT_MARGIN_MS;
}
