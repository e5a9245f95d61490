import { describe, expect, it } from 'vitest';
import { Watchdog, type WatchdogLimits } from './watchdog.ts';

const LIMITS: WatchdogLimits = { offlineMs: 600_000, stalledMs: 60_000, quietMs: 900_000, contextLossMs: 300_000, retryMs: 60_000 };

function setup() {
  let now = 5_000_000;
  const watchdog = new Watchdog(LIMITS, () => now);
  /** Time passes with frames drawn all along, as on a healthy visible page. */
  const pass = (ms: number) => {
    now += ms;
    watchdog.frame();
  };
  const jump = (ms: number) => (now += ms);
  return { watchdog, pass, jump };
}

describe('Watchdog', () => {
  it('wants nothing from a live wall that receives messages and draws frames', () => {
    const { watchdog, pass } = setup();
    watchdog.connection('live');
    for (let minute = 0; minute < 60; minute++) {
      pass(60_000);
      watchdog.applied();
      expect(watchdog.due()).toBeNull();
    }
  });

  describe('a lost connection', () => {
    it('asks for a reload once the wall has not been live for offlineMs, not before', () => {
      const { watchdog, pass } = setup();
      watchdog.connection('live');
      watchdog.connection('reconnecting');
      pass(LIMITS.offlineMs - 1);
      watchdog.connection('offline');
      expect(watchdog.due()).toBeNull();
      pass(1);
      expect(watchdog.due()).toBe('offline');
      expect(watchdog.confirm('offline', { seq: 10 }, 5)).toBe(true);
    });

    it('counts from the start for a wall that never got live', () => {
      const { watchdog, pass } = setup();
      pass(LIMITS.offlineMs);
      expect(watchdog.due()).toBe('offline');
    });

    it('forgets it once live again', () => {
      const { watchdog, pass } = setup();
      pass(LIMITS.offlineMs - 1000);
      watchdog.connection('live');
      pass(LIMITS.offlineMs);
      watchdog.applied();
      expect(watchdog.due()).toBeNull();
    });

    it('does not reload while the server does not answer, and asks again retryMs later', () => {
      const { watchdog, pass } = setup();
      pass(LIMITS.offlineMs);
      expect(watchdog.confirm('offline', null, null)).toBe(false);
      pass(LIMITS.retryMs - 1);
      expect(watchdog.due()).toBeNull();
      pass(1);
      expect(watchdog.due()).toBe('offline');
    });
  });

  describe('a stalled page', () => {
    it('asks for a reload when no frame was drawn for stalledMs while visible', () => {
      const { watchdog, jump } = setup();
      watchdog.connection('live');
      jump(LIMITS.stalledMs - 1);
      watchdog.applied();
      expect(watchdog.due()).toBeNull();
      jump(1);
      watchdog.applied();
      expect(watchdog.due()).toBe('stalled');
      expect(watchdog.confirm('stalled', { seq: 1 }, 1)).toBe(true);
    });

    it('does not count the time the page was hidden', () => {
      const { watchdog, jump } = setup();
      watchdog.connection('live');
      watchdog.visibility(false);
      jump(10 * LIMITS.stalledMs);
      watchdog.applied();
      expect(watchdog.due()).toBeNull();
      watchdog.visibility(true);
      jump(LIMITS.stalledMs - 1);
      expect(watchdog.due()).toBeNull();
    });
  });

  describe('a quiet live wall', () => {
    it('reloads only when the server is ahead of what the wall applied', () => {
      const { watchdog, pass } = setup();
      watchdog.connection('live');
      pass(LIMITS.quietMs);
      expect(watchdog.due()).toBe('quiet');
      expect(watchdog.confirm('quiet', { seq: 42 }, 41)).toBe(true);
    });

    it('starts the clock again when the server has nothing newer: the district is quiet', () => {
      const { watchdog, pass } = setup();
      watchdog.connection('live');
      pass(LIMITS.quietMs);
      expect(watchdog.confirm('quiet', { seq: 41 }, 41)).toBe(false);
      expect(watchdog.due()).toBeNull();
      pass(LIMITS.quietMs - 1);
      expect(watchdog.due()).toBeNull();
      pass(1);
      expect(watchdog.due()).toBe('quiet');
    });

    it('does not reload when a message arrived while the probe was out', () => {
      const { watchdog, pass } = setup();
      watchdog.connection('live');
      pass(LIMITS.quietMs);
      const reason = watchdog.due()!;
      watchdog.applied();
      expect(watchdog.confirm(reason, { seq: 50 }, 41)).toBe(false);
    });
  });

  describe('a lost WebGL context', () => {
    it('remounts the map the first time and reloads when it is lost again soon after', () => {
      const { watchdog, pass } = setup();
      watchdog.connection('live');
      expect(watchdog.contextLost()).toBe('remount');
      expect(watchdog.due()).toBeNull();
      pass(LIMITS.contextLossMs - 1);
      watchdog.applied();
      expect(watchdog.contextLost()).toBe('reload');
      expect(watchdog.due()).toBe('webgl');
      expect(watchdog.confirm('webgl', { seq: 1 }, 1)).toBe(true);
    });

    it('remounts again when the previous loss is long past', () => {
      const { watchdog, pass } = setup();
      expect(watchdog.contextLost()).toBe('remount');
      pass(LIMITS.contextLossMs);
      expect(watchdog.contextLost()).toBe('remount');
    });
  });
});
