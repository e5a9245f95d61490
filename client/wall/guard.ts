/**
 * The watchdog at work in the page: feeds a Watchdog (watchdog.ts) with animation frames (one
 * requested every CHECK_MS, so a healthy page is checked without drawing anything) and the
 * page's visibility, acts on the map's lost WebGL contexts, and every CHECK_MS asks
 * whether a reload is due; before reloading it probes GET /healthz (the server's seq) and lets
 * the watchdog confirm. The page reports the connection and each applied message itself
 * (`watchdog.connection`, `watchdog.applied`), as it owns the live store.
 *
 * Why a reload was made survives it in sessionStorage and is shown, with the counts of lost
 * contexts and remounts, on `window.__wall.watchdog`.
 */
import { Watchdog, type Probe, type ReloadReason, type WatchdogLimits } from './watchdog.ts';

const CHECK_MS = 5_000;
const PROBE_TIMEOUT_MS = 10_000;
const RELOAD_KEY = 'wall:reloaded-for';

export class WallGuard {
  readonly watchdog: Watchdog;
  contextLosses = 0;
  remounts = 0;
  /** why the reload that opened this page was made; null when it was not the watchdog's */
  readonly reloadedFor: ReloadReason | null;
  private probing = false;
  private running = false;

  constructor(
    limits: WatchdogLimits,
    /** the highest seq the wall applied */
    private readonly seq: () => number | null,
    private readonly remountMap: () => void,
  ) {
    this.watchdog = new Watchdog(limits);
    this.reloadedFor = takeReloadReason();
  }

  /** Starts watching; returns the stop, for onMount. */
  start(): () => void {
    this.running = true;
    let frame: number | undefined;
    const heartbeat = () => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        this.watchdog.frame();
      });
    };
    const visibility = () => this.watchdog.visibility(document.visibilityState === 'visible');
    visibility();
    heartbeat();
    document.addEventListener('visibilitychange', visibility);
    const timer = setInterval(() => {
      heartbeat();
      void this.check();
    }, CHECK_MS);
    return () => {
      this.running = false;
      clearInterval(timer);
      if (frame !== undefined) cancelAnimationFrame(frame);
      document.removeEventListener('visibilitychange', visibility);
    };
  }

  /** The map lost its WebGL context: remount it, or reload when it was lost shortly before. */
  contextLost(): void {
    this.contextLosses++;
    console.warn('watchdog: the map lost its WebGL context');
    if (this.watchdog.contextLost() === 'reload') return void this.check();
    this.remounts++;
    this.remountMap();
  }

  private async check(): Promise<void> {
    const reason = this.watchdog.due();
    if (reason === null || this.probing) return;
    this.probing = true;
    const probe = await probeServer();
    this.probing = false;
    if (!this.running || !this.watchdog.confirm(reason, probe, this.seq())) return;
    console.warn(`watchdog: reloading the wall (${reason})`);
    sessionStorage.setItem(RELOAD_KEY, reason);
    window.location.reload();
  }
}

async function probeServer(): Promise<Probe> {
  try {
    const response = await fetch('/healthz', { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await response.json()) as { seq?: unknown };
    return { seq: typeof body.seq === 'number' ? body.seq : null };
  } catch {
    return null;
  }
}

function takeReloadReason(): ReloadReason | null {
  const reason = sessionStorage.getItem(RELOAD_KEY) as ReloadReason | null;
  sessionStorage.removeItem(RELOAD_KEY);
  return reason;
}
