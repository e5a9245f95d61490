/**
 * The dispatch service: coordinators offer incidents to teams, volunteers answer and report
 * their way to the scene, the clock escalates offers nobody took; operators summon departments
 * to grid cases (吹哨报到) and record them reporting on site. Each command is one
 * transaction in the store's writer queue (so the stream stays in seq order) and is audited in
 * it; after the commit the changed units and incidents go live, the volunteers concerned and
 * the coordinators watching the incident are told, and alerts go out.
 *
 * The rules are pure (domain/dispatch.ts, domain/recommend.ts); this module loads, decides with
 * them and stores. The collision guard is the incident's dispatch version: a coordinator's
 * command names the version it saw and is refused when another change came first; and the
 * store's unique index lets a team hold one active assignment only, whoever asks.
 */
import { randomUUID } from 'node:crypto';
import type {
  AssignCommand,
  AssignmentCommand,
  DispatchAlert,
  DispatchState,
  MyDuty,
  VolunteerStep,
  WhistleBlow,
} from '../contract/dispatch.ts';
import type { Change } from '../contract/live.ts';
import { actorOf, inScope, type Principal } from '../domain/access.ts';
import { answerDeadlinePassed, endAssignment, isActive, memberStep, type MemberMove, type StepOutcome } from '../domain/dispatch.ts';
import { WHISTLE_DEFAULT_MINUTES, whistleDeadline } from '../domain/clocks.ts';
import { isLegalVolunteerMove } from '../domain/lifecycle.ts';
import { recommend } from '../domain/recommend.ts';
import type { CaseRecord, IncidentRecord } from '../domain/reports.ts';
import { AppError } from '../errors.ts';
import type { Committed } from '../ingest/service.ts';
import { audit } from '../store/audit.ts';
import { caseView, loadCases, setWhistle } from '../store/cases.ts';
import { appendChanges, takeSeqs } from '../store/changes.ts';
import {
  assignmentsOfClosedIncidents,
  assignmentsPastAnswerTime,
  availableMembers,
  candidateTeams,
  incidentAssignments,
  insertAssignment,
  loadAssignment,
  myDuty,
  saveAssignment,
  teamsTried,
  type Assignment,
} from '../store/dispatch.ts';
import { dispatchVersion, findIncident, incidentView, saveDispatch } from '../store/incidents.ts';
import type { Queryable, Store } from '../store/store.ts';
import { loadVolunteers, saveStatuses, unitView } from '../store/volunteers.ts';

/** What a commit tells beyond the stream: who must look again, and alerts. */
export interface DispatchListener {
  incidentChanged(incident: string, version: number): void;
  volunteersChanged(ids: string[]): void;
  alert(alert: DispatchAlert, subdistrict: string | null): void;
}

export interface DispatchOptions {
  /** how long a team has to accept an offer before it escalates */
  answerMs: number;
  now?: () => number;
}

/** What one transaction did, collected as it goes and sent out after its commit. */
interface Effects {
  at: number;
  changes: Change[];
  /** incidents whose dispatch changed: refreshed (clocks, teams, version) before the commit */
  incidents: Set<string>;
  versions: Map<string, number>;
  volunteers: Set<string>;
  alerts: Array<{ alert: DispatchAlert; subdistrict: string | null }>;
}

const SYSTEM = 'system:dispatch-clock';

export class DispatchService {
  readonly #store: Store;
  readonly #publish: (committed: Committed) => void;
  readonly #listener: DispatchListener;
  readonly #answerMs: number;
  readonly #now: () => number;

