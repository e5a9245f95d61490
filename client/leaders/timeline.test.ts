import { describe, expect, it } from 'vitest';
import type { PastChanges, PastSnapshot } from '../../server/store/history.ts';
import { caseView, T0, unitView } from '../live/views.testing.ts';
import { MAX_READ_MS, Timeline } from './timeline.ts';

const MINUTE = 60_000;

function snapshot(parts: Partial<PastSnapshot> = {}): PastSnapshot {
  return { at: T0, cases: [], incidents: [], units: [], unitsKept: true, ...parts };
}

function read(from: number, until: number, changes: PastChanges['changes']): PastChanges {
  return { from, until, changes, unitsKept: true };
}

describe('Timeline', () => {
  it('shows the snapshot’s district at its moment, on a clock that is the replay’s', () => {
    const timeline = new Timeline(0);
    timeline.begin(snapshot({ cases: [caseView('c-1', 900)], units: [unitView('v-1', 950)] }));
    expect(timeline.clock).toBe(T0);
    expect(timeline.state.serverNow()).toBe(T0);
    expect([...timeline.state.cases.keys()]).toEqual(['c-1']);
    expect(timeline.state.units.get('v-1')?.status).toBe('available');
    expect(timeline.state.drain('cases').add).toEqual(['c-1']);
  });

  it('applies each change when the clock reaches it, never before, and never passes what was read', () => {
    const timeline = new Timeline(0);
    timeline.begin(snapshot());
    const later = caseView('c-2', 1000, { reportedAt: T0 + 2 * MINUTE, updatedAt: T0 + 2 * MINUTE });
    expect(timeline.receive(read(T0, T0 + 5 * MINUTE, [{ at: T0 + 2 * MINUTE, change: { kind: 'case', seq: 1000, created: true, value: later } }]))).toBe(true);
    expect(timeline.advance(T0 + MINUTE)).toBe('moved');
    expect(timeline.state.cases.has('c-2')).toBe(false);
    expect(timeline.advance(T0 + 3 * MINUTE)).toBe('moved');
    expect(timeline.state.cases.has('c-2')).toBe(true);
    expect(timeline.advance(T0 + 9 * MINUTE)).toBe('waiting');
    expect(timeline.clock).toBe(T0 + 5 * MINUTE);
    expect(timeline.state.serverNow()).toBe(T0 + 5 * MINUTE);
  });

  it('takes a status move that carries the same stream seq as the position before it', () => {
    // The history gives a status move the view of the unit's last position, seq and all.
    const timeline = new Timeline(0);
    timeline.begin(snapshot({ units: [unitView('v-1', 500)] }));
    const moved = unitView('v-1', 500, { status: 'en_route' });
    timeline.receive(read(T0, T0 + MINUTE, [{ at: T0 + 30_000, change: { kind: 'unit', seq: 500, created: false, value: moved } }]));
    timeline.advance(T0 + MINUTE);
    expect(timeline.state.units.get('v-1')?.status).toBe('en_route');
  });

  it('takes a case off the map when the clock passes its closing', () => {
    const timeline = new Timeline(0);
    timeline.begin(snapshot({ cases: [caseView('c-1', 10)] }));
    timeline.state.drain('cases');
    const closed = caseView('c-1', 20, { state: 'closed', updatedAt: T0 + MINUTE });
    timeline.receive(read(T0, T0 + 2 * MINUTE, [{ at: T0 + MINUTE, change: { kind: 'case', seq: 20, created: false, value: closed } }]));
    timeline.advance(T0 + 2 * MINUTE);
    expect(timeline.state.cases.has('c-1')).toBe(false);
    expect(timeline.state.drain('cases').remove).toEqual(['c-1']);
  });

  it('ignores a read for a span it no longer waits for (one begun before a seek)', () => {
    const timeline = new Timeline(0);
    timeline.begin(snapshot());
    const stale = read(T0 - 10 * MINUTE, T0, [{ at: T0 - MINUTE, change: { kind: 'case', seq: 1, created: true, value: caseView('c-9', 1) } }]);
    expect(timeline.receive(stale)).toBe(false);
    expect(timeline.readUntil).toBe(T0);
    timeline.advance(T0 + MINUTE);
    expect(timeline.state.cases.size).toBe(0);
  });

  it('reads ahead of the clock up to the present, an hour at most a read', () => {
    const timeline = new Timeline(0);
    timeline.begin(snapshot());
    expect(timeline.nextRead(3 * 60 * MINUTE, T0 + 10 * 60 * MINUTE)).toEqual({ from: T0, to: T0 + MAX_READ_MS });
    expect(timeline.nextRead(10 * MINUTE, T0 + 5 * MINUTE)).toEqual({ from: T0, to: T0 + 5 * MINUTE });
    timeline.receive(read(T0, T0 + 5 * MINUTE, []));
    expect(timeline.nextRead(10 * MINUTE, T0 + 5 * MINUTE)).toBeNull();
  });

  it('a new snapshot drops what was read ahead of the old moment', () => {
    const timeline = new Timeline(0);
    timeline.begin(snapshot());
    timeline.receive(read(T0, T0 + 5 * MINUTE, [{ at: T0 + MINUTE, change: { kind: 'case', seq: 1, created: true, value: caseView('c-1', 1) } }]));
    timeline.begin(snapshot({ at: T0 - 60 * MINUTE }));
    expect(timeline.readUntil).toBe(T0 - 60 * MINUTE);
    timeline.receive(read(T0 - 60 * MINUTE, T0 + 5 * MINUTE, []));
    timeline.advance(T0 + 5 * MINUTE);
    expect(timeline.state.cases.size).toBe(0);
  });
});
