/**
 * Bounded memory: the wall, open in Chromium against a server whose simulator runs at 60× (over an
 * hour of the district in a minute and a quarter), holds no more after that than after its warm-up: the
 * JS heap after a forced garbage collection at the end is within 1.5× plus 10 MB of the heap
 * after warm-up, the DOM keeps about the same number of nodes, and the floor of its listener count
 * (heap.ts) stays within a quarter and 25 of where it began. A bound on memory, not on
 * time. Kept short for the test suite's budget; the ten-minute run with its slope is in
 * `npm run bench`.
 */
import { describe, expect, it } from 'vitest';
import { MB } from '../support/heap.ts';
import { wallMemory } from '../support/wallMemory.ts';

describe('the wall’s memory in Chromium', () => {
  it('stays bounded over an hour of a busy district played at 60×', async () => {
    const samples = await wallMemory({
      warmUpMs: 15_000,
      durationMs: 60_000,
      everyMs: 15_000,
      onSample: (s) => console.log(`${s.atS.toFixed(0)} s: heap ${(s.heapBytes / MB).toFixed(1)} MB, ${s.domNodes} DOM nodes, ${s.listeners} listeners, ${s.held} held, ${s.pending} pending`),
    });
    const first = samples[0]!;
    const last = samples.at(-1)!;
    expect(samples.length).toBeGreaterThanOrEqual(5);
    expect(last.heapBytes).toBeLessThanOrEqual(1.5 * first.heapBytes + 10 * MB);
    expect(last.domNodes).toBeLessThanOrEqual(1.5 * first.domNodes + 1000);
    expect(last.listeners).toBeLessThanOrEqual(1.25 * first.listeners + 25);
  }, 240_000);
});
