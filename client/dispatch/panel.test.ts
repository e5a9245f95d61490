/**
 * The dispatch panel's state through the events a console lives through: selecting, answers
 * in and out of order, refusals (a conflict names who changed the incident and shows the fresh
 * state), watchers and alerts.
 */
import { describe, expect, it } from 'vitest';
import type { AssignmentView, DispatchAlert, DispatchResult, DispatchState } from '../../server/contract/dispatch.ts';
import type { IncidentView } from '../../server/contract/live.ts';
import {
  MAX_ALERTS,
  activeFirst,
  conflictAuthors,
  emptyPanel,
  needsReopen,
  newerIncident,
  openIncidents,
  otherWatchers,
  reduce,
  type Panel,
  type PanelEvent,
} from './panel.ts';

const ME = 'user:coord-a';
const OTHER = 'user:coord-b';

function incident(id: string, fields: Partial<IncidentView> = {}): IncidentView {
  return {
    id,
    kind: 'fire',
    severity: 3,
    state: 'reported',
    lon: 116.35,
    lat: 39.89,
    reportedAt: 1_000,
    updatedAt: 1_000,
    dispatchedAt: null,
    onSceneAt: null,
    closedAt: null,
    teams: [],
    subdistrict: '110102018',
    cell: null,
    outside: false,
    seq: 1,
    ...fields,
  };
}

function assignment(id: string, fields: Partial<AssignmentView> = {}): AssignmentView {
  return {
    id,
    incident: 'I1',
    team: `T-${id}`,
    teamName: `Team ${id}`,
    state: 'offered',
    dispatchedBy: ME,
    offeredAt: 2_000,
    answerBy: 92_000,
    acceptedAt: null,
    enRouteAt: null,
    onSceneAt: null,
    endedAt: null,
    reason: null,
    members: [],
    ...fields,
  };
}

function state(version: number, fields: Partial<DispatchState> = {}): DispatchState {
  return { incident: incident('I1'), version, assignments: [], recommendations: [], watchers: [ME], ...fields };
}

const ok = (s: DispatchState): DispatchResult => ({ ok: true, state: s });
const refusedWith = (code: string, s?: DispatchState): DispatchResult =>
  s ? { ok: false, error: { code, message: code }, state: s } : { ok: false, error: { code, message: code } };

function run(events: PanelEvent[], start: Panel = emptyPanel(ME)): Panel {
  return events.reduce(reduce, start);
}

function alert(id: string, fields: Partial<DispatchAlert> = {}): DispatchAlert {
  return { id, kind: 'timed_out', incident: 'I1', team: 'T-1', next: 'T-2', at: 5_000, ...fields };
}

describe('selecting and opening', () => {
  it('shows the answer for the incident selected, and drops answers about another', () => {
    const panel = run([
      { type: 'select', incident: 'I1' },
      { type: 'opened', incident: 'I2', result: ok({ ...state(9), incident: incident('I2') }) },
    ]);
    expect(panel.view).toBeNull();
    const opened = reduce(panel, { type: 'opened', incident: 'I1', result: ok(state(3, { watchers: [ME, OTHER] })) });
    expect(opened.view?.version).toBe(3);
    expect(opened.watchers).toEqual([ME, OTHER]);
  });

  it('never goes back to an older version when answers cross', () => {
    const panel = run([
      { type: 'select', incident: 'I1' },
      { type: 'opened', incident: 'I1', result: ok(state(5)) },
      { type: 'opened', incident: 'I1', result: ok(state(4)) },
    ]);
    expect(panel.view?.version).toBe(5);
  });

  it('starts afresh on another incident but keeps the alerts', () => {
    const panel = run([
      { type: 'alert', alert: alert('a1') },
      { type: 'select', incident: 'I1' },
      { type: 'opened', incident: 'I1', result: ok(state(2)) },
      { type: 'select', incident: 'I2' },
    ]);
    expect(panel).toMatchObject({ incident: 'I2', view: null, watchers: [], notice: null });
    expect(panel.alerts.map((a) => a.id)).toEqual(['a1']);
    expect(run([{ type: 'deselect' }], panel)).toMatchObject({ incident: null, view: null, alerts: panel.alerts });
  });

  it('shows a refused open in words', () => {
    const panel = run([
      { type: 'select', incident: 'I1' },
      { type: 'opened', incident: 'I1', result: refusedWith('NOT_FOUND') },
    ]);
    expect(panel.notice).toEqual({ kind: 'refused', code: 'NOT_FOUND', message: 'NOT_FOUND' });
  });
});

