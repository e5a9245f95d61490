import { describe, expect, it } from 'vitest';
import { judgeBacklogs, SLOW_BYTES, STUCK_BYTES } from './backlog.ts';

describe('judgeBacklogs', () => {
  it('spares a slow socket the position frames and cuts a stuck one, leaving the rest alone', () => {
    const verdict = judgeBacklogs([
      { id: 'fast', bytes: 0 },
      { id: 'busy', bytes: SLOW_BYTES },
      { id: 'slow', bytes: SLOW_BYTES + 1 },
      { id: 'stuck', bytes: STUCK_BYTES + 1 },
    ]);
    expect(verdict).toEqual({ skip: ['slow'], cut: ['stuck'] });
  });
});
