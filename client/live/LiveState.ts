/**
 * LiveState: the wall's copy of the live world, fed by the wire messages of
 * server/contract/live.ts and nothing else (no DOM, no socket, no timers).
 *
 * Contract:
 * - `seq` is the highest server sequence number applied; null until the first sync.
 * - `beginSync()` gives the `live:sync` request; until `applySync()` (or `cancelSync()`), every
 *   message is buffered and replayed in seq order once the sync result is in.
 * - `applyChange()` / `applyFrame()` apply a message whose first seq is `seq + 1`, ignore one
 *   already covered (duplicates and old messages change nothing), and answer 'gap' for one
 *   further ahead: it is kept, and the caller must sync since `seq`.
 * - A view replaces the one held only when its own `seq` is newer. Closed cases and incidents
 *   leave the maps; a snapshot replaces everything.
 * - Changes answered with a seq below ours mean the server's sequence restarted: everything held
 *   is dropped and 'gap' asks the caller to sync again, which then requests a snapshot.
 * - `drain(layer)` returns the feature ids added, updated and removed on a map layer since that
 *   layer's previous drain; `restartLayer(layer)` makes the next drain add every feature again.
 *   What waits for a drain (`pendingCount`) stays within about twice what the layer holds or
 *   draws, even if no map ever drains it (a KPI screen has none): ids of what is neither held
 *   nor drawn any more are dropped, as their drain would say nothing of them.
 * - `updatedAt[layer]` is the server time of the last change applied to a map layer (a view, a
 *   position, something gone, or a snapshot, which renews every layer); null before any.
 * - `events` keeps the latest changes worth telling (new items, state changes), newest first;
 *   the first snapshot seeds it with the cases and incidents changed most recently.
 * - A subdistrict-scoped stream's frames may carry `arrived`, whole unit views applied as unit
 *   changes at the frame's seq (a unit walking in is not news), and `gone`, cases, incidents
 *   and units that left the scope: they are dropped from the state and their layers, and the
 *   ticker is told nothing.
 */
import type {
  AlarmView,
  CaseView,
  Change,
  Gone,
  IncidentView,
  LiveStatus,
  PositionFrame,
  Snapshot,
  SyncRequest,
  SyncResult,
  UnitView,
} from '../../server/contract/live.ts';

export type LayerName = 'cases' | 'incidents' | 'units';
const LAYER_NAMES: readonly LayerName[] = ['cases', 'incidents', 'units'];
const LAYER_OF: Record<Exclude<Gone['kind'], 'alarm'>, LayerName> = { case: 'cases', incident: 'incidents', unit: 'units' };

export interface LayerDiff {
  add: string[];
  update: string[];
  remove: string[];
}

/** What a message did: applied, ignored as already covered, held for a sync, or a gap. */
export type MessageOutcome = 'applied' | 'stale' | 'buffered' | 'gap';

/** What a sync result did: applied (and the buffer replayed), failed, or replay found a new gap. */
export type SyncOutcome = 'applied' | 'failed' | 'gap';

/**
 * One line of the ticker: a change worth telling, with the view as it was then. `serial` numbers
 * events in the order this wall told them: seqs repeat when the server's sequence restarts.
 */
export type LiveEvent = { serial: number; seq: number; at: number; created: boolean } & (
  | { kind: 'case'; value: CaseView }
  | { kind: 'incident'; value: IncidentView }
  | { kind: 'unit'; value: UnitView }
);

/** An event before tell() numbers it (distributes over the union, as a plain Omit would not). */
type Untold<E = LiveEvent> = E extends LiveEvent ? Omit<E, 'serial'> : never;

type Message = { type: 'change'; change: Change } | { type: 'frame'; frame: PositionFrame };

export const MAX_EVENTS = 50;
/** How far the ids waiting for a drain may exceed twice what their layer holds or draws before a prune: pruning stays rare. */
const PRUNE_SLACK = 1_000;
/** Past this many buffered messages the oldest are dropped: the next gap resyncs anyway. */
const MAX_BUFFERED = 10_000;

function caseIsOnMap(view: CaseView): boolean {
  return view.state !== 'closed';
}

