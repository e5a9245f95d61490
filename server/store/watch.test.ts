import { describe, expect, it } from 'vitest';
import { StoreWatch } from './watch.ts';

describe('StoreWatch', () => {
  it('tells each change of the store’s availability once, and not a repeated answer', async () => {
    let up = true;
    const told: boolean[] = [];
    const watch = new StoreWatch(async () => {
      if (!up) throw new Error('Connection terminated');
    }, (available) => told.push(available));
    expect(await watch.check()).toBe(true);
    up = false;
    expect(await watch.check()).toBe(false);
    expect(await watch.check()).toBe(false);
    expect(watch.available).toBe(false);
    up = true;
    expect(await watch.check()).toBe(true);
    expect(told).toEqual([false, true]);
  });
});
