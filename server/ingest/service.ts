/**
 * The ingest service: turns validated batches from any feed into stored state and live
 * changes. Each batch is one transaction, all or nothing: a batch with an unknown volunteer,
 * an illegal lifecycle move or a timestamp in the future is refused whole and writes nothing.
 * An answer is given only after the commit, so what was acknowledged is stored. After the
 * commit, and still in the store's queue, the changes are handed to the live stream in
 * sequence order.
 */
import type { CaseReport, IncidentReport, PositionReport, TeamRecord, VolunteerRecord } from '../contract/ingest.ts';
import type { Change, PackedPosition, Place } from '../contract/live.ts';
import {
  applyCaseReport,
  applyIncidentReport,
  applyPositionReport,
  caseId,
  reportTime,
  type Outcome,
} from '../domain/reports.ts';
import { AppError, type ErrorDetail } from '../errors.ts';
import { audit } from '../store/audit.ts';
import { appendChanges, takeSeqs } from '../store/changes.ts';
import { volunteersOnAssignment } from '../store/dispatch.ts';
import { caseView, loadCases, saveCases } from '../store/cases.ts';
import { incidentView, loadIncidents, saveIncidents } from '../store/incidents.ts';
import type { Queryable, Store } from '../store/store.ts';
import {
  deviceHolders,
  loadVolunteers,
  missingTeams,
  recordStatusChanges,
  savePositions,
  saveTeams,
  saveVolunteers,
  unitView,
  volunteerOfDevice,
  volunteerTeams,
  type Readings,
  type VolunteerLive,
} from '../store/volunteers.ts';

export interface IngestResult {
  accepted: number;
  changed: number;
  ignored: number;
  seq: number;
}

/** What one commit hands to the live stream: a position frame (one seq) and changes after it. */
export interface Committed {
  frame: { seq: number; units: PackedPosition[] } | null;
  changes: Change[];
}

export type Locate = (lon: number, lat: number) => Place;

/** Who sent a batch, for the audit log: `feed:<key id> <name>` or `user:<name>`. */
export type Actor = string;

/** An audit line names at most this many of a batch's item ids. */
const AUDITED_IDS = 100;

/** How one kind of lifecycle record is keyed, loaded, changed, stored and streamed. */
interface LifecycleKind<I, R> {
  idOf(item: I): string;
  load(tx: Queryable, ids: string[]): Promise<Map<string, R>>;
  apply(current: R | undefined, item: I, place: Place, at: number): Outcome<R>;
  save(tx: Queryable, saved: Array<{ record: R; seq: number }>): Promise<void>;
  change(record: R, seq: number, created: boolean): Change;
}

/** A positions request waiting for the next group commit. */
interface WaitingPositions {
  items: PositionReport[];
  times: number[];
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

interface PositionVerdict {
  reports: Array<{ live: VolunteerLive; from: VolunteerLive['status']; statusChanged: boolean; readings: Readings }>;
  ignored: number;
}

interface Work {
  frame: Committed['frame'];
  changes: Change[];
  ignored: number;
}

export class IngestService {
  readonly #store: Store;
  readonly #locate: Locate;
  readonly #publish: (committed: Committed) => void;
  #waitingPositions: WaitingPositions[] = [];
  /** device id → volunteer id, known owners only; dropped whenever volunteers are registered */
  readonly #deviceOwners = new Map<string, string>();
  #registrations = 0;

  constructor(store: Store, locate: Locate, publish: (committed: Committed) => void) {
    this.#store = store;
    this.#locate = locate;
    this.#publish = publish;
  }

