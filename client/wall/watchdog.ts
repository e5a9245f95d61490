/**
 * When an unattended wall should heal itself, decided from what the page reports: the live
 * connection's state, each applied message, each animation frame, visibility, and a lost WebGL
 * context. Pure: time comes from `now`; guard.ts wires it to the page.
 *
 * - offline: the connection has not been live for `offlineMs` (LiveConnection keeps retrying by
 *   itself; this is for what a retry cannot mend) → reload; the wall link in the address signs
 *   the screen in again.
 * - stalled: visible, and no animation frame for `stalledMs` → reload.
 * - quiet: live, and no message applied for `quietMs` → reload, but only if the server's
 *   sequence is ahead of ours (the wall missed something); a server with nothing newer means
 *   the district is simply quiet, and the clock starts again.
 * - webgl: the map's context was lost → remount the map; lost again within `contextLossMs` of
 *   the previous loss → reload.
 *
 * A reload is only `due()`; it happens once `confirm()` agrees with the server's answer to a probe
 * made in between: a server that does not answer would leave a reloaded kiosk on the browser's
 * error page, out of reach of this watchdog, so the reload waits `retryMs` and is asked again.
 */
import type { ConnectionState } from '../live/connection.ts';

export type ReloadReason = 'offline' | 'stalled' | 'quiet' | 'webgl';

export interface WatchdogLimits {
  offlineMs: number;
  stalledMs: number;
  quietMs: number;
  contextLossMs: number;
  retryMs: number;
}

/** Generous: a reload costs a few seconds of blank screen, so only what is surely stuck gets one. */
export const WATCHDOG_LIMITS: WatchdogLimits = {
  offlineMs: 10 * 60_000,
  stalledMs: 60_000,
  quietMs: 15 * 60_000,
  contextLossMs: 5 * 60_000,
  retryMs: 60_000,
};

/** The server's answer to the probe: its current seq; null when it did not answer at all. */
export type Probe = { seq: number | null } | null;

export class Watchdog {
  private live = false;
  private notLiveSince: number;
  private lastApplied: number;
  private lastFrame: number;
  private visible = true;
  private lastContextLoss: number | null = null;
  private contextLostTwice = false;
  private postponedUntil = 0;

  constructor(
    private readonly limits: WatchdogLimits = WATCHDOG_LIMITS,
    // Monotonic: a wall clock set back or forward (NTP) must not look like a stall or a due step.
    private readonly now: () => number = () => performance.now(),
  ) {
    const start = now();
    this.notLiveSince = start;
    this.lastApplied = start;
    this.lastFrame = start;
  }

  connection(state: ConnectionState): void {
    const live = state === 'live';
    if (live === this.live) return;
    this.live = live;
    // Becoming live is a sync just applied: a message, as far as quiet goes.
    if (live) this.lastApplied = this.now();
    else this.notLiveSince = this.now();
  }

  applied(): void {
    this.lastApplied = this.now();
  }

  frame(): void {
    this.lastFrame = this.now();
  }

  /** A hidden page draws no frames, by design: its frame clock starts again when it shows. */
  visibility(visible: boolean): void {
    if (visible && !this.visible) this.lastFrame = this.now();
    this.visible = visible;
  }

  contextLost(): 'remount' | 'reload' {
    const now = this.now();
    const again = this.lastContextLoss !== null && now - this.lastContextLoss < this.limits.contextLossMs;
    this.lastContextLoss = now;
    if (!again) return 'remount';
    this.contextLostTwice = true;
    return 'reload';
  }

  /** The reason to reload now, pending the probe, or null. */
  due(): ReloadReason | null {
    const now = this.now();
    if (now < this.postponedUntil) return null;
    if (this.contextLostTwice) return 'webgl';
    if (!this.live && now - this.notLiveSince >= this.limits.offlineMs) return 'offline';
    if (this.visible && now - this.lastFrame >= this.limits.stalledMs) return 'stalled';
    if (this.live && now - this.lastApplied >= this.limits.quietMs) return 'quiet';
    return null;
  }

  /** Whether to reload for `reason` given the probe's answer and the seq this wall has applied. */
  confirm(reason: ReloadReason, probe: Probe, ourSeq: number | null): boolean {
    // What made it due may have passed while the probe was out (a message came in).
    if (this.due() !== reason) return false;
    if (probe === null) {
      this.postponedUntil = this.now() + this.limits.retryMs;
      return false;
    }
    if (reason !== 'quiet') return true;
    if (probe.seq !== null && ourSeq !== null && probe.seq > ourSeq) return true;
    this.lastApplied = this.now();
    return false;
  }
}
