/**
 * The playlist of a rotating screen: which of `length` steps shows now. `tick()` (called often,
 * e.g. every second) moves to the next step once the current one has shown for `intervalMs`,
 * wrapping around. `hold(reason)` stops the rotation (an alarm holds it with 'alarm', so the
 * screen stays on what the room is looking at); it stays stopped while any reason holds, and
 * once the last is released it resumes from the step it was on, which then shows a full
 * interval again. A playlist of fewer than two steps never moves. `onchange` hears every change
 * of step or of the reasons held.
 *
 * Pure: time comes from `now`, nothing is scheduled here.
 */
export interface PlaylistState {
  step: number;
  length: number;
  /** reasons holding the rotation, in the order they came */
  held: string[];
}

export class Playlist {
  private step = 0;
  private shownSince: number;
  private readonly holds = new Set<string>();

  constructor(
    readonly length: number,
    readonly intervalMs: number,
    private readonly onchange: (state: PlaylistState) => void = () => undefined,
    // Monotonic: a wall clock set back or forward (NTP) must not look like a stall or a due step.
    private readonly now: () => number = () => performance.now(),
  ) {
    this.shownSince = now();
  }

  get state(): PlaylistState {
    return { step: this.step, length: this.length, held: [...this.holds] };
  }

  hold(reason: string): void {
    if (this.holds.has(reason)) return;
    this.holds.add(reason);
    this.onchange(this.state);
  }

  release(reason: string): void {
    if (!this.holds.delete(reason)) return;
    if (this.holds.size === 0) this.shownSince = this.now();
    this.onchange(this.state);
  }

  /** Advances when the current step's time is up; true when it did. */
  tick(): boolean {
    if (this.length < 2 || this.holds.size > 0) return false;
    const now = this.now();
    if (now - this.shownSince < this.intervalMs) return false;
    this.step = (this.step + 1) % this.length;
    this.shownSince = now;
    this.onchange(this.state);
    return true;
  }
}
