import { describe, expect, it } from 'vitest';
import { AREA_MEASURES, emptyCounts, type AreaMeasure } from '../../server/domain/indicators.ts';
import type { Areas } from '../../server/contract/leaders.ts';
import {
  areaColours,
  areasQuery,
  classBreaks,
  classLabel,
  classColour,
  classOf,
  beijingInputValue,
  DISTRICT_VIEW,
  fromBeijingInput,
  drillInto,
  figureText,
  legendClasses,
  legendEntries,
  MISSING_COLOUR,
  rampOf,
  sortRows,
  sparkline,
  windowEndingAt,
  type AreaRow,
} from './model.ts';

function row(key: string, cases: number | null, population: number | null = null): AreaRow {
  const figures = Object.fromEntries(
    AREA_MEASURES.map((m) => [m, cases === null ? { value: null, missing: 'no_population' } : { value: cases, missing: null }]),
  ) as AreaRow['figures'];
  return { key, subdistrict: key, population, counts: emptyCounts(), figures };
}

describe('classBreaks and classOf', () => {
  it('cuts ten values into five quantile classes', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(classBreaks(values)).toEqual([3, 5, 7, 9]);
    expect(values.map((v) => classOf(v, [3, 5, 7, 9]))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('keeps edges unique, and falls back to the distinct values where many areas are alike', () => {
    expect(classBreaks([0, 0, 0, 0, 0, 0, 0, 0, 5, 9])).toEqual([5, 9]);
    expect(classBreaks([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 7])).toEqual([2, 7]);
    expect(classBreaks([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])).toEqual([2, 3, 4, 5]);
    expect(classBreaks([4, 4, 4])).toEqual([]);
    expect(classOf(4, [])).toBe(0);
  });

  it('leaves out missing values and gives none for nothing known', () => {
    expect(classBreaks([null, null])).toEqual([]);
    expect(classBreaks([null, 2, null, 8])).toEqual([8]);
    expect(classOf(null, [1, 2])).toBeNull();
  });
});

describe('colours', () => {
  it('spreads the classes over the whole ramp, and greys what is missing', () => {
    const ramp = rampOf('cases');
    expect(classColour(0, 3, ramp)).toBe(ramp[0]);
    expect(classColour(2, 3, ramp)).toBe(ramp[4]);
    expect(classColour(1, 3, ramp)).toBe(ramp[2]);
    expect(classColour(null, 3, ramp)).toBe(MISSING_COLOUR);
    expect(classColour(0, 1, ramp)).toBe(ramp[0]);
  });

  it('reads more-is-better measures on another ramp than more-is-worse', () => {
    expect(rampOf('on_time')).not.toEqual(rampOf('overdue'));
    expect(rampOf('on_duty')).toEqual(rampOf('on_time'));
  });

  it('gives one legend line a class, from the lowest value', () => {
    const legend = legendClasses([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null], 'cases' satisfies AreaMeasure);
    expect(legend.map((c) => [c.low, c.high])).toEqual([
      [1, 3],
      [3, 5],
      [5, 7],
      [7, 9],
      [9, null],
    ]);
    expect(legendClasses([null], 'cases')).toEqual([]);
  });

  it('labels whole-count classes by the counts they hold, and others by their range', () => {
    expect(classLabel({ colour: '', low: 0, high: 2 }, true)).toBe('0–1');
    expect(classLabel({ colour: '', low: 2, high: 3 }, true)).toBe('2');
    expect(classLabel({ colour: '', low: 7, high: null }, true)).toBe('7+');
    expect(classLabel({ colour: '', low: 2.5, high: 6.14 }, false)).toBe('2.5–6.1');
  });
});

describe('sortRows', () => {
  const rows = [row('a', 5), row('b', null), row('c', 9), row('d', 5)];
  const name = (r: AreaRow) => r.key;

  it('orders by a measure either way, missing last, ties in their first order', () => {
    expect(sortRows(rows, { key: 'cases', descending: true }, name, 'en').map((r) => r.key)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortRows(rows, { key: 'cases', descending: false }, name, 'en').map((r) => r.key)).toEqual(['a', 'd', 'c', 'b']);
  });

  it('orders by name in the language’s collation', () => {
    const named = [row('西长安街', 1), row('大栅栏', 1), row('德胜', 1)];
    const zh = sortRows(named, { key: 'name', descending: false }, name, 'zh-CN').map((r) => r.key);
    expect(zh).toEqual(['大栅栏', '德胜', '西长安街']);
  });

  it('orders by population, unknown last', () => {
    const people = [row('a', 1, 300), row('b', 1, null), row('c', 1, 100)];
    expect(sortRows(people, { key: 'population', descending: false }, name, 'en').map((r) => r.key)).toEqual(['c', 'a', 'b']);
  });
});

describe('sparkline', () => {
  it('draws through the known values and breaks at a missing one', () => {
    expect(sparkline([0, 10, null, 5], 30, 10)).toBe('M0.0,10.0L10.0,0.0M30.0,5.0');
  });

  it('draws nothing for nothing known, and a flat line for equal values', () => {
    expect(sparkline([null, null], 30, 10)).toBe('');
    expect(sparkline([3, 3], 10, 10)).toBe('M0.0,10.0L10.0,10.0');
  });
});

it('windowEndingAt spans back from the end', () => {
  const end = Date.UTC(2026, 11, 3, 0, 0, 0);
  expect(windowEndingAt(end, 86_400_000)).toEqual({ from: '2026-12-02T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' });
});

describe('areaColours', () => {
  it('colours each area by its class among the areas of the answer, grey where it has no figure', () => {
    const areas = { measure: 'cases', areas: [row('a', 0), row('b', 2), row('c', 7), row('d', null)] } as unknown as Areas;
    const colours = areaColours(areas);
    const ramp = rampOf('cases');
    expect([...colours.values()]).toEqual([ramp[0], ramp[2], ramp[4], MISSING_COLOUR]);
  });
});

describe('figureText', () => {
  const missing = { no_population: 'no population', no_data: 'no data', not_kept: 'not kept' };
  it('shows whole numbers grouped, others to one decimal, and why a figure is missing', () => {
    expect(figureText({ value: 12345, missing: null }, '', missing)).toBe('12,345');
    expect(figureText({ value: 7.25, missing: null }, 'min', missing)).toBe('7.3 min');
    expect(figureText({ value: null, missing: 'no_population' }, '%', missing)).toBe('no population');
  });
});

describe('drillInto', () => {
  it('goes from the district to a subdistrict’s cells, picks a cell and lets it go', () => {
    const sub = drillInto(DISTRICT_VIEW, '110102012');
    expect(sub).toEqual({ within: '110102012', cell: null });
    const cell = drillInto(sub, '110102012-001-002');
    expect(cell).toEqual({ within: '110102012', cell: '110102012-001-002' });
    expect(drillInto(cell, '110102012-001-002')).toEqual(sub);
  });

  it('opens the subdistrict of a cell picked on the district’s map', () => {
    expect(drillInto(DISTRICT_VIEW, '110102018-004-007')).toEqual({ within: '110102018', cell: '110102018-004-007' });
  });
});

describe('Beijing time inputs', () => {
  it('shows and reads a moment in Beijing time', () => {
    const at = Date.UTC(2026, 11, 2, 16, 30, 0);
    expect(beijingInputValue(at)).toBe('2026-12-03T00:30');
    expect(fromBeijingInput('2026-12-03T00:30')).toBe(at);
    expect(fromBeijingInput('')).toBeNull();
    expect(fromBeijingInput('2026-13-40T99:99')).toBeNull();
  });
});

describe('areasQuery and legendEntries', () => {
  it('asks for subdistricts, one subdistrict’s cells or every cell, with the window', () => {
    const base = { measure: 'cases' as const, perCapita: true, from: 'F', to: 'T' };
    expect(areasQuery({ ...base, level: 'subdistrict', within: null })).toBe('measure=cases&perCapita=1&from=F&to=T');
    expect(areasQuery({ ...base, level: 'cell', within: '110102012' })).toBe('measure=cases&perCapita=1&from=F&to=T&level=cell&within=110102012');
    expect(areasQuery({ ...base, perCapita: false, level: 'cell', within: null })).toBe('measure=cases&perCapita=0&from=F&to=T&level=cell');
  });

  it('labels the legend of whole counts by the counts each class holds', () => {
    const areas = { measure: 'cases', areas: [row('a', 0), row('b', 2), row('c', 7)] } as unknown as Areas;
    expect(legendEntries(areas).map((e) => e.label)).toEqual(['0–1', '2–6', '7+']);
  });
});
