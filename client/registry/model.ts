/**
 * The registry console's logic, pure: what it reads and writes (typed from the server's own
 * schemas, server/contract/dispatch.ts and ingest.ts) and where; the whole record a volunteer's
 * edit sends; shift times between datetime-local inputs and ISO 8601; and the line and column
 * of each problem the server found in an imported CSV file.
 *
 * Shift times are entered and shown in Beijing time (UTC+8, no daylight saving), whatever
 * the zone of the browser's machine, as every time on the wall is.
 */
import type { Registry, Shift, TeamEntry, VolunteerEntry } from '../../server/contract/dispatch.ts';
import type { BatchAccepted, VolunteerRecord } from '../../server/contract/ingest.ts';
import { SKILLS, type Skill, type VolunteerStatus } from '../../server/domain/vocabulary.ts';
import { ApiError } from '../api.ts';

export type { BatchAccepted, Registry, Shift, TeamEntry, VolunteerEntry };

export type ImportKind = 'teams' | 'volunteers';

export const REGISTRY_PATH = '/api/v1/registry';

export function volunteerPath(id: string, action?: 'shifts' | 'duty' | 'link'): string {
  return `${REGISTRY_PATH}/volunteers/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

export function importPath(kind: ImportKind): string {
  return `${REGISTRY_PATH}/import?kind=${kind}`;
}

export function membersOf(registry: Registry, teamId: string): VolunteerEntry[] {
  return registry.volunteers.filter((v) => v.teamId === teamId);
}

/** The skills with `skill` set or cleared, in the vocabulary's order. */
export function withSkill(skills: readonly Skill[], skill: Skill, on: boolean): Skill[] {
  return SKILLS.filter((s) => (s === skill ? on : skills.includes(s)));
}

/**
 * The whole record a PUT sends (a field left out is cleared on the server): the entry as read,
 * with the console's edits. An empty community is none.
 */
export function volunteerRecord(entry: VolunteerEntry, edit: { skills: Skill[]; community: string }): VolunteerRecord {
  const community = edit.community.trim();
  return {
    id: entry.id,
    teamId: entry.teamId,
    name: entry.name,
    ...(entry.phone === null ? {} : { phone: entry.phone }),
    ...(entry.deviceId === null ? {} : { deviceId: entry.deviceId }),
    skills: edit.skills,
    ...(community === '' ? {} : { community }),
  };
}

/** Off duty: put on duty; available: take off duty; on an assignment: neither, it ends first. */
export function dutyAction(status: VolunteerStatus): 'on' | 'off' | null {
  if (status === 'off_duty') return 'on';
  return status === 'available' ? 'off' : null;
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A time as a datetime-local value in Beijing time: `2026-01-05T08:30`. */
export function toBeijingInput(iso: string): string {
  return new Date(Date.parse(iso) + BEIJING_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value (always a real date when not empty) read as Beijing time, as ISO 8601 (UTC); null when empty. */
export function fromBeijingInput(value: string): string | null {
  const parts = LOCAL_INPUT.exec(value);
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = parts.slice(1).map((part) => Number(part ?? 0)) as number[];
  return new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second) - BEIJING_OFFSET_MS).toISOString();
}

export type ShiftInput = { shift: Shift } | { problem: 'missing' | 'backwards' | 'ended' };

/** A new shift from the two inputs of the shift form; one that has ended already is history. */
export function shiftFromInputs(start: string, end: string, now: number): ShiftInput {
  const startsAt = fromBeijingInput(start);
  const endsAt = fromBeijingInput(end);
  if (startsAt === null || endsAt === null) return { problem: 'missing' };
  if (Date.parse(endsAt) <= Date.parse(startsAt)) return { problem: 'backwards' };
  if (Date.parse(endsAt) <= now) return { problem: 'ended' };
  return { shift: { startsAt, endsAt } };
}

/** The shifts to send: those not yet ended (the server keeps ended ones as history), by start. */
export function shiftsToSave(shifts: readonly Shift[], now: number): Shift[] {
  return shifts.filter((s) => Date.parse(s.endsAt) > now).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

/** A problem the server found in an imported file: its line (null: the file as a whole) and column. */
export interface RowProblem {
  line: number | null;
  column: string | null;
  message: string;
}

const ROW_PATH = /^\/rows(?:\/(\d+)(?:\/(.+))?)?$/;

/** The import's problems by line and column, from a refusal naming `/rows/<line>/<column>`. */
export function rowProblems(error: unknown): RowProblem[] {
  if (!(error instanceof ApiError)) return [];
  return error.details.flatMap(({ path, message }) => {
    const match = ROW_PATH.exec(path);
    if (!match) return [];
    return [{ line: match[1] === undefined ? null : Number(match[1]), column: match[2] ?? null, message }];
  });
}
