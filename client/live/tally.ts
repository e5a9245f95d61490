/**
 * Per-subdistrict counts for the wall's table: cases still being handled, incidents not yet
 * closed, volunteers on duty. Pure: reads a LiveState, returns numbers keyed by adcode, with
 * points outside the district under `OUTSIDE`.
 */
import type { CaseState } from '../../server/domain/vocabulary.ts';
import type { LiveState } from './LiveState.ts';

export interface SubdistrictTally {
  openCases: number;
  activeIncidents: number;
  volunteersOnDuty: number;
}

export const OUTSIDE = 'outside';

/** Resolved (办结) cases wait only for the call-back: the work is done, so they are not open. */
const OPEN_CASE_STATES: ReadonlySet<CaseState> = new Set(['reported', 'dispatched', 'in_progress']);

export function emptyTally(): SubdistrictTally {
  return { openCases: 0, activeIncidents: 0, volunteersOnDuty: 0 };
}

export function tallyBySubdistrict(state: LiveState): Map<string, SubdistrictTally> {
  const tallies = new Map<string, SubdistrictTally>();
  const tallyOf = (adcode: string | null): SubdistrictTally => {
    const key = adcode ?? OUTSIDE;
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = emptyTally()));
    return tally;
  };
  for (const view of state.cases.values()) {
    if (OPEN_CASE_STATES.has(view.state)) tallyOf(view.subdistrict).openCases++;
  }
  // Closed incidents never stay in the state, so every one held is active.
  for (const view of state.incidents.values()) tallyOf(view.subdistrict).activeIncidents++;
  for (const view of state.units.values()) {
    if (view.status !== 'off_duty') tallyOf(view.subdistrict).volunteersOnDuty++;
  }
  return tallies;
}

export function sumTallies(tallies: Iterable<SubdistrictTally>): SubdistrictTally {
  const total = emptyTally();
  for (const tally of tallies) {
    total.openCases += tally.openCases;
    total.activeIncidents += tally.activeIncidents;
    total.volunteersOnDuty += tally.volunteersOnDuty;
  }
  return total;
}
