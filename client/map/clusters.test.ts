/**
 * Cluster counting and ring naming: one counter per share, ring ids that name their steps and
 * are read back only when they are this ring's, arcs that cover the turn in share order.
 */
import { describe, expect, it } from 'vitest';
import { clusterCounts, parseRing, RING_STEPS, ringArcs, ringImage, type RingShare } from './clusters.ts';

const SHARES: RingShare[] = [
  { key: 'n_a', colour: '#000001', when: ['==', ['get', 'status'], 'a'] },
  { key: 'n_b', colour: '#000002', when: ['==', ['get', 'status'], 'b'] },
];

describe('clusterCounts', () => {
  it('sums a 1 per point of each share', () => {
    expect(clusterCounts(SHARES)).toEqual({
      n_a: ['+', ['case', ['==', ['get', 'status'], 'a'], 1, 0]],
      n_b: ['+', ['case', ['==', ['get', 'status'], 'b'], 1, 0]],
    });
  });
});

describe('ring images', () => {
  it('names a ring by the prefix and each share in steps, a nonzero share never below one', () => {
    const id = ringImage('ring:t:', SHARES);
    expect(id.slice(0, 2)).toEqual(['concat', 'ring:t:']);
    expect(id).toContain('.');
    expect(JSON.stringify(id)).toContain(`["max",1,["round",["*",${RING_STEPS},["/",["get","n_a"],["get","point_count"]]]]]`);
  });

  it('reads back the steps of its own ids only', () => {
    expect(parseRing('ring:t:18.6', 'ring:t:', 2)).toEqual([18, 6]);
    expect(parseRing('ring:u:18.6', 'ring:t:', 2)).toBeNull();
    expect(parseRing('ring:t:18', 'ring:t:', 2)).toBeNull();
    expect(parseRing('ring:t:1.x', 'ring:t:', 2)).toBeNull();
    expect(parseRing('ring:t:0.0', 'ring:t:', 2)).toBeNull();
  });

  it('turns steps into arcs over the whole turn, skipping empty shares', () => {
    expect(ringArcs([6, 0, 18])).toEqual([
      { index: 0, from: 0, to: 0.25 },
      { index: 2, from: 0.25, to: 1 },
    ]);
    expect(ringArcs([0, 24])).toEqual([{ index: 1, from: 0, to: 1 }]);
  });
});
