import { describe, expect, it } from 'vitest';
import type { CaseReport, IncidentReport } from '../contract/ingest.ts';
import type { Place } from '../contract/live.ts';
import {
  MAX_CLOCK_SKEW_MS,
  applyCaseReport,
  applyIncidentReport,
  applyPositionReport,
  reportTime,
  type CaseRecord,
  type VolunteerState,
} from './reports.ts';

const inside: Place = { subdistrict: '110102012', cell: '110102012-041-077', outside: false };
const T0 = Date.UTC(2026, 10, 26, 8, 0, 0);

function parkingReport(overrides: Partial<CaseReport> = {}): CaseReport {
  return { sourceId: 'H-1', source: 'hotline', category: 'parking', lon: 116.38, lat: 39.94, ...overrides };
}

function createdCase(): CaseRecord {
  const outcome = applyCaseReport(undefined, parkingReport(), inside, T0);
  if (outcome.kind !== 'created') throw new Error(outcome.kind);
  return outcome.record;
}

describe('reportTime', () => {
  it('defaults to the time of receipt', () => {
    expect(reportTime(undefined, T0)).toBe(T0);
  });
  it('accepts the past and small clock skew, refuses the far future', () => {
    expect(reportTime(new Date(T0 - 3600_000).toISOString(), T0)).toBe(T0 - 3600_000);
    expect(reportTime(new Date(T0 + MAX_CLOCK_SKEW_MS).toISOString(), T0)).toBe(T0 + MAX_CLOCK_SKEW_MS);
    expect(reportTime(new Date(T0 + MAX_CLOCK_SKEW_MS + 1000).toISOString(), T0)).toMatchObject({ problem: 'future' });
  });
  it('names a time that cannot be read, such as a leap second', () => {
    expect(reportTime('2016-12-31T23:59:60Z', T0)).toMatchObject({ problem: 'unparseable' });
  });
});

describe('applyCaseReport', () => {
  it('creates a reported case keyed by source and source id', () => {
    const record = createdCase();
    expect(record).toMatchObject({ id: 'hotline:H-1', state: 'reported', reportedAt: T0, updatedAt: T0, subdistrict: '110102012' });
  });
  it('moves the lifecycle forward and keeps the first report time', () => {
    const outcome = applyCaseReport(createdCase(), parkingReport({ state: 'dispatched' }), inside, T0 + 60_000);
    expect(outcome).toMatchObject({ kind: 'updated', record: { state: 'dispatched', reportedAt: T0, updatedAt: T0 + 60_000 } });
  });
  it('refuses a backward move', () => {
    const dispatched = applyCaseReport(createdCase(), parkingReport({ state: 'dispatched' }), inside, T0 + 1);
    if (dispatched.kind !== 'updated') throw new Error(dispatched.kind);
    const outcome = applyCaseReport(dispatched.record, parkingReport({ state: 'reported' }), inside, T0 + 2);
    expect(outcome.kind).toBe('illegal');
  });
  it('ignores a late report older than the state held', () => {
    const outcome = applyCaseReport(createdCase(), parkingReport({ state: 'closed' }), inside, T0 - 1);
    expect(outcome.kind).toBe('stale');
  });
  it('treats a duplicate as unchanged', () => {
    expect(applyCaseReport(createdCase(), parkingReport(), inside, T0).kind).toBe('unchanged');
    expect(applyCaseReport(createdCase(), parkingReport(), inside, T0 + 5000).kind).toBe('unchanged');
  });
});

