/**
 * The volunteer registry (teams, volunteers) and their live state: duty status, last position,
 * and the position history. Names and phone numbers are stored here and never leave through a
 * unit view.
 */
import type { TeamRecord, VolunteerRecord } from '../contract/ingest.ts';
import type { UnitView } from '../contract/live.ts';
import type { VolunteerState } from '../domain/reports.ts';
import type { Specialty } from '../domain/vocabulary.ts';
import type { Queryable } from './store.ts';

/** A volunteer's live state with the team facts a unit view needs. */
export type VolunteerLive = VolunteerState & { team: string; specialty: Specialty };

interface UnitRow {
  id: string;
  team_id: string;
  specialty: Specialty;
  status: VolunteerState['status'];
  lon: number | null;
  lat: number | null;
  subdistrict: string | null;
  cell: string | null;
  outside: boolean;
  position_at: Date | null;
  seq: string;
}

const UNIT_SELECT = `SELECT v.id, v.team_id, t.specialty, v.status, v.lon, v.lat, v.subdistrict, v.cell,
  v.outside, v.position_at, v.seq FROM volunteers v JOIN teams t ON t.id = v.team_id`;

function toLive(row: UnitRow): VolunteerLive {
  return {
    id: row.id,
    team: row.team_id,
    specialty: row.specialty,
    status: row.status,
    lon: row.lon,
    lat: row.lat,
    place: { subdistrict: row.subdistrict, cell: row.cell, outside: row.outside },
    positionAt: row.position_at ? row.position_at.getTime() : null,
  };
}

export function unitView(live: VolunteerLive, seq: number): UnitView {
  return {
    id: live.id,
    team: live.team,
    specialty: live.specialty,
    status: live.status,
    lon: live.lon,
    lat: live.lat,
    ...live.place,
    at: live.positionAt,
    seq,
  };
}

export async function saveTeams(q: Queryable, teams: TeamRecord[]): Promise<void> {
  await q.query(
    `INSERT INTO teams (id, name, subdistrict, specialty)
     SELECT id, name, subdistrict, specialty FROM jsonb_to_recordset($1::jsonb)
       AS x(id text, name text, subdistrict text, specialty text)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, subdistrict = EXCLUDED.subdistrict,
       specialty = EXCLUDED.specialty, updated_at = now()`,
    [JSON.stringify(teams)],
  );
}

/** Team ids among `ids` that are not registered. */
export async function missingTeams(q: Queryable, ids: string[]): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM teams WHERE id = ANY($1)', [ids]);
  const known = new Set(rows.map((r) => r.id));
  return [...new Set(ids)].filter((id) => !known.has(id));
}

/**
 * Registers or updates volunteers. `seqOf` gives the sequence number of each volunteer that is
 * new or changed team (the changes a wall sees); the others keep theirs.
 */
export async function saveVolunteers(
  q: Queryable,
  volunteers: Array<VolunteerRecord & { seq: number | null }>,
): Promise<void> {
  await q.query(
    `INSERT INTO volunteers (id, team_id, name, phone, seq)
     SELECT id, "teamId", name, phone, seq FROM jsonb_to_recordset($1::jsonb)
       AS x(id text, "teamId" text, name text, phone text, seq bigint)
     ON CONFLICT (id) DO UPDATE SET team_id = EXCLUDED.team_id, name = EXCLUDED.name,
       phone = EXCLUDED.phone, seq = COALESCE(EXCLUDED.seq, volunteers.seq)`,
    [JSON.stringify(volunteers)],
  );
}

/** Current team of each registered volunteer among `ids`. */
export async function volunteerTeams(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  const { rows } = await q.query<{ id: string; team_id: string }>(
    'SELECT id, team_id FROM volunteers WHERE id = ANY($1)',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.team_id]));
}

export async function loadVolunteers(q: Queryable, ids: string[]): Promise<Map<string, VolunteerLive>> {
  const { rows } = await q.query<UnitRow>(`${UNIT_SELECT} WHERE v.id = ANY($1) FOR UPDATE OF v`, [ids]);
  return new Map(rows.map((row) => [row.id, toLive(row)]));
}

/**
 * Appends every accepted position to the history and stores each volunteer's latest state
 * (a batch may carry several reports of one volunteer, in time order).
 */
export async function savePositions(
  q: Queryable,
  reports: Array<{ live: VolunteerLive; seq: number; statusChanged: boolean }>,
): Promise<void> {
  if (reports.length === 0) return;
  const history = reports.map(({ live, seq }) => ({
    id: live.id,
    lon: live.lon,
    lat: live.lat,
    subdistrict: live.place.subdistrict,
    cell: live.place.cell,
    outside: live.place.outside,
    at: new Date(live.positionAt ?? 0).toISOString(),
    status: live.status,
    seq,
  }));
  const latest = new Map<string, (typeof history)[number] & { status_at: string | null }>();
  reports.forEach(({ statusChanged }, i) => {
    const row = history[i]!;
    const statusAt = statusChanged ? row.at : (latest.get(row.id)?.status_at ?? null);
    latest.set(row.id, { ...row, status_at: statusAt });
  });
  const recordset = `jsonb_to_recordset($1::jsonb) AS x(id text, status text, status_at timestamptz,
    lon float8, lat float8, subdistrict text, cell text, outside boolean, at timestamptz, seq bigint)`;
  await q.query(
    `UPDATE volunteers v SET status = x.status, status_at = COALESCE(x.status_at, v.status_at),
       lon = x.lon, lat = x.lat, subdistrict = x.subdistrict, cell = x.cell, outside = x.outside,
       position_at = x.at, seq = x.seq
     FROM ${recordset} WHERE v.id = x.id`,
    [JSON.stringify([...latest.values()])],
  );
  await q.query(
    `INSERT INTO positions (volunteer_id, at, lon, lat, subdistrict, cell, outside, seq)
     SELECT id, at, lon, lat, subdistrict, cell, outside, seq FROM ${recordset}`,
    [JSON.stringify(history)],
  );
}

/** Units whose state changed after `since` (all units for since = 0). */
export async function unitViewsSince(q: Queryable, since: number): Promise<UnitView[]> {
  const { rows } = await q.query<UnitRow>(`${UNIT_SELECT} WHERE v.seq > $1 ORDER BY v.seq`, [since]);
  return rows.map((row) => unitView(toLive(row), Number(row.seq)));
}
