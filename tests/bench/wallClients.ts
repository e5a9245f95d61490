/**
 * Walls for the fan-out benches, in a process of their own so the server's CPU figures are the
 * server's: `count` socket.io walls that sync and follow position frames, or raw `ws` clients
 * for the baseline. Driven over IPC by wallClientsProcess (fanout.ts): it answers `ready` once
 * all are connected (and synced), and to `report` with what arrived since the last `reset`.
 *
 * Bytes are what each WebSocket message carries (a text packet's engine.io type byte counted);
 * `jsonBytesPerUpdate` is what the same unit updates would take as the JSON PackedPosition arrays they
 * were before the binary frames. Only the first SAMPLERS walls decode every frame for latency
 * (report time to arrival); the rest count, as a wall's socket does before the map gets it.
 */
import WebSocket from 'ws';
import type { WirePositionFrame } from '../../server/contract/live.ts';
import { decodeFrame } from '../../server/contract/position-codec.ts';
import { openWallSocket, type WallSocket } from '../support/socket.ts';
import { percentile } from './percentile.ts';

export interface WallClientsOptions {
  url: string;
  count: number;
  mode: 'socket.io' | 'ws';
  /** a wall session's cookie, for socket.io */
  cookie?: string;
}

export interface WallClientsReport {
  messages: number;
  unitUpdates: number;
  bytes: number;
  /** the same updates as JSON PackedPosition arrays, per update */
  jsonBytesPerUpdate: number;
  latencyP50: number;
  latencyP99: number;
}

const SAMPLERS = 5;

const fresh = () => ({ messages: 0, unitUpdates: 0, bytes: 0, sampledUpdates: 0, sampledJsonBytes: 0, latencies: [] as number[] });
let counters = fresh();

function countBytes(data: unknown): void {
  counters.bytes += typeof data === 'string' ? Buffer.byteLength(data) + 1 : (data as ArrayBuffer | Buffer).byteLength;
}

function onFrame(wire: WirePositionFrame, sampler: boolean): void {
  counters.messages++;
  counters.unitUpdates += wire.count;
  if (!sampler) return;
  const frame = decodeFrame(wire);
  const now = Date.now();
  for (const unit of frame.units) counters.latencies.push(now - unit[3]);
  counters.sampledUpdates += frame.units.length;
  counters.sampledJsonBytes += JSON.stringify({ fromSeq: frame.fromSeq, toSeq: frame.toSeq, units: frame.units }).length;
}

async function connectSocketIo(options: WallClientsOptions, index: number): Promise<WallSocket> {
  const socket = await openWallSocket(options.url, options.cookie ?? '');
  socket.io.engine.on('data', countBytes);
  socket.on('position:frame', (wire) => onFrame(wire, index < SAMPLERS));
  const synced = await socket.timeout(60_000).emitWithAck('live:sync', { since: null });
  if (!synced.ok) throw new Error(`sync refused: ${synced.error.code}`);
  return socket;
}

async function connectWs(options: WallClientsOptions): Promise<WebSocket> {
  const socket = new WebSocket(options.url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  // A raw frame is one binary message; its updates are not decoded.
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    counters.bytes += data.byteLength;
    if (isBinary) counters.messages++;
  });
  return socket;
}

function report(): WallClientsReport {
  const latencies = counters.latencies.sort((a, b) => a - b);
  return {
    messages: counters.messages,
    unitUpdates: counters.unitUpdates,
    bytes: counters.bytes,
    jsonBytesPerUpdate: counters.sampledJsonBytes / counters.sampledUpdates,
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
  };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as WallClientsOptions;
  const sockets: Array<{ close(): void }> = [];
  for (let i = 0; i < options.count; i++) {
    if (options.mode === 'ws') sockets.push(await connectWs(options));
    else {
      const socket = await connectSocketIo(options, i);
      sockets.push({ close: () => socket.disconnect() });
    }
  }
  process.on('message', (command: string) => {
    if (command === 'reset') counters = fresh();
    else if (command === 'report') process.send!(report());
    else if (command === 'close') {
      sockets.forEach((socket) => socket.close());
      process.exit(0);
    }
  });
  process.send!('ready');
}

await main();
