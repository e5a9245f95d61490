/**
 * The counts behind the leaders' view, read by SQL over the stored history (cases, incidents,
 * positions, status moves), each query one scan of a time window on an index: per area (a
 * subdistrict or a grid cell) for the map and league table, and per indicator as the district's
 * figure, each subdistrict's and a trend in buckets, all three from one GROUPING SETS query.
 * What the counts mean is domain/indicators.ts; populations and survey figures are reference
 * rows here too.
 */
import type { Buckets, HotlineCounts, AreaCounts } from '../domain/indicators.ts';
import { HOTLINE_RESPONSE_HOURS, PARTICIPATION_DAYS, emptyCounts } from '../domain/indicators.ts';
import type { Queryable } from './store.ts';

export type AreaLevel = 'subdistrict' | 'cell';

export interface AreaWindow {
  from: Date;
  to: Date;
  level: AreaLevel;
  /** only areas of this subdistrict (its cells, or itself); null: the whole district */
  within: string | null;
  /** a volunteer is on duty at `to` if it reported a position in this long before it */
  lostMs: number;
  /** positions older than this are no longer kept (RETENTION_DAYS) */
  keptSince: Date;
}

const AREA_COLUMN: Record<AreaLevel, string> = { subdistrict: 'subdistrict', cell: 'cell' };

/** Counts per area over [from, to); areas with nothing counted are absent. */
export async function areaCounts(q: Queryable, window: AreaWindow): Promise<Map<string, AreaCounts>> {
  const area = AREA_COLUMN[window.level];
  const scope = window.within === null ? '' : 'AND subdistrict = $3';
  const params = window.within === null ? [window.from, window.to] : [window.from, window.to, window.within];
  const result = new Map<string, AreaCounts>();
  const entry = (key: string) => {
    let counts = result.get(key);
    if (!counts) result.set(key, (counts = emptyCounts()));
    return counts;
  };
  const cases = await q.query<{ area: string; reported: number; open: number; overdue: number; due: number; on_time: number }>(
    `SELECT ${area} AS area,
        count(*) FILTER (WHERE reported_at >= $1)::int AS reported,
        count(*) FILTER (WHERE resolved_at IS NULL OR resolved_at >= $2)::int AS open,
        count(*) FILTER (WHERE (resolved_at IS NULL OR resolved_at >= $2) AND deadline_at < $2)::int AS overdue,
        count(*) FILTER (WHERE deadline_at >= $1 AND deadline_at < $2)::int AS due,
        count(*) FILTER (WHERE deadline_at >= $1 AND deadline_at < $2 AND resolved_at <= deadline_at)::int AS on_time
       FROM cases
      WHERE ${area} IS NOT NULL AND reported_at < $2 AND (resolved_at IS NULL OR resolved_at >= $1 OR deadline_at >= $1) ${scope}
      GROUP BY ${area}`,
    params,
  );
  for (const row of cases.rows) Object.assign(entry(row.area), { cases: row.reported, open: row.open, overdue: row.overdue, due: row.due, onTime: row.on_time });

  const incidents = await q.query<{ area: string; s1: number; s2: number; s3: number; s4: number; reached: number; response: number | null }>(
    `SELECT ${area} AS area,
        count(*) FILTER (WHERE severity = 1)::int AS s1, count(*) FILTER (WHERE severity = 2)::int AS s2,
        count(*) FILTER (WHERE severity = 3)::int AS s3, count(*) FILTER (WHERE severity = 4)::int AS s4,
        count(on_scene_at)::int AS reached,
        (avg(extract(epoch FROM on_scene_at - reported_at)) FILTER (WHERE on_scene_at IS NOT NULL))::float8 AS response
       FROM incidents
      WHERE ${area} IS NOT NULL AND reported_at >= $1 AND reported_at < $2 ${scope}
      GROUP BY ${area}`,
    params,
  );
  for (const row of incidents.rows) {
    Object.assign(entry(row.area), { incidents: [row.s1, row.s2, row.s3, row.s4], reached: row.reached, responseSeconds: row.response });
  }

  const onDuty = await onDutyAt(q, window);
  for (const counts of result.values()) counts.onDuty = onDuty === null ? null : 0;
  for (const [key, n] of onDuty ?? []) entry(key).onDuty = n;
  return result;
}

