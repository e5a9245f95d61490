/**
 * The dispatch panel's state and how each event changes it, pure: the page feeds it what it
 * did (select, send) and what the server said (answers, watchers, alerts) and draws the result.
 *
 * Contract:
 * - One incident is selected at a time; answers about any other incident change nothing.
 * - The state shown only moves forward: an answer carrying an older dispatch `version` than
 *   the one shown (a slow refresh overtaken by a newer answer) is dropped.
 * - A refused command never retries by itself. DISPATCH_CONFLICT shows the fresh state the
 *   server sent and names who changed it: the dispatchers of assignments new since the state
 *   seen, else the other coordinators who have it open, else nobody known. Any other refusal
 *   keeps its code for the page to say in words.
 * - `busy` is true from a command sent to its answer, so one click sends one command.
 * - Alerts are kept newest first, once each (by id), at most MAX_ALERTS, until dismissed.
 */
import type { AssignmentView, DispatchAlert, DispatchResult, DispatchState } from '../../server/contract/dispatch.ts';
import type { IncidentView } from '../../server/contract/live.ts';
import { ACTIVE_ASSIGNMENT_STATES, type AssignmentState } from '../../server/domain/vocabulary.ts';

export const MAX_ALERTS = 20;

export type PanelNotice =
  /** the version moved on; `authors` made the change (empty: unknown) */
  | { kind: 'conflict'; authors: string[] }
  | { kind: 'refused'; code: string; message: string }
  /** no answer in time: the command may or may not have been carried out */
  | { kind: 'no-answer' };

export interface Panel {
  /** this coordinator, as watchers and dispatchers are named (`user:<name>`) */
  me: string;
  incident: string | null;
  /** the selected incident's dispatch state as last answered; null until the first answer */
  view: DispatchState | null;
  /** who has the selected incident open (`user:<name>`), this coordinator included */
  watchers: string[];
  busy: boolean;
  notice: PanelNotice | null;
  alerts: DispatchAlert[];
}

export type PanelEvent =
  | { type: 'select'; incident: string }
  | { type: 'deselect' }
  | { type: 'sent' }
  /** the answer to `dispatch:open`, first or a refresh */
  | { type: 'opened'; incident: string; result: DispatchResult }
  /** the answer to assign, cancel or release */
  | { type: 'answered'; incident: string; result: DispatchResult }
  | { type: 'unanswered'; incident: string }
  | { type: 'watchers'; incident: string; watchers: string[] }
  | { type: 'alert'; alert: DispatchAlert }
  | { type: 'dismiss'; alert: string };

export function emptyPanel(me: string): Panel {
  return { me, incident: null, view: null, watchers: [], busy: false, notice: null, alerts: [] };
}

export function reduce(panel: Panel, event: PanelEvent): Panel {
  switch (event.type) {
    case 'select':
      if (event.incident === panel.incident) return panel;
      return { ...emptyPanel(panel.me), alerts: panel.alerts, incident: event.incident };
    case 'deselect':
      return { ...emptyPanel(panel.me), alerts: panel.alerts };
    case 'sent':
      return { ...panel, busy: true, notice: null };
    case 'opened':
      if (event.incident !== panel.incident) return panel;
      return event.result.ok ? show(panel, event.result.state) : refused(panel, event.result);
    case 'answered':
      if (event.incident !== panel.incident) return panel;
      if (event.result.ok) return { ...show(panel, event.result.state), busy: false, notice: null };
      return { ...refused(panel, event.result), busy: false };
    case 'unanswered':
      if (event.incident !== panel.incident) return panel;
      return { ...panel, busy: false, notice: { kind: 'no-answer' } };
    case 'watchers':
      if (event.incident !== panel.incident) return panel;
      return { ...panel, watchers: event.watchers };
    case 'alert':
      if (panel.alerts.some((alert) => alert.id === event.alert.id)) return panel;
      return { ...panel, alerts: [event.alert, ...panel.alerts].slice(0, MAX_ALERTS) };
    case 'dismiss':
      return { ...panel, alerts: panel.alerts.filter((alert) => alert.id !== event.alert) };
  }
}

/** A state from the server, unless the one shown is already newer. */
function show(panel: Panel, state: DispatchState): Panel {
  if (panel.view && state.version < panel.view.version) return panel;
  return { ...panel, view: state, watchers: state.watchers };
}

function refused(panel: Panel, result: Extract<DispatchResult, { ok: false }>): Panel {
  const { error, state } = result;
  if (error.code === 'DISPATCH_CONFLICT' && state) {
    const authors = conflictAuthors(panel.view, state, panel.me);
    return { ...show(panel, state), notice: { kind: 'conflict', authors } };
  }
  const shown = state ? show(panel, state) : panel;
  return { ...shown, notice: { kind: 'refused', code: error.code, message: error.message } };
}

/**
 * Who moved the incident on since `seen`: whoever dispatched the assignments that are new; when
 * none is (a withdrawal, a release), the other coordinators who have it open.
 */
export function conflictAuthors(seen: DispatchState | null, fresh: DispatchState, me: string): string[] {
  const known = new Set(seen?.assignments.map((a) => a.id) ?? []);
  const dispatchers = fresh.assignments.filter((a) => !known.has(a.id)).map((a) => a.dispatchedBy);
  if (dispatchers.length > 0) return [...new Set(dispatchers)];
  return otherWatchers(fresh.watchers, me);
}

/** The coordinators other than `me` who have the incident open. */
export function otherWatchers(watchers: string[], me: string): string[] {
  return watchers.filter((watcher) => watcher !== me);
}

/** A `dispatch:changed` calls for reopening when it is about the selected incident and newer. */
export function needsReopen(panel: Panel, change: { incident: string; version: number }): boolean {
  return change.incident === panel.incident && (panel.view === null || change.version > panel.view.version);
}

/**
 * The incidents a coordinator may dispatch, most urgent first: by severity (I before IV), then
 * awaiting a team before those with one, then the longest waiting.
 */
export function openIncidents(incidents: Iterable<IncidentView>): IncidentView[] {
  return [...incidents]
    .filter((incident) => incident.state !== 'closed')
    .sort(
      (a, b) =>
        a.severity - b.severity ||
        Number(a.dispatchedAt !== null) - Number(b.dispatchedAt !== null) ||
        a.reportedAt - b.reportedAt ||
        a.id.localeCompare(b.id),
    );
}

const ACTIVE: ReadonlySet<AssignmentState> = new Set(ACTIVE_ASSIGNMENT_STATES);

export function isActive(assignment: Pick<AssignmentView, 'state'>): boolean {
  return ACTIVE.has(assignment.state);
}

/** The teams on the incident now, then those whose assignment ended; each newest offer first. */
export function activeFirst(assignments: readonly AssignmentView[]): AssignmentView[] {
  return [...assignments].sort((a, b) => Number(isActive(b)) - Number(isActive(a)) || b.offeredAt - a.offeredAt);
}

/**
 * The newer of the incident as the dispatch state has it and as the live stream has it (by
 * `seq`): the stream may be ahead (an operator closed it), or behind (its change not yet in).
 */
export function newerIncident(held: IncidentView | undefined, live: IncidentView | undefined): IncidentView | undefined {
  if (!held || !live) return held ?? live;
  return live.seq > held.seq ? live : held;
}
