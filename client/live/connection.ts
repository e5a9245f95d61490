/**
 * The socket side of the live stream: a socket.io client typed with the contract's events that
 * feeds a LiveState and keeps it in sync. It syncs (`live:sync` since the last applied seq) on
 * every connect, reconnect and detected gap, retries a failed or unanswered sync, and reports
 * the connection as 'live' (connected and synced), 'reconnecting', or 'offline' (no live
 * connection for OFFLINE_AFTER_MS).
 *
 * A handshake the server refuses (no session: `UNAUTHORIZED`; `PASSWORD_CHANGE_REQUIRED`) is
 * not retried here: the code goes to the listener's `refused`, and whoever opens a new session
 * calls `reconnect()`. A socket the server closed is rejoined after REJOIN_AFTER_MS; when its
 * session ended, that handshake is the one refused.
 *
 * The same socket carries a coordinator's dispatch commands (`command`, answered by their ack
 * or rejected after COMMAND_TIMEOUT_MS or when not connected) and the dispatch events (`on`);
 * neither touches the LiveState.
 */
import { io, type Socket } from 'socket.io-client';
import { decodeFrame } from '../../server/contract/position-codec.ts';
import * as wireParser from '../../server/contract/wire-parser.ts';
import type { ClientToServerEvents, ServerToClientEvents, SyncResult } from '../../server/contract/live.ts';
import type { LiveState, MessageOutcome } from './LiveState.ts';

export type ConnectionState = 'live' | 'reconnecting' | 'offline';

export interface ConnectionListener {
  connectionChanged(state: ConnectionState): void;
  /** something in the LiveState changed */
  stateChanged(): void;
  /** the server refused the handshake with this code; nothing retries until `reconnect()` */
  refused?(code: string): void;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The commands a page may send besides the live stream's own `live:sync`. */
export type Command = Exclude<keyof ClientToServerEvents, 'live:sync'>;
export type CommandRequest<C extends Command> = Parameters<ClientToServerEvents[C]>[0];
export type CommandAnswer<C extends Command> = Parameters<Parameters<ClientToServerEvents[C]>[1]>[0];
/** The events a page may listen to besides the ones that feed the LiveState. */
export type PageEvent = 'dispatch:changed' | 'dispatch:watchers' | 'dispatch:alert';

export class NotConnectedError extends Error {
  constructor() {
    super('the live socket is not connected');
    this.name = 'NotConnectedError';
  }
}

const SYNC_TIMEOUT_MS = 15_000;
const SYNC_RETRY_MS = 3_000;
const OFFLINE_AFTER_MS = 30_000;
const REJOIN_AFTER_MS = 5_000;
const COMMAND_TIMEOUT_MS = 10_000;

export class LiveConnection {
  private readonly socket: LiveSocket;
  /** bumped per sync and per disconnect, so an answer to an abandoned sync is dropped */
  private syncGeneration = 0;
  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private rejoinTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `url` defaults to the page's own origin, where the browser sends the session cookie; tests
   * running outside a page name the server and may pass `extraHeaders` (a cookie) for it.
   */
  constructor(
    private readonly state: LiveState,
    private readonly listener: ConnectionListener,
    url?: string,
    options: { extraHeaders?: Record<string, string> } = {},
  ) {
    const settings = { autoConnect: false, parser: wireParser, ...options };
    this.socket = url === undefined ? io(settings) : io(url, settings);
    this.listen();
  }

  start(): void {
    this.listener.connectionChanged('reconnecting');
    this.armOfflineTimer();
    this.socket.connect();
  }

  /** After a refused handshake (or to rejoin at once): connect again, with the cookie of now. */
  reconnect(): void {
    clearTimeout(this.rejoinTimer);
    if (this.socket.connected || this.socket.active) return;
    this.socket.connect();
  }

