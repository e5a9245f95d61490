/**
 * The live hub: streams committed changes to every wall in sequence order, coalesces
 * positions into frames, and answers `live:sync` with a snapshot or the missed changes.
 *
 * Called only from inside the store's queue (publish after a commit, sync as a queued read),
 * so what a socket receives is ordered by seq: a pending position frame is flushed before any
 * change with a higher seq, and a socket joins the stream exactly at the seq its snapshot or
 * resync ends with.
 *
 * In a cluster (several servers on one database, cluster.ts) a commit is not streamed by the
 * server that made it but by every server, each to its own sockets, from the store, when the
 * commit's notification reaches it (`headCommitted`): so every server streams every commit,
 * whoever made it, in seq order.
 *
 * A principal scoped to one subdistrict joins that subdistrict's room and gets a filtered
 * stream (scope.ts); for that, while any scoped stream has listeners, the hub remembers where
 * every open entity (case, incident, unit, alarm) is (learnt from the snapshot the first scoped wall is sent). Everyone else
 * joins the district-wide room, and without scoped walls the hub tracks nothing.
 */
import type { Server, Socket } from 'socket.io';
import {
  MAX_SYNC_CHANGES,
  type Change,
  type ClientToServerEvents,
  type LiveStatus,
  type PackedPosition,
  type ServerToClientEvents,
  type Snapshot,
  type SyncResult,
  type UnitView,
} from '../contract/live.ts';
import { encodeFrame } from '../contract/position-codec.ts';
import type { Principal } from '../domain/access.ts';
import type { Committed } from '../ingest/service.ts';
import { openAlarms } from '../store/alarms.ts';
import { openCaseViews } from '../store/cases.ts';
import { changesSince } from '../store/changes.ts';
import { openIncidentViews } from '../store/incidents.ts';
import { prunedThrough } from '../store/retention.ts';
import { committedBetween } from '../store/stream.ts';
import type { Store } from '../store/store.ts';
import { unitViewsSince } from '../store/volunteers.ts';
import { backlogBytes, judgeBacklogs } from './backlog.ts';
import { ScopedStream, type Outgoing } from './scope.ts';

type OpenViews = Omit<Snapshot, 'seq' | 'at' | 'status'>;

export interface SocketData {
  principal: Principal;
}
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const DISTRICT_ROOM = 'live:district';
const scopedRoom = (subdistrict: string) => `live:subdistrict:${subdistrict}`;
/** The simulated badge stays up this long after the last request on a simulator's key. */
const SIMULATED_HOLD_MS = 2 * 60_000;
/** A cluster server catching up streams at most this many changes a read. */
const CATCH_UP_LIMIT = 5_000;

export class LiveHub {
  readonly #io: LiveServer;
  readonly #store: Store;
  #status: LiveStatus;
  #pending = new Map<string, PackedPosition>();
  #pendingFrom = 0;
  #pendingTo = 0;
  #simulatedUntil = 0;
  /** subdistrict of every open case, incident and unit (`kind:id`), while #scoped is not empty */
  readonly #places = new Map<string, string | null>();
  /** the latest view of every unit, for a unit that walks into a scoped stream */
  readonly #units = new Map<string, UnitView>();
  readonly #scoped = new Map<string, ScopedStream>();
  readonly #timer: NodeJS.Timeout;
  readonly #badgeTimer: NodeJS.Timeout;
  readonly #cluster: boolean;
  /** the highest seq a cluster notification said is committed */
  #committed = 0;

