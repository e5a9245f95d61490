/**
 * The design load, for `npm run bench -- design`: a city-wide day, 100,000 units each
 * reporting every 2 s (50,000 reports a second), through HTTP batches, classified, stored in
 * the real PostgreSQL and streamed to 50 walls. The feed (feeder.ts) and the walls
 * (wallClients.ts) each run in a process of their own, so the server's process is the server.
 *
 * Prints reports stored per second (the positions table counted before and after, not the
 * sender's word) against the offered rate and Traccar's stated 8,000 a second; unit updates
 * the walls received; latency from a report's time (stamped by the feed as it builds the
 * batch, so the HTTP request counts) to the hub's emit of the frame carrying it, read off the
 * socket.io adapter's broadcasts in the server's process; and to its arrival at a wall.
 */
import type { WirePositionFrame } from '../../server/contract/live.ts';
import { decodeFrame } from '../../server/contract/position-codec.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { openWall } from '../support/sessions.ts';
import { forkBench, nextMessage } from './child.ts';
import { wallClientsProcess } from './fanout.ts';
import { designUnitId, type FeederOptions, type FeederReport } from './feeder.ts';
import { percentile } from './percentile.ts';

const UNITS = 100_000;
/** every 2 s is the design load; every 20 s a tenth of it */
const EVERY_MS = [2_000, 20_000];
const WALLS = 50;
const RUN_MS = 20_000;
const REGISTER_BATCH = 1_000;
const DUTY_BATCH = 2_000;
const TRACCAR_PER_SECOND = 8_000;
const GOAL_PER_SECOND = 50_000;
const GOAL_P99_MS = 300;

export function feederProcess(options: FeederOptions): Promise<FeederReport> {
  return nextMessage<FeederReport>(forkBench(new URL('./feeder.ts', import.meta.url), options));
}

async function expectOk(answer: Promise<{ status: number; body: unknown }>): Promise<void> {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`setup answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
}

/** `units` volunteers (designUnitId) registered and on duty, each with a first position. */
export async function registerUnits(server: TestServer, units: number): Promise<void> {
  await expectOk(post(server, '/api/v1/teams', { items: [{ id: 'DT', name: '全区压测队', subdistrict: '110102012', specialty: 'patrol' }] }));
  const ids = Array.from({ length: units }, (_, n) => designUnitId(n));
  for (let i = 0; i < units; i += REGISTER_BATCH) {
    await expectOk(post(server, '/api/v1/volunteers', { items: ids.slice(i, i + REGISTER_BATCH).map((id) => ({ id, teamId: 'DT', name: id })) }));
  }
  for (let i = 0; i < units; i += DUTY_BATCH) {
    const items = ids.slice(i, i + DUTY_BATCH).map((volunteerId, k) => ({ volunteerId, lon: 116.35 + (k % 50) * 1e-3, lat: 39.9 + (k % 40) * 1e-3, status: 'available' }));
    await expectOk(post(server, '/api/v1/positions', { items }));
  }
}

/** Report time → emit, for every unit of every position frame the hub broadcasts from now on. */
function emitLatencies(server: TestServer): { latencies: number[]; stop(): void } {
  const adapter = server.app.live.io.of('/').adapter;
  const broadcast = adapter.broadcast;
  const latencies: number[] = [];
  adapter.broadcast = function (packet: { data: [string, WirePositionFrame] }, opts) {
    if (packet.data[0] === 'position:frame') {
      const now = Date.now();
      for (const unit of decodeFrame(packet.data[1]).units) latencies.push(now - unit[3]);
    }
    return broadcast.call(this, packet, opts);
  };
  return { latencies, stop: () => void (adapter.broadcast = broadcast) };
}

async function positionRows(server: TestServer): Promise<number> {
  const { rows } = await server.app.store.pool.query<{ n: string }>('SELECT count(*) AS n FROM positions');
  return Number(rows[0]!.n);
}

/** One run at `everyMs` a unit: what was stored, delivered and how late, printed. */
async function run(server: TestServer, walls: Awaited<ReturnType<typeof wallClientsProcess>>, everyMs: number): Promise<void> {
  const rowsBefore = await positionRows(server);
  walls.reset();
  const emitted = emitLatencies(server);
  const cpu = process.cpuUsage();
  const fed = await feederProcess({ url: server.url, token: server.token, units: UNITS, everyMs, runMs: RUN_MS });
  const used = process.cpuUsage(cpu);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  emitted.stop();
  const toEmit = emitted.latencies.sort((a, b) => a - b);
  const seen = await walls.report();
  const perSecond = ((await positionRows(server)) - rowsBefore) / fed.seconds;
  console.log(`\nevery unit every ${everyMs / 1000} s: ${(UNITS / (everyMs / 1000)).toLocaleString('en')} reports/s asked`);
  console.log(
    `stored     ${perSecond.toFixed(0).padStart(7)}/s of ${(fed.sent / fed.seconds).toFixed(0)}/s offered (${fed.refused} batches refused)   ` +
      `goal ≥ ${GOAL_PER_SECOND.toLocaleString('en')}/s (${(perSecond / GOAL_PER_SECOND).toFixed(2)} of it)   ${(perSecond / TRACCAR_PER_SECOND).toFixed(1)}× Traccar's 8,000/s`,
  );
  console.log(`delivered  ${(seen.unitUpdates / fed.seconds).toFixed(0).padStart(7)}/s unit updates to ${WALLS} walls (${(seen.unitUpdates / fed.seconds / WALLS).toFixed(0)}/s each)`);
  const p99 = percentile(toEmit, 99);
  console.log(
    `latency    report → emit p50 ${percentile(toEmit, 50)} ms  p99 ${p99} ms   goal p99 ≤ ${GOAL_P99_MS} ms (${(p99 / GOAL_P99_MS).toFixed(2)} of it)   ` +
      `report → wall p50 ${seen.latencyP50} ms  p99 ${seen.latencyP99} ms (the walls' process shares the two cores)`,
  );
  console.log(`server CPU ${(((used.user + used.system) / 1e6 / fed.seconds) * 100).toFixed(0)} % of one core over the run (two cores here)`);
}

/** The design load, then a tenth of it, where the latency is not a queue's. */
export async function benchDesignLoad(): Promise<void> {
  console.log(`\n## Design load (${UNITS.toLocaleString('en')} units on PostgreSQL, ${WALLS} walls, ${RUN_MS / 1000} s a run; feed and walls in processes of their own)`);
  const server = await startServer(await createTestStore('postgresql'));
  try {
    const setup = Date.now();
    await registerUnits(server, UNITS);
    const { cookie } = await openWall(server);
    const walls = await wallClientsProcess({ url: server.url, count: WALLS, mode: 'socket.io', cookie });
    console.log(`setup ${((Date.now() - setup) / 1000).toFixed(0)} s (registry, first positions, ${WALLS} walls synced)`);
    for (const everyMs of EVERY_MS) await run(server, walls, everyMs);
    await walls.close();
  } finally {
    await server.dispose();
  }
}
