/**
 * LiveState against the ordering rules of server/contract/live.ts: views and messages built as
 * the server sends them, applied through the public API only.
 */
import { describe, expect, it } from 'vitest';
import type {
  AlarmView,
  CaseView,
  Change,
  IncidentView,
  PositionFrame,
  Snapshot,
  SyncResult,
  UnitView,
} from '../../server/contract/live.ts';
import { LiveState, MAX_EVENTS } from './LiveState.ts';
import { OUTSIDE, tallyBySubdistrict } from './tally.ts';
import { caseView, incidentView, T0, unitView } from './views.testing.ts';

const SHICHAHAI = '110102012';
const DESHENG = '110102010';
function caseChange(value: CaseView, created = false): Change {
  return { kind: 'case', seq: value.seq, created, value };
}

function snapshot(seq: number, parts: Partial<Snapshot> = {}): SyncResult {
  return {
    ok: true,
    mode: 'snapshot',
    snapshot: {
      seq,
      at: T0,
      status: { simulated: true, store: 'pglite', storeAvailable: true },
      cases: [],
      incidents: [],
      units: [],
      alarms: [],
      ...parts,
    },
  };
}

function changesSince(seq: number, changes: Change[], units: UnitView[] = []): SyncResult {
  return { ok: true, mode: 'changes', seq, changes, units };
}

function synced(result: SyncResult): LiveState {
  const state = new LiveState(() => T0);
  state.beginSync();
  state.applySync(result);
  return state;
}

describe('LiveState sync', () => {
  it('asks for a fresh snapshot first, then for what came after the last applied seq', () => {
    const state = new LiveState();
    expect(state.beginSync()).toEqual({ since: null });
    state.applySync(snapshot(41));
    expect(state.beginSync()).toEqual({ since: 41 });
  });

  it('loads a snapshot and leaves closed items off the map', () => {
    const state = synced(
      snapshot(10, {
        cases: [caseView('c1', 3), caseView('c2', 4, { state: 'closed' })],
        incidents: [incidentView('i1', 5)],
        units: [unitView('u1', 6)],
      }),
    );
    expect(state.seq).toBe(10);
    expect(state.status).toEqual({ simulated: true, store: 'pglite', storeAvailable: true });
    expect([...state.cases.keys()]).toEqual(['c1']);
    expect(state.drain('cases')).toEqual({ add: ['c1'], update: [], remove: [] });
    expect(state.drain('incidents').add).toEqual(['i1']);
    expect(state.drain('units').add).toEqual(['u1']);
  });

  it('replaces everything with a later snapshot', () => {
    const state = synced(snapshot(10, { cases: [caseView('c1', 3), caseView('c2', 4)] }));
    state.drain('cases');
    state.beginSync();
    state.applySync(snapshot(20, { cases: [caseView('c2', 15, { state: 'dispatched' }), caseView('c3', 16)] }));
    expect(state.seq).toBe(20);
    expect([...state.cases.keys()].sort()).toEqual(['c2', 'c3']);
    const diff = state.drain('cases');
    expect(diff.remove).toEqual(['c1']);
    expect(diff.update).toEqual(['c2']);
    expect(diff.add).toEqual(['c3']);
  });

  it('applies missed changes and the units that moved meanwhile', () => {
    const state = synced(snapshot(10, { units: [unitView('u1', 5)] }));
    state.beginSync();
    const moved = unitView('u1', 5, { lon: 116.4, at: T0 + 60_000 });
    state.applySync(changesSince(14, [caseChange(caseView('c1', 12), true)], [moved]));
    expect(state.seq).toBe(14);
    expect(state.cases.get('c1')?.seq).toBe(12);
    expect(state.units.get('u1')?.lon).toBe(116.4);
  });

  it('starts again from a snapshot when the server sequence restarted', () => {
    const state = synced(snapshot(500, { cases: [caseView('c1', 400)] }));
    state.beginSync();
    expect(state.applySync(changesSince(20, []))).toBe('gap');
    expect(state.beginSync()).toEqual({ since: null });
    state.applySync(snapshot(21, { cases: [caseView('c7', 3)] }));
    expect([...state.cases.keys()]).toEqual(['c7']);
    expect(state.seq).toBe(21);
  });

  it('keeps buffering when a sync fails, so the retry loses nothing', () => {
    const state = synced(snapshot(10));
    state.beginSync();
    expect(state.applyChange(caseChange(caseView('c1', 11), true))).toBe('buffered');
    expect(state.applySync({ ok: false, error: { code: 'busy', message: 'try again' } })).toBe('failed');
    expect(state.isSyncing).toBe(true);
    expect(state.applySync(changesSince(10, []))).toBe('applied');
    expect(state.cases.has('c1')).toBe(true);
    expect(state.seq).toBe(11);
  });
});

