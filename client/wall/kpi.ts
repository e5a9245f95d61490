/**
 * The KPI board's figures, pure: for each of the 15 subdistricts and for the whole district,
 * the open cases, the cases past their deadline, the incidents not closed by severity (I–IV)
 * and the volunteers on duty. Open cases and volunteers are the side table's tallies
 * (live/tally.ts) and overdue follows the clocks panel's rule (domain/clocks.ts), so no two
 * screens of one wall disagree. Points outside the district count in the district's figures only.
 */
import type { CaseView, IncidentView } from '../../server/contract/live.ts';
import { isCaseOverdue } from '../../server/domain/clocks.ts';
import type { Severity } from '../../server/domain/vocabulary.ts';
import { SUBDISTRICTS } from '../../geo/names.ts';
import { emptyTally, OUTSIDE, type SubdistrictTally } from '../live/tally.ts';

export interface Kpi {
  openCases: number;
  overdueCases: number;
  incidents: Record<Severity, number>;
  volunteersOnDuty: number;
}

export interface KpiBoard {
  district: Kpi;
  /** by adcode, every subdistrict of the district, in SUBDISTRICTS' order */
  subdistricts: Map<string, Kpi>;
}

export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4];

function emptyKpi(tally: SubdistrictTally = emptyTally()): Kpi {
  return { openCases: tally.openCases, overdueCases: 0, incidents: { 1: 0, 2: 0, 3: 0, 4: 0 }, volunteersOnDuty: tally.volunteersOnDuty };
}

export function kpiBoard(
  tallies: ReadonlyMap<string, SubdistrictTally>,
  cases: Iterable<CaseView>,
  incidents: Iterable<IncidentView>,
  now: number,
): KpiBoard {
  const byKey = new Map<string, Kpi>(SUBDISTRICTS.map((s) => [s.adcode, emptyKpi(tallies.get(s.adcode))]));
  const outside = tallies.get(OUTSIDE);
  if (outside) byKey.set(OUTSIDE, emptyKpi(outside));
  const kpiOf = (adcode: string | null): Kpi => {
    const key = adcode !== null && byKey.has(adcode) ? adcode : OUTSIDE;
    let kpi = byKey.get(key);
    if (!kpi) byKey.set(key, (kpi = emptyKpi()));
    return kpi;
  };
  for (const view of cases) if (isCaseOverdue(view, now)) kpiOf(view.subdistrict).overdueCases++;
  // Closed incidents never stay in the live state, so every one held is still open.
  for (const view of incidents) kpiOf(view.subdistrict).incidents[view.severity]++;

  const district = emptyKpi();
  for (const kpi of byKey.values()) {
    district.openCases += kpi.openCases;
    district.overdueCases += kpi.overdueCases;
    district.volunteersOnDuty += kpi.volunteersOnDuty;
    for (const severity of SEVERITIES) district.incidents[severity] += kpi.incidents[severity];
  }
  byKey.delete(OUTSIDE);
  return { district, subdistricts: byKey };
}

export function incidentCount(kpi: Kpi): number {
  return SEVERITIES.reduce((sum, severity) => sum + kpi.incidents[severity], 0);
}
