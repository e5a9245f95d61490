/**
 * The lifecycle of an assignment (a team sent to an incident) and of its members. Pure: the
 * dispatch service loads an assignment, asks what a step does, and stores the answer.
 *
 * An assignment is offered to the team's available members (each goes available → assigned).
 * A member accepts or declines (→ available); the first acceptance makes the assignment
 * accepted. Members who accepted report en route and on scene; the assignment follows its
 * most advanced member. Nobody accepting by `answerBy` times it out, everyone declining ends it
 * as declined; either way its members are free again (available) and the incident escalates
 * to the next team. A coordinator may cancel an assignment before it is on scene and release
 * it at any step; its members become available. Every step outside these rules is refused.
 */
import type { MemberAnswer, TeamStatus, VolunteerStep } from '../contract/dispatch.ts';
import { ACTIVE_ASSIGNMENT_STATES, type AssignmentState, type VolunteerStatus } from './vocabulary.ts';

export interface MemberFacts {
  volunteer: string;
  status: VolunteerStatus;
  answer: MemberAnswer | null;
}

export interface AssignmentFacts {
  state: AssignmentState;
  /** epoch ms */
  answerBy: number;
  members: readonly MemberFacts[];
}

/** A member's new status and answer; `answered` is true when the answer is new. */
export interface MemberMove {
  volunteer: string;
  from: VolunteerStatus;
  to: VolunteerStatus;
  answer: MemberAnswer | null;
  answered: boolean;
}

export type StepOutcome =
  | { ok: true; state: AssignmentState; moves: MemberMove[] }
  | { ok: false; message: string };

export function isActive(state: AssignmentState): boolean {
  return (ACTIVE_ASSIGNMENT_STATES as readonly AssignmentState[]).includes(state);
}

/** How far along an active assignment is; an assignment follows its most advanced member. */
const PROGRESS: readonly AssignmentState[] = ['offered', 'accepted', 'en_route', 'on_scene'];
const STATUS_PROGRESS: Partial<Record<VolunteerStatus, AssignmentState>> = {
  assigned: 'accepted',
  en_route: 'en_route',
  on_scene: 'on_scene',
};

/** What one member's step does to the assignment. */
export function memberStep(assignment: AssignmentFacts, volunteer: string, step: VolunteerStep, now: number): StepOutcome {
  const member = assignment.members.find((m) => m.volunteer === volunteer);
  if (!member) return refuse(`volunteer ${volunteer} is not on this assignment`);
  if (!isActive(assignment.state)) return refuse(`the assignment is ${assignment.state}`);
  const move = moveOf(member, step, assignment, now);
  if (typeof move === 'string') return refuse(move);
  const members = assignment.members.map((m) => (m.volunteer === volunteer ? { ...m, status: move.to, answer: move.answer } : m));
  return { ok: true, state: stateAfter(assignment.state, members), moves: [move] };
}

function moveOf(member: MemberFacts, step: VolunteerStep, assignment: AssignmentFacts, now: number): MemberMove | string {
  const move = (to: VolunteerStatus, answer: MemberAnswer | null = member.answer): MemberMove => ({
    volunteer: member.volunteer,
    from: member.status,
    to,
    answer,
    answered: answer !== member.answer,
  });
  switch (step) {
    case 'accept':
    case 'decline':
      if (member.answer !== null) return `already answered: ${member.answer}`;
      if (assignment.state === 'offered' && now > assignment.answerBy) return 'the offer has lapsed';
      return step === 'accept' ? move('assigned', 'accepted') : move('available', 'declined');
    case 'en_route':
      if (member.answer !== 'accepted' || member.status !== 'assigned') return `cannot set off from ${member.status}`;
      return move('en_route');
    case 'on_scene':
      if (member.answer !== 'accepted' || member.status !== 'en_route') return `cannot arrive from ${member.status}`;
      return move('on_scene');
  }
}

/**
 * The assignment's state after its members moved: its most advanced accepted member, never
 * going back; declined when it was still offered and every member declined.
 */
function stateAfter(state: AssignmentState, members: readonly MemberFacts[]): AssignmentState {
  if (state === 'offered' && members.every((m) => m.answer === 'declined')) return 'declined';
  const reached = members
    .filter((m) => m.answer === 'accepted')
    .map((m) => PROGRESS.indexOf(STATUS_PROGRESS[m.status] ?? 'offered'));
  return PROGRESS[Math.max(PROGRESS.indexOf(state), ...reached)]!;
}

/**
 * The clock: an offer nobody accepted by `answerBy` times out and frees its members. Once
 * accepted, members who never answered are freed at `answerBy` too (marked no answer); the
 * assignment goes on with those who accepted. Null when nothing is due.
 */
export function answerDeadlinePassed(assignment: AssignmentFacts, now: number): { state: AssignmentState; moves: MemberMove[] } | null {
  if (!isActive(assignment.state) || now <= assignment.answerBy) return null;
  const silent = assignment.members.filter((m) => m.answer === null);
  if (assignment.state !== 'offered' && silent.length === 0) return null;
  const moves = silent.map((m) => free(m, 'no_answer'));
  return { state: assignment.state === 'offered' ? 'timed_out' : assignment.state, moves };
}

/** A coordinator ends an assignment: `cancel` before anyone is on scene, `release` at any step. */
export function endAssignment(assignment: AssignmentFacts, how: 'cancel' | 'release'): StepOutcome {
  if (!isActive(assignment.state)) return refuse(`the assignment is already ${assignment.state}`);
  if (how === 'cancel' && assignment.state === 'on_scene') return refuse('the team is on scene: release it instead');
  const working = assignment.members.filter((m) => m.answer !== 'declined' && m.answer !== 'no_answer');
  return { ok: true, state: how === 'cancel' ? 'cancelled' : 'released', moves: working.map((m) => free(m, m.answer ?? 'no_answer')) };
}

function free(member: MemberFacts, answer: MemberAnswer): MemberMove {
  return { volunteer: member.volunteer, from: member.status, to: 'available', answer, answered: answer !== member.answer };
}

function refuse(message: string): StepOutcome {
  return { ok: false, message };
}

/** What a team is doing, for the registry and the console. */
export function teamStatus(activeAssignment: AssignmentState | null, memberStatuses: readonly VolunteerStatus[]): TeamStatus {
  if (activeAssignment === 'offered' || activeAssignment === 'accepted') return 'assigned';
  if (activeAssignment === 'en_route' || activeAssignment === 'on_scene') return activeAssignment;
  return memberStatuses.includes('available') ? 'available' : 'off_duty';
}
