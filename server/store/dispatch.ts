/**
 * Assignments of teams to incidents, their members' answers, the status moves they cause, and
 * the registry as the recommendation reads it (candidate teams with their members). The rules
 * live in domain/dispatch.ts and domain/recommend.ts; this module only reads and writes rows.
 */
import type { AssignmentView, MemberAnswer, MyDuty, RecommendationReason } from '../contract/dispatch.ts';
import type { AssignmentFacts, MemberMove } from '../domain/dispatch.ts';
import { LOAD_WINDOW_MS, type CandidateTeam } from '../domain/recommend.ts';
import {
  ACTIVE_ASSIGNMENT_STATES,
  type AssignmentState,
  type IncidentKind,
  type Skill,
  type Specialty,
  type VolunteerStatus,
} from '../domain/vocabulary.ts';
import type { Queryable } from './store.ts';

const ACTIVE = `(${ACTIVE_ASSIGNMENT_STATES.map((s) => `'${s}'`).join(', ')})`;

/** An assignment as the contract shows it; it carries the facts the domain rules read. */
export type Assignment = AssignmentView & AssignmentFacts;

interface AssignmentRow {
  id: string;
  incident_id: string;
  team_id: string;
  team_name: string;
  state: AssignmentState;
  dispatched_by: string;
  reason: RecommendationReason | null;
  offered_at: Date;
  answer_by: Date;
  accepted_at: Date | null;
  en_route_at: Date | null;
  on_scene_at: Date | null;
  ended_at: Date | null;
  members: Array<{ volunteer: string; status: VolunteerStatus; answer: MemberAnswer | null; answered_at: string | null }>;
}

const ASSIGNMENT_SELECT = `SELECT a.*, t.name AS team_name,
    COALESCE((SELECT jsonb_agg(jsonb_build_object('volunteer', m.volunteer_id, 'status', v.status,
        'answer', m.answer, 'answered_at', m.answered_at) ORDER BY m.volunteer_id)
      FROM assignment_members m JOIN volunteers v ON v.id = m.volunteer_id
      WHERE m.assignment_id = a.id), '[]') AS members
  FROM assignments a JOIN teams t ON t.id = a.team_id`;

const ms = (date: Date | null) => date?.getTime() ?? null;

function toAssignment(row: AssignmentRow): Assignment {
  return {
    id: String(row.id),
    incident: row.incident_id,
    team: row.team_id,
    teamName: row.team_name,
    state: row.state,
    dispatchedBy: row.dispatched_by,
    offeredAt: row.offered_at.getTime(),
    answerBy: row.answer_by.getTime(),
    acceptedAt: ms(row.accepted_at),
    enRouteAt: ms(row.en_route_at),
    onSceneAt: ms(row.on_scene_at),
    endedAt: ms(row.ended_at),
    reason: row.reason,
    members: row.members.map((m) => ({
      volunteer: m.volunteer,
      status: m.status,
      answer: m.answer,
      answeredAt: m.answered_at === null ? null : Date.parse(m.answered_at),
    })),
  };
}

/** One assignment; `lock` holds its row until the transaction ends. */
export async function loadAssignment(q: Queryable, id: string, lock = false): Promise<Assignment | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  if (lock) await q.query('SELECT id FROM assignments WHERE id = $1 FOR UPDATE', [id]);
  const { rows } = await q.query<AssignmentRow>(`${ASSIGNMENT_SELECT} WHERE a.id = $1`, [id]);
  return rows[0] ? toAssignment(rows[0]) : null;
}

/** Every assignment of an incident, oldest first. */
export async function incidentAssignments(q: Queryable, incidentId: string): Promise<Assignment[]> {
  const { rows } = await q.query<AssignmentRow>(`${ASSIGNMENT_SELECT} WHERE a.incident_id = $1 ORDER BY a.id`, [incidentId]);
  return rows.map(toAssignment);
}

