/**
 * `npm run bench`: prints figures, never pass/fail. Every figure is measured beside a baseline
 * in the same run, because these machines are shared and noisy.
 *
 * 1. Classification: ns per point of the precomputed locator against naive turf over the 15
 *    subdistricts, and their disagreements (must be 0).
 * 2. Ingest throughput (throughput.ts): reports/s through the batch API and through single
 *    OsmAnd requests, against a multi-row INSERT baseline, on PGlite and on PostgreSQL.
 * 3. Ingest to emit: positions POSTed to a real server at the simulator's peak rate, at 10× it
 *    and as fast as one sender can (batches of 2,000 back to back), 10 real socket.io clients;
 *    reports/s stored and delivered, and latency from the report's time to its arrival at a
 *    client (p50/p99), on PGlite and on PostgreSQL.
 * 4. The wall's memory (support/wallMemory.ts): Chromium against a server whose simulator runs at
 *    600× (four days of the district in ten minutes, messages ten times as dense as by day), the
 *    JS heap after a forced GC every 30 s for ten minutes on the full wall and five on the KPI
 *    board, with the slope per hour, raw, over the second half, and with the wall's load (what it
 *    holds, which follows the simulated hour) taken out. Needs the built wall (vite build).
 */
import { benchClassification } from '../../geo/bench.ts';
import { loadGeo } from '../../geo/index.ts';
import type { PositionReport } from '../../server/contract/ingest.ts';
import type { PositionFrame } from '../../server/contract/live.ts';
import { Simulation } from '../../seeds/simulation.ts';
import { MB, slope, slopeBeside } from '../support/heap.ts';
import { STORE_KINDS, createTestStore, post, startServer, type StoreKind } from '../support/server.ts';
import { connectClient, type RecordingClient } from '../support/socket.ts';
import { openWall } from '../support/sessions.ts';
import { wallMemory } from '../support/wallMemory.ts';
import { GOAL_PER_SECOND, ingestThroughput } from './throughput.ts';

const CLIENTS = 10;
const RUN_MS = 10_000;
const TICK_MS = 100;
/** The largest batch one request carries; an unbounded rate sends these back to back. */
const SATURATION_BATCH = 2000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function classification(): void {
  const r = benchClassification(200_000);
  console.log('\n## Classification (200,000 random points over the district bbox)');
  console.log(`locator      ${r.locateNsPerPoint.toFixed(1)} ns/point`);
  console.log(`naive turf   ${r.turfNsPerPoint.toFixed(1)} ns/point`);
  console.log(`speed-up     ${r.speedup.toFixed(1)}×   disagreements ${r.disagreements}`);
}

/** Reports per second in the simulator's busiest minute of a simulated day. */
function simulatorPeak(): number {
  // One simulated day from Beijing midnight, minute by minute.
  const sim = new Simulation({ seed: 42, startMs: Date.UTC(2026, 10, 25, 16, 0, 0), subdistricts: loadGeo().subdistricts });
  let busiest = 0;
  for (let minute = 0; minute < 24 * 60; minute++) {
    const step = sim.advance(60_000);
    busiest = Math.max(busiest, step.positions.length + step.cases.length + step.incidents.length);
  }
  return busiest / 60;
}

async function ingestToEmit(kind: StoreKind, rates: Array<[string, number]>): Promise<void> {
  const store = await createTestStore(kind);
  const server = await startServer(store);
  try {
    const sim = new Simulation({ seed: 42, startMs: 0, subdistricts: loadGeo().subdistricts });
    const { teams, volunteers } = sim.registry();
    await post(server, '/api/v1/teams', { items: teams });
    await post(server, '/api/v1/volunteers', { items: volunteers });
    const clients: RecordingClient[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const client = await connectClient(server.url, (await openWall(server)).cookie);
      await client.sync(null);
      clients.push(client);
    }
    for (const [label, rate] of rates) {
      const result = await drive(server, clients, volunteers.map((v) => v.id), rate);
      console.log(
        `${kind.padEnd(10)} ${label.padEnd(12)} offered ${(Number.isFinite(rate) ? rate.toFixed(0) : 'max').padStart(6)}/s  ` +
          `stored ${result.storedPerSecond.toFixed(0).padStart(6)}/s  delivered ${result.deliveredPerSecond.toFixed(0).padStart(7)}/s  ` +
          `latency p50 ${result.p50.toFixed(0)} ms  p99 ${result.p99.toFixed(0)} ms`,
      );
    }
    clients.forEach((c) => c.close());
  } finally {
    await server.dispose();
  }
}

