/**
 * The volunteer registry (teams, volunteers) and their live state: duty status, last position,
 * and the position history. Names, phone numbers and device ids are stored here and never leave
 * through a unit view; neither do a position's readings (accuracy, speed, battery …).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PositionReport, TeamRecord, VolunteerRecord } from '../contract/ingest.ts';
import type { UnitView } from '../contract/live.ts';
import type { VolunteerState } from '../domain/reports.ts';
import type { Specialty } from '../domain/vocabulary.ts';
import type { Queryable } from './store.ts';

/** A volunteer's live state with the team facts a unit view needs. */
export type VolunteerLive = VolunteerState & { team: string; specialty: Specialty };

/** What a phone measured with a position, stored in the history only. */
export type Readings = Pick<PositionReport, 'accuracy' | 'speed' | 'bearing' | 'altitude' | 'battery'>;

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

/**
 * The last record of each id in a batch: ON CONFLICT DO UPDATE cannot change one row twice in
 * a statement, and the last record of a batch is the one that counts.
 */
function lastOfEach<T extends { id: string }>(records: T[]): T[] {
  return [...new Map(records.map((r) => [r.id, r])).values()];
}

export async function saveTeams(q: Queryable, teams: TeamRecord[]): Promise<void> {
  await q.query(
    `INSERT INTO teams (id, name, subdistrict, specialty, community)
     SELECT id, name, subdistrict, specialty, community FROM jsonb_to_recordset($1::jsonb)
       AS x(id text, name text, subdistrict text, specialty text, community text)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, subdistrict = EXCLUDED.subdistrict,
       specialty = EXCLUDED.specialty, community = EXCLUDED.community, updated_at = now()`,
    [JSON.stringify(lastOfEach(teams))],
  );
}

/** Team ids among `ids` that are not registered. */
export async function missingTeams(q: Queryable, ids: string[]): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM teams WHERE id = ANY($1)', [ids]);
  const known = new Set(rows.map((r) => r.id));
  return [...new Set(ids)].filter((id) => !known.has(id));
}

/**
 * Registers or updates volunteers; a batch naming one volunteer twice keeps the last. `seq` is
 * the sequence number of each volunteer that is new or changed team (the changes a wall sees);
 * the others keep theirs. A record is the whole truth, so one without a device id unlinks the
 * phone, and one without skills has none. The caller has checked that no device is held by a volunteer outside the batch (see
 * deviceHolders).
 */
export async function saveVolunteers(
  q: Queryable,
  volunteers: Array<VolunteerRecord & { seq: number | null }>,
): Promise<void> {
  const latest = lastOfEach(volunteers);
  // Release the batch's devices first: the unique index is checked row by row, so two
  // volunteers swapping phones in one batch would otherwise clash with each other.
  await q.query('UPDATE volunteers SET device_id = NULL WHERE id = ANY($1) AND device_id IS NOT NULL', [
    latest.map((v) => v.id),
  ]);
  // The proposed row must be a valid row even when it only updates one, so a volunteer keeping
  // its seq is proposed with 0; sequence numbers start at 1 and only grow, so GREATEST keeps the
  // held one then, and takes a newly taken one otherwise.
  await q.query(
    `INSERT INTO volunteers (id, team_id, name, phone, device_id, skills, community, seq)
     SELECT id, "teamId", name, phone, "deviceId", ARRAY(SELECT jsonb_array_elements_text(skills)), community,
       COALESCE(seq, 0) FROM jsonb_to_recordset($1::jsonb)
       AS x(id text, "teamId" text, name text, phone text, "deviceId" text, skills jsonb, community text, seq bigint)
     ON CONFLICT (id) DO UPDATE SET team_id = EXCLUDED.team_id, name = EXCLUDED.name,
       phone = EXCLUDED.phone, device_id = EXCLUDED.device_id, skills = EXCLUDED.skills,
       community = EXCLUDED.community, seq = GREATEST(EXCLUDED.seq, volunteers.seq)`,
    [JSON.stringify(latest.map((v) => ({ ...v, skills: v.skills ?? [] })))],
  );
}

/** The volunteer holding each of these devices, for those that are registered. */
export async function deviceHolders(q: Queryable, deviceIds: string[]): Promise<Map<string, string>> {
  const { rows } = await q.query<{ id: string; device_id: string }>(
    'SELECT id, device_id FROM volunteers WHERE device_id = ANY($1)',
    [deviceIds],
  );
  return new Map(rows.map((r) => [r.device_id, r.id]));
}

