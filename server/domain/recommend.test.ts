import { describe, expect, it } from 'vitest';
import { etaMinutes, FRESH_POSITION_MS, recommend, type CandidateMember, type CandidateTeam, type IncidentFacts } from './recommend.ts';

const NOW = Date.parse('2026-11-26T10:00:00Z');
/** The scene: 什刹海, with points a known distance east of it (1° lon ≈ 85.2 km at 39.94° N). */
const SCENE = { lon: 116.38, lat: 39.94 };
const eastOf = (metres: number) => ({ lon: SCENE.lon + metres / 85_240, lat: SCENE.lat });

function member(id: string, metres: number, overrides: Partial<CandidateMember> = {}): CandidateMember {
  return { id, status: 'available', ...eastOf(metres), positionAt: NOW - 60_000, skills: [], ...overrides };
}

function team(id: string, overrides: Partial<CandidateTeam> = {}): CandidateTeam {
  return { id, name: `Team ${id}`, subdistrict: '110102012', specialty: 'fire', members: [], busy: false, recentAssignments: 0, ...overrides };
}

const fire: IncidentFacts = { kind: 'fire', severity: 4, ...SCENE };

describe('recommend', () => {
  it('ranks fitting teams by estimated arrival and explains each figure', () => {
    const near = team('near', { members: [member('a', 1200), member('b', 1500)] });
    const far = team('far', { members: [member('c', 3000), member('d', 3100)] });
    const [first, second] = recommend(fire, [far, near], NOW);
    expect(first).toMatchObject({ team: 'near', rank: 1 });
    expect(second).toMatchObject({ team: 'far', rank: 2 });
    expect(first!.reason).toEqual({
      distanceM: expect.closeTo(1200, -1),
      etaMinutes: 8.2, // 2 + 1200 × 1.3 / 250
      match: 'specialty',
      matched: 'fire',
      available: 2,
      needed: 2,
      recentAssignments: 0,
    });
  });

  it('models arrival as 1.3 × the straight line at 15 km/h plus 2 minutes to set off', () => {
    expect(etaMinutes(0)).toBe(2);
    expect(etaMinutes(2500)).toBeCloseTo(2 + 13, 6);
  });

  it('prefers a fitting team a little further to a near team with nothing that fits', () => {
    const nearPatrol = team('patrol', { specialty: 'patrol', members: [member('a', 500), member('b', 500)] });
    const fireTeam = team('fire', { members: [member('c', 2500), member('d', 2500)] });
    const ranked = recommend(fire, [nearPatrol, fireTeam], NOW);
    expect(ranked.map((r) => r.team)).toEqual(['fire', 'patrol']);
    expect(ranked[1]!.reason).toMatchObject({ match: 'none', matched: null });
  });

  it('counts a member skill as a partial fit', () => {
    const medical: IncidentFacts = { kind: 'medical', severity: 4, ...SCENE };
    const withFirstAid = team('aid', { specialty: 'patrol', members: [member('a', 800, { skills: ['first_aid'] }), member('b', 800)] });
    const without = team('plain', { specialty: 'patrol', members: [member('c', 700), member('d', 700)] });
    const ranked = recommend(medical, [without, withFirstAid], NOW);
    expect(ranked.map((r) => [r.team, r.reason.match, r.reason.matched])).toEqual([
      ['aid', 'skill', 'first_aid'],
      ['plain', 'none', null],
    ]);
  });

  it('leaves out busy teams, excluded teams and teams without a member ready', () => {
    const busy = team('busy', { busy: true, members: [member('a', 100)] });
    const tried = team('tried', { members: [member('b', 100)] });
    const offDuty = team('off', { members: [member('c', 100, { status: 'off_duty' })] });
    const assigned = team('assigned', { members: [member('d', 100, { status: 'assigned' })] });
    const stale = team('stale', { members: [member('e', 100, { positionAt: NOW - FRESH_POSITION_MS - 1 })] });
    const unplaced = team('unplaced', { members: [member('f', 100, { lon: null, lat: null, positionAt: null })] });
    const ready = team('ready', { members: [member('g', 4000)] });
    const ranked = recommend(fire, [busy, tried, offDuty, assigned, stale, unplaced, ready], NOW, { exclude: new Set(['tried']) });
    expect(ranked.map((r) => r.team)).toEqual(['ready']);
  });

  it('measures from the nearest ready member and counts only ready members', () => {
    const mixed = team('mixed', { members: [member('a', 3000), member('b', 900), member('c', 100, { status: 'en_route' })] });
    const [only] = recommend(fire, [mixed], NOW);
    expect(only!.reason.distanceM).toBeCloseTo(900, -1);
    expect(only!.reason.available).toBe(2);
  });

  it('weighs a shortfall of members against the severity', () => {
    const severe: IncidentFacts = { kind: 'fire', severity: 2, ...SCENE }; // needs 6
    const small = team('small', { members: [member('a', 500), member('b', 500)] }); // 4 short: +12
    const large = team('large', { members: Array.from({ length: 6 }, (_, i) => member(`m${i}`, 2000)) });
    const ranked = recommend(severe, [small, large], NOW);
    expect(ranked.map((r) => r.team)).toEqual(['large', 'small']);
    expect(ranked[0]!.reason).toMatchObject({ available: 6, needed: 6 });
  });

  it('spreads work: recent assignments weigh against a team', () => {
    const tired = team('tired', { recentAssignments: 3, members: [member('a', 1000), member('b', 1000)] });
    const rested = team('rested', { members: [member('c', 1400), member('d', 1400)] });
    expect(recommend(fire, [tired, rested], NOW).map((r) => r.team)).toEqual(['rested', 'tired']);
  });

  it('keeps a stable order on ties and honours the limit', () => {
    const teams = ['c', 'a', 'b'].map((id) => team(id, { members: [member(`${id}1`, 1000)] }));
    expect(recommend(fire, teams, NOW).map((r) => r.team)).toEqual(['a', 'b', 'c']);
    expect(recommend(fire, teams, NOW, { limit: 2 }).map((r) => r.rank)).toEqual([1, 2]);
  });
});