/** The active assignment a volunteer was offered and has not left (declined, freed), if any. */
export async function currentAssignmentOf(q: Queryable, volunteerId: string): Promise<Assignment | null> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT a.id FROM assignments a JOIN assignment_members m ON m.assignment_id = a.id
      WHERE m.volunteer_id = $1 AND a.state IN ${ACTIVE} AND (m.answer IS NULL OR m.answer = 'accepted')
      ORDER BY a.id DESC LIMIT 1`,
    [volunteerId],
  );
  return rows[0] ? loadAssignment(q, rows[0].id) : null;
}

export interface NewAssignment {
  incident: string;
  team: string;
  dispatchedBy: string;
  reason: RecommendationReason | null;
  offeredAt: number;
  answerBy: number;
  members: string[];
}

/**
 * Offers the incident to the team; null when the team already has an active assignment (the
 * store's unique index decides, so two servers or two coordinators cannot both win).
 */
export async function insertAssignment(q: Queryable, a: NewAssignment): Promise<string | null> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO assignments (incident_id, team_id, state, dispatched_by, reason, offered_at, answer_by)
     VALUES ($1, $2, 'offered', $3, $4, $5, $6)
     ON CONFLICT (team_id) WHERE state IN ${ACTIVE} DO NOTHING RETURNING id`,
    [a.incident, a.team, a.dispatchedBy, a.reason && JSON.stringify(a.reason), new Date(a.offeredAt), new Date(a.answerBy)],
  );
  const id = rows[0]?.id;
  if (id === undefined) return null;
  await q.query(
    'INSERT INTO assignment_members (assignment_id, volunteer_id) SELECT $1, unnest($2::text[])',
    [id, a.members],
  );
  return String(id);
}

const STAMP: Partial<Record<AssignmentState, string>> = {
  accepted: 'accepted_at',
  en_route: 'en_route_at',
  on_scene: 'on_scene_at',
  released: 'ended_at',
  declined: 'ended_at',
  timed_out: 'ended_at',
  cancelled: 'ended_at',
};

/** Stores the assignment's new state (stamping the time it was first reached) and the answers. */
export async function saveAssignment(q: Queryable, id: string, state: AssignmentState, moves: MemberMove[], at: number): Promise<void> {
  const stamp = STAMP[state];
  await q.query(
    `UPDATE assignments SET state = $2${stamp ? `, ${stamp} = COALESCE(${stamp}, $3)` : ''} WHERE id = $1`,
    stamp ? [id, state, new Date(at)] : [id, state],
  );
  const answers = moves.filter((m) => m.answered).map((m) => ({ volunteer: m.volunteer, answer: m.answer }));
  if (answers.length === 0) return;
  await q.query(
    `UPDATE assignment_members m SET answer = x.answer, answered_at = $3
       FROM jsonb_to_recordset($2::jsonb) AS x(volunteer text, answer text)
      WHERE m.assignment_id = $1 AND m.volunteer_id = x.volunteer`,
    [id, JSON.stringify(answers), new Date(at)],
  );
}

/** Active assignments whose answer time has passed with something left to settle. */
export async function assignmentsPastAnswerTime(q: Queryable, now: number): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT a.id FROM assignments a WHERE a.state IN ${ACTIVE} AND a.answer_by < $1
       AND (a.state = 'offered' OR EXISTS (SELECT 1 FROM assignment_members m WHERE m.assignment_id = a.id AND m.answer IS NULL))
     ORDER BY a.answer_by`,
    [new Date(now)],
  );
  return rows.map((r) => String(r.id));
}

/** Active assignments on incidents that have been closed: their teams go home. */
export async function assignmentsOfClosedIncidents(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT a.id FROM assignments a JOIN incidents i ON i.id = a.incident_id
      WHERE a.state IN ${ACTIVE} AND i.state = 'closed' ORDER BY a.id`,
  );
  return rows.map((r) => String(r.id));
}

/** Teams that already had this incident offered to them. */
export async function teamsTried(q: Queryable, incidentId: string): Promise<Set<string>> {
  const { rows } = await q.query<{ team_id: string }>('SELECT DISTINCT team_id FROM assignments WHERE incident_id = $1', [incidentId]);
  return new Set(rows.map((r) => r.team_id));
}

/** The active assignment of a team, if any. */
export async function activeAssignmentOfTeam(q: Queryable, teamId: string): Promise<string | null> {
  const { rows } = await q.query<{ id: string }>(`SELECT id FROM assignments WHERE team_id = $1 AND state IN ${ACTIVE}`, [teamId]);
  return rows[0] ? String(rows[0].id) : null;
}

interface CandidateRow {
  id: string;
  name: string;
  subdistrict: string;
  specialty: Specialty;
  busy: boolean;
  recent: number;
  members: Array<{ id: string; status: VolunteerStatus; lon: number | null; lat: number | null; position_at: string | null; skills: Skill[] }>;
}