describe('LiveState ordering', () => {
  it('applies the next change and advances seq', () => {
    const state = synced(snapshot(10));
    expect(state.applyChange(caseChange(caseView('c1', 11), true))).toBe('applied');
    expect(state.seq).toBe(11);
    expect(state.drain('cases').add).toEqual(['c1']);
  });

  it('treats a duplicate as a no-op', () => {
    const state = synced(snapshot(10));
    const change = caseChange(caseView('c1', 11), true);
    state.applyChange(change);
    state.drain('cases');
    const eventsBefore = state.events.length;
    expect(state.applyChange(change)).toBe('stale');
    expect(state.seq).toBe(11);
    expect(state.drain('cases')).toEqual({ add: [], update: [], remove: [] });
    expect(state.events.length).toBe(eventsBefore);
  });

  it('ignores an older view after a newer one', () => {
    const state = synced(snapshot(10));
    state.applyChange(caseChange(caseView('c1', 11, { state: 'reported' }), true));
    state.applyChange(caseChange(caseView('c1', 12, { state: 'dispatched' })));
    expect(state.applyChange(caseChange(caseView('c1', 11, { state: 'reported' })))).toBe('stale');
    expect(state.cases.get('c1')?.state).toBe('dispatched');
  });

  it('ignores an older view inside a catch-up batch', () => {
    const state = synced(snapshot(10, { cases: [caseView('c1', 9, { state: 'in_progress' })] }));
    state.beginSync();
    state.applySync(changesSince(12, [caseChange(caseView('c1', 8, { state: 'reported' }))]));
    expect(state.cases.get('c1')?.state).toBe('in_progress');
  });

  it('detects a gap, holds the message, and replays it after the sync', () => {
    const state = synced(snapshot(10));
    const ahead = caseChange(caseView('c2', 13), true);
    expect(state.applyChange(ahead)).toBe('gap');
    expect(state.cases.has('c2')).toBe(false);
    expect(state.seq).toBe(10);
    expect(state.beginSync()).toEqual({ since: 10 });
    // Arrives while the sync is in flight, after what the sync will return.
    expect(state.applyChange(caseChange(caseView('c3', 14), true))).toBe('buffered');
    const missed = [caseChange(caseView('c1', 11), true), caseChange(caseView('c9', 12), true)];
    expect(state.applySync(changesSince(12, missed))).toBe('applied');
    expect([...state.cases.keys()].sort()).toEqual(['c1', 'c2', 'c3', 'c9']);
    expect(state.seq).toBe(14);
  });

  it('reports a second gap found while replaying the buffer', () => {
    const state = synced(snapshot(10));
    state.applyChange(caseChange(caseView('c5', 20), true));
    state.beginSync();
    expect(state.applySync(changesSince(15, []))).toBe('gap');
    expect(state.seq).toBe(15);
    expect(state.beginSync()).toEqual({ since: 15 });
    expect(state.applySync(changesSince(19, []))).toBe('applied');
    expect(state.cases.has('c5')).toBe(true);
  });

  it('asks for a sync before anything is known', () => {
    const state = new LiveState();
    expect(state.applyChange(caseChange(caseView('c1', 1), true))).toBe('gap');
  });
});

