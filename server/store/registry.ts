/**
 * The registry as the coordinators' console reads it: teams with their member counts and a
 * derived status, volunteers with their skills, planned shifts and active personal link; and
 * where each team and volunteer belongs, for scope checks. Personal data (names, phones,
 * devices) leaves only through here and GET /volunteers, never through a unit view.
 *
 * Shifts: a read shows the current and upcoming ones (ending after now); a replace deletes
 * those and inserts the given ones, and leaves the ended ones alone as history. Run the
 * replace inside a transaction (its two statements belong together).
 */
import type { Shift, TeamEntry, TeamStatus, VolunteerEntry } from '../contract/dispatch.ts';
import { ACTIVE_ASSIGNMENT_STATES, type AssignmentState, type Skill, type Specialty, type VolunteerStatus } from '../domain/vocabulary.ts';
import type { Queryable } from './store.ts';
import { activeVolunteerLinks } from './volunteer-links.ts';

/** Which part of the registry to read: a subdistrict (null: all), optionally one team or volunteer. */
export interface RegistryFilter {
  subdistrict: string | null;
  teamId?: string;
  volunteerId?: string;
}

interface TeamRow {
  id: string;
  name: string;
  subdistrict: string;
  community: string | null;
  specialty: Specialty;
  members: number;
  available: number;
  assignment: AssignmentState | null;
}

interface VolunteerRow {
  id: string;
  team_id: string;
  name: string;
  phone: string | null;
  device_id: string | null;
  community: string | null;
  skills: Skill[];
  status: VolunteerStatus;
  status_at: Date;
}

/**
 * A team on an assignment shows its step (an offer counts as assigned: its members are held
 * for it); otherwise it is available when one of its members is.
 */
export function teamStatus(assignment: AssignmentState | null, available: number): TeamStatus {
  if (assignment === 'offered' || assignment === 'accepted') return 'assigned';
  if (assignment === 'en_route' || assignment === 'on_scene') return assignment;
  return available > 0 ? 'available' : 'off_duty';
}

export async function teamEntries(q: Queryable, filter: RegistryFilter): Promise<TeamEntry[]> {
  // One active assignment per team (a unique index), so the join adds no rows.
  const { rows } = await q.query<TeamRow>(
    `SELECT t.id, t.name, t.subdistrict, t.community, t.specialty,
            count(v.id)::int AS members,
            (count(v.id) FILTER (WHERE v.status = 'available'))::int AS available,
            a.state AS assignment
       FROM teams t
       LEFT JOIN volunteers v ON v.team_id = t.id
       LEFT JOIN assignments a ON a.team_id = t.id AND a.state = ANY($3)
      WHERE ($1::text IS NULL OR t.subdistrict = $1) AND ($2::text IS NULL OR t.id = $2)
      GROUP BY t.id, a.state
      ORDER BY t.subdistrict, t.id`,
    [filter.subdistrict, filter.teamId ?? null, [...ACTIVE_ASSIGNMENT_STATES]],
  );
  return rows.map(({ assignment, ...team }) => ({ ...team, status: teamStatus(assignment, team.available) }));
}

export async function volunteerEntries(q: Queryable, filter: RegistryFilter): Promise<VolunteerEntry[]> {
  const { rows } = await q.query<VolunteerRow>(
    `SELECT v.id, v.team_id, v.name, v.phone, v.device_id, v.community, v.skills, v.status, v.status_at
       FROM volunteers v JOIN teams t ON t.id = v.team_id
      WHERE ($1::text IS NULL OR t.subdistrict = $1) AND ($2::text IS NULL OR t.id = $2)
        AND ($3::text IS NULL OR v.id = $3)
      ORDER BY v.team_id, v.id`,
    [filter.subdistrict, filter.teamId ?? null, filter.volunteerId ?? null],
  );
  const ids = rows.map((row) => row.id);
  const shifts = await upcomingShifts(q, ids);
  const links = await activeVolunteerLinks(q, ids);
  return rows.map((row) => {
    const link = links.get(row.id);
    return {
      id: row.id,
      teamId: row.team_id,
      name: row.name,
      phone: row.phone,
      deviceId: row.device_id,
      community: row.community,
      skills: row.skills,
      status: row.status,
      statusAt: row.status_at.toISOString(),
      shifts: shifts.get(row.id) ?? [],
      link: link ? { id: link.id, createdAt: link.createdAt } : null,
    };
  });
}

/** The current and upcoming shifts of each of these volunteers, earliest first. */
async function upcomingShifts(q: Queryable, volunteerIds: string[]): Promise<Map<string, Shift[]>> {
  const { rows } = await q.query<{ volunteer_id: string; starts_at: Date; ends_at: Date }>(
    `SELECT volunteer_id, starts_at, ends_at FROM shifts
      WHERE volunteer_id = ANY($1) AND ends_at > now() ORDER BY starts_at, ends_at`,
    [volunteerIds],
  );
  const byVolunteer = new Map<string, Shift[]>();
  for (const row of rows) {
    const list = byVolunteer.get(row.volunteer_id) ?? [];
    list.push({ startsAt: row.starts_at.toISOString(), endsAt: row.ends_at.toISOString() });
    byVolunteer.set(row.volunteer_id, list);
  }
  return byVolunteer;
}

/** The subdistrict of each registered team among `ids`. */
export async function teamSubdistricts(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  const { rows } = await q.query<{ id: string; subdistrict: string }>('SELECT id, subdistrict FROM teams WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((row) => [row.id, row.subdistrict]));
}

/** The subdistrict of the team of each registered volunteer among `ids`. */
export async function volunteerSubdistricts(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  const { rows } = await q.query<{ id: string; subdistrict: string }>(
    'SELECT v.id, t.subdistrict FROM volunteers v JOIN teams t ON t.id = v.team_id WHERE v.id = ANY($1)',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.subdistrict]));
}

/** Replaces the volunteer's current and upcoming shifts with `shifts`; ended ones stay. */
export async function replaceShifts(tx: Queryable, volunteerId: string, shifts: Shift[]): Promise<void> {
  await tx.query('DELETE FROM shifts WHERE volunteer_id = $1 AND ends_at > now()', [volunteerId]);
  await tx.query(
    `INSERT INTO shifts (volunteer_id, starts_at, ends_at)
     SELECT $1, "startsAt", "endsAt" FROM jsonb_to_recordset($2::jsonb) AS x("startsAt" timestamptz, "endsAt" timestamptz)`,
    [volunteerId, JSON.stringify(shifts)],
  );
}