/** Whether who was on duty at `to` can still be told: the positions before it are still kept. */
export function onDutyKnown(window: Pick<AreaWindow, 'to' | 'lostMs' | 'keptSince'>): boolean {
  return window.to.getTime() - window.lostMs >= window.keptSince.getTime();
}

/**
 * Volunteers on duty at `to`, by where their last position lay: positions are kept only on
 * duty, so a volunteer counts when it reported in the `lostMs` before and did not go off duty
 * after. Null when `to` lies before the positions kept (`keptSince`, the retention).
 */
async function onDutyAt(q: Queryable, window: AreaWindow): Promise<Map<string, number> | null> {
  if (!onDutyKnown(window)) return null;
  const area = AREA_COLUMN[window.level];
  const scope = window.within === null ? '' : 'AND subdistrict = $3';
  const params: unknown[] = [new Date(window.to.getTime() - window.lostMs), window.to];
  if (window.within !== null) params.push(window.within);
  const { rows } = await q.query<{ area: string; n: number }>(
    `SELECT ${area} AS area, count(*)::int AS n FROM (
       SELECT DISTINCT ON (volunteer_id) volunteer_id, at, subdistrict, cell FROM positions
        WHERE at > $1 AND at <= $2 ORDER BY volunteer_id, at DESC) p
      WHERE ${area} IS NOT NULL ${scope}
        AND NOT EXISTS (SELECT 1 FROM status_changes s WHERE s.volunteer_id = p.volunteer_id
                          AND s.at > p.at AND s.at <= $2 AND s.to_status = 'off_duty')
      GROUP BY ${area}`,
    params,
  );
  return new Map(rows.map((r) => [r.area, r.n]));
}

/** Registered volunteers by their team's subdistrict. */
export async function registeredVolunteers(q: Queryable): Promise<Map<string, number>> {
  const { rows } = await q.query<{ subdistrict: string; n: number }>(
    'SELECT t.subdistrict, count(*)::int AS n FROM volunteers v JOIN teams t ON t.id = v.team_id GROUP BY t.subdistrict',
  );
  return new Map(rows.map((r) => [r.subdistrict, r.n]));
}

/** One indicator's counts: the district's, each subdistrict's, and each bucket's (district-wide). */
export interface Grouped<T> {
  district: T;
  bySubdistrict: Map<string, T>;
  byBucket: Map<number, T>;
}

interface GroupedRow {
  subdistrict: string | null;
  bucket: number | null;
  by_subdistrict: boolean;
  by_bucket: boolean;
}

/** Splits GROUPING SETS ((), (subdistrict), (bucket)) rows; `empty` stands in for a group with no rows. */
function grouped<R extends GroupedRow, T>(rows: R[], read: (row: R) => T, empty: T): Grouped<T> {
  const result: Grouped<T> = { district: empty, bySubdistrict: new Map(), byBucket: new Map() };
  for (const row of rows) {
    if (row.by_subdistrict) result.bySubdistrict.set(row.subdistrict!, read(row));
    else if (row.by_bucket) result.byBucket.set(row.bucket!, read(row));
    else result.district = read(row);
  }
  return result;
}

/**
 * The SQL of a bucket number for a time column in [from, to): how many of the buckets' inner
 * edges (the timestamptz[] parameter `edges`, from edgesOf) lie at or before it, which is
 * floor((time − from) / width), found by a binary search of the edges rather than numeric
 * arithmetic on every row of a year.
 */
const bucketOf = (column: string, edges: string) => `width_bucket(${column}, ${edges}::timestamptz[])`;

/** The buckets' inner edges, from + k·width for k = 1 … count − 1, exact to the millisecond. */
function edgesOf(b: Buckets): Date[] {
  return Array.from({ length: b.count - 1 }, (_, i) => new Date(b.from + (i + 1) * b.widthMs));
}
const GROUPS = `GROUPING(subdistrict) = 0 AS by_subdistrict, GROUPING(bucket) = 0 AS by_bucket`;
const SETS = 'GROUP BY GROUPING SETS ((), (subdistrict), (bucket))';

