/**
 * Which teams to send to an incident, best first, each with the figures that ranked it. Pure.
 *
 * Travel model: straight-line distance from the team's nearest available member, times 1.3
 * for the street network (Xicheng's hutongs rarely run straight), at 15 km/h (a volunteer on a
 * bicycle or e-bike, the usual way through the old town), plus 2 minutes to set off. No road
 * graph is needed, and the estimate errs long rather than short in the hutongs.
 *
 * A team is a candidate when it has no active assignment and at least one member available
 * with a position younger than FRESH_POSITION_MS. Its score, in minutes, is the estimated
 * arrival plus penalties: no fitting specialty (a member's fitting skill halves the gap), each
 * member short of what the severity calls for, and each assignment the team had in the last
 * LOAD_WINDOW_MS (spreading work over rested teams). Lower is better; ties go to the earlier
 * arrival, then the team id, so the order is stable.
 */
import { distance } from '@turf/turf';
import type { Recommendation, RecommendationReason } from '../contract/dispatch.ts';
import type { IncidentKind, Severity, Skill, Specialty, VolunteerStatus } from './vocabulary.ts';

export const DETOUR_FACTOR = 1.3;
export const SPEED_M_PER_MIN = 15_000 / 60;
export const SET_OFF_MIN = 2;
export const FRESH_POSITION_MS = 10 * 60_000;
export const LOAD_WINDOW_MS = 12 * 3_600_000;

/** Minutes added to the score by how well the team fits the incident. */
export const MATCH_PENALTY_MIN: Readonly<Record<RecommendationReason['match'], number>> = { specialty: 0, skill: 5, none: 15 };
export const SHORTFALL_PENALTY_MIN = 3;
export const LOAD_PENALTY_MIN = 2;

/** Members an incident calls for, by severity (I is the most severe). */
export const MEMBERS_NEEDED: Readonly<Record<Severity, number>> = { 1: 8, 2: 6, 3: 4, 4: 2 };

/** What fits each kind of incident: team specialties first, else a member's skill. */
export const FITS: Readonly<Record<IncidentKind, { specialties: readonly Specialty[]; skills: readonly Skill[] }>> = {
  fire: { specialties: ['fire'], skills: ['fire'] },
  gas_leak: { specialties: ['fire'], skills: ['fire'] },
  earthquake: { specialties: ['earthquake'], skills: ['earthquake', 'search_rescue'] },
  waterlogging: { specialties: ['rain_snow'], skills: ['rain_snow', 'search_rescue'] },
  snow_ice: { specialties: ['rain_snow'], skills: ['rain_snow'] },
  public_health: { specialties: ['public_health'], skills: ['public_health'] },
  medical: { specialties: ['public_health'], skills: ['first_aid'] },
  traffic: { specialties: ['patrol'], skills: ['first_aid'] },
  crowding: { specialties: ['patrol'], skills: ['patrol'] },
  public_order: { specialties: ['patrol'], skills: ['patrol'] },
};

export interface CandidateMember {
  id: string;
  status: VolunteerStatus;
  lon: number | null;
  lat: number | null;
  /** epoch ms of the last position */
  positionAt: number | null;
  skills: readonly Skill[];
}

export interface CandidateTeam {
  id: string;
  name: string;
  subdistrict: string;
  specialty: Specialty;
  members: readonly CandidateMember[];
  /** the team has an active assignment */
  busy: boolean;
  /** assignments offered to it within LOAD_WINDOW_MS */
  recentAssignments: number;
}

export interface IncidentFacts {
  kind: IncidentKind;
  severity: Severity;
  lon: number;
  lat: number;
}

export interface RecommendOptions {
  /** teams not to offer again (they declined or let an offer lapse on this incident) */
  exclude?: ReadonlySet<string>;
  limit?: number;
}

export function recommend(
  incident: IncidentFacts,
  teams: readonly CandidateTeam[],
  now: number,
  { exclude = new Set(), limit = 5 }: RecommendOptions = {},
): Recommendation[] {
  return teams
    .filter((team) => !team.busy && !exclude.has(team.id))
    .flatMap((team) => {
      const reason = reasonFor(incident, team, now);
      return reason ? [{ team, reason, score: scoreOf(reason) }] : [];
    })
    .sort((a, b) => a.score - b.score || a.reason.etaMinutes - b.reason.etaMinutes || a.team.id.localeCompare(b.team.id))
    .slice(0, limit)
    .map(({ team, reason, score }, i) => ({
      team: team.id,
      teamName: team.name,
      subdistrict: team.subdistrict,
      specialty: team.specialty,
      rank: i + 1,
      score: round1(score),
      reason,
    }));
}

/** Minutes to the scene for a distance in metres. */
export function etaMinutes(distanceM: number): number {
  return SET_OFF_MIN + (distanceM * DETOUR_FACTOR) / SPEED_M_PER_MIN;
}

/** The figures of one team, or null when none of its members can go now. */
function reasonFor(incident: IncidentFacts, team: CandidateTeam, now: number): RecommendationReason | null {
  const ready = team.members.filter((m) => isReady(m, now));
  if (ready.length === 0) return null;
  const scene = [incident.lon, incident.lat];
  const nearest = Math.min(...ready.map((m) => distance([m.lon!, m.lat!], scene, { units: 'meters' })));
  const { match, matched } = fit(incident.kind, team, ready);
  return {
    distanceM: Math.round(nearest),
    etaMinutes: round1(etaMinutes(nearest)),
    match,
    matched,
    available: ready.length,
    needed: MEMBERS_NEEDED[incident.severity],
    recentAssignments: team.recentAssignments,
  };
}

function isReady(member: CandidateMember, now: number): boolean {
  return (
    member.status === 'available' &&
    member.lon !== null &&
    member.lat !== null &&
    member.positionAt !== null &&
    now - member.positionAt <= FRESH_POSITION_MS
  );
}

function fit(kind: IncidentKind, team: CandidateTeam, ready: readonly CandidateMember[]): Pick<RecommendationReason, 'match' | 'matched'> {
  const wanted = FITS[kind];
  if (wanted.specialties.includes(team.specialty)) return { match: 'specialty', matched: team.specialty };
  const skill = wanted.skills.find((s) => ready.some((m) => m.skills.includes(s)));
  return skill ? { match: 'skill', matched: skill } : { match: 'none', matched: null };
}

function scoreOf(reason: RecommendationReason): number {
  const shortfall = Math.max(0, reason.needed - reason.available);
  return (
    reason.etaMinutes +
    MATCH_PENALTY_MIN[reason.match] +
    shortfall * SHORTFALL_PENALTY_MIN +
    reason.recentAssignments * LOAD_PENALTY_MIN
  );
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
