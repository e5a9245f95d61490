/**
 * A unit's freshness follows the age of its last position against the thresholds, the address
 * may override them only with a sensible pair, and ages read in one whole unit.
 */
import { describe, expect, it } from 'vitest';
import { DICTIONARIES } from '../i18n/index.ts';
import { ageParts, DEFAULT_FRESHNESS, freshnessOf, sameLook, spanText, thresholdParts, thresholdsFromSearch, unitLook } from './freshness.ts';

const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);
const SECOND = 1000;

describe('freshnessOf', () => {
  const thresholds = { staleSeconds: 120, lostSeconds: 600 };

  it('is fresh, then stale, then lost as the last position ages', () => {
    expect(freshnessOf(T0, T0, thresholds)).toBe('fresh');
    expect(freshnessOf(T0, T0 + 119 * SECOND, thresholds)).toBe('fresh');
    expect(freshnessOf(T0, T0 + 120 * SECOND, thresholds)).toBe('stale');
    expect(freshnessOf(T0, T0 + 599 * SECOND, thresholds)).toBe('stale');
    expect(freshnessOf(T0, T0 + 600 * SECOND, thresholds)).toBe('lost');
  });

  it('takes a position from a clock running ahead as fresh, and no position as lost', () => {
    expect(freshnessOf(T0 + 5 * SECOND, T0, thresholds)).toBe('fresh');
    expect(freshnessOf(null, T0, thresholds)).toBe('lost');
  });
});

describe('thresholdsFromSearch', () => {
  it('keeps the served thresholds without overrides', () => {
    expect(thresholdsFromSearch('', DEFAULT_FRESHNESS)).toEqual(DEFAULT_FRESHNESS);
    expect(thresholdsFromSearch('?lang=en&hide=grid', { staleSeconds: 30, lostSeconds: 90 })).toEqual({ staleSeconds: 30, lostSeconds: 90 });
  });

  it('takes either threshold from the address, in seconds', () => {
    expect(thresholdsFromSearch('?stale=60&lost=300', DEFAULT_FRESHNESS)).toEqual({ staleSeconds: 60, lostSeconds: 300 });
    expect(thresholdsFromSearch('?lost=900', DEFAULT_FRESHNESS)).toEqual({ staleSeconds: 120, lostSeconds: 900 });
    expect(thresholdsFromSearch('?stale=30', DEFAULT_FRESHNESS)).toEqual({ staleSeconds: 30, lostSeconds: 600 });
  });

  it('ignores values that are not positive numbers, and a lost that would not come after stale', () => {
    expect(thresholdsFromSearch('?stale=abc&lost=-5', DEFAULT_FRESHNESS)).toEqual(DEFAULT_FRESHNESS);
    expect(thresholdsFromSearch('?stale=0', DEFAULT_FRESHNESS)).toEqual(DEFAULT_FRESHNESS);
    expect(thresholdsFromSearch('?stale=700', DEFAULT_FRESHNESS)).toEqual(DEFAULT_FRESHNESS);
    expect(thresholdsFromSearch('?stale=300&lost=300', DEFAULT_FRESHNESS)).toEqual(DEFAULT_FRESHNESS);
  });
});

describe('ages and thresholds in words', () => {
  it('reads an age in whole seconds, minutes or hours', () => {
    expect(ageParts(-3 * SECOND)).toEqual({ n: 0, unit: 'seconds' });
    expect(ageParts(59_999)).toEqual({ n: 59, unit: 'seconds' });
    expect(ageParts(3 * 60 * SECOND + 59 * SECOND)).toEqual({ n: 3, unit: 'minutes' });
    expect(ageParts(2 * 3600 * SECOND + 1)).toEqual({ n: 2, unit: 'hours' });
  });

  it('keeps a threshold exact', () => {
    expect(thresholdParts(120)).toEqual({ n: 2, unit: 'minutes' });
    expect(thresholdParts(90)).toEqual({ n: 90, unit: 'seconds' });
    expect(thresholdParts(7200)).toEqual({ n: 2, unit: 'hours' });
  });

  it('says it in both languages', () => {
    expect(spanText(ageParts(3 * 60 * SECOND), DICTIONARIES.zh)).toBe('3 分钟');
    expect(spanText(ageParts(3 * 60 * SECOND), DICTIONARIES.en)).toBe('3 min');
  });
});

describe('unitLook', () => {
  const thresholds = { staleSeconds: 30, lostSeconds: 600 };

  it('shows no age while fresh, then its age in one whole unit', () => {
    expect(unitLook(T0, T0 + 29 * SECOND, thresholds)).toEqual({ freshness: 'fresh', age: null });
    expect(unitLook(T0, T0 + 45 * SECOND, thresholds)).toEqual({ freshness: 'stale', age: { n: 45, unit: 'seconds' } });
    expect(unitLook(T0, T0 + 150 * SECOND, thresholds)).toEqual({ freshness: 'stale', age: { n: 2, unit: 'minutes' } });
    expect(unitLook(T0, T0 + 3 * 3600 * SECOND, thresholds)).toEqual({ freshness: 'lost', age: { n: 3, unit: 'hours' } });
  });

  it('changes look only when the freshness or the shown age does', () => {
    const at = (seconds: number) => unitLook(T0, T0 + seconds * SECOND, thresholds);
    expect(sameLook(at(121), at(179))).toBe(true);
    expect(sameLook(at(179), at(180))).toBe(false);
    expect(sameLook(at(10), at(20))).toBe(true);
    expect(sameLook(at(590), at(600))).toBe(false);
  });
});