  cases(items: CaseReport[], receivedAt: number, actor: Actor): Promise<IngestResult> {
    return this.#lifecycleBatch(items, receivedAt, { actor, action: 'cases.reported' }, {
      idOf: (item) => caseId(item.source, item.sourceId),
      load: loadCases,
      apply: applyCaseReport,
      save: saveCases,
      change: (record, seq, created) => ({ kind: 'case', seq, created, value: caseView(record, seq) }),
    });
  }

  incidents(items: IncidentReport[], receivedAt: number, actor: Actor): Promise<IngestResult> {
    return this.#lifecycleBatch(items, receivedAt, { actor, action: 'incidents.reported' }, {
      idOf: (item) => item.sourceId,
      load: loadIncidents,
      apply: applyIncidentReport,
      save: saveIncidents,
      change: (record, seq, created) => ({ kind: 'incident', seq, created, value: incidentView(record, seq) }),
    });
  }

  /**
   * Position reports use group commit: requests that arrive while the store is busy wait
   * together and are stored in one transaction, each judged on its own (one with an unknown
   * volunteer or an illegal move is refused alone, exactly as if it had come by itself) and
   * each answered only after the commit. Single-fix requests from phones thus share the cost
   * of a transaction instead of queueing one transaction each.
   */
  positions(items: PositionReport[], receivedAt: number): Promise<IngestResult> {
    const times = reportTimes(items, receivedAt);
    return new Promise((resolve, reject) => {
      this.#waitingPositions.push({ items, times, resolve, reject });
      if (this.#waitingPositions.length === 1) void this.#store.serial(() => this.#commitPositions());
    });
  }

  async #commitPositions(): Promise<void> {
    const group = this.#waitingPositions.splice(0);
    try {
      const { work, verdicts } = await this.#store.transaction(async (tx) => {
        const held = await loadVolunteers(tx, group.flatMap((request) => request.items.map((i) => i.volunteerId)));
        const dispatched = await volunteersOnAssignment(tx, statusChangesAsked(group, held));
        const verdicts = group.map((request) => this.#judgePositions(request, held, dispatched));
        const reports = verdicts.flatMap((verdict) => (verdict instanceof Error ? [] : verdict.reports));
        const work = await storePositions(tx, reports, held, this.#store.copies);
        await appendChanges(tx, work.changes);
        return { work, verdicts };
      });
      this.#publish(work);
      const seq = this.#answeredSeq(work);
      verdicts.forEach((verdict, i) => {
        const request = group[i]!;
        if (verdict instanceof Error) return request.reject(verdict);
        const accepted = request.items.length;
        request.resolve({ accepted, changed: accepted - verdict.ignored, ignored: verdict.ignored, seq });
      });
    } catch (error) {
      for (const request of group) request.reject(error);
    }
  }

  /**
   * One request's reports applied to the states `held`, all or nothing: on success `held`
   * carries its changes for the requests after it; on refusal it is left as it was.
   */
  #judgePositions(request: WaitingPositions, held: Map<string, VolunteerLive>, dispatched: ReadonlySet<string>): PositionVerdict | AppError {
    const mine = new Map<string, VolunteerLive>();
    const current = (id: string) => mine.get(id) ?? held.get(id);
    try {
      refuseUnknownVolunteers(request.items.map((i) => i.volunteerId), held);
      const reports: PositionVerdict['reports'] = [];
      const outcomes = request.items.map((item, i) => {
        const before = current(item.volunteerId)!;
        const outcome = applyPositionReport(before, item, this.#place(item), request.times[i]!, dispatched.has(item.volunteerId));
        if (outcome.kind === 'updated') {
          const live = { ...before, ...outcome.record };
          mine.set(live.id, live);
          reports.push({ live, from: before.status, statusChanged: live.status !== before.status, readings: item });
        }
        return outcome;
      });
      const { ignored } = splitOutcomes(outcomes, 'status');
      for (const [id, live] of mine) held.set(id, live);
      return { reports, ignored };
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  }

  /**
   * The volunteer a phone belongs to, or null. Owners are remembered so a busy phone feed does
   * not cost a query per fix; any registration of volunteers forgets them all, and a lookup
   * that raced a registration is not remembered.
   */
  async volunteerOfDevice(deviceId: string): Promise<string | null> {
    const known = this.#deviceOwners.get(deviceId);
    if (known !== undefined) return known;
    const registrationsBefore = this.#registrations;
    const owner = await volunteerOfDevice(this.#store.pool, deviceId);
    if (owner !== null && registrationsBefore === this.#registrations) this.#deviceOwners.set(deviceId, owner);
    return owner;
  }

  teams(items: TeamRecord[], actor: Actor): Promise<IngestResult> {
    return this.#commit(items.length, { actor, action: 'teams.registered', ids: items.map((i) => i.id) }, async (tx) => {
      await saveTeams(tx, items);
      return { frame: null, changes: [], ignored: 0 };
    });
  }

  /**
   * A volunteer that is new or changed team is a change a wall sees; names and devices never
   * are. A device may belong to one volunteer only: a batch giving one away is refused whole.
   */
  volunteers(items: VolunteerRecord[], actor: Actor): Promise<IngestResult> {
    const note = { actor, action: 'volunteers.registered', ids: items.map((i) => i.id) };
    const registered = this.#commit(items.length, note, async (tx) => {
      const missing = new Set(await missingTeams(tx, items.map((i) => i.teamId)));
      const unknown = items.flatMap((item, i) =>
        missing.has(item.teamId) ? [{ path: `/items/${i}/teamId`, message: `team "${item.teamId}" is not registered` }] : [],
      );
      if (unknown.length > 0) throw new AppError('UNKNOWN_TEAM', unknown);
      await refuseDeviceClashes(tx, items);
      const teams = await volunteerTeams(tx, items.map((i) => i.id));
      const changedIds = [...new Set(items.filter((i) => teams.get(i.id) !== i.teamId).map((i) => i.id))];
      const seqs = await takeSeqs(tx, changedIds.length);
      const seqOf = new Map(changedIds.map((id, i) => [id, seqs[i]!]));
      await saveVolunteers(tx, items.map((item) => ({ ...item, seq: seqOf.get(item.id) ?? null })));
      const live = await loadVolunteers(tx, changedIds);
      const changes = changedIds.map((id): Change => ({
        kind: 'unit',
        seq: seqOf.get(id)!,
        created: !teams.has(id),
        value: unitView(live.get(id)!, seqOf.get(id)!),
      }));
      return { frame: null, changes, ignored: items.length - changedIds.length };
    });
    // After the commit: a lookup that read the devices before it is not remembered.
    return registered.finally(() => this.#forgetDeviceOwners());
  }

  /** Cases and incidents alike: each item that changes its record takes a seq and a change. */
  #lifecycleBatch<I extends { lon: number; lat: number; at?: string }, R extends { id: string }>(
    items: I[],
    receivedAt: number,
    who: { actor: Actor; action: string },
    kind: LifecycleKind<I, R>,
  ): Promise<IngestResult> {
    const times = reportTimes(items, receivedAt);
    return this.#commit(items.length, { ...who, ids: items.map(kind.idOf) }, async (tx) => {
      const held = await kind.load(tx, items.map(kind.idOf));
      const outcomes = items.map((item, i) => {
        const outcome = kind.apply(held.get(kind.idOf(item)), item, this.#place(item), times[i]!);
        if (outcome.kind === 'created' || outcome.kind === 'updated') held.set(outcome.record.id, outcome.record);
        return outcome;
      });
      const { accepted, ignored } = splitOutcomes(outcomes);
      const seqs = await takeSeqs(tx, accepted.length);
      const saved = accepted.map(({ outcome }, i) => ({ record: outcome.record, seq: seqs[i]!, created: outcome.kind === 'created' }));
      await kind.save(tx, lastPerId(saved));
      return { frame: null, changes: saved.map(({ record, seq, created }) => kind.change(record, seq, created)), ignored };
    });
  }

  #place(item: { lon: number; lat: number }): Place {
    return this.#locate(item.lon, item.lat);
  }

  /** One batch in one transaction, with its audit line; published after the commit. */
  #commit(accepted: number, note: { actor: Actor; action: string; ids: string[] }, work: (tx: Queryable) => Promise<Work>): Promise<IngestResult> {
    return this.#store.serial(async () => {
      const done = await this.#store.transaction(async (tx) => {
        const result = await work(tx);
        await appendChanges(tx, result.changes);
        const ids = [...new Set(note.ids)];
        await audit(tx, note.actor, note.action, null, {
          items: accepted,
          changed: accepted - result.ignored,
          ids: ids.slice(0, AUDITED_IDS),
          ...(ids.length > AUDITED_IDS ? { moreIds: ids.length - AUDITED_IDS } : {}),
        });
        return result;
      });
      this.#publish(done);
      return { accepted, changed: accepted - done.ignored, ignored: done.ignored, seq: this.#answeredSeq(done) };
    });
  }

  /**
   * The seq an answer names: the store's head, or this commit's own last seq where that is
   * further (in a cluster the head moves when the stream catches up, just after).
   */
  #answeredSeq(committed: Committed): number {
    const own = [...(committed.frame ? [committed.frame.seq] : []), ...committed.changes.map((c) => c.seq)];
    return Math.max(this.#store.head, ...own);
  }

  #forgetDeviceOwners(): void {
    this.#registrations++;
    this.#deviceOwners.clear();
  }
}