function windowParams(b: Buckets): [Date, Date, number] {
  return [new Date(b.from), new Date(b.to), b.widthMs];
}

/** $1 the window's start, $2 its end, $3 its buckets' inner edges (for bucketOf). */
function bucketParams(b: Buckets): [Date, Date, Date[]] {
  return [new Date(b.from), new Date(b.to), edgesOf(b)];
}

export interface ResponseCounts {
  incidents: number;
  reached: number;
  seconds: number | null;
}

/** Medical incidents reported in the window: how many, how many reached, mean report → on scene. */
export async function medicalResponse(q: Queryable, b: Buckets): Promise<Grouped<ResponseCounts>> {
  const { rows } = await q.query<GroupedRow & { incidents: number; reached: number; seconds: number | null }>(
    `SELECT subdistrict, bucket, ${GROUPS}, count(*)::int AS incidents, count(on_scene_at)::int AS reached,
        (avg(extract(epoch FROM on_scene_at - reported_at)) FILTER (WHERE on_scene_at IS NOT NULL))::float8 AS seconds
       FROM (SELECT *, ${bucketOf('reported_at', '$3')} AS bucket FROM incidents
              WHERE kind = 'medical' AND subdistrict IS NOT NULL AND reported_at >= $1 AND reported_at < $2) i
      ${SETS}`,
    bucketParams(b),
  );
  return grouped(rows, (r) => ({ incidents: r.incidents, reached: r.reached, seconds: r.seconds }), { incidents: 0, reached: 0, seconds: null });
}

export interface OnTimeCounts {
  due: number;
  onTime: number;
}

/**
 * Cases whose deadline fell in the window, and of those resolved by it. Counted per subdistrict
 * and bucket first (a few hundred groups, hashed), then summed into the grouping sets, which
 * would otherwise sort a year's cases (the planner cannot know a bucket has few values); an
 * empty window still sums to zeros.
 */
export async function answeredOnTime(q: Queryable, b: Buckets): Promise<Grouped<OnTimeCounts>> {
  const { rows } = await q.query<GroupedRow & OnTimeCounts>(
    `SELECT subdistrict, bucket, ${GROUPS}, COALESCE(sum(due), 0)::int AS due, COALESCE(sum(on_time), 0)::int AS "onTime"
       FROM (SELECT subdistrict, ${bucketOf('deadline_at', '$3')} AS bucket, count(*) AS due,
                    count(*) FILTER (WHERE resolved_at <= deadline_at) AS on_time
               FROM cases
              WHERE subdistrict IS NOT NULL AND deadline_at >= $1 AND deadline_at < $2
              GROUP BY 1, 2) c
      ${SETS}`,
    bucketParams(b),
  );
  return grouped(rows, (r) => ({ due: r.due, onTime: r.onTime }), { due: 0, onTime: 0 });
}

/** The 12345 hotline's cases reported in the window, counted for its three rates (per subdistrict and bucket first, as answeredOnTime). */
export async function hotline(q: Queryable, b: Buckets): Promise<Grouped<HotlineCounts>> {
  const { rows } = await q.query<GroupedRow & HotlineCounts>(
    `SELECT subdistrict, bucket, ${GROUPS}, COALESCE(sum(respondable), 0)::int AS respondable,
        COALESCE(sum(responded_on_time), 0)::int AS "respondedOnTime", COALESCE(sum(called_back), 0)::int AS "calledBack",
        COALESCE(sum(solved), 0)::int AS solved, COALESCE(sum(satisfied), 0)::int AS satisfied
       FROM (SELECT subdistrict, ${bucketOf('reported_at', '$3')} AS bucket,
                count(*) FILTER (WHERE responded_at IS NOT NULL OR reported_at <= $2::timestamptz - $4 * interval '1 hour') AS respondable,
                count(*) FILTER (WHERE responded_at <= reported_at + $4 * interval '1 hour') AS responded_on_time,
                count(satisfaction) AS called_back,
                count(*) FILTER (WHERE solved) AS solved,
                count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically_satisfied')) AS satisfied
               FROM cases
              WHERE source = 'hotline' AND subdistrict IS NOT NULL AND reported_at >= $1 AND reported_at < $2
              GROUP BY 1, 2) c
      ${SETS}`,
    [...bucketParams(b), HOTLINE_RESPONSE_HOURS],
  );
  const none: HotlineCounts = { respondable: 0, respondedOnTime: 0, calledBack: 0, solved: 0, satisfied: 0 };
  return grouped(rows, ({ respondable, respondedOnTime, calledBack, solved, satisfied }) => ({ respondable, respondedOnTime, calledBack, solved, satisfied }), none);
}

