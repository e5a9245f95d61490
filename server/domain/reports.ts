/**
 * What one incoming report does to the current state of a case, incident or volunteer. Pure:
 * the ingest service loads the current record, calls these, and stores what they return.
 *
 * Rules every feed gets: the report's time (`at`, default the time of receipt) may not lie
 * more than MAX_CLOCK_SKEW_MS in the future; a report older than what is held is stale and
 * changes nothing (a late retry never overwrites a newer state); a report that repeats what is
 * held changes nothing (a duplicate never makes a second change); a lifecycle move must be legal.
 */
import type { CaseView, IncidentView, Place } from '../contract/live.ts';
import type { CaseReport, IncidentReport, PositionReport } from '../contract/ingest.ts';
import { isLegalCaseMove, isLegalIncidentMove, isLegalVolunteerMove, isOnDuty } from './lifecycle.ts';
import { caseDeadline } from './clocks.ts';
import type { CaseState, Satisfaction, VolunteerStatus } from './vocabulary.ts';

export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A case as stored: its view, and what is never streamed: the source's id, the description, when
 * it first left 'reported' (its response) and closed, the pseudonymous reporter (online
 * participation) and the call-back's answers (回访: solved, satisfaction).
 */
export type CaseRecord = Omit<CaseView, 'seq'> & {
  sourceId: string;
  description: string | null;
  respondedAt: number | null;
  closedAt: number | null;
  reporter: string | null;
  solved: boolean | null;
  satisfaction: Satisfaction | null;
};
export type IncidentRecord = Omit<IncidentView, 'seq'> & { description: string | null };

export interface VolunteerState {
  id: string;
  status: VolunteerStatus;
  lon: number | null;
  lat: number | null;
  place: Place;
  /** epoch ms of the last position, null before the first */
  positionAt: number | null;
}

export type Outcome<T> =
  | { kind: 'created'; record: T }
  | { kind: 'updated'; record: T }
  | { kind: 'unchanged' }
  | { kind: 'stale' }
  | { kind: 'illegal'; message: string }
  | { kind: 'dispatched'; message: string };

export interface TimeProblem {
  problem: 'unparseable' | 'future';
  message: string;
}

/** The report's time in epoch ms, or what makes it unusable. */
export function reportTime(at: string | undefined, receivedAt: number): number | TimeProblem {
  if (at === undefined) return receivedAt;
  const ms = Date.parse(at);
  // The schema's date-time format admits a few times no clock has, such as leap second :60.
  if (!Number.isFinite(ms)) return { problem: 'unparseable', message: `"${at}" is not a time this server can read` };
  if (ms > receivedAt + MAX_CLOCK_SKEW_MS) return { problem: 'future', message: `"${at}" lies more than 5 minutes in the future` };
  return ms;
}

export function caseId(source: string, sourceId: string): string {
  return `${source}:${sourceId}`;
}

export function applyCaseReport(
  current: CaseRecord | undefined,
  report: CaseReport,
  place: Place,
  at: number,
): Outcome<CaseRecord> {
  const state = report.state ?? current?.state ?? 'reported';
  const urgency = report.urgency ?? current?.urgency ?? 'normal';
  const reportedAt = current?.reportedAt ?? at;
  const next: CaseRecord = {
    id: caseId(report.source, report.sourceId),
    sourceId: report.sourceId,
    source: report.source,
    category: report.category,
    state,
    urgency,
    lon: report.lon,
    lat: report.lat,
    ...place,
    description: report.description ?? current?.description ?? null,
    reportedAt,
    updatedAt: at,
    deadlineAt: caseDeadline(report.category, urgency, reportedAt),
    // A case reopened after a failed call-back (重办) is unresolved again until resolved anew.
    resolvedAt: isResolved(state) ? (current?.resolvedAt ?? at) : null,
    whistle: current?.whistle ?? null,
    respondedAt: current?.respondedAt ?? (state === 'reported' ? null : at),
    closedAt: state === 'closed' ? (current?.closedAt ?? at) : null,
    reporter: current?.reporter ?? report.reporter ?? null,
    solved: report.callback?.solved ?? current?.solved ?? null,
    satisfaction: report.callback?.satisfaction ?? current?.satisfaction ?? null,
  };
  if (report.callback && !isResolved(state)) {
    return { kind: 'illegal', message: `case ${next.id}: a call-back comes once the case is resolved, not while it is ${state}` };
  }
  return settle('case', current, next, isLegalCaseMove, CASE_FIELDS);
}

