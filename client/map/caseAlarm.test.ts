/**
 * A case's alarm follows its deadline and its whistle, and a TimedLooks over it names exactly
 * the drawn cases whose alarm flipped since they were drawn.
 */
import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../server/contract/live.ts';
import { caseAlarm, isLate, sameAlarm } from './caseAlarm.ts';
import { caseFeature } from './features.ts';
import { TimedLooks } from './timedLooks.ts';

const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);
const MINUTE = 60_000;

function gridCase(id: string, fields: Partial<CaseView> = {}): CaseView {
  return {
    id,
    seq: 1,
    source: 'hotline',
    category: 'parking',
    state: 'dispatched',
    urgency: 'urgent',
    lon: 116.38,
    lat: 39.94,
    reportedAt: T0,
    updatedAt: T0,
    deadlineAt: T0 + 120 * MINUTE,
    resolvedAt: null,
    whistle: null,
    subdistrict: '110102012',
    cell: null,
    outside: false,
    ...fields,
  };
}

const whistled = (reportedAt: number | null): CaseView['whistle'] => ({
  blownAt: T0,
  deadlineAt: T0 + 30 * MINUTE,
  departments: [{ name: '城管', reportedAt }],
});

describe('a case alarm', () => {
  it('rings once the deadline passed, and not for a resolved case', () => {
    expect(caseAlarm(gridCase('a'), T0 + 120 * MINUTE)).toEqual({ overdue: false, whistleLate: false });
    expect(caseAlarm(gridCase('a'), T0 + 121 * MINUTE)).toEqual({ overdue: true, whistleLate: false });
    expect(caseAlarm(gridCase('a', { state: 'resolved', resolvedAt: T0 + 130 * MINUTE }), T0 + 200 * MINUTE).overdue).toBe(false);
  });

  it('rings for a whistle whose department missed its deadline', () => {
    expect(caseAlarm(gridCase('a', { whistle: whistled(null) }), T0 + 29 * MINUTE).whistleLate).toBe(false);
    expect(caseAlarm(gridCase('a', { whistle: whistled(null) }), T0 + 31 * MINUTE).whistleLate).toBe(true);
    expect(caseAlarm(gridCase('a', { whistle: whistled(T0 + 20 * MINUTE) }), T0 + 31 * MINUTE).whistleLate).toBe(false);
  });

  it('reaches the map as 0/1 feature properties', () => {
    const feature = caseFeature(gridCase('a'), { overdue: true, whistleLate: false });
    expect(feature.properties).toMatchObject({ id: 'a', state: 'dispatched', overdue: 1, whistleLate: 0 });
  });
});

describe('a case alarm over time', () => {
  it('flips for the cases whose deadline or whistle passed, and only those', () => {
    const views = new Map([
      ['soon', gridCase('soon', { deadlineAt: T0 + 10 * MINUTE })],
      ['later', gridCase('later', { deadlineAt: T0 + 60 * MINUTE })],
      ['whistle', gridCase('whistle', { whistle: whistled(null) })],
    ]);
    const alarms = new TimedLooks(caseAlarm, sameAlarm);
    for (const [id, view] of views) alarms.draw(id, view, T0);
    expect(alarms.flipped(views, T0 + 5 * MINUTE)).toEqual([]);
    expect(alarms.flipped(views, T0 + 35 * MINUTE).sort()).toEqual(['soon', 'whistle']);
  });

  it('counts a case late when overdue or its whistle is late', () => {
    expect(isLate({ overdue: false, whistleLate: false })).toBe(false);
    expect(isLate({ overdue: true, whistleLate: false })).toBe(true);
    expect(isLate({ overdue: false, whistleLate: true })).toBe(true);
  });
});
