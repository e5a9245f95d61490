/**
 * Dispatch figures in words, in both languages: distances change unit at a kilometre, minutes
 * never promise zero, countdowns never go negative, and a reason reads as the console shows it.
 */
import { describe, expect, it } from 'vitest';
import type { RecommendationReason } from '../../server/contract/dispatch.ts';
import { DICTIONARIES } from '../i18n/index.ts';
import {
  actorName,
  alertText,
  fill,
  formatCountdown,
  formatDistance,
  formatElapsed,
  formatEta,
  incidentLabel,
  reasonText,
} from './format.ts';

const { en, zh } = DICTIONARIES;

function reason(fields: Partial<RecommendationReason> = {}): RecommendationReason {
  return {
    distanceM: 1234,
    etaMinutes: 8.6,
    match: 'specialty',
    matched: 'earthquake',
    available: 4,
    needed: 4,
    recentAssignments: 0,
    ...fields,
  };
}

describe('fill', () => {
  it('fills named values and leaves unknown names as they are', () => {
    expect(fill('{a} of {n}, {b}', { a: 3, n: 4 })).toBe('3 of 4, {b}');
  });
});

describe('distances and minutes', () => {
  it('gives metres to the nearest ten under a kilometre, then kilometres', () => {
    expect(formatDistance(0, en)).toBe('0 m');
    expect(formatDistance(847, en)).toBe('850 m');
    expect(formatDistance(994, en)).toBe('990 m');
    expect(formatDistance(995, en)).toBe('1.0 km');
    expect(formatDistance(1234, en)).toBe('1.2 km');
    expect(formatDistance(9949, en)).toBe('9.9 km');
    expect(formatDistance(12_600, en)).toBe('13 km');
    expect(formatDistance(1234, zh)).toBe('1.2 公里');
    expect(formatDistance(-5, en)).toBe('0 m');
  });

  it('rounds minutes and never promises less than one', () => {
    expect(formatEta(8.6, en)).toBe('~9 min');
    expect(formatEta(0.2, en)).toBe('~1 min');
    expect(formatEta(12.4, zh)).toBe('约 12 分钟');
  });
});

describe('countdowns and clocks', () => {
  it('counts down in m:ss, rounding up, and stops at 0:00', () => {
    expect(formatCountdown(90_000)).toBe('1:30');
    expect(formatCountdown(59_001)).toBe('1:00');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-10_000)).toBe('0:00');
  });

  it('shows elapsed time as mm:ss, and h:mm:ss from an hour', () => {
    expect(formatElapsed(0)).toBe('00:00');
    expect(formatElapsed(9_999)).toBe('00:09');
    expect(formatElapsed(8 * 60_000 + 5_000)).toBe('08:05');
    expect(formatElapsed(3_600_000 + 61_000)).toBe('1:01:01');
  });
});

describe('reasons', () => {
  it('reads like the console shows it, in English and Chinese', () => {
    expect(reasonText(reason(), en)).toBe('1.2 km · ~9 min · Earthquake specialty · 4 of 4 needed available');
    expect(reasonText(reason(), zh)).toBe('1.2 公里 · 约 9 分钟 · 地震专业 · 需 4 人，可用 4 人');
  });

  it('names a member skill, or says nothing matched', () => {
    expect(reasonText(reason({ match: 'skill', matched: 'first_aid' }), en)).toContain('First aid skill');
    expect(reasonText(reason({ match: 'skill', matched: 'first_aid' }), zh)).toContain('具备急救技能');
    expect(reasonText(reason({ match: 'none', matched: null }), en)).toContain('no matching skill');
  });

  it('adds the recent load only when the team had some', () => {
    expect(reasonText(reason({ recentAssignments: 2, available: 1, needed: 3 }), en)).toBe(
      '1.2 km · ~9 min · Earthquake specialty · 1 of 3 needed available · 2 recent assignments',
    );
  });
});

describe('names', () => {
  it('shows a user by name and the escalation in words', () => {
    expect(actorName('user:coord-b', en)).toBe('coord-b');
    expect(actorName('system:escalation', zh)).toBe('自动升级');
  });

  it('labels an incident by kind, severity and subdistrict', () => {
    const incident = { kind: 'fire' as const, severity: 3 as const, subdistrict: '110102018' };
    expect(incidentLabel(incident, en, 'en')).toBe('Fire · III Serious · Niujie');
    expect(incidentLabel(incident, zh, 'zh')).toBe('火灾 · III 较大 · 牛街街道');
  });

  it('tells an alert and what the server did next', () => {
    const names = { incident: 'Fire', team: 'Team A', next: 'Team B' };
    expect(alertText({ kind: 'declined', next: 'T-B' }, en, names)).toBe('Fire: Team A declined · offered to Team B');
    expect(alertText({ kind: 'timed_out', next: null }, en, names)).toBe(
      'Fire: Team A did not answer in time · no team left to offer: dispatch by hand',
    );
  });
});
