/**
 * Drives a Simulation against a running server over HTTP, exactly as a real feed would: the
 * simulator is an ordinary client of /api/v1.
 *
 * `startSimulator({ url, speed = 1, seed = 42, tickMs = 1000, headers, fetchImpl = fetch,
 * subdistricts, log })` returns at once with `{ stop(), stats() }`:
 * - It first POSTs the registry to /api/v1/teams, then /api/v1/volunteers, and retries it on
 *   every tick until the server accepts it; the simulated clock starts once it is in. Then a
 *   roll call sets every volunteer off duty (via available, a legal path from any status), so
 *   volunteers left on duty by an earlier run on the same store do not linger.
 * - Then every `tickMs` of real time it advances the simulation by `tickMs × speed` and POSTs
 *   the non-empty batches to /api/v1/cases, /api/v1/incidents and /api/v1/positions, in that
 *   order, each split into requests of at most MAX_BATCH_ITEMS items.
 * - Every request is `{ items }` as JSON with content-type application/json, plus the given
 *   `headers` (the feed key: `authorization: Bearer <key>`; a key made with `--simulated` makes
 *   the wall show 模拟数据).
 * - Nothing escapes the timer. A failed POST (network error, timeout, non-2xx) is logged; it
 *   and every batch queued after it wait for the next tick, where it is retried once, and
 *   dropped (counted in stats) if it fails again. Order is kept throughout. The status changes
 *   a dropped positions batch carried are resynced (see `statusResync`), so that one lost
 *   batch cannot make the server refuse later ones as illegal moves. A positions batch refused
 *   because a coordinator dispatched some of its volunteers (409 ON_ASSIGNMENT) is sent again
 *   at once without the statuses named.
 * - Ticks never overlap: a tick that comes while the previous one is still posting is merged
 *   into a single later advance, so simulated time still keeps pace with the ticks.
 * - `stop()` stops the timer and resolves once the tick in progress has finished.
 */
import { MAX_BATCH_ITEMS, type PositionReport } from '../server/contract/ingest.ts';
import type { VolunteerStatus } from '../server/domain/vocabulary.ts';
import type { SubdistrictCollection } from './geometry.ts';
import { Simulation, type Registry, type Reports } from './simulation.ts';

export interface SimulatorOptions {
  /** server base URL, e.g. http://localhost:8080 */
  url: string;
  /** simulated ms per real ms */
  speed?: number;
  seed?: number;
  tickMs?: number;
  /** extra request headers, e.g. the feed's key */
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
  subdistricts: SubdistrictCollection;
  /** where failures are reported */
  log?: (message: string) => void;
}

type Stream = keyof Registry | keyof Reports;

export interface SimulatorStats {
  /** timer ticks so far, and how many of them came while a tick was still posting */
  ticks: number;
  mergedTicks: number;
  /** simulated time elapsed, and the simulated clock */
  simulatedMs: number;
  simulatedTime: string;
  requests: number;
  failedRequests: number;
  /** batches given up after their retry failed, or pushed out of a full queue */
  droppedBatches: number;
  pendingBatches: number;
  /** items the server accepted, per stream */
  sent: Record<Stream, number>;
}

export interface RunningSimulator {
  stop(): Promise<void>;
  stats(): SimulatorStats;
}

interface Batch {
  stream: Stream;
  body: string;
  count: number;
  failures: number;
}

/** A request that hangs is abandoned after this long, so one stuck POST cannot stall the feed. */
const REQUEST_TIMEOUT_MS = 15_000;
/** While the server is down the queue is bounded: the oldest batches go first. */
const MAX_PENDING_BATCHES = 600;
const REGISTRY_STREAMS: ReadonlySet<Stream> = new Set(['teams', 'volunteers']);

