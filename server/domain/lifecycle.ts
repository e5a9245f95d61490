/**
 * Lifecycles of cases, incidents and volunteers: which moves are legal. Pure.
 *
 * Cases and incidents move forward along their chain; a feed may skip steps (it may only report
 * the latest state it knows), but never moves backwards, with one exception that the hotline
 * process has: a resolved case whose call-back fails goes back to in_progress (重办).
 * Volunteers follow an explicit graph: off duty → available → assigned → en route → on scene
 * → available, with declines, recalls and going off duty where they make sense.
 */
import {
  CASE_STATES,
  INCIDENT_STATES,
  type CaseState,
  type IncidentState,
  type VolunteerStatus,
} from './vocabulary.ts';

export function isLegalCaseMove(from: CaseState, to: CaseState): boolean {
  if (from === 'resolved' && to === 'in_progress') return true;
  return CASE_STATES.indexOf(to) >= CASE_STATES.indexOf(from);
}

export function isLegalIncidentMove(from: IncidentState, to: IncidentState): boolean {
  return INCIDENT_STATES.indexOf(to) >= INCIDENT_STATES.indexOf(from);
}

const VOLUNTEER_MOVES: Record<VolunteerStatus, readonly VolunteerStatus[]> = {
  off_duty: ['available'],
  available: ['off_duty', 'assigned'],
  assigned: ['available', 'en_route'],
  en_route: ['available', 'on_scene'],
  on_scene: ['available'],
};

export function isLegalVolunteerMove(from: VolunteerStatus, to: VolunteerStatus): boolean {
  return from === to || VOLUNTEER_MOVES[from].includes(to);
}

export function isOnDuty(status: VolunteerStatus): boolean {
  return status !== 'off_duty';
}
