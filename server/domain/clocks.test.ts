import { describe, expect, it } from 'vitest';
import { caseDeadline, incidentClock, isCaseOverdue, lateDepartments, resolvedOnTime, whistleDeadline } from './clocks.ts';

const T0 = Date.parse('2026-11-26T08:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('case deadlines', () => {
  it('depend on category and urgency', () => {
    expect(caseDeadline('parking', 'normal', T0)).toBe(T0 + 24 * HOUR);
    expect(caseDeadline('parking', 'urgent', T0)).toBe(T0 + 2 * HOUR);
    expect(caseDeadline('illegal_construction', 'normal', T0)).toBe(T0 + 120 * HOUR);
  });

  it('make a case overdue only while unresolved past the deadline', () => {
    const open = { deadlineAt: T0 + HOUR, resolvedAt: null };
    expect(isCaseOverdue(open, T0 + HOUR)).toBe(false);
    expect(isCaseOverdue(open, T0 + HOUR + 1)).toBe(true);
    expect(isCaseOverdue({ ...open, resolvedAt: T0 + 2 * HOUR }, T0 + 3 * HOUR)).toBe(false);
  });

  it('say whether a resolved case was on time', () => {
    expect(resolvedOnTime({ deadlineAt: T0, resolvedAt: T0 })).toBe(true);
    expect(resolvedOnTime({ deadlineAt: T0, resolvedAt: T0 + 1 })).toBe(false);
    expect(resolvedOnTime({ deadlineAt: T0, resolvedAt: null })).toBeNull();
  });
});

describe('whistle (吹哨报到)', () => {
  it('gives 30 minutes by default and names the departments late after it', () => {
    const deadlineAt = whistleDeadline(T0);
    expect(deadlineAt).toBe(T0 + 30 * MIN);
    const whistle = { deadlineAt, departments: [{ name: '城管执法队', reportedAt: T0 + 10 * MIN }, { name: '房管所', reportedAt: null }] };
    expect(lateDepartments(whistle, deadlineAt)).toEqual([]);
    expect(lateDepartments(whistle, deadlineAt + 1)).toEqual(['房管所']);
    expect(whistleDeadline(T0, 45)).toBe(T0 + 45 * MIN);
  });
});

describe('incident clock', () => {
  const reported = { kind: 'medical' as const, reportedAt: T0, dispatchedAt: null, onSceneAt: null, closedAt: null };

  it('times the dispatch first, against its 2-minute target', () => {
    expect(incidentClock(reported, T0 + MIN)).toEqual({ stage: 'awaiting_dispatch', elapsedMs: MIN, targetMs: 2 * MIN, late: false });
    expect(incidentClock(reported, T0 + 3 * MIN)).toMatchObject({ stage: 'awaiting_dispatch', late: true });
  });

  it('then the arrival, against the kind’s target (medical: 8 minutes)', () => {
    const dispatched = { ...reported, dispatchedAt: T0 + MIN };
    expect(incidentClock(dispatched, T0 + 7 * MIN)).toEqual({ stage: 'dispatched', elapsedMs: 7 * MIN, targetMs: 8 * MIN, late: false });
    expect(incidentClock(dispatched, T0 + 9 * MIN)).toMatchObject({ late: true });
  });

  it('stops at the first team on scene and stays stopped when closed', () => {
    const onScene = { ...reported, dispatchedAt: T0 + MIN, onSceneAt: T0 + 6 * MIN };
    expect(incidentClock(onScene, T0 + HOUR)).toEqual({ stage: 'on_scene', elapsedMs: 6 * MIN, targetMs: 8 * MIN, late: false });
    expect(incidentClock({ ...onScene, closedAt: T0 + HOUR }, T0 + 2 * HOUR)).toMatchObject({ stage: 'closed', elapsedMs: 6 * MIN });
  });

  it('stops at the close when no team ever arrived', () => {
    expect(incidentClock({ ...reported, closedAt: T0 + 5 * MIN }, T0 + HOUR)).toMatchObject({ stage: 'closed', elapsedMs: 5 * MIN, late: false });
  });
});