async function drive(server: { url: string; token: string }, clients: RecordingClient[], ids: string[], rate: number) {
  const latencies: number[] = [];
  const onFrame = (frame: PositionFrame) => {
    const now = Date.now();
    for (const unit of frame.units) latencies.push(now - unit[3]);
  };
  clients.forEach((c) => c.socket.on('position:frame', onFrame));
  const start = Date.now();
  let sent = 0;
  let next = 0;
  while (Date.now() - start < RUN_MS) {
    const due = Math.min(SATURATION_BATCH, Math.floor(((Date.now() - start + TICK_MS) / 1000) * rate) - sent);
    const items: PositionReport[] = [];
    for (let i = 0; i < due; i++, next++) {
      const at = new Date().toISOString();
      items.push({ volunteerId: ids[next % ids.length]!, lon: 116.36 + (next % 97) * 1e-4, lat: 39.9 + (next % 89) * 1e-4, at });
    }
    if (items.length > 0) {
      const response = await post(server, '/api/v1/positions', { items });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    sent += items.length;
    if (!Number.isFinite(rate)) continue;
    const wait = start + Math.ceil((Date.now() - start) / TICK_MS) * TICK_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const elapsed = (Date.now() - start) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  clients.forEach((c) => c.socket.off('position:frame', onFrame));
  latencies.sort((a, b) => a - b);
  return {
    storedPerSecond: sent / elapsed,
    deliveredPerSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function throughput(): Promise<void> {
  console.log('\n## Ingest throughput (position reports stored per second; sender in the same process)');
  for (const kind of STORE_KINDS) {
    const rows = await ingestThroughput(kind);
    const baseline = rows[0]!.perSecond;
    for (const row of rows) {
      console.log(
        `${kind.padEnd(10)} ${row.label.padEnd(30)} ${row.perSecond.toFixed(0).padStart(7)}/s  ` +
          `${(row.perSecond / baseline).toFixed(2)}× baseline  ${((100 * row.perSecond) / GOAL_PER_SECOND).toFixed(0)} % of the ${GOAL_PER_SECOND.toLocaleString('en')}/s goal`,
      );
    }
  }
}

async function memory(): Promise<void> {
  console.log('\n## Wall memory (Chromium, simulator at 600×: ten hours of the district a minute; heap after forced GC)');
  const runs: Array<[string, string, number]> = [
    ['full wall', '', 10],
    ['KPI board', '?layout=kpi', 5],
  ];
  for (const [label, search, minutes] of runs) {
    console.log(`\n${label} (${search || 'no parameters'}), ${minutes} min after 1 min of warm-up`);
    console.log('     t   heap MB  DOM nodes  listeners   held  pending');
    const samples = await wallMemory({
      search,
      simSpeed: 600,
      warmUpMs: 60_000,
      durationMs: minutes * 60_000,
      everyMs: 30_000,
      onSample: (s) =>
        console.log(
          `${s.atS.toFixed(0).padStart(5)} s ${(s.heapBytes / MB).toFixed(2).padStart(8)} ${String(s.domNodes).padStart(10)} ` +
            `${String(s.listeners).padStart(10)} ${String(s.held).padStart(6)} ${String(s.pending).padStart(8)}`,
        ),
    });
    const perHour = (bytesPerSecond: number) => ((bytesPerSecond * 3600) / MB).toFixed(2);
    const raw = slope(samples.map((s) => [s.atS, s.heapBytes]));
    const lateHalf = slope(samples.slice(Math.floor(samples.length / 2)).map((s) => [s.atS, s.heapBytes]));
    const beside = slopeBeside(samples.map((s) => [s.atS, s.held, s.heapBytes]));
    console.log(
      `heap slope ${perHour(raw)} MB/h (second half ${perHour(lateHalf)} MB/h), ` +
        `${perHour(beside)} MB/h with what the wall holds taken out`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`# Bench · node ${process.version} · ${new Date().toISOString()}`);
  classification();
  await throughput();
  const peak = simulatorPeak();
  console.log(`\n## Ingest → emit (${CLIENTS} socket.io clients, ${RUN_MS / 1000} s each, positions via POST /api/v1/positions)`);
  console.log(`simulator peak: ${peak.toFixed(1)} reports/s (busiest minute of a simulated day); frames every 50 ms here`);
  console.log('latency = report time → arrival at a client; "delivered" = unit updates received by all clients together, after coalescing (latest per unit per frame)');
  for (const kind of STORE_KINDS) {
    await ingestToEmit(kind, [
      ['peak', peak],
      ['10× peak', peak * 10],
      ['saturated', Number.POSITIVE_INFINITY],
    ]);
  }
  await memory();
}

await main();
process.exit(0);
