/**
 * Grid cases (网格事件): current state, one row per case, written in bulk.
 */
import type { CaseView } from '../contract/live.ts';
import type { CaseRecord } from '../domain/reports.ts';
import type { LifecycleRow } from './rows.ts';
import type { Queryable } from './store.ts';

/** Written by every report; `whistle` is written only by the escalation (setWhistle). */
const COLUMNS = `id, source, source_id, category, state, urgency, lon, lat, subdistrict, cell, outside, description,
  reported_at, updated_at, deadline_at, resolved_at, responded_at, closed_at, reporter, solved, satisfaction, seq`;

interface CaseRow extends LifecycleRow {
  source: CaseRecord['source'];
  source_id: string;
  category: CaseRecord['category'];
  state: CaseRecord['state'];
  urgency: CaseRecord['urgency'];
  deadline_at: Date;
  resolved_at: Date | null;
  responded_at: Date | null;
  closed_at: Date | null;
  reporter: string | null;
  solved: boolean | null;
  satisfaction: CaseRecord['satisfaction'];
  whistle: CaseRecord['whistle'];
}

function toRecord(row: CaseRow): CaseRecord & { seq: number } {
  return {
    id: row.id,
    source: row.source,
    sourceId: row.source_id,
    category: row.category,
    state: row.state,
    urgency: row.urgency,
    lon: row.lon,
    lat: row.lat,
    subdistrict: row.subdistrict,
    cell: row.cell,
    outside: row.outside,
    description: row.description,
    reportedAt: row.reported_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    deadlineAt: row.deadline_at.getTime(),
    resolvedAt: row.resolved_at?.getTime() ?? null,
    respondedAt: row.responded_at?.getTime() ?? null,
    closedAt: row.closed_at?.getTime() ?? null,
    reporter: row.reporter,
    solved: row.solved,
    satisfaction: row.satisfaction,
    whistle: row.whistle,
    seq: Number(row.seq),
  };
}

export function caseView(record: CaseRecord, seq: number): CaseView {
  const { sourceId: _s, description: _d, respondedAt: _r, closedAt: _c, reporter: _p, solved: _o, satisfaction: _a, ...view } = record;
  return { ...view, seq };
}

export async function loadCases(q: Queryable, ids: string[]): Promise<Map<string, CaseRecord>> {
  const { rows } = await q.query<CaseRow>(`SELECT ${COLUMNS}, whistle FROM cases WHERE id = ANY($1) FOR UPDATE`, [ids]);
  return new Map(rows.map((row) => [row.id, toRecord(row)]));
}

export async function saveCases(q: Queryable, cases: Array<{ record: CaseRecord; seq: number }>): Promise<void> {
  if (cases.length === 0) return;
  const rows = cases.map(({ record: r, seq }) => ({
    ...r,
    source_id: r.sourceId,
    reported_at: new Date(r.reportedAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
    deadline_at: new Date(r.deadlineAt).toISOString(),
    resolved_at: isoOrNull(r.resolvedAt),
    responded_at: isoOrNull(r.respondedAt),
    closed_at: isoOrNull(r.closedAt),
    seq,
  }));
  await q.query(
    `INSERT INTO cases (${COLUMNS})
     SELECT ${COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS x(id text, source text, source_id text,
       category text, state text, urgency text, lon float8, lat float8, subdistrict text, cell text,
       outside boolean, description text, reported_at timestamptz, updated_at timestamptz,
       deadline_at timestamptz, resolved_at timestamptz, responded_at timestamptz, closed_at timestamptz,
       reporter text, solved boolean, satisfaction text, seq bigint)
     ON CONFLICT (id) DO UPDATE SET category = EXCLUDED.category, state = EXCLUDED.state,
       urgency = EXCLUDED.urgency, lon = EXCLUDED.lon, lat = EXCLUDED.lat, subdistrict = EXCLUDED.subdistrict,
       cell = EXCLUDED.cell, outside = EXCLUDED.outside, description = EXCLUDED.description,
       updated_at = EXCLUDED.updated_at, deadline_at = EXCLUDED.deadline_at,
       resolved_at = EXCLUDED.resolved_at, responded_at = EXCLUDED.responded_at, closed_at = EXCLUDED.closed_at,
       reporter = EXCLUDED.reporter, solved = EXCLUDED.solved, satisfaction = EXCLUDED.satisfaction, seq = EXCLUDED.seq`,
    [JSON.stringify(rows)],
  );
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Every case the wall shows: all but the closed ones. */
export async function openCaseViews(q: Queryable): Promise<CaseView[]> {
  const { rows } = await q.query<CaseRow>(`SELECT ${COLUMNS}, whistle FROM cases WHERE state <> 'closed' ORDER BY seq`);
  return rows.map((row) => {
    const { seq, ...record } = toRecord(row);
    return caseView(record, seq);
  });
}

/** Blows or updates the case's whistle (吹哨报到); the case takes `seq`. */
export async function setWhistle(q: Queryable, id: string, whistle: CaseRecord['whistle'], seq: number, at: number): Promise<void> {
  await q.query('UPDATE cases SET whistle = $2, seq = $3, updated_at = GREATEST(updated_at, $4) WHERE id = $1', [
    id,
    JSON.stringify(whistle),
    seq,
    new Date(at),
  ]);
}
