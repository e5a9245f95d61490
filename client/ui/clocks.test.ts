/**
 * The clocks panel's selections: which incidents, whistles and cases it shows, in which order,
 * with which clock, and when the measured response time is "not measured yet".
 */
import { describe, expect, it } from 'vitest';
import type { ResponseTimeRow, ResponseTimes } from '../../server/contract/dispatch.ts';
import type { CaseView, IncidentView } from '../../server/contract/live.ts';
import { activeWhistles, fill, formatClock, incidentClockRows, medicalResponse, overdueCaseCount } from './clocks.ts';

const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function incident(id: string, fields: Partial<IncidentView> = {}): IncidentView {
  return {
    id,
    seq: 1,
    kind: 'fire',
    severity: 3,
    state: 'reported',
    lon: 116.37,
    lat: 39.93,
    reportedAt: T0,
    updatedAt: T0,
    dispatchedAt: null,
    onSceneAt: null,
    closedAt: null,
    teams: [],
    subdistrict: '110102010',
    cell: null,
    outside: false,
    ...fields,
  };
}

function gridCase(id: string, fields: Partial<CaseView> = {}): CaseView {
  return {
    id,
    seq: 1,
    source: 'hotline',
    category: 'parking',
    state: 'reported',
    urgency: 'urgent',
    lon: 116.38,
    lat: 39.94,
    reportedAt: T0,
    updatedAt: T0,
    deadlineAt: T0 + 2 * HOUR,
    resolvedAt: null,
    whistle: null,
    subdistrict: '110102012',
    cell: null,
    outside: false,
    ...fields,
  };
}

describe('incident clocks', () => {
  it('times each stage against its target and counts only teams that took the job', () => {
    const rows = incidentClockRows(
      [
        incident('waiting'),
        incident('sent', {
          dispatchedAt: T0 + MINUTE,
          teams: [
            { team: 'A', state: 'en_route' },
            { team: 'B', state: 'offered' },
          ],
        }),
        incident('there', { dispatchedAt: T0 + MINUTE, onSceneAt: T0 + 6 * MINUTE, teams: [{ team: 'A', state: 'on_scene' }] }),
      ],
      T0 + 3 * MINUTE,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('waiting')).toMatchObject({ stage: 'awaiting_dispatch', elapsedMs: 3 * MINUTE, targetMs: 2 * MINUTE, late: true, teams: 0 });
    expect(byId.get('sent')).toMatchObject({ stage: 'dispatched', elapsedMs: 3 * MINUTE, targetMs: 8 * MINUTE, late: false, teams: 1 });
    // On scene the clock stops at the response time, whatever `now` says.
    expect(byId.get('there')).toMatchObject({ stage: 'on_scene', elapsedMs: 6 * MINUTE, late: false, teams: 1 });
  });

  it('leaves closed incidents out', () => {
    expect(incidentClockRows([incident('done', { closedAt: T0 + MINUTE })], T0 + 2 * MINUTE)).toEqual([]);
  });

  it('puts the most severe first, then the late, then the oldest', () => {
    const now = T0 + 5 * MINUTE;
    const rows = incidentClockRows(
      [
        incident('iv-old', { severity: 4, reportedAt: T0 - HOUR }),
        incident('iii-on-time-old', { severity: 3, reportedAt: T0, dispatchedAt: T0 }),
        incident('iii-late-new', { severity: 3, reportedAt: T0 + MINUTE }),
        incident('iii-on-time-new', { severity: 3, reportedAt: T0 + MINUTE, dispatchedAt: T0 + MINUTE }),
        incident('i-new', { severity: 1, reportedAt: now }),
      ],
      now,
    );
    expect(rows.map((r) => r.id)).toEqual(['i-new', 'iii-late-new', 'iii-on-time-old', 'iii-on-time-new', 'iv-old']);
  });
});

