/**
 * Safety incidents (安全事件): current state, one row per incident, written in bulk.
 */
import type { IncidentView } from '../contract/live.ts';
import type { IncidentRecord } from '../domain/reports.ts';
import type { LifecycleRow } from './rows.ts';
import type { Queryable } from './store.ts';

/** Written by every report; the teams only by the dispatch service (saveDispatch). */
const COLUMNS = `id, kind, severity, state, lon, lat, subdistrict, cell, outside, description,
  reported_at, updated_at, closed_at, dispatched_at, on_scene_at, seq`;
const DISPATCH_COLUMNS = 'teams';

interface IncidentRow extends LifecycleRow {
  kind: IncidentRecord['kind'];
  severity: IncidentRecord['severity'];
  state: IncidentRecord['state'];
  closed_at: Date | null;
  dispatched_at: Date | null;
  on_scene_at: Date | null;
  teams: IncidentRecord['teams'];
}

function toView(row: IncidentRow): IncidentView & { description: string | null } {
  const { reported_at, updated_at, closed_at, dispatched_at, on_scene_at, seq, ...rest } = row;
  return {
    ...rest,
    reportedAt: reported_at.getTime(),
    updatedAt: updated_at.getTime(),
    dispatchedAt: dispatched_at?.getTime() ?? null,
    onSceneAt: on_scene_at?.getTime() ?? null,
    closedAt: closed_at?.getTime() ?? null,
    seq: Number(seq),
  };
}

export function incidentView(record: IncidentRecord, seq: number): IncidentView {
  const { description: _description, ...view } = record;
  return { ...view, seq };
}

export async function loadIncidents(q: Queryable, ids: string[], lock = true): Promise<Map<string, IncidentRecord>> {
  const { rows } = await q.query<IncidentRow>(
    `SELECT ${COLUMNS}, ${DISPATCH_COLUMNS} FROM incidents WHERE id = ANY($1)${lock ? ' FOR UPDATE' : ''}`,
    [ids],
  );
  return new Map(rows.map((row) => {
    const { seq: _seq, ...record } = toView(row);
    return [row.id, record];
  }));
}

export async function saveIncidents(
  q: Queryable,
  incidents: Array<{ record: IncidentRecord; seq: number }>,
): Promise<void> {
  if (incidents.length === 0) return;
  const rows = incidents.map(({ record: r, seq }) => ({
    ...r,
    reported_at: new Date(r.reportedAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
    closed_at: iso(r.closedAt),
    dispatched_at: iso(r.dispatchedAt),
    on_scene_at: iso(r.onSceneAt),
    seq,
  }));
  await q.query(
    `INSERT INTO incidents (${COLUMNS})
     SELECT ${COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS x(id text, kind text, severity smallint,
       state text, lon float8, lat float8, subdistrict text, cell text, outside boolean, description text,
       reported_at timestamptz, updated_at timestamptz, closed_at timestamptz, dispatched_at timestamptz,
       on_scene_at timestamptz, seq bigint)
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, severity = EXCLUDED.severity,
       state = EXCLUDED.state, lon = EXCLUDED.lon, lat = EXCLUDED.lat, subdistrict = EXCLUDED.subdistrict,
       cell = EXCLUDED.cell, outside = EXCLUDED.outside, description = EXCLUDED.description,
       updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at, dispatched_at = EXCLUDED.dispatched_at,
       on_scene_at = EXCLUDED.on_scene_at, seq = EXCLUDED.seq`,
    [JSON.stringify(rows)],
  );
}

/** Every incident the wall shows: all but the closed ones. */
export async function openIncidentViews(q: Queryable): Promise<IncidentView[]> {
  const { rows } = await q.query<IncidentRow>(
    `SELECT ${COLUMNS}, ${DISPATCH_COLUMNS} FROM incidents WHERE state <> 'closed' ORDER BY seq`,
  );
  return rows.map((row) => {
    const { description: _description, ...view } = toView(row);
    return view;
  });
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** One incident with its description, or null. */
export async function findIncident(q: Queryable, id: string, lock = false): Promise<IncidentRecord | null> {
  return (await loadIncidents(q, [id], lock)).get(id) ?? null;
}

/** The response clocks and teams the dispatch service keeps; the incident takes `seq`. */
export async function saveDispatch(
  q: Queryable,
  id: string,
  dispatch: Pick<IncidentRecord, 'dispatchedAt' | 'onSceneAt' | 'teams'>,
  seq: number,
): Promise<void> {
  await q.query(
    `UPDATE incidents SET dispatched_at = $2, on_scene_at = $3, teams = $4, seq = $5,
       dispatch_version = dispatch_version + 1 WHERE id = $1`,
    [
      id,
      dispatch.dispatchedAt === null ? null : new Date(dispatch.dispatchedAt),
      dispatch.onSceneAt === null ? null : new Date(dispatch.onSceneAt),
      JSON.stringify(dispatch.teams),
      seq,
    ],
  );
}

/**
 * How many assignment changes the incident has seen (the collision guard compares it), and the
 * seq of its last change; null for an unknown incident.
 */
export async function dispatchVersion(q: Queryable, id: string): Promise<{ version: number; seq: number } | null> {
  const { rows } = await q.query<{ dispatch_version: number; seq: string }>('SELECT dispatch_version, seq FROM incidents WHERE id = $1', [id]);
  const row = rows[0];
  return row ? { version: row.dispatch_version, seq: Number(row.seq) } : null;
}