describe('LiveState map layers', () => {
  it('removes closed cases and incidents from their layers', () => {
    const state = synced(snapshot(10, { cases: [caseView('c1', 3)], incidents: [incidentView('i1', 4)] }));
    state.drain('cases');
    state.drain('incidents');
    state.applyChange(caseChange(caseView('c1', 11, { state: 'closed' })));
    state.applyChange({ kind: 'incident', seq: 12, created: false, value: incidentView('i1', 12, { state: 'closed' }) });
    expect(state.drain('cases')).toEqual({ add: [], update: [], remove: ['c1'] });
    expect(state.drain('incidents')).toEqual({ add: [], update: [], remove: ['i1'] });
    expect(state.cases.size + state.incidents.size).toBe(0);
  });

  it('never removes what the layer never showed', () => {
    const state = synced(snapshot(10));
    state.applyChange(caseChange(caseView('c1', 11), true));
    state.applyChange(caseChange(caseView('c1', 12, { state: 'closed' })));
    expect(state.drain('cases')).toEqual({ add: [], update: [], remove: [] });
  });

  it('moves units with position frames, never backwards in time', () => {
    const state = synced(snapshot(10, { units: [unitView('u1', 5), unitView('u2', 6)] }));
    state.drain('units');
    const frame: PositionFrame = {
      fromSeq: 11,
      toSeq: 13,
      units: [
        ['u1', 116.39, 39.95, T0 + 5_000, DESHENG],
        ['u2', 116.3, 39.9, T0 - 5_000, SHICHAHAI],
        ['ghost', 116.3, 39.9, T0 + 5_000, SHICHAHAI],
      ],
    };
    expect(state.applyFrame(frame)).toBe('applied');
    expect(state.seq).toBe(13);
    expect(state.units.get('u1')).toMatchObject({ lon: 116.39, lat: 39.95, subdistrict: DESHENG });
    expect(state.units.get('u2')?.lon).toBe(116.36);
    expect(state.units.has('ghost')).toBe(false);
    expect(state.drain('units')).toEqual({ add: [], update: ['u1'], remove: [] });
  });

  it('detects a gap before a position frame', () => {
    const state = synced(snapshot(10, { units: [unitView('u1', 5)] }));
    expect(state.applyFrame({ fromSeq: 12, toSeq: 12, units: [['u1', 116.3, 39.9, T0 + 1, null]] })).toBe('gap');
    expect(state.units.get('u1')?.lon).toBe(116.36);
  });

  it('keeps a newer frame position when a unit status change carries an older one', () => {
    const state = synced(snapshot(10, { units: [unitView('u1', 5)] }));
    state.applyFrame({ fromSeq: 11, toSeq: 11, units: [['u1', 116.4, 39.95, T0 + 9_000, DESHENG]] });
    const statusChange = unitView('u1', 12, { status: 'en_route', at: T0 });
    state.applyChange({ kind: 'unit', seq: 12, created: false, value: statusChange });
    expect(state.units.get('u1')).toMatchObject({ status: 'en_route', lon: 116.4, at: T0 + 9_000 });
  });

  it('takes off-duty volunteers and those without a position off the map', () => {
    const state = synced(snapshot(10, { units: [unitView('u1', 5), unitView('u2', 6, { lon: null, lat: null, at: null })] }));
    expect(state.drain('units')).toEqual({ add: ['u1'], update: [], remove: [] });
    state.applyChange({ kind: 'unit', seq: 11, created: false, value: unitView('u1', 11, { status: 'off_duty' }) });
    expect(state.drain('units')).toEqual({ add: [], update: [], remove: ['u1'] });
    expect(state.units.size).toBe(2);
  });

  it('adds every shown feature again after a layer restarts', () => {
    const state = synced(snapshot(10, { cases: [caseView('c1', 3), caseView('c2', 4)] }));
    state.drain('cases');
    state.restartLayer('cases');
    expect(state.drain('cases').add.sort()).toEqual(['c1', 'c2']);
    expect(state.shownCount('cases')).toBe(2);
  });

  it('keeps what waits for a drain bounded when no map drains the layer, and loses nothing by it', () => {
    const state = synced(snapshot(10));
    let seq = 10;
    for (let n = 0; n < 5_000; n++) {
      state.applyChange(caseChange(caseView(`c${n}`, ++seq), true));
      state.applyChange(caseChange(caseView(`c${n}`, ++seq, { state: 'closed' })));
    }
    state.applyChange(caseChange(caseView('open', ++seq), true));
    expect(state.pendingCount('cases')).toBeLessThan(1_100);
    expect(state.drain('cases')).toEqual({ add: ['open'], update: [], remove: [] });
  });
});

