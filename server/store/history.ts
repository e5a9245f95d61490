/**
 * The time machine's reads, from the stored history itself (no second store): the district as
 * it stood at a moment, and what happened after it, in order.
 *
 * - Cases and incidents: the last view streamed (the change log keeps their views for good;
 *   only unit views are pruned) of those reported by then and not yet closed.
 * - Units: the volunteers with a position in the `lostMs` before the moment (positions are kept
 *   only on duty), at that position, with the status their last move gave them. Positions are
 *   kept for RETENTION_DAYS only, so before that the units are not shown (`unitsKept` false).
 * - Times are the reports' own (a case's or incident's change at its report's time, a unit's at
 *   its fix's), so a report sent late shows when it tells of; a change no report made (dispatch,
 *   a whistle) at the time it was stored.
 *
 * Seqs in these views are those of the stream; a replay numbers what it applies itself.
 */
import type { CaseView, Change, IncidentView, UnitView } from '../contract/live.ts';
import { MAX_CLOCK_SKEW_MS } from '../domain/reports.ts';
import type { VolunteerStatus } from '../domain/vocabulary.ts';
import type { Queryable } from './store.ts';

export interface HistoryWindow {
  lostMs: number;
  /** positions before this are no longer kept */
  keptSince: Date;
}

export interface PastSnapshot {
  at: number;
  cases: CaseView[];
  incidents: IncidentView[];
  units: UnitView[];
  unitsKept: boolean;
}

export async function snapshotAt(q: Queryable, at: Date, window: HistoryWindow): Promise<PastSnapshot> {
  const cases = await lastViews<CaseView>(q, 'case', 'cases', at);
  const incidents = await lastViews<IncidentView>(q, 'incident', 'incidents', at);
  const unitsKept = at.getTime() - window.lostMs >= window.keptSince.getTime();
  const units = unitsKept ? await unitsAt(q, at, window.lostMs) : [];
  return {
    at: at.getTime(),
    cases: cases.filter((c) => c.state !== 'closed'),
    incidents: incidents.filter((i) => i.state !== 'closed'),
    units,
    unitsKept,
  };
}

/**
 * When a case's or incident's change happened: a report's change at the report's time (its
 * view's `updatedAt`, which every report moves on), so that a report sent late (a feed's backlog)
 * still shows at the moment it tells of, as `reported_at` and `closed_at` do; a change no report
 * made (dispatch, a whistle: the view keeps the last report's `updatedAt`) when it was stored.
 * `previous` is the SQL of the entity's previous view's `updatedAt`, NULL for its first.
 */
const changeTime = (previous: string) => `CASE WHEN ${previous} IS NULL OR (ch.view->>'updatedAt')::bigint > ${previous}
  THEN to_timestamp((ch.view->>'updatedAt')::float8 / 1000) ELSE ch.at END`;

/**
 * Reported by $1 and not closed by then, written as the range report → close containing $1: the
 * same expression as the GiST indexes cases_open_span and incidents_open_span (migration 007),
 * which find these rows and estimate how many there are (as two inequalities they were estimated
 * as independent, tens of times too many, and the plan read the whole change log).
 */
const OPEN_AT = `tstzrange(e.reported_at, CASE WHEN e.closed_at IS NOT NULL THEN GREATEST(e.closed_at, e.reported_at) END, '[)') @> $1::timestamptz`;

/** The last streamed view, as of `at`, of each entity of `table` reported by then and open then. */
async function lastViews<V>(q: Queryable, kind: 'case' | 'incident', table: 'cases' | 'incidents', at: Date): Promise<V[]> {
  const { rows } = await q.query<{ view: V }>(
    `SELECT DISTINCT ON (entity_id) view FROM (
       SELECT ch.entity_id, ch.seq, ch.view,
           ${changeTime(`lag((ch.view->>'updatedAt')::bigint) OVER (PARTITION BY ch.entity_id ORDER BY ch.seq)`)} AS at
         FROM ${table} e JOIN changes ch ON ch.entity_id = e.id AND ch.kind = $2
        WHERE ${OPEN_AT}) c
      WHERE at <= $1
      ORDER BY entity_id, seq DESC`,
    [at, kind],
  );
  return rows.map((r) => r.view);
}