/**
 * Distinct residents who reported through the app in the PARTICIPATION_DAYS up to the window's
 * end (district and subdistricts), and up to each bucket's end (the trend).
 * Distinct by bytes (COLLATE "C": the same ids as under the database's collation, which is
 * deterministic, but sorted several times faster).
 */
export async function participants(q: Queryable, b: Buckets): Promise<Grouped<number>> {
  const { rows } = await q.query<GroupedRow & { n: number }>(
    `SELECT subdistrict, NULL::int AS bucket, GROUPING(subdistrict) = 0 AS by_subdistrict, false AS by_bucket,
        count(DISTINCT reporter COLLATE "C")::int AS n
       FROM cases
      WHERE source = 'app' AND reporter IS NOT NULL AND subdistrict IS NOT NULL
        AND reported_at < $2 AND reported_at >= $2 - $4 * interval '1 day'
      GROUP BY GROUPING SETS ((), (subdistrict))
     UNION ALL
     SELECT NULL, k, false, true, count(DISTINCT c.reporter COLLATE "C")::int
       FROM generate_series(0, $5::int - 1) AS k
       JOIN cases c ON c.source = 'app' AND c.reporter IS NOT NULL AND c.subdistrict IS NOT NULL
        AND c.reported_at < LEAST($2, $1::timestamptz + (k + 1) * $3::float8 * interval '1 millisecond')
        AND c.reported_at >= LEAST($2, $1::timestamptz + (k + 1) * $3::float8 * interval '1 millisecond') - $4 * interval '1 day'
      GROUP BY k`,
    [...windowParams(b), PARTICIPATION_DAYS, b.count],
  );
  return grouped(rows, (r) => r.n, 0);
}

/**
 * Grid cells patrolled in the window (a grid-patrol case reported there, or an on-duty
 * volunteer's position there), with the bucket each was patrolled in.
 *
 * Positions are many (a year of tracks), so they are not bucketed one by one: each cell that
 * has any (walked on the index positions_cell_at, one step a cell) is probed once per bucket
 * for a position in that bucket's span, [from + k·width, from + (k+1)·width) within the window,
 * which is exactly where the bucket number of the cases' half puts a time.
 */
export async function patrolledCells(q: Queryable, b: Buckets): Promise<Array<{ bucket: number; cell: string }>> {
  const { rows } = await q.query<{ bucket: number; cell: string }>(
    `WITH RECURSIVE tracked AS (
       SELECT min(cell) AS cell FROM positions WHERE cell IS NOT NULL
       UNION ALL
       SELECT (SELECT min(p.cell) FROM positions p WHERE p.cell > t.cell) FROM tracked t WHERE t.cell IS NOT NULL)
     SELECT DISTINCT ${bucketOf('reported_at', '$5')} AS bucket, cell FROM cases
      WHERE source = 'patrol' AND cell IS NOT NULL AND reported_at >= $1 AND reported_at < $2
     UNION
     SELECT k, t.cell FROM tracked t CROSS JOIN generate_series(0, $4::int - 1) AS k
      WHERE t.cell IS NOT NULL AND EXISTS (SELECT 1 FROM positions p WHERE p.cell = t.cell
        AND p.at >= $1::timestamptz + k * $3::float8 * interval '1 millisecond'
        AND p.at < LEAST($2, $1::timestamptz + (k + 1) * $3::float8 * interval '1 millisecond'))`,
    [...windowParams(b), b.count, edgesOf(b)],
  );
  return rows;
}

