import { describe, expect, it } from 'vitest';
import { BULK_CHANGES, BULK_INTERVAL_MS, DrainPace } from './drainPace.ts';

describe('drain pace', () => {
  it('drains a small diff at once, however recently the last one went', () => {
    const pace = new DrainPace();
    pace.drained(1_000);
    expect(pace.wait(BULK_CHANGES - 1, 1_010)).toBe(0);
  });

  it('drains the first large diff at once and the next one an interval after it', () => {
    const pace = new DrainPace();
    expect(pace.wait(BULK_CHANGES, 5_000)).toBe(0);
    pace.drained(5_000);
    expect(pace.wait(BULK_CHANGES * 4, 5_300)).toBe(BULK_INTERVAL_MS - 300);
    expect(pace.wait(BULK_CHANGES * 4, 5_000 + BULK_INTERVAL_MS)).toBe(0);
    expect(pace.wait(BULK_CHANGES * 4, 9_000)).toBe(0);
  });
});