describe('LiveState layer update times', () => {
  it('stamps every layer with the snapshot, then each layer with the server time of its own changes', () => {
    let local = T0 - 2_000;
    const state = new LiveState(() => local);
    expect(state.updatedAt).toEqual({ cases: null, incidents: null, units: null });
    state.beginSync();
    // The snapshot's `at` is the server's clock: two seconds ahead of this screen's.
    state.applySync(snapshot(10, { units: [unitView('u1', 5)] }));
    expect(state.updatedAt).toEqual({ cases: T0, incidents: T0, units: T0 });
    local += 5_000;
    state.applyChange(caseChange(caseView('c1', 11), true));
    expect(state.updatedAt).toEqual({ cases: T0 + 5_000, incidents: T0, units: T0 });
    local += 1_000;
    state.applyFrame({ fromSeq: 12, toSeq: 12, units: [['u1', 116.3, 39.9, T0 + 6_000, SHICHAHAI]] });
    expect(state.updatedAt).toEqual({ cases: T0 + 5_000, incidents: T0, units: T0 + 6_000 });
  });

  it('leaves the time of a layer alone when nothing on it changed', () => {
    let local = T0;
    const state = new LiveState(() => local);
    state.beginSync();
    state.applySync(snapshot(10, { units: [unitView('u1', 5, { at: T0 })] }));
    local += 3_000;
    // A duplicate and an older position change nothing.
    state.applyFrame({ fromSeq: 11, toSeq: 11, units: [['u1', 116.3, 39.9, T0 - 1_000, SHICHAHAI]] });
    state.applyFrame({ fromSeq: 11, toSeq: 11, units: [['u1', 116.3, 39.9, T0 + 1_000, SHICHAHAI]] });
    expect(state.updatedAt.units).toBe(T0);
    state.applyFrame({ fromSeq: 12, toSeq: 12, units: [], gone: [{ kind: 'unit', id: 'u1' }] });
    expect(state.updatedAt).toEqual({ cases: T0, incidents: T0, units: T0 + 3_000 });
  });
});