/** Every team with its on-duty members, whether it is busy, and its recent load. */
export async function candidateTeams(q: Queryable, now: number, teamId: string | null = null): Promise<CandidateTeam[]> {
  const { rows } = await q.query<CandidateRow>(
    `SELECT t.id, t.name, t.subdistrict, t.specialty,
        EXISTS (SELECT 1 FROM assignments a WHERE a.team_id = t.id AND a.state IN ${ACTIVE}) AS busy,
        (SELECT count(*)::int FROM assignments a WHERE a.team_id = t.id AND a.offered_at > $1) AS recent,
        COALESCE((SELECT jsonb_agg(jsonb_build_object('id', v.id, 'status', v.status, 'lon', v.lon, 'lat', v.lat,
            'position_at', v.position_at, 'skills', to_jsonb(v.skills)))
          FROM volunteers v WHERE v.team_id = t.id AND v.status <> 'off_duty'), '[]') AS members
       FROM teams t WHERE $2::text IS NULL OR t.id = $2`,
    [new Date(now - LOAD_WINDOW_MS), teamId],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    subdistrict: row.subdistrict,
    specialty: row.specialty,
    busy: row.busy,
    recentAssignments: row.recent,
    members: row.members.map((m) => ({
      id: m.id,
      status: m.status,
      lon: m.lon,
      lat: m.lat,
      positionAt: m.position_at === null ? null : Date.parse(m.position_at),
      skills: m.skills,
    })),
  }));
}

/** Members of a team who are available now (the ones an offer goes to). */
export async function availableMembers(q: Queryable, teamId: string): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM volunteers WHERE team_id = $1 AND status = 'available' ORDER BY id FOR UPDATE`,
    [teamId],
  );
  return rows.map((r) => r.id);
}

/** Of `ids`, the volunteers still working on an active assignment (not declined, not timed out). */
export async function volunteersOnAssignment(q: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await q.query<{ id: string }>(
    `SELECT DISTINCT m.volunteer_id AS id FROM assignment_members m JOIN assignments a ON a.id = m.assignment_id
      WHERE m.volunteer_id = ANY($1) AND a.state IN ${ACTIVE} AND (m.answer IS NULL OR m.answer = 'accepted')`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}

interface DutyRow {
  id: string;
  name: string;
  team: string;
  team_name: string;
  status: VolunteerStatus;
  status_at: Date;
  skills: Skill[];
  shifts: Array<{ startsAt: string; endsAt: string }>;
}

/** What a volunteer's own page shows: itself, its coming shifts and its current offer or assignment. */
export async function myDuty(q: Queryable, volunteerId: string): Promise<MyDuty> {
  const { rows } = await q.query<DutyRow>(
    `SELECT v.id, v.name, v.team_id AS team, t.name AS team_name, v.status, v.status_at, v.skills,
        COALESCE((SELECT jsonb_agg(jsonb_build_object('startsAt', s.starts_at, 'endsAt', s.ends_at) ORDER BY s.starts_at)
          FROM shifts s WHERE s.volunteer_id = v.id AND s.ends_at > now()), '[]') AS shifts
       FROM volunteers v JOIN teams t ON t.id = v.team_id WHERE v.id = $1`,
    [volunteerId],
  );
  const row = rows[0];
  if (!row) throw new Error(`volunteer ${volunteerId} is gone`);
  const assignment = await currentAssignmentOf(q, volunteerId);
  return {
    id: row.id,
    name: row.name,
    team: row.team,
    teamName: row.team_name,
    status: row.status,
    statusAt: row.status_at.toISOString(),
    skills: row.skills,
    shifts: row.shifts.map((s) => ({ startsAt: new Date(s.startsAt).toISOString(), endsAt: new Date(s.endsAt).toISOString() })),
    assignment: assignment && (await myAssignment(q, assignment, volunteerId)),
  };
}

async function myAssignment(q: Queryable, assignment: Assignment, volunteerId: string): Promise<MyDuty['assignment']> {
  const { rows } = await q.query<{ id: string; kind: IncidentKind; severity: number; lon: number; lat: number; description: string | null; reported_at: Date }>(
    'SELECT id, kind, severity, lon, lat, description, reported_at FROM incidents WHERE id = $1',
    [assignment.incident],
  );
  const incident = rows[0]!;
  return {
    id: assignment.id,
    state: assignment.state,
    answerBy: new Date(assignment.answerBy).toISOString(),
    myAnswer: assignment.members.find((m) => m.volunteer === volunteerId)?.answer ?? null,
    incident: {
      id: incident.id,
      kind: incident.kind,
      severity: incident.severity,
      lon: incident.lon,
      lat: incident.lat,
      description: incident.description,
      reportedAt: incident.reported_at.toISOString(),
    },
  };
}
