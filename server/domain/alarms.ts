/**
 * When the wall must get a person's attention, and when it may stop. Pure: the alarm service
 * reads the facts, asks which conditions hold now, reconciles them with the alarms it holds,
 * and stores what changed.
 *
 * Conditions: a severity I or II incident that is not yet contained (priority 1 for I, 2 for
 * II); a 吹哨报到 whose deadline passed with a department missing (3); a volunteer on scene
 * whose position has not come for `silentMs` (2: someone may be in trouble). An alarm is
 * raised when its condition starts to hold and cleared when it stops; acknowledging it only
 * stops the flashing. A condition that holds again after it cleared raises a new alarm.
 */
import type { AlarmKind, AlarmView, Whistle } from '../contract/live.ts';
import { lateDepartments } from './clocks.ts';
import type { CaseState, IncidentState, Severity, VolunteerStatus } from './vocabulary.ts';

export interface Located {
  subdistrict: string | null;
  lon: number | null;
  lat: number | null;
}

export interface AlarmFacts {
  incidents: ReadonlyArray<Located & { id: string; severity: Severity; state: IncidentState }>;
  whistles: ReadonlyArray<Located & { caseId: string; state: CaseState; whistle: Whistle }>;
  units: ReadonlyArray<Located & { id: string; status: VolunteerStatus; positionAt: number | null; statusAt: number }>;
}

export interface Condition extends Located {
  kind: AlarmKind;
  subject: string;
  priority: AlarmView['priority'];
}

const SETTLED: readonly IncidentState[] = ['contained', 'closed'];

/** The conditions that hold at `now`. */
export function holdingConditions(facts: AlarmFacts, now: number, silentMs: number): Condition[] {
  const place = ({ subdistrict, lon, lat }: Located): Located => ({ subdistrict, lon, lat });
  const severe = facts.incidents
    .filter((i) => i.severity <= 2 && !SETTLED.includes(i.state))
    .map((i): Condition => ({ kind: 'severe_incident', subject: i.id, priority: i.severity === 1 ? 1 : 2, ...place(i) }));
  const whistles = facts.whistles
    .filter((c) => c.state !== 'closed' && lateDepartments(c.whistle, now).length > 0)
    .map((c): Condition => ({ kind: 'whistle_overdue', subject: c.caseId, priority: 3, ...place(c) }));
  const silent = facts.units
    .filter((u) => u.status === 'on_scene' && now - Math.max(u.positionAt ?? 0, u.statusAt) > silentMs)
    .map((u): Condition => ({ kind: 'silent_on_scene', subject: u.id, priority: 2, ...place(u) }));
  return [...severe, ...whistles, ...silent];
}

export function alarmKey(alarm: Pick<Condition, 'kind' | 'subject'>): string {
  return `${alarm.kind}:${alarm.subject}`;
}

/** What to raise (holds, no open alarm) and what to clear (open alarm, no longer holds). */
export function reconcile<A extends Pick<AlarmView, 'kind' | 'subject' | 'state'>>(
  open: readonly A[],
  holding: readonly Condition[],
): { raise: Condition[]; clear: A[] } {
  const held = new Set(holding.map(alarmKey));
  const opened = new Set(open.filter((a) => a.state !== 'cleared').map(alarmKey));
  return {
    raise: holding.filter((c) => !opened.has(alarmKey(c))),
    clear: open.filter((a) => a.state !== 'cleared' && !held.has(alarmKey(a))),
  };
}

/** Acknowledging moves an active alarm on; an acknowledged or cleared one stays as it is. */
export function canAcknowledge(alarm: Pick<AlarmView, 'state'>): boolean {
  return alarm.state === 'active';
}
