/**
 * What the wall does about alarms, decided from the alarms it holds and the time. Pure.
 *
 * - The list shows active alarms first (most urgent priority, then newest), then acknowledged.
 * - The wall flashes while any alarm is active; acknowledging stops it on every screen.
 * - Sound follows the most urgent active alarm: priority 1 a fast high pattern every 4 s, 2
 *   every 8 s, 3 a single tone every 20 s; a screen may mute it for a while (a new alarm
 *   raised after the mute began sounds anyway: muting silences what was heard, not what comes).
 * - The camera goes to each alarm as it becomes active, most urgent first.
 */
import type { AlarmView } from '../../server/contract/live.ts';

export type Priority = AlarmView['priority'];

export const SOUND: Readonly<Record<Priority, { tonesHz: readonly number[]; everyMs: number }>> = {
  1: { tonesHz: [988, 784, 988, 784], everyMs: 4_000 },
  2: { tonesHz: [880, 660], everyMs: 8_000 },
  3: { tonesHz: [660], everyMs: 20_000 },
};

export const MUTE_CHOICES_MIN = [5, 15] as const;

export function attentionOrder(alarms: Iterable<AlarmView>): AlarmView[] {
  const rank = (a: AlarmView) => (a.state === 'active' ? 0 : 1);
  return [...alarms]
    .filter((a) => a.state !== 'cleared')
    .sort((a, b) => rank(a) - rank(b) || a.priority - b.priority || b.raisedAt - a.raisedAt);
}

export function isFlashing(alarms: Iterable<AlarmView>): boolean {
  return [...alarms].some((a) => a.state === 'active');
}

export interface Mute {
  /** epoch ms (server time) the mute began */
  since: number;
  until: number;
}

/** The priority to sound now, or null: nothing active, or everything active raised before a running mute. */
export function soundingPriority(alarms: Iterable<AlarmView>, mute: Mute | null, now: number): Priority | null {
  const muted = mute !== null && now < mute.until;
  const heard = [...alarms].filter((a) => a.state === 'active' && !(muted && a.raisedAt <= mute!.since));
  return heard.length === 0 ? null : (Math.min(...heard.map((a) => a.priority)) as Priority);
}

/** Whether a cue is due: the priority's interval has passed since the last one. */
export function cueDue(priority: Priority | null, lastCueAt: number | null, now: number): boolean {
  return priority !== null && (lastCueAt === null || now - lastCueAt >= SOUND[priority].everyMs);
}

/** Active alarms not seen active before, most urgent first: where the camera goes. */
export function newlyActive(alarms: Iterable<AlarmView>, seen: ReadonlySet<string>): AlarmView[] {
  return attentionOrder(alarms).filter((a) => a.state === 'active' && !seen.has(a.id));
}

/** Units and cases an open alarm is about: the map keeps them out of clusters. */
export function alarmedSubjects(alarms: Iterable<AlarmView>): { units: Set<string>; cases: Set<string> } {
  const open = [...alarms].filter((a) => a.state !== 'cleared');
  return {
    units: new Set(open.filter((a) => a.kind === 'silent_on_scene').map((a) => a.subject)),
    cases: new Set(open.filter((a) => a.kind === 'whistle_overdue').map((a) => a.subject)),
  };
}
