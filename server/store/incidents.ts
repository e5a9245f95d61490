/**
 * Safety incidents (安全事件): current state, one row per incident, written in bulk.
 */
import type { IncidentView } from '../contract/live.ts';
import type { IncidentRecord } from '../domain/reports.ts';
import type { LifecycleRow } from './rows.ts';
import type { Queryable } from './store.ts';

const COLUMNS = `id, kind, severity, state, lon, lat, subdistrict, cell, outside, description,
  reported_at, updated_at, seq`;

interface IncidentRow extends LifecycleRow {
  kind: IncidentRecord['kind'];
  severity: IncidentRecord['severity'];
  state: IncidentRecord['state'];
}

function toView(row: IncidentRow): IncidentView & { description: string | null } {
  const { reported_at, updated_at, seq, ...rest } = row;
  return { ...rest, reportedAt: reported_at.getTime(), updatedAt: updated_at.getTime(), seq: Number(seq) };
}

export function incidentView(record: IncidentRecord, seq: number): IncidentView {
  const { description: _description, ...view } = record;
  return { ...view, seq };
}

export async function loadIncidents(q: Queryable, ids: string[]): Promise<Map<string, IncidentRecord>> {
  const { rows } = await q.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents WHERE id = ANY($1) FOR UPDATE`,
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
    seq,
  }));
  await q.query(
    `INSERT INTO incidents (${COLUMNS})
     SELECT ${COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS x(id text, kind text, severity smallint,
       state text, lon float8, lat float8, subdistrict text, cell text, outside boolean, description text,
       reported_at timestamptz, updated_at timestamptz, seq bigint)
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, severity = EXCLUDED.severity,
       state = EXCLUDED.state, lon = EXCLUDED.lon, lat = EXCLUDED.lat, subdistrict = EXCLUDED.subdistrict,
       cell = EXCLUDED.cell, outside = EXCLUDED.outside, description = EXCLUDED.description,
       updated_at = EXCLUDED.updated_at, seq = EXCLUDED.seq`,
    [JSON.stringify(rows)],
  );
}

/** Every incident the wall shows: all but the closed ones. */
export async function openIncidentViews(q: Queryable): Promise<IncidentView[]> {
  const { rows } = await q.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents WHERE state <> 'closed' ORDER BY seq`,
  );
  return rows.map((row) => {
    const { description: _description, ...view } = toView(row);
    return view;
  });
}
