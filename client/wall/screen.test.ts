import { describe, expect, it } from 'vitest';
import { parseScreen, typeScale, viewAt, type Screen } from './screen.ts';

const SHICHAHAI = '110102012';
const DESHENG = '110102010';

describe('parseScreen', () => {
  it('gives the full district wall, unscaled, without rotation, for a bare address', () => {
    expect(parseScreen('')).toEqual({
      screen: { view: { layout: 'full', subdistrict: null }, scale: 1, steps: [], intervalMs: 60_000, quietMs: 15 * 60_000 },
      warnings: [],
    });
  });

  it('reads every layout, a subdistrict, a scale and the language beside them', () => {
    for (const layout of ['full', 'map', 'panel', 'kpi'] as const) {
      const { screen, warnings } = parseScreen(`?lang=en&layout=${layout}&subdistrict=${SHICHAHAI}&scale=1.5`);
      expect(warnings).toEqual([]);
      expect(screen.view).toEqual({ layout, subdistrict: SHICHAHAI });
      expect(screen.scale).toBe(1.5);
    }
  });

  it('falls back to the default of each value it does not understand, with a warning for each', () => {
    const { screen, warnings } = parseScreen('?layout=wall&subdistrict=110102999&scale=9&interval=soon&quiet=0');
    expect(screen).toEqual(parseScreen('').screen);
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toContain('layout=wall');
    expect(warnings[1]).toContain('subdistrict=110102999');
  });

  it('accepts the ends of the scale range and refuses what lies beyond or is empty', () => {
    expect(parseScreen('?scale=0.75').screen.scale).toBe(0.75);
    expect(parseScreen('?scale=3').screen.scale).toBe(3);
    for (const bad of ['0.7', '3.1', '', 'NaN', '-1']) {
      const { screen, warnings } = parseScreen(`?scale=${bad}`);
      expect(screen.scale).toBe(1);
      expect(warnings).toHaveLength(1);
    }
  });

  it('reads playlist steps in order, skipping the unknown ones and empty ones', () => {
    const { screen, warnings } = parseScreen(`?playlist=district,${SHICHAHAI},,kpi,moon,${DESHENG}&interval=20`);
    expect(screen.steps).toEqual([
      { kind: 'district' },
      { kind: 'subdistrict', adcode: SHICHAHAI },
      { kind: 'layout', layout: 'kpi' },
      { kind: 'subdistrict', adcode: DESHENG },
    ]);
    expect(screen.intervalMs).toBe(20_000);
    expect(warnings).toEqual([expect.stringContaining('moon')]);
  });

  it('holds each step at least 10 seconds', () => {
    const { screen, warnings } = parseScreen('?playlist=district,kpi&interval=3');
    expect(screen.intervalMs).toBe(10_000);
    expect(warnings).toEqual([expect.stringContaining('below 10')]);
    expect(parseScreen('?interval=0').screen.intervalMs).toBe(60_000);
  });

  it('reads the quiet threshold in minutes', () => {
    expect(parseScreen('?quiet=2').screen.quietMs).toBe(120_000);
    expect(parseScreen('?quiet=99999').screen.quietMs).toBe(15 * 60_000);
    // ?stale and ?lost belong to the map's freshness of units (map/freshness.ts).
    expect(parseScreen('?stale=300&lost=900')).toEqual(parseScreen(''));
  });
});

describe('viewAt', () => {
  const screen = (search: string): Screen => parseScreen(search).screen;

  it("varies one thing of the address's view per step", () => {
    const rotating = screen(`?layout=map&subdistrict=${DESHENG}&playlist=district,${SHICHAHAI},kpi`);
    expect(viewAt(rotating, 0)).toEqual({ layout: 'map', subdistrict: null });
    expect(viewAt(rotating, 1)).toEqual({ layout: 'map', subdistrict: SHICHAHAI });
    expect(viewAt(rotating, 2)).toEqual({ layout: 'kpi', subdistrict: DESHENG });
  });

  it("is the address's own view without a playlist", () => {
    expect(viewAt(screen(`?layout=panel`), 0)).toEqual({ layout: 'panel', subdistrict: null });
  });
});

describe('typeScale', () => {
  it("is the address's scale, larger on the panel alone", () => {
    const { screen } = parseScreen('?scale=2&playlist=panel,map');
    expect(typeScale(screen, viewAt(screen, 1))).toBe(2);
    expect(typeScale(screen, viewAt(screen, 0))).toBeCloseTo(2.8);
  });
});
