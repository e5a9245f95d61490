import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../server/contract/live.ts';
import { alarmedSubjects, attentionOrder, cueDue, isFlashing, newlyActive, soundingPriority } from './alarms.ts';

const T0 = Date.parse('2026-11-26T10:00:00Z');

function alarm(id: string, priority: AlarmView['priority'], state: AlarmView['state'] = 'active', raisedAt = T0): AlarmView {
  return { id, kind: 'severe_incident', subject: `I-${id}`, priority, state, subdistrict: null, lon: 116.38, lat: 39.93, raisedAt, acknowledgedAt: null, acknowledgedBy: null, clearedAt: null, seq: 1 };
}

describe('alarms on the wall', () => {
  it('lists active alarms first, most urgent then newest, and leaves cleared ones out', () => {
    const list = [alarm('a', 3), alarm('b', 1, 'acknowledged'), alarm('c', 2, 'active', T0 + 1), alarm('d', 2), alarm('e', 1, 'cleared')];
    expect(attentionOrder(list).map((a) => a.id)).toEqual(['c', 'd', 'a', 'b']);
  });

  it('flashes while any alarm is active', () => {
    expect(isFlashing([alarm('a', 1, 'acknowledged')])).toBe(false);
    expect(isFlashing([alarm('a', 1, 'acknowledged'), alarm('b', 3)])).toBe(true);
  });

  it('sounds the most urgent active alarm unless muted, and a new one through a mute', () => {
    const alarms = [alarm('a', 2), alarm('b', 3), alarm('c', 1, 'acknowledged')];
    expect(soundingPriority(alarms, null, T0)).toBe(2);
    const mute = { since: T0 + 1000, until: T0 + 5 * 60_000 };
    expect(soundingPriority(alarms, mute, T0 + 2000)).toBeNull();
    expect(soundingPriority([...alarms, alarm('d', 3, 'active', T0 + 3000)], mute, T0 + 4000)).toBe(3);
    expect(soundingPriority(alarms, mute, T0 + 5 * 60_000)).toBe(2);
  });

  it('repeats a cue at the priority’s interval', () => {
    expect(cueDue(1, null, T0)).toBe(true);
    expect(cueDue(1, T0, T0 + 3999)).toBe(false);
    expect(cueDue(1, T0, T0 + 4000)).toBe(true);
    expect(cueDue(3, T0, T0 + 19_999)).toBe(false);
    expect(cueDue(null, null, T0)).toBe(false);
  });

  it('points the camera at alarms that just became active', () => {
    const alarms = [alarm('a', 2), alarm('b', 1), alarm('c', 1, 'acknowledged')];
    expect(newlyActive(alarms, new Set(['a'])).map((a) => a.id)).toEqual(['b']);
  });

  it('names the units and cases that open alarms are about, to keep them out of clusters', () => {
    const silent = { ...alarm('a', 2), kind: 'silent_on_scene' as const, subject: 'V-1' };
    const whistle = { ...alarm('b', 3, 'acknowledged'), kind: 'whistle_overdue' as const, subject: 'hotline:1' };
    const gone = { ...alarm('c', 2, 'cleared'), kind: 'silent_on_scene' as const, subject: 'V-2' };
    expect(alarmedSubjects([silent, whistle, gone, alarm('d', 1)])).toEqual({ units: new Set(['V-1']), cases: new Set(['hotline:1']) });
  });
});
