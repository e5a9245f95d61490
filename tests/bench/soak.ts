/**
 * The soak, for `npm run bench -- soak`: a server on PostgreSQL fed at the simulator's peak rate
 * (every volunteer's position, a case every few seconds, a safety incident now and then) for
 * SOAK_MINUTES (default 60), while walls connect and leave: ten walls stay connected, and every
 * ten seconds one leaves and a new one connects with a snapshot, and one is cut and resyncs from
 * its last seq, as a wall on a flaky network does. Each wall follows the stream as the real one
 * does (a gap asks for the changes since its seq).
 *
 * Every minute it prints the server process's heap after a forced GC and its RSS, the sockets
 * open, the report → wall latency of the positions of that minute (p50, p99), the resyncs and
 * snapshots served, and the gaps no resync could mend (must stay 0); at the end the heap's
 * slope per hour over the whole run and over its second half. Senders and walls run in this
 * process too, holding only counters, so the heap is the server's but for a constant.
 */
import { io, type Socket } from 'socket.io-client';
import { loadGeo } from '../../geo/index.ts';
import type { CaseReport, IncidentReport, PositionReport } from '../../server/contract/ingest.ts';
import type { Change, ClientToServerEvents, ServerToClientEvents, SyncResult } from '../../server/contract/live.ts';
import { decodeFrame } from '../../server/contract/position-codec.ts';
import * as wireParser from '../../server/contract/wire-parser.ts';
import { Simulation } from '../../seeds/simulation.ts';
import { gc } from '../support/gc.ts';
import { MB, slope } from '../support/heap.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { openWall } from '../support/sessions.ts';
import { percentile } from './percentile.ts';

const MINUTE = 60_000;
const WALLS = 10;
const CHURN_MS = 10_000;
const TICK_MS = 250;


type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A wall that follows the stream by seq, as client/live/LiveState does, keeping only counters. */
class SoakWall {
  seq: number | null = null;
  readonly socket: WallSocket;
  private syncing = false;

  constructor(
    url: string,
    cookie: string,
    private readonly counters: Counters,
  ) {
    this.socket = io(url, { parser: wireParser, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
    const onChange = (change: Change) => this.receive(change.seq, change.seq);
    this.socket.on('case:changed', onChange);
    this.socket.on('incident:changed', onChange);
    this.socket.on('unit:changed', onChange);
    this.socket.on('alarm:changed', onChange);
    this.socket.on('position:frame', (wire) => {
      const frame = decodeFrame(wire);
      const now = Date.now();
      for (const unit of frame.units) counters.latencies.push(now - unit[3]);
      this.receive(frame.fromSeq, frame.toSeq);
    });
    this.socket.on('connect', () => void this.sync());
  }

  /** Cut and back, as a flaky network does: it resyncs from the seq it holds. */
  bounce(): void {
    this.socket.io.engine.close();
    this.socket.connect();
  }

  close(): void {
    this.socket.disconnect();
  }

  private receive(from: number, to: number): void {
    if (this.syncing || this.seq === null) return;
    if (from > this.seq + 1) return void this.sync();
    this.seq = Math.max(this.seq, to);
  }

  private async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const result: SyncResult = await this.socket.timeout(30_000).emitWithAck('live:sync', { since: this.seq });
      if (!result.ok) return void this.counters.unmended++;
      if (result.mode === 'snapshot') {
        this.counters.snapshots++;
        this.seq = result.snapshot.seq;
      } else {
        this.counters.resyncs++;
        this.seq = result.seq;
      }
    } catch {
      this.counters.unmended++;
    } finally {
      this.syncing = false;
    }
  }
}

interface Counters {
  latencies: number[];
  snapshots: number;
  resyncs: number;
  unmended: number;
}


/** The simulator's registry, and its busiest minute of a day as reports per second of each kind. */
function peak() {
  const sim = new Simulation({ seed: 42, startMs: Date.UTC(2026, 10, 25, 16, 0, 0), subdistricts: loadGeo().subdistricts });
  let busiest = { positions: 0, cases: 0, incidents: 0 };
  for (let minute = 0; minute < 24 * 60; minute++) {
    const step = sim.advance(MINUTE);
    if (step.positions.length > busiest.positions) busiest = { positions: step.positions.length, cases: step.cases.length, incidents: step.incidents.length };
  }
  return { registry: sim.registry(), perSecond: { positions: busiest.positions / 60, cases: busiest.cases / 60, incidents: busiest.incidents / 60 } };
}

