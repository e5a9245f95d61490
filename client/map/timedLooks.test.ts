/**
 * TimedLooks names exactly the drawn features whose look flipped since they were drawn, compares
 * looks as it is told, and forgets what left the map.
 */
import { describe, expect, it } from 'vitest';
import { TimedLooks } from './timedLooks.ts';

/** A view that turns "late" at its deadline. */
type View = { deadline: number };
const late = (view: View, now: number) => now >= view.deadline;

describe('TimedLooks', () => {
  it('names only the drawn features whose look flipped', () => {
    const views = new Map([
      ['soon', { deadline: 10 }],
      ['later', { deadline: 60 }],
      ['undrawn', { deadline: 0 }],
    ]);
    const looks = new TimedLooks(late);
    expect(looks.draw('soon', views.get('soon')!, 0)).toBe(false);
    looks.draw('later', views.get('later')!, 0);
    expect(looks.flipped(views, 5)).toEqual([]);
    expect(looks.flipped(views, 30)).toEqual(['soon']);
    expect(looks.flipped(views, 60).sort()).toEqual(['later', 'soon']);
  });

  it('takes a redraw as the new look, and forgets what left the map or is no longer held', () => {
    const views = new Map([['a', { deadline: 10 }]]);
    const looks = new TimedLooks(late);
    looks.draw('a', views.get('a')!, 0);
    looks.draw('gone', { deadline: 10 }, 0);
    expect(looks.flipped(views, 20)).toEqual(['a']);
    looks.draw('a', views.get('a')!, 20);
    expect(looks.flipped(views, 20)).toEqual([]);
    looks.draw('a', views.get('a')!, 0);
    looks.forget('a');
    expect(looks.flipped(views, 20)).toEqual([]);
  });

  it('compares looks that are objects by the comparison it is given', () => {
    const views = new Map([['a', { deadline: 10 }]]);
    const byValue = new TimedLooks((view: View, now: number) => ({ late: late(view, now) }), (x, y) => x.late === y.late);
    byValue.draw('a', views.get('a')!, 0);
    expect(byValue.flipped(views, 5)).toEqual([]);
    expect(byValue.flipped(views, 15)).toEqual(['a']);
  });
});