describe('whistles (吹哨报到)', () => {
  const whistle = (deadlineAt: number, reported: Record<string, number | null>): CaseView['whistle'] => ({
    blownAt: deadlineAt - 30 * MINUTE,
    deadlineAt,
    departments: Object.entries(reported).map(([name, reportedAt]) => ({ name, reportedAt })),
  });

  it('counts down to the deadline and names who is still missing', () => {
    const now = T0 + 10 * MINUTE;
    const [row] = activeWhistles([gridCase('c1', { whistle: whistle(T0 + 30 * MINUTE, { 城管: now, 交通: null }) })], now);
    expect(row).toEqual({ caseId: 'c1', category: 'parking', subdistrict: '110102012', remainingMs: 20 * MINUTE, missing: ['交通'], late: false });
  });

  it('flags a whistle whose deadline passed with a department missing, and puts it first', () => {
    const now = T0 + 40 * MINUTE;
    const rows = activeWhistles(
      [
        gridCase('soon', { whistle: whistle(T0 + 45 * MINUTE, { 城管: null }) }),
        gridCase('late', { whistle: whistle(T0 + 30 * MINUTE, { 交通: null }) }),
      ],
      now,
    );
    expect(rows.map((r) => [r.caseId, r.late, r.remainingMs])).toEqual([
      ['late', true, -10 * MINUTE],
      ['soon', false, 5 * MINUTE],
    ]);
  });

  it('drops whistles every department answered, cases without one and resolved cases', () => {
    const now = T0 + 40 * MINUTE;
    const rows = activeWhistles(
      [
        gridCase('answered', { whistle: whistle(T0 + 30 * MINUTE, { 城管: T0 + 20 * MINUTE }) }),
        gridCase('none'),
        gridCase('resolved', { resolvedAt: T0 + 35 * MINUTE, whistle: whistle(T0 + 30 * MINUTE, { 城管: null }) }),
      ],
      now,
    );
    expect(rows).toEqual([]);
  });
});

describe('overdue cases', () => {
  it('counts unresolved cases past their deadline only', () => {
    const cases = [
      gridCase('past', { deadlineAt: T0 + HOUR }),
      gridCase('future', { deadlineAt: T0 + 3 * HOUR }),
      gridCase('resolved-late', { deadlineAt: T0 + HOUR, resolvedAt: T0 + 90 * MINUTE, state: 'resolved' }),
    ];
    expect(overdueCaseCount(cases, T0 + 2 * HOUR)).toBe(1);
    expect(overdueCaseCount(cases, T0 + 4 * HOUR)).toBe(2);
  });
});

describe('measured medical response', () => {
  const row = (fields: Partial<ResponseTimeRow>): ResponseTimeRow => ({
    kind: 'medical',
    subdistrict: null,
    incidents: 12,
    measured: 10,
    averageSeconds: 402,
    averageDispatchSeconds: 60,
    targetSeconds: 480,
    ...fields,
  });
  const times = (rows: ResponseTimeRow[]): ResponseTimes => ({ from: '2026-01-01T00:00:00Z', to: '2026-01-31T00:00:00Z', rows });

  it('reads the district row for medical incidents', () => {
    const answer = times([row({ subdistrict: '110102012', averageSeconds: 900 }), row({ kind: 'fire', averageSeconds: 100 }), row({})]);
    expect(medicalResponse(answer)).toEqual({ averageSeconds: 402, targetSeconds: 480, measured: 10 });
  });

  it('is not measured without an answer, a district row or a measured incident', () => {
    expect(medicalResponse(null)).toBeNull();
    expect(medicalResponse(times([row({ subdistrict: '110102012' })]))).toBeNull();
    expect(medicalResponse(times([row({ measured: 0, averageSeconds: null })]))).toBeNull();
  });
});

describe('formatting', () => {
  it('writes mm:ss, and h:mm:ss from an hour on', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(8 * MINUTE + 5_999)).toBe('08:05');
    expect(formatClock(-(2 * MINUTE + 3_000))).toBe('02:03');
    expect(formatClock(HOUR + 2 * MINUTE + 3_000)).toBe('1:02:03');
  });

  it('fills named placeholders and leaves unknown ones', () => {
    expect(fill('{n} 队', { n: 2 })).toBe('2 队');
    expect(fill('+{n} more {x}', { n: 3 })).toBe('+3 more {x}');
  });
});
