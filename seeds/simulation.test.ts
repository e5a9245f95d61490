/**
 * The simulation against its contract: deterministic, valid against the ingestion schemas,
 * plausible rates and rhythms, lifecycles that only move forward, volunteers that stay in
 * their subdistrict (bar the deliberate GPS errors) and send nothing while off duty, app cases
 * named by residents of a bounded pool, hotline cases called back once they are resolved.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaseReport, IncidentReport, PositionReport, TeamRecord, VolunteerRecord } from '../server/contract/ingest.ts';
import { isLegalCaseMove, isLegalIncidentMove, isLegalVolunteerMove } from '../server/domain/lifecycle.ts';
import { applyCaseReport, caseId, type CaseRecord } from '../server/domain/reports.ts';
import { CASE_STATES, INCIDENT_STATES, SPECIALTIES, type VolunteerStatus } from '../server/domain/vocabulary.ts';
import { SUBDISTRICTS } from '../geo/names.ts';
import type { SubdistrictCollection } from './geometry.ts';
import { Simulation, type Reports } from './simulation.ts';
import { loadSubdistricts } from './subdistricts.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Monday 2025-07-07 00:00 in Beijing (UTC+8): a rainy-season weekday. */
const BEIJING_MIDNIGHT = Date.UTC(2025, 6, 6, 16, 0);

let subdistricts: SubdistrictCollection;

beforeAll(async () => {
  subdistricts = await loadSubdistricts();
});

function simulate(seed: number, startMs: number, steps: readonly number[]): Reports {
  const simulation = new Simulation({ seed, startMs, subdistricts });
  const all: Reports = { cases: [], incidents: [], positions: [] };
  for (const dt of steps) {
    const reports = simulation.advance(dt);
    all.cases.push(...reports.cases);
    all.incidents.push(...reports.incidents);
    all.positions.push(...reports.positions);
  }
  return all;
}

function repeat(dtMs: number, totalMs: number): number[] {
  return Array.from({ length: Math.round(totalMs / dtMs) }, () => dtMs);
}

