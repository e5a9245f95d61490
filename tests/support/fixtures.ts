/**
 * Small, fresh test data built by functions (never shared mutable objects): a registry of two
 * teams, and reports at known points inside and outside the district.
 */
import type { CaseReport, IncidentReport, PositionReport, TeamRecord, VolunteerRecord } from '../../server/contract/ingest.ts';
import { post, type TestServer } from './server.ts';

/** Label points (poles of inaccessibility), well inside their subdistricts. */
export const SHICHAHAI = { adcode: '110102012', lon: 116.378293, lat: 39.9327918 };
export const NIUJIE = { adcode: '110102018', lon: 116.3466819, lat: 39.8850232 };
/** Tiananmen Square's east side: Dongcheng, outside Xicheng. */
export const OUTSIDE = { lon: 116.4005, lat: 39.9035 };

export function teams(): TeamRecord[] {
  return [
    { id: 'T012-1', name: '什刹海街道应急志愿消防队', subdistrict: SHICHAHAI.adcode, specialty: 'fire' },
    { id: 'T018-1', name: '牛街街道群防群治巡逻队', subdistrict: NIUJIE.adcode, specialty: 'patrol' },
  ];
}

export function volunteers(): VolunteerRecord[] {
  return [
    { id: 'V012-1-1', teamId: 'T012-1', name: '测试甲', phone: '138-0000-0001' },
    { id: 'V012-1-2', teamId: 'T012-1', name: '测试乙', phone: '138-0000-0002' },
    { id: 'V018-1-1', teamId: 'T018-1', name: '测试丙', phone: '138-0000-0003' },
  ];
}

export function hotlineCase(n: number, overrides: Partial<CaseReport> = {}): CaseReport {
  return { sourceId: `H-${n}`, source: 'hotline', category: 'parking', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat, ...overrides };
}

export function fireIncident(n: number, overrides: Partial<IncidentReport> = {}): IncidentReport {
  return { sourceId: `I-${n}`, kind: 'fire', severity: 3, lon: NIUJIE.lon, lat: NIUJIE.lat, ...overrides };
}

/**
 * A position report that puts a volunteer on duty ('available'). Volunteers are registered off
 * duty, and a position reported off duty is not kept (privacy), so a test that sends fixes
 * puts their volunteers on duty first. Its time defaults to ten minutes ago, before the fixes
 * tests send (a minute or two ago), so none of those is stale.
 */
export function onDutyReport(volunteerId: string, overrides: Partial<PositionReport> = {}): PositionReport {
  return {
    volunteerId,
    lon: SHICHAHAI.lon,
    lat: SHICHAHAI.lat,
    at: new Date(Date.now() - 10 * 60_000).toISOString(),
    status: 'available',
    ...overrides,
  };
}

/**
 * Puts volunteers on duty through POST /api/v1/positions (one history row each) and returns the
 * head seq after it: rows and changes after that seq are the test's own.
 */
export async function goOnDuty(
  server: TestServer,
  volunteerIds: string[],
  overrides: Partial<PositionReport> = {},
): Promise<number> {
  const answer = await post(server, '/api/v1/positions', { items: volunteerIds.map((id) => onDutyReport(id, overrides)) });
  if (answer.status !== 200 || answer.body.changed !== volunteerIds.length) {
    throw new Error(`could not put ${volunteerIds.join(', ')} on duty: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return server.app.store.head;
}
