import { describe, expect, it } from 'vitest';
import type { Whistle } from '../contract/live.ts';
import { alarmKey, canAcknowledge, holdingConditions, reconcile, type AlarmFacts } from './alarms.ts';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const MIN = 60_000;
const HERE = { subdistrict: '110102012', lon: 116.38, lat: 39.93 };

function facts(parts: Partial<AlarmFacts> = {}): AlarmFacts {
  return { incidents: [], whistles: [], units: [], ...parts };
}

describe('holdingConditions', () => {
  it('holds for severity I and II incidents until contained, with I the most urgent', () => {
    const held = holdingConditions(
      facts({
        incidents: [
          { id: 'I-1', severity: 1, state: 'reported', ...HERE },
          { id: 'I-2', severity: 2, state: 'responding', ...HERE },
          { id: 'I-3', severity: 3, state: 'reported', ...HERE },
          { id: 'I-4', severity: 1, state: 'contained', ...HERE },
        ],
      }),
      NOW,
      5 * MIN,
    );
    expect(held.map((c) => [c.subject, c.priority])).toEqual([['I-1', 1], ['I-2', 2]]);
    expect(held[0]).toMatchObject({ kind: 'severe_incident', ...HERE });
  });

  it('holds for a whistle past its deadline with a department missing, on a case not closed', () => {
    const late: Whistle = { blownAt: NOW - 40 * MIN, deadlineAt: NOW - 10 * MIN, departments: [{ name: '城管', reportedAt: null }] };
    const answered: Whistle = { ...late, departments: [{ name: '城管', reportedAt: NOW - 20 * MIN }] };
    const running: Whistle = { ...late, deadlineAt: NOW + MIN };
    const held = holdingConditions(
      facts({
        whistles: [
          { caseId: 'c:1', state: 'in_progress', whistle: late, ...HERE },
          { caseId: 'c:2', state: 'in_progress', whistle: answered, ...HERE },
          { caseId: 'c:3', state: 'in_progress', whistle: running, ...HERE },
          { caseId: 'c:4', state: 'closed', whistle: late, ...HERE },
        ],
      }),
      NOW,
      5 * MIN,
    );
    expect(held.map((c) => [c.kind, c.subject, c.priority])).toEqual([['whistle_overdue', 'c:1', 3]]);
  });

  it('holds for a volunteer on scene whose position stopped coming, counted from arrival or the last fix', () => {
    const held = holdingConditions(
      facts({
        units: [
          { id: 'silent', status: 'on_scene', positionAt: NOW - 6 * MIN, statusAt: NOW - 20 * MIN, ...HERE },
          { id: 'reporting', status: 'on_scene', positionAt: NOW - MIN, statusAt: NOW - 20 * MIN, ...HERE },
          { id: 'just-arrived', status: 'on_scene', positionAt: NOW - 30 * MIN, statusAt: NOW - MIN, ...HERE },
          { id: 'never-fixed', status: 'on_scene', positionAt: null, statusAt: NOW - 6 * MIN, ...HERE },
          { id: 'en-route', status: 'en_route', positionAt: NOW - 60 * MIN, statusAt: NOW - 60 * MIN, ...HERE },
        ],
      }),
      NOW,
      5 * MIN,
    );
    expect(held.map((c) => [c.kind, c.subject])).toEqual([['silent_on_scene', 'silent'], ['silent_on_scene', 'never-fixed']]);
  });
});

describe('reconcile', () => {
  const severe = { kind: 'severe_incident' as const, subject: 'I-1', priority: 1 as const, ...HERE };
  const silent = { kind: 'silent_on_scene' as const, subject: 'V-1', priority: 2 as const, ...HERE };

  it('raises what starts to hold and clears what stopped, leaving acknowledged ones be', () => {
    const open = [
      { id: '1', kind: 'severe_incident' as const, subject: 'I-1', state: 'acknowledged' as const },
      { id: '2', kind: 'whistle_overdue' as const, subject: 'c:1', state: 'active' as const },
    ];
    const { raise, clear } = reconcile(open, [severe, silent]);
    expect(raise).toEqual([silent]);
    expect(clear.map((a) => a.id)).toEqual(['2']);
  });

  it('raises anew a condition that returns after its alarm cleared', () => {
    const open = [{ id: '1', kind: 'severe_incident' as const, subject: 'I-1', state: 'cleared' as const }];
    expect(reconcile(open, [severe]).raise).toEqual([severe]);
    expect(alarmKey(severe)).toBe('severe_incident:I-1');
  });

  it('acknowledges only an active alarm', () => {
    expect(canAcknowledge({ state: 'active' })).toBe(true);
    expect(canAcknowledge({ state: 'acknowledged' })).toBe(false);
    expect(canAcknowledge({ state: 'cleared' })).toBe(false);
  });
});
