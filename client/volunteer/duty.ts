/**
 * What the volunteer page shows of a MyDuty, pure: which step of an assignment the volunteer is
 * at (and so which buttons), whether an offer is new (to ring the phone once), and the shifts
 * still ahead.
 *
 * Steps: an offer not yet answered shows Accept / Decline; after accepting, "en route" and then
 * "on scene" follow, taking the furthest of the assignment's state and the volunteer's own
 * status (either may be the first to move); a declined offer says so; an assignment that ended,
 * or that this volunteer let pass unanswered, shows nothing.
 */
import type { MyDuty, Shift } from '../../server/contract/dispatch.ts';

export type DutyStep = 'none' | 'offer' | 'accepted' | 'en_route' | 'on_scene' | 'declined';

const ACTIVE = new Set(['offered', 'accepted', 'en_route', 'on_scene']);
const PROGRESS: Record<string, number> = { accepted: 0, en_route: 1, on_scene: 2 };
const STEPS = ['accepted', 'en_route', 'on_scene'] as const;

export function dutyStep(duty: MyDuty): DutyStep {
  const assignment = duty.assignment;
  if (!assignment || !ACTIVE.has(assignment.state)) return 'none';
  switch (assignment.myAnswer) {
    case null:
      return 'offer';
    case 'declined':
      return 'declined';
    case 'no_answer':
      return 'none';
    case 'accepted': {
      const furthest = Math.max(PROGRESS[assignment.state] ?? 0, PROGRESS[duty.status] ?? 0);
      return STEPS[furthest] ?? 'accepted';
    }
  }
}

/** An offer waiting for this volunteer's answer that the page has not rung for yet. */
export function newOffer(duty: MyDuty, rung: ReadonlySet<string>): string | null {
  const id = duty.assignment?.id;
  return id !== undefined && dutyStep(duty) === 'offer' && !rung.has(id) ? id : null;
}

/** Milliseconds left to answer an offer (negative once the time is up). */
export function timeToAnswer(duty: MyDuty, now: number): number | null {
  if (!duty.assignment || dutyStep(duty) !== 'offer') return null;
  return Date.parse(duty.assignment.answerBy) - now;
}

/** Shifts not over yet, soonest first, at most `limit`. */
export function upcomingShifts(shifts: readonly Shift[], now: number, limit = 5): Shift[] {
  return shifts
    .filter((shift) => Date.parse(shift.endsAt) > now)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
    .slice(0, limit);
}