/**
 * Position-only updates share one sequence number and go out in a coalesced frame; a
 * volunteer whose duty status changed, or who lost its position (off duty), gets a change of
 * its own (its final state), sent at once.
 */
async function storePositions(
  tx: Queryable,
  reports: PositionVerdict['reports'],
  held: Map<string, VolunteerLive>,
  copy: boolean,
): Promise<Committed> {
  const statusChanged = [...new Set(reports.filter((r) => r.statusChanged || r.live.lon === null).map((r) => r.live.id))];
  const moved = [...new Set(reports.map((r) => r.live.id))].filter((id) => !statusChanged.includes(id));
  const seqs = await takeSeqs(tx, (moved.length > 0 ? 1 : 0) + statusChanged.length);
  const frameSeq = moved.length > 0 ? seqs.shift()! : null;
  const seqOf = new Map<string, number>(moved.map((id) => [id, frameSeq!]));
  statusChanged.forEach((id, i) => seqOf.set(id, seqs[i]!));
  await savePositions(tx, reports.map((r) => ({ ...r, seq: seqOf.get(r.live.id)! })), copy);
  const moves = reports.filter((r) => r.statusChanged);
  await recordStatusChanges(tx, moves.map((r) => ({ id: r.live.id, from: r.from, to: r.live.status, at: r.live.positionAt! })));
  const changes = statusChanged.map((id): Change => {
    const seq = seqOf.get(id)!;
    return { kind: 'unit', seq, created: false, value: unitView(held.get(id)!, seq) };
  });
  const frame = frameSeq === null ? null : { seq: frameSeq, units: moved.map((id) => packed(held.get(id)!)) };
  return { frame, changes };
}

