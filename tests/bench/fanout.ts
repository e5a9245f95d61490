/**
 * Fan-out, for `npm run bench -- fanout`: what streaming position frames to walls costs the
 * server, beside a raw `ws` server in the same run. The walls live in a child process
 * (wallClients.ts), so the CPU measured is the server's alone.
 *
 * 1. CPU per delivered message: the app's live hub publishing a frame of FRAME_UNITS units
 *    every frame interval to WALLS socket.io walls, against a bare `ws` server sending the same
 *    encoded frame (its JSON header and its packed units, as one binary message: what a
 *    hand-written server would send) to WALLS raw clients; both for RUN_MS. CPU is
 *    process.cpuUsage() (user + system) over the run.
 * 2. Bytes per unit update on the wire, from the same run, beside the JSON arrays frames were.
 * 3. Heap per connected wall: the server's heap after a GC with HEAP_WALLS more walls connected
 *    and synced than before, against the same for raw `ws` connections.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { PackedPosition } from '../../server/contract/live.ts';
import { encodeFrame } from '../../server/contract/position-codec.ts';
import { gc } from '../support/gc.ts';
import { createTestStore, startServer, type TestServer } from '../support/server.ts';
import { openWall } from '../support/sessions.ts';
import { forkBench, nextMessage } from './child.ts';
import type { WallClientsOptions, WallClientsReport } from './wallClients.ts';

const WALLS = 50;
const FRAME_UNITS = 1_000;
const UNITS = 10_000;
const RUN_MS = 10_000;
const FRAME_MS = 50;
const HEAP_WARM_WALLS = 20;
const HEAP_WALLS = 500;
const DRAIN_MS = 1_000;

/** Walls in a child process; resolves once every one is connected (and synced). */
export async function wallClientsProcess(options: WallClientsOptions) {
  const child = forkBench(new URL('./wallClients.ts', import.meta.url), options);
  const ready = await nextMessage<string>(child);
  if (ready !== 'ready') throw new Error(`the walls' process did not start (${ready})`);
  return {
    reset: () => child.send('reset'),
    report(): Promise<WallClientsReport> {
      child.send('report');
      return nextMessage<WallClientsReport>(child);
    },
    async close(): Promise<void> {
      child.send('close');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** Seed-like unit ids (`V012-03`: team, member), FRAME_UNITS of UNITS moving in each frame. */
const unitIds = Array.from({ length: UNITS }, (_, i) => `V${String(Math.floor(i / 20)).padStart(3, '0')}-${String((i % 20) + 1).padStart(2, '0')}`);

function frameUnits(round: number): PackedPosition[] {
  const now = Date.now();
  return Array.from({ length: FRAME_UNITS }, (_, k) => {
    const n = (round * FRAME_UNITS + k) % UNITS;
    return [unitIds[n]!, 116.34 + (n % 97) * 4e-4 + round * 1e-6, 39.88 + (n % 89) * 7e-4, now, '110102003'];
  });
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Calls `send(round)` every FRAME_MS for RUN_MS, then waits for the walls to drain; the CPU it took. */
async function paced(send: (round: number) => void): Promise<number> {
  const started = process.cpuUsage();
  const start = Date.now();
  for (let round = 0; Date.now() - start < RUN_MS; round++) {
    send(round);
    await new Promise((resolve) => setTimeout(resolve, start + (round + 1) * FRAME_MS - Date.now()));
  }
  await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
  return cpuMs(started);
}

async function socketIoFanout(server: TestServer, cookie: string) {
  const walls = await wallClientsProcess({ url: server.url, count: WALLS, mode: 'socket.io', cookie });
  try {
    walls.reset();
    const cpu = await paced((round) => {
      const seq = server.app.store.head + 1;
      server.app.live.publish({ frame: { seq, units: frameUnits(round) }, changes: [] });
    });
    return { cpu, report: await walls.report() };
  } finally {
    await walls.close();
  }
}

async function wsFanout() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const walls = await wallClientsProcess({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, count: WALLS, mode: 'ws' });
  try {
    walls.reset();
    let seq = 0;
    const cpu = await paced((round) => {
      seq++;
      const { positions, ...header } = encodeFrame({ fromSeq: seq, toSeq: seq, units: frameUnits(round) });
      const bytes = Buffer.concat([Buffer.from(JSON.stringify(header)), positions]);
      for (const client of wss.clients) client.send(bytes);
    });
    return { cpu, report: await walls.report() };
  } finally {
    await walls.close();
    wss.close();
  }
}

function heapNow(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap per connection: HEAP_WALLS more than HEAP_WARM_WALLS, after a first cohort of HEAP_WALLS
 * came and went, so what is counted is the connections, not code compiled on the way.
 */
async function heapPerWall(options: WallClientsOptions): Promise<number> {
  await (await wallClientsProcess({ ...options, count: HEAP_WALLS })).close();
  const warm = await wallClientsProcess({ ...options, count: HEAP_WARM_WALLS });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = heapNow();
  const more = await wallClientsProcess({ ...options, count: HEAP_WALLS });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = heapNow();
  await more.close();
  await warm.close();
  return (after - before) / HEAP_WALLS;
}

async function heapSection(server: TestServer, cookie: string): Promise<void> {
  const socketIo = await heapPerWall({ url: server.url, count: 0, mode: 'socket.io', cookie });
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const raw = await heapPerWall({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, count: 0, mode: 'ws' });
  wss.close();
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(
    `heap per wall   socket.io ${kb(socketIo)} KB (synced, in its room)   raw ws ${kb(raw)} KB   goal ≤ 10 KB (${(socketIo / 10240).toFixed(2)} of it)`,
  );
}

export async function benchFanout(): Promise<void> {
  console.log(`\n## Fan-out (${WALLS} walls in a child process; a frame of ${FRAME_UNITS} units every ${FRAME_MS} ms for ${RUN_MS / 1000} s)`);
  const server = await startServer(await createTestStore('pglite'));
  try {
    const { cookie } = await openWall(server);
    const io = await socketIoFanout(server, cookie);
    const ws = await wsFanout();
    const perMessage = (run: { cpu: number; report: WallClientsReport }) => (1000 * run.cpu) / run.report.messages;
    const ratio = perMessage(io) / perMessage(ws);
    console.log(
      `CPU per delivered frame   socket.io hub ${perMessage(io).toFixed(1)} µs (${io.report.messages} frames)   ` +
        `raw ws ${perMessage(ws).toFixed(1)} µs (${ws.report.messages})   ${ratio.toFixed(2)}× raw ws   goal ≤ 1.2× (${(ratio / 1.2).toFixed(2)} of it)`,
    );
    const perUpdate = io.report.bytes / io.report.unitUpdates;
    console.log(
      `bytes per unit update     ${perUpdate.toFixed(1)} B on the wire (JSON arrays: ${io.report.jsonBytesPerUpdate.toFixed(1)} B, ` +
        `${(io.report.jsonBytesPerUpdate / perUpdate).toFixed(2)}× more)   goal ≤ 32 B (${(perUpdate / 32).toFixed(2)} of it)`,
    );
    console.log(`report → arrival          p50 ${io.report.latencyP50} ms  p99 ${io.report.latencyP99} ms (frames every ${FRAME_MS} ms)`);
    await heapSection(server, cookie);
  } finally {
    await server.dispose();
  }
}
