/** Row states on the admin page, from the timestamps the server sends. */
import { describe, expect, it } from 'vitest';
import { feedKeyState, userState, wallLinkState } from './states.ts';

const NOW = Date.UTC(2026, 0, 5, 2, 0, 0);

describe('row states', () => {
  it('tells a wall link revoked before expired, and expired only once past its time', () => {
    expect(wallLinkState({ revokedAt: null, expiresAt: null }, NOW)).toBe('active');
    expect(wallLinkState({ revokedAt: null, expiresAt: new Date(NOW + 1000).toISOString() }, NOW)).toBe('active');
    expect(wallLinkState({ revokedAt: null, expiresAt: new Date(NOW).toISOString() }, NOW)).toBe('expired');
    expect(wallLinkState({ revokedAt: new Date(NOW - 5).toISOString(), expiresAt: new Date(NOW - 1).toISOString() }, NOW)).toBe('revoked');
  });

  it('tells feed keys and accounts by their revoked and disabled times', () => {
    expect(feedKeyState({ revokedAt: null })).toBe('active');
    expect(feedKeyState({ revokedAt: new Date(NOW).toISOString() })).toBe('revoked');
    expect(userState({ disabledAt: null })).toBe('active');
    expect(userState({ disabledAt: new Date(NOW).toISOString() })).toBe('disabled');
  });
});