export function applyIncidentReport(
  current: IncidentRecord | undefined,
  report: IncidentReport,
  place: Place,
  at: number,
): Outcome<IncidentRecord> {
  const state = report.state ?? current?.state ?? 'reported';
  const next: IncidentRecord = {
    id: report.sourceId,
    kind: report.kind,
    severity: report.severity as IncidentRecord['severity'],
    state,
    lon: report.lon,
    lat: report.lat,
    ...place,
    description: report.description ?? current?.description ?? null,
    reportedAt: current?.reportedAt ?? at,
    updatedAt: at,
    // The response clocks keep their first time, from the dispatch service or a milestone.
    dispatchedAt: current?.dispatchedAt ?? (report.milestone ? at : null),
    onSceneAt: current?.onSceneAt ?? (report.milestone === 'on_scene' ? at : null),
    closedAt: state === 'closed' ? (current?.closedAt ?? at) : null,
    teams: current?.teams ?? [],
  };
  return settle('incident', current, next, isLegalIncidentMove, INCIDENT_FIELDS);
}

/** The rules every lifecycle record shares: create, stale, illegal move, duplicate, update. */
function settle<R extends { id: string; state: S; updatedAt: number }, S extends string>(
  noun: string,
  current: R | undefined,
  next: R,
  isLegalMove: (from: S, to: S) => boolean,
  newsFields: readonly (keyof R)[],
): Outcome<R> {
  if (!current) return { kind: 'created', record: next };
  if (next.updatedAt < current.updatedAt) return { kind: 'stale' };
  if (!isLegalMove(current.state, next.state)) {
    return { kind: 'illegal', message: `${noun} ${current.id} cannot move from ${current.state} to ${next.state}` };
  }
  return sameFields(current, next, newsFields) ? { kind: 'unchanged' } : { kind: 'updated', record: next };
}

/**
 * `dispatched`: the volunteer is on an active assignment of this server's dispatch, whose steps
 * (its page, the console, the clock) alone move its status then; a feed may still report where
 * it is, but a status change from a feed is refused rather than let two writers disagree.
 */
export function applyPositionReport(
  current: VolunteerState,
  report: PositionReport,
  place: Place,
  at: number,
  dispatched = false,
): Outcome<VolunteerState> {
  if (current.positionAt !== null && at < current.positionAt) return { kind: 'stale' };
  const status = report.status ?? current.status;
  if (dispatched && status !== current.status) {
    return { kind: 'dispatched', message: `volunteer ${current.id} is on a dispatch assignment: its status follows the assignment` };
  }
  if (!isLegalVolunteerMove(current.status, status)) {
    return { kind: 'illegal', message: `volunteer ${current.id} cannot move from ${current.status} to ${status}` };
  }
  if (!isOnDuty(status)) return offDuty(current, status, at);
  const next: VolunteerState = { id: current.id, status, lon: report.lon, lat: report.lat, place, positionAt: at };
  // A unit standing still still reports: a newer time is news (it shows the unit is alive).
  return sameFields(current, next, VOLUNTEER_FIELDS) ? { kind: 'unchanged' } : { kind: 'updated', record: next };
}

const NOWHERE: Place = { subdistrict: null, cell: null, outside: false };

/**
 * Privacy: a volunteer's position is kept only while on duty. Going off duty drops the last
 * position; a position reported off duty is not kept (it changes nothing). The report's time
 * is still kept, so a late report from before cannot undo the move.
 */
function offDuty(current: VolunteerState, status: VolunteerStatus, at: number): Outcome<VolunteerState> {
  if (!isOnDuty(current.status) && current.lon === null) return { kind: 'unchanged' };
  return { kind: 'updated', record: { id: current.id, status, lon: null, lat: null, place: NOWHERE, positionAt: at } };
}

function isResolved(state: CaseState): boolean {
  return state === 'resolved' || state === 'closed';
}

/** The fields whose change is news; the report time alone is not (except for positions). */
const CASE_FIELDS = ['category', 'state', 'urgency', 'lon', 'lat', 'description', 'solved', 'satisfaction'] as const;
const INCIDENT_FIELDS = ['kind', 'severity', 'state', 'lon', 'lat', 'description', 'dispatchedAt', 'onSceneAt'] as const;
const VOLUNTEER_FIELDS = ['status', 'lon', 'lat', 'positionAt'] as const;

function sameFields<T>(a: T, b: T, keys: readonly (keyof T)[]): boolean {
  return keys.every((key) => a[key] === b[key]);
}