function incidentIsOnMap(view: IncidentView): boolean {
  return view.state !== 'closed';
}

/** Off-duty volunteers are not shown: their phones may still report where they live. */
function unitIsOnMap(view: UnitView): boolean {
  return view.status !== 'off_duty' && view.lon !== null && view.lat !== null;
}

function firstSeq(message: Message): number {
  return message.type === 'change' ? message.change.seq : message.frame.fromSeq;
}

function lastSeq(message: Message): number {
  return message.type === 'change' ? message.change.seq : message.frame.toSeq;
}

export class LiveState {
  seq: number | null = null;
  status: LiveStatus | null = null;
  readonly cases = new Map<string, CaseView>();
  readonly incidents = new Map<string, IncidentView>();
  readonly units = new Map<string, UnitView>();
  /** alarms not cleared, by id */
  readonly alarms = new Map<string, AlarmView>();
  events: LiveEvent[] = [];
  /** server clock minus local clock, from the last snapshot */
  serverClockOffset = 0;
  /** server time of the last change applied to each map layer */
  readonly updatedAt: Record<LayerName, number | null> = { cases: null, incidents: null, units: null };

  private syncing = false;
  private told = 0;
  private buffer: Message[] = [];
  private readonly touched: Record<LayerName, Set<string>> = { cases: new Set(), incidents: new Set(), units: new Set() };
  private readonly onLayer: Record<LayerName, Set<string>> = { cases: new Set(), incidents: new Set(), units: new Set() };

  /** `now` stamps unit events, whose views carry no time of their own. */
  constructor(private readonly now: () => number = Date.now) {}

  get isSyncing(): boolean {
    return this.syncing;
  }

  serverNow(): number {
    return this.now() + this.serverClockOffset;
  }

  beginSync(): SyncRequest {
    this.syncing = true;
    return { since: this.seq };
  }

  /** The connection dropped mid-sync: the buffered messages wait for the next sync. */
  cancelSync(): void {
    this.syncing = false;
  }

  applySync(result: SyncResult): SyncOutcome {
    if (!result.ok) return 'failed';
    this.syncing = false;
    if (result.mode === 'snapshot') this.replaceWith(result.snapshot);
    else if (this.seq !== null && result.seq < this.seq) return this.forgetAll();
    else this.catchUp(result.seq, result.changes, result.units);
    return this.replayBuffer();
  }

  applyChange(change: Change): MessageOutcome {
    return this.receive({ type: 'change', change });
  }

  applyFrame(frame: PositionFrame): MessageOutcome {
    return this.receive({ type: 'frame', frame });
  }

  setStatus(status: LiveStatus): void {
    this.status = status;
  }

  drain(layer: LayerName): LayerDiff {
    const diff: LayerDiff = { add: [], update: [], remove: [] };
    const shown = this.onLayer[layer];
    for (const id of this.touched[layer]) {
      const nowShown = this.isShown(layer, id);
      const wasShown = shown.has(id);
      if (nowShown && !wasShown) diff.add.push(id);
      else if (nowShown) diff.update.push(id);
      else if (wasShown) diff.remove.push(id);
      if (nowShown) shown.add(id);
      else shown.delete(id);
    }
    this.touched[layer].clear();
    return diff;
  }

  /** For a layer whose source starts empty again: its next drain adds every shown feature. */
  restartLayer(layer: LayerName): void {
    this.onLayer[layer].clear();
    this.touched[layer] = new Set(this.idsOf(layer));
  }

  /** How many ids wait for the layer's next drain. */
  pendingCount(layer: LayerName): number {
    return this.touched[layer].size;
  }

  /** How many features a layer shows as of its last drain. */
  shownCount(layer: LayerName): number {
    return this.onLayer[layer].size;
  }

  private receive(message: Message): MessageOutcome {
    if (this.syncing) {
      this.hold(message);
      return 'buffered';
    }
    if (this.seq === null || firstSeq(message) > this.seq + 1) {
      this.hold(message);
      return 'gap';
    }
    if (lastSeq(message) <= this.seq) return 'stale';
    this.apply(message);
    return 'applied';
  }

  private hold(message: Message): void {
    this.buffer.push(message);
    if (this.buffer.length > MAX_BUFFERED) this.buffer.shift();
  }

