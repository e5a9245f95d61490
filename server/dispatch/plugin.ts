/**
 * Dispatch on the wire: the `app.dispatch` service, its clock, and the socket side.
 *
 * Sockets: a coordinator's `dispatch:open` joins the incident's room and names it among the
 * incident's watchers; everyone in the room hears `dispatch:watchers` when that list changes
 * and `dispatch:changed` after every assignment change. Coordinators (and admins) hear
 * `dispatch:alert` for incidents in their scope. A volunteer's own page joins its volunteer's
 * room and hears `me:changed`. Every command is checked against SOCKET_RULES and answered with
 * an ack; an error becomes `{ ok: false, error }`, with the current state for a conflict.
 *
 * Watchers are kept per process (scale-out shares them through the socket.io adapter's rooms).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { AssignCommand, AssignmentCommand, DispatchResult, IncidentRef } from '../contract/dispatch.ts';
import type { ClientToServerEvents } from '../contract/live.ts';
import { SOCKET_RULES } from '../access/rules.ts';
import { actorOf, DISPATCHERS, type Role } from '../domain/access.ts';
import { AppError } from '../errors.ts';
import type { LiveServer, LiveSocket } from '../live/hub.ts';
import { DispatchService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    dispatch: DispatchService;
  }
}

const incidentRoom = (id: string) => `dispatch:incident:${id}`;
const volunteerRoom = (id: string) => `volunteer:${id}`;
const ALERTS_ROOM = 'dispatch:alerts';
const scopedAlertsRoom = (subdistrict: string) => `dispatch:alerts:${subdistrict}`;

/** Who has which incident open: incident → socket id → actor. */
class Watchers {
  readonly #byIncident = new Map<string, Map<string, string>>();

  add(incident: string, socketId: string, actor: string): void {
    const watchers = this.#byIncident.get(incident) ?? new Map<string, string>();
    watchers.set(socketId, actor);
    this.#byIncident.set(incident, watchers);
  }

  /** Removes the socket from one incident, or from all; returns the incidents it left. */
  remove(socketId: string, incident?: string): string[] {
    const left: string[] = [];
    for (const [id, watchers] of this.#byIncident) {
      if (incident !== undefined && id !== incident) continue;
      if (watchers.delete(socketId)) left.push(id);
      if (watchers.size === 0) this.#byIncident.delete(id);
    }
    return left;
  }

  of(incident: string): string[] {
    return [...new Set(this.#byIncident.get(incident)?.values() ?? [])].sort();
  }
}

async function dispatchPlugin(app: FastifyInstance): Promise<void> {
  const io = app.live.io;
  const watchers = new Watchers();
  const service = new DispatchService(app.store, (committed) => app.live.publish(committed), {
    incidentChanged: (incident, version) => io.to(incidentRoom(incident)).emit('dispatch:changed', { incident, version }),
    volunteersChanged: (ids) => io.to(ids.map(volunteerRoom)).emit('me:changed'),
    alert: (alert, subdistrict) => {
      const rooms = subdistrict === null ? [ALERTS_ROOM] : [ALERTS_ROOM, scopedAlertsRoom(subdistrict)];
      io.to(rooms).emit('dispatch:alert', alert);
    },
  }, { answerMs: app.config.dispatchAnswerSeconds * 1000 });
  app.decorate('dispatch', service);

  const timer = setInterval(() => {
    if (!app.leads()) return;
    service.tick().catch((error: unknown) => app.log.warn({ err: error }, 'dispatch clock: will retry'));
  }, app.config.dispatchTickMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  io.on('connection', (socket) => attach(app, io, socket, watchers));
}

function attach(app: FastifyInstance, io: LiveServer, socket: LiveSocket, watchers: Watchers): void {
  const principal = socket.data.principal;
  if (principal.kind === 'volunteer-link') void socket.join(volunteerRoom(principal.id));
  if (!DISPATCH_COMMANDS.some((event) => SOCKET_RULES[event].includes(principal.role))) return refuseEvery(socket, principal.role);
  if (DISPATCHERS.includes(principal.role)) {
    void socket.join(principal.subdistrict === null ? ALERTS_ROOM : scopedAlertsRoom(principal.subdistrict));
  }
  const announce = (incident: string) => io.to(incidentRoom(incident)).emit('dispatch:watchers', { incident, watchers: watchers.of(incident) });
  const stateFor = async (incident: string): Promise<DispatchResult> => ({
    ok: true,
    state: { ...(await app.dispatch.state(principal, incident)), watchers: watchers.of(incident) },
  });

  command(socket, 'dispatch:open', parseIncidentRef, async ({ incident }) => {
    const result = await stateFor(incident);
    watchers.add(incident, socket.id, actorOf(principal));
    await socket.join(incidentRoom(incident));
    announce(incident);
    return { ...result, state: { ...result.state, watchers: watchers.of(incident) } };
  });
  command(socket, 'dispatch:close', parseIncidentRef, async ({ incident }) => {
    await socket.leave(incidentRoom(incident));
    if (watchers.remove(socket.id, incident).length > 0) announce(incident);
    return { ok: true as const };
  });
  command(socket, 'dispatch:assign', parseAssign, async (request) => {
    await app.dispatch.assign(principal, request);
    return stateFor(request.incident);
  }, (request) => request.incident);
  command(socket, 'dispatch:cancel', parseAssignmentCommand, async (request) => stateFor(await app.dispatch.end(principal, request, 'cancel')));
  command(socket, 'dispatch:release', parseAssignmentCommand, async (request) => stateFor(await app.dispatch.end(principal, request, 'release')));

  socket.on('disconnect', () => {
    for (const incident of watchers.remove(socket.id)) announce(incident);
  });

  /**
   * One command: the role rule, the request's shape, then `run`; every failure is an ack. A
   * conflict also carries the current state of the incident `incidentOf` names, so the
   * coordinator sees what changed.
   */
  function command<E extends keyof ClientToServerEvents, R, A>(
    target: LiveSocket,
    event: E,
    parse: (request: unknown) => R | string,
    run: (request: R) => Promise<A>,
    incidentOf?: (request: R) => string,
  ): void {
    target.on(event, ((request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const answer = ack as (result: unknown) => void;
      if (!SOCKET_RULES[event].includes(principal.role)) {
        return answer(forbidden(principal.role, event));
      }
      const parsed = parse(request);
      if (typeof parsed === 'string') return answer(failure(new AppError('VALIDATION_FAILED', [], `${event}: ${parsed}`)));
      run(parsed).then(answer, async (error: unknown) => {
        const result = failure(error);
        if (error instanceof AppError && error.code === 'DISPATCH_CONFLICT' && incidentOf) {
          const current = await stateFor(incidentOf(parsed)).catch(() => null);
          if (current?.ok) return answer({ ...result, state: current.state });
        }
        answer(result);
      });
    }) as never);
  }

  function failure(error: unknown): { ok: false; error: { code: string; message: string } } {
    if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } };
    app.log.error({ err: error }, 'dispatch command failed');
    return { ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'the command failed; retry' } };
  }
}

