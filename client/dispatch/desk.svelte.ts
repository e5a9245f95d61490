/**
 * The dispatch console's controller: carries the coordinator's clicks to the live socket as
 * dispatch commands and the server's answers and events into the panel state (panel.ts), and
 * keeps the volunteers' names for the assignments shown.
 *
 * Contract:
 * - Selecting an incident opens it on the server (`dispatch:open`) and closes the one open
 *   before (`dispatch:close`); deselecting and `stop()` close it.
 * - The open incident is read again (`dispatch:open`) on a newer `dispatch:changed`, every
 *   REFRESH_MS (recommendations move with the volunteers), and on `connected()`: a socket that
 *   reconnected has nothing open on the server until it opens it again.
 * - Assign, withdraw and release send the dispatch version shown, once; a refusal is shown,
 *   never retried (see panel.ts). While a command waits for its answer no other is sent.
 * - Every `dispatch:alert` joins the panel's alerts with an audible cue.
 * - Names: read from GET /api/v1/volunteers at start, and again (at most every NAMES_RETRY_MS)
 *   when an assignment names a volunteer not known yet.
 */
import type { Static } from 'typebox';
import type { DispatchResult } from '../../server/contract/dispatch.ts';
import type { VolunteerIdentity } from '../../server/contract/access.ts';
import { api } from '../api.ts';
import { NotConnectedError, type Command, type CommandRequest } from '../live/connection.ts';
import type { LiveStore } from '../live/store.svelte.ts';
import type { Cue } from '../ui/cue.ts';
import { emptyPanel, needsReopen, reduce, type Panel, type PanelEvent } from './panel.ts';

export type Identity = Static<typeof VolunteerIdentity>;

export const REFRESH_MS = 15_000;
export const NAMES_RETRY_MS = 30_000;
export const VOLUNTEERS_PATH = '/api/v1/volunteers';

type Action = Extract<Command, 'dispatch:assign' | 'dispatch:cancel' | 'dispatch:release'>;

export class DispatchDesk {
  panel: Panel;
  /** volunteer id → identity (name, team name) */
  people = $state.raw<Map<string, Identity>>(new Map());

  private unsubscribe: Array<() => void> = [];
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  private namesReadAt = 0;

  constructor(
    private readonly store: LiveStore,
    me: string,
    private readonly cue: Cue,
  ) {
    this.panel = $state.raw(emptyPanel(me));
  }

  start(): void {
    this.unsubscribe = [
      this.store.on('dispatch:changed', (change) => {
        if (needsReopen(this.panel, change)) void this.open();
      }),
      this.store.on('dispatch:watchers', ({ incident, watchers }) => this.apply({ type: 'watchers', incident, watchers })),
      this.store.on('dispatch:alert', (alert) => {
        this.apply({ type: 'alert', alert });
        this.cue.play();
      }),
    ];
    this.refreshTimer = setInterval(() => void this.open(), REFRESH_MS);
    void this.readNames();
  }

  stop(): void {
    clearInterval(this.refreshTimer);
    if (this.panel.incident) this.close(this.panel.incident);
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** The live socket is connected (again): open the selected incident on it. */
  connected(): void {
    void this.open();
  }

  select(incident: string): void {
    const previous = this.panel.incident;
    if (previous === incident) return;
    if (previous) this.close(previous);
    this.apply({ type: 'select', incident });
    void this.open();
  }

  deselect(): void {
    if (this.panel.incident) this.close(this.panel.incident);
    this.apply({ type: 'deselect' });
  }

  assign(team: string): void {
    const view = this.panel.view;
    if (view) void this.act('dispatch:assign', { incident: view.incident.id, team, version: view.version });
  }

  cancel(assignment: string): void {
    const view = this.panel.view;
    if (view) void this.act('dispatch:cancel', { assignment, version: view.version });
  }

  release(assignment: string): void {
    const view = this.panel.view;
    if (view) void this.act('dispatch:release', { assignment, version: view.version });
  }

  dismiss(alert: string): void {
    this.apply({ type: 'dismiss', alert });
  }

  private apply(event: PanelEvent): void {
    this.panel = reduce(this.panel, event);
  }

  private async open(): Promise<void> {
    const incident = this.panel.incident;
    if (!incident) return;
    try {
      const result = await this.store.command('dispatch:open', { incident });
      this.apply({ type: 'opened', incident, result });
      this.checkNames(result);
    } catch (error) {
      // Not connected: connected() opens it. No answer: the next refresh asks again.
      if (!(error instanceof NotConnectedError)) console.warn('dispatch:open got no answer:', error);
    }
  }

  private close(incident: string): void {
    this.store.command('dispatch:close', { incident }).catch(() => {
      // A socket that is gone has nothing open on the server any more.
    });
  }

  private async act<C extends Action>(command: C, request: CommandRequest<C>): Promise<void> {
    const incident = this.panel.incident;
    if (!incident || this.panel.busy) return;
    this.apply({ type: 'sent' });
    try {
      const result: DispatchResult = await this.store.command(command, request);
      this.apply({ type: 'answered', incident, result });
      this.checkNames(result);
    } catch {
      this.apply({ type: 'unanswered', incident });
    }
  }

  private checkNames(result: DispatchResult): void {
    const members = result.state?.assignments.flatMap((a) => a.members) ?? [];
    const unknown = members.some((member) => !this.people.has(member.volunteer));
    if (unknown && Date.now() - this.namesReadAt >= NAMES_RETRY_MS) void this.readNames();
  }

  private async readNames(): Promise<void> {
    this.namesReadAt = Date.now();
    try {
      const { volunteers } = await api.get<{ volunteers: Identity[] }>(VOLUNTEERS_PATH);
      this.people = new Map(volunteers.map((v) => [v.id, v]));
    } catch (error) {
      console.warn('volunteer names could not be read:', error);
    }
  }
}
