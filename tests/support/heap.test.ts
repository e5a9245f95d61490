import { describe, expect, it } from 'vitest';
import { slope, slopeBeside } from './heap.ts';

describe('slope', () => {
  it('is the least-squares slope of the points', () => {
    expect(slope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2);
    expect(slope([[0, 0], [1, 2], [2, 1], [3, 3]])).toBeCloseTo(0.8);
  });

  it('is zero without a trend to measure', () => {
    expect(slope([[5, 1]])).toBe(0);
    expect(slope([[1, 1], [1, 9]])).toBe(0);
  });
});

describe('slopeBeside', () => {
  it('takes out what follows the load and keeps what grows with time', () => {
    const loads = [10, 30, 20, 50, 40, 60];
    // y = 5 + 2·x + 3·load: a load that rises with time would pass for a steeper trend.
    const points = loads.map((load, x): [number, number, number] => [x, load, 5 + 2 * x + 3 * load]);
    expect(slopeBeside(points)).toBeCloseTo(2);
    expect(slope(points.map(([x, , y]) => [x, y]))).toBeGreaterThan(10);
  });

  it('is the plain slope under a constant load', () => {
    expect(slopeBeside([[0, 7, 1], [1, 7, 3], [2, 7, 5]])).toBeCloseTo(2);
  });
});
