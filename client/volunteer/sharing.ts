/**
 * Sharing a volunteer's location while on duty: watches the phone's position and hands the
 * fixes that `shouldPost` (position.ts) lets through to `post`, one at a time, and says where
 * sharing stands through `onstatus`.
 *
 * Contract:
 * - `start()` watches the position (and is a no-op while watching); `stop()` ends the watch and
 *   every timer, forgets what was sent and reports 'off'. An answer to a post sent before
 *   `stop()` changes nothing after it.
 * - Every POST_EVERY_MS the latest fix is weighed again, so a phone standing still (which the
 *   browser reports no new fix for) is still sent now and then; no extra GPS wake-ups.
 * - Statuses: 'waiting' until a fix is sent, 'sharing' with the time of the last one sent,
 *   'failing' when the last post failed (the next fix tries again), 'denied' when the browser
 *   or the person refused location, 'unavailable' when the phone has no location at all.
 */
import { POST_EVERY_MS, shouldPost, type Fix, type Sent } from './position.ts';

export type SharingStatus =
  | { kind: 'off' }
  | { kind: 'waiting' }
  /** `position`: the last one sent, to tell how far the volunteer is from an incident */
  | { kind: 'sharing'; sentAt: number; position: { lon: number; lat: number } }
  | { kind: 'failing' }
  | { kind: 'denied' }
  | { kind: 'unavailable' };

export type Geo = Pick<Geolocation, 'watchPosition' | 'clearWatch'>;

/** GeolocationPositionError codes (the constructor is not there outside a browser). */
const PERMISSION_DENIED = 1;
const POSITION_UNAVAILABLE = 2;

const WATCH_OPTIONS: PositionOptions = { enableHighAccuracy: true, maximumAge: 10_000, timeout: 60_000 };

export class LocationSharing {
  private watchId: number | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private latest: Fix | null = null;
  private lastSent: Sent | null = null;
  private lastTryAt: number | null = null;
  private sending = false;
  /** bumped by stop(), so a post answered after it is ignored */
  private generation = 0;

  constructor(
    private readonly geo: Geo | undefined,
    private readonly post: (fix: Fix) => Promise<void>,
    private readonly onstatus: (status: SharingStatus) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get watching(): boolean {
    return this.watchId !== null;
  }

  start(): void {
    if (this.watchId !== null) return;
    if (!this.geo) return this.onstatus({ kind: 'unavailable' });
    this.onstatus({ kind: 'waiting' });
    this.watchId = this.geo.watchPosition(
      (position) => this.received(position),
      (error) => this.refused(error),
      WATCH_OPTIONS,
    );
    this.timer = setInterval(() => {
      if (this.latest) this.consider(this.latest);
    }, POST_EVERY_MS);
  }

  stop(): void {
    if (this.watchId !== null) this.geo?.clearWatch(this.watchId);
    clearInterval(this.timer);
    this.watchId = null;
    this.latest = null;
    this.lastSent = null;
    this.lastTryAt = null;
    this.sending = false;
    this.generation++;
    this.onstatus({ kind: 'off' });
  }

  private received(position: GeolocationPosition): void {
    const { longitude, latitude, accuracy } = position.coords;
    this.latest = { lon: longitude, lat: latitude, accuracy: Number.isFinite(accuracy) ? accuracy : null, at: position.timestamp };
    this.consider(this.latest);
  }

  private consider(fix: Fix): void {
    if (this.sending || !shouldPost(this.lastSent, this.lastTryAt, fix, this.now())) return;
    void this.send(fix);
  }

  private async send(fix: Fix): Promise<void> {
    const generation = this.generation;
    this.sending = true;
    this.lastTryAt = this.now();
    try {
      await this.post(fix);
      if (generation !== this.generation) return;
      this.lastSent = { lon: fix.lon, lat: fix.lat, at: this.lastTryAt };
      this.onstatus({ kind: 'sharing', sentAt: this.lastTryAt, position: { lon: fix.lon, lat: fix.lat } });
    } catch {
      if (generation === this.generation) this.onstatus({ kind: 'failing' });
    } finally {
      if (generation === this.generation) this.sending = false;
    }
  }

  private refused(error: GeolocationPositionError): void {
    if (error.code === PERMISSION_DENIED) this.onstatus({ kind: 'denied' });
    // A timeout only means no fix yet: keep waiting.
    else if (error.code === POSITION_UNAVAILABLE && this.lastSent === null) this.onstatus({ kind: 'unavailable' });
  }
}