  private replayBuffer(): SyncOutcome {
    const waiting = this.buffer.sort((a, b) => firstSeq(a) - firstSeq(b));
    this.buffer = [];
    for (const [index, message] of waiting.entries()) {
      if (this.receive(message) === 'gap') {
        // receive() held it again; keep the rest behind it for the next sync.
        this.buffer.push(...waiting.slice(index + 1));
        return 'gap';
      }
    }
    return 'applied';
  }

  private apply(message: Message): void {
    if (message.type === 'change') this.applyView(message.change);
    else this.applyPositions(message.frame);
    this.seq = lastSeq(message);
  }

  private replaceWith(snapshot: Snapshot): void {
    this.serverClockOffset = snapshot.at - this.now();
    for (const layer of LAYER_NAMES) {
      for (const id of this.idsOf(layer)) this.touched[layer].add(id);
      this.updatedAt[layer] = snapshot.at;
    }
    this.cases.clear();
    this.incidents.clear();
    this.units.clear();
    for (const view of snapshot.cases) this.putCase(view);
    for (const view of snapshot.incidents) this.putIncident(view);
    for (const view of snapshot.units) this.putUnit(view);
    this.alarms.clear();
    for (const view of snapshot.alarms) this.alarms.set(view.id, view);
    this.seq = snapshot.seq;
    this.status = snapshot.status;
    if (this.events.length === 0) this.tellRecent(snapshot);
  }

  /**
   * A wall that just opened tells what happened lately rather than nothing: the cases and
   * incidents changed most recently, as the snapshot holds them, oldest told first so the
   * newest ends on top.
   */
  private tellRecent(snapshot: Snapshot): void {
    const recent: Untold[] = [
      ...snapshot.cases.map((value): Untold => ({ kind: 'case', seq: value.seq, at: value.updatedAt, created: value.reportedAt === value.updatedAt, value })),
      ...snapshot.incidents.map((value): Untold => ({ kind: 'incident', seq: value.seq, at: value.updatedAt, created: value.reportedAt === value.updatedAt, value })),
    ];
    recent.sort((a, b) => a.seq - b.seq);
    for (const event of recent.slice(-MAX_EVENTS)) this.tell(event);
  }

  /** Our seqs belong to a sequence the server no longer has: start again from a snapshot. */
  private forgetAll(): SyncOutcome {
    this.seq = null;
    this.buffer = [];
    return 'gap';
  }

  private catchUp(seq: number, changes: Change[], units: UnitView[]): void {
    for (const change of changes) this.applyView(change);
    for (const unit of units) this.mergeUnit(unit);
    this.seq = seq;
  }

  private applyView(change: Change): void {
    switch (change.kind) {
      case 'case':
        return this.applyCase(change.value, change.created, change.seq);
      case 'incident':
        return this.applyIncident(change.value, change.created, change.seq);
      case 'unit':
        return this.applyUnit(change.value, change.seq);
      case 'alarm':
        return this.applyAlarm(change.value);
    }
  }

  /** An alarm raised, acknowledged or cleared: the alarm bar reads them, the map does not. */
  private applyAlarm(view: AlarmView): void {
    const held = this.alarms.get(view.id);
    if (held && held.seq >= view.seq) return;
    if (view.state === 'cleared') this.alarms.delete(view.id);
    else this.alarms.set(view.id, view);
  }

  private applyCase(view: CaseView, created: boolean, seq: number): void {
    const held = this.cases.get(view.id);
    if (held && held.seq >= view.seq) return;
    this.putCase(view);
    if (created || held?.state !== view.state) {
      this.tell({ seq, at: view.updatedAt, kind: 'case', created: created || !held, value: view });
    }
  }

  private applyIncident(view: IncidentView, created: boolean, seq: number): void {
    const held = this.incidents.get(view.id);
    if (held && held.seq >= view.seq) return;
    this.putIncident(view);
    if (created || held?.state !== view.state || held.severity !== view.severity) {
      this.tell({ seq, at: view.updatedAt, kind: 'incident', created: created || !held, value: view });
    }
  }

