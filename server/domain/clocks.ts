/**
 * Timers and service levels, pure: a grid case's deadline by category and urgency, the
 * response targets of incidents, and the 吹哨报到 escalation clock. The server stamps
 * deadlines with these; the wall and the console read the same functions to colour clocks.
 *
 * Case deadlines follow the 12345 practice of the district: an urgent case (a danger to people
 * or property) must be dealt with within hours, an ordinary one within working days. The
 * hours below are this product's defaults; a deployment with its own table changes them here.
 */
import type { CaseCategory, CaseUrgency, IncidentKind } from './vocabulary.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Hours to resolve a case, by category: [normal, urgent]. */
export const CASE_DEADLINE_HOURS: Readonly<Record<CaseCategory, readonly [normal: number, urgent: number]>> = {
  parking: [24, 2],
  dogs: [72, 4],
  garbage_sorting: [48, 4],
  illegal_construction: [120, 24],
  sanitation: [24, 4],
  back_alley: [72, 12],
  property: [120, 24],
  noise: [24, 2],
  road_facility: [48, 4],
  public_order: [24, 1],
};

export function caseDeadline(category: CaseCategory, urgency: CaseUrgency, reportedAt: number): number {
  const [normal, urgent] = CASE_DEADLINE_HOURS[category];
  return reportedAt + (urgency === 'urgent' ? urgent : normal) * HOUR_MS;
}

/** A case is overdue while it is not resolved (or closed) and its deadline has passed. */
export function isCaseOverdue(view: { deadlineAt: number; resolvedAt: number | null }, now: number): boolean {
  return view.resolvedAt === null && now > view.deadlineAt;
}

/** A case answered on time (the plan's indicator 14) was resolved by its deadline. */
export function resolvedOnTime(view: { deadlineAt: number; resolvedAt: number | null }): boolean | null {
  return view.resolvedAt === null ? null : view.resolvedAt <= view.deadlineAt;
}

/** 吹哨报到: summoned departments report on site within this many minutes unless told otherwise. */
export const WHISTLE_DEFAULT_MINUTES = 30;

export interface WhistleClock {
  deadlineAt: number;
  departments: ReadonlyArray<{ name: string; reportedAt: number | null }>;
}

/** The departments that have not reported on site although the deadline has passed. */
export function lateDepartments(whistle: WhistleClock, now: number): string[] {
  if (now <= whistle.deadlineAt) return [];
  return whistle.departments.filter((d) => d.reportedAt === null).map((d) => d.name);
}

export function whistleDeadline(blownAt: number, minutes: number = WHISTLE_DEFAULT_MINUTES): number {
  return blownAt + minutes * MINUTE_MS;
}

/**
 * Minutes from report to the first team on scene. Medical emergencies carry the plan's
 * indicator 11 (pre-hospital response under 8 minutes); other kinds have this product's targets.
 */
export const ON_SCENE_TARGET_MINUTES: Readonly<Record<IncidentKind, number>> = {
  medical: 8,
  fire: 8,
  gas_leak: 10,
  traffic: 10,
  crowding: 10,
  public_order: 10,
  waterlogging: 15,
  snow_ice: 15,
  earthquake: 15,
  public_health: 15,
};

/** Minutes from report to the first team offered. */
export const DISPATCH_TARGET_MINUTES = 2;

export type IncidentStage = 'awaiting_dispatch' | 'dispatched' | 'on_scene' | 'closed';

export interface IncidentClockInput {
  kind: IncidentKind;
  reportedAt: number;
  dispatchedAt: number | null;
  onSceneAt: number | null;
  closedAt: number | null;
}

export interface IncidentClock {
  stage: IncidentStage;
  /** ms since the report, up to now or to the moment the clock stopped (on scene, closed) */
  elapsedMs: number;
  /** ms allowed for the stage being timed: dispatch while awaiting it, arrival after */
  targetMs: number;
  /** the stage being timed overran its target */
  late: boolean;
}

/**
 * Where an incident's response stands: awaiting a team (timed against the dispatch target),
 * dispatched (timed against the on-scene target), on scene (the response time, stopped) or
 * closed.
 */
export function incidentClock(incident: IncidentClockInput, now: number): IncidentClock {
  const onSceneTarget = ON_SCENE_TARGET_MINUTES[incident.kind] * MINUTE_MS;
  if (incident.onSceneAt !== null) {
    const elapsedMs = incident.onSceneAt - incident.reportedAt;
    const stage = incident.closedAt === null ? 'on_scene' : 'closed';
    return { stage, elapsedMs, targetMs: onSceneTarget, late: elapsedMs > onSceneTarget };
  }
  const end = incident.closedAt ?? now;
  const elapsedMs = Math.max(0, end - incident.reportedAt);
  if (incident.closedAt !== null) return { stage: 'closed', elapsedMs, targetMs: onSceneTarget, late: false };
  if (incident.dispatchedAt === null) {
    const targetMs = DISPATCH_TARGET_MINUTES * MINUTE_MS;
    return { stage: 'awaiting_dispatch', elapsedMs, targetMs, late: elapsedMs > targetMs };
  }
  return { stage: 'dispatched', elapsedMs, targetMs: onSceneTarget, late: elapsedMs > onSceneTarget };
}
