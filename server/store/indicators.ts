/**
 * Indicators measured from the stored timestamps. Response time: from an incident's report to
 * its first team on scene (and to its first offer), averaged per kind, per subdistrict and
 * for the whole district, over incidents reported in a window. Incidents outside the district
 * are not counted; an incident no team reached is counted but not averaged.
 */
import type { ResponseTimeRow } from '../contract/dispatch.ts';
import { ON_SCENE_TARGET_MINUTES } from '../domain/clocks.ts';
import type { IncidentKind } from '../domain/vocabulary.ts';
import type { Queryable } from './store.ts';

interface Row {
  kind: IncidentKind;
  subdistrict: string | null;
  district_row: boolean;
  incidents: number;
  measured: number;
  on_scene: number | null;
  dispatch: number | null;
}

export async function responseTimes(q: Queryable, from: Date, to: Date): Promise<ResponseTimeRow[]> {
  const { rows } = await q.query<Row>(
    `SELECT kind, subdistrict, GROUPING(subdistrict) = 1 AS district_row,
        count(*)::int AS incidents, count(on_scene_at)::int AS measured,
        (avg(extract(epoch FROM on_scene_at - reported_at)) FILTER (WHERE on_scene_at IS NOT NULL))::float8 AS on_scene,
        (avg(extract(epoch FROM dispatched_at - reported_at)) FILTER (WHERE dispatched_at IS NOT NULL))::float8 AS dispatch
       FROM incidents
      WHERE reported_at >= $1 AND reported_at < $2 AND subdistrict IS NOT NULL
      GROUP BY GROUPING SETS ((kind, subdistrict), (kind))
      ORDER BY kind, district_row DESC, subdistrict`,
    [from, to],
  );
  return rows.map((row) => ({
    kind: row.kind,
    subdistrict: row.district_row ? null : row.subdistrict,
    incidents: row.incidents,
    measured: row.measured,
    averageSeconds: roundOrNull(row.on_scene),
    averageDispatchSeconds: roundOrNull(row.dispatch),
    targetSeconds: ON_SCENE_TARGET_MINUTES[row.kind] * 60,
  }));
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