/**
 * Volunteers whose reports ask for a status other than the one held: only these need to be
 * checked against dispatch assignments, so plain position fixes cost no extra query.
 */
function statusChangesAsked(group: WaitingPositions[], held: Map<string, VolunteerLive>): string[] {
  const asked = group.flatMap((request) =>
    request.items.filter((item) => item.status !== undefined && item.status !== held.get(item.volunteerId)?.status),
  );
  return [...new Set(asked.map((item) => item.volunteerId))];
}

/** The time of each item, or a 400 naming every item whose time is unusable. */
function reportTimes(items: Array<{ at?: string }>, receivedAt: number): number[] {
  const details: ErrorDetail[] = [];
  let unreadable = false;
  const times = items.map((item, i) => {
    const time = reportTime(item.at, receivedAt);
    if (typeof time === 'number') return time;
    details.push({ path: `/items/${i}/at`, message: time.message });
    unreadable ||= time.problem === 'unparseable';
    return 0;
  });
  if (details.length > 0) throw new AppError(unreadable ? 'VALIDATION_FAILED' : 'TIMESTAMP_IN_FUTURE', details);
  return times;
}

/** Splits outcomes into changes to store and ignored items; any illegal move refuses the batch. */
function splitOutcomes<T>(outcomes: Outcome<T>[], lifecycleField = 'state') {
  const illegal = outcomes.flatMap((o, i) =>
    o.kind === 'illegal' ? [{ path: `/items/${i}/${lifecycleField}`, message: o.message }] : [],
  );
  if (illegal.length > 0) throw new AppError('ILLEGAL_TRANSITION', illegal);
  const dispatched = outcomes.flatMap((o, i) =>
    o.kind === 'dispatched' ? [{ path: `/items/${i}/${lifecycleField}`, message: o.message }] : [],
  );
  if (dispatched.length > 0) throw new AppError('ON_ASSIGNMENT', dispatched);
  const accepted = outcomes.flatMap((outcome) =>
    outcome.kind === 'created' || outcome.kind === 'updated' ? [{ outcome }] : [],
  );
  return { accepted, ignored: outcomes.length - accepted.length };
}

function refuseUnknownVolunteers(ids: string[], known: Map<string, unknown>): void {
  const details = ids.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `/items/${i}/volunteerId`, message: `volunteer "${id}" is not registered` }],
  );
  if (details.length > 0) throw new AppError('UNKNOWN_VOLUNTEER', details);
}

/** The device each volunteer of the batch ends up with (its last item), where it names one. */
function deviceClaims(items: VolunteerRecord[]): Array<{ id: string; deviceId: string; index: number }> {
  const last = new Map(items.map((item, index) => [item.id, { id: item.id, deviceId: item.deviceId, index }]));
  return [...last.values()].flatMap((c) => (c.deviceId === undefined ? [] : [{ ...c, deviceId: c.deviceId }]));
}

/**
 * A 409 naming each item that claims a device someone else holds: a volunteer outside the batch,
 * or one claiming it earlier in the batch. Volunteers in the batch give up what they held.
 */
async function refuseDeviceClashes(tx: Queryable, items: VolunteerRecord[]): Promise<void> {
  const claims = deviceClaims(items);
  const inBatch = new Set(items.map((i) => i.id));
  const stored = await deviceHolders(tx, claims.map((c) => c.deviceId));
  const holder = new Map([...stored].filter(([, volunteerId]) => !inBatch.has(volunteerId)));
  const details = claims.flatMap(({ id, deviceId, index }) => {
    const other = holder.get(deviceId);
    if (other === undefined) holder.set(deviceId, id);
    const message = `device "${deviceId}" is already registered to volunteer "${other}"`;
    return other === undefined ? [] : [{ path: `/items/${index}/deviceId`, message }];
  });
  if (details.length > 0) throw new AppError('DEVICE_IN_USE', details);
}

/** The last saved version of each record: a batch may change one record several times. */
function lastPerId<T extends { record: { id: string } }>(saved: T[]): T[] {
  return [...new Map(saved.map((s) => [s.record.id, s])).values()];
}

function packed(live: VolunteerLive): PackedPosition {
  return [live.id, live.lon!, live.lat!, live.positionAt!, live.place.subdistrict];
}
