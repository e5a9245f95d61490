import { describe, expect, it } from 'vitest';
import { answerDeadlinePassed, endAssignment, memberStep, teamStatus, type AssignmentFacts } from './dispatch.ts';

const NOW = 1_000_000;

function offered(...volunteers: string[]): AssignmentFacts {
  return { state: 'offered', answerBy: NOW + 60_000, members: volunteers.map((volunteer) => ({ volunteer, status: 'assigned', answer: null })) };
}

/** Applies a successful step and returns the assignment after it. */
function after(assignment: AssignmentFacts, volunteer: string, step: Parameters<typeof memberStep>[2]): AssignmentFacts {
  const outcome = memberStep(assignment, volunteer, step, NOW);
  if (!outcome.ok) throw new Error(outcome.message);
  const moved = new Map(outcome.moves.map((m) => [m.volunteer, m]));
  return {
    ...assignment,
    state: outcome.state,
    members: assignment.members.map((m) => {
      const move = moved.get(m.volunteer);
      return move ? { ...m, status: move.to, answer: move.answer } : m;
    }),
  };
}

describe('assignment lifecycle', () => {
  it('walks offered → accepted → en route → on scene with the first member to move', () => {
    let a = offered('v1', 'v2');
    a = after(a, 'v1', 'accept');
    expect(a.state).toBe('accepted');
    expect(a.members[0]).toMatchObject({ status: 'assigned', answer: 'accepted' });
    a = after(a, 'v1', 'en_route');
    expect(a.state).toBe('en_route');
    a = after(a, 'v2', 'accept');
    expect(a.state).toBe('en_route'); // a later acceptance does not move it back
    a = after(a, 'v1', 'on_scene');
    expect(a.state).toBe('on_scene');
  });

  it('frees a member who declines, and ends the offer as declined when all do', () => {
    let a = offered('v1', 'v2');
    const first = memberStep(a, 'v1', 'decline', NOW);
    expect(first).toEqual({ ok: true, state: 'offered', moves: [{ volunteer: 'v1', from: 'assigned', to: 'available', answer: 'declined', answered: true }] });
    a = after(a, 'v1', 'decline');
    a = after(a, 'v2', 'decline');
    expect(a.state).toBe('declined');
  });

  it('refuses steps out of order, repeated answers and strangers', () => {
    const a = offered('v1');
    expect(memberStep(a, 'v1', 'en_route', NOW)).toMatchObject({ ok: false });
    expect(memberStep(a, 'v1', 'on_scene', NOW)).toMatchObject({ ok: false });
    expect(memberStep(a, 'nobody', 'accept', NOW)).toMatchObject({ ok: false, message: 'volunteer nobody is not on this assignment' });
    const accepted = after(a, 'v1', 'accept');
    expect(memberStep(accepted, 'v1', 'accept', NOW)).toMatchObject({ ok: false, message: 'already answered: accepted' });
    expect(memberStep(accepted, 'v1', 'on_scene', NOW)).toMatchObject({ ok: false, message: 'cannot arrive from assigned' });
  });

  it('refuses an answer to a lapsed offer and any step on an ended assignment', () => {
    expect(memberStep(offered('v1'), 'v1', 'accept', NOW + 60_001)).toMatchObject({ ok: false, message: 'the offer has lapsed' });
    const cancelled = { ...offered('v1'), state: 'cancelled' as const };
    expect(memberStep(cancelled, 'v1', 'accept', NOW)).toMatchObject({ ok: false, message: 'the assignment is cancelled' });
  });

  it('times out an offer nobody accepted and frees its silent members', () => {
    const a = after(offered('v1', 'v2'), 'v1', 'decline');
    expect(answerDeadlinePassed(a, NOW + 60_000)).toBeNull();
    expect(answerDeadlinePassed(a, NOW + 60_001)).toEqual({
      state: 'timed_out',
      moves: [{ volunteer: 'v2', from: 'assigned', to: 'available', answer: 'no_answer', answered: true }],
    });
  });

  it('keeps an accepted assignment at the deadline, freeing only those who never answered', () => {
    const a = after(offered('v1', 'v2'), 'v1', 'accept');
    expect(answerDeadlinePassed(a, NOW + 60_001)).toEqual({
      state: 'accepted',
      moves: [{ volunteer: 'v2', from: 'assigned', to: 'available', answer: 'no_answer', answered: true }],
    });
    expect(answerDeadlinePassed(after(a, 'v2', 'accept'), NOW + 60_001)).toBeNull();
  });

  it('cancels before on scene, releases at any step, and frees everyone still on it', () => {
    const enRoute = after(after(after(offered('v1', 'v2', 'v3'), 'v1', 'accept'), 'v1', 'en_route'), 'v3', 'decline');
    const cancelled = endAssignment(enRoute, 'cancel');
    expect(cancelled).toEqual({
      ok: true,
      state: 'cancelled',
      moves: [
        { volunteer: 'v1', from: 'en_route', to: 'available', answer: 'accepted', answered: false },
        { volunteer: 'v2', from: 'assigned', to: 'available', answer: 'no_answer', answered: true },
      ],
    });
    const onScene = after(enRoute, 'v1', 'on_scene');
    expect(endAssignment(onScene, 'cancel')).toMatchObject({ ok: false });
    expect(endAssignment(onScene, 'release')).toMatchObject({ ok: true, state: 'released' });
    expect(endAssignment({ ...onScene, state: 'released' }, 'release')).toMatchObject({ ok: false });
  });
});

describe('teamStatus', () => {
  it('follows the active assignment, else whether anyone is available', () => {
    expect(teamStatus('offered', ['assigned'])).toBe('assigned');
    expect(teamStatus('accepted', ['assigned'])).toBe('assigned');
    expect(teamStatus('en_route', ['en_route'])).toBe('en_route');
    expect(teamStatus('on_scene', ['on_scene'])).toBe('on_scene');
    expect(teamStatus(null, ['off_duty', 'available'])).toBe('available');
    expect(teamStatus(null, ['off_duty'])).toBe('off_duty');
    expect(teamStatus(null, [])).toBe('off_duty');
  });
});
