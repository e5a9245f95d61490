/**
 * What the wall's clocks panel shows, pure: given the live views and the server time `now`, the
 * open incidents with their response clocks (most urgent first), the 吹哨报到 whistles still
 * waiting for departments, the count of overdue cases, and the measured medical response time
 * out of GET /api/v1/indicators/response-times. The timing rules themselves live in
 * server/domain/clocks.ts, shared with the server; this module only selects, sorts and formats.
 */
import type { ResponseTimes } from '../../server/contract/dispatch.ts';
import type { CaseView, IncidentView } from '../../server/contract/live.ts';
import { incidentClock, isCaseOverdue, lateDepartments, type IncidentStage } from '../../server/domain/clocks.ts';
import type { AssignmentState, CaseCategory, IncidentKind, Severity } from '../../server/domain/vocabulary.ts';

export type OpenStage = Exclude<IncidentStage, 'closed'>;

export interface IncidentClockRow {
  id: string;
  kind: IncidentKind;
  severity: Severity;
  subdistrict: string | null;
  stage: OpenStage;
  elapsedMs: number;
  targetMs: number;
  late: boolean;
  /** teams that took the job (an offer nobody accepted yet is not a team working) */
  teams: number;
  reportedAt: number;
}

export interface WhistleRow {
  caseId: string;
  category: CaseCategory;
  subdistrict: string | null;
  /** ms to the deadline; negative once it passed */
  remainingMs: number;
  /** departments not yet on site */
  missing: string[];
  /** the deadline passed with departments missing */
  late: boolean;
}

/** The district's measured pre-hospital response (the plan's indicator 11). */
export interface MeasuredResponse {
  averageSeconds: number;
  targetSeconds: number;
  measured: number;
}

const WORKING: ReadonlySet<AssignmentState> = new Set(['accepted', 'en_route', 'on_scene']);

/** Open incidents with their clocks: severity first (I before IV), then late ones, then oldest. */
export function incidentClockRows(incidents: Iterable<IncidentView>, now: number): IncidentClockRow[] {
  const rows: IncidentClockRow[] = [];
  for (const view of incidents) {
    const clock = incidentClock(view, now);
    if (clock.stage === 'closed') continue;
    rows.push({
      id: view.id,
      kind: view.kind,
      severity: view.severity,
      subdistrict: view.subdistrict,
      stage: clock.stage,
      elapsedMs: clock.elapsedMs,
      targetMs: clock.targetMs,
      late: clock.late,
      teams: view.teams.filter((t) => WORKING.has(t.state)).length,
      reportedAt: view.reportedAt,
    });
  }
  return rows.sort((a, b) => a.severity - b.severity || Number(b.late) - Number(a.late) || a.reportedAt - b.reportedAt);
}

/**
 * Whistles still waiting for someone: late ones first, then the nearest deadline. A whistle
 * every department answered, or on a case already resolved, needs no one's attention.
 */
export function activeWhistles(cases: Iterable<CaseView>, now: number): WhistleRow[] {
  const rows: WhistleRow[] = [];
  for (const view of cases) {
    const whistle = view.whistle;
    if (whistle === null || view.resolvedAt !== null) continue;
    const missing = whistle.departments.filter((d) => d.reportedAt === null).map((d) => d.name);
    if (missing.length === 0) continue;
    rows.push({
      caseId: view.id,
      category: view.category,
      subdistrict: view.subdistrict,
      remainingMs: whistle.deadlineAt - now,
      missing,
      late: lateDepartments(whistle, now).length > 0,
    });
  }
  return rows.sort((a, b) => Number(b.late) - Number(a.late) || a.remainingMs - b.remainingMs);
}

export function overdueCaseCount(cases: Iterable<CaseView>, now: number): number {
  let count = 0;
  for (const view of cases) if (isCaseOverdue(view, now)) count++;
  return count;
}

/**
 * The district row for medical incidents, or null when there is nothing measured to show: no
 * answer, no such row, or no incident in the window reached by a team.
 */
export function medicalResponse(times: ResponseTimes | null): MeasuredResponse | null {
  const row = times?.rows.find((r) => r.kind === 'medical' && r.subdistrict === null);
  if (!row || row.measured === 0 || row.averageSeconds === null) return null;
  return { averageSeconds: row.averageSeconds, targetSeconds: row.targetSeconds, measured: row.measured };
}

/** mm:ss, or h:mm:ss from an hour on; a negative span reads as its size (the caller says which way). */
export function formatClock(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** Fills `{name}` placeholders of a dictionary text. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}