  constructor(io: LiveServer, store: Store, frameIntervalMs: number, options: { cluster?: boolean } = {}) {
    this.#io = io;
    this.#store = store;
    this.#cluster = options.cluster ?? false;
    this.#status = { simulated: false, store: store.kind, storeAvailable: true };
    this.#timer = setInterval(() => this.#flushFrames(), frameIntervalMs);
    this.#timer.unref();
    this.#badgeTimer = setInterval(() => {
      if (Date.now() > this.#simulatedUntil) this.#setSimulated(false);
    }, 5_000);
    this.#badgeTimer.unref();
  }

  /** The socket.io server, for operations on connections (tests cut them). */
  get io(): LiveServer {
    return this.#io;
  }

  get status(): LiveStatus {
    return this.#status;
  }

  /**
   * Streams one commit, called after it in the store's queue: the store's head moves on to its
   * last seq, its position frame joins the pending one, its changes go out at once. In a cluster
   * the commit's notification streams it instead (`headCommitted`).
   */
  publish(committed: Committed): void {
    if (!this.#cluster) this.#stream(committed);
  }

  /** A cluster's commits are known up to `seq`: stream what this server has not, from the store. */
  headCommitted(seq: number): void {
    if (seq <= this.#committed) return;
    this.#committed = seq;
    void this.#store.serial(() => this.#catchUp()).catch(() => undefined);
  }

  async #catchUp(): Promise<void> {
    while (this.#store.head < this.#committed) {
      const { commits, through } = await committedBetween(this.#store.pool, this.#store.head, this.#committed, CATCH_UP_LIMIT);
      for (const committed of commits) this.#stream(committed);
      // Holes (rolled-back seqs) are final too: the head passes them.
      this.#store.advanceHead(through);
    }
  }

  #stream(committed: Committed): void {
    const seqs = [...(committed.frame ? [committed.frame.seq] : []), ...committed.changes.map((c) => c.seq)];
    if (seqs.length === 0) return;
    this.#store.advanceHead(Math.max(...seqs));
    const scoped = this.#activeScopedStreams();
    if (committed.frame) this.#publishPositions(committed.frame.seq, committed.frame.units, scoped);
    if (committed.changes.length > 0) this.#flushDistrictFrame();
    for (const change of committed.changes) {
      this.#emit(DISTRICT_ROOM, { type: 'change', change });
      if (scoped.length === 0) continue;
      const was = this.#track(change);
      for (const stream of scoped) {
        for (const message of stream.change(change, was)) this.#emit(scopedRoom(stream.subdistrict), message);
      }
    }
  }

  /** A simulator fed the server just now: the wall says so until SIMULATED_HOLD_MS of quiet. */
  noteSimulatedFeed(): void {
    this.#simulatedUntil = Date.now() + SIMULATED_HOLD_MS;
    this.#setSimulated(true);
  }

  /** Ends the live connections of principals that lost their right to it (sign-out, revocation). */
  disconnect(which: (principal: Principal) => boolean): void {
    for (const socket of this.#io.sockets.sockets.values()) {
      if (socket.data.principal && which(socket.data.principal)) socket.disconnect(true);
    }
  }

  /** The store stopped answering, or answers again (StoreWatch): every wall is told. */
  setStoreAvailable(storeAvailable: boolean): void {
    this.#setStatus({ storeAvailable });
  }

  #setSimulated(simulated: boolean): void {
    this.#setStatus({ simulated });
  }

  #setStatus(change: Partial<LiveStatus>): void {
    const next = { ...this.#status, ...change };
    if (next.simulated === this.#status.simulated && next.storeAvailable === this.#status.storeAvailable) return;
    this.#status = next;
    this.#io.emit('live:status', this.#status);
  }

  /**
   * Joins `socket` to the stream of its principal's scope. District-wide, with a `since` the
   * store still covers, the answer is the changes and units after it; otherwise (first
   * connect, too much missed, a seq from another database, any scoped stream) a fresh snapshot.
   */
  sync(socket: LiveSocket, since: number | null): Promise<SyncResult> {
    const scope = socket.data.principal.subdistrict;
    return this.#store.serial(async () => {
      this.#flushFrames();
      if (scope === null) {
        const result = (since !== null && (await this.#changesSince(since))) || this.#snapshotResult(await this.#openViews(), null);
        await socket.join(DISTRICT_ROOM);
        return result;
      }
      const views = await this.#openViews();
      if (this.#scoped.size === 0) this.#learnPlaces(views);
      if (!this.#scoped.has(scope)) this.#scoped.set(scope, new ScopedStream(scope));
      await socket.join(scopedRoom(scope));
      return this.#snapshotResult(views, scope);
    });
  }

  close(): void {
    clearInterval(this.#timer);
    clearInterval(this.#badgeTimer);
    this.#flushFrames();
  }

  async #changesSince(since: number): Promise<SyncResult | null> {
    const head = this.#store.head;
    if (since > head || since < (await prunedThrough(this.#store.pool))) return null;
    const changes = await changesSince(this.#store.pool, since, MAX_SYNC_CHANGES + 1);
    if (changes.length > MAX_SYNC_CHANGES) return null;
    const units = await unitViewsSince(this.#store.pool, since);
    return { ok: true, mode: 'changes', seq: head, changes, units };
  }

  async #openViews(): Promise<OpenViews> {
    const [cases, incidents, units, alarms] = await Promise.all([
      openCaseViews(this.#store.pool),
      openIncidentViews(this.#store.pool),
      unitViewsSince(this.#store.pool, 0),
      openAlarms(this.#store.pool),
    ]);
    return { cases, incidents, units, alarms };
  }

  #snapshotResult(views: OpenViews, scope: string | null): SyncResult {
    const inScope = <T extends { subdistrict: string | null }>(list: T[]) =>
      scope === null ? list : list.filter((view) => view.subdistrict === scope);
    const snapshot: Snapshot = {
      seq: this.#store.head,
      at: Date.now(),
      status: this.#status,
      cases: inScope(views.cases),
      incidents: inScope(views.incidents),
      units: inScope(views.units),
      alarms: inScope(views.alarms),
    };
    return { ok: true, mode: 'snapshot', snapshot };
  }

  /** The first scoped wall: from now on, where everything open is gets tracked. */
  #learnPlaces(views: OpenViews): void {
    for (const view of views.cases) this.#places.set(`case:${view.id}`, view.subdistrict);
    for (const view of views.incidents) this.#places.set(`incident:${view.id}`, view.subdistrict);
    for (const view of views.alarms) this.#places.set(`alarm:${view.id}`, view.subdistrict);
    for (const view of views.units) this.#rememberUnit(view);
  }

  /** Scoped streams with someone listening; the others are dropped, and with the last the tracking. */
  #activeScopedStreams(): ScopedStream[] {
    if (this.#scoped.size === 0) return [];
    for (const subdistrict of this.#scoped.keys()) {
      if (!this.#io.sockets.adapter.rooms.has(scopedRoom(subdistrict))) this.#scoped.delete(subdistrict);
    }
    if (this.#scoped.size === 0) {
      this.#places.clear();
      this.#units.clear();
    }
    return [...this.#scoped.values()];
  }

  #publishPositions(seq: number, units: PackedPosition[], scoped: ScopedStream[]): void {
    if (this.#pending.size === 0) this.#pendingFrom = seq;
    this.#pendingTo = seq;
    for (const unit of units) this.#pending.set(unit[0], unit);
    if (scoped.length === 0) return;
    const before = new Map(units.map(([id]) => [id, this.#places.get(`unit:${id}`) ?? null]));
    for (const [id, lon, lat, at, subdistrict] of units) {
      const view = this.#units.get(id);
      if (view) this.#rememberUnit({ ...view, lon, lat, at, subdistrict, cell: null, outside: subdistrict === null, seq });
    }
    for (const stream of scoped) {
      stream.positions(seq, units, (id) => before.get(id) ?? null, (id) => this.#units.get(id));
    }
  }

  /** Records where a change's entity is now; returns where it was. */
  #track(change: Change): string | null {
    const key = `${change.kind}:${change.value.id}`;
    const was = this.#places.get(key) ?? null;
    if (change.kind === 'unit') this.#rememberUnit(change.value);
    else if (change.value.state === 'closed' || change.value.state === 'cleared') this.#places.delete(key);
    else this.#places.set(key, change.value.subdistrict);
    return was;
  }

  #rememberUnit(view: UnitView): void {
    this.#units.set(view.id, view);
    this.#places.set(`unit:${view.id}`, view.subdistrict);
  }

  /** To this server's sockets only: in a cluster every server streams to its own. */
  #emit(room: string, message: Outgoing): void {
    const target = this.#io.local.to(room);
    if (message.type === 'frame') return void this.#sparingSlow(room).emit('position:frame', encodeFrame(message.frame));
    const { change } = message;
    if (change.kind === 'case') target.emit('case:changed', change);
    else if (change.kind === 'incident') target.emit('incident:changed', change);
    else if (change.kind === 'unit') target.emit('unit:changed', change);
    else target.emit('alarm:changed', change);
  }

  /** The room without its slow sockets (backlog.ts), which get no position frame now; stuck ones are cut. */
  #sparingSlow(room: string) {
    const ids = this.#io.sockets.adapter.rooms.get(room) ?? new Set<string>();
    const sockets = [...ids].flatMap((id) => {
      const socket = this.#io.sockets.sockets.get(id);
      return socket ? [{ id, bytes: backlogBytes(socket) }] : [];
    });
    const { skip, cut } = judgeBacklogs(sockets);
    for (const id of cut) this.#io.sockets.sockets.get(id)?.disconnect(true);
    const spared = [...skip, ...cut];
    return spared.length === 0 ? this.#io.local.to(room) : this.#io.local.to(room).except(spared);
  }

  #flushDistrictFrame(): void {
    if (this.#pending.size === 0) return;
    const frame = { fromSeq: this.#pendingFrom, toSeq: this.#pendingTo, units: [...this.#pending.values()] };
    this.#pending = new Map();
    this.#emit(DISTRICT_ROOM, { type: 'frame', frame });
  }

  #flushFrames(): void {
    this.#flushDistrictFrame();
    for (const stream of this.#scoped.values()) {
      const message = stream.flush();
      if (message) this.#emit(scopedRoom(stream.subdistrict), message);
    }
  }
}