describe('LiveState in a subdistrict-scoped stream', () => {
  it('adds a unit that arrived with its whole view, and moves it with later frames', () => {
    const state = synced(snapshot(10, { units: [unitView('u1', 5)] }));
    state.drain('units');
    const walkedIn = unitView('u2', 8, { status: 'en_route', subdistrict: SHICHAHAI, at: T0 + 1_000 });
    expect(state.applyFrame({ fromSeq: 11, toSeq: 14, units: [], arrived: [walkedIn] })).toBe('applied');
    expect(state.seq).toBe(14);
    expect(state.units.get('u2')).toEqual(walkedIn);
    expect(state.drain('units')).toEqual({ add: ['u2'], update: [], remove: [] });
    // Walking in is not news for the ticker.
    expect(state.events).toEqual([]);
    state.applyFrame({ fromSeq: 15, toSeq: 15, units: [['u2', 116.39, 39.95, T0 + 2_000, SHICHAHAI]] });
    expect(state.units.get('u2')).toMatchObject({ lon: 116.39, lat: 39.95, status: 'en_route' });
  });

  it('applies an arrival like a unit change: newer status told, older view ignored but for a newer position', () => {
    const state = synced(snapshot(10, { units: [unitView('u1', 5, { at: T0 })] }));
    state.applyFrame({ fromSeq: 11, toSeq: 11, units: [], arrived: [unitView('u1', 9, { status: 'assigned', at: T0 + 1_000 })] });
    expect(state.units.get('u1')?.status).toBe('assigned');
    expect(state.events.map((e) => [e.kind, e.seq, e.value.id])).toEqual([['unit', 11, 'u1']]);
    state.applyFrame({ fromSeq: 12, toSeq: 12, units: [], arrived: [unitView('u1', 7, { status: 'available', lon: 116.3, at: T0 + 5_000 })] });
    expect(state.units.get('u1')).toMatchObject({ status: 'assigned', lon: 116.3, at: T0 + 5_000 });
    expect(state.events.length).toBe(1);
  });

  it('drops what is gone from the state and its layers, and tells the ticker nothing', () => {
    const state = synced(
      snapshot(10, { cases: [caseView('c1', 3)], incidents: [incidentView('i1', 4)], units: [unitView('u1', 5), unitView('u2', 6)] }),
    );
    for (const layer of ['cases', 'incidents', 'units'] as const) state.drain(layer);
    const told = state.events.map((e) => e.serial);
    const frame: PositionFrame = {
      fromSeq: 11,
      toSeq: 16,
      units: [['u2', 116.39, 39.95, T0 + 5_000, SHICHAHAI]],
      gone: [
        { kind: 'case', id: 'c1' },
        { kind: 'incident', id: 'i1' },
        { kind: 'unit', id: 'u1' },
        { kind: 'unit', id: 'never-seen' },
      ],
    };
    expect(state.applyFrame(frame)).toBe('applied');
    expect(state.seq).toBe(16);
    expect([state.cases.size, state.incidents.size, [...state.units.keys()]]).toEqual([0, 0, ['u2']]);
    expect(state.drain('cases')).toEqual({ add: [], update: [], remove: ['c1'] });
    expect(state.drain('incidents')).toEqual({ add: [], update: [], remove: ['i1'] });
    expect(state.drain('units')).toEqual({ add: [], update: ['u2'], remove: ['u1'] });
    expect(state.events.map((e) => e.serial)).toEqual(told);
    expect(tallyBySubdistrict(state).get(DESHENG)).toBeUndefined();
  });

  it('lets a unit that left come back with a later arrival', () => {
    const state = synced(snapshot(10, { units: [unitView('u1', 5)] }));
    state.applyFrame({ fromSeq: 11, toSeq: 11, units: [], gone: [{ kind: 'unit', id: 'u1' }] });
    expect(state.units.has('u1')).toBe(false);
    // While it is away, its bare positions are not for this stream.
    state.applyFrame({ fromSeq: 12, toSeq: 12, units: [['u1', 116.3, 39.9, T0 + 1_000, DESHENG]] });
    expect(state.units.has('u1')).toBe(false);
    state.applyFrame({ fromSeq: 13, toSeq: 13, units: [], arrived: [unitView('u1', 5, { at: T0 + 2_000 })] });
    expect(state.units.get('u1')?.at).toBe(T0 + 2_000);
    expect(state.events).toEqual([]);
  });

  it('buffers a scoped frame during a sync and applies its arrivals and departures after it', () => {
    const state = synced(snapshot(10, { cases: [caseView('c1', 3)] }));
    state.beginSync();
    const frame: PositionFrame = { fromSeq: 11, toSeq: 12, units: [], arrived: [unitView('u9', 4)], gone: [{ kind: 'case', id: 'c1' }] };
    expect(state.applyFrame(frame)).toBe('buffered');
    expect(state.cases.has('c1')).toBe(true);
    expect(state.applySync(changesSince(10, []))).toBe('applied');
    expect(state.cases.has('c1')).toBe(false);
    expect(state.units.has('u9')).toBe(true);
    expect(state.seq).toBe(12);
  });
});

