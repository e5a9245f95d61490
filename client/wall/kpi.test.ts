import { describe, expect, it } from 'vitest';
import type { CaseView, IncidentView } from '../../server/contract/live.ts';
import { SUBDISTRICTS } from '../../geo/names.ts';
import { OUTSIDE, type SubdistrictTally } from '../live/tally.ts';
import { incidentCount, kpiBoard } from './kpi.ts';

const SHICHAHAI = '110102012';
const DESHENG = '110102010';
const NOW = Date.UTC(2026, 0, 5, 2, 0, 0);
const HOUR = 3_600_000;

function caseView(id: string, subdistrict: string | null, deadlineAt: number, resolvedAt: number | null = null): CaseView {
  return {
    id,
    seq: 1,
    source: 'hotline',
    category: 'parking',
    state: resolvedAt === null ? 'reported' : 'resolved',
    urgency: 'normal',
    lon: 116.38,
    lat: 39.94,
    reportedAt: NOW - 30 * HOUR,
    updatedAt: NOW - HOUR,
    deadlineAt,
    resolvedAt,
    whistle: null,
    subdistrict,
    cell: null,
    outside: subdistrict === null,
  };
}

function incidentView(id: string, subdistrict: string | null, severity: IncidentView['severity']): IncidentView {
  return {
    id,
    seq: 1,
    kind: 'fire',
    severity,
    state: 'reported',
    lon: 116.37,
    lat: 39.93,
    reportedAt: NOW - HOUR,
    updatedAt: NOW - HOUR,
    dispatchedAt: null,
    onSceneAt: null,
    closedAt: null,
    teams: [],
    subdistrict,
    cell: null,
    outside: subdistrict === null,
  };
}

const tally = (openCases: number, activeIncidents: number, volunteersOnDuty: number): SubdistrictTally => ({
  openCases,
  activeIncidents,
  volunteersOnDuty,
});

describe('kpiBoard', () => {
  it('has every subdistrict, in order, with zeros where nothing happens', () => {
    const board = kpiBoard(new Map(), [], [], NOW);
    expect([...board.subdistricts.keys()]).toEqual(SUBDISTRICTS.map((s) => s.adcode));
    expect(board.district).toEqual({ openCases: 0, overdueCases: 0, incidents: { 1: 0, 2: 0, 3: 0, 4: 0 }, volunteersOnDuty: 0 });
  });

  it("takes open cases and volunteers from the table's tallies, counts overdue cases and incidents by severity", () => {
    const tallies = new Map([
      [SHICHAHAI, tally(3, 2, 7)],
      [DESHENG, tally(1, 1, 2)],
      [OUTSIDE, tally(1, 1, 1)],
    ]);
    const cases = [
      caseView('late', SHICHAHAI, NOW - HOUR),
      caseView('on-time', SHICHAHAI, NOW + HOUR),
      caseView('resolved-late', SHICHAHAI, NOW - 2 * HOUR, NOW - HOUR),
      caseView('late-outside', null, NOW - HOUR),
    ];
    const incidents = [
      incidentView('a', SHICHAHAI, 1),
      incidentView('b', SHICHAHAI, 4),
      incidentView('c', DESHENG, 4),
      incidentView('d', null, 2),
    ];
    const board = kpiBoard(tallies, cases, incidents, NOW);
    expect(board.subdistricts.get(SHICHAHAI)).toEqual({ openCases: 3, overdueCases: 1, incidents: { 1: 1, 2: 0, 3: 0, 4: 1 }, volunteersOnDuty: 7 });
    expect(board.subdistricts.get(DESHENG)).toEqual({ openCases: 1, overdueCases: 0, incidents: { 1: 0, 2: 0, 3: 0, 4: 1 }, volunteersOnDuty: 2 });
    expect(board.subdistricts.has(OUTSIDE)).toBe(false);
    // The district counts what lies outside every subdistrict too.
    expect(board.district).toEqual({ openCases: 5, overdueCases: 2, incidents: { 1: 1, 2: 1, 3: 0, 4: 2 }, volunteersOnDuty: 10 });
    expect(incidentCount(board.district)).toBe(4);
  });

  it('counts a point in an unknown subdistrict in the district only', () => {
    const board = kpiBoard(new Map(), [caseView('x', '110102999', NOW - HOUR)], [], NOW);
    expect(board.subdistricts.size).toBe(SUBDISTRICTS.length);
    expect(board.district.overdueCases).toBe(1);
  });
});