export function startSimulator(options: SimulatorOptions): RunningSimulator {
  const { url, speed = 1, seed = 42, tickMs = 1000, headers = {}, fetchImpl = fetch, subdistricts } = options;
  const log = options.log ?? ((message: string) => console.warn(message));
  if (!(speed > 0) || !(tickMs > 0)) throw new RangeError(`speed and tickMs must be positive (got ${speed}, ${tickMs})`);
  const baseUrl = url.replace(/\/+$/, '');
  const requestHeaders = { ...headers, 'content-type': 'application/json' };
  const startMs = Date.now();
  const simulation = new Simulation({ seed, startMs, subdistricts });
  const registry = simulation.registry();
  const outbox: Batch[] = [
    ...batches('teams', registry.teams),
    ...batches('volunteers', registry.volunteers),
    ...batches('positions', statusResync(simulation.rollCall())),
  ];
  const stats = {
    ticks: 0,
    mergedTicks: 0,
    requests: 0,
    failedRequests: 0,
    droppedBatches: 0,
    sent: { teams: 0, volunteers: 0, cases: 0, incidents: 0, positions: 0 },
  };
  let dueTicks = 0;
  let running: Promise<void> | null = null;
  let stopped = false;

  const runTick = (): void => {
    running = tick().finally(() => {
      running = null;
      // Ticks that came meanwhile were merged: play them now rather than at the next timer.
      if (dueTicks > 0 && !stopped) runTick();
    });
  };

  async function tick(): Promise<void> {
    const ticks = dueTicks;
    dueTicks = 0;
    try {
      if (!outbox.some(isRegistry)) enqueue(simulation.advance(ticks * tickMs * speed));
      await flush();
    } catch (error) {
      log(`simulator tick failed: ${describe(error)}`);
    }
  }

  function enqueue(reports: Reports): void {
    outbox.push(
      ...batches('cases', reports.cases),
      ...batches('incidents', reports.incidents),
      ...batches('positions', reports.positions),
    );
    if (outbox.length <= MAX_PENDING_BATCHES) return;
    // Reports are only queued once the registry is in, so the oldest batches are never registry.
    const overflow = outbox.splice(0, outbox.length - MAX_PENDING_BATCHES);
    log(`simulator queue full: dropped the ${overflow.length} oldest batches`);
    drop(overflow);
  }

  /**
   * Gives batches up. Cases and incidents need nothing more (the server takes a lifecycle that
   * skips steps), but a lost volunteer status change would make the next one illegal and the
   * server would refuse every later batch carrying it; so the statuses are resynced first.
   */
  function drop(dropped: Batch[]): void {
    stats.droppedBatches += dropped.length;
    const lostPositions = dropped
      .filter((batch) => batch.stream === 'positions')
      .flatMap((batch) => (JSON.parse(batch.body) as { items: PositionReport[] }).items);
    outbox.unshift(...batches('positions', statusResync(lostPositions)));
  }

  async function flush(): Promise<void> {
    for (let batch = outbox[0]; batch && !stopped; batch = outbox[0]) {
      const failure = await post(batch);
      if (failure === RESEND) continue;
      if (failure === null) {
        outbox.shift();
        stats.sent[batch.stream] += batch.count;
        continue;
      }
      batch.failures++;
      const givingUp = batch.failures >= 2 && !isRegistry(batch);
      const outcome = givingUp ? 'dropped' : 'will retry on the next tick';
      log(`POST /api/v1/${batch.stream} (${batch.count} items) failed: ${failure}; ${outcome}`);
      if (!givingUp) return;
      drop(outbox.splice(0, 1));
    }
  }

  /** Null when the server accepted the batch, RESEND when it was mended to go again, else why not. */
  async function post(batch: Batch): Promise<string | null> {
    stats.requests++;
    try {
      const response = await fetchImpl(`${baseUrl}/api/v1/${batch.stream}`, {
        method: 'POST',
        headers: requestHeaders,
        body: batch.body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (response.ok) {
        // The answer ({ accepted, seq }) is not needed; cancelling frees the connection.
        await response.body?.cancel().catch(() => undefined);
        return null;
      }
      stats.failedRequests++;
      const detail = await response.text().catch(() => '');
      if (batch.stream === 'positions' && withoutDispatchedStatuses(batch, response.status, detail)) return RESEND;
      return `HTTP ${response.status} ${detail.slice(0, 300)}`;
    } catch (error) {
      stats.failedRequests++;
      return describe(error);
    }
  }

  const timer = setInterval(() => {
    stats.ticks++;
    dueTicks++;
    if (running) stats.mergedTicks++;
    else runTick();
  }, tickMs);
  runTick();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
    stats() {
      return {
        ...stats,
        sent: { ...stats.sent },
        simulatedMs: simulation.now - startMs,
        simulatedTime: new Date(simulation.now).toISOString(),
        pendingBatches: outbox.length,
      };
    },
  };
}

function batches(stream: Stream, items: readonly unknown[]): Batch[] {
  const result: Batch[] = [];
  for (let from = 0; from < items.length; from += MAX_BATCH_ITEMS) {
    const chunk = items.slice(from, from + MAX_BATCH_ITEMS);
    result.push({ stream, body: JSON.stringify({ items: chunk }), count: chunk.length, failures: 0 });
  }
  return result;
}

/** From any status `available` is a legal move, and from there these reach each status. */
const PATH_FROM_AVAILABLE: Record<VolunteerStatus, readonly VolunteerStatus[]> = {
  off_duty: ['off_duty'],
  available: [],
  assigned: ['assigned'],
  en_route: ['assigned', 'en_route'],
  on_scene: ['assigned', 'en_route', 'on_scene'],
};

/**
 * Reports that bring each volunteer whose status changed in `lost` to the status it ended
 * with, along legal moves (server/domain/lifecycle.ts) whatever the server holds now.
 */
export function statusResync(lost: readonly PositionReport[]): PositionReport[] {
  const last = new Map<string, PositionReport & { status: VolunteerStatus }>();
  for (const report of lost) if (report.status) last.set(report.volunteerId, { ...report, status: report.status });
  return [...last.values()].flatMap(({ volunteerId, lon, lat, status }) =>
    (['available', ...PATH_FROM_AVAILABLE[status]] as const).map((step) => ({ volunteerId, lon, lat, status: step })),
  );
}

/** A batch rewritten after a refusal, to be sent again at once. */
const RESEND = 'resend';

/**
 * A coordinator may dispatch a simulated team through the console; while its members are on
 * that assignment the server refuses status changes from feeds (409 ON_ASSIGNMENT, naming each
 * item). The simulator's own model of them does not know: it keeps their positions coming and
 * drops the statuses named, in place. True when the batch was mended so.
 */
function withoutDispatchedStatuses(batch: Batch, status: number, body: string): boolean {
  if (status !== 409) return false;
  let refusal: { code?: string; details?: Array<{ path: string }> };
  try {
    refusal = JSON.parse(body) as typeof refusal;
  } catch {
    return false;
  }
  if (refusal.code !== 'ON_ASSIGNMENT') return false;
  const named = new Set((refusal.details ?? []).flatMap((d) => /^\/items\/(\d+)\/status$/.exec(d.path)?.[1] ?? []).map(Number));
  const { items } = JSON.parse(batch.body) as { items: PositionReport[] };
  if (![...named].some((i) => items[i]?.status !== undefined)) return false;
  batch.body = JSON.stringify({ items: items.map((item, i) => (named.has(i) ? { ...item, status: undefined } : item)) });
  return true;
}

function isRegistry(batch: Batch): boolean {
  return REGISTRY_STREAMS.has(batch.stream);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
