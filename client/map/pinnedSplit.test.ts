/**
 * PinnedSplit puts each feature on exactly one source: pinned ones unclustered, the rest
 * clustered, moving a feature across when its pinning changes and never touching what is not
 * on the map.
 */
import { describe, expect, it } from 'vitest';
import { PinnedSplit, pinningChanged } from './pinnedSplit.ts';

const pinnedOnly = (ids: string[]) => (id: string) => ids.includes(id);

describe('PinnedSplit', () => {
  it('adds new features to the side they belong on', () => {
    const split = new PinnedSplit();
    expect(split.route(['a', 'b', 'c'], [], pinnedOnly(['b']))).toEqual({
      clustered: { add: ['a', 'c'], update: [], remove: [] },
      pinned: { add: ['b'], update: [], remove: [] },
    });
  });

  it('updates a feature in place while its side holds, and moves it across when it changes', () => {
    const split = new PinnedSplit();
    split.route(['a', 'b'], [], pinnedOnly([]));
    expect(split.route(['a', 'b'], [], pinnedOnly(['b']))).toEqual({
      clustered: { add: [], update: ['a'], remove: ['b'] },
      pinned: { add: ['b'], update: [], remove: [] },
    });
    expect(split.route(['b'], [], pinnedOnly([]))).toEqual({
      clustered: { add: ['b'], update: [], remove: [] },
      pinned: { add: [], update: [], remove: ['b'] },
    });
  });

  it('removes a feature from the side it is on, and ignores one never drawn', () => {
    const split = new PinnedSplit();
    split.route(['a', 'b'], [], pinnedOnly(['b']));
    expect(split.route([], ['a', 'b', 'never'], pinnedOnly([]))).toEqual({
      clustered: { add: [], update: [], remove: ['a'] },
      pinned: { add: [], update: [], remove: ['b'] },
    });
    // Gone means gone: a later redraw does not bring it back.
    expect(split.redraw(['a'], pinnedOnly(['a']))).toEqual({
      clustered: { add: [], update: [], remove: [] },
      pinned: { add: [], update: [], remove: [] },
    });
  });

  it('redraws only features on the map, moving those whose pinning flipped', () => {
    const split = new PinnedSplit();
    split.route(['a', 'b'], [], pinnedOnly([]));
    expect(split.redraw(['a', 'b', 'elsewhere'], pinnedOnly(['a', 'elsewhere']))).toEqual({
      clustered: { add: [], update: ['b'], remove: ['a'] },
      pinned: { add: ['a'], update: [], remove: [] },
    });
  });

  it('starts from nothing after clear, as a restarted layer does', () => {
    const split = new PinnedSplit();
    split.route(['a'], [], pinnedOnly([]));
    split.clear();
    expect(split.route(['a'], [], pinnedOnly([])).clustered.add).toEqual(['a']);
  });
});

describe('pinningChanged', () => {
  it('names the ids pinned or unpinned by a change of the set', () => {
    expect(pinningChanged(new Set(['a', 'b']), new Set(['b', 'c'])).sort()).toEqual(['a', 'c']);
    expect(pinningChanged(new Set(['a']), new Set(['a']))).toEqual([]);
  });
});