interface PositionRow {
  id: string;
  team: string;
  specialty: UnitView['specialty'];
  lon: number;
  lat: number;
  subdistrict: string | null;
  cell: string | null;
  outside: boolean;
  at: Date;
  seq: string;
}

const POSITION_COLUMNS = `p.volunteer_id AS id, v.team_id AS team, t.specialty, p.lon, p.lat, p.subdistrict, p.cell,
  p.outside, p.at, p.seq`;

async function unitsAt(q: Queryable, at: Date, lostMs: number): Promise<UnitView[]> {
  const { rows } = await q.query<PositionRow>(
    `SELECT ${POSITION_COLUMNS} FROM (
       SELECT DISTINCT ON (volunteer_id) * FROM positions WHERE at > $2 AND at <= $1 ORDER BY volunteer_id, at DESC) p
       JOIN volunteers v ON v.id = p.volunteer_id JOIN teams t ON t.id = v.team_id`,
    [at, new Date(at.getTime() - lostMs)],
  );
  const statuses = await statusesAt(q, rows.map((r) => r.id), at);
  return rows.flatMap((row) => {
    const status = statuses.get(row.id) ?? 'available';
    return status === 'off_duty' ? [] : [unitOf(row, status)];
  });
}

/**
 * Each volunteer's status after its last move by `at`: one step back on status_changes_volunteer
 * from `at` for each, not all of a year's moves of each sorted.
 */
async function statusesAt(q: Queryable, ids: string[], at: Date): Promise<Map<string, VolunteerStatus>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<{ id: string; status: VolunteerStatus }>(
    `SELECT v.id, s.status FROM unnest($1::text[]) AS v(id)
       CROSS JOIN LATERAL (SELECT to_status AS status FROM status_changes
                            WHERE volunteer_id = v.id AND at <= $2 ORDER BY at DESC, id DESC LIMIT 1) s`,
    [ids, at],
  );
  return new Map(rows.map((r) => [r.id, r.status]));
}

function unitOf(row: PositionRow, status: VolunteerStatus): UnitView {
  return {
    id: row.id,
    team: row.team,
    specialty: row.specialty,
    status,
    lon: row.lon,
    lat: row.lat,
    subdistrict: row.subdistrict,
    cell: row.cell,
    outside: row.outside,
    at: row.at.getTime(),
    seq: Number(row.seq),
  };
}

/** One thing that happened, at its time. */
export interface PastChange {
  at: number;
  change: Change;
}

export interface PastChanges {
  from: number;
  /** how far the changes reach: `to`, or less when `limit` cut them short */
  until: number;
  changes: PastChange[];
  unitsKept: boolean;
}

/**
 * What happened in (from, to], in time order, at most about `limit` items: case and incident
 * views as streamed, and for units each position and each status move (a move to off duty
 * takes the unit off the map).
 */
