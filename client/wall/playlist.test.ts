import { describe, expect, it } from 'vitest';
import { Playlist, type PlaylistState } from './playlist.ts';

const INTERVAL = 60_000;

function setup(length = 3) {
  let now = 1_000_000;
  const heard: PlaylistState[] = [];
  const playlist = new Playlist(length, INTERVAL, (state) => heard.push(state), () => now);
  const wait = (ms: number) => {
    now += ms;
    return playlist.tick();
  };
  return { playlist, heard, wait };
}

describe('Playlist', () => {
  it('moves to the next step once an interval has passed, and wraps around', () => {
    const { playlist, heard, wait } = setup();
    expect(wait(INTERVAL - 1)).toBe(false);
    expect(wait(1)).toBe(true);
    expect(playlist.state.step).toBe(1);
    wait(INTERVAL);
    wait(INTERVAL);
    expect(playlist.state.step).toBe(0);
    expect(heard.map((s) => s.step)).toEqual([1, 2, 0]);
  });

  it('moves one step at a time even after a long pause in ticking', () => {
    const { playlist, wait } = setup();
    expect(wait(10 * INTERVAL)).toBe(true);
    expect(playlist.state.step).toBe(1);
  });

  it('does not advance while held, and resumes from the same step with a full interval when released', () => {
    const { playlist, heard, wait } = setup();
    wait(INTERVAL);
    playlist.hold('alarm');
    expect(wait(5 * INTERVAL)).toBe(false);
    expect(playlist.state).toEqual({ step: 1, length: 3, held: ['alarm'] });
    playlist.release('alarm');
    expect(wait(INTERVAL - 1)).toBe(false);
    expect(playlist.state.step).toBe(1);
    expect(wait(1)).toBe(true);
    expect(playlist.state.step).toBe(2);
    expect(heard.map((s) => [s.step, s.held])).toEqual([
      [1, []],
      [1, ['alarm']],
      [1, []],
      [2, []],
    ]);
  });

  it('stays held until every reason is released', () => {
    const { playlist, wait } = setup();
    playlist.hold('alarm');
    playlist.hold('operator');
    playlist.release('alarm');
    expect(wait(2 * INTERVAL)).toBe(false);
    expect(playlist.state.held).toEqual(['operator']);
    playlist.release('operator');
    expect(wait(INTERVAL)).toBe(true);
  });

  it('ignores a second hold for the same reason and a release for a reason not held', () => {
    const { playlist, heard, wait } = setup();
    playlist.hold('alarm');
    playlist.hold('alarm');
    playlist.release('nothing');
    expect(heard).toHaveLength(1);
    playlist.release('alarm');
    expect(playlist.state.held).toEqual([]);
    expect(wait(INTERVAL)).toBe(true);
  });

  it('never moves with a single step or none', () => {
    for (const length of [0, 1]) {
      const { playlist, heard, wait } = setup(length);
      expect(wait(10 * INTERVAL)).toBe(false);
      expect(playlist.state.step).toBe(0);
      expect(heard).toEqual([]);
    }
  });
});