  /**
   * Sends a command and resolves with its ack. Rejects at once when not connected (socket.io
   * would buffer it and send it late, after the coordinator moved on), and after
   * COMMAND_TIMEOUT_MS without an answer.
   */
  command<C extends Command>(event: C, request: CommandRequest<C>): Promise<CommandAnswer<C>> {
    if (!this.socket.connected) return Promise.reject(new NotConnectedError());
    const name: string = event;
    return this.untyped.timeout(COMMAND_TIMEOUT_MS).emitWithAck(name, request) as Promise<CommandAnswer<C>>;
  }

  /** Listens to a page event until the returned function is called (or `stop()`). */
  on<E extends PageEvent>(event: E, listener: ServerToClientEvents[E]): () => void {
    const name: string = event;
    const untypedListener = listener as (...args: unknown[]) => void;
    this.untyped.on(name, untypedListener);
    return () => void this.untyped.off(name, untypedListener);
  }

  /**
   * socket.io's types cannot narrow a generic event name to that event's own signature; the
   * signatures of `command` and `on` are the checked ones, and only they use this.
   */
  private get untyped(): Socket {
    return this.socket as unknown as Socket;
  }

  stop(): void {
    clearTimeout(this.offlineTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.rejoinTimer);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private listen(): void {
    const socket = this.socket;
    socket.on('connect', () => void this.sync());
    socket.on('disconnect', (reason) => this.lost(reason));
    socket.on('connect_error', (error) => {
      // An inactive socket was refused by the server's middleware; an active one keeps
      // retrying by itself (server down, network gone).
      if (!socket.active) this.listener.refused?.(error.message);
    });
    socket.on('case:changed', (change) => this.received(this.state.applyChange(change)));
    socket.on('incident:changed', (change) => this.received(this.state.applyChange(change)));
    socket.on('unit:changed', (change) => this.received(this.state.applyChange(change)));
    socket.on('alarm:changed', (change) => this.received(this.state.applyChange(change)));
    socket.on('position:frame', (frame) => this.received(this.state.applyFrame(decodeFrame(frame))));
    socket.on('live:status', (status) => {
      this.state.setStatus(status);
      this.listener.stateChanged();
    });
  }

  private received(outcome: MessageOutcome): void {
    if (outcome === 'applied') this.listener.stateChanged();
    else if (outcome === 'gap') void this.sync();
  }

  private async sync(): Promise<void> {
    clearTimeout(this.retryTimer);
    if (!this.socket.connected) return;
    const generation = ++this.syncGeneration;
    let result: SyncResult;
    try {
      result = await this.socket.timeout(SYNC_TIMEOUT_MS).emitWithAck('live:sync', this.state.beginSync());
    } catch {
      if (generation === this.syncGeneration) this.retrySync();
      return;
    }
    if (generation !== this.syncGeneration) return;
    const outcome = this.state.applySync(result);
    if (outcome === 'failed') {
      if (!result.ok) console.warn('live:sync refused:', result.error.code, result.error.message);
      return this.retrySync();
    }
    this.listener.stateChanged();
    if (outcome === 'gap') return this.sync();
    this.becameLive();
  }

  private retrySync(): void {
    this.retryTimer = setTimeout(() => void this.sync(), SYNC_RETRY_MS);
  }

  private becameLive(): void {
    clearTimeout(this.offlineTimer);
    this.listener.connectionChanged('live');
  }

  private lost(reason: Socket.DisconnectReason): void {
    this.syncGeneration++;
    clearTimeout(this.retryTimer);
    this.state.cancelSync();
    this.listener.connectionChanged('reconnecting');
    this.armOfflineTimer();
    // socket.io does not reconnect by itself after the server closed the socket; a wall must.
    if (reason === 'io server disconnect') this.rejoinTimer = setTimeout(() => this.socket.connect(), REJOIN_AFTER_MS);
  }

  private armOfflineTimer(): void {
    clearTimeout(this.offlineTimer);
    this.offlineTimer = setTimeout(() => this.listener.connectionChanged('offline'), OFFLINE_AFTER_MS);
  }
}