/** The volunteer a phone app belongs to, or null when no one registered it. */
export async function volunteerOfDevice(q: Queryable, deviceId: string): Promise<string | null> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM volunteers WHERE device_id = $1', [deviceId]);
  return rows[0]?.id ?? null;
}

/** Current team of each registered volunteer among `ids`. */
export async function volunteerTeams(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  const { rows } = await q.query<{ id: string; team_id: string }>(
    'SELECT id, team_id FROM volunteers WHERE id = ANY($1)',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.team_id]));
}

/**
 * The live rows a transaction is about to change. No row lock is taken: every writer holds the
 * writers' lock (store.ts) until it commits, so nothing changes these rows under the caller,
 * and a lock on each of a batch's thousands of rows was a write of its own (a third of this read).
 */
export async function loadVolunteers(q: Queryable, ids: string[]): Promise<Map<string, VolunteerLive>> {
  const { rows } = await q.query<UnitRow>(`${UNIT_SELECT} WHERE v.id = ANY($1)`, [ids]);
  return new Map(rows.map((row) => [row.id, toLive(row)]));
}

/**
 * Appends every accepted position, with its readings, to the history and stores each
 * volunteer's latest state (a batch may carry several reports of one volunteer, in time order).
 * With `copy` (PostgreSQL: store.copies) the history goes in by COPY, an order of magnitude
 * faster than any INSERT; otherwise as a JSON recordset.
 */
export async function savePositions(
  q: Queryable,
  reports: Array<{ live: VolunteerLive; seq: number; statusChanged: boolean; readings: Readings }>,
  copy: boolean,
): Promise<void> {
  if (reports.length === 0) return;
  const history = reports.map(({ live, seq, readings }) => ({
    id: live.id,
    lon: live.lon,
    lat: live.lat,
    subdistrict: live.place.subdistrict,
    cell: live.place.cell,
    outside: live.place.outside,
    at: new Date(live.positionAt ?? 0).toISOString(),
    status: live.status,
    seq,
    accuracy: readings.accuracy,
    speed: readings.speed,
    bearing: readings.bearing,
    altitude: readings.altitude,
    battery: readings.battery,
  }));
  const latest = new Map<string, (typeof history)[number] & { status_at: string | null }>();
  reports.forEach(({ statusChanged }, i) => {
    const row = history[i]!;
    const statusAt = statusChanged ? row.at : (latest.get(row.id)?.status_at ?? null);
    latest.set(row.id, { ...row, status_at: statusAt });
  });
  const rows = [...latest.values()];
  // One array a column: PostgreSQL reads these faster than the same rows as JSON.
  await q.query(
    `UPDATE volunteers v SET status = x.status, status_at = COALESCE(x.status_at, v.status_at),
       lon = x.lon, lat = x.lat, subdistrict = x.subdistrict, cell = x.cell, outside = x.outside,
       position_at = x.at, seq = x.seq
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[], $6::text[], $7::text[],
                 $8::boolean[], $9::timestamptz[], $10::bigint[])
       AS x(id, status, status_at, lon, lat, subdistrict, cell, outside, at, seq)
     WHERE v.id = x.id`,
    LIVE_COLUMNS.map((column) => rows.map((row) => row[column])),
  );
  // Off duty there is no position to keep (see applyPositionReport): the track has a gap.
  await appendHistory(q, history.filter((row) => row.lon !== null), copy);
}

const LIVE_COLUMNS = ['id', 'status', 'status_at', 'lon', 'lat', 'subdistrict', 'cell', 'outside', 'at', 'seq'] as const;
const HISTORY_COLUMNS = ['volunteer_id', 'at', 'lon', 'lat', 'subdistrict', 'cell', 'outside', 'seq', 'accuracy', 'speed', 'bearing', 'altitude', 'battery'];

export type HistoryRow = { id: string; at: string; lon: number | null; lat: number | null; subdistrict: string | null; cell: string | null; outside: boolean; seq: number } & Readings;

/** A value in COPY's text format: \N for null; backslash, tab and line breaks escaped. */
function copyText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