export async function benchSoak(minutes = Number(process.env.SOAK_MINUTES ?? 60)): Promise<void> {
  const { registry, perSecond } = peak();
  console.log(
    `\n## Soak: ${minutes} min at the simulator's peak (${perSecond.positions.toFixed(1)} positions, ${perSecond.cases.toFixed(2)} cases, ` +
      `${perSecond.incidents.toFixed(2)} incidents a second), ${WALLS} walls, one leaving and one joining every ${CHURN_MS / 1000} s, one cut and resyncing as often (PostgreSQL)`,
  );
  const server = await startServer(await createTestStore('postgresql'));
  const counters: Counters = { latencies: [], snapshots: 0, resyncs: 0, unmended: 0 };
  const walls: SoakWall[] = [];
  const newWall = async () => walls.push(new SoakWall(server.url, (await openWall(server)).cookie, counters));
  try {
    await post(server, '/api/v1/teams', { items: registry.teams });
    await post(server, '/api/v1/volunteers', { items: registry.volunteers });
    const ids = registry.volunteers.map((v) => v.id);
    await post(server, '/api/v1/positions', { items: ids.map((volunteerId) => ({ volunteerId, lon: 116.37, lat: 39.92, status: 'available' as const })) });
    for (let i = 0; i < WALLS; i++) await newWall();
    console.log('   min  heap MB   rss MB  sockets  p50 ms  p99 ms  snapshots  resyncs  unmended');
    const heap: Array<[number, number]> = [];
    const start = Date.now();
    const feeding = feed(server, ids, perSecond, start + minutes * MINUTE);
    let churned = start;
    for (let minute = 1; minute <= minutes; minute++) {
      while (Date.now() < start + minute * MINUTE) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        if (Date.now() - churned < CHURN_MS) continue;
        churned = Date.now();
        walls.shift()?.close();
        await newWall();
        walls[Math.floor(Math.random() * walls.length)]?.bounce();
      }
      gc();
      const memory = process.memoryUsage();
      heap.push([minute * 60, memory.heapUsed]);
      const latencies = counters.latencies.splice(0).sort((a, b) => a - b);
      console.log(
        `${String(minute).padStart(6)} ${(memory.heapUsed / MB).toFixed(1).padStart(8)} ${(memory.rss / MB).toFixed(1).padStart(8)} ` +
          `${String(server.app.live.io.sockets.sockets.size).padStart(8)} ${percentile(latencies, 50).toFixed(0).padStart(7)} ` +
          `${percentile(latencies, 99).toFixed(0).padStart(7)} ${String(counters.snapshots).padStart(10)} ${String(counters.resyncs).padStart(8)} ${String(counters.unmended).padStart(9)}`,
      );
    }
    await feeding;
    const perHour = (bytesPerSecond: number) => ((bytesPerSecond * 3600) / MB).toFixed(2);
    console.log(`heap slope ${perHour(slope(heap))} MB/h (second half ${perHour(slope(heap.slice(Math.floor(heap.length / 2))))} MB/h)`);
  } finally {
    for (const wall of walls) wall.close();
    await server.dispose();
  }
}

/** Reports at the peak rates until `until`, every TICK_MS: positions of the volunteers in turn, cases, incidents. */
async function feed(server: TestServer, ids: string[], perSecond: { positions: number; cases: number; incidents: number }, until: number): Promise<void> {
  const owed = { positions: 0, cases: 0, incidents: 0 };
  let n = 0;
  while (Date.now() < until) {
    const tick = Date.now();
    for (const kind of ['positions', 'cases', 'incidents'] as const) owed[kind] += (perSecond[kind] * TICK_MS) / 1000;
    const positions: PositionReport[] = [];
    for (; owed.positions >= 1; owed.positions--, n++) positions.push({ volunteerId: ids[n % ids.length]!, lon: 116.36 + (n % 97) * 1e-4, lat: 39.9 + (n % 89) * 1e-4, at: new Date().toISOString() });
    const cases: CaseReport[] = [];
    for (; owed.cases >= 1; owed.cases--, n++) cases.push({ sourceId: `SOAK-${n}`, source: 'hotline', category: 'parking', lon: 116.37, lat: 39.92 });
    const incidents: IncidentReport[] = [];
    for (; owed.incidents >= 1; owed.incidents--, n++) incidents.push({ sourceId: `SOAK-I-${n}`, kind: 'fire', severity: 4, lon: 116.37, lat: 39.92 });
    if (positions.length > 0) await post(server, '/api/v1/positions', { items: positions });
    if (cases.length > 0) await post(server, '/api/v1/cases', { items: cases });
    if (incidents.length > 0) await post(server, '/api/v1/incidents', { items: incidents });
    const wait = tick + TICK_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
