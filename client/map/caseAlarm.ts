/**
 * Which grid cases the map rings as late. A case turns late with time alone (its deadline or
 * its whistle's passes) and no message says so: the cases layer re-checks on a timer with a
 * TimedLooks over `caseAlarm`, comparing alarms with `sameAlarm`.
 */
import type { CaseView } from '../../server/contract/live.ts';
import { isCaseOverdue, lateDepartments } from '../../server/domain/clocks.ts';

export interface CaseAlarm {
  /** unresolved past its deadline */
  overdue: boolean;
  /** a summoned department missed the 吹哨报到 deadline */
  whistleLate: boolean;
}

export function caseAlarm(view: CaseView, now: number): CaseAlarm {
  return {
    overdue: isCaseOverdue(view, now),
    whistleLate: view.whistle !== null && lateDepartments(view.whistle, now).length > 0,
  };
}

export function sameAlarm(a: CaseAlarm, b: CaseAlarm): boolean {
  return a.overdue === b.overdue && a.whistleLate === b.whistleLate;
}

export function isLate(alarm: CaseAlarm): boolean {
  return alarm.overdue || alarm.whistleLate;
}