/** Cases or incidents reported in a window, binned to about 100 m: [lon, lat, count]. */
export async function heatBins(q: Queryable, layer: 'cases' | 'incidents', from: Date, to: Date): Promise<Array<[number, number, number]>> {
  const table = layer === 'cases' ? 'cases' : 'incidents';
  const { rows } = await q.query<{ lon: number; lat: number; n: number }>(
    `SELECT round(lon * 1000)::float8 / 1000 AS lon, round(lat * 1000)::float8 / 1000 AS lat, count(*)::int AS n
       FROM ${table} WHERE reported_at >= $1 AND reported_at < $2 AND NOT outside
      GROUP BY 1, 2`,
    [from, to],
  );
  return rows.map((r) => [r.lon, r.lat, r.n]);
}

export interface AreaReference {
  adcode: string;
  population: number | null;
  households: number | null;
  communities: number | null;
  sourceNote: string;
  updatedAt: number;
  updatedBy: string;
}

export async function areaReferences(q: Queryable): Promise<AreaReference[]> {
  const { rows } = await q.query<{
    adcode: string;
    population: number | null;
    households: number | null;
    communities: number | null;
    source_note: string;
    updated_at: Date;
    updated_by: string;
  }>('SELECT adcode, population, households, communities, source_note, updated_at, updated_by FROM area_reference ORDER BY adcode');
  return rows.map((r) => ({
    adcode: r.adcode,
    population: r.population,
    households: r.households,
    communities: r.communities,
    sourceNote: r.source_note,
    updatedAt: r.updated_at.getTime(),
    updatedBy: r.updated_by,
  }));
}

export type ReferenceInput = Pick<AreaReference, 'adcode' | 'population' | 'households' | 'communities' | 'sourceNote'>;

/** Sets areas' reference figures; `onlyMissing` adds rows that are absent and changes nothing held (the census seed). */
export async function saveReferences(q: Queryable, rows: ReferenceInput[], by: string, onlyMissing = false): Promise<void> {
  if (rows.length === 0) return;
  const conflict = onlyMissing
    ? 'DO NOTHING'
    : `DO UPDATE SET population = EXCLUDED.population, households = EXCLUDED.households,
         communities = EXCLUDED.communities, source_note = EXCLUDED.source_note, updated_at = now(), updated_by = EXCLUDED.updated_by`;
  await q.query(
    `INSERT INTO area_reference (adcode, population, households, communities, source_note, updated_by)
     SELECT adcode, population, households, communities, "sourceNote", $2
       FROM jsonb_to_recordset($1::jsonb) AS x(adcode text, population int, households int, communities int, "sourceNote" text)
     ON CONFLICT (adcode) ${conflict}`,
    [JSON.stringify(rows), by],
  );
}

export interface SurveyValue {
  indicator: string;
  adcode: string;
  period: string;
  value: number;
  enteredAt: number;
  enteredBy: string;
}

export async function surveyValues(q: Queryable): Promise<SurveyValue[]> {
  const { rows } = await q.query<{ indicator: string; adcode: string; period: string; value: number; entered_at: Date; entered_by: string }>(
    'SELECT indicator, adcode, period, value, entered_at, entered_by FROM survey_values ORDER BY indicator, adcode, period',
  );
  return rows.map((r) => ({ indicator: r.indicator, adcode: r.adcode, period: r.period, value: r.value, enteredAt: r.entered_at.getTime(), enteredBy: r.entered_by }));
}

export async function saveSurveyValues(q: Queryable, values: Array<Pick<SurveyValue, 'indicator' | 'adcode' | 'period' | 'value'>>, by: string): Promise<void> {
  await q.query(
    `INSERT INTO survey_values (indicator, adcode, period, value, entered_at, entered_by)
     SELECT indicator, adcode, period, value, now(), $2 FROM jsonb_to_recordset($1::jsonb) AS x(indicator text, adcode text, period text, value float8)
     ON CONFLICT (indicator, adcode, period) DO UPDATE SET value = EXCLUDED.value, entered_at = now(), entered_by = EXCLUDED.entered_by`,
    [JSON.stringify(values), by],
  );
}