describe('commands', () => {
  const opened = run([
    { type: 'select', incident: 'I1' },
    { type: 'opened', incident: 'I1', result: ok(state(1, { watchers: [ME, OTHER] })) },
  ]);

  it('is busy from sending to the answer, which replaces the state shown', () => {
    const sent = reduce(opened, { type: 'sent' });
    expect(sent.busy).toBe(true);
    const answered = reduce(sent, { type: 'answered', incident: 'I1', result: ok(state(2, { assignments: [assignment('A1')] })) });
    expect(answered).toMatchObject({ busy: false, notice: null });
    expect(answered.view?.assignments.map((a) => a.id)).toEqual(['A1']);
  });

  it('on a conflict shows the fresh state and who assigned meanwhile, and does not retry', () => {
    const fresh = state(2, { assignments: [assignment('A9', { dispatchedBy: OTHER })], watchers: [ME, OTHER] });
    const panel = run([{ type: 'sent' }, { type: 'answered', incident: 'I1', result: refusedWith('DISPATCH_CONFLICT', fresh) }], opened);
    expect(panel.notice).toEqual({ kind: 'conflict', authors: [OTHER] });
    expect(panel.view).toBe(fresh);
    expect(panel.busy).toBe(false);
  });

  it('on a conflict without a new assignment names the other coordinators who have it open', () => {
    const seen = state(1, { assignments: [assignment('A1')] });
    const fresh = state(2, { assignments: [assignment('A1', { state: 'cancelled' })], watchers: [ME, OTHER] });
    expect(conflictAuthors(seen, fresh, ME)).toEqual([OTHER]);
    expect(conflictAuthors(seen, { ...fresh, watchers: [ME] }, ME)).toEqual([]);
  });

  it('keeps any other refusal by its code, with the state when one came', () => {
    const panel = run([{ type: 'sent' }, { type: 'answered', incident: 'I1', result: refusedWith('TEAM_BUSY', state(3)) }], opened);
    expect(panel.notice).toMatchObject({ kind: 'refused', code: 'TEAM_BUSY' });
    expect(panel.view?.version).toBe(3);
  });

  it('says so when a command got no answer', () => {
    const panel = run([{ type: 'sent' }, { type: 'unanswered', incident: 'I1' }], opened);
    expect(panel).toMatchObject({ busy: false, notice: { kind: 'no-answer' } });
  });

  it('clears the last refusal with the next command', () => {
    const refused = run([{ type: 'sent' }, { type: 'answered', incident: 'I1', result: refusedWith('TEAM_BUSY') }], opened);
    expect(reduce(refused, { type: 'sent' }).notice).toBeNull();
  });
});

describe('watchers and changes', () => {
  const opened = run([
    { type: 'select', incident: 'I1' },
    { type: 'opened', incident: 'I1', result: ok(state(4)) },
  ]);

  it('takes watchers of the selected incident only', () => {
    expect(reduce(opened, { type: 'watchers', incident: 'I1', watchers: [ME, OTHER] }).watchers).toEqual([ME, OTHER]);
    expect(reduce(opened, { type: 'watchers', incident: 'I2', watchers: [OTHER] }).watchers).toEqual([ME]);
    expect(otherWatchers([ME, OTHER], ME)).toEqual([OTHER]);
  });

  it('reopens on a newer change of the selected incident only', () => {
    expect(needsReopen(opened, { incident: 'I1', version: 5 })).toBe(true);
    expect(needsReopen(opened, { incident: 'I1', version: 4 })).toBe(false);
    expect(needsReopen(opened, { incident: 'I2', version: 9 })).toBe(false);
    expect(needsReopen(run([{ type: 'select', incident: 'I1' }]), { incident: 'I1', version: 1 })).toBe(true);
  });
});

describe('alerts', () => {
  it('keeps them newest first, once each, at most MAX_ALERTS, until dismissed', () => {
    let panel = run([{ type: 'alert', alert: alert('a1') }, { type: 'alert', alert: alert('a2') }, { type: 'alert', alert: alert('a1') }]);
    expect(panel.alerts.map((a) => a.id)).toEqual(['a2', 'a1']);
    panel = reduce(panel, { type: 'dismiss', alert: 'a2' });
    expect(panel.alerts.map((a) => a.id)).toEqual(['a1']);
    for (let i = 0; i < MAX_ALERTS + 5; i++) panel = reduce(panel, { type: 'alert', alert: alert(`b${i}`) });
    expect(panel.alerts).toHaveLength(MAX_ALERTS);
    expect(panel.alerts[0]?.id).toBe(`b${MAX_ALERTS + 4}`);
  });
});

describe('lists', () => {
  it('orders open incidents by severity, then awaiting a team, then waiting longest', () => {
    const list = openIncidents([
      incident('late-minor', { severity: 4, reportedAt: 1 }),
      incident('closed', { severity: 1, state: 'closed' }),
      incident('major-dispatched', { severity: 2, dispatchedAt: 5, reportedAt: 1 }),
      incident('major-new', { severity: 2, reportedAt: 9 }),
      incident('major-older', { severity: 2, reportedAt: 3 }),
    ]);
    expect(list.map((i) => i.id)).toEqual(['major-older', 'major-new', 'major-dispatched', 'late-minor']);
  });

  it('takes the newer of the dispatch state\'s incident and the live one', () => {
    const held = incident('I1', { seq: 5 });
    const ahead = incident('I1', { seq: 6, state: 'closed' });
    expect(newerIncident(held, ahead)).toBe(ahead);
    expect(newerIncident(held, incident('I1', { seq: 4 }))).toBe(held);
    expect(newerIncident(undefined, ahead)).toBe(ahead);
    expect(newerIncident(held, undefined)).toBe(held);
  });

  it('puts the teams on the incident before the ended ones, newest first', () => {
    const list = activeFirst([
      assignment('old-ended', { state: 'timed_out', offeredAt: 1 }),
      assignment('on-scene', { state: 'on_scene', offeredAt: 2 }),
      assignment('new-ended', { state: 'cancelled', offeredAt: 5 }),
      assignment('offered', { state: 'offered', offeredAt: 4 }),
    ]);
    expect(list.map((a) => a.id)).toEqual(['offered', 'on-scene', 'new-ended', 'old-ended']);
  });
});
