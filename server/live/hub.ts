/**
 * The live hub: streams committed changes to every wall in sequence order, coalesces
 * positions into frames, and answers `live:sync` with a snapshot or the missed changes.
 *
 * Called only from inside the store's queue (publish after a commit, sync as a queued read),
 * so what a socket receives is ordered by seq: a pending position frame is flushed before any
 * change with a higher seq, and a socket joins the stream exactly at the seq its snapshot or
 * resync ends with.
 */
import type { Server, Socket } from 'socket.io';
import {
  MAX_SYNC_CHANGES,
  type ClientToServerEvents,
  type LiveStatus,
  type PackedPosition,
  type ServerToClientEvents,
  type Snapshot,
  type SyncResult,
} from '../contract/live.ts';
import type { Committed } from '../ingest/service.ts';
import { openCaseViews } from '../store/cases.ts';
import { changesSince } from '../store/changes.ts';
import { openIncidentViews } from '../store/incidents.ts';
import type { Store } from '../store/store.ts';
import { unitViewsSince } from '../store/volunteers.ts';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const WALL_ROOM = 'wall';
/** The simulated badge stays up this long after the last request on a simulator's key. */
const SIMULATED_HOLD_MS = 2 * 60_000;

export class LiveHub {
  readonly #io: LiveServer;
  readonly #store: Store;
  #status: LiveStatus;
  #pending = new Map<string, PackedPosition>();
  #pendingFrom = 0;
  #pendingTo = 0;
  #simulatedUntil = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #badgeTimer: NodeJS.Timeout;

  constructor(io: LiveServer, store: Store, frameIntervalMs: number) {
    this.#io = io;
    this.#store = store;
    this.#status = { simulated: false, store: store.kind };
    this.#timer = setInterval(() => this.#flushFrame(), frameIntervalMs);
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

  /** Streams one commit: its position frame joins the pending one, its changes go out at once. */
  publish(committed: Committed): void {
    if (committed.frame) this.#addToFrame(committed.frame.seq, committed.frame.units);
    if (committed.changes.length > 0) this.#flushFrame();
    for (const change of committed.changes) {
      if (change.kind === 'case') this.#io.to(WALL_ROOM).emit('case:changed', change);
      else if (change.kind === 'incident') this.#io.to(WALL_ROOM).emit('incident:changed', change);
      else this.#io.to(WALL_ROOM).emit('unit:changed', change);
    }
  }

  /** A simulator fed the server just now: the wall says so until SIMULATED_HOLD_MS of quiet. */
  noteSimulatedFeed(): void {
    this.#simulatedUntil = Date.now() + SIMULATED_HOLD_MS;
    this.#setSimulated(true);
  }

  #setSimulated(simulated: boolean): void {
    if (simulated === this.#status.simulated) return;
    this.#status = { ...this.#status, simulated };
    this.#io.to(WALL_ROOM).emit('live:status', this.#status);
  }

  /**
   * Joins `socket` to the stream. With a `since` the store still covers, the answer is the
   * changes and units after it; otherwise (first connect, too much missed, a seq from another
   * database) a fresh snapshot.
   */
  sync(socket: LiveSocket, since: number | null): Promise<SyncResult> {
    return this.#store.serial(async () => {
      this.#flushFrame();
      const result = (since !== null && (await this.#changesSince(since))) || (await this.#snapshotResult());
      await socket.join(WALL_ROOM);
      return result;
    });
  }

  close(): void {
    clearInterval(this.#timer);
    clearInterval(this.#badgeTimer);
    this.#flushFrame();
  }

  async #changesSince(since: number): Promise<SyncResult | null> {
    const head = this.#store.head;
    if (since > head) return null;
    const changes = await changesSince(this.#store.pool, since, MAX_SYNC_CHANGES + 1);
    if (changes.length > MAX_SYNC_CHANGES) return null;
    const units = await unitViewsSince(this.#store.pool, since);
    return { ok: true, mode: 'changes', seq: head, changes, units };
  }

  async #snapshotResult(): Promise<SyncResult> {
    const snapshot: Snapshot = {
      seq: this.#store.head,
      at: Date.now(),
      status: this.#status,
      cases: await openCaseViews(this.#store.pool),
      incidents: await openIncidentViews(this.#store.pool),
      units: await unitViewsSince(this.#store.pool, 0),
    };
    return { ok: true, mode: 'snapshot', snapshot };
  }

  #addToFrame(seq: number, units: PackedPosition[]): void {
    if (this.#pending.size === 0) this.#pendingFrom = seq;
    this.#pendingTo = seq;
    for (const unit of units) this.#pending.set(unit[0], unit);
  }

  #flushFrame(): void {
    if (this.#pending.size === 0) return;
    const frame = { fromSeq: this.#pendingFrom, toSeq: this.#pendingTo, units: [...this.#pending.values()] };
    this.#pending = new Map();
    this.#io.to(WALL_ROOM).emit('position:frame', frame);
  }
}
