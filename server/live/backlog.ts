/**
 * What a slow wall is spared, so it cannot slow the others or grow the server's memory: a socket
 * whose unsent bytes pass SLOW_BYTES gets no position frames until it drains (positions are
 * coalesced: the next frame it gets leaves a gap in its seqs, and its resync brings every unit's
 * latest position), while cases, incidents, units' status and alarms always go; one past
 * STUCK_BYTES is cut, and resyncs when it reconnects. Either way it misses nothing for good.
 */
import type { LiveSocket } from './hub.ts';

export const SLOW_BYTES = 1 << 20;
export const STUCK_BYTES = 16 << 20;

export interface Backlogs {
  /** sockets to send no position frame now */
  skip: string[];
  /** sockets to disconnect */
  cut: string[];
}

/** The policy, pure: by each socket's unsent bytes. */
export function judgeBacklogs(sockets: Iterable<{ id: string; bytes: number }>): Backlogs {
  const skip: string[] = [];
  const cut: string[] = [];
  for (const { id, bytes } of sockets) {
    if (bytes > STUCK_BYTES) cut.push(id);
    else if (bytes > SLOW_BYTES) skip.push(id);
  }
  return { skip, cut };
}

interface EngineConnection {
  writeBuffer: Array<{ data?: unknown }>;
  transport: { socket?: { bufferedAmount?: number } };
}

/**
 * Bytes a socket has waiting: engine.io's packets not yet handed to the transport (it holds them
 * while a write is pending) and what the WebSocket holds unsent.
 */
export function backlogBytes(socket: LiveSocket): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = conn.transport.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer) {
    const data = packet.data;
    bytes += typeof data === 'string' ? data.length : data instanceof Uint8Array ? data.byteLength : 0;
  }
  return bytes;
}
