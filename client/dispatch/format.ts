/**
 * Dispatch figures in words, the same on the coordinator's console and the volunteer's phone:
 * distances, minutes, countdowns and response clocks, a recommendation's reason as one line
 * ("1.2 km · ~9 min · Earthquake specialty · 4 of 4 needed available"), incidents and alerts.
 * Pure: the dictionary goes in, text comes out; templates mark their values with `{name}`.
 */
import type { DispatchAlert, RecommendationReason } from '../../server/contract/dispatch.ts';
import type { IncidentView } from '../../server/contract/live.ts';
import { subdistrictName, type Dictionary, type Lang } from '../i18n/index.ts';

/** Fills `{name}` in a dictionary template; a name not given stays as it is. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/** Metres under a kilometre to the nearest 10 m, then km with one decimal, from 10 km whole. */
export function formatDistance(metres: number, dict: Dictionary): string {
  const m = Math.max(0, metres);
  if (m < 995) return fill(dict.dispatch.reason.m, { n: Math.round(m / 10) * 10 });
  const km = m / 1000;
  return fill(dict.dispatch.reason.km, { n: km < 9.95 ? km.toFixed(1) : String(Math.round(km)) });
}

/** "~9 min": whole minutes, at least one (an ETA of "~0 min" promises too much). */
export function formatEta(minutes: number, dict: Dictionary): string {
  return fill(dict.dispatch.reason.eta, { n: Math.max(1, Math.round(minutes)) });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Time left as m:ss, rounded up so "0:00" means the time is really up; never negative. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${pad(seconds % 60)}`;
}

/** Time elapsed as mm:ss, or h:mm:ss from an hour on, rounded down as a stopwatch does. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const rest = `${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** What the match was: the team's specialty, a member's skill, or none. */
function matchText(reason: RecommendationReason, dict: Dictionary): string {
  const texts = dict.dispatch.reason;
  if (reason.match === 'none' || reason.matched === null) return texts.noMatch;
  const label = dict.skills[reason.matched];
  return fill(reason.match === 'specialty' ? texts.specialty : texts.skill, { x: label });
}

/**
 * Every figure the ranking used, in the order a coordinator weighs them: how far, how soon, how
 * fitting, how many; the team's recent load only when it had any.
 */
export function reasonText(reason: RecommendationReason, dict: Dictionary): string {
  const texts = dict.dispatch.reason;
  const parts = [
    formatDistance(reason.distanceM, dict),
    formatEta(reason.etaMinutes, dict),
    matchText(reason, dict),
    fill(texts.available, { a: reason.available, n: reason.needed }),
  ];
  if (reason.recentAssignments > 0) parts.push(fill(texts.load, { n: reason.recentAssignments }));
  return parts.join(' · ');
}

/** How an actor is shown: `user:li` as li, the server's escalation in words. */
export function actorName(actor: string, dict: Dictionary): string {
  if (actor.startsWith('system:')) return dict.dispatch.escalation;
  return actor.replace(/^user:/, '');
}

/** An incident in one line: "Fire · III Serious · Niujie". */
export function incidentLabel(
  incident: Pick<IncidentView, 'kind' | 'severity' | 'subdistrict'>,
  dict: Dictionary,
  lang: Lang,
): string {
  return [dict.incidentKinds[incident.kind], dict.severities[incident.severity], subdistrictName(incident.subdistrict, lang)].join(' · ');
}

/**
 * An alert in words: what happened to the offer, then what the server did about it (offered
 * the next team, or found none left). The caller looks up the incident's and teams' names.
 */
export function alertText(
  alert: Pick<DispatchAlert, 'kind' | 'next'>,
  dict: Dictionary,
  names: { incident: string; team: string; next: string },
): string {
  const texts = dict.dispatch.alerts;
  const then = alert.next === null ? texts.no_team_left : texts.escalated;
  return `${fill(texts[alert.kind], names)} · ${fill(then, names)}`;
}