  constructor(store: Store, publish: (committed: Committed) => void, listener: DispatchListener, options: DispatchOptions) {
    this.#store = store;
    this.#publish = publish;
    this.#listener = listener;
    this.#answerMs = options.answerMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * An incident as a coordinator sees it; `watchers` is filled by the caller. Teams that let
   * this incident's offer lapse or declined it are not recommended for it again.
   */
  async state(principal: Principal, incidentId: string): Promise<DispatchState> {
    const q = this.#store.pool;
    const now = this.#now();
    const incident = await this.#visibleIncident(q, principal, incidentId, false);
    const [held, assignments, teams] = await Promise.all([
      dispatchVersion(q, incidentId),
      incidentAssignments(q, incidentId),
      candidateTeams(q, now),
    ]);
    const lapsed = new Set(assignments.filter((a) => a.state === 'declined' || a.state === 'timed_out').map((a) => a.team));
    const recommendations = incident.state === 'closed' ? [] : recommend(incident, teams, now, { exclude: lapsed });
    return { incident: incidentView(incident, held!.seq), version: held!.version, assignments, recommendations, watchers: [] };
  }

  /** Offers the incident to a team, if the coordinator saw the latest dispatch version. */
  assign(principal: Principal, command: AssignCommand): Promise<void> {
    return this.#run(async (tx, fx) => {
      const incident = await this.#visibleIncident(tx, principal, command.incident, true);
      if (incident.state === 'closed') throw new AppError('INCIDENT_CLOSED');
      await this.#checkVersion(tx, command.incident, command.version);
      const [team] = await candidateTeams(tx, fx.at, command.team);
      if (!team) throw new AppError('NOT_FOUND', [{ path: '/team', message: `team "${command.team}" is not registered` }]);
      if (team.busy) throw new AppError('TEAM_BUSY');
      const reason = recommend(incident, [team], fx.at)[0]?.reason ?? null;
      const id = await this.#offer(tx, fx, incident, team.id, actorOf(principal), reason);
      await audit(tx, actorOf(principal), 'dispatch.assigned', incident.id, { team: team.id, assignment: id });
    });
  }

  /** A coordinator withdraws a team (`cancel`, before on scene) or sends it home (`release`). */
  end(principal: Principal, command: AssignmentCommand, how: 'cancel' | 'release'): Promise<string> {
    return this.#run(async (tx, fx) => {
      const assignment = await this.#assignment(tx, command.assignment);
      await this.#visibleIncident(tx, principal, assignment.incident, true);
      await this.#checkVersion(tx, assignment.incident, command.version);
      await this.#apply(tx, fx, assignment, refusedIfNot(endAssignment(assignment, how)));
      await audit(tx, actorOf(principal), how === 'cancel' ? 'dispatch.cancelled' : 'dispatch.released', assignment.incident, {
        team: assignment.team,
        assignment: assignment.id,
      });
      return assignment.incident;
    });
  }

  /** A volunteer answers an offer or reports progress. */
  step(volunteerId: string, assignmentId: string, step: VolunteerStep): Promise<void> {
    return this.#run(async (tx, fx) => {
      const assignment = await this.#assignment(tx, assignmentId);
      await this.#apply(tx, fx, assignment, refusedIfNot(memberStep(assignment, volunteerId, step, fx.at), '/step'));
      await audit(tx, `volunteer:${volunteerId}`, `dispatch.${step}`, assignment.incident, { assignment: assignment.id });
    });
  }

  /** A coordinator or the volunteer puts a volunteer on or off duty. */
  setDuty(volunteerId: string, onDuty: boolean, actor: string): Promise<void> {
    return this.#run(async (tx, fx) => {
      const live = (await loadVolunteers(tx, [volunteerId])).get(volunteerId);
      if (!live) throw new AppError('NOT_FOUND', [{ path: '/volunteer', message: `volunteer "${volunteerId}" is not registered` }]);
      const to = onDuty ? 'available' : 'off_duty';
      if (live.status === to) return;
      if (!isLegalVolunteerMove(live.status, to)) {
        throw new AppError('ILLEGAL_TRANSITION', [{ path: '/onDuty', message: `volunteer is ${live.status}: finish or be released first` }]);
      }
      await this.#moveMembers(tx, fx, [{ volunteer: volunteerId, from: live.status, to }], null);
      await audit(tx, actor, onDuty ? 'volunteer.on-duty' : 'volunteer.off-duty', volunteerId);
    });
  }

  /**
   * 吹哨报到: summons departments to a grid case; they must report on site within `minutes`.
   * Blowing again adds departments (those already summoned keep their report) and resets the
   * deadline from now.
   */
  whistle(principal: Principal, caseId: string, blow: WhistleBlow): Promise<void> {
    return this.#run(async (tx, fx) => {
      const held = await this.#visibleCase(tx, principal, caseId);
      if (held.state === 'closed') throw new AppError('ILLEGAL_TRANSITION', [{ path: '/', message: 'the case is closed' }]);
      const reported = new Map(held.whistle?.departments.map((d) => [d.name, d.reportedAt]) ?? []);
      const names = [...new Set([...reported.keys(), ...blow.departments])];
      const whistle = {
        blownAt: fx.at,
        deadlineAt: whistleDeadline(fx.at, blow.minutes),
        departments: names.map((name) => ({ name, reportedAt: reported.get(name) ?? null })),
      };
      await this.#saveWhistle(tx, fx, held, whistle);
      await audit(tx, actorOf(principal), 'case.whistle', caseId, { departments: blow.departments, minutes: blow.minutes ?? WHISTLE_DEFAULT_MINUTES });
    });
  }

  /** A summoned department reports on site. */
  whistleReport(principal: Principal | null, actor: string, caseId: string, department: string): Promise<void> {
    return this.#run(async (tx, fx) => {
      const held = await this.#visibleCase(tx, principal, caseId);
      const summoned = held.whistle?.departments.find((d) => d.name === department);
      if (!held.whistle || !summoned) {
        throw new AppError('NOT_FOUND', [{ path: '/department', message: `"${department}" was not summoned to this case` }]);
      }
      if (summoned.reportedAt !== null) return;
      const departments = held.whistle.departments.map((d) => (d.name === department ? { ...d, reportedAt: fx.at } : d));
      await this.#saveWhistle(tx, fx, held, { ...held.whistle, departments });
      await audit(tx, actor, 'case.whistle-report', caseId, { department });
    });
  }

  async #visibleCase(tx: Queryable, principal: Principal | null, caseId: string): Promise<CaseRecord> {
    const held = (await loadCases(tx, [caseId])).get(caseId);
    if (!held) throw new AppError('NOT_FOUND', [{ path: '/id', message: `case "${caseId}" is not known` }]);
    if (principal && !inScope(principal, held.subdistrict)) throw new AppError('OUT_OF_SCOPE');
    return held;
  }

  async #saveWhistle(tx: Queryable, fx: Effects, held: CaseRecord, whistle: NonNullable<CaseRecord['whistle']>): Promise<void> {
    const [seq] = await takeSeqs(tx, 1);
    await setWhistle(tx, held.id, whistle, seq!, fx.at);
    fx.changes.push({ kind: 'case', seq: seq!, created: false, value: caseView({ ...held, whistle }, seq!) });
  }

  /** What a volunteer's own page shows. */
  myDuty(volunteerId: string): Promise<MyDuty> {
    return myDuty(this.#store.pool, volunteerId);
  }

  /**
   * The clock, run every few seconds: offers past their answer time time out (and escalate),
   * silent members of accepted assignments are freed, teams on closed incidents go home.
   * Each assignment is settled in its own transaction, so one failure does not hold the rest.
   */
  async tick(): Promise<void> {
    const now = this.#now();
    for (const id of await assignmentsPastAnswerTime(this.#store.pool, now)) {
      await this.#run(async (tx, fx) => {
        const assignment = await this.#assignment(tx, id);
        const due = answerDeadlinePassed(assignment, fx.at);
        if (due) await this.#apply(tx, fx, assignment, { ok: true, ...due });
      });
    }
    for (const id of await assignmentsOfClosedIncidents(this.#store.pool)) {
      await this.#run(async (tx, fx) => {
        const assignment = await this.#assignment(tx, id);
        const outcome = endAssignment(assignment, 'release');
        if (!outcome.ok) return;
        await this.#apply(tx, fx, assignment, outcome);
        await audit(tx, SYSTEM, 'dispatch.released', assignment.incident, { team: assignment.team, assignment: id, why: 'incident closed' });
      });
    }
  }

  /** One command: a transaction in the writer queue, then the stream and the notices. */
  #run<T>(work: (tx: Queryable, fx: Effects) => Promise<T>): Promise<T> {
    return this.#store.serial(async () => {
      const fx: Effects = { at: this.#now(), changes: [], incidents: new Set(), versions: new Map(), volunteers: new Set(), alerts: [] };
      const result = await this.#store.transaction(async (tx) => {
        const value = await work(tx, fx);
        for (const id of fx.incidents) await this.#refreshIncident(tx, fx, id);
        await appendChanges(tx, fx.changes);
        return value;
      });
      this.#announce(fx);
      return result;
    });
  }

  #announce(fx: Effects): void {
    this.#publish({ frame: null, changes: fx.changes });
    if (fx.volunteers.size > 0) this.#listener.volunteersChanged([...fx.volunteers]);
    for (const [id, version] of fx.versions) this.#listener.incidentChanged(id, version);
    for (const { alert, subdistrict } of fx.alerts) this.#listener.alert(alert, subdistrict);
  }

  /** Stores what a step did to an assignment and its members; a failed offer escalates. */
  async #apply(tx: Queryable, fx: Effects, assignment: Assignment, outcome: Extract<StepOutcome, { ok: true }>): Promise<void> {
    await saveAssignment(tx, assignment.id, outcome.state, outcome.moves, fx.at);
    await this.#moveMembers(tx, fx, outcome.moves, assignment.id);
    fx.incidents.add(assignment.incident);
    if (outcome.state === 'declined' || outcome.state === 'timed_out') {
      await this.#escalate(tx, fx, assignment, outcome.state);
    }
  }

  /** Offers the incident to the next recommended team, and alerts the coordinators either way. */
  async #escalate(tx: Queryable, fx: Effects, failed: Assignment, why: 'declined' | 'timed_out'): Promise<void> {
    const incident = (await findIncident(tx, failed.incident, true))!;
    const next = incident.state === 'closed' ? undefined : await this.#nextTeam(tx, incident, fx.at);
    if (next) await this.#offer(tx, fx, incident, next.team, SYSTEM, next.reason);
    const alert: DispatchAlert = { id: randomUUID(), kind: why, incident: incident.id, team: failed.team, next: next?.team ?? null, at: fx.at };
    fx.alerts.push({ alert, subdistrict: incident.subdistrict });
    await audit(tx, SYSTEM, 'dispatch.escalated', incident.id, { why, team: failed.team, next: alert.next });
  }

  async #nextTeam(tx: Queryable, incident: IncidentRecord, now: number) {
    const teams = await candidateTeams(tx, now);
    const tried = await teamsTried(tx, incident.id);
    return recommend(incident, teams, now, { exclude: tried, limit: 1 })[0];
  }

  /** Creates the offer to every available member of the team; returns the assignment id. */
  async #offer(tx: Queryable, fx: Effects, incident: IncidentRecord, team: string, by: string, reason: Assignment['reason']): Promise<string> {
    const members = await availableMembers(tx, team);
    if (members.length === 0) throw new AppError('TEAM_UNAVAILABLE');
    const id = await insertAssignment(tx, {
      incident: incident.id,
      team,
      dispatchedBy: by,
      reason,
      offeredAt: fx.at,
      answerBy: fx.at + this.#answerMs,
      members,
    });
    if (id === null) throw new AppError('TEAM_BUSY');
    await this.#moveMembers(tx, fx, members.map((volunteer) => ({ volunteer, from: 'available', to: 'assigned' })), id);
    fx.incidents.add(incident.id);
    return id;
  }

  /** Moves volunteers' statuses; each move is a unit change on the wall and a line in the history. */
  async #moveMembers(tx: Queryable, fx: Effects, moves: Array<Pick<MemberMove, 'volunteer' | 'from' | 'to'>>, assignment: string | null): Promise<void> {
    const real = moves.filter((m) => m.from !== m.to);
    if (real.length === 0) return;
    const illegal = real.filter((m) => !isLegalVolunteerMove(m.from, m.to));
    if (illegal.length > 0) {
      throw new AppError('ILLEGAL_TRANSITION', illegal.map((m) => ({ path: '/volunteer', message: `volunteer ${m.volunteer} cannot move from ${m.from} to ${m.to}` })));
    }
    const seqs = await takeSeqs(tx, real.length);
    await saveStatuses(tx, real.map((m, i) => ({ id: m.volunteer, from: m.from, to: m.to, seq: seqs[i]! })), fx.at, assignment);
    const live = await loadVolunteers(tx, real.map((m) => m.volunteer));
    real.forEach((m, i) => {
      fx.changes.push({ kind: 'unit', seq: seqs[i]!, created: false, value: unitView(live.get(m.volunteer)!, seqs[i]!) });
      fx.volunteers.add(m.volunteer);
    });
  }

  /** Recomputes an incident's response clocks and teams from its assignments; a change on the wall. */
  async #refreshIncident(tx: Queryable, fx: Effects, incidentId: string): Promise<void> {
    const incident = (await findIncident(tx, incidentId, true))!;
    const assignments = await incidentAssignments(tx, incidentId);
    const earliest = (times: Array<number | null>) => {
      const known = times.filter((t): t is number => t !== null);
      return known.length === 0 ? null : Math.min(...known);
    };
    const dispatch = {
      dispatchedAt: incident.dispatchedAt ?? earliest(assignments.map((a) => a.offeredAt)),
      onSceneAt: incident.onSceneAt ?? earliest(assignments.map((a) => a.onSceneAt)),
      teams: assignments.filter((a) => isActive(a.state)).map((a) => ({ team: a.team, state: a.state })),
    };
    const [seq] = await takeSeqs(tx, 1);
    await saveDispatch(tx, incidentId, dispatch, seq!);
    fx.changes.push({ kind: 'incident', seq: seq!, created: false, value: incidentView({ ...incident, ...dispatch }, seq!) });
    fx.versions.set(incidentId, (await dispatchVersion(tx, incidentId))!.version);
    for (const volunteer of assignments.flatMap((a) => a.members.map((m) => m.volunteer))) fx.volunteers.add(volunteer);
  }

  async #visibleIncident(q: Queryable, principal: Principal, id: string, lock: boolean): Promise<IncidentRecord> {
    const incident = await findIncident(q, id, lock);
    if (!incident) throw new AppError('NOT_FOUND', [{ path: '/incident', message: `incident "${id}" is not known` }]);
    if (!inScope(principal, incident.subdistrict)) throw new AppError('OUT_OF_SCOPE');
    return incident;
  }

  async #checkVersion(q: Queryable, incidentId: string, seen: number): Promise<void> {
    const version = (await dispatchVersion(q, incidentId))?.version;
    if (version !== seen) {
      throw new AppError('DISPATCH_CONFLICT', [{ path: '/version', message: `you saw version ${seen}; it is now ${version}` }]);
    }
  }

  async #assignment(tx: Queryable, id: string): Promise<Assignment> {
    const assignment = await loadAssignment(tx, id, true);
    if (!assignment) throw new AppError('NOT_FOUND', [{ path: '/assignment', message: `assignment "${id}" is not known` }]);
    return assignment;
  }

}

function refusedIfNot(outcome: StepOutcome, path = '/assignment'): Extract<StepOutcome, { ok: true }> {
  if (!outcome.ok) throw new AppError('ILLEGAL_TRANSITION', [{ path, message: outcome.message }]);
  return outcome;
}
