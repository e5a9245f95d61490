/**
 * The leaders' arithmetic on counts small enough to check by hand: targets, rates, figures per
 * resident that say so when no population is known, measures of an area, sums, coverage by
 * area and the buckets of a trend.
 */
import { describe, expect, it } from 'vitest';
import {
  bucketSpans,
  buckets,
  coverage,
  emptyCounts,
  hotlineRates,
  LIVE_INDICATORS,
  measureOf,
  meets,
  percent,
  perResidents,
  sumCounts,
  SURVEY_INDICATORS,
  type AreaCounts,
} from './indicators.ts';

function counts(overrides: Partial<AreaCounts>): AreaCounts {
  return { ...emptyCounts(), ...overrides };
}

describe('the plan indicators', () => {
  it('have one spec each, the live ones with the plan numbers 11, 14, 15, 20, 21', () => {
    const keys = [...LIVE_INDICATORS, ...SURVEY_INDICATORS].map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(LIVE_INDICATORS.flatMap((i) => (i.plan === null ? [] : [i.plan]))).toEqual([11, 14, 15, 20, 21]);
    const planned = new Set([...LIVE_INDICATORS, ...SURVEY_INDICATORS].flatMap((i) => (i.plan === null ? [] : [i.plan])));
    expect([...planned].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('meet their targets by the comparison the plan states', () => {
    expect(meets(7.9, { op: '<', value: 8 })).toBe(true);
    expect(meets(8, { op: '<', value: 8 })).toBe(false);
    expect(meets(97, { op: '>=', value: 97 })).toBe(true);
    expect(meets(99, { op: '>', value: 99 })).toBe(false);
    expect(meets(null, { op: '>', value: 99 })).toBeNull();
    expect(meets(50, null)).toBeNull();
  });
});

describe('figures', () => {
  it('are percentages with one decimal, or nothing to measure', () => {
    expect(percent(2, 3)).toEqual({ value: 66.7, missing: null });
    expect(percent(0, 0)).toEqual({ value: null, missing: 'no_data' });
  });

  it('per residents say when the population is unknown instead of guessing', () => {
    expect(perResidents(12, 75_447)).toEqual({ value: 1.6, missing: null });
    expect(perResidents(22_000, 100_000, 100)).toEqual({ value: 22, missing: null });
    expect(perResidents(12, null)).toEqual({ value: null, missing: 'no_population' });
  });
});

describe('measureOf', () => {
  const area = counts({ cases: 30, open: 6, overdue: 2, due: 8, onTime: 6, incidents: [1, 2, 3, 4], reached: 2, responseSeconds: 450, onDuty: 5 });

  it('reads each measure from the counts', () => {
    const values = ['cases', 'open', 'overdue', 'incidents', 'severe', 'response', 'on_time', 'on_duty'].map(
      (m) => measureOf(area, m as never, false, null).value,
    );
    expect(values).toEqual([30, 6, 2, 10, 3, 7.5, 75, 5]);
  });

  it('gives counts per 10,000 residents, never times or rates', () => {
    expect(measureOf(area, 'cases', true, 60_000)).toEqual({ value: 5, missing: null });
    expect(measureOf(area, 'cases', true, null)).toEqual({ value: null, missing: 'no_population' });
    expect(measureOf(area, 'on_time', true, null)).toEqual({ value: 75, missing: null });
    expect(measureOf(area, 'response', true, 60_000)).toEqual({ value: 7.5, missing: null });
  });

  it('says why a measure is missing', () => {
    expect(measureOf(counts({}), 'response', false, null).missing).toBe('no_data');
    expect(measureOf(counts({}), 'on_time', false, null).missing).toBe('no_data');
    expect(measureOf(counts({ onDuty: null }), 'on_duty', false, null).missing).toBe('not_kept');
  });
});

describe('sumCounts', () => {
  it('adds counts and weighs the mean response by the incidents reached', () => {
    const total = sumCounts([
      counts({ cases: 1, incidents: [1, 0, 0, 1], reached: 1, responseSeconds: 300, onDuty: 2 }),
      counts({ cases: 2, incidents: [0, 1, 0, 0], reached: 3, responseSeconds: 700, onDuty: 1 }),
      counts({ cases: 4 }),
    ]);
    expect(total).toMatchObject({ cases: 7, incidents: [1, 1, 0, 1], reached: 4, responseSeconds: 600, onDuty: 3 });
  });

  it('knows no total on duty when one part is not known', () => {
    expect(sumCounts([counts({ onDuty: 2 }), counts({ onDuty: null })]).onDuty).toBeNull();
    expect(sumCounts([]).responseSeconds).toBeNull();
  });
});

describe('coverage', () => {
  it('is the share of the grid area patrolled, per subdistrict and for the district', () => {
    const cells = new Map([
      ['A-1', { subdistrict: 'A', areaM2: 100 }],
      ['A-2', { subdistrict: 'A', areaM2: 300 }],
      ['B-1', { subdistrict: 'B', areaM2: 600 }],
    ]);
    const result = coverage(['A-2', 'B-1', 'UNKNOWN'], cells);
    expect(result.district).toEqual({ value: 90, missing: null });
    expect(Object.fromEntries(result.bySubdistrict)).toEqual({ A: { value: 75, missing: null }, B: { value: 100, missing: null } });
    expect(coverage([], cells).district.value).toBe(0);
  });
});

describe('buckets', () => {
  it('cut a window into equal spans, the last ending at the window', () => {
    const b = buckets(0, 10, 3);
    expect(b.widthMs).toBe(4);
    expect(bucketSpans(b)).toEqual([{ from: 0, to: 4 }, { from: 4, to: 8 }, { from: 8, to: 10 }]);
    expect(buckets(0, 10, 0).count).toBe(1);
  });
});

describe('hotlineRates', () => {
  it('gives the three rates, each over what it can be measured on', () => {
    expect(hotlineRates({ respondable: 8, respondedOnTime: 6, calledBack: 4, solved: 3, satisfied: 2 })).toEqual({
      response: { value: 75, missing: null },
      resolution: { value: 75, missing: null },
      satisfaction: { value: 50, missing: null },
    });
    expect(hotlineRates({ respondable: 0, respondedOnTime: 0, calledBack: 0, solved: 0, satisfied: 0 }).satisfaction.missing).toBe('no_data');
  });
});
