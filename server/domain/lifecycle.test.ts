import { describe, expect, it } from 'vitest';
import { isLegalCaseMove, isLegalIncidentMove, isLegalVolunteerMove } from './lifecycle.ts';
import { CASE_STATES, INCIDENT_STATES, VOLUNTEER_STATUSES } from './vocabulary.ts';

describe('case lifecycle', () => {
  it('moves forward, skipping steps when a feed reports only the latest state', () => {
    expect(isLegalCaseMove('reported', 'dispatched')).toBe(true);
    expect(isLegalCaseMove('reported', 'resolved')).toBe(true);
    expect(isLegalCaseMove('resolved', 'closed')).toBe(true);
  });
  it('rejects backward moves', () => {
    expect(isLegalCaseMove('dispatched', 'reported')).toBe(false);
    expect(isLegalCaseMove('closed', 'in_progress')).toBe(false);
    expect(isLegalCaseMove('closed', 'reported')).toBe(false);
  });
  it('reopens a resolved case whose call-back failed (重办)', () => {
    expect(isLegalCaseMove('resolved', 'in_progress')).toBe(true);
    expect(isLegalCaseMove('resolved', 'dispatched')).toBe(false);
  });
  it('allows exactly the forward moves plus the reopen, across all pairs', () => {
    const legal = CASE_STATES.flatMap((a) => CASE_STATES.filter((b) => isLegalCaseMove(a, b)).map((b) => `${a}>${b}`));
    expect(legal).toHaveLength(15 + 1);
  });
});

describe('incident lifecycle', () => {
  it('moves forward only', () => {
    expect(isLegalIncidentMove('reported', 'confirmed')).toBe(true);
    expect(isLegalIncidentMove('reported', 'closed')).toBe(true); // false alarm
    expect(isLegalIncidentMove('responding', 'confirmed')).toBe(false);
    expect(isLegalIncidentMove('closed', 'reported')).toBe(false);
    const legal = INCIDENT_STATES.flatMap((a) => INCIDENT_STATES.filter((b) => isLegalIncidentMove(a, b)));
    expect(legal).toHaveLength(15);
  });
});

describe('volunteer lifecycle', () => {
  it('follows the duty graph', () => {
    expect(isLegalVolunteerMove('off_duty', 'available')).toBe(true);
    expect(isLegalVolunteerMove('available', 'assigned')).toBe(true);
    expect(isLegalVolunteerMove('assigned', 'en_route')).toBe(true);
    expect(isLegalVolunteerMove('en_route', 'on_scene')).toBe(true);
    expect(isLegalVolunteerMove('on_scene', 'available')).toBe(true);
  });
  it('rejects jumps and moves out of sequence', () => {
    expect(isLegalVolunteerMove('off_duty', 'on_scene')).toBe(false);
    expect(isLegalVolunteerMove('off_duty', 'assigned')).toBe(false);
    expect(isLegalVolunteerMove('available', 'on_scene')).toBe(false);
    expect(isLegalVolunteerMove('on_scene', 'off_duty')).toBe(false);
    expect(isLegalVolunteerMove('on_scene', 'en_route')).toBe(false);
  });
  it('treats repeating the current status as no move', () => {
    for (const s of VOLUNTEER_STATUSES) expect(isLegalVolunteerMove(s, s)).toBe(true);
  });
});
