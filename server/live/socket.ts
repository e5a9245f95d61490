/**
 * The socket side of the live stream. A connection is accepted only with a session cookie (a
 * signed-in user whose password is set, or a wall link); its principal rides on the socket.
 * Each command is checked against SOCKET_RULES, validated, and answered with an ack
 * `{ ok: true, … } | { ok: false, error }`; a malformed request is answered, never thrown.
 * Sessions that expire or end elsewhere are found by a periodic check and disconnected.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { SyncResult } from '../contract/live.ts';
import { SOCKET_RULES } from '../access/rules.ts';
import { stillValidSessions } from '../store/sessions.ts';
import type { LiveSocket } from './hub.ts';

const SESSION_CHECK_MS = 60_000;

function handshakeError(code: string): Error & { data: { code: string } } {
  return Object.assign(new Error(code), { data: { code } });
}

async function liveSocket(app: FastifyInstance): Promise<void> {
  const io = app.live.io;
  io.use((socket, next) => {
    app.principalFromCookies(socket.request.headers.cookie).then((principal) => {
      if (!principal) return next(handshakeError('UNAUTHORIZED'));
      if (principal.mustChangePassword) return next(handshakeError('PASSWORD_CHANGE_REQUIRED'));
      socket.data.principal = principal;
      next();
    }, next);
  });
  io.on('connection', (socket) => attachHandlers(app, socket));

  const timer = setInterval(() => void disconnectEndedSessions(app), SESSION_CHECK_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

function attachHandlers(app: FastifyInstance, socket: LiveSocket): void {
  socket.emit('live:status', app.live.status);
  socket.on('live:sync', (request, ack) => {
    if (typeof ack !== 'function') return;
    if (!SOCKET_RULES['live:sync'].includes(socket.data.principal.role)) {
      ack({ ok: false, error: { code: 'FORBIDDEN', message: 'your role may not sync the live stream' } });
      return;
    }
    const since = parseSince(request);
    if (since === undefined) {
      ack(badRequest('live:sync needs { since: null | a non-negative integer }'));
      return;
    }
    app.live.sync(socket, since).then(ack, () => ack({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'sync failed; retry' } }));
  });
}

async function disconnectEndedSessions(app: FastifyInstance): Promise<void> {
  const sockets = [...app.live.io.sockets.sockets.values()];
  if (sockets.length === 0) return;
  const valid = await stillValidSessions(app.store.pool, [...new Set(sockets.map((s) => s.data.principal.sessionId))]).catch(() => null);
  if (valid === null) return; // the store is down: keep the walls running, check again later
  app.live.disconnect((principal) => !valid.has(principal.sessionId));
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

export default fp(liveSocket, { name: 'live-socket', dependencies: ['services', 'access'] });