/** Rows into the position history: by COPY with `copy`, else as a JSON recordset. */
export async function appendHistory(q: Queryable, rows: HistoryRow[], copy: boolean): Promise<void> {
  if (rows.length === 0) return;
  if (!copy) {
    await q.query(
      `INSERT INTO positions (${HISTORY_COLUMNS.join(', ')})
       SELECT id, at, lon, lat, subdistrict, cell, outside, seq, accuracy, speed, bearing, altitude, battery
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, at timestamptz, lon float8, lat float8, subdistrict text,
         cell text, outside boolean, seq bigint, accuracy float8, speed float8, bearing float8, altitude float8, battery float8)`,
      [JSON.stringify(rows)],
    );
    return;
  }
  const lines = rows.map((r) =>
    [r.id, r.at, r.lon, r.lat, r.subdistrict, r.cell, r.outside, r.seq, r.accuracy, r.speed, r.bearing, r.altitude, r.battery].map(copyText).join('\t'),
  );
  const sink = q.query(copyFrom(`COPY positions (${HISTORY_COLUMNS.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([`${lines.join('\n')}\n`]), sink);
}

/** Units whose state changed after `since` (all units for since = 0). */
export async function unitViewsSince(q: Queryable, since: number): Promise<UnitView[]> {
  const { rows } = await q.query<UnitRow>(`${UNIT_SELECT} WHERE v.seq > $1 ORDER BY v.seq`, [since]);
  return rows.map((row) => unitView(toLive(row), Number(row.seq)));
}

/** A volunteer with name, phone and device: for coordinators, never for a wall. */
export interface VolunteerIdentity {
  id: string;
  name: string;
  phone: string | null;
  deviceId: string | null;
  team: string;
  teamName: string;
  subdistrict: string;
  specialty: Specialty;
  status: VolunteerState['status'];
}

/** Every volunteer, or those of the teams of one subdistrict, by team and name. */
export async function volunteerIdentities(q: Queryable, subdistrict: string | null): Promise<VolunteerIdentity[]> {
  const { rows } = await q.query<VolunteerIdentity>(
    `SELECT v.id, v.name, v.phone, v.device_id AS "deviceId", v.team_id AS team, t.name AS "teamName",
            t.subdistrict, t.specialty, v.status
       FROM volunteers v JOIN teams t ON t.id = v.team_id
      WHERE $1::text IS NULL OR t.subdistrict = $1
      ORDER BY t.id, v.name`,
    [subdistrict],
  );
  return rows;
}

export interface StatusMove {
  id: string;
  from: VolunteerState['status'];
  to: VolunteerState['status'];
  seq: number;
}

/**
 * Moves volunteers to new statuses at `at`, each taking its seq, and keeps each move in the
 * status history. Going off duty drops the position (a position is kept only on duty).
 */
export async function saveStatuses(q: Queryable, moves: StatusMove[], at: number, assignment: string | null): Promise<void> {
  if (moves.length === 0) return;
  const rows = JSON.stringify(moves);
  await q.query(
    `UPDATE volunteers v SET status = x.to, status_at = $2, seq = x.seq,
       lon = CASE WHEN x.to = 'off_duty' THEN NULL ELSE v.lon END,
       lat = CASE WHEN x.to = 'off_duty' THEN NULL ELSE v.lat END,
       subdistrict = CASE WHEN x.to = 'off_duty' THEN NULL ELSE v.subdistrict END,
       cell = CASE WHEN x.to = 'off_duty' THEN NULL ELSE v.cell END,
       outside = CASE WHEN x.to = 'off_duty' THEN false ELSE v.outside END
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, "to" text, seq bigint) WHERE v.id = x.id`,
    [rows, new Date(at)],
  );
  await recordStatusChanges(q, moves.map((m) => ({ ...m, at })), assignment);
}

/** Appends status moves to the history. */
export async function recordStatusChanges(
  q: Queryable,
  moves: Array<{ id: string; from: string; to: string; at: number }>,
  assignment: string | null = null,
): Promise<void> {
  if (moves.length === 0) return;
  await q.query(
    `INSERT INTO status_changes (volunteer_id, from_status, to_status, at, assignment)
     SELECT id, "from", "to", to_timestamp(at / 1000.0), $2 FROM jsonb_to_recordset($1::jsonb)
       AS x(id text, "from" text, "to" text, at float8)`,
    [JSON.stringify(moves), assignment],
  );
}