describe('applyIncidentReport', () => {
  it('keeps the first time of a response milestone another system reports', () => {
    const fire = { sourceId: 'I-9', kind: 'fire' as const, severity: 3, lon: 116.38, lat: 39.93 };
    const place = { subdistrict: '110102012', cell: null, outside: false };
    const created = applyIncidentReport(undefined, { ...fire, milestone: 'dispatched' }, place, T0);
    if (created.kind !== 'created') throw new Error(created.kind);
    expect(created.record).toMatchObject({ dispatchedAt: T0, onSceneAt: null });
    const arrived = applyIncidentReport(created.record, { ...fire, milestone: 'on_scene' }, place, T0 + 300_000);
    if (arrived.kind !== 'updated') throw new Error(arrived.kind);
    expect(arrived.record).toMatchObject({ dispatchedAt: T0, onSceneAt: T0 + 300_000 });
    const again = applyIncidentReport(arrived.record, { ...fire, milestone: 'on_scene' }, place, T0 + 600_000);
    expect(again.kind).toBe('unchanged');
  });

  const fire: IncidentReport = { sourceId: 'I-1', kind: 'fire', severity: 2, lon: 116.36, lat: 39.91 };
  it('creates, escalates severity, and refuses going back', () => {
    const created = applyIncidentReport(undefined, fire, inside, T0);
    if (created.kind !== 'created') throw new Error(created.kind);
    const worse = applyIncidentReport(created.record, { ...fire, severity: 1, state: 'confirmed' }, inside, T0 + 1);
    expect(worse).toMatchObject({ kind: 'updated', record: { severity: 1, state: 'confirmed' } });
    if (worse.kind !== 'updated') throw new Error(worse.kind);
    expect(applyIncidentReport(worse.record, { ...fire, state: 'reported' }, inside, T0 + 2).kind).toBe('illegal');
  });
});

describe('applyPositionReport', () => {
  const offDuty: VolunteerState = { id: 'V1', status: 'off_duty', lon: null, lat: null, place: inside, positionAt: null };
  it('takes the first position and a legal status change', () => {
    const outcome = applyPositionReport(offDuty, { volunteerId: 'V1', lon: 116.3, lat: 39.9, status: 'available' }, inside, T0);
    expect(outcome).toMatchObject({ kind: 'updated', record: { status: 'available', lon: 116.3, positionAt: T0 } });
  });
  it('refuses an illegal status jump', () => {
    const outcome = applyPositionReport(offDuty, { volunteerId: 'V1', lon: 116.3, lat: 39.9, status: 'on_scene' }, inside, T0);
    expect(outcome.kind).toBe('illegal');
  });
  it('counts a newer report at the same spot as news, an older one as stale', () => {
    const held: VolunteerState = { ...offDuty, status: 'available', lon: 116.3, lat: 39.9, positionAt: T0 };
    const same = { volunteerId: 'V1', lon: 116.3, lat: 39.9 };
    expect(applyPositionReport(held, same, inside, T0).kind).toBe('unchanged');
    expect(applyPositionReport(held, same, inside, T0 + 1000).kind).toBe('updated');
    expect(applyPositionReport(held, same, inside, T0 - 1000).kind).toBe('stale');
  });
  it('takes where a dispatched volunteer is from a feed, but not a new status', () => {
    const assigned: VolunteerState = { ...offDuty, status: 'assigned', lon: 116.3, lat: 39.9, positionAt: T0 };
    const moving = { volunteerId: 'V1', lon: 116.31, lat: 39.9 };
    expect(applyPositionReport(assigned, moving, inside, T0 + 1000, true)).toMatchObject({ kind: 'updated', record: { status: 'assigned', lon: 116.31 } });
    expect(applyPositionReport(assigned, { ...moving, status: 'assigned' }, inside, T0 + 1000, true).kind).toBe('updated');
    expect(applyPositionReport(assigned, { ...moving, status: 'en_route' }, inside, T0 + 1000, true).kind).toBe('dispatched');
    expect(applyPositionReport(assigned, { ...moving, status: 'en_route' }, inside, T0 + 1000, false).kind).toBe('updated');
  });
  it('keeps no position of a volunteer off duty', () => {
    const fix = { volunteerId: 'V1', lon: 116.3, lat: 39.9 };
    expect(applyPositionReport(offDuty, fix, inside, T0).kind).toBe('unchanged');
  });
  it('drops the last position when a volunteer goes off duty, and keeps the time against late reports', () => {
    const held: VolunteerState = { ...offDuty, status: 'available', lon: 116.3, lat: 39.9, positionAt: T0 };
    const home = { volunteerId: 'V1', lon: 116.31, lat: 39.91, status: 'off_duty' as const };
    const outcome = applyPositionReport(held, home, inside, T0 + 60_000);
    expect(outcome).toEqual({
      kind: 'updated',
      record: { id: 'V1', status: 'off_duty', lon: null, lat: null, place: { subdistrict: null, cell: null, outside: false }, positionAt: T0 + 60_000 },
    });
    if (outcome.kind !== 'updated') return;
    const late = { volunteerId: 'V1', lon: 116.3, lat: 39.9, status: 'available' as const };
    expect(applyPositionReport(outcome.record, late, inside, T0 + 30_000).kind).toBe('stale');
  });
});
