/**
 * Small, fresh test data built by functions (never shared mutable objects): a registry of two
 * teams, and reports at known points inside and outside the district.
 */
import type { CaseReport, IncidentReport, TeamRecord, VolunteerRecord } from '../../server/contract/ingest.ts';

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
