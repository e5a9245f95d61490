/**
 * Alarms on the wire: `app.alarms`, its clock (every ALARM_TICK_MS), and the socket command
 * `alarm:ack` (operators, coordinators, admins: SOCKET_RULES), answered with the alarm as it is
 * after the acknowledgement. The alarm changes themselves travel on the live stream.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { SOCKET_RULES } from '../access/rules.ts';
import { actorOf } from '../domain/access.ts';
import { AppError } from '../errors.ts';
import type { LiveSocket } from '../live/hub.ts';
import { AlarmService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    alarms: AlarmService;
  }
}

async function alarmsPlugin(app: FastifyInstance): Promise<void> {
  const service = new AlarmService(app.store, (committed) => app.live.publish(committed), {
    silentMs: app.config.alarmSilentSeconds * 1000,
  });
  app.decorate('alarms', service);
  const timer = setInterval(() => {
    // One judge in a cluster: the leading server.
    if (!app.leads()) return;
    service.tick().catch((error: unknown) => app.log.warn({ err: error }, 'alarm clock: will retry'));
  }, app.config.alarmTickMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
  app.live.io.on('connection', (socket) => attach(app, socket));
}

function attach(app: FastifyInstance, socket: LiveSocket): void {
  socket.on('alarm:ack', (request, ack) => {
    if (typeof ack !== 'function') return;
    const { principal } = socket.data;
    if (!SOCKET_RULES['alarm:ack'].includes(principal.role)) {
      return ack({ ok: false, error: { code: 'FORBIDDEN', message: `the ${principal.role} role may not acknowledge alarms` } });
    }
    const id = typeof request === 'object' && request !== null ? (request as { alarm?: unknown }).alarm : undefined;
    if (typeof id !== 'string') return ack({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'alarm:ack needs { alarm: an alarm id }' } });
    app.alarms.acknowledge(id, actorOf(principal)).then(
      (alarm) => ack({ ok: true, alarm }),
      (error: unknown) => {
        if (error instanceof AppError) return ack({ ok: false, error: { code: error.code, message: error.message } });
        app.log.error({ err: error }, 'alarm:ack failed');
        ack({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'the acknowledgement failed; retry' } });
      },
    );
  });
}

export default fp(alarmsPlugin, { name: 'alarms', dependencies: ['services', 'live-socket'] });
