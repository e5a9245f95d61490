/**
 * socket.io handlers: the one command a wall sends, `live:sync`, validated and answered with
 * an ack `{ ok: true, … } | { ok: false, error }`. A malformed request is answered, never thrown.
 */
import type { SyncResult } from '../contract/live.ts';
import type { LiveHub, LiveServer } from './hub.ts';

export function attachSocketHandlers(io: LiveServer, live: LiveHub): void {
  io.on('connection', (socket) => {
    socket.emit('live:status', live.status);
    socket.on('live:sync', (request, ack) => {
      if (typeof ack !== 'function') return;
      const since = parseSince(request);
      if (since === undefined) {
        ack(badRequest('live:sync needs { since: null | a non-negative integer }'));
        return;
      }
      live.sync(socket, since).then(ack, () => ack({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'sync failed; retry' } }));
    });
  });
}

function parseSince(request: unknown): number | null | undefined {
  if (typeof request !== 'object' || request === null || !('since' in request)) return undefined;
  const { since } = request as { since: unknown };
  if (since === null) return null;
  return typeof since === 'number' && Number.isSafeInteger(since) && since >= 0 ? since : undefined;
}

function badRequest(message: string): SyncResult {
  return { ok: false, error: { code: 'VALIDATION_FAILED', message } };
}
