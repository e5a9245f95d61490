/**
 * The dictionaries name every word of the vocabulary, ticker lines read as the wall shows them,
 * and server errors are told in words.
 */
import { describe, expect, it } from 'vitest';
import {
  CASE_CATEGORIES,
  CASE_SOURCES,
  CASE_STATES,
  INCIDENT_KINDS,
  INCIDENT_STATES,
  SEVERITIES,
  SPECIALTIES,
  VOLUNTEER_STATUSES,
} from '../../server/domain/vocabulary.ts';
import { ApiError, NETWORK } from '../api.ts';
import type { LiveEvent } from '../live/LiveState.ts';
import { DICTIONARIES, errorText, formatStamp, formatTime, langFromSearch, tickerText } from './index.ts';

describe('dictionaries', () => {
  for (const [lang, dict] of Object.entries(DICTIONARIES)) {
    it(`${lang} labels every vocabulary word`, () => {
      const labelled: Array<[Record<string | number, string>, readonly (string | number)[]]> = [
        [dict.caseSources, CASE_SOURCES],
        [dict.caseCategories, CASE_CATEGORIES],
        [dict.caseStates, CASE_STATES],
        [dict.incidentKinds, INCIDENT_KINDS],
        [dict.incidentStates, INCIDENT_STATES],
        [dict.severities, SEVERITIES],
        [dict.volunteerStatuses, VOLUNTEER_STATUSES],
        [dict.specialties, SPECIALTIES],
      ];
      for (const [labels, words] of labelled) {
        for (const word of words) expect(labels[word], String(word)).toMatch(/\S/);
      }
    });
  }

  it('names the severity levels as the plan does', () => {
    expect(Object.values(DICTIONARIES.zh.severities)).toEqual(['I 特别重大', 'II 重大', 'III 较大', 'IV 一般']);
  });
});

describe('language selection', () => {
  it('defaults to Chinese and takes ?lang=en', () => {
    expect(langFromSearch('')).toBe('zh');
    expect(langFromSearch('?lang=en')).toBe('en');
    expect(langFromSearch('?lang=fr')).toBe('zh');
  });
});

describe('ticker text', () => {
  const newCase: LiveEvent = {
    serial: 1,
    seq: 1,
    at: 0,
    kind: 'case',
    created: true,
    value: {
      id: 'c1',
      seq: 1,
      source: 'hotline',
      category: 'parking',
      state: 'reported',
      urgency: 'normal',
      lon: 116.38,
      lat: 39.94,
      reportedAt: 0,
      updatedAt: 0,
      deadlineAt: 24 * 3_600_000,
      resolvedAt: null,
      whistle: null,
      subdistrict: '110102012',
      cell: null,
      outside: false,
    },
  };

  it('reads like the wall speaks', () => {
    expect(tickerText(newCase, DICTIONARIES.zh, 'zh')).toBe('新案件 · 停车 · 什刹海街道');
    expect(tickerText(newCase, DICTIONARIES.en, 'en')).toBe('New case · Parking · Shichahai');
  });

  it('shows Beijing time', () => {
    expect(formatTime(Date.UTC(2026, 0, 5, 2, 3, 4))).toBe('10:03:04');
  });
});

describe('error text', () => {
  const { zh, en } = DICTIONARIES;

  it("tells the server's codes in the page's words", () => {
    expect(errorText(new ApiError(401, 'LOGIN_FAILED', 'wrong username or password'), zh)).toBe(zh.errors.LOGIN_FAILED);
    expect(errorText(new ApiError(0, NETWORK, 'Failed to fetch'), en)).toBe(en.errors.NETWORK);
  });

  it('names the fields of a schema failure, and shows an unknown code as the server said it', () => {
    const invalid = new ApiError(400, 'VALIDATION_FAILED', 'invalid body', [{ path: '/username', message: 'must match pattern' }]);
    expect(errorText(invalid, en)).toBe(`${en.errors.VALIDATION_FAILED} (/username must match pattern)`);
    expect(errorText(new ApiError(409, 'SOMETHING_NEW', 'it broke'), en)).toBe(`${en.errors.UNKNOWN} (SOMETHING_NEW: it broke)`);
    expect(errorText(new ApiError(409, 'constructor', 'odd'), en)).toContain(en.errors.UNKNOWN);
    expect(errorText(new Error('boom'), zh)).toBe(zh.errors.UNKNOWN);
  });

  it('stamps lists in Beijing time', () => {
    expect(formatStamp('2026-01-05T02:03:04.000Z', en)).toBe('05/01/2026, 10:03:04');
  });
});
