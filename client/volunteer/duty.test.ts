/**
 * What the volunteer page shows of a duty: the step (and so the buttons) from the answer, the
 * assignment's state and the volunteer's own status; an offer rung for once; the shifts ahead.
 */
import { describe, expect, it } from 'vitest';
import type { MyAssignment, MyDuty } from '../../server/contract/dispatch.ts';
import { dutyStep, newOffer, timeToAnswer, upcomingShifts } from './duty.ts';

const ANSWER_BY = '2026-03-01T08:02:00.000Z';

function duty(assignment: Partial<MyAssignment> | null, fields: Partial<MyDuty> = {}): MyDuty {
  return {
    id: 'V1',
    name: '测试甲',
    team: 'T1',
    teamName: '消防队',
    status: 'available',
    statusAt: '2026-03-01T07:00:00.000Z',
    skills: [],
    shifts: [],
    assignment:
      assignment === null
        ? null
        : {
            id: 'A1',
            state: 'offered',
            answerBy: ANSWER_BY,
            myAnswer: null,
            incident: { id: 'I1', kind: 'fire', severity: 3, lon: 116.35, lat: 39.89, description: null, reportedAt: '2026-03-01T08:00:00.000Z' },
            ...assignment,
          },
    ...fields,
  };
}

describe('dutyStep', () => {
  it('offers an assignment not answered yet', () => {
    expect(dutyStep(duty({}))).toBe('offer');
    expect(dutyStep(duty(null))).toBe('none');
  });

  it('follows the furthest of the assignment state and the own status after accepting', () => {
    expect(dutyStep(duty({ myAnswer: 'accepted', state: 'accepted' }, { status: 'assigned' }))).toBe('accepted');
    expect(dutyStep(duty({ myAnswer: 'accepted', state: 'accepted' }, { status: 'en_route' }))).toBe('en_route');
    expect(dutyStep(duty({ myAnswer: 'accepted', state: 'en_route' }, { status: 'assigned' }))).toBe('en_route');
    expect(dutyStep(duty({ myAnswer: 'accepted', state: 'on_scene' }, { status: 'en_route' }))).toBe('on_scene');
  });

  it('says a declined offer, and shows nothing of an ended or passed one', () => {
    expect(dutyStep(duty({ myAnswer: 'declined' }))).toBe('declined');
    expect(dutyStep(duty({ myAnswer: 'no_answer' }))).toBe('none');
    expect(dutyStep(duty({ myAnswer: 'accepted', state: 'released' }))).toBe('none');
    expect(dutyStep(duty({ state: 'cancelled' }))).toBe('none');
  });
});

describe('offers', () => {
  it('rings once per offer', () => {
    expect(newOffer(duty({}), new Set())).toBe('A1');
    expect(newOffer(duty({}), new Set(['A1']))).toBeNull();
    expect(newOffer(duty({ myAnswer: 'accepted', state: 'accepted' }), new Set())).toBeNull();
  });

  it('counts down to the answer deadline while offered', () => {
    expect(timeToAnswer(duty({}), Date.parse(ANSWER_BY) - 45_000)).toBe(45_000);
    expect(timeToAnswer(duty({ myAnswer: 'accepted', state: 'accepted' }), 0)).toBeNull();
  });
});

describe('upcomingShifts', () => {
  it('keeps the shifts not over yet, soonest first', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const shifts = [
      { startsAt: '2026-03-02T08:00:00Z', endsAt: '2026-03-02T16:00:00Z' },
      { startsAt: '2026-02-28T08:00:00Z', endsAt: '2026-02-28T16:00:00Z' },
      { startsAt: '2026-03-01T08:00:00Z', endsAt: '2026-03-01T16:00:00Z' },
    ];
    expect(upcomingShifts(shifts, now).map((s) => s.startsAt)).toEqual(['2026-03-01T08:00:00Z', '2026-03-02T08:00:00Z']);
    expect(upcomingShifts(shifts, now, 1)).toHaveLength(1);
  });
});