function invalidItems(schema: TSchema, items: readonly unknown[]): unknown[] {
  const validator = Compile(schema);
  return items.filter((item) => !validator.Check(item)).slice(0, 3).map((item) => ({ item, errors: validator.Errors(item) }));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function insideDistrict(lon: number, lat: number): boolean {
  return subdistricts.features.some((feature) => booleanPointInPolygon([lon, lat], feature));
}

describe('registry', () => {
  it('has four teams per subdistrict, each with six to eight members, ids stable and well formed', () => {
    const { teams, volunteers } = new Simulation({ seed: 42, startMs: BEIJING_MIDNIGHT, subdistricts }).registry();
    expect(teams).toHaveLength(15 * 4);
    expect(volunteers.length).toBeGreaterThanOrEqual(15 * 4 * 6);
    expect(volunteers.length).toBeLessThanOrEqual(15 * 4 * 8);
    expect(new Set(teams.map((t) => t.id)).size).toBe(teams.length);
    expect(new Set(volunteers.map((v) => v.id)).size).toBe(volunteers.length);
    for (const team of teams) expect(team.id).toMatch(/^T\d{3}-\d{2}$/);
    for (const volunteer of volunteers) {
      expect(volunteer.id).toMatch(/^V\d{3}-\d{2}-\d{2}$/);
      expect(volunteer.id.slice(1, 7)).toBe(volunteer.teamId.slice(1));
      expect(volunteer.phone).toMatch(/^138-0000-\d{4}$/);
      expect(volunteer.name).toMatch(/^\p{Script=Han}{2,3}$/u);
    }
    for (const size of groupBy(volunteers, (v) => v.teamId).values()) expect([6, 7, 8]).toContain(size.length);
    expect(invalidItems(TeamRecord, teams)).toEqual([]);
    expect(invalidItems(VolunteerRecord, volunteers)).toEqual([]);
  });

  it('names each team after its subdistrict and specialty, and covers every specialty', () => {
    const { teams } = new Simulation({ seed: 1, startMs: BEIJING_MIDNIGHT, subdistricts }).registry();
    for (const team of teams) {
      const subdistrict = SUBDISTRICTS.find((s) => s.adcode === team.subdistrict);
      expect(team.name.startsWith(subdistrict?.zh ?? '?')).toBe(true);
    }
    expect(teams.find((t) => t.subdistrict === '110102012' && t.specialty === 'fire')?.name).toBe('什刹海街道应急志愿消防队');
    expect(new Set(teams.map((t) => t.specialty))).toEqual(new Set(SPECIALTIES));
  });

  it('takes other sizes, and is the same for the same seed', () => {
    const options = { seed: 7, startMs: BEIJING_MIDNIGHT, subdistricts, teamsPerSubdistrict: 6, membersPerTeam: 3 };
    const registry = new Simulation(options).registry();
    expect(registry.teams).toHaveLength(90);
    expect(registry.volunteers).toHaveLength(270);
    expect(registry.teams.find((t) => t.id === 'T012-06')?.name).toMatch(/第二分队$/);
    expect(new Simulation({ ...options, startMs: BEIJING_MIDNIGHT + HOUR }).registry()).toEqual(registry);
  });
});

describe('determinism', () => {
  const sixHours = repeat(MINUTE, 6 * HOUR);
  const morning = BEIJING_MIDNIGHT + 6 * HOUR;

  // Compared as booleans: a failed toBe on megabytes of JSON would drown the report.
  it('gives byte-identical output for the same seed and steps', () => {
    const first = JSON.stringify(simulate(42, morning, sixHours));
    const second = JSON.stringify(simulate(42, morning, sixHours));
    expect(first.length).toBeGreaterThan(1_000_000);
    // The residents' draws (reporters, call-back answers) are part of what must repeat.
    expect(first).toMatch(/"reporter":"xcjy\./);
    expect(first).toMatch(/"callback":\{"solved":(true|false),"satisfaction":"/);
    expect(second === first).toBe(true);
  });

  it('gives different output for a different seed', () => {
    expect(JSON.stringify(simulate(43, morning, sixHours)) === JSON.stringify(simulate(42, morning, sixHours))).toBe(false);
  });

  it('does not depend on how time is sliced into advance() calls', () => {
    const irregular = Array.from({ length: 2 * 6 * 60 }, (_, i) => (i % 2 === 0 ? 7_000 : 53_000));
    expect(JSON.stringify(simulate(42, morning, irregular)) === JSON.stringify(simulate(42, morning, sixHours))).toBe(true);
  });

  it('gives the same reporters and call-backs for the same seed, other ones for another', () => {
    const residents = (seed: number) =>
      JSON.stringify(simulate(seed, morning, sixHours).cases.flatMap((c) => (c.reporter || c.callback ? [[c.sourceId, c.reporter, c.callback]] : [])));
    expect(residents(42).length).toBeGreaterThan(1000);
    expect(residents(42) === residents(42)).toBe(true);
    expect(residents(43) === residents(42)).toBe(false);
  });

  it('returns nothing for no time and refuses negative time', () => {
    const simulation = new Simulation({ seed: 42, startMs: morning, subdistricts });
    expect(simulation.advance(0)).toEqual({ cases: [], incidents: [], positions: [] });
    expect(() => simulation.advance(-1)).toThrow(RangeError);
  });
});

describe('one simulated day', () => {
  let day: Reports;
  const newCasesByHour: number[] = [];

  beforeAll(() => {
    const simulation = new Simulation({ seed: 42, startMs: BEIJING_MIDNIGHT, subdistricts });
    day = { cases: [], incidents: [], positions: [] };
    for (let hour = 0; hour < 24; hour++) {
      let newCases = 0;
      for (let minute = 0; minute < 60; minute++) {
        const reports = simulation.advance(MINUTE);
        day.cases.push(...reports.cases);
        day.incidents.push(...reports.incidents);
        day.positions.push(...reports.positions);
        newCases += reports.cases.filter((c) => c.state === 'reported').length;
      }
      newCasesByHour.push(newCases);
    }
  });

  it('validates every item against the ingestion schemas, with no `at`', () => {
    expect(invalidItems(CaseReport, day.cases)).toEqual([]);
    expect(invalidItems(IncidentReport, day.incidents)).toEqual([]);
    expect(invalidItems(PositionReport, day.positions)).toEqual([]);
    const all = [...day.cases, ...day.incidents, ...day.positions];
    expect(all.filter((item) => 'at' in item)).toEqual([]);
  });

  it('brings about 750 hotline cases, ~300 grid-patrol cases and the smaller sources', () => {
    const reported = day.cases.filter((c) => c.state === 'reported');
    const count = (source: string) => reported.filter((c) => c.source === source).length;
    expect(count('hotline')).toBeGreaterThan(750 * 0.8);
    expect(count('hotline')).toBeLessThan(750 * 1.2);
    expect(count('patrol')).toBeGreaterThan(300 * 0.75);
    expect(count('patrol')).toBeLessThan(300 * 1.25);
    for (const source of ['app', 'video', 'proactive']) expect(count(source)).toBeGreaterThan(15);
  });

  it('follows the daily rhythm: few cases at night, peaks in the morning and afternoon', () => {
    const sum = (from: number, to: number) => newCasesByHour.slice(from, to).reduce((a, b) => a + b, 0);
    expect(sum(0, 6)).toBeLessThan(sum(9, 11) / 5);
    expect(sum(12, 13)).toBeLessThan(sum(10, 11));
    expect(sum(15, 16)).toBeGreaterThan(sum(12, 13));
  });

  it('brings a few safety incidents an hour, mostly severity IV', () => {
    const reported = day.incidents.filter((i) => i.state === 'reported');
    expect(reported.length / 24).toBeGreaterThan(1);
    expect(reported.length / 24).toBeLessThan(5);
    expect(reported.filter((i) => i.severity === 4).length / reported.length).toBeGreaterThan(0.7);
    expect(new Set(reported.map((i) => i.kind)).size).toBeGreaterThanOrEqual(5);
  });

  it('moves every case forward through the states in order, never back, and closes most', () => {
    const lifecycles = groupBy(day.cases, (c) => c.sourceId);
    for (const reports of lifecycles.values()) {
      expect(reports.map((r) => CASE_STATES.indexOf(r.state ?? 'reported'))).toEqual(reports.map((_, i) => i));
      const states = reports.map((r) => r.state ?? 'reported');
      expect(states.slice(1).every((state, i) => isLegalCaseMove(states[i] ?? 'reported', state))).toBe(true);
      const { category, source, lon, lat } = reports[0] as CaseReport;
      expect(reports.every((r) => r.category === category && r.source === source && r.lon === lon && r.lat === lat)).toBe(true);
    }
    const closed = [...lifecycles.values()].filter((reports) => reports.at(-1)?.state === 'closed');
    expect(closed.length).toBeGreaterThan(lifecycles.size * 0.3);
  });

  it('moves every incident forward through the states in order, never back', () => {
    const lifecycles = groupBy(day.incidents, (i) => i.sourceId);
    for (const all of lifecycles.values()) {
      // The first arrival is reported in a report of its own, repeating the state.
      const reports = all.filter((r) => r.milestone !== 'on_scene');
      expect(reports.map((r) => INCIDENT_STATES.indexOf(r.state ?? 'reported'))).toEqual(reports.map((_, i) => i));
      const states = reports.map((r) => r.state ?? 'reported');
      expect(states.slice(1).every((state, i) => isLegalIncidentMove(states[i] ?? 'reported', state))).toBe(true);
    }
    const closed = [...lifecycles.values()].filter((reports) => reports.at(-1)?.state === 'closed');
    expect(closed.length).toBeGreaterThan(lifecycles.size * 0.8);
  });

  it('reports when teams were sent and when the first arrived, in that order, once each', () => {
    const lifecycles = [...groupBy(day.incidents, (i) => i.sourceId).values()];
    const milestones = lifecycles.map((reports) => reports.flatMap((r) => (r.milestone ? [r.milestone] : [])));
    for (const [i, found] of milestones.entries()) {
      expect(['', 'dispatched', 'dispatched,on_scene'], lifecycles[i]![0]!.sourceId).toContain(found.join());
    }
    expect(milestones.filter((m) => m.includes('on_scene')).length).toBeGreaterThan(lifecycles.length * 0.5);
  });

  it('keeps positions inside the volunteer’s own subdistrict, except ~0.5 % just outside the district', () => {
    const { teams, volunteers } = new Simulation({ seed: 42, startMs: BEIJING_MIDNIGHT, subdistricts }).registry();
    const teamArea = new Map(teams.map((t) => [t.id, subdistricts.features.find((f) => f.properties.adcode === t.subdistrict)]));
    const areaOf = new Map(volunteers.map((v) => [v.id, teamArea.get(v.teamId)]));
    let outside = 0;
    const astray: unknown[] = [];
    for (const p of day.positions) {
      const area = areaOf.get(p.volunteerId);
      if (!area) throw new Error(`unregistered volunteer ${p.volunteerId}`);
      if (booleanPointInPolygon([p.lon, p.lat], area)) continue;
      if (insideDistrict(p.lon, p.lat)) astray.push(p);
      else outside++;
    }
    expect(astray).toEqual([]);
    expect(outside / day.positions.length).toBeGreaterThan(0.002);
    expect(outside / day.positions.length).toBeLessThan(0.01);
  });

  it('names a reporter of the case’s subdistrict on every report of an app case, and none on other sources', () => {
    const pools = new Simulation({ seed: 42, startMs: BEIJING_MIDNIGHT, subdistricts }).reporterPoolSizes().get('app');
    if (!pools) throw new Error('no reporter pool for app cases');
    const wrong: unknown[] = [];
    for (const reports of groupBy(day.cases, (c) => c.sourceId).values()) {
      const first = reports[0] as CaseReport;
      if (first.source !== 'app') {
        wrong.push(...reports.filter((r) => 'reporter' in r));
        continue;
      }
      const [, code, n] = /^xcjy\.(\d{3})\.(\d{4})$/.exec(first.reporter ?? '') ?? [];
      const adcode = `110102${code}`;
      const pool = pools.get(adcode) ?? 0;
      const inside = insideDistrict(first.lon, first.lat);
      const area = subdistricts.features.find((f) => f.properties.adcode === adcode);
      const ok =
        Number(n) >= 1 &&
        Number(n) <= pool &&
        reports.every((r) => r.reporter === first.reporter) &&
        (!inside || (area !== undefined && booleanPointInPolygon([first.lon, first.lat], area)));
      if (!ok) wrong.push({ first, pool });
    }
    expect(wrong).toEqual([]);
    expect(day.cases.filter((c) => c.source === 'app' && c.state === 'reported').length).toBeGreaterThan(40);
  });

  it('calls a hotline case back once, on its closing report after the resolved one, and no other case', () => {
    const wrong: unknown[] = [];
    let closedHotline = 0;
    for (const reports of groupBy(day.cases, (c) => c.sourceId).values()) {
      const calledBack = reports.flatMap((r, i) => (r.callback ? [i] : []));
      if (reports[0]?.source !== 'hotline') {
        if (calledBack.length > 0) wrong.push(reports);
        continue;
      }
      const resolvedAt = reports.findIndex((r) => r.state === 'resolved');
      const closed = reports.at(-1)?.state === 'closed';
      if (closed) closedHotline++;
      const expected = closed ? [reports.length - 1] : [];
      if (calledBack.join() !== expected.join() || (closed && !(resolvedAt >= 0 && resolvedAt < reports.length - 1))) wrong.push(reports);
    }
    expect(wrong).toEqual([]);
    expect(closedHotline).toBeGreaterThan(200);
  });

  it('answers call-backs at realistic rates: about nine in ten solved, mostly satisfied, a few unsatisfied', () => {
    const answers = day.cases.flatMap((c) => (c.callback ? [c.callback] : []));
    const share = (keep: (a: (typeof answers)[number]) => boolean) => answers.filter(keep).length / answers.length;
    expect(answers.length).toBeGreaterThan(200);
    expect(share((a) => a.solved)).toBeGreaterThan(0.84);
    expect(share((a) => a.solved)).toBeLessThan(0.93);
    expect(share((a) => a.satisfaction === 'satisfied')).toBeGreaterThan(0.7);
    expect(share((a) => a.satisfaction === 'basically_satisfied')).toBeGreaterThan(0.07);
    expect(share((a) => a.satisfaction === 'basically_satisfied')).toBeLessThan(0.2);
    expect(share((a) => a.satisfaction === 'unsatisfied')).toBeGreaterThan(0.03);
    expect(share((a) => a.satisfaction === 'unsatisfied')).toBeLessThan(0.13);
    // Those not helped are the unhappy ones.
    const unsolved = answers.filter((a) => !a.solved);
    expect(unsolved.filter((a) => a.satisfaction === 'unsatisfied').length / unsolved.length).toBeGreaterThan(0.3);
  });

  it('sends only what the server’s case rules take, in order: no call-back before a case is resolved', () => {
    // The reports of each simulated minute arrive together and are stamped with one receipt time.
    const place = { subdistrict: null, cell: null, outside: false };
    const held = new Map<string, CaseRecord>();
    const refused: string[] = [];
    const simulation = new Simulation({ seed: 42, startMs: BEIJING_MIDNIGHT, subdistricts });
    for (let minute = 0; minute < 24 * 60; minute++) {
      for (const report of simulation.advance(MINUTE).cases) {
        const id = caseId(report.source, report.sourceId);
        const outcome = applyCaseReport(held.get(id), report, place, BEIJING_MIDNIGHT + minute * MINUTE);
        if (outcome.kind === 'illegal' || outcome.kind === 'stale') refused.push(`${outcome.kind}: ${id}`);
        if (outcome.kind === 'created' || outcome.kind === 'updated') held.set(id, outcome.record);
      }
    }
    expect(refused).toEqual([]);
    const records = [...held.values()];
    const closedHotline = records.filter((r) => r.source === 'hotline' && r.state === 'closed');
    expect(closedHotline.length).toBeGreaterThan(200);
    expect(closedHotline.every((r) => r.solved !== null && r.satisfaction !== null)).toBe(true);
    expect(records.filter((r) => r.source !== 'hotline' && (r.solved !== null || r.satisfaction !== null))).toEqual([]);
    expect(records.filter((r) => (r.reporter !== null) !== (r.source === 'app'))).toEqual([]);
  });

  it('puts a few cases just outside the district too', () => {
    const reported = day.cases.filter((c) => c.state === 'reported');
    const outside = reported.filter((c) => !insideDistrict(c.lon, c.lat)).length;
    expect(outside).toBeGreaterThan(0);
    expect(outside / reported.length).toBeLessThan(0.02);
  });

  it('sends no position while a volunteer is off duty, and changes status only as the server allows', () => {
    const status = new Map<string, VolunteerStatus>();
    const illegal: unknown[] = [];
    for (const p of day.positions) {
      const before = status.get(p.volunteerId) ?? 'off_duty';
      const offDutyFix = before === 'off_duty' && p.status !== 'available';
      if (offDutyFix || !isLegalVolunteerMove(before, p.status ?? before)) illegal.push({ before, p });
      if (p.status) status.set(p.volunteerId, p.status);
    }
    expect(illegal).toEqual([]);
    const changes = day.positions.filter((p) => p.status);
    expect(changes.filter((p) => p.status === 'off_duty').length).toBeGreaterThan(100);
    expect(changes.filter((p) => p.status === 'on_scene').length).toBeGreaterThan(20);
  });

  it('sends responders to the scene of an incident of their subdistrict', () => {
    const scenes = new Set(day.incidents.map((i) => `${i.lon},${i.lat}`));
    const arrivals = day.positions.filter((p) => p.status === 'on_scene' && insideDistrict(p.lon, p.lat));
    expect(arrivals.length).toBeGreaterThan(20);
    expect(arrivals.filter((p) => !scenes.has(`${p.lon},${p.lat}`))).toEqual([]);
  });
});

describe('app reporters', () => {
  it('come from a bounded pool per subdistrict, sized so that a resident reports about four times a year', () => {
    const pools = new Simulation({ seed: 42, startMs: BEIJING_MIDNIGHT, subdistricts }).reporterPoolSizes().get('app')!;
    expect([...pools.keys()].sort()).toEqual(subdistricts.features.map((f) => f.properties.adcode).sort());
    const total = [...pools.values()].reduce((a, b) => a + b, 0);
    // 80 app cases a day, 365 days, 4 reports a resident.
    expect(total).toBeGreaterThan(6500);
    expect(total).toBeLessThan(8000);
    expect(Math.min(...pools.values())).toBeGreaterThan(100);
    // The same residents whatever the seed or the start: a restart finds the same reporters.
    const other = new Simulation({ seed: 7, startMs: BEIJING_MIDNIGHT + 5 * HOUR, subdistricts }).reporterPoolSizes().get('app');
    expect(other).toEqual(pools);
  });

  it('report again and again over two months: fewer distinct reporters than reports, none outside the pool', () => {
    // Few volunteers, long steps: only the cases matter here.
    const simulation = new Simulation({ seed: 42, startMs: BEIJING_MIDNIGHT, subdistricts, teamsPerSubdistrict: 1, membersPerTeam: 1 });
    const pools = simulation.reporterPoolSizes().get('app')!;
    const reported: CaseReport[] = [];
    for (let hour = 0; hour < 60 * 24; hour++) {
      reported.push(...simulation.advance(HOUR).cases.filter((c) => c.source === 'app' && c.state === 'reported'));
    }
    const reporters = new Set(reported.map((c) => c.reporter));
    const outsidePool = [...reporters].filter((r) => {
      const [, code, n] = /^xcjy\.(\d{3})\.(\d{4})$/.exec(r ?? '') ?? [];
      return !(Number(n) >= 1 && Number(n) <= (pools.get(`110102${code}`) ?? 0));
    });
    expect(outsidePool).toEqual([]);
    expect(reported.length).toBeGreaterThan(60 * 80 * 0.85);
    // Expected: 1 − e^(−60·4/365) over 60·4/365 ≈ 73 % of the reports are a reporter's first.
    expect(reporters.size / reported.length).toBeGreaterThan(0.63);
    expect(reporters.size / reported.length).toBeLessThan(0.83);
  });
});

describe('volunteer movement', () => {
  it('reports every 10–30 s while on duty and walks at a plausible speed', () => {
    const simulation = new Simulation({ seed: 5, startMs: BEIJING_MIDNIGHT + 10 * HOUR, subdistricts });
    const last = new Map<string, { second: number; lon: number; lat: number; periodic: boolean }>();
    const gaps: number[] = [];
    const speeds: number[] = [];
    for (let second = 0; second < 20 * 60; second++) {
      for (const p of simulation.advance(1000).positions) {
        const previous = last.get(p.volunteerId);
        if (p.status === 'off_duty') last.delete(p.volunteerId);
        else last.set(p.volunteerId, { second, lon: p.lon, lat: p.lat, periodic: !p.status });
        if (!previous || p.status) continue;
        gaps.push(second - previous.second);
        // Only between two periodic fixes (10 s or more apart) is a 1 s resolution precise enough.
        if (previous.periodic && insideDistrict(p.lon, p.lat) && insideDistrict(previous.lon, previous.lat)) {
          const metres = Math.hypot((p.lon - previous.lon) * 85_400, (p.lat - previous.lat) * 111_000);
          speeds.push(metres / (second - previous.second));
        }
      }
    }
    expect(gaps.length).toBeGreaterThan(1000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(31);
    expect(Math.max(...speeds)).toBeLessThan(2.6);
    const meanSpeed = speeds.reduce((a, b) => a + b, 0) / speeds.length;
    expect(meanSpeed).toBeGreaterThan(0.3);
    expect(meanSpeed).toBeLessThan(1.4);
  });
});
