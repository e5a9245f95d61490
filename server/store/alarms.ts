/**
 * Alarms and the facts their conditions are judged on (domain/alarms.ts). Every write takes
 * the seq the caller took for it, so each alarm change is a change on the live stream.
 */
import type { AlarmView, Whistle } from '../contract/live.ts';
import type { AlarmFacts, Condition } from '../domain/alarms.ts';
import type { CaseState, IncidentState, Severity, VolunteerStatus } from '../domain/vocabulary.ts';
import type { Queryable } from './store.ts';

interface AlarmRow {
  id: string;
  kind: AlarmView['kind'];
  subject: string;
  priority: AlarmView['priority'];
  state: AlarmView['state'];
  subdistrict: string | null;
  lon: number | null;
  lat: number | null;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  cleared_at: Date | null;
  seq: string;
}

function toView(row: AlarmRow): AlarmView {
  return {
    id: String(row.id),
    kind: row.kind,
    subject: row.subject,
    priority: row.priority,
    state: row.state,
    subdistrict: row.subdistrict,
    lon: row.lon,
    lat: row.lat,
    raisedAt: row.raised_at.getTime(),
    acknowledgedAt: row.acknowledged_at?.getTime() ?? null,
    acknowledgedBy: row.acknowledged_by,
    clearedAt: row.cleared_at?.getTime() ?? null,
    seq: Number(row.seq),
  };
}

/** Alarms not cleared, oldest first. */
export async function openAlarms(q: Queryable): Promise<AlarmView[]> {
  const { rows } = await q.query<AlarmRow>("SELECT * FROM alarms WHERE state <> 'cleared' ORDER BY id");
  return rows.map(toView);
}

export async function findAlarm(q: Queryable, id: string): Promise<AlarmView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await q.query<AlarmRow>('SELECT * FROM alarms WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ? toView(rows[0]) : null;
}

export async function raiseAlarms(q: Queryable, raised: Array<{ condition: Condition; seq: number }>, at: number): Promise<AlarmView[]> {
  if (raised.length === 0) return [];
  const { rows } = await q.query<AlarmRow>(
    `INSERT INTO alarms (kind, subject, priority, state, subdistrict, lon, lat, raised_at, seq)
     SELECT kind, subject, priority, 'active', subdistrict, lon, lat, $2, seq
       FROM jsonb_to_recordset($1::jsonb) AS x(kind text, subject text, priority smallint, subdistrict text,
         lon float8, lat float8, seq bigint)
     RETURNING *`,
    [JSON.stringify(raised.map(({ condition, seq }) => ({ ...condition, seq }))), new Date(at)],
  );
  return rows.map(toView).sort((a, b) => a.seq - b.seq);
}

export async function clearAlarms(q: Queryable, cleared: Array<{ id: string; seq: number }>, at: number): Promise<AlarmView[]> {
  if (cleared.length === 0) return [];
  const { rows } = await q.query<AlarmRow>(
    `UPDATE alarms a SET state = 'cleared', cleared_at = $2, seq = x.seq
       FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, seq bigint) WHERE a.id = x.id RETURNING a.*`,
    [JSON.stringify(cleared), new Date(at)],
  );
  return rows.map(toView).sort((a, b) => a.seq - b.seq);
}

export async function acknowledgeAlarm(q: Queryable, id: string, by: string, seq: number, at: number): Promise<AlarmView> {
  const { rows } = await q.query<AlarmRow>(
    `UPDATE alarms SET state = 'acknowledged', acknowledged_at = $3, acknowledged_by = $2, seq = $4
      WHERE id = $1 RETURNING *`,
    [id, by, new Date(at), seq],
  );
  return toView(rows[0]!);
}

/** What the conditions are judged on: open severe incidents, whistles, volunteers on scene. */
export async function alarmFacts(q: Queryable): Promise<AlarmFacts> {
  // Often inside a transaction, on one connection: the queries go one after another.
  const incidents = await q.query<{ id: string; severity: Severity; state: IncidentState; subdistrict: string | null; lon: number; lat: number }>(
    "SELECT id, severity, state, subdistrict, lon, lat FROM incidents WHERE severity <= 2 AND state <> 'closed'",
  );
  const whistles = await q.query<{ id: string; state: CaseState; whistle: Whistle; subdistrict: string | null; lon: number; lat: number }>(
    "SELECT id, state, whistle, subdistrict, lon, lat FROM cases WHERE whistle IS NOT NULL AND state <> 'closed'",
  );
  const units = await q.query<{ id: string; status: VolunteerStatus; position_at: Date | null; status_at: Date; subdistrict: string | null; lon: number | null; lat: number | null }>(
    "SELECT id, status, position_at, status_at, subdistrict, lon, lat FROM volunteers WHERE status = 'on_scene'",
  );
  return {
    incidents: incidents.rows,
    whistles: whistles.rows.map(({ id, ...rest }) => ({ caseId: id, ...rest })),
    units: units.rows.map(({ position_at, status_at, ...rest }) => ({
      ...rest,
      positionAt: position_at?.getTime() ?? null,
      statusAt: status_at.getTime(),
    })),
  };
}
