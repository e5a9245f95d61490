/**
 * A real socket.io client for tests, typed with the live contract, recording every message in
 * arrival order so a test can check sequence numbers and contents.
 */
import { io, type Socket } from 'socket.io-client';
import { decodeFrame } from '../../server/contract/position-codec.ts';
import * as wireParser from '../../server/contract/wire-parser.ts';
import type { Change, ClientToServerEvents, ServerToClientEvents, SyncResult } from '../../server/contract/live.ts';

export type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Received {
  event: keyof ServerToClientEvents;
  /** first and last seq the message covers */
  from: number;
  to: number;
  payload: unknown;
}

export interface RecordingClient {
  socket: WallSocket;
  received: Received[];
  sync(since: number | null): Promise<SyncResult>;
  close(): void;
}

/** A socket of its own, connected with a session cookie (sessions.ts: `openWall`, `signIn`), not yet synced. */
export async function openWallSocket(url: string, cookie: string): Promise<WallSocket> {
  const socket: WallSocket = io(url, { parser: wireParser, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Connects with a session cookie, recording every message from then on. */
export async function connectClient(url: string, cookie: string): Promise<RecordingClient> {
  const socket = await openWallSocket(url, cookie);
  const received: Received[] = [];
  const record = (event: Received['event']) => (change: Change) =>
    received.push({ event, from: change.seq, to: change.seq, payload: change });
  socket.on('case:changed', record('case:changed'));
  socket.on('incident:changed', record('incident:changed'));
  socket.on('unit:changed', record('unit:changed'));
  socket.on('position:frame', (wire) => {
    const frame = decodeFrame(wire);
    received.push({ event: 'position:frame', from: frame.fromSeq, to: frame.toSeq, payload: frame });
  });
  return {
    socket,
    received,
    sync: (since) => socket.timeout(30_000).emitWithAck('live:sync', { since }),
    close: () => socket.disconnect(),
  };
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