export async function changesBetween(q: Queryable, from: Date, to: Date, limit: number, window: HistoryWindow): Promise<PastChanges> {
  const unitsKept = from.getTime() >= window.keptSince.getTime();
  // A report's time lies at most MAX_CLOCK_SKEW_MS after its receipt, so what happened after
  // `from` was stored after `from` less that (twice, for the database's clock).
  // What happens in (from, to] was stored in it, or reported in it (its updatedAt): each of the
  // two has an index (changes_at, changes_updated_at), so a past hour reads about an hour's views.
  const views = await q.query<{ at: Date; kind: 'case' | 'incident'; seq: string; created: boolean; view: CaseView | IncidentView }>(
    `SELECT at, kind, seq, created, view FROM (
       SELECT ch.kind, ch.seq, ch.created, ch.view, ${changeTime('prev.updated')} AS at
         FROM changes ch
         LEFT JOIN LATERAL (SELECT (p.view->>'updatedAt')::bigint AS updated FROM changes p
                             WHERE p.entity_id = ch.entity_id AND p.kind = ch.kind AND p.seq < ch.seq
                             ORDER BY p.seq DESC LIMIT 1) prev ON true
        WHERE ch.kind IN ('case', 'incident') AND ch.at > $4
          AND ((ch.at > $1 AND ch.at <= $2) OR ((ch.view->>'updatedAt')::bigint > $6 AND (ch.view->>'updatedAt')::bigint <= $5))) c
      WHERE at > $1 AND at <= $2 ORDER BY at, seq LIMIT $3`,
    [from, to, limit, new Date(from.getTime() - 2 * MAX_CLOCK_SKEW_MS), to.getTime(), from.getTime()],
  );
  // Cut at the last view's time when the limit was reached, so no later item is missed next time.
  const until = views.rows.length === limit ? views.rows.at(-1)!.at : to;
  const changes: PastChange[] = views.rows.map((r) => ({
    at: r.at.getTime(),
    change: { kind: r.kind, seq: Number(r.seq), created: r.created, value: r.view } as Change,
  }));
  if (unitsKept) changes.push(...(await unitChanges(q, from, until)));
  changes.sort((a, b) => a.at - b.at);
  return { from: from.getTime(), until: until.getTime(), changes, unitsKept };
}

async function unitChanges(q: Queryable, from: Date, to: Date): Promise<PastChange[]> {
  const positions = await q.query<PositionRow>(
    `SELECT ${POSITION_COLUMNS} FROM positions p JOIN volunteers v ON v.id = p.volunteer_id JOIN teams t ON t.id = v.team_id
      WHERE p.at > $1 AND p.at <= $2 ORDER BY p.at`,
    [from, to],
  );
  const moves = await q.query<{ id: string; status: VolunteerStatus; at: Date }>(
    'SELECT volunteer_id AS id, to_status AS status, at FROM status_changes WHERE at > $1 AND at <= $2 ORDER BY at, id',
    [from, to],
  );
  const ids = [...new Set([...positions.rows.map((r) => r.id), ...moves.rows.map((r) => r.id)])];
  const status = await statusesAt(q, ids, from);
  const last = new Map<string, UnitView>();
  // A move and a position of the same moment (a report that puts a unit on duty is both): the
  // move first, so the position is shown with the status it came with.
  const events = [
    ...moves.rows.map((move) => ({ at: move.at.getTime(), row: null, move })),
    ...positions.rows.map((row) => ({ at: row.at.getTime(), row, move: null })),
  ].sort((a, b) => a.at - b.at);
  const out: PastChange[] = [];
  for (const event of events) {
    if (event.move) status.set(event.move.id, event.move.status);
    const view = event.row ? unitOf(event.row, status.get(event.row.id) ?? 'available') : movedUnit(event.move!, last.get(event.move!.id));
    if (!view) continue;
    last.set(view.id, view);
    out.push({ at: event.at, change: { kind: 'unit', seq: view.seq, created: false, value: view } });
  }
  return out;
}

/**
 * A status move: off duty takes the unit off the map; another waits for a position when none
 * was seen yet, or none since the unit went off duty.
 */
function movedUnit(move: { id: string; status: VolunteerStatus }, held: UnitView | undefined): UnitView | undefined {
  if (move.status === 'off_duty') return { ...(held ?? emptyUnit(move.id)), status: 'off_duty', lon: null, lat: null };
  return held && held.lon !== null ? { ...held, status: move.status } : undefined;
}

/** A unit known only by id, going off duty before any position in the window: only its id matters, it leaves the map. */
function emptyUnit(id: string): UnitView {
  return { id, team: '', specialty: 'patrol', status: 'off_duty', lon: null, lat: null, subdistrict: null, cell: null, outside: false, at: null, seq: 0 };
}
