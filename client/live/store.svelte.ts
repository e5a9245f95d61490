/**
 * The reactive face of the live stream for the Svelte components: one LiveState fed by one
 * LiveConnection, published to the screen at most every PUBLISH_MS so a burst of messages is one
 * redraw. `revision` bumps once per publish; map layers drain their diffs when it does. A
 * handshake the server refuses is handed to `onrefused`, which may `reconnect()` once a new
 * session is open. `command` and `on` reach the same socket for the dispatch console.
 */
import type { ServerToClientEvents } from '../../server/contract/live.ts';
import {
  LiveConnection,
  type Command,
  type CommandAnswer,
  type CommandRequest,
  type ConnectionState,
  type PageEvent,
} from './connection.ts';
import { LiveState, type LayerName, type LiveEvent } from './LiveState.ts';
import { tallyBySubdistrict, type SubdistrictTally } from './tally.ts';

const PUBLISH_MS = 100;

/**
 * What map layers read: a LiveState and a revision that bumps when there is something to drain.
 * The live stream (LiveStore) is one; the leaders' time machine (leaders/replay.svelte.ts) another.
 */
export interface LayerStore {
  readonly state: LiveState;
  readonly revision: number;
}

export class LiveStore implements LayerStore {
  readonly state = new LiveState();
  connection = $state<ConnectionState>('reconnecting');
  revision = $state(0);
  simulated = $state(false);
  /** the server's store answers; false: nothing new is stored or streamed for now */
  storeAvailable = $state(true);
  /** local time of the last applied change, to show how old the picture is when not live */
  lastUpdate = $state<number | null>(null);
  /** server time of the last change applied to each map layer (LiveState.updatedAt) */
  layerUpdates = $state.raw<Record<LayerName, number | null>>({ cases: null, incidents: null, units: null });
  events = $state.raw<LiveEvent[]>([]);
  tallies = $state.raw<Map<string, SubdistrictTally>>(new Map());

  private readonly link: LiveConnection;
  private publishTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(onrefused: (code: string) => void = () => undefined) {
    this.link = new LiveConnection(this.state, {
      connectionChanged: (connection) => (this.connection = connection),
      stateChanged: () => this.schedulePublish(),
      refused: onrefused,
    });
  }

  start(): void {
    this.link.start();
  }

  reconnect(): void {
    this.link.reconnect();
  }

  command<C extends Command>(event: C, request: CommandRequest<C>): Promise<CommandAnswer<C>> {
    return this.link.command(event, request);
  }

  on<E extends PageEvent>(event: E, listener: ServerToClientEvents[E]): () => void {
    return this.link.on(event, listener);
  }

  stop(): void {
    clearTimeout(this.publishTimer);
    this.link.stop();
  }

  private schedulePublish(): void {
    this.publishTimer ??= setTimeout(() => this.publish(), PUBLISH_MS);
  }

  private publish(): void {
    this.publishTimer = undefined;
    this.simulated = this.state.status?.simulated ?? false;
    this.storeAvailable = this.state.status?.storeAvailable ?? true;
    this.events = this.state.events;
    this.tallies = tallyBySubdistrict(this.state);
    this.lastUpdate = Date.now();
    this.layerUpdates = { ...this.state.updatedAt };
    this.revision++;
  }
}