describe('LiveState alarms', () => {
  function alarm(id: string, seq: number, state: AlarmView['state'] = 'active'): AlarmView {
    return { id, kind: 'severe_incident', subject: 'I-1', priority: 1, state, subdistrict: '110102012', lon: 116.38, lat: 39.93, raisedAt: T0, acknowledgedAt: null, acknowledgedBy: null, clearedAt: null, seq };
  }

  it('holds the snapshot’s alarms, follows their changes in seq order, and drops the cleared', () => {
    const state = new LiveState(() => T0);
    state.applySync(snapshot(10, { alarms: [alarm('1', 9)] }));
    expect([...state.alarms.keys()]).toEqual(['1']);
    expect(state.applyChange({ kind: 'alarm', seq: 11, created: true, value: alarm('2', 11) })).toBe('applied');
    expect(state.applyChange({ kind: 'alarm', seq: 12, created: false, value: alarm('1', 12, 'acknowledged') })).toBe('applied');
    expect(state.alarms.get('1')?.state).toBe('acknowledged');
    expect(state.applyChange({ kind: 'alarm', seq: 13, created: false, value: alarm('2', 13, 'cleared') })).toBe('applied');
    expect([...state.alarms.keys()]).toEqual(['1']);
    // A scoped stream names an alarm that left its subdistrict.
    state.applyFrame({ fromSeq: 14, toSeq: 14, units: [], gone: [{ kind: 'alarm', id: '1' }] });
    expect(state.alarms.size).toBe(0);
  });
});

describe('LiveState events and tallies', () => {
  it('tells new items and state changes, newest first, at most MAX_EVENTS', () => {
    const state = synced(snapshot(10));
    state.applyChange(caseChange(caseView('c1', 11), true));
    state.applyChange(caseChange(caseView('c1', 12, { category: 'noise' })));
    state.applyChange(caseChange(caseView('c1', 13, { state: 'dispatched' })));
    expect(state.events.map((e) => [e.seq, e.created])).toEqual([
      [13, false],
      [11, true],
    ]);
    for (let seq = 14; seq < 14 + MAX_EVENTS; seq++) state.applyChange(caseChange(caseView(`c${seq}`, seq), true));
    expect(state.events.length).toBe(MAX_EVENTS);
    expect(state.events[0]?.seq).toBe(13 + MAX_EVENTS);
  });

  it('seeds the ticker of a wall that just opened from the snapshot, newest on top, once', () => {
    const state = synced(
      snapshot(30, {
        cases: [caseView('c-old', 3), caseView('c-moved', 20, { state: 'dispatched' })],
        incidents: [incidentView('i-new', 12, { reportedAt: T0 + 12 })],
      }),
    );
    expect(state.events.map((e) => [e.value.id, e.created])).toEqual([
      ['c-moved', false],
      ['i-new', true],
      ['c-old', false],
    ]);
    state.applySync(snapshot(40, { cases: [caseView('c-later', 35)] }));
    expect(state.events.map((e) => e.value.id)).toEqual(['c-moved', 'i-new', 'c-old']);
  });

  it('counts open cases, active incidents and volunteers on duty per subdistrict', () => {
    const state = synced(
      snapshot(10, {
        cases: [
          caseView('c1', 1),
          caseView('c2', 2, { state: 'resolved' }),
          caseView('c3', 3, { subdistrict: null, outside: true }),
        ],
        incidents: [incidentView('i1', 4)],
        units: [unitView('u1', 5), unitView('u2', 6, { status: 'off_duty' })],
      }),
    );
    const tallies = tallyBySubdistrict(state);
    expect(tallies.get(SHICHAHAI)).toEqual({ openCases: 1, activeIncidents: 0, volunteersOnDuty: 1 });
    expect(tallies.get(DESHENG)).toEqual({ openCases: 0, activeIncidents: 1, volunteersOnDuty: 0 });
    expect(tallies.get(OUTSIDE)?.openCases).toBe(1);
  });
});