type DispatchCommand = Extract<keyof ClientToServerEvents, `dispatch:${string}`>;
const DISPATCH_COMMANDS = (Object.keys(SOCKET_RULES) as Array<keyof ClientToServerEvents>).filter(
  (event): event is DispatchCommand => event.startsWith('dispatch:'),
);
type Refusal = (request: unknown, ack: unknown) => void;
const refusals = new Map<string, Refusal>();

/**
 * A socket whose role may use no dispatch command (a wall, a leader) still gets each command
 * answered FORBIDDEN, by handlers shared by every such socket: a wall holds no dispatch
 * closures of its own, which is most of what dispatch cost each connection's heap.
 */
function refuseEvery(socket: LiveSocket, role: Role): void {
  for (const event of DISPATCH_COMMANDS) socket.on(event, refusal(role, event) as never);
}

function refusal(role: Role, event: DispatchCommand): Refusal {
  const key = `${role} ${event}`;
  let refuse = refusals.get(key);
  if (!refuse) {
    const answer = forbidden(role, event);
    refuse = (_request, ack) => {
      if (typeof ack === 'function') ack(answer);
    };
    refusals.set(key, refuse);
  }
  return refuse;
}

function forbidden(role: Role, event: keyof ClientToServerEvents) {
  return { ok: false, error: { code: 'FORBIDDEN', message: `the ${role} role may not ${event}` } } as const;
}

// The commands' shapes, checked by hand: socket payloads do not pass through Fastify's schemas.

const ID = /^[A-Za-z0-9_.:\-]{1,200}$/;
const ASSIGNMENT_ID = /^\d{1,18}$/;

function field(request: unknown, name: string): unknown {
  return typeof request === 'object' && request !== null ? (request as Record<string, unknown>)[name] : undefined;
}

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseIncidentRef(request: unknown): IncidentRef | string {
  const incident = field(request, 'incident');
  return typeof incident === 'string' && ID.test(incident) ? { incident } : 'needs { incident: an incident id }';
}

function parseAssign(request: unknown): AssignCommand | string {
  const [incident, team, version] = ['incident', 'team', 'version'].map((name) => field(request, name));
  if (typeof incident !== 'string' || !ID.test(incident) || typeof team !== 'string' || !ID.test(team) || !isVersion(version)) {
    return 'needs { incident, team, version }';
  }
  return { incident, team, version };
}

function parseAssignmentCommand(request: unknown): AssignmentCommand | string {
  const [assignment, version] = ['assignment', 'version'].map((name) => field(request, name));
  if (typeof assignment !== 'string' || !ASSIGNMENT_ID.test(assignment) || !isVersion(version)) return 'needs { assignment, version }';
  return { assignment, version };
}

export default fp(dispatchPlugin, { name: 'dispatch', dependencies: ['services', 'live-socket'] });