  private applyUnit(view: UnitView, seq: number): void {
    const held = this.units.get(view.id);
    if (held && held.seq >= view.seq) return;
    this.mergeUnit(view);
    // A unit joining the roster is not news for the wall; a change of status is.
    if (held && held.status !== view.status) {
      this.tell({ seq, at: this.serverNow(), kind: 'unit', created: false, value: view });
    }
  }

  private putCase(view: CaseView): void {
    this.touch('cases', view.id);
    if (caseIsOnMap(view)) this.cases.set(view.id, view);
    else this.cases.delete(view.id);
  }

  private putIncident(view: IncidentView): void {
    this.touch('incidents', view.id);
    if (incidentIsOnMap(view)) this.incidents.set(view.id, view);
    else this.incidents.delete(view.id);
  }

  private putUnit(view: UnitView): void {
    this.touch('units', view.id);
    this.units.set(view.id, view);
  }

  /**
   * A unit view with a newer seq brings its status; its position wins only if it is not older
   * than the one a position frame already brought.
   */
  private mergeUnit(view: UnitView): void {
    const held = this.units.get(view.id);
    if (!held) return this.putUnit(view);
    const newerView = view.seq > held.seq;
    const newerPosition = view.at !== null && (held.at === null || view.at > held.at);
    if (!newerView && !newerPosition) return;
    const base = newerView ? view : held;
    const place = newerPosition ? view : held;
    this.putUnit({
      ...base,
      lon: place.lon,
      lat: place.lat,
      at: place.at,
      subdistrict: place.subdistrict,
      cell: place.cell,
      outside: place.outside,
    });
  }

  private applyPositions(frame: PositionFrame): void {
    for (const view of frame.arrived ?? []) this.arrive(view, frame.toSeq);
    for (const [id, lon, lat, at, subdistrict] of frame.units) {
      const held = this.units.get(id);
      // A bare position cannot introduce a unit: it knows nothing of its team or status.
      if (!held || (held.at !== null && held.at >= at)) continue;
      // Frames carry no grid cell: the held one may be stale, so it is dropped.
      this.putUnit({ ...held, lon, lat, at, subdistrict, cell: null, outside: subdistrict === null });
    }
    for (const gone of frame.gone ?? []) this.forget(gone);
  }

  /** A unit that walked into a scoped stream, with its whole view: applied as a unit change. */
  private arrive(view: UnitView, seq: number): void {
    const held = this.units.get(view.id);
    // Not a newer view, but perhaps a newer position.
    if (held && held.seq >= view.seq) return this.mergeUnit(view);
    this.applyUnit(view, seq);
  }

  /** Something that left a scoped stream: off the state and its layer, without a word. */
  private forget({ kind, id }: Gone): void {
    if (kind === 'alarm') return void this.alarms.delete(id);
    const layer = LAYER_OF[kind];
    if (!this[layer].delete(id)) return;
    this.touch(layer, id);
  }

  private touch(layer: LayerName, id: string): void {
    const touched = this.touched[layer];
    touched.add(id);
    if (touched.size > 2 * (this[layer].size + this.onLayer[layer].size) + PRUNE_SLACK) this.prune(layer, id);
    this.updatedAt[layer] = this.serverNow();
  }

  /**
   * Drops the ids a drain would say nothing of: neither held now nor drawn on the layer. `touching`
   * is kept: it is touched before it is stored.
   */
  private prune(layer: LayerName, touching: string): void {
    const held = this[layer];
    const drawn = this.onLayer[layer];
    for (const id of this.touched[layer]) {
      if (id !== touching && !held.has(id) && !drawn.has(id)) this.touched[layer].delete(id);
    }
  }

  private tell(event: Untold): void {
    this.events = [{ ...event, serial: ++this.told }, ...this.events.slice(0, MAX_EVENTS - 1)];
  }

  private isShown(layer: LayerName, id: string): boolean {
    switch (layer) {
      case 'cases':
        return this.cases.has(id);
      case 'incidents':
        return this.incidents.has(id);
      case 'units': {
        const unit = this.units.get(id);
        return unit !== undefined && unitIsOnMap(unit);
      }
    }
  }

  private idsOf(layer: LayerName): IterableIterator<string> {
    return this[layer].keys();
  }
}
