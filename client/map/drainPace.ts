/**
 * How often a live layer hands its diffs to the map. Each `updateData` on a clustered source
 * rebuilds the cluster index over every point and redraws the map, whatever the diff's size,
 * and without a GPU a redraw of the wall takes hundreds of milliseconds. A small diff (a
 * status, an alarm, a few units moving) goes at once. Once BULK_CHANGES or more wait (thousands
 * of units streaming), the layer sends at most once every BULK_INTERVAL_MS: the map redraws
 * about once a second, every unit at its latest position, and the frames in between stay
 * smooth. Pure: the caller says what waits and what time it is, and schedules the send it is
 * told to wait for.
 */

export const BULK_CHANGES = 500;
export const BULK_INTERVAL_MS = 1_000;

export class DrainPace {
  #sentAt = Number.NEGATIVE_INFINITY;

  /** Milliseconds to wait before draining `pending` changes at `now`; 0: drain now. */
  wait(pending: number, now: number): number {
    if (pending < BULK_CHANGES) return 0;
    return Math.max(0, this.#sentAt + BULK_INTERVAL_MS - now);
  }

  /** Records a drain at `now`. */
  drained(now: number): void {
    this.#sentAt = now;
  }
}
