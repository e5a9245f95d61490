/**
 * Views as the server streams them (server/contract/live.ts), for the client's tests: each call
 * makes a new view from plain defaults (a case and a unit in 什刹海, an incident in 德胜, at T0) and the
 * fields given, so no test shares or changes another's.
 */
import type { CaseView, IncidentView, UnitView } from '../../server/contract/live.ts';

const SHICHAHAI = '110102012';
const DESHENG = '110102010';

export const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);

export function caseView(id: string, seq: number, fields: Partial<CaseView> = {}): CaseView {
  return {
    id,
    seq,
    source: 'hotline',
    category: 'parking',
    state: 'reported',
    urgency: 'normal',
    lon: 116.38,
    lat: 39.94,
    reportedAt: T0,
    updatedAt: T0 + seq,
    deadlineAt: T0 + 24 * 3_600_000,
    resolvedAt: null,
    whistle: null,
    subdistrict: SHICHAHAI,
    cell: 'g-1',
    outside: false,
    ...fields,
  };
}

export function incidentView(id: string, seq: number, fields: Partial<IncidentView> = {}): IncidentView {
  return {
    id,
    seq,
    kind: 'fire',
    severity: 3,
    state: 'reported',
    lon: 116.37,
    lat: 39.93,
    reportedAt: T0,
    updatedAt: T0 + seq,
    dispatchedAt: null,
    onSceneAt: null,
    closedAt: null,
    teams: [],
    subdistrict: DESHENG,
    cell: 'g-2',
    outside: false,
    ...fields,
  };
}

export function unitView(id: string, seq: number, fields: Partial<UnitView> = {}): UnitView {
  return {
    id,
    seq,
    team: 'team-1',
    specialty: 'fire',
    status: 'available',
    lon: 116.36,
    lat: 39.92,
    at: T0,
    subdistrict: SHICHAHAI,
    cell: 'g-3',
    outside: false,
    ...fields,
  };
}
