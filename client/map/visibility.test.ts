/**
 * The layers switched off are read from and written to the address, in a fixed order, leaving
 * everything else in it alone.
 */
import { describe, expect, it } from 'vitest';
import { hiddenFromSearch, searchWithHidden, toggled } from './visibility.ts';

describe('hidden layers in the address', () => {
  it('reads the known layer names, ignoring unknown ones and spaces', () => {
    expect([...hiddenFromSearch('?hide=grid,cases')]).toEqual(['grid', 'cases']);
    expect([...hiddenFromSearch('?lang=en&hide=units,%20basemap,roads')]).toEqual(['units', 'basemap']);
    expect(hiddenFromSearch('?lang=en').size).toBe(0);
    expect(hiddenFromSearch('?hide=').size).toBe(0);
  });

  it('toggles one layer at a time without touching the set it was given', () => {
    const none = new Set<never>();
    const grid = toggled(none, 'grid');
    expect([...grid]).toEqual(['grid']);
    expect(none.size).toBe(0);
    expect([...toggled(grid, 'grid')]).toEqual([]);
  });

  it('writes the names in a fixed order, keeps the other parameters, and drops hide when empty', () => {
    expect(searchWithHidden('?lang=en', new Set(['grid', 'cases']))).toBe('?lang=en&hide=cases,grid');
    expect(searchWithHidden('?hide=grid&lang=en', new Set())).toBe('?lang=en');
    expect(searchWithHidden('?hide=grid', new Set())).toBe('');
    expect(searchWithHidden('', new Set(['units']))).toBe('?hide=units');
  });

  it('reads back what it wrote', () => {
    const hidden = new Set(['basemap', 'incidents'] as const);
    expect(hiddenFromSearch(searchWithHidden('?stale=60', hidden))).toEqual(hidden);
  });
});
